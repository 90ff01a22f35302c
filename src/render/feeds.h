// Machine-readable outputs: RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, and
// the sitemap (split into an index past the protocol's 50,000 URLs).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
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
// The same files one at a time, so that each can be rendered on its own
// thread: their names, then file `n` of them.
std::vector<std::string> sitemap_names(size_t entries, size_t per_file = 50000);
std::string render_sitemap(const Site& site, std::span<const SitemapEntry> entries, size_t n,
                           size_t per_file = 50000);

// <name>text</name> and a newline, the text escaped.
void append_xml_element(std::string& o, std::string_view name, std::string_view text);

// Rewrites href and src attributes to absolute URLs, as feed readers need:
// root-relative ones ("/images/x.jpg") against the site, page-relative ones
// ("chart.svg") against `page_path`, the page's site path.
std::string absolutize_links(std::string_view html, const SiteConfig& config,
                             std::string_view page_path = {});

// Percent-encodes the bytes a URL may not hold as they are (non-ASCII,
// spaces, quotes), as the sitemap protocol requires.
std::string percent_encode_url(std::string_view url);

}  // namespace byline
