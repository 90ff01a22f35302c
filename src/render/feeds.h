// Machine-readable outputs: RSS 2.0 feeds and the sitemap.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "site/site.h"

namespace byline {

// An RSS 2.0 feed of `pages` (already newest first; the first feed_limit
// are used). `link_path` is the list's page, `self_path` the feed itself.
std::string render_rss(const Site& site, std::string_view title, std::string_view link_path,
                       std::string_view self_path, std::span<const Page* const> pages);

// sitemap.xml listing `paths` (site-relative) with their lastmod dates.
struct SitemapEntry {
  std::string path;
  const DateTime* lastmod = nullptr;
};
std::string render_sitemap(const Site& site, std::span<const SitemapEntry> entries);

void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace byline
