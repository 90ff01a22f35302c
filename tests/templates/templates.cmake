# Template engine integration tests: a small driver executable and the
# differential suite that compares its output with Python's Jinja2.
add_executable(byline_template_tool ${CMAKE_CURRENT_LIST_DIR}/template_tool.cc)
target_link_libraries(byline_template_tool PRIVATE byline_core)

add_test(NAME templates_differential
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/differential.py
                 --tool $<TARGET_FILE:byline_template_tool>
                 --cases ${CMAKE_CURRENT_LIST_DIR}/cases)
