// Feed and sitemap XML, written directly: the formats are small and fixed.
#include "render/feeds.h"

#include <algorithm>

#include "render/urls.h"

namespace byline {

void append_xml_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
}

namespace {

void element(std::string& o, std::string_view name, std::string_view text) {
  o += '<';
  o += name;
  o += '>';
  append_xml_escaped(o, text);
  o += "</";
  o += name;
  o += ">\n";
}

}  // namespace

std::string render_rss(const Site& site, std::string_view title, std::string_view link_path,
                       std::string_view self_path, std::span<const Page* const> pages) {
  const SiteConfig& c = *site.config;
  size_t n = std::min(pages.size(), static_cast<size_t>(c.feed_limit));
  std::string o;
  o.reserve(1024 + n * 4096);
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
       "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
       "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n";
  element(o, "title", title);
  element(o, "link", absolute_url(c, link_path));
  element(o, "description", c.description.empty() ? std::string(title) : c.description);
  element(o, "language", c.language);
  o += "<atom:link href=\"";
  append_xml_escaped(o, absolute_url(c, self_path));
  o += "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
  if (n > 0 && pages[0]->date) element(o, "lastBuildDate", to_rfc822(*pages[0]->date));
  for (size_t i = 0; i < n; ++i) {
    const Page& p = *pages[i];
    std::string url = absolute_url(c, p.permalink);
    o += "<item>\n";
    element(o, "title", p.title);
    element(o, "link", url);
    o += "<guid isPermaLink=\"true\">";
    append_xml_escaped(o, url);
    o += "</guid>\n";
    if (p.date) element(o, "pubDate", to_rfc822(*p.date));
    element(o, "description", p.summary_html);
    element(o, "content:encoded", p.content_html);
    o += "</item>\n";
  }
  o += "</channel>\n</rss>\n";
  return o;
}

std::string render_sitemap(const Site& site, std::span<const SitemapEntry> entries) {
  std::string o;
  o.reserve(256 + entries.size() * 120);
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const SitemapEntry& e : entries) {
    o += "<url><loc>";
    append_xml_escaped(o, absolute_url(*site.config, e.path));
    o += "</loc>";
    if (e.lastmod) {
      o += "<lastmod>";
      o += to_rfc3339(*e.lastmod);
      o += "</lastmod>";
    }
    o += "</url>\n";
  }
  o += "</urlset>\n";
  return o;
}

}  // namespace byline
