# Whole-site checks run against the byline binary: archives, feeds and
# sitemaps on the fixture site and on a generated 1,000-post corpus, checked
# with a real feed parser and xmllint.
add_test(NAME archives COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/archives_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(archives PROPERTIES TIMEOUT 600)

# Figures: image sizes on the fixture site tests/sites/figures and on the
# example site, checked against the published files' own headers.
add_test(NAME sites_figures COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/figures_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})

# Images (src/images/): responsive sizes, bad files, strict_images, the
# cache and incremental builds on tests/sites/images.
add_test(NAME sites_images COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/images_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(sites_images PROPERTIES TIMEOUT 300)

# Templates' image(path) with resize/fit/fill (src/render/template_images.h)
# and the per-image and per-page opt-outs, on tests/sites/image_templates.
add_test(NAME sites_image_templates
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/image_templates_test.py
         $<TARGET_FILE:byline> ${CMAKE_SOURCE_DIR})
set_tests_properties(sites_image_templates PROPERTIES TIMEOUT 300)
