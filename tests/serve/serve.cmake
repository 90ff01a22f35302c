# `byline serve`: the writing loop (watch, rebuild, live reload), run as a
# writer runs it.
add_test(NAME serve COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(serve PROPERTIES TIMEOUT 300)
