// The images of one build: each local image file processed once (the first
// page to show it does it, others wait for it), and where each is
// published, for the render's plan. Made by build_site(), used by the
// Markdown stage (the <picture> markup), the render (copies of the
// variants, social cards) and the templates' image().
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"
#include "images/image_processor.h"
#include "images/image_transform.h"

namespace byline {

// Thread-safe.
class ImageSet {
 public:
  // `site_dir`: the site; the cache is SITE/.byline/images. A format of
  // [images] formats this libvips cannot write (AVIF without an AV1
  // encoder) is left out, with a warning in `sink` at the setting.
  ImageSet(const SiteConfig& config, const std::filesystem::path& site_dir,
           DiagnosticSink* sink = nullptr);

  bool enabled() const { return config_.process; }
  const ImagesConfig& config() const { return config_; }

  // `file`'s variants, made (or read from the cache) on the calling thread
  // the first time any thread asks for it. Never null.
  std::shared_ptr<const ProcessedImage> get(const std::filesystem::path& file);
  // Processes every file of `files` not yet processed, on the thread pool.
  void process_all(const std::vector<std::filesystem::path>& files);

  // Notes that `file` is published at site path `site_path` ("/a/b.jpg"),
  // so its variants are published beside it.
  void publish(const std::string& site_path, const std::filesystem::path& file);
  struct Published {
    std::string site_path;
    std::filesystem::path file;
    std::shared_ptr<const ProcessedImage> image;
  };
  // Every published image, by site path.
  std::vector<Published> published();
  // The image published at `site_path`, or null.
  std::shared_ptr<const ProcessedImage> find(const std::string& site_path);

  // The social card of `file`, made once a build.
  std::shared_ptr<const SocialCard> card(const std::filesystem::path& file);
  // Notes that a card is published at `site_path`; every card, by path.
  void publish_card(const std::string& site_path, const std::filesystem::path& card_file);
  std::vector<std::pair<std::string, std::filesystem::path>> cards();

  const ImageProcessor& processor() const { return processor_; }
  const std::filesystem::path& site_dir() const { return site_dir_; }

  // `t` of `file` (see images/image_transform.h), made once a build. Never null.
  std::shared_ptr<const TransformedImage> transform(const std::filesystem::path& file,
                                                    const ImageTransform& t);
  // Notes a file templates asked for (a variant or a transform), published
  // at `site_path` after the pages; every such file, by site path.
  void publish_extra(const std::string& site_path, const std::filesystem::path& file);
  std::vector<std::pair<std::string, std::filesystem::path>> extras();

 private:
  struct Entry {
    std::once_flag once;
    std::shared_ptr<const ProcessedImage> image;
    std::once_flag card_once;
    std::shared_ptr<const SocialCard> card;
  };
  Entry& entry(const std::filesystem::path& file);

  ImagesConfig config_;
  std::filesystem::path site_dir_;
  ImageProcessor processor_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
  std::map<std::string, std::filesystem::path> published_;
  std::map<std::string, std::filesystem::path> cards_;
  struct Transformed {
    std::once_flag once;
    std::shared_ptr<const TransformedImage> image;
  };
  std::unordered_map<std::string, std::unique_ptr<Transformed>> transforms_;
  std::map<std::string, std::filesystem::path> extras_;
};

// SITE/.byline/images.
std::filesystem::path image_cache_dir(const std::filesystem::path& site_dir);

// `asked` less AVIF when it asks for AVIF and this libvips cannot write it
// (`avif_writable`, see avif_available()), which is a warning at the setting.
ImagesConfig usable_images_config(const ImagesConfig& asked, bool avif_writable,
                                  DiagnosticSink* sink);

}  // namespace byline
