# The CommonMark/GFM spec files, each run through byline's render_markdown
# with the options that file is written for (see spec_runner.cc).
add_executable(byline_spec_runner
  ${CMAKE_CURRENT_LIST_DIR}/spec_runner.cc
  ${CMAKE_CURRENT_LIST_DIR}/html_normalize.cc)
target_link_libraries(byline_spec_runner PRIVATE byline_core)

set(BYLINE_SPEC_DIR ${CMAKE_SOURCE_DIR}/../shared/testdata/commonmark)
foreach(spec_file spec smart_punct extensions regression)
  add_test(NAME spec_${spec_file}
           COMMAND byline_spec_runner ${BYLINE_SPEC_DIR}/${spec_file}.txt)
endforeach()
add_test(NAME spec_normalize_self_test COMMAND byline_spec_runner --self-test)
