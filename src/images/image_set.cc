// Once per file per build, whichever thread comes first.
#include "images/image_set.h"

#include <algorithm>

#include "base/thread_pool.h"

namespace byline {

namespace fs = std::filesystem;

fs::path image_cache_dir(const fs::path& site_dir) { return site_dir / ".byline" / "images"; }

ImagesConfig usable_images_config(const ImagesConfig& asked, bool avif_writable,
                                  DiagnosticSink* sink) {
  ImagesConfig config = asked;
  auto avif = std::find(config.formats.begin(), config.formats.end(), "avif");
  if (!config.process || avif == config.formats.end() || avif_writable) return config;
  config.formats.erase(avif);
  if (sink)
    sink->warning(asked.formats_location,
                  "[images] formats asks for AVIF, which this libvips cannot write (libheif has "
                  "no AV1 encoder: on Debian 13 install libheif-plugin-aomenc); images are made "
                  "without it");
  return config;
}

namespace {

ImagesConfig usable(const ImagesConfig& asked, DiagnosticSink* sink) {
  bool asks_avif =
      asked.process && std::count(asked.formats.begin(), asked.formats.end(), "avif") > 0;
  // libvips starts only when AVIF is asked for.
  return usable_images_config(asked, asks_avif && avif_available(), sink);
}

}  // namespace

ImageSet::ImageSet(const SiteConfig& config, const fs::path& site_dir, DiagnosticSink* sink)
    : config_(usable(config.images, sink)),
      site_dir_(site_dir),
      processor_(config_, image_cache_dir(site_dir)) {
  std::error_code ec;
  if (config_.process) {
    fs::create_directories(processor_.cache_dir(), ec);
    keep_vips_modules_out();
  }
}

ImageSet::Entry& ImageSet::entry(const fs::path& file) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Entry>& e = entries_[file.string()];
  if (!e) e = std::make_unique<Entry>();
  return *e;
}

std::shared_ptr<const ProcessedImage> ImageSet::get(const fs::path& file) {
  Entry& e = entry(file);
  std::call_once(e.once, [&] {
    if (config_.process) {
      e.image = std::make_shared<ProcessedImage>(processor_.process(file));
    } else {
      auto img = std::make_shared<ProcessedImage>();
      img->status = ProcessedImage::Status::kPassThrough;
      e.image = std::move(img);
    }
  });
  return e.image;
}

void ImageSet::process_all(const std::vector<fs::path>& files) {
  parallel_for(files.size(), [&](size_t i) { get(files[i]); });
}

void ImageSet::publish(const std::string& site_path, const fs::path& file) {
  std::lock_guard<std::mutex> lock(mu_);
  published_.emplace(site_path, file);
}

std::vector<ImageSet::Published> ImageSet::published() {
  std::vector<std::pair<std::string, fs::path>> list;
  {
    std::lock_guard<std::mutex> lock(mu_);
    list.assign(published_.begin(), published_.end());
  }
  std::vector<Published> out;
  for (auto& [site_path, file] : list) out.push_back({site_path, file, get(file)});
  return out;
}

std::shared_ptr<const ProcessedImage> ImageSet::find(const std::string& site_path) {
  fs::path file;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = published_.find(site_path);
    if (it == published_.end()) return nullptr;
    file = it->second;
  }
  return get(file);
}

std::shared_ptr<const SocialCard> ImageSet::card(const fs::path& file) {
  Entry& e = entry(file);
  std::call_once(e.card_once,
                 [&] { e.card = std::make_shared<SocialCard>(processor_.card(file)); });
  return e.card;
}

void ImageSet::publish_card(const std::string& site_path, const fs::path& card_file) {
  std::lock_guard<std::mutex> lock(mu_);
  cards_.emplace(site_path, card_file);
}

std::vector<std::pair<std::string, fs::path>> ImageSet::cards() {
  std::lock_guard<std::mutex> lock(mu_);
  return {cards_.begin(), cards_.end()};
}

std::shared_ptr<const TransformedImage> ImageSet::transform(const fs::path& file,
                                                            const ImageTransform& t) {
  std::string key = file.string() + '\n' + transform_path("/x", t, t.format);
  Transformed* slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::unique_ptr<Transformed>& e = transforms_[key];
    if (!e) e = std::make_unique<Transformed>();
    slot = e.get();
  }
  std::call_once(slot->once, [&] {
    std::shared_ptr<const ProcessedImage> source = get(file);
    slot->image = std::make_shared<TransformedImage>(
        transform_image(config_, processor_.cache_dir(), file, *source, t));
  });
  return slot->image;
}

void ImageSet::publish_extra(const std::string& site_path, const fs::path& file) {
  std::lock_guard<std::mutex> lock(mu_);
  extras_.emplace(site_path, file);
}

std::vector<std::pair<std::string, fs::path>> ImageSet::extras() {
  std::lock_guard<std::mutex> lock(mu_);
  return {extras_.begin(), extras_.end()};
}

}  // namespace byline
