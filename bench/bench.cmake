# Micro-benchmarks (Google Benchmark): executables to run by hand, not tests.
add_executable(byline_markdown_bench ${CMAKE_CURRENT_LIST_DIR}/markdown_perftest.cc)
target_link_libraries(byline_markdown_bench PRIVATE byline_core benchmark::benchmark)
