# Micro-benchmarks (Google Benchmark); built on request, never run by ctest.
add_executable(byline_markdown_bench EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/markdown_perftest.cc)
target_link_libraries(byline_markdown_bench PRIVATE byline_core benchmark::benchmark)
