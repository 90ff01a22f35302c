# Micro-benchmarks (Google Benchmark): executables to run by hand, not tests.
# Built with the default target so they cannot silently rot.
add_executable(byline_markdown_bench ${CMAKE_CURRENT_LIST_DIR}/markdown_perftest.cc)
target_link_libraries(byline_markdown_bench PRIVATE byline_core benchmark::benchmark)
add_executable(byline_template_bench ${CMAKE_CURRENT_LIST_DIR}/template_perftest.cc)
target_link_libraries(byline_template_bench PRIVATE byline_core benchmark::benchmark)
