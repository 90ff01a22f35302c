// Appearances as feed items. The item's link is the appearance itself (the
// interview, the broadcast) when it has a URL, else its place on the
// timeline; the id is always the timeline anchor, which never changes.
#include "render/appearance_feeds.h"

#include <algorithm>

#include "base/strings.h"
#include "base/value.h"
#include "render/appearance_text.h"
#include "render/feeds.h"

namespace byline {

namespace {

struct Item {
  std::string title;  // plain text
  std::string link;
  std::string id;
  std::string html;
  const DateTime* date;
};

bool feed_items(const Site& site, const SentenceWriter& sentence, std::vector<Item>* out,
                Diagnostic* error) {
  const SiteConfig& c = *site.config;
  const std::string timeline = c.urls.absolute(c.appearances.url);
  size_t n = std::min(site.appearances.size(), static_cast<size_t>(c.feeds.limit));
  std::vector<Item>& items = *out;
  items.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Appearance& a = *site.appearances[i];
    const Term* outlet = site.find_outlet(a.outlet);
    Item it;
    it.title = std::string(appearance_verb(a.kind)) + " " + (outlet ? outlet->name : a.outlet);
    if (!a.topic.empty()) it.title += ": " + a.topic;
    it.id = timeline + "#" + a.id;
    if (!a.url.empty()) {
      it.link = a.url.front() == '/' ? c.urls.absolute(a.url) : a.url;
    } else if (a.page) {
      it.link = c.urls.absolute(a.page->permalink);
    } else {
      it.link = it.id;
    }
    std::string html;
    if (!sentence(a, &html, error)) return false;
    it.html = "<p>" + html + "</p>";
    if (a.page) {
      it.html += "<p>With the piece <a href=\"";
      append_html_escaped(it.html, c.urls.absolute(a.page->permalink));
      it.html += "\">";
      append_html_escaped(it.html, a.page->title);
      it.html += "</a>.</p>";
    }
    it.date = &a.date;
    items.push_back(std::move(it));
  }
  return true;
}

}  // namespace

bool render_appearance_feed(const Site& site, FeedFormat format, const std::string& self_path,
                            const SentenceWriter& sentence, std::string* out, Diagnostic* error) {
  const SiteConfig& c = *site.config;
  std::vector<Item> items;
  if (!feed_items(site, sentence, &items, error)) return false;
  const std::string title = c.appearances.title + " | " + c.title;
  const std::string list_url = c.urls.absolute(c.appearances.url);
  const std::string self_url = c.urls.absolute(self_path);
  const DateTime* newest = items.empty() ? nullptr : items.front().date;
  const std::string author = c.author.name.empty() ? c.title : c.author.name;
  std::string& o = *out;
  o.clear();
  if (format == FeedFormat::kRss) {
    o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n";
    append_xml_element(o, "title", title);
    append_xml_element(o, "link", list_url);
    append_xml_element(o, "description", title);
    append_xml_element(o, "language", c.language);
    append_xml_element(o, "generator", "byline");
    o += "<atom:link href=\"";
    append_xml_escaped(o, self_url);
    o += "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
    if (newest) append_xml_element(o, "lastBuildDate", to_rfc822(*newest));
    for (const Item& it : items) {
      o += "<item>\n";
      append_xml_element(o, "title", it.title);
      append_xml_element(o, "link", it.link);
      o += "<guid isPermaLink=\"false\">";
      append_xml_escaped(o, it.id);
      o += "</guid>\n";
      append_xml_element(o, "pubDate", to_rfc822(*it.date));
      append_xml_element(o, "description", it.html);
      o += "</item>\n";
    }
    o += "</channel>\n</rss>\n";
  } else if (format == FeedFormat::kAtom) {
    o += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
         "xml:lang=\"";
    append_xml_escaped(o, c.language);
    o += "\">\n";
    append_xml_element(o, "title", title);
    o += "<link href=\"";
    append_xml_escaped(o, list_url);
    o += "\" rel=\"alternate\" type=\"text/html\"/>\n<link href=\"";
    append_xml_escaped(o, self_url);
    o += "\" rel=\"self\" type=\"application/atom+xml\"/>\n";
    append_xml_element(o, "id", list_url);
    append_xml_element(o, "updated", newest ? to_rfc3339(*newest) : "1970-01-01T00:00:00Z");
    o += "<author><name>";
    append_xml_escaped(o, author);
    o += "</name></author>\n";
    append_xml_element(o, "generator", "byline");
    for (const Item& it : items) {
      o += "<entry>\n";
      append_xml_element(o, "title", it.title);
      o += "<link href=\"";
      append_xml_escaped(o, it.link);
      o += "\" rel=\"alternate\" type=\"text/html\"/>\n";
      append_xml_element(o, "id", it.id);
      append_xml_element(o, "published", to_rfc3339(*it.date));
      append_xml_element(o, "updated", to_rfc3339(*it.date));
      o += "<content type=\"html\">";
      append_xml_escaped(o, it.html);
      o += "</content>\n</entry>\n";
    }
    o += "</feed>\n";
  } else {
    auto field = [&o](std::string_view name, std::string_view value, bool comma = true) {
      append_json_string(o, name);
      o += ':';
      append_json_string(o, value);
      if (comma) o += ',';
    };
    o += '{';
    field("version", "https://jsonfeed.org/version/1.1");
    field("title", title);
    field("home_page_url", list_url);
    field("feed_url", self_url);
    field("language", c.language);
    o += "\"authors\":[{";
    field("name", author, false);
    o += "}],\"items\":[";
    for (size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      if (i) o += ',';
      o += '{';
      field("id", it.id);
      field("url", it.link);
      field("title", it.title);
      field("date_published", to_rfc3339(*it.date));
      field("content_html", it.html, false);
      o += '}';
    }
    o += "]}\n";
  }
  return true;
}

}  // namespace byline
