# The dependency rule: no file in src/X/ includes a header of a folder that
# docs/architecture.md places above X (or beside it, as a peer), and every
# folder of src/ is placed. The rule is read from the document itself, so
# the two cannot disagree. The self-test proves the check on fake trees.
add_test(NAME architecture_includes
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_includes.py
                 --root ${CMAKE_SOURCE_DIR})
add_test(NAME architecture_includes_self_test
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_includes.py --self-test)
