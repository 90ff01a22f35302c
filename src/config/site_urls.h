// The site's address, parsed once: every link byline writes (pages,
// templates, feeds, the sitemap, appearance sentences) is joined here.
#pragma once

#include <string>
#include <string_view>

namespace byline {

class SiteUrls {
 public:
  SiteUrls() : SiteUrls("/") {}
  // `base_url` is "scheme://host[:port]/path/" or a path ("/blog/"); a
  // missing final slash is added.
  explicit SiteUrls(std::string_view base_url);

  // The base URL as configured, ending with '/'.
  const std::string& base_url() const { return base_url_; }
  // Its path ("/" or "/blog/"), which relative links start with.
  const std::string& base_path() const { return base_path_; }
  // Whether the site lives at the root of its host: a site path is then its
  // own relative link, and callers can hand it out without a copy.
  bool at_root() const { return base_path_.size() == 1; }

  // A site path ("/2019/08/x/") as the link pages carry ("/blog/2019/08/x/"),
  // or as an absolute URL for feeds and the sitemap. URLs that already name
  // a host or scheme pass through unchanged.
  std::string relative(std::string_view path) const { return join(base_path_, path); }
  std::string absolute(std::string_view path) const { return join(base_url_, path); }

  // "https://…", "http://…", "//host/…" or "mailto:…".
  static bool is_absolute(std::string_view url);

 private:
  static std::string join(std::string_view base, std::string_view path);

  std::string base_url_;
  std::string base_path_;
};

}  // namespace byline
