# Golden output: the fixture site, the example site and a 1,000-post corpus
# are built and every output file's hash is compared with the stored lists
# in tests/golden/*.sha256 (regenerate on purpose with golden.py --update).
add_test(NAME golden_output
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/golden.py
                 --byline $<TARGET_FILE:byline> --work ${CMAKE_BINARY_DIR}/golden)
set_tests_properties(golden_output PROPERTIES TIMEOUT 300)
