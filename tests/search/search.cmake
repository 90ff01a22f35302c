# Search result quality: the theme's search.js over byline's index ranks
# like an independent brute-force BM25F (Python) on tests/sites/search and a
# 1,000-post corpus.
find_program(BYLINE_NODE node)
if(BYLINE_NODE)
  add_test(NAME search_quality
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/quality_test.py $<TARGET_FILE:byline>
                   ${CMAKE_BINARY_DIR}/search-quality)
else()
  add_test(NAME search_quality
           COMMAND /bin/sh -c "echo 'search_quality: node is missing: run scripts/install-deps.sh' >&2; exit 1")
endif()
set_tests_properties(search_quality PROPERTIES TIMEOUT 300)
