// Image headers (PNG, JPEG, GIF, BMP, WebP, SVG) read for <img width height>:
// the bytes are read both as a raster image and as SVG.
#include "fuzz_input.h"
#include "images/image_size.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes = byline::fuzz::as_text(data, size);
  (void)byline::image_size_of_bytes(bytes, false);
  (void)byline::image_size_of_bytes(bytes, true);
  return 0;
}
