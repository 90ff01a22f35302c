// The stop-gap layout: plain string building, valid HTML5.
#include "render/stopgap_layout.h"

#include "base/strings.h"
#include "render/urls.h"

namespace byline {

namespace {

void open_document(std::string& o, const Site& site, std::string_view title,
                   std::string_view feed_base = {}) {
  const SiteConfig& c = *site.config;
  o += "<!doctype html>\n<html lang=\"";
  append_html_escaped(o, c.language);
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_html_escaped(o, title);
  if (title != c.title) {
    o += " | ";
    append_html_escaped(o, c.title);
  }
  o += "</title>\n";
  if (!feed_base.empty()) {
    const std::pair<const std::string*, const char*> feeds[] = {
        {&c.feeds.rss, "application/rss+xml"},
        {&c.feeds.atom, "application/atom+xml"},
        {&c.feeds.json, "application/feed+json"}};
    for (const auto& [name, type] : feeds) {
      if (name->empty()) continue;
      o += "<link rel=\"alternate\" type=\"";
      o += type;
      o += "\" href=\"";
      append_html_escaped(o, absolute_url(c, std::string(feed_base) + *name));
      o += "\">\n";
    }
  }
  o += "</head>\n<body>\n<header><a href=\"";
  append_html_escaped(o, relative_url(c, "/"));
  o += "\">";
  append_html_escaped(o, c.title);
  o += "</a></header>\n<main>\n";
}

void close_document(std::string& o, const Site& site) {
  o += "</main>\n<footer>";
  if (!site.config->author.name.empty()) {
    o += "&copy; ";
    append_html_escaped(o, site.config->author.name);
  }
  o += "</footer>\n</body>\n</html>\n";
}

void append_link(std::string& o, const Site& site, std::string_view path, std::string_view text,
                 std::string_view rel = {}) {
  o += "<a";
  if (!rel.empty()) {
    o += " rel=\"";
    o += rel;
    o += '"';
  }
  o += " href=\"";
  append_html_escaped(o, relative_url(*site.config, path));
  o += "\">";
  append_html_escaped(o, text);
  o += "</a>";
}

void append_date(std::string& o, const Page& p) {
  if (!p.date) return;
  o += "<time datetime=\"";
  o += to_rfc3339(*p.date);
  o += "\">";
  o += format_datetime(*p.date, "%-d %B %Y");
  o += "</time>";
}

}  // namespace

std::string layout_page(const Site& site, const Page& page) {
  std::string o;
  o.reserve(page.content_html.size() + 2048);
  open_document(o, site, page.title);
  o += "<article>\n<h1>";
  append_html_escaped(o, page.title);
  o += "</h1>\n";
  if (page.kind == PageKind::kPost) {
    o += "<p class=\"meta\">";
    append_date(o, page);
    if (const Value* outlet = page.params.find("outlet"); outlet && outlet->is_string()) {
      o += " &middot; first published in ";
      append_html_escaped(o, outlet->as_string());
    }
    o += "</p>\n";
  }
  o += page.content_html;
  for (size_t t = 0; t < site.taxonomies.size() && t < page.terms.size(); ++t) {
    if (page.terms[t].empty()) continue;
    o += "<p class=\"terms\">";
    bool first = true;
    for (const TermRef& ref : page.terms[t]) {
      if (!first) o += ", ";
      first = false;
      std::string url = site.taxonomies[t].config->url_pattern;
      replace_all(url, ":slug", ref.slug);
      append_link(o, site, url, ref.name);
    }
    o += "</p>\n";
  }
  size_t idx = site.index_of(&page);
  if (const Page* prev = site.prev_in_section[idx])
    append_link(o, site, prev->permalink, prev->title, "prev");
  if (const Page* next = site.next_in_section[idx]) {
    o += '\n';
    append_link(o, site, next->permalink, next->title, "next");
  }
  o += "\n</article>\n";
  close_document(o, site);
  return o;
}

std::string layout_list(const Site& site, std::string_view heading, const Paginator& pager,
                        const Page* intro, bool has_feeds) {
  std::string o;
  o.reserve(4096 + pager.items().size() * 512);
  open_document(o, site, heading, has_feeds ? std::string_view(pager.base()) : "");
  o += "<h1>";
  append_html_escaped(o, heading);
  o += "</h1>\n";
  if (intro && pager.number() == 1) o += intro->content_html;
  for (const Page* p : pager.items()) {
    o += "<article>\n<h2>";
    append_link(o, site, p->permalink, p->title);
    o += "</h2>\n";
    append_date(o, *p);
    o += "\n<p>";
    o += p->summary_html;
    o += "</p>\n</article>\n";
  }
  o += "<nav>";
  if (pager.has_prev())
    append_link(o, site, pager.url_of(pager.number() - 1), "Newer Entries", "prev");
  if (pager.has_next()) {
    o += '\n';
    append_link(o, site, pager.url_of(pager.number() + 1), "Older Entries", "next");
  }
  o += "</nav>\n";
  close_document(o, site);
  return o;
}

std::string layout_term_list(const Site& site, const Taxonomy& taxonomy) {
  std::string o;
  std::string title = taxonomy.config->name;
  if (!title.empty())
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  open_document(o, site, title);
  o += "<h1>";
  append_html_escaped(o, title);
  o += "</h1>\n<ul>\n";
  for (const Term& t : taxonomy.terms) {
    o += "<li>";
    append_link(o, site, t.permalink, t.name);
    o += " (" + std::to_string(t.pages.size()) + ")</li>\n";
  }
  o += "</ul>\n";
  close_document(o, site);
  return o;
}

std::string layout_redirect(const Site& site, std::string_view target_path) {
  std::string target = absolute_url(*site.config, target_path);
  std::string o = "<!doctype html>\n<html lang=\"";
  append_html_escaped(o, site.config->language);
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting&hellip;</title>\n"
       "<link rel=\"canonical\" href=\"";
  append_html_escaped(o, target);
  o += "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" "
       "content=\"0; url=";
  append_html_escaped(o, target);
  o += "\">\n</head>\n<body>\n<p>This page has moved to <a href=\"";
  append_html_escaped(o, target);
  o += "\">";
  append_html_escaped(o, target);
  o += "</a>.</p>\n</body>\n</html>\n";
  return o;
}

std::string layout_not_found(const Site& site) {
  std::string o;
  open_document(o, site, "Page not found");
  o += "<h1>Page not found</h1>\n<p>Nothing lives at this address. Try the ";
  append_link(o, site, "/", "home page");
  o += ".</p>\n";
  close_document(o, site);
  return o;
}

}  // namespace byline
