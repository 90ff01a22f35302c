// Explicit sizes of one image that a template asks for, as Hugo's .Resize,
// .Fit and .Fill make them: the specification ("300x200 webp q60 TopLeft"),
// the name the result is published under, and the libvips work, cached in
// SITE/.byline/images like the responsive variants.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "config/config.h"
#include "images/image_processor.h"

namespace byline {

struct ImageTransform {
  enum class Op {
    kResize,  // to the width and/or height; both given: exactly that, the ratio not kept
    kFit,     // within width × height, the ratio kept, never enlarged
    kFill,    // exactly width × height, the ratio kept, the overflow cropped at the anchor
  };
  Op op = Op::kResize;
  int width = 0;  // 0: from the height, keeping the ratio (resize only)
  int height = 0;
  std::string format;            // "jpeg", "png", "webp", "avif"; "": the source's own
  int quality = 0;               // 1-100; 0: [images] quality
  std::string anchor = "smart";  // fill: smart (libvips' attention), center, topleft, top, …
};

std::string_view transform_op_name(ImageTransform::Op op);  // "resize", "fit", "fill"

// Parses a specification as Hugo's: space-separated, in any order, case
// not minded: the size ("300x", "x200", "300x200"; resize takes either or
// both, fit and fill need both), a format (jpeg, jpg, png, webp, avif), a
// quality (q1 to q100) and, for fill, an anchor (Smart, Center, TopLeft,
// Top, TopRight, Left, Right, BottomLeft, Bottom, BottomRight). False with
// a one-line reason for anything else.
bool parse_image_transform(ImageTransform::Op op, std::string_view spec, ImageTransform* out,
                           std::string* error);

// The format the result is written in: the asked one, else the source's.
std::string transform_format(const ImageTransform& t, ImageFormat source);

// Where the result is published, beside the source at `site_path`:
// "/a/photo.jpg" filled to 300×200 as WebP is "/a/photo-fill-300x200.webp";
// a quality or anchor other than the default is part of the name
// ("photo-fill-300x200-top-q60.webp"). `format` is transform_format()'s.
std::string transform_path(std::string_view site_path, const ImageTransform& t,
                           std::string_view format);

struct TransformedImage {
  bool ok = false;
  std::string error;  // !ok: why, one line
  std::filesystem::path file;
  int width = 0;
  int height = 0;
  std::string format;
};

// Makes (or finds in `cache_dir`) `t` of `file`, whose responsive
// processing gave `source` (which must be processed(): its display size and
// format, and the proof that it decodes). The same bytes, transform and
// settings always give the same bytes. Thread-safe.
TransformedImage transform_image(const ImagesConfig& config, const std::filesystem::path& cache_dir,
                                 const std::filesystem::path& file, const ProcessedImage& source,
                                 const ImageTransform& t);

}  // namespace byline
