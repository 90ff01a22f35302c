# Micro-benchmarks (Google Benchmark), built only when the library is found.
add_executable(byline_template_bench ${CMAKE_CURRENT_LIST_DIR}/template_perftest.cc)
target_link_libraries(byline_template_bench PRIVATE byline_core benchmark::benchmark)
