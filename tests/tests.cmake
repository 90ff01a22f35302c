# Integration tests: each area registers its own ctest entries in its own
# file, so they can grow independently.
include(${CMAKE_CURRENT_LIST_DIR}/spec/spec.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/templates/templates.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/import/import.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/sites/sites.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/cli/cli.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/html/html.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/browser/browser.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/golden/golden.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/arch/arch.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/incremental/incremental.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/serve/serve.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/search/search.cmake OPTIONAL)
