# The incremental build's proofs (issue 22): the property test compares an
# incremental build with a clean full one after every step of a seeded random
# sequence of edits, on the fixture site and on a 1,000-post corpus; the crash
# test kills builds (strace fault injection and timed SIGKILLs) and checks
# that the output is old or new and the next build is right. Fixed seeds, so
# a failure repeats; run the scripts by hand with --seed and --steps for more.
add_test(NAME incremental_property_fixture
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/property_test.py
                 $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR} --site fixture --seed 1 --steps 120)
add_test(NAME incremental_property_corpus
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/property_test.py
                 $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR} --site corpus --seed 1 --steps 25)
add_test(NAME incremental_crash
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/crash_test.py
                 $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR} --seed 1)
# Issue 25: kill -9 at each step of publishing, a full build's and an
# incremental one's (strace fault injection), checking that the output
# folder is always there, old or new, that its .git/ and .well-known/ are
# intact, and that the next build gives the clean build's output.
add_test(NAME publish_kill
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/publish_kill_test.py
                 $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR} --seed 1)
set_tests_properties(incremental_property_fixture incremental_property_corpus incremental_crash
                     publish_kill PROPERTIES TIMEOUT 600 LABELS incremental)
# Under AddressSanitizer (make asan) a build of the 1,000-post corpus is
# several times slower; in Release the test takes about two minutes.
if(BYLINE_SANITIZE)
  set_tests_properties(incremental_property_fixture incremental_property_corpus incremental_crash
                       publish_kill PROPERTIES TIMEOUT 2400)
endif()
