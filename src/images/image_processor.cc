// libvips does the decoding, resizing and encoding; this file decides what
// to ask of it, checks what an image declares before decoding it, and keeps
// the results in the cache.
#include "images/image_processor.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/allocator.h"
#include "base/files.h"
#include "base/hash.h"
#include "base/strings.h"
#include "images/box_filter.h"
#include "images/image_size.h"
#include "images/metadata.h"
#include "images/vips_api.h"

namespace byline {

namespace fs = std::filesystem;

std::vector<const ImageVariant*> ProcessedImage::of_format(std::string_view format) const {
  std::vector<const ImageVariant*> out;
  for (const ImageVariant& v : variants)
    if (v.format == format) out.push_back(&v);
  return out;
}

namespace {

void drop_log_message(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

std::once_flag g_vips_once;
bool g_vips_ok = false;
std::atomic<double> g_vips_start_seconds{-1};
std::string g_vips_error;

// libvips' error buffer is one for the process: messages of two threads
// failing at once may mix; only the text of a warning can suffer.
std::string vips_message(std::string_view fallback) {
  std::string msg = vips_error_buffer();
  vips_error_clear();
  size_t nl = msg.find('\n');
  if (nl != std::string::npos) msg.resize(nl);
  while (!msg.empty() && (msg.back() == ' ' || msg.back() == '\r')) msg.pop_back();
  return msg.empty() ? std::string(fallback) : msg;
}

struct Unref {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, Unref>;

}  // namespace

bool encode_image(VipsImage* image, std::string_view format, int quality, bool strip,
                  std::string* out, std::string* error) {
  void* buf = nullptr;
  size_t len = 0;
  int rc;
  if (format == "webp") {
    rc = vips_webpsave_buffer(image, &buf, &len, "Q", quality, "strip", strip, nullptr);
  } else if (format == "avif") {
    rc = vips_heifsave_buffer(image, &buf, &len, "Q", quality, "compression",
                              VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "strip", strip, nullptr);
  } else if (format == "jpeg") {
    rc = vips_jpegsave_buffer(image, &buf, &len, "Q", quality, "strip", strip, "optimize_coding",
                              TRUE, nullptr);
  } else {
    // PNG twice, and the smaller kept: libpng choosing a row filter for
    // each row (what most PNG encoders do) made a resized chart a half
    // smaller than no filter, but an unresized one a fifth larger
    // (bench/images.py's charts: 649 KB against 519 KB at 1500 pixels).
    rc = vips_pngsave_buffer(image, &buf, &len, "strip", strip, "compression", 6, "filter",
                             VIPS_FOREIGN_PNG_FILTER_ALL, nullptr);
    void* unfiltered = nullptr;
    size_t unfiltered_len = 0;
    if (rc == 0 &&
        vips_pngsave_buffer(image, &unfiltered, &unfiltered_len, "strip", strip, "compression", 6,
                            "filter", VIPS_FOREIGN_PNG_FILTER_NONE, nullptr) == 0) {
      if (unfiltered_len < len) std::swap(buf, unfiltered), std::swap(len, unfiltered_len);
      g_free(unfiltered);
    }
  }
  if (rc != 0) {
    *error = "cannot encode it as " + std::string(format) + ": " + vips_message("libvips failed");
    return false;
  }
  out->assign(static_cast<const char*>(buf), len);
  g_free(buf);
  return true;
}

namespace {

// A folder of files written under a temporary name and renamed into place
// whole, so that a cache entry is complete or absent, also when two builds
// make it at once or one is killed half-way.
class CacheEntryWriter {
 public:
  CacheEntryWriter(const fs::path& cache_dir, const std::string& key)
      : final_(cache_dir / key),
        tmp_(cache_dir /
             (key + ".tmp-" + std::to_string(::getpid()) + "-" +
              std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())))) {
    std::error_code ec;
    fs::create_directories(tmp_, ec);
  }
  ~CacheEntryWriter() {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  bool write(const std::string& name, std::string_view bytes) {
    std::ofstream f(tmp_ / name, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(f);
  }
  // Renames the folder into place; false when it could not be written (the
  // result is still good for this build: it is kept in memory).
  bool commit() {
    std::error_code ec;
    fs::rename(tmp_, final_, ec);
    return !ec || fs::exists(final_ / "manifest");
  }
  const fs::path& final_dir() const { return final_; }
  const fs::path& tmp_dir() const { return tmp_; }

 private:
  fs::path final_;
  fs::path tmp_;
};

std::string_view status_name(ProcessedImage::Status s) {
  switch (s) {
    case ProcessedImage::Status::kProcessed:
      return "processed";
    case ProcessedImage::Status::kPassThrough:
      return "passthrough";
    case ProcessedImage::Status::kFailed:
      break;
  }
  return "failed";
}

std::string write_manifest(const ProcessedImage& img) {
  std::string m = "byline-images 1\n";
  m += "status " + std::string(status_name(img.status)) + "\n";
  m += "format " + std::string(format_name(img.format)) + "\n";
  m += "size " + std::to_string(img.width) + " " + std::to_string(img.height) + "\n";
  if (!img.error.empty()) m += "error " + img.error + "\n";
  for (const ImageVariant& v : img.variants) {
    m += "variant " + v.format + " " + std::to_string(v.width) + " " + std::to_string(v.height) +
         " " + v.file.filename().string() + "\n";
  }
  return m;
}

bool read_manifest(const fs::path& dir, ProcessedImage* img) {
  std::string text, why;
  if (!read_file(dir / "manifest", &text, &why)) return false;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "byline-images 1") return false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "status") {
      words >> word;
      img->status = word == "processed"     ? ProcessedImage::Status::kProcessed
                    : word == "passthrough" ? ProcessedImage::Status::kPassThrough
                                            : ProcessedImage::Status::kFailed;
    } else if (word == "format") {
      words >> word;
      for (ImageFormat f : {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kWebp,
                            ImageFormat::kGif, ImageFormat::kSvg})
        if (format_name(f) == word) img->format = f;
    } else if (word == "size") {
      words >> img->width >> img->height;
    } else if (word == "error") {
      img->error = line.substr(6);
    } else if (word == "variant") {
      ImageVariant v;
      std::string name;
      words >> v.format >> v.width >> v.height >> name;
      if (!words || name.empty()) return false;
      v.file = dir / name;
      std::error_code ec;
      if (!fs::is_regular_file(v.file, ec)) return false;
      img->variants.push_back(std::move(v));
    } else {
      return false;
    }
  }
  return true;
}

ProcessedImage failed(ImageFormat format, std::string why) {
  ProcessedImage img;
  img.status = ProcessedImage::Status::kFailed;
  img.format = format;
  img.error = std::move(why);
  return img;
}

// Opens the header only (libvips reads pixels lazily) and checks the
// declared size against the limit before anything is decoded.
// `cmyk` (may be null): whether its pixels are CMYK, which thumbnail turns
// into sRGB.
bool read_header(std::string_view bytes, ImageFormat format, int64_t max_pixels, int* width,
                 int* height, std::string* error, bool* cmyk = nullptr) {
  ImagePtr header(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                             VIPS_ACCESS_SEQUENTIAL, nullptr));
  if (!header) {
    *error = "cannot read it as " + std::string(format_name(format)) + ": " +
             vips_message("not a readable image");
    return false;
  }
  int64_t w = header->Xsize, h = header->Ysize;
  if (w * h > max_pixels) {
    *error = "it declares " + std::to_string(w) + "×" + std::to_string(h) + " pixels, more than " +
             "[images] max_pixels (" + std::to_string(max_pixels) + "); not decoded";
    return false;
  }
  if (cmyk) *cmyk = vips_image_guess_interpretation(header.get()) == VIPS_INTERPRETATION_CMYK;
  bool turned = vips_image_get_orientation_swap(header.get());
  *width = static_cast<int>(turned ? h : w);
  *height = static_cast<int>(turned ? w : h);
  return true;
}

// The image at `width` (never wider than itself), in memory, or null with
// libvips' error set. thumbnail: shrink-on-load where the format allows,
// EXIF orientation, colour profile (and CMYK) to sRGB. A truncated or
// corrupt file fails: libjpeg reports a truncated file as a warning only.
ImagePtr decode_largest(std::string_view bytes, int width) {
  VipsImage* out = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &out, width, "height",
                            VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, "option_string",
                            "fail_on=warning", nullptr) != 0)
    return nullptr;
  ImagePtr thumb(out);
  return ImagePtr(vips_image_copy_memory(thumb.get()));
}

// `in` shrunk to `width` by byline's box filter (images/box_filter.h),
// with all its metadata; null when it is not 8-bit pixels in memory (a
// 16-bit PNG), which libvips' own resize then takes.
ImagePtr box_shrunk(VipsImage* in, int width) {
  if (in->BandFmt != VIPS_FORMAT_UCHAR || in->Coding != VIPS_CODING_NONE || in->Bands < 1 ||
      in->Bands > 4 || width <= 0 || width >= in->Xsize)
    return nullptr;
  const uint8_t* src = static_cast<const uint8_t*>(vips_image_get_data(in));
  if (!src) return nullptr;
  const int height = scaled_height(in->Xsize, in->Ysize, width);
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) *
                              static_cast<size_t>(in->Bands));
  box_shrink(src, in->Xsize, in->Ysize, in->Bands, vips_image_hasalpha(in), width, height,
             pixels.data());
  ImagePtr out(vips_image_new_from_memory_copy(pixels.data(), pixels.size(), width, height,
                                               in->Bands, VIPS_FORMAT_UCHAR));
  if (!out) return nullptr;
  // What vips_resize() would keep: the interpretation, the resolution and
  // every metadata field (the profile, the credit, the PNG's bit depth).
  out->Type = in->Type;
  out->Xres = in->Xres;
  out->Yres = in->Yres;
  static constexpr std::string_view kHeader[] = {"width",  "height",         "bands",   "format",
                                                 "coding", "interpretation", "xoffset", "yoffset",
                                                 "xres",   "yres",           "filename"};
  gchar** fields = vips_image_get_fields(in);
  for (gchar** f = fields; *f; ++f) {
    if (std::find(std::begin(kHeader), std::end(kHeader), std::string_view(*f)) !=
        std::end(kHeader))
      continue;
    GValue value = G_VALUE_INIT;
    if (vips_image_get(in, *f, &value) == 0) {
      vips_image_set(out.get(), *f, &value);
      g_value_unset(&value);
    }
  }
  g_strfreev(fields);
  return out;
}

// A card's JPEG `encoded` into the image cache under `key`: `card` made
// ok and pointing at it, or with why it could not be written.
SocialCard store_card(const fs::path& cache_dir, const std::string& key, const std::string& encoded,
                      SocialCard card) {
  CacheEntryWriter entry(cache_dir, key);
  if (!entry.write("card.jpg", encoded) || !entry.write("manifest", "byline-card 1\n") ||
      !entry.commit()) {
    card.error = "cannot write the image cache " + cache_dir.string();
    return card;
  }
  card.ok = true;
  card.file = cache_dir / key / "card.jpg";
  return card;
}

}  // namespace

// libvips loads its optional modules (ImageMagick, poppler, libheif,
// OpenSlide, JPEG XL) from PREFIX/lib when it starts; byline uses none of
// them, and their libraries were a fifth of a build's resident memory and a
// third of libvips' start-up time. A prefix with no modules in it keeps them
// out. Once set, later calls change nothing (setenv without overwrite).
// Plain POSIX, not GLib's wrappers: libvips may not be open yet
// (vips_api.h), and this runs before the build's threads start.
void keep_vips_modules_out() {
  if (!getenv("VIPSHOME")) setenv("VIPSHOME", "/nonexistent/byline-no-vips-modules", 0);
}

bool ensure_vips(std::string* why) {
  std::call_once(g_vips_once, [] {
    const auto start = std::chrono::steady_clock::now();
    if (!load_vips(&g_vips_error)) return;
    keep_vips_modules_out();
    // What VIPS_INIT does: the library's interface is the one built against
    // (load_vips opened it by that soname), then start it.
    if (vips_init("byline") != 0) {
      g_vips_error = vips_message("libvips failed to start");
      return;
    }
    // One worker per libvips pipeline: the build runs one image per core.
    vips_concurrency_set(1);
    // Each image is made once a build; libvips' operation cache would only
    // hold decoded pixels that are never asked for again.
    vips_cache_set_max(0);
    // Only libvips' own loaders: byline hands it JPEG, PNG and WebP it has
    // recognised itself, and never needs ImageMagick's or the like.
    vips_block_untrusted_set(TRUE);
    g_log_set_handler("VIPS",
                      static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                      drop_log_message, nullptr);
    g_vips_ok = true;
    g_vips_start_seconds.store(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  });
  if (!g_vips_ok && why) *why = g_vips_error;
  return g_vips_ok;
}

// libvips' AVIF writer is in its libheif module, which byline keeps out at
// start (keep_vips_modules_out): open it, once, when a site asks for AVIF.
// Opening runs the module's g_module_check_init, which registers heifsave.
static void open_heif_module() {
  if (vips_type_find("VipsOperation", "heifsave_buffer")) return;
  std::string path = std::string(BYLINE_VIPS_MODULE_DIR) + "/vips-heif.so";
  GModule* module = g_module_open(path.c_str(), G_MODULE_BIND_LAZY);
  if (module) g_module_make_resident(module);
}

bool avif_available() {
  static const bool available = [] {
    if (!ensure_vips(nullptr)) return false;
    open_heif_module();
    // libheif may be built without an AV1 encoder (on Debian 13 it is a
    // plugin package): only an encode says.
    VipsImage* tiny = nullptr;
    if (vips_black(&tiny, 8, 8, "bands", 3, nullptr) != 0) return false;
    ImagePtr black(tiny);
    std::string bytes, why;
    bool ok = encode_image(black.get(), "avif", 50, true, &bytes, &why) && !bytes.empty();
    vips_error_clear();
    return ok;
  }();
  return available;
}

std::string vips_library_version() {
  return std::to_string(vips_version(0)) + "." + std::to_string(vips_version(1)) + "." +
         std::to_string(vips_version(2));
}

double vips_start_seconds() { return g_vips_start_seconds.load(); }

// libvips starts only when a build has an image to make: a site without
// any, or whose images are all in the cache, does not pay for it.
const std::string* vips_cache_identity() {
  static const std::string identity = [] {
    std::string file = vips_file_identity();
    if (!file.empty()) return file;
    std::string why;
    return ensure_vips(&why) ? "libvips " + vips_library_version() : std::string();
  }();
  return identity.empty() ? nullptr : &identity;
}

ImageProcessor::ImageProcessor(const ImagesConfig& config, fs::path cache_dir)
    : config_(config), cache_dir_(std::move(cache_dir)) {}

ProcessedImage ImageProcessor::process(const fs::path& file) const {
  std::string bytes, why;
  if (!read_file(file, &bytes, &why))
    return failed(ImageFormat::kUnknown, "cannot read it: " + why);
  return process_bytes(bytes, file.filename().string());
}

ProcessedImage ImageProcessor::process_bytes(std::string_view bytes, std::string_view name) const {
  ImageFormat format = sniff_image_format(bytes.substr(0, 16), name);
  if (format == ImageFormat::kSvg || format == ImageFormat::kGif) {
    // Published as they are: an SVG scales itself, and a GIF is most often
    // animated, which resizing frame by frame would cost more than it saves.
    ProcessedImage img;
    img.status = ProcessedImage::Status::kPassThrough;
    img.format = format;
    if (auto size = image_size_of_bytes(bytes, format == ImageFormat::kSvg)) {
      img.width = size->width;
      img.height = size->height;
    }
    return img;
  }
  if (format == ImageFormat::kUnknown)
    return failed(format, "not an image byline can process (JPEG, PNG, WebP; GIF and SVG pass)");
  std::string why;
  const std::string* version = vips_cache_identity();
  if (!version) return failed(format, "libvips is not available: " + g_vips_error);

  std::string key = image_cache_key(hash_bytes(bytes), bytes.size(), config_, *version);
  ProcessedImage img;
  if (read_manifest(cache_dir_ / key, &img)) {
    img.key = key;
    cached_.fetch_add(1, std::memory_order_relaxed);
    return img;
  }
  // Not cached (a failure to start is not either: it is not the image's).
  if (!ensure_vips(&why)) return failed(format, "libvips is not available: " + why);
  made_.fetch_add(1, std::memory_order_relaxed);
  img = ProcessedImage();
  img.format = format;
  img.key = key;
  CacheEntryWriter entry(cache_dir_, key);
  auto finish = [&](ProcessedImage result) {
    // Failures are cached too: a corrupt file is not decoded at every build.
    entry.write("manifest", write_manifest(result));
    if (entry.commit()) {
      for (ImageVariant& v : result.variants) v.file = entry.final_dir() / v.file.filename();
    } else {
      result = failed(format, "cannot write the image cache " + cache_dir_.string());
    }
    return result;
  };

  return_freed_memory_promptly();
  int width = 0, height = 0;
  bool cmyk = false;
  if (!read_header(bytes, format, config_.max_pixels, &width, &height, &why, &cmyk))
    return finish(failed(format, why));
  img.width = width;
  img.height = height;
  std::vector<int> widths = plan_widths(width, config_.widths);
  // A PNG of up to 12 megapixels (a screenshot on a high-density screen is
  // 5) is decoded whole, so that every width, the largest too, is made by
  // the box filter; a larger one is first brought to the largest width by
  // libvips, to keep the memory an image takes bounded.
  constexpr int64_t kBoxWholePixels = 12'000'000;
  bool whole = format == ImageFormat::kPng &&
               static_cast<int64_t>(width) * static_cast<int64_t>(height) <= kBoxWholePixels;
  ImagePtr largest = decode_largest(bytes, whole ? width : widths.back());
  if (!largest)
    return finish(failed(format, "cannot decode it: " + vips_message("corrupt image data")));
  // The profile stays with pixels left in its colour space; a CMYK image's
  // pixels are sRGB now, and the profile libvips leaves on it is the CMYK
  // one it read them with (near a megabyte).
  bool strip = !keep_only_profile_and_credit(largest.get(), !cmyk, config_.keep_credit);

  std::vector<std::string> formats = variant_formats(format, config_.formats);
  std::vector<std::vector<ImageVariant>> by_format(formats.size());
  for (int w : widths) {
    ImagePtr sized;
    if (w >= largest->Xsize) {
      g_object_ref(largest.get());
      sized.reset(largest.get());
    } else {
      // A PNG is most often a chart, a screenshot or line art, shrunk with
      // a box filter, which makes the fewest new colours at its edges
      // (images/box_filter.h); photographs with Lanczos. A 16-bit PNG, which
      // the box does not take, gets the triangle filter: no negative lobes,
      // so no halo rings its edges.
      if (format == ImageFormat::kPng) sized = box_shrunk(largest.get(), w);
      if (!sized) {
        VipsImage* r = nullptr;
        VipsKernel kernel = format == ImageFormat::kPng ? VIPS_KERNEL_LINEAR : VIPS_KERNEL_LANCZOS3;
        if (vips_resize(largest.get(), &r, static_cast<double>(w) / largest->Xsize, "kernel",
                        kernel, nullptr) != 0)
          return finish(failed(format, "cannot resize it: " + vips_message("libvips failed")));
        sized.reset(r);
      }
    }
    for (size_t f = 0; f < formats.size(); ++f) {
      std::string encoded;
      if (!encode_image(sized.get(), formats[f], config_.quality, strip, &encoded, &why))
        return finish(failed(format, why));
      ImageVariant v;
      v.width = sized->Xsize;
      v.height = sized->Ysize;
      v.format = formats[f];
      std::string name = std::to_string(v.width) + "." + std::string(variant_extension(v.format));
      if (!entry.write(name, encoded))
        return failed(format, "cannot write the image cache " + cache_dir_.string());
      v.file = entry.tmp_dir() / name;
      by_format[f].push_back(std::move(v));
    }
  }
  img.status = ProcessedImage::Status::kProcessed;
  for (auto& list : by_format)
    for (ImageVariant& v : list) img.variants.push_back(std::move(v));
  return finish(std::move(img));
}

SocialCard ImageProcessor::card(const fs::path& file) const {
  SocialCard card;
  std::string bytes, why;
  if (!read_file(file, &bytes, &why)) {
    card.error = "cannot read it: " + why;
    return card;
  }
  ImageFormat format = sniff_image_format(std::string_view(bytes).substr(0, 16), file.string());
  if (format != ImageFormat::kJpeg && format != ImageFormat::kPng && format != ImageFormat::kWebp) {
    card.error = "a social card is cut from a JPEG, PNG or WebP";
    return card;
  }
  const std::string* version = vips_cache_identity();
  if (!version) {
    card.error = "libvips is not available";
    return card;
  }
  std::string key = card_cache_key(hash_bytes(bytes), bytes.size(), config_, *version);
  fs::path cached = cache_dir_ / key / "card.jpg";
  std::error_code ec;
  if (fs::is_regular_file(cached, ec)) {
    card.ok = true;
    card.file = cached;
    return card;
  }
  std::string not_started;
  if (!ensure_vips(&not_started)) {
    card.error = "libvips is not available: " + not_started;
    return card;
  }
  return_freed_memory_promptly();
  int width = 0, height = 0;
  if (!read_header(bytes, format, config_.max_pixels, &width, &height, &card.error)) return card;
  VipsImage* out = nullptr;
  if (vips_thumbnail_buffer(bytes.data(), bytes.size(), &out, 1200, "height", 630, "crop",
                            VIPS_INTERESTING_ATTENTION, "option_string", "fail_on=warning",
                            nullptr) != 0) {
    card.error = "cannot decode it: " + vips_message("corrupt image data");
    return card;
  }
  ImagePtr cropped(out);
  std::string encoded;
  // A card is a JPEG: every site that reads og:image takes one, and a
  // transparent PNG's background comes out as the flattened default.
  ImagePtr flat;
  if (vips_image_hasalpha(cropped.get())) {
    VipsImage* f = nullptr;
    if (vips_flatten(cropped.get(), &f, nullptr) != 0) {
      card.error = "cannot flatten it: " + vips_message("libvips failed");
      return card;
    }
    flat.reset(f);
  }
  if (!encode_image(flat ? flat.get() : cropped.get(), "jpeg", config_.quality, true, &encoded,
                    &card.error))
    return card;
  return store_card(cache_dir_, key, encoded, std::move(card));
}

namespace {

// A solid 1200×630 sRGB image of colour `rgb` (0xRRGGBB).
ImagePtr solid(uint32_t rgb) {
  VipsImage* black = nullptr;
  if (vips_black(&black, 1200, 630, "bands", 3, nullptr) != 0) return nullptr;
  ImagePtr b(black);
  double zero[3] = {0, 0, 0};
  double add[3] = {static_cast<double>(rgb >> 16 & 0xFF), static_cast<double>(rgb >> 8 & 0xFF),
                   static_cast<double>(rgb & 0xFF)};
  VipsImage* out = nullptr;
  if (vips_linear(b.get(), &out, zero, add, 3, "uchar", TRUE, nullptr) != 0) return nullptr;
  out->Type = VIPS_INTERPRETATION_sRGB;
  return ImagePtr(out);
}

// `text` (plain, escaped here for Pango) in `font` at (80, y) over
// `canvas`, wrapped at 1040 pixels, in colour `rgb`; `*height` is the
// height it took. `from_bottom`: y counts up from the bottom edge.
ImagePtr draw_text(ImagePtr canvas, std::string_view text, const std::string& font,
                   const std::string& font_file, uint32_t rgb, int y, bool from_bottom,
                   int* height) {
  std::string markup;
  append_xml_escaped(markup, text);
  VipsImage* mask = nullptr;
  if (vips_text(&mask, markup.c_str(), "font", font.c_str(), "fontfile", font_file.c_str(), "width",
                1040, "dpi", 72, nullptr) != 0)
    return nullptr;
  ImagePtr m(mask);
  *height = m->Ysize;
  int top = from_bottom ? 630 - y - m->Ysize : y;
  VipsImage* placed = nullptr;
  if (vips_embed(m.get(), &placed, 80, top, 1200, 630, nullptr) != 0) return nullptr;
  ImagePtr p(placed);
  ImagePtr ink = solid(rgb);
  if (!ink) return nullptr;
  VipsImage* out = nullptr;
  if (vips_ifthenelse(p.get(), ink.get(), canvas.get(), &out, "blend", TRUE, nullptr) != 0)
    return nullptr;
  return ImagePtr(out);
}

// At most `max` characters (UTF-8 code points), cut at a space, with "…".
std::string shortened(std::string_view text, size_t max) {
  size_t chars = 0, i = 0, last_space = std::string_view::npos;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max) break;
    if (text[i] == ' ') last_space = i;
    ++chars;
  }
  if (i >= text.size()) return std::string(text);
  size_t cut = last_space != std::string_view::npos && last_space > i / 2 ? last_space : i;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace

SocialCard ImageProcessor::text_card(std::string_view title, std::string_view outlet,
                                     std::string_view site_name) const {
  SocialCard card;
  const std::string* version = vips_cache_identity();
  if (!version) {
    card.error = "libvips is not available";
    return card;
  }
  std::string key = text_card_cache_key(title, outlet, site_name, config_, *version);
  fs::path cached = cache_dir_ / key / "card.jpg";
  std::error_code ec;
  if (fs::is_regular_file(cached, ec)) {
    card.ok = true;
    card.file = cached;
    return card;
  }
  std::string not_started;
  if (!ensure_vips(&not_started)) {
    card.error = "libvips is not available: " + not_started;
    return card;
  }
  return_freed_memory_promptly();
  std::string regular = std::string(kCardFontDir) + "/DejaVuSans.ttf";
  std::string bold = std::string(kCardFontDir) + "/DejaVuSans-Bold.ttf";
  for (const std::string& f : {regular, bold}) {
    if (!fs::is_regular_file(f, ec)) {
      card.error = "the card font " + f + " is missing (Debian package fonts-dejavu-core)";
      return card;
    }
  }
  // Slate, with the title in white, the outlet in amber and the site's
  // name in grey: readable at the size a feed reader shows a card.
  ImagePtr canvas = solid(0x1F2933);
  int h = 0;
  std::string head = shortened(title, 110);
  if (canvas && !head.empty())
    canvas =
        draw_text(std::move(canvas), head, "DejaVu Sans Bold 60", bold, 0xFFFFFF, 80, false, &h);
  int below = 80 + h + 36;
  if (canvas && !outlet.empty())
    canvas = draw_text(std::move(canvas), std::string(outlet), "DejaVu Sans 38", regular, 0xF5C26B,
                       below, false, &h);
  if (canvas && !site_name.empty())
    canvas = draw_text(std::move(canvas), std::string(site_name), "DejaVu Sans 30", regular,
                       0xCBD2D9, 70, true, &h);
  std::string encoded;
  if (!canvas) {
    card.error = "cannot draw the card: " + vips_message("libvips failed");
    return card;
  }
  if (!encode_image(canvas.get(), "jpeg", config_.quality, true, &encoded, &card.error))
    return card;
  return store_card(cache_dir_, key, encoded, std::move(card));
}

}  // namespace byline
