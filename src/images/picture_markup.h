// The HTML of a processed image: <picture> with a WebP <source> and an
// <img> in the original format, each with srcset and sizes.
#pragma once

#include <string>
#include <string_view>

#include "images/image_processor.h"

namespace byline {

struct PictureAttributes {
  std::string_view src;    // the image's URL as written, escaped for an attribute
  std::string_view alt;    // escaped for an attribute
  std::string_view title;  // escaped; empty: no title attribute
  std::string_view sizes;  // the sizes attribute, as configured (escaped here)
  // The first image of a page is likely its largest paint: no lazy loading.
  bool eager = false;
};

// `image` must be processed(). The fallback <img src> is the largest
// variant of the last format, and width and height are its size. With one
// format (a WebP source) there is no <picture>, only the <img>.
std::string picture_html(const ProcessedImage& image, const PictureAttributes& attributes);

// "a-480w.webp 480w, a-800w.webp 800w" for `format`'s variants of the image
// at `src`.
std::string srcset(const ProcessedImage& image, std::string_view src, std::string_view format);

}  // namespace byline
