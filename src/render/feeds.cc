// Feed and sitemap documents, written directly: the formats are small and
// fixed, and this is on the build's hot path (a feed per term).
#include "render/feeds.h"

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "base/value.h"

namespace byline {

namespace {

// Calls emit(piece) for consecutive pieces of `html` with its href and src
// attributes made absolute (see absolutize_links); the pieces concatenated
// are the rewritten document, so escapers can work on them as they come
// without a temporary copy of the whole text.
template <typename Emit>
void absolutize_pieces(std::string_view html, std::string_view site_base,
                       std::string_view page_base, bool has_page, Emit&& emit) {
  size_t pos = 0;
  while (pos < html.size()) {
    // The next href=" or src=" at or after pos. Looking for '=' first, which
    // prose hardly has, beats looking for 'h' and 's', which it is full of.
    size_t hit = std::string_view::npos, value = 0;
    for (size_t eq = html.find('=', pos); eq != std::string_view::npos;
         eq = html.find('=', eq + 1)) {
      if (eq + 1 >= html.size() || html[eq + 1] != '"') continue;
      if (eq >= pos + 4 && html.compare(eq - 4, 4, "href") == 0)
        hit = eq - 4;
      else if (eq >= pos + 3 && html.compare(eq - 3, 3, "src") == 0)
        hit = eq - 3;
      if (hit != std::string_view::npos) {
        value = eq + 2;  // first character of the URL
        break;
      }
    }
    if (hit == std::string_view::npos) break;
    emit(html.substr(pos, value - pos));
    pos = value;
    bool attribute_start = hit > 0 && (html[hit - 1] == ' ' || html[hit - 1] == '\n');
    if (!attribute_start || value >= html.size()) continue;
    size_t end = html.find('"', value);
    std::string_view url = html.substr(value, end == std::string_view::npos ? 0 : end - value);
    if (url.starts_with("//") || url.empty() || url.front() == '#') continue;
    if (url.front() == '/') {
      emit(site_base);
      pos = value + 1;
      continue;
    }
    // A scheme ("https:", "mailto:") before any '/', '?' or '#' means the URL
    // is already absolute; anything else is relative to the page.
    size_t colon = url.find(':');
    size_t stop = url.find_first_of("/?#");
    if (colon != std::string_view::npos && (stop == std::string_view::npos || colon < stop))
      continue;
    if (has_page) emit(page_base);
  }
  emit(html.substr(pos));
}

}  // namespace

std::string absolutize_links(std::string_view html, const SiteConfig& config,
                             std::string_view page_path) {
  const std::string site_base = config.urls.absolute("/");
  const std::string page_base = config.urls.absolute(page_path);
  std::string out;
  out.reserve(html.size() + 256);
  absolutize_pieces(html, site_base, page_base, !page_path.empty(),
                    [&out](std::string_view piece) { out.append(piece); });
  return out;
}

std::string percent_encode_url(std::string_view url) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (char c : url) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u <= 0x20 || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' ||
        c == '}' || c == '|' || c == '\\' || c == '^') {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

void append_xml_element(std::string& o, std::string_view name, std::string_view text) {
  o += '<';
  o += name;
  o += '>';
  append_xml_escaped(o, text);
  o += "</";
  o += name;
  o += ">\n";
}

namespace {

// A page's HTML with its links made absolute, escaped into `o` as it is
// rewritten: no temporary copy of the body per feed it appears in.
struct LinkBase {
  std::string site_base;
  explicit LinkBase(const SiteConfig& c) : site_base(c.urls.absolute("/")) {}
};

void append_absolutized_xml(std::string& o, std::string_view html, const SiteConfig& c,
                            const LinkBase& base, const std::string& page_path) {
  const std::string page_base = c.urls.absolute(page_path);
  absolutize_pieces(html, base.site_base, page_base, !page_path.empty(),
                    [&o](std::string_view piece) { append_xml_escaped(o, piece); });
}

// An RSS element holding HTML, in a CDATA section as WordPress writes it:
// the markup goes in as it is instead of an entity for every < > and ".
void absolutized_cdata_element(std::string& o, std::string_view name, std::string_view html,
                               const SiteConfig& c, const LinkBase& base,
                               const std::string& page_path) {
  o += '<';
  o += name;
  o += '>';
  const std::string page_base = c.urls.absolute(page_path);
  CdataWriter w(o);
  absolutize_pieces(html, base.site_base, page_base, !page_path.empty(),
                    [&w](std::string_view piece) { w.append(piece); });
  w.close();
  o += "</";
  o += name;
  o += ">\n";
}

// Room for a feed's items: their bodies, escaped, plus the fields around.
size_t feed_size_estimate(const FeedSpec& f, size_t n) {
  size_t bytes = 1024;
  for (size_t i = 0; i < n; ++i)
    bytes += 1024 + (f.pages[i]->content_html.size() + f.pages[i]->summary_html.size()) * 9 / 8;
  return bytes;
}

// How many items the feed shows; their bodies are rendered if they were
// restored from the last build without (Site::ensure_body).
size_t item_count(const Site& site, const FeedSpec& f) {
  size_t n = std::min(f.pages.size(), static_cast<size_t>(site.config->feeds.limit));
  for (size_t i = 0; i < n; ++i) site.ensure_body(*f.pages[i]);
  return n;
}

const DateTime* updated_of(const Page& p) {
  if (p.lastmod) return &*p.lastmod;
  return p.date ? &*p.date : nullptr;
}

// The newest change among the feed's items, for the feed's own date.
const DateTime* newest(const Site& site, const FeedSpec& f) {
  const DateTime* best = nullptr;
  for (size_t i = 0, n = item_count(site, f); i < n; ++i) {
    const DateTime* d = updated_of(*f.pages[i]);
    if (d && (!best || *best < *d)) best = d;
  }
  return best;
}

// A post's body as feeds carry it: with its correction notice, so readers
// who only follow the feed see the correction too. `scratch` holds the
// joined text when there is one.
std::string_view feed_body(const Page& p, std::string* scratch) {
  if (p.correction_html.empty()) return p.content_html;
  *scratch = p.content_html;
  *scratch += "<p class=\"correction\"><strong>Correction";
  if (p.correction_date) {
    *scratch += ", ";
    *scratch += format_datetime(*p.correction_date, "%-d %B %Y");
  }
  *scratch += ":</strong> ";
  *scratch += p.correction_html;
  *scratch += "</p>\n";
  return *scratch;
}

// A podcast episode's file, from front matter `enclosure: {url, length,
// type}` (the WordPress importer writes it from the `enclosure` meta). A
// relative URL is made absolute; RSS requires a length and a type, so an
// unknown length is 0 and an unknown type application/octet-stream.
struct Enclosure {
  std::string url, length, type;
};

std::optional<Enclosure> enclosure_of(const Page& p, const SiteConfig& c) {
  const Value* e = p.params.find("enclosure");
  if (!e || !e->is_map()) return std::nullopt;
  const Value* url = e->find("url");
  if (!url || !url->is_string() || url->as_string().empty()) return std::nullopt;
  Enclosure out;
  out.url = url->as_string();
  if (out.url.starts_with('/') && !out.url.starts_with("//")) out.url = c.urls.absolute(out.url);
  out.url = percent_encode_url(out.url);
  out.length = "0";
  if (const Value* l = e->find("length")) {
    if (l->is_int() && l->as_int() >= 0) {
      out.length = std::to_string(l->as_int());
    } else if (l->is_string() && !l->as_string().empty() && l->as_string().size() <= 18 &&
               l->as_string().find_first_not_of("0123456789") == std::string::npos) {
      out.length = l->as_string();
    }
  }
  const Value* type = e->find("type");
  out.type = type && type->is_string() && !type->as_string().empty() ? type->as_string()
                                                                     : "application/octet-stream";
  return out;
}

std::string author_name(const Site& site) {
  return site.config->author.name.empty() ? site.config->title : site.config->author.name;
}

}  // namespace

std::string render_rss(const Site& site, const FeedSpec& f) {
  const SiteConfig& c = *site.config;
  size_t n = item_count(site, f);
  const LinkBase base(c);
  std::string o;
  o.reserve(feed_size_estimate(f, n));
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
       "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
       "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n";
  append_xml_element(o, "title", f.title);
  append_xml_element(o, "link", c.urls.absolute(f.list_path));
  append_xml_element(o, "description", c.description.empty() ? f.title : c.description);
  append_xml_element(o, "language", c.language);
  append_xml_element(o, "generator", "byline");
  o += "<atom:link href=\"";
  append_xml_escaped(o, c.urls.absolute(f.self_path));
  o += "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
  if (const DateTime* d = newest(site, f)) append_xml_element(o, "lastBuildDate", to_rfc822(*d));
  for (size_t i = 0; i < n; ++i) {
    const Page& p = *f.pages[i];
    std::string url = c.urls.absolute(p.permalink);
    o += "<item>\n";
    append_xml_element(o, "title", p.title);
    append_xml_element(o, "link", url);
    o += "<guid isPermaLink=\"true\">";
    append_xml_escaped(o, url);
    o += "</guid>\n";
    if (p.date) append_xml_element(o, "pubDate", to_rfc822(*p.date));
    for (size_t t = 0; t < p.terms.size() && t < site.taxonomies.size(); ++t) {
      if (site.taxonomies[t].config->name != "categories" &&
          site.taxonomies[t].config->name != "tags")
        continue;
      for (const TermRef& term : p.terms[t]) append_xml_element(o, "category", term.name);
    }
    std::string scratch;
    absolutized_cdata_element(o, "description", p.summary_html, c, base, p.permalink);
    absolutized_cdata_element(o, "content:encoded", feed_body(p, &scratch), c, base, p.permalink);
    if (auto e = enclosure_of(p, c)) {
      o += "<enclosure url=\"";
      append_xml_escaped(o, e->url);
      o += "\" length=\"" + e->length + "\" type=\"";
      append_xml_escaped(o, e->type);
      o += "\"/>\n";
    }
    o += "</item>\n";
  }
  o += "</channel>\n</rss>\n";
  return o;
}

std::string render_atom(const Site& site, const FeedSpec& f) {
  const SiteConfig& c = *site.config;
  size_t n = item_count(site, f);
  const LinkBase base(c);
  std::string o;
  o.reserve(feed_size_estimate(f, n));
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
       "xml:lang=\"";
  append_xml_escaped(o, c.language);
  o += "\">\n";
  append_xml_element(o, "title", f.title);
  std::string list_url = c.urls.absolute(f.list_path);
  o += "<link href=\"";
  append_xml_escaped(o, list_url);
  o += "\" rel=\"alternate\" type=\"text/html\"/>\n<link href=\"";
  append_xml_escaped(o, c.urls.absolute(f.self_path));
  o += "\" rel=\"self\" type=\"application/atom+xml\"/>\n";
  append_xml_element(o, "id", list_url);
  const DateTime* updated = newest(site, f);
  append_xml_element(o, "updated", updated ? to_rfc3339(*updated) : "1970-01-01T00:00:00Z");
  o += "<author><name>";
  append_xml_escaped(o, author_name(site));
  o += "</name></author>\n";
  append_xml_element(o, "generator", "byline");
  for (size_t i = 0; i < n; ++i) {
    const Page& p = *f.pages[i];
    std::string url = c.urls.absolute(p.permalink);
    o += "<entry>\n";
    append_xml_element(o, "title", p.title);
    o += "<link href=\"";
    append_xml_escaped(o, url);
    o += "\" rel=\"alternate\" type=\"text/html\"/>\n";
    if (auto e = enclosure_of(p, c)) {
      o += "<link rel=\"enclosure\" href=\"";
      append_xml_escaped(o, e->url);
      o += "\" type=\"";
      append_xml_escaped(o, e->type);
      o += "\" length=\"" + e->length + "\"/>\n";
    }
    append_xml_element(o, "id", url);
    if (p.date) append_xml_element(o, "published", to_rfc3339(*p.date));
    const DateTime* u = updated_of(p);
    append_xml_element(o, "updated", u ? to_rfc3339(*u) : (updated ? to_rfc3339(*updated) : ""));
    o += "<summary type=\"html\">";
    append_absolutized_xml(o, p.summary_html, c, base, p.permalink);
    o += "</summary>\n<content type=\"html\">";
    std::string scratch;
    append_absolutized_xml(o, feed_body(p, &scratch), c, base, p.permalink);
    o += "</content>\n</entry>\n";
  }
  o += "</feed>\n";
  return o;
}

std::string render_json_feed(const Site& site, const FeedSpec& f) {
  const SiteConfig& c = *site.config;
  size_t n = item_count(site, f);
  const LinkBase base(c);
  std::string o;
  o.reserve(feed_size_estimate(f, n));
  auto field = [&o](std::string_view name, std::string_view value, bool comma = true) {
    o += '"';
    append_json_escaped(o, name);
    o += "\":\"";
    append_json_escaped(o, value);
    o += '"';
    if (comma) o += ',';
  };
  o += '{';
  field("version", "https://jsonfeed.org/version/1.1");
  field("title", f.title);
  field("home_page_url", c.urls.absolute(f.list_path));
  field("feed_url", c.urls.absolute(f.self_path));
  if (!c.description.empty()) field("description", c.description);
  field("language", c.language);
  o += "\"authors\":[{";
  field("name", author_name(site), false);
  o += "}],\"items\":[";
  for (size_t i = 0; i < n; ++i) {
    const Page& p = *f.pages[i];
    std::string url = c.urls.absolute(p.permalink);
    if (i) o += ',';
    o += '{';
    field("id", url);
    field("url", url);
    field("title", p.title);
    field("summary", p.summary_html);
    if (p.date) field("date_published", to_rfc3339(*p.date));
    if (p.lastmod) field("date_modified", to_rfc3339(*p.lastmod));
    std::vector<std::string_view> tags;
    for (size_t t = 0; t < p.terms.size() && t < site.taxonomies.size(); ++t) {
      if (site.taxonomies[t].config->name != "tags") continue;
      for (const TermRef& term : p.terms[t]) tags.push_back(term.name);
    }
    if (!tags.empty()) {
      o += "\"tags\":[";
      for (size_t k = 0; k < tags.size(); ++k) {
        if (k) o += ',';
        o += '"';
        append_json_escaped(o, tags[k]);
        o += '"';
      }
      o += "],";
    }
    if (auto e = enclosure_of(p, c)) {
      o += "\"attachments\":[{";
      field("url", e->url);
      field("mime_type", e->type, false);
      if (e->length != "0") o += ",\"size_in_bytes\":" + e->length;
      o += "}],";
    }
    std::string scratch;
    o += "\"content_html\":\"";
    const std::string page_base = c.urls.absolute(p.permalink);
    absolutize_pieces(feed_body(p, &scratch), base.site_base, page_base, !p.permalink.empty(),
                      [&o](std::string_view piece) { append_json_escaped(o, piece); });
    o += '"';
    o += '}';
  }
  o += "]}\n";
  return o;
}

std::vector<std::string> sitemap_names(size_t entries, size_t per_file) {
  std::vector<std::string> names = {"sitemap.xml"};
  if (entries > per_file)
    for (size_t start = 0, n = 1; start < entries; start += per_file, ++n)
      names.push_back("sitemap-" + std::to_string(n) + ".xml");
  return names;
}

std::string render_sitemap(const Site& site, std::span<const SitemapEntry> entries, size_t n,
                           size_t per_file) {
  std::string o;
  if (n == 0 && entries.size() > per_file) {  // the index of the parts
    o = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    std::vector<std::string> names = sitemap_names(entries.size(), per_file);
    for (size_t i = 1; i < names.size(); ++i) {
      o += "<sitemap><loc>";
      append_xml_escaped(o, percent_encode_url(site.config->urls.absolute("/" + names[i])));
      o += "</loc></sitemap>\n";
    }
    o += "</sitemapindex>\n";
    return o;
  }
  std::span<const SitemapEntry> part = entries;
  if (n > 0) {
    size_t start = (n - 1) * per_file;
    part = entries.subspan(start, std::min(per_file, entries.size() - start));
  }
  o.reserve(256 + part.size() * 120);
  o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
       "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const SitemapEntry& e : part) {
    o += "<url><loc>";
    append_xml_escaped(o, percent_encode_url(site.config->urls.absolute(e.path)));
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

std::vector<std::pair<std::string, std::string>> render_sitemaps(
    const Site& site, std::span<const SitemapEntry> entries, size_t per_file) {
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> names = sitemap_names(entries.size(), per_file);
  for (size_t n = 0; n < names.size(); ++n)
    files.emplace_back(std::move(names[n]), render_sitemap(site, entries, n, per_file));
  return files;
}

}  // namespace byline
