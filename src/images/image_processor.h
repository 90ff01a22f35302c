// One image file to its responsive variants through libvips, with a cache
// in SITE/.byline/images/ keyed by the file's bytes and the settings, so a
// rebuild reuses what an earlier build made.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "images/size_plan.h"

struct _VipsImage;  // libvips' VipsImage, for encode_image()

namespace byline {

struct ImageVariant {
  int width = 0;
  int height = 0;
  std::string format;          // "webp", "jpeg", "png"
  std::filesystem::path file;  // in the cache
};

struct ProcessedImage {
  enum class Status {
    kProcessed,    // variants made
    kPassThrough,  // published as it is (GIF, SVG): not resized
    kFailed,       // unreadable, corrupt, unsupported or too large: published as it is
  };
  Status status = Status::kFailed;
  ImageFormat format = ImageFormat::kUnknown;
  int width = 0;  // as displayed (EXIF orientation applied); 0 when unknown
  int height = 0;
  std::string error;  // kFailed: why, one line
  std::string key;    // the cache key (kProcessed)
  // kProcessed: by format (variant_formats() order), then by width ascending.
  std::vector<ImageVariant> variants;

  bool processed() const { return status == Status::kProcessed && !variants.empty(); }
  // The variants in `format`, narrowest first.
  std::vector<const ImageVariant*> of_format(std::string_view format) const;
};

struct SocialCard {
  bool ok = false;
  std::string error;
  std::filesystem::path file;  // 1200×630 JPEG in the cache
};

// libvips set up once for the process: its own thread pools reduced to one
// thread per pipeline (the build's pool is the parallelism), its operation
// cache off, its warnings kept off the terminal. Returns false (with why)
// when libvips cannot start.
bool ensure_vips(std::string* why);
// Points libvips away from its optional modules (the environment variable
// VIPSHOME, unless set). Not thread-safe: called where the build is still on
// one thread (ImageSet's constructor), and again, changing nothing, by
// ensure_vips().
void keep_vips_modules_out();
// libvips' version ("8.14.1"); libvips must have started.
std::string vips_library_version();
// What names libvips in the image cache's keys, told without starting it
// when its file can be (vips_file_identity() in images/vips_api.h), else its
// version once started; null when it cannot start. The same for the whole
// process, so that one build's keys agree.
const std::string* vips_cache_identity();
// How long libvips took to start, in seconds; negative when it has not (a
// build whose images all came from the cache).
double vips_start_seconds();

// Whether this libvips can write AVIF (libheif with an AV1 encoder); starts
// libvips the first time.
bool avif_available();

// Encodes `image` as `format` ("webp", "jpeg", "png", "avif") at `quality`; `strip`:
// no metadata at all, else what is left on `image` (see images/metadata.h); false with why. libvips
// must have started.
bool encode_image(::_VipsImage* image, std::string_view format, int quality, bool strip,
                  std::string* out, std::string* error);

// Where the text cards' fonts are: Debian's fonts-dejavu-core, installed by
// scripts/install-deps.sh.
inline constexpr const char* kCardFontDir = "/usr/share/fonts/truetype/dejavu";

// Thread-safe: each call works on its own file.
class ImageProcessor {
 public:
  // `cache_dir`: SITE/.byline/images.
  ImageProcessor(const ImagesConfig& config, std::filesystem::path cache_dir);

  // The variants of `file`, from the cache or made now (and cached). The
  // same bytes and settings always give the same variants, byte for byte.
  ProcessedImage process(const std::filesystem::path& file) const;
  // The same, from bytes already read; `name` is the file's, for SVG.
  ProcessedImage process_bytes(std::string_view bytes, std::string_view name) const;

  // A 1200×630 crop of `file` around what libvips' attention measure finds
  // most interesting, for og:image; cached like the variants.
  SocialCard card(const std::filesystem::path& file) const;

  // A generated 1200×630 card for a page without an image: its title, the
  // outlet it ran in (may be empty) and the site's name on a plain
  // background, in DejaVu Sans (kCardFontDir); cached, the same bytes for
  // the same text.
  SocialCard text_card(std::string_view title, std::string_view outlet,
                       std::string_view site_name) const;

  const std::filesystem::path& cache_dir() const { return cache_dir_; }

  // Images (JPEG, PNG, WebP) process() made (or tried to: a corrupt one
  // counts, and its failure is cached), and those it found in the cache.
  size_t made() const { return made_.load(std::memory_order_relaxed); }
  size_t cached() const { return cached_.load(std::memory_order_relaxed); }

 private:
  ImagesConfig config_;
  std::filesystem::path cache_dir_;
  mutable std::atomic<size_t> made_{0}, cached_{0};
};

}  // namespace byline
