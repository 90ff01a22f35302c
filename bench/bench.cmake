# Benchmarks: executables to run by hand, not timed tests. Built with the
# default target so they cannot silently rot.

# The filesystem's share of a build (bench/fs_floor.cc); its test checks that
# it replays a tree faithfully, not how fast.
add_executable(byline_fs_floor ${CMAKE_CURRENT_LIST_DIR}/fs_floor.cc)
target_link_libraries(byline_fs_floor PRIVATE byline_core)
add_test(NAME bench_fs_floor
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/fs_floor_test.py
                 $<TARGET_FILE:byline_fs_floor>)

# The side-by-side bench script itself, on a tiny corpus with byline alone:
# that it runs and reports, not how fast.
add_test(NAME bench_compare_hugo
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/compare_hugo_test.py
                 $<TARGET_FILE:byline>)

# The incremental bench (issue 22) on a tiny corpus with byline alone: that it
# runs every scenario, reports figures that parse, leaves the corpus as it
# was, and stops when a rebuild is not incremental; not how fast.
add_test(NAME bench_incremental
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/incremental_test.py
                 $<TARGET_FILE:byline>)

# The serve latency bench (issue 23) on a tiny corpus with byline alone: that
# it runs every scenario, reports and leaves the corpus as it was.
add_test(NAME bench_serve_latency
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/serve_latency_test.py
                 $<TARGET_FILE:byline>)
set_tests_properties(bench_serve_latency PROPERTIES TIMEOUT 600)

# The dev server bench (issue 25) for a second a run: that it measures byline
# (and python's http.server and nginx when installed) and reports, not how
# fast. It needs wrk.
add_test(NAME bench_server
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/server_test.py $<TARGET_FILE:byline>)
set_tests_properties(bench_server PROPERTIES TIMEOUT 300)

# The search bench (issue 26) on a tiny corpus with byline alone (Pagefind
# is installed from npm by the bench itself, so not here): that it runs and
# reports, not how fast. It drives Chromium like the browser check.
add_test(NAME bench_search
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/search_test.py $<TARGET_FILE:byline>)
set_tests_properties(bench_search PROPERTIES TIMEOUT 600)

# Micro-benchmarks (Google Benchmark).
if(benchmark_FOUND)
  add_executable(byline_markdown_bench ${CMAKE_CURRENT_LIST_DIR}/markdown_perftest.cc)
  target_link_libraries(byline_markdown_bench PRIVATE byline_core benchmark::benchmark)
  add_executable(byline_template_bench ${CMAKE_CURRENT_LIST_DIR}/template_perftest.cc)
  target_link_libraries(byline_template_bench PRIVATE byline_core benchmark::benchmark)
  # wpautop on hostile inputs (issue 25): the same bytes/s at 100 KB and 800 KB.
  add_executable(byline_wpautop_bench ${CMAKE_CURRENT_LIST_DIR}/wpautop_perftest.cc)
  target_link_libraries(byline_wpautop_bench PRIVATE byline_core benchmark::benchmark)
  # The search's stages, one thread, CPU time (issue 26).
  add_executable(byline_search_bench ${CMAKE_CURRENT_LIST_DIR}/search_perftest.cc)
  target_link_libraries(byline_search_bench PRIVATE byline_core benchmark::benchmark)
endif()

# The check bench (issue 24) on a tiny corpus: that it builds, checks and
# reports figures that parse, with counts that fit the corpus; not how fast.
add_test(NAME bench_check
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_test.py $<TARGET_FILE:byline>)
set_tests_properties(bench_check PROPERTIES TIMEOUT 600)

# The images bench (issue 27) on three small pictures with byline alone: that
# it runs cold and warm and reports, not how fast.
add_test(NAME bench_images
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/images_test.py $<TARGET_FILE:byline>)
set_tests_properties(bench_images PROPERTIES TIMEOUT 600)
