// Image headers: stb_image for the formats it knows, a few bytes read by hand
// for WebP and the EXIF orientation, pugixml for an SVG's root element.
#include "images/image_size.h"

#include <stb_image.h>

#include <pugixml.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace byline {
namespace {

// A file or a buffer, read at absolute offsets; a file is never read whole.
class ByteSource {
 public:
  explicit ByteSource(std::string_view data) : data_(data) {}
  explicit ByteSource(FILE* file) : file_(file) {}

  // Reads up to `n` bytes at `offset` into `out`; returns how many it read.
  size_t read_at(uint64_t offset, size_t n, unsigned char* out) const {
    if (!file_) {
      if (offset >= data_.size()) return 0;
      size_t k = std::min<uint64_t>(n, data_.size() - offset);
      std::memcpy(out, data_.data() + offset, k);
      return k;
    }
    if (offset > static_cast<uint64_t>(LONG_MAX) ||
        std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0)
      return 0;
    return std::fread(out, 1, n, file_);
  }

 private:
  std::string_view data_;
  FILE* file_ = nullptr;
};

uint32_t be16(const unsigned char* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t le16(const unsigned char* p) { return (uint32_t{p[1]} << 8) | p[0]; }
uint32_t le24(const unsigned char* p) { return (uint32_t{p[2]} << 16) | le16(p); }
uint32_t le32(const unsigned char* p) { return (uint32_t{p[3]} << 24) | le24(p); }

enum class Format { kUnknown, kPng, kJpeg, kGif, kBmp, kWebp };

// Only what browsers show: stb_image also reads TGA, PSD and others, and
// TGA has no signature, so a stray text file could pass as one.
Format sniff(const unsigned char* h, size_t n) {
  if (n >= 8 && std::memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0) return Format::kPng;
  if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return Format::kJpeg;
  if (n >= 6 && (std::memcmp(h, "GIF87a", 6) == 0 || std::memcmp(h, "GIF89a", 6) == 0))
    return Format::kGif;
  if (n >= 2 && h[0] == 'B' && h[1] == 'M') return Format::kBmp;
  if (n >= 16 && std::memcmp(h, "RIFF", 4) == 0 && std::memcmp(h + 8, "WEBP", 4) == 0)
    return Format::kWebp;
  return Format::kUnknown;
}

// The canvas size from the first chunk of a WebP file (RIFF header, then
// "VP8 ", "VP8L" or "VP8X"), as the WebP container specification lays it out.
std::optional<ImageSize> webp_size(const unsigned char* h, size_t n) {
  if (n < 30) return std::nullopt;
  const unsigned char* chunk = h + 12;
  ImageSize s;
  if (std::memcmp(chunk, "VP8X", 4) == 0) {
    s.width = static_cast<int>(le24(h + 24)) + 1;
    s.height = static_cast<int>(le24(h + 27)) + 1;
  } else if (std::memcmp(chunk, "VP8L", 4) == 0) {
    if (h[20] != 0x2F) return std::nullopt;
    uint32_t bits = le32(h + 21);
    s.width = static_cast<int>(bits & 0x3FFF) + 1;
    s.height = static_cast<int>((bits >> 14) & 0x3FFF) + 1;
  } else if (std::memcmp(chunk, "VP8 ", 4) == 0) {
    // A key frame: 3 bytes of frame tag, the start code, then 14-bit sizes
    // (the top two bits are a scaling hint, not part of the size).
    if (h[23] != 0x9D || h[24] != 0x01 || h[25] != 0x2A) return std::nullopt;
    s.width = static_cast<int>(le16(h + 26) & 0x3FFF);
    s.height = static_cast<int>(le16(h + 28) & 0x3FFF);
  } else {
    return std::nullopt;
  }
  if (s.width <= 0 || s.height <= 0) return std::nullopt;
  return s;
}

// The EXIF orientation (1-8) in a TIFF block: byte order, magic 42, then
// the first IFD's entries; tag 0x0112 holds a SHORT.
int tiff_orientation(const unsigned char* t, size_t n) {
  if (n < 8) return 1;
  bool little;
  if (t[0] == 'I' && t[1] == 'I') {
    little = true;
  } else if (t[0] == 'M' && t[1] == 'M') {
    little = false;
  } else {
    return 1;
  }
  auto u16 = [&](size_t at) { return little ? le16(t + at) : be16(t + at); };
  auto u32 = [&](size_t at) {
    return little ? le32(t + at) : (be16(t + at) << 16) | be16(t + at + 2);
  };
  if (u16(2) != 42) return 1;
  size_t ifd = u32(4);
  if (ifd > n || n - ifd < 2) return 1;
  size_t count = u16(ifd);
  for (size_t i = 0; i < count; ++i) {
    size_t e = ifd + 2 + 12 * i;
    if (e > n || n - e < 12) break;
    if (u16(e) == 0x0112 && u16(e + 2) == 3) {
      int value = static_cast<int>(u16(e + 8));
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

// The orientation from a JPEG's EXIF segment (APP1), which comes before the
// frame header; 1 (as stored) when there is none.
int jpeg_orientation(const ByteSource& src) {
  uint64_t pos = 2;  // after SOI
  for (int segments = 0; segments < 64; ++segments) {
    unsigned char m[4];
    if (src.read_at(pos, 4, m) != 4 || m[0] != 0xFF) return 1;
    if (m[1] == 0xFF) {  // fill byte before a marker
      ++pos;
      continue;
    }
    const unsigned marker = m[1];
    if (marker == 0xDA || marker == 0xD9) return 1;  // scan data or the end: no EXIF seen
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
      return 1;  // the frame header: EXIF would have come before it
    const uint32_t length = be16(m + 2);
    if (length < 2) return 1;
    if (marker == 0xE1 && length >= 2 + 6 + 8) {
      auto body = std::make_unique<unsigned char[]>(length - 2);
      size_t got = src.read_at(pos + 4, length - 2, body.get());
      if (got == length - 2 && std::memcmp(body.get(), "Exif\0\0", 6) == 0)
        return tiff_orientation(body.get() + 6, got - 6);
    }
    pos += 2 + length;
  }
  return 1;
}

// A length in CSS pixels: a number, optionally followed by "px". Percentages
// and relative units leave the size to the browser.
std::optional<int> svg_length(const char* text) {
  std::string_view v(text);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\n'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\n'))
    v.remove_suffix(1);
  if (v.ends_with("px")) v.remove_suffix(2);
  if (v.empty() || v.size() > 16) return std::nullopt;
  bool digits = false, dot = false;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  double value = std::strtod(std::string(v).c_str(), nullptr);
  if (!(value >= 0.5) || value > 1e6) return std::nullopt;
  return static_cast<int>(std::lround(value));
}

// Only the root element's width and height. A viewBox alone gives a ratio,
// not a size: an <img> of such an SVG is drawn at 300x150 by default, so a
// width taken from the viewBox would change what the reader sees.
std::optional<ImageSize> svg_size(std::string_view data, bool complete) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(data.data(), data.size(), pugi::parse_minimal, pugi::encoding_auto);
  pugi::xml_node root = doc.document_element();
  if (!root) return std::nullopt;
  // A prefix of a big file stops inside the document; its root element is
  // whole once something after its start tag has been read.
  if (!parsed && (complete || !root.first_child())) return std::nullopt;
  std::string_view name = root.name();
  if (name != "svg" && !name.ends_with(":svg")) return std::nullopt;
  std::optional<int> w = svg_length(root.attribute("width").as_string(""));
  std::optional<int> h = svg_length(root.attribute("height").as_string(""));
  if (!w || !h) return std::nullopt;
  return ImageSize{*w, *h};
}

constexpr size_t kSvgPrefix = 256 * 1024;

std::optional<ImageSize> raster_size(const ByteSource& src, Format format, FILE* file,
                                     std::string_view data) {
  int w = 0, h = 0, comp = 0;
  int ok;
  if (file) {
    ok = stbi_info_from_file(file, &w, &h, &comp);
  } else {
    if (data.size() > static_cast<size_t>(INT32_MAX)) return std::nullopt;
    ok = stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(data.data()),
                               static_cast<int>(data.size()), &w, &h, &comp);
  }
  if (!ok || w <= 0 || h <= 0) return std::nullopt;
  ImageSize s{w, h};
  // Orientations 5-8 turn the picture a quarter: browsers show it rotated.
  if (format == Format::kJpeg && jpeg_orientation(src) >= 5) std::swap(s.width, s.height);
  return s;
}

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

bool has_svg_extension(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext == ".svg";
}

}  // namespace

std::optional<ImageSize> image_size_of_bytes(std::string_view data, bool is_svg) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  Format format = sniff(bytes, data.size());
  if (format == Format::kWebp) return webp_size(bytes, data.size());
  if (format != Format::kUnknown) return raster_size(ByteSource(data), format, nullptr, data);
  if (is_svg) return svg_size(data, true);
  return std::nullopt;
}

std::optional<ImageSize> read_image_size(const std::filesystem::path& file) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(file.c_str(), "rb"));
  if (!f) return std::nullopt;
  ByteSource src(f.get());
  unsigned char head[32];
  size_t n = src.read_at(0, sizeof head, head);
  Format format = sniff(head, n);
  if (format == Format::kWebp) return webp_size(head, n);
  if (format != Format::kUnknown) {
    if (std::fseek(f.get(), 0, SEEK_SET) != 0) return std::nullopt;
    return raster_size(src, format, f.get(), {});
  }
  if (!has_svg_extension(file)) return std::nullopt;
  std::string prefix(kSvgPrefix, '\0');
  size_t got = src.read_at(0, prefix.size(), reinterpret_cast<unsigned char*>(prefix.data()));
  prefix.resize(got);
  bool complete = got < kSvgPrefix || std::fgetc(f.get()) == EOF;
  return svg_size(prefix, complete);
}

}  // namespace byline
