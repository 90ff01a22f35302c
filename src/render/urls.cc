// URL joining for pages, feeds and the sitemap.
#include "render/urls.h"

namespace byline {

namespace {

std::string join(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (out.empty() || out.back() != '/') out += '/';
  out += path;
  return out;
}

bool is_absolute(std::string_view path) {
  return path.starts_with("http://") || path.starts_with("https://") || path.starts_with("//") ||
         path.starts_with("mailto:");
}

}  // namespace

std::string relative_url(const SiteConfig& config, std::string_view path) {
  if (is_absolute(path)) return std::string(path);
  return join(config.base_path(), path);
}

std::string absolute_url(const SiteConfig& config, std::string_view path) {
  if (is_absolute(path)) return std::string(path);
  if (config.base_url.starts_with("/")) return join(config.base_url, path);
  return join(config.base_url, path);
}

}  // namespace byline
