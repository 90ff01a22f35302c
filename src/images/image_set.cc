// Once per file per build, whichever thread comes first.
#include "images/image_set.h"

#include "base/thread_pool.h"

namespace byline {

namespace fs = std::filesystem;

fs::path image_cache_dir(const fs::path& site_dir) { return site_dir / ".byline" / "images"; }

ImageSet::ImageSet(const SiteConfig& config, const fs::path& site_dir)
    : config_(config.images), processor_(config.images, image_cache_dir(site_dir)) {
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

}  // namespace byline
