// Machine-readable outputs: RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, and
// the sitemap (split into an index past the protocol's 50,000 URLs).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "site/site.h"

namespace byline {

// What every feed format needs to know about one list.
struct FeedSpec {
  std::string title;
  std::string list_path;               // the list page, site-relative: "/tag/russia/"
  std::string self_path;               // the feed itself: "/tag/russia/rss.xml"
  std::span<const Page* const> pages;  // newest first; the first feeds.limit are used
};

std::string render_rss(const Site& site, const FeedSpec& feed);
std::string render_atom(const Site& site, const FeedSpec& feed);
std::string render_json_feed(const Site& site, const FeedSpec& feed);

struct SitemapEntry {
  std::string path;  // site-relative
  const DateTime* lastmod = nullptr;
};
// The sitemap files: one "sitemap.xml" when the entries fit in
// `per_file` URLs, else "sitemap.xml" as an index of "sitemap-N.xml".
std::vector<std::pair<std::string, std::string>> render_sitemaps(
    const Site& site, std::span<const SitemapEntry> entries, size_t per_file = 50000);

void append_xml_escaped(std::string& out, std::string_view text);

// Rewrites root-relative href and src attributes ("/images/x.jpg") to
// absolute URLs, as feed readers need.
std::string absolutize_links(std::string_view html, const SiteConfig& config);

}  // namespace byline
