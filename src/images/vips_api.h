// libvips, opened when a build first has an image to process rather than
// linked: libvips pulls in about a hundred libraries (cairo, poppler's
// neighbours, OpenEXR, HDF5, GnuTLS...), and loading them cost every byline
// process 22 MB of resident memory before it did anything (31 MB for
// `byline --version`, 9 MB without them); a site with no image to make
// never pays it now (docs/architecture.md, Memory).
//
// Each libvips or GLib function the image code calls is a pointer of the
// same name in namespace byline, which unqualified calls from inside the
// namespace find before the header's declaration: the code reads as plain
// libvips. They are null until load_vips() has succeeded; ensure_vips()
// (image_processor.h) calls it first.
#ifndef BYLINE_IMAGES_VIPS_API_H_
#define BYLINE_IMAGES_VIPS_API_H_

#include <gmodule.h>
#include <vips/vips.h>

#include <string>

// The functions, by name: X(name) for each.
// clang-format off
#define BYLINE_VIPS_FUNCTIONS(X) \
  X(g_free) \
  X(g_log_set_handler) \
  X(g_module_make_resident) \
  X(g_module_open) \
  X(g_object_ref) \
  X(g_object_unref) \
  X(g_strfreev) \
  X(g_value_unset) \
  X(vips_init) \
  X(vips_version) \
  X(vips_area_unref) \
  X(vips_array_double_newv) \
  X(vips_avg) \
  X(vips_bandjoin) \
  X(vips_black) \
  X(vips_block_untrusted_set) \
  X(vips_cache_set_max) \
  X(vips_cast_uchar) \
  X(vips_concurrency_set) \
  X(vips_copy) \
  X(vips_embed) \
  X(vips_error_buffer) \
  X(vips_error_clear) \
  X(vips_extract_area) \
  X(vips_flatten) \
  X(vips_heifsave_buffer) \
  X(vips_ifthenelse) \
  X(vips_image_copy_memory) \
  X(vips_image_get) \
  X(vips_image_get_blob) \
  X(vips_image_get_data) \
  X(vips_image_get_fields) \
  X(vips_image_get_orientation_swap) \
  X(vips_image_get_typeof) \
  X(vips_image_guess_interpretation) \
  X(vips_image_hasalpha) \
  X(vips_image_new_from_buffer) \
  X(vips_image_new_from_file) \
  X(vips_image_new_from_memory_copy) \
  X(vips_image_remove) \
  X(vips_image_set) \
  X(vips_image_set_blob_copy) \
  X(vips_image_set_int) \
  X(vips_image_write_to_file) \
  X(vips_join) \
  X(vips_jpegsave_buffer) \
  X(vips_linear) \
  X(vips_linear1) \
  X(vips_max) \
  X(vips_pngsave_buffer) \
  X(vips_resize) \
  X(vips_sines) \
  X(vips_text) \
  X(vips_thumbnail_buffer) \
  X(vips_type_find) \
  X(vips_webpsave_buffer)
// clang-format on

namespace byline {

#define BYLINE_VIPS_DECLARE(name) extern decltype(&::name) name;
BYLINE_VIPS_FUNCTIONS(BYLINE_VIPS_DECLARE)
#undef BYLINE_VIPS_DECLARE

// Opens libvips (its soname, libvips.so.CURRENT-AGE, from the headers built
// against) and finds every function above; once per process. False, with
// why, when it is missing or lacks one of them.
bool load_vips(std::string* why);

// Which libvips load_vips() opens, told without opening it (opening it
// costs a process 20 MB and a fifth of a second): the real name of its file
// (libvips.so.42.16.1, which a new release changes) and its size, for the
// image cache's keys, so that a build whose images are all in the cache
// never starts libvips. Empty when the file cannot be told beforehand
// (LD_LIBRARY_PATH is set, or the library is not where byline was built
// against it).
std::string vips_file_identity();

}  // namespace byline

#endif  // BYLINE_IMAGES_VIPS_API_H_
