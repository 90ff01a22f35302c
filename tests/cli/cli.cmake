# Command-line tests: the byline binary run as a user runs it.
add_test(NAME cli COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/cli_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli PROPERTIES TIMEOUT 300)

# The newcomer's commands: --version, "did you mean", nested help,
# completion, new post and archetypes, list, config, install.
add_test(NAME cli_commands COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/commands_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_commands PROPERTIES TIMEOUT 300)

# byline check: the fixture site tests/sites/links, tampered feeds and
# sitemaps, external links against a local server the test starts, and the
# WordPress theme unit test export imported and checked with --wordpress.
add_test(NAME cli_check COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_check PROPERTIES TIMEOUT 300)

# Hostile templates and contexts end with a located error; [limits] in
# byline.toml sets the render budget.
add_test(NAME cli_limits COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/limits_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_limits PROPERTIES TIMEOUT 300)

# Every real export in shared/testdata/wxr-real: import, build and
# byline check --wordpress with nothing broken (issue 24).
add_test(NAME cli_wxr_real COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/wxr_real_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_wxr_real PROPERTIES TIMEOUT 900)
