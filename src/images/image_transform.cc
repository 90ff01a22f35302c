// Hugo's three ways to size an image, on libvips: thumbnail does the
// decode (shrinking on load where it can, EXIF orientation, sRGB) and the
// scaling; fill's crop is libvips' attention measure or a plain cut at the
// anchor.
#include "images/image_transform.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "base/files.h"
#include "base/hash.h"
#include "base/strings.h"
#include "images/vips_api.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

// Bumped whenever the bytes a transform writes change for the same input.
constexpr uint64_t kTransformVersion = 1;

constexpr std::string_view kAnchors[] = {"smart", "center", "topleft",    "top",    "topright",
                                         "left",  "right",  "bottomleft", "bottom", "bottomright"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "300" → 300; false for anything but 1 to 16384 in plain digits.
bool parse_dimension(std::string_view s, int* out) {
  if (s.empty() || s.size() > 5) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 16384) return false;
  *out = v;
  return true;
}

std::string vips_reason(std::string_view fallback) {
  std::string msg = vips_error_buffer();
  vips_error_clear();
  size_t nl = msg.find('\n');
  if (nl != std::string::npos) msg.resize(nl);
  return msg.empty() ? std::string(fallback) : msg;
}

struct Unref {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, Unref>;

// Where the anchor puts the kept part along each axis: 0 start, 1 centre, 2 end.
std::pair<int, int> anchor_thirds(std::string_view anchor) {
  int x = 1, y = 1;
  if (anchor.starts_with("top")) y = 0;
  if (anchor.starts_with("bottom")) y = 2;
  if (anchor.ends_with("left")) x = 0;
  if (anchor.ends_with("right")) x = 2;
  return {x, y};
}

// Decodes and sizes `bytes` as `t` asks; `source_w`×`source_h` is the
// displayed size.
VipsImage* apply(std::string_view bytes, const ImageTransform& t, int source_w, int source_h,
                 std::string* error) {
  void* data = const_cast<char*>(bytes.data());
  VipsImage* out = nullptr;
  int rc = 0;
  switch (t.op) {
    case ImageTransform::Op::kResize:
      if (t.width && t.height) {
        rc = vips_thumbnail_buffer(data, bytes.size(), &out, t.width, "height", t.height, "size",
                                   VIPS_SIZE_FORCE, "option_string", "fail_on=warning", nullptr);
      } else {
        rc = vips_thumbnail_buffer(data, bytes.size(), &out, t.width ? t.width : VIPS_MAX_COORD,
                                   "height", t.height ? t.height : VIPS_MAX_COORD, "size",
                                   VIPS_SIZE_BOTH, "option_string", "fail_on=warning", nullptr);
      }
      break;
    case ImageTransform::Op::kFit:
      rc = vips_thumbnail_buffer(data, bytes.size(), &out, t.width, "height", t.height, "size",
                                 VIPS_SIZE_DOWN, "option_string", "fail_on=warning", nullptr);
      break;
    case ImageTransform::Op::kFill: {
      if (t.anchor == "smart") {
        rc = vips_thumbnail_buffer(data, bytes.size(), &out, t.width, "height", t.height, "size",
                                   VIPS_SIZE_BOTH, "crop", VIPS_INTERESTING_ATTENTION,
                                   "option_string", "fail_on=warning", nullptr);
        break;
      }
      // Scaled to cover the box, then cut at the anchor.
      double scale = std::max(static_cast<double>(t.width) / source_w,
                              static_cast<double>(t.height) / source_h);
      int cover_w = std::max(t.width, static_cast<int>(std::lround(source_w * scale)));
      int cover_h = std::max(t.height, static_cast<int>(std::lround(source_h * scale)));
      VipsImage* covered = nullptr;
      rc = vips_thumbnail_buffer(data, bytes.size(), &covered, cover_w, "height", cover_h, "size",
                                 VIPS_SIZE_FORCE, "option_string", "fail_on=warning", nullptr);
      if (rc != 0) break;
      ImagePtr whole(covered);
      auto [ax, ay] = anchor_thirds(t.anchor);
      int left = (whole->Xsize - t.width) * ax / 2;
      int top = (whole->Ysize - t.height) * ay / 2;
      rc = vips_extract_area(whole.get(), &out, left, top, t.width, t.height, nullptr);
      break;
    }
  }
  if (rc != 0) {
    *error = "cannot " + std::string(transform_op_name(t.op)) +
             " it: " + vips_reason("corrupt image data");
    return nullptr;
  }
  return out;
}

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool write_bytes(const fs::path& file, std::string_view bytes) {
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(f);
}

// A cache entry is a folder with the image and its size, renamed into
// place whole: complete or absent, also when two builds make it at once.
bool read_entry(const fs::path& dir, const std::string& name, TransformedImage* out) {
  std::string text, why;
  if (!read_file(dir / "manifest", &text, &why)) return false;
  std::istringstream in(text);
  std::string magic, word;
  std::getline(in, magic);
  if (magic != "byline-transform 1") return false;
  in >> word >> out->width >> out->height;
  if (!in || word != "size") return false;
  std::error_code ec;
  if (!fs::is_regular_file(dir / name, ec)) return false;
  out->file = dir / name;
  return true;
}

}  // namespace

std::string_view transform_op_name(ImageTransform::Op op) {
  switch (op) {
    case ImageTransform::Op::kResize:
      return "resize";
    case ImageTransform::Op::kFit:
      return "fit";
    case ImageTransform::Op::kFill:
      break;
  }
  return "fill";
}

bool parse_image_transform(ImageTransform::Op op, std::string_view spec, ImageTransform* out,
                           std::string* error) {
  ImageTransform t;
  t.op = op;
  bool sized = false;
  std::string_view rest = spec;
  while (!rest.empty()) {
    size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest = rest.substr(start);
    size_t end = rest.find(' ');
    std::string word = lower(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    size_t x = word.find('x');
    if (x != std::string::npos && (x == 0 || (word[0] >= '0' && word[0] <= '9'))) {
      std::string_view w = std::string_view(word).substr(0, x);
      std::string_view h = std::string_view(word).substr(x + 1);
      if (sized || (w.empty() && h.empty()) || (!w.empty() && !parse_dimension(w, &t.width)) ||
          (!h.empty() && !parse_dimension(h, &t.height))) {
        *error = sized ? "two sizes in '" + std::string(spec) + "'"
                       : "'" + word + "' is not a size: write WIDTHxHEIGHT, 1 to 16384 pixels";
        return false;
      }
      sized = true;
    } else if (word == "jpeg" || word == "jpg" || word == "png" || word == "webp" ||
               word == "avif") {
      t.format = word == "jpg" ? "jpeg" : word;
    } else if (word.size() > 1 && word[0] == 'q' && word[1] >= '0' && word[1] <= '9') {
      int q = 0;
      if (!parse_dimension(std::string_view(word).substr(1), &q) || q > 100) {
        *error = "'" + word + "': a quality is q1 to q100";
        return false;
      }
      t.quality = q;
    } else if (std::find(std::begin(kAnchors), std::end(kAnchors), word) != std::end(kAnchors)) {
      if (op != ImageTransform::Op::kFill) {
        *error = "an anchor ('" + word + "') is for fill() only";
        return false;
      }
      t.anchor = word;
    } else {
      *error = "'" + word +
               "' is not part of an image specification (a size such as 300x200, a format "
               "jpeg, png, webp or avif, a quality q1 to q100" +
               (op == ImageTransform::Op::kFill ? ", an anchor such as Smart or TopLeft)" : ")");
      return false;
    }
  }
  if (!sized) {
    *error =
        std::string(transform_op_name(op)) + "() needs a size such as " +
        (op == ImageTransform::Op::kResize ? "\"300x\", \"x200\" or \"300x200\"" : "\"300x200\"");
    return false;
  }
  if (op != ImageTransform::Op::kResize && (t.width == 0 || t.height == 0)) {
    const std::string side = std::to_string(t.width ? t.width : t.height);
    *error = std::string(transform_op_name(op)) + "() needs both a width and a height, such as \"" +
             side + "x" + side + "\"";
    return false;
  }
  *out = std::move(t);
  return true;
}

std::string transform_format(const ImageTransform& t, ImageFormat source) {
  if (!t.format.empty()) return t.format;
  return std::string(format_name(source));
}

std::string transform_path(std::string_view site_path, const ImageTransform& t,
                           std::string_view format) {
  std::string_view path = site_path.substr(0, site_path.find_first_of("?#"));
  size_t slash = path.rfind('/');
  std::string_view folder = slash == std::string_view::npos ? "" : path.substr(0, slash + 1);
  std::string_view stem = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = stem.rfind('.');
  if (dot != std::string_view::npos && dot > 0) stem = stem.substr(0, dot);
  std::string out(folder);
  out.append(stem);
  out += '-';
  out.append(transform_op_name(t.op));
  out += '-' + (t.width ? std::to_string(t.width) : std::string()) + 'x' +
         (t.height ? std::to_string(t.height) : std::string());
  if (t.op == ImageTransform::Op::kFill && t.anchor != "smart") out += '-' + t.anchor;
  if (t.quality) out += "-q" + std::to_string(t.quality);
  out += '.';
  out.append(variant_extension(format));
  return out;
}

TransformedImage transform_image(const ImagesConfig& config, const fs::path& cache_dir,
                                 const fs::path& file, const ProcessedImage& source,
                                 const ImageTransform& t) {
  TransformedImage result;
  result.format = transform_format(t, source.format);
  if (!source.processed() || source.width <= 0 || source.height <= 0) {
    result.error = "only a JPEG, PNG or WebP that byline can process can be sized";
    return result;
  }
  std::string why;
  const std::string* library = vips_cache_identity();
  if (!library) {
    result.error = "libvips is not available";
    return result;
  }
  std::string bytes;
  if (!read_file(file, &bytes, &why)) {
    result.error = "cannot read it: " + why;
    return result;
  }
  const int quality = t.quality ? t.quality : config.quality;
  Hasher h;
  h.add(kTransformVersion).add(*library).add(hash_bytes(bytes));
  h.add(static_cast<uint64_t>(bytes.size())).add(transform_op_name(t.op));
  h.add(static_cast<uint64_t>(t.width)).add(static_cast<uint64_t>(t.height));
  h.add(result.format).add(static_cast<uint64_t>(quality)).add(t.anchor);
  const std::string key = hex16(h.digest());
  const std::string name = "image." + std::string(variant_extension(result.format));
  const fs::path dir = cache_dir / key;
  if (read_entry(dir, name, &result)) {
    result.ok = true;
    return result;
  }
  if (!ensure_vips(&why)) {
    result.error = "libvips is not available: " + why;
    return result;
  }

  ImagePtr sized(apply(bytes, t, source.width, source.height, &result.error));
  if (!sized) return result;
  ImagePtr flat;
  // JPEG has no alpha: transparent parts become white, as Hugo's default
  // background.
  if (result.format == "jpeg" && vips_image_hasalpha(sized.get())) {
    VipsImage* f = nullptr;
    VipsArrayDouble* white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    int rc = vips_flatten(sized.get(), &f, "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (rc != 0) {
      result.error = "cannot flatten it: " + vips_reason("libvips failed");
      return result;
    }
    flat.reset(f);
  }
  VipsImage* image = flat ? flat.get() : sized.get();
  std::string encoded;
  if (!encode_image(image, result.format, quality, true, &encoded, &result.error)) return result;
  result.width = image->Xsize;
  result.height = image->Ysize;

  fs::path tmp =
      cache_dir / (key + ".tmp-" + std::to_string(::getpid()) + "-" +
                   std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())));
  std::error_code ec;
  fs::create_directories(tmp, ec);
  bool written =
      write_bytes(tmp / name, encoded) &&
      write_bytes(tmp / "manifest", "byline-transform 1\nsize " + std::to_string(result.width) +
                                        " " + std::to_string(result.height) + "\n");
  if (written) fs::rename(tmp, dir, ec);
  fs::remove_all(tmp, ec);
  if (!written || !read_entry(dir, name, &result)) {
    result.error = "cannot write the image cache " + cache_dir.string();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace byline
