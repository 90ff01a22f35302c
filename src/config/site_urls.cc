// Joining site paths onto the base URL.
#include "config/site_urls.h"

namespace byline {

SiteUrls::SiteUrls(std::string_view base_url) : base_url_(base_url) {
  if (base_url_.empty() || base_url_.back() != '/') base_url_ += '/';
  size_t scheme = base_url_.find("://");
  size_t start = scheme == std::string::npos ? 0 : base_url_.find('/', scheme + 3);
  base_path_ = start == std::string::npos ? "/" : base_url_.substr(start);
}

bool SiteUrls::is_absolute(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") ||
         url.starts_with("mailto:");
}

std::string SiteUrls::join(std::string_view base, std::string_view path) {
  if (is_absolute(path)) return std::string(path);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  // base always ends with '/': one allocation, no check.
  std::string out;
  out.reserve(base.size() + path.size());
  out.append(base).append(path);
  return out;
}

}  // namespace byline
