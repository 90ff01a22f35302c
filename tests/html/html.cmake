# Every page byline writes for the example site (and a sample of a 1,000-post
# corpus) passes the Nu HTML Checker with zero errors.
add_test(NAME html_valid COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_html.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(html_valid PROPERTIES TIMEOUT 600)

# Six real WordPress exports imported and built: every page passes the Nu
# HTML Checker except for errors the export's own markup has (listed).
add_test(NAME html_imported COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_imported_html.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(html_imported PROPERTIES TIMEOUT 900)
