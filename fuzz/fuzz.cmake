# Fuzzing (README.md, Fuzzing). Every harness fuzz/fuzz_NAME.cc is built
# twice: with libFuzzer as fuzz_NAME when BYLINE_FUZZ is on (clang only), and
# always as fuzz_replay_NAME, the same harness under a plain main() that
# ctest runs over the committed seeds and the regression corpus
# (fuzz/regressions/NAME plus the big inputs fuzz/regressions/generate.py
# writes), so every input that ever crashed, hung or blew memory is tried
# again on every run, under GCC too.
set(BYLINE_FUZZ_HARNESSES
    front_matter_yaml front_matter_toml config template_parse template_render wxr wpautop
    shortcodes html_to_markdown block_markup markdown appearances image_size json_context)

set(BYLINE_FUZZ_GENERATED ${CMAKE_BINARY_DIR}/fuzz-regressions)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME fuzz_regressions_generate
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/fuzz/regressions/generate.py
                 ${BYLINE_FUZZ_GENERATED})
set_tests_properties(fuzz_regressions_generate PROPERTIES FIXTURES_SETUP fuzz_regressions)

if(BYLINE_FUZZ)
  add_custom_target(fuzz_all)
endif()
foreach(harness ${BYLINE_FUZZ_HARNESSES})
  add_executable(fuzz_replay_${harness} fuzz/fuzz_${harness}.cc fuzz/replay_main.cc)
  target_link_libraries(fuzz_replay_${harness} PRIVATE byline_core)
  add_test(NAME fuzz_regressions_${harness}
           COMMAND fuzz_replay_${harness} ${CMAKE_SOURCE_DIR}/fuzz/seeds/${harness}
                   ${CMAKE_SOURCE_DIR}/fuzz/regressions/${harness}
                   ${BYLINE_FUZZ_GENERATED}/${harness})
  set_tests_properties(fuzz_regressions_${harness} PROPERTIES FIXTURES_REQUIRED fuzz_regressions
                                                              TIMEOUT 300)
  if(BYLINE_FUZZ)
    add_executable(fuzz_${harness} fuzz/fuzz_${harness}.cc)
    target_link_libraries(fuzz_${harness} PRIVATE byline_core)
    target_link_options(fuzz_${harness} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzz_all fuzz_${harness})
  endif()
endforeach()
