// The size plan and names of an image's variants.
#include "images/size_plan.h"

#include <cmath>
#include <cstdio>

#include "base/hash.h"

namespace byline {

namespace {

// Bumped whenever the bytes the processing writes change for the same
// source and settings, so that old cache entries are not reused.
constexpr uint64_t kProcessingVersion = 5;

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

Hasher settings_hash(uint64_t content_hash, uint64_t content_size, const ImagesConfig& config,
                     std::string_view library_version) {
  Hasher h;
  h.add(kProcessingVersion).add(library_version).add(content_hash).add(content_size);
  h.add(static_cast<uint64_t>(config.quality));
  h.add(static_cast<uint64_t>(config.max_pixels));
  h.add(static_cast<uint64_t>(config.keep_credit));
  return h;
}

}  // namespace

std::vector<int> plan_widths(int source_width, const std::vector<int>& widths) {
  std::vector<int> out;
  if (source_width <= 0) return out;
  for (int w : widths) {
    if (w < source_width && (out.empty() || out.back() < w)) out.push_back(w);
  }
  if (widths.empty() || source_width <= widths.back() || out.empty()) {
    out.push_back(source_width);
  }
  return out;
}

int scaled_height(int source_width, int source_height, int width) {
  if (source_width <= 0) return 0;
  double h = static_cast<double>(source_height) * width / source_width;
  int rounded = static_cast<int>(std::lround(h));
  return rounded < 1 ? 1 : rounded;
}

ImageFormat sniff_image_format(std::string_view head, std::string_view file_name) {
  auto starts = [&](std::string_view sig) { return head.substr(0, sig.size()) == sig; };
  if (starts("\xFF\xD8\xFF")) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return ImageFormat::kPng;
  if (starts("GIF87a") || starts("GIF89a")) return ImageFormat::kGif;
  if (head.size() >= 12 && starts("RIFF") && head.substr(8, 4) == "WEBP") return ImageFormat::kWebp;
  if (ends_with_ci(file_name, ".svg")) return ImageFormat::kSvg;
  return ImageFormat::kUnknown;
}

std::string_view format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kGif:
      return "gif";
    case ImageFormat::kSvg:
      return "svg";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

std::vector<std::string> variant_formats(ImageFormat source) {
  static const std::vector<std::string> kWebp = {"webp"};
  return variant_formats(source, kWebp);
}

std::vector<std::string> variant_formats(ImageFormat source,
                                         const std::vector<std::string>& modern) {
  if (source != ImageFormat::kJpeg && source != ImageFormat::kPng && source != ImageFormat::kWebp)
    return {};
  std::string own(format_name(source));
  std::vector<std::string> out;
  for (const std::string& f : modern)
    if (f != own) out.push_back(f);
  out.push_back(std::move(own));
  return out;
}

std::string_view variant_extension(std::string_view format) {
  return format == "jpeg" ? "jpg" : format;
}

namespace {

// `url` without its query or fragment, split into folder (with its '/')
// and the file name's stem.
std::pair<std::string_view, std::string_view> folder_and_stem(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  size_t slash = url.rfind('/');
  std::string_view folder = slash == std::string_view::npos ? "" : url.substr(0, slash + 1);
  std::string_view name = slash == std::string_view::npos ? url : url.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return {folder, name};
}

}  // namespace

std::string variant_path(std::string_view url, int width, std::string_view format) {
  auto [folder, stem] = folder_and_stem(url);
  std::string out(folder);
  out.append(stem);
  out += '-' + std::to_string(width) + "w.";
  out.append(variant_extension(format));
  return out;
}

std::string card_path(std::string_view url) {
  auto [folder, stem] = folder_and_stem(url);
  std::string out(folder);
  out.append(stem);
  out += "-card-1200x630.jpg";
  return out;
}

std::string image_cache_key(uint64_t content_hash, uint64_t content_size,
                            const ImagesConfig& config, std::string_view library_version) {
  Hasher h = settings_hash(content_hash, content_size, config, library_version);
  h.add("variants");
  for (int w : config.widths) h.add(static_cast<uint64_t>(w));
  // Only a list other than the default is hashed: the default's entries
  // keep their keys.
  if (config.formats != std::vector<std::string>{"webp"}) {
    h.add("formats");
    for (const std::string& f : config.formats) h.add(f);
  }
  return hex16(h.digest());
}

std::string text_card_cache_key(std::string_view title, std::string_view outlet,
                                std::string_view site_name, const ImagesConfig& config,
                                std::string_view library_version) {
  Hasher h = settings_hash(0, 0, config, library_version);
  h.add("text card 1200x630 1").add(title).add(outlet).add(site_name);
  return hex16(h.digest());
}

std::string card_cache_key(uint64_t content_hash, uint64_t content_size, const ImagesConfig& config,
                           std::string_view library_version) {
  Hasher h = settings_hash(content_hash, content_size, config, library_version);
  h.add("card 1200x630 attention");
  return hex16(h.digest());
}

}  // namespace byline
