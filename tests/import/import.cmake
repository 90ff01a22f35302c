# WordPress import: integration tests over every export in
# ../shared/testdata/wxr, run through `byline import wordpress`.

set(BYLINE_WXR_DIR ${CMAKE_SOURCE_DIR}/../shared/testdata/wxr)
add_test(NAME import.fixtures
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_import.py
                 $<TARGET_FILE:byline> ${BYLINE_WXR_DIR})
set_tests_properties(import.fixtures PROPERTIES TIMEOUT 120)

# A 10 MB export imports (its timing is measured by the same script in bench/).
add_test(NAME import.large_export
         COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/bench/import_large_export.py
                 $<TARGET_FILE:byline> ${BYLINE_WXR_DIR}/themeunittestdata.wordpress.xml 10 --check)
set_tests_properties(import.large_export PROPERTIES TIMEOUT 300)

# The imported site builds, and every published item's old <link> resolves
# in the output: at its own path or through an alias.
foreach(export themeunittestdata.wordpress.xml 64-block-test-data.xml)
  add_test(NAME import.links_resolve.${export}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/links_resolve.py
                   $<TARGET_FILE:byline> ${BYLINE_WXR_DIR}/${export})
  set_tests_properties(import.links_resolve.${export} PROPERTIES TIMEOUT 300)
endforeach()

# Every real export in ../shared/testdata/wxr-real (WordPress's own test
# exports, Playground, WordPress.com, Ghost's and other importers'
# fixtures) imports, builds, and keeps every old URL: links, ?p= ids,
# attachment pages and term archives.
add_test(NAME import.real_exports
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/real_exports.py
                 $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR}/../shared/testdata/wxr-real)
set_tests_properties(import.real_exports PROPERTIES TIMEOUT 120)
