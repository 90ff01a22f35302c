// An image file's display size in pixels, read from its header only, so that
// <img> can carry width and height and the page does not shift as it loads.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace byline {

struct ImageSize {
  int width = 0;
  int height = 0;
  bool operator==(const ImageSize&) const = default;
};

// The size a browser shows `file` at: PNG, JPEG (EXIF orientation applied),
// GIF and BMP through stb_image, WebP (lossy, lossless, extended) and SVG
// whose root element gives width and height in pixels. nullopt for anything
// else, an unreadable file, or a header that does not parse. Reads only as
// much of the file as the header needs (an SVG: its first 256 KiB at most).
std::optional<ImageSize> read_image_size(const std::filesystem::path& file);

// The same, from bytes in memory (the start of a file, or all of it).
// `is_svg` says the bytes are meant as SVG (a file named *.svg).
std::optional<ImageSize> image_size_of_bytes(std::string_view data, bool is_svg);

}  // namespace byline
