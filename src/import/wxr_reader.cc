// WXR parsing with pugixml. WordPress data lives in four namespaces; which
// one an element belongs to is decided by the URI its prefix is bound to at
// that point in the document, as an XML processor would.
#include "import/wxr_reader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <pugixml.hpp>

#include "base/strings.h"

namespace byline {

namespace {

enum class Ns { kNone, kWp, kExcerpt, kContent, kDc, kOther };

// "http(s)://wordpress.org/export/1.N/" plus an optional suffix.
bool is_wp_export_uri(std::string_view uri, std::string_view suffix) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!starts_with(uri, scheme)) continue;
    std::string_view rest = uri.substr(scheme.size());
    if (!starts_with(rest, "wordpress.org/export/1.")) return false;
    rest.remove_prefix(std::strlen("wordpress.org/export/1."));
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0 || digits >= rest.size() || rest[digits] != '/') return false;
    return rest.substr(digits + 1) == suffix;
  }
  return false;
}

Ns classify_uri(std::string_view uri) {
  if (uri.empty()) return Ns::kNone;
  if (is_wp_export_uri(uri, "")) return Ns::kWp;
  if (is_wp_export_uri(uri, "excerpt/")) return Ns::kExcerpt;
  if (uri == "http://purl.org/rss/1.0/modules/content/") return Ns::kContent;
  if (uri == "http://purl.org/dc/elements/1.1/") return Ns::kDc;
  return Ns::kOther;
}

Ns classify_prefix_name(std::string_view prefix) {
  if (prefix.empty()) return Ns::kNone;
  if (prefix == "wp") return Ns::kWp;
  if (prefix == "excerpt") return Ns::kExcerpt;
  if (prefix == "content") return Ns::kContent;
  if (prefix == "dc") return Ns::kDc;
  return Ns::kOther;
}

struct QName {
  Ns ns;
  std::string_view local;
};

QName resolve(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  std::string_view prefix = colon == std::string_view::npos ? "" : name.substr(0, colon);
  std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    pugi::xml_attribute a = n.attribute(attr.c_str());
    if (a) return {classify_uri(a.value()), local};
  }
  // Undeclared prefix: exports cut by hand often lose the declarations, so
  // the conventional prefix names are trusted.
  return {classify_prefix_name(prefix), local};
}

bool is(pugi::xml_node node, Ns ns, std::string_view local) {
  if (node.type() != pugi::node_element) return false;
  QName q = resolve(node);
  return q.ns == ns && q.local == local;
}

// All character data of an element: WordPress splits CDATA sections to carry
// "]]>", so every text and CDATA child is joined.
std::string text_of(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string trimmed_text(pugi::xml_node node) { return std::string(trim(text_of(node))); }

int64_t to_int(std::string_view s) {
  s = trim(s);
  std::string copy(s);
  return std::strtoll(copy.c_str(), nullptr, 10);
}

// Items come in document order, so their lines are counted incrementally
// instead of rescanning the file from the top for each one.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  int line_at(ptrdiff_t offset) {
    if (offset < 0) return 0;
    size_t target = std::min(static_cast<size_t>(offset), text_.size());
    if (target < pos_) {
      pos_ = 0;
      line_ = 1;
    }
    for (; pos_ < target; ++pos_) {
      if (text_[pos_] == '\n') ++line_;
    }
    return line_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

void read_author(pugi::xml_node node, WxrChannel* out) {
  WxrAuthor a;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    QName q = resolve(c);
    if (c.type() != pugi::node_element || q.ns != Ns::kWp) continue;
    if (q.local == "author_login") a.login = trimmed_text(c);
    if (q.local == "author_display_name") a.display_name = trimmed_text(c);
    if (q.local == "author_email") a.email = trimmed_text(c);
  }
  if (!a.login.empty()) out->authors.push_back(std::move(a));
}

void read_term(pugi::xml_node node, std::string_view kind, WxrChannel* out) {
  WxrTerm t;
  if (kind == "category") t.taxonomy = "category";
  if (kind == "tag") t.taxonomy = "post_tag";
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    QName q = resolve(c);
    if (c.type() != pugi::node_element || q.ns != Ns::kWp) continue;
    std::string_view l = q.local;
    if (l == "category_nicename" || l == "tag_slug" || l == "term_slug") t.slug = trimmed_text(c);
    if (l == "cat_name" || l == "tag_name" || l == "term_name") t.name = trimmed_text(c);
    if (l == "category_parent" || l == "term_parent") t.parent_slug = trimmed_text(c);
    if (l == "category_description" || l == "tag_description" || l == "term_description")
      t.description = trimmed_text(c);
    if (l == "term_taxonomy") t.taxonomy = trimmed_text(c);
  }
  if (!t.slug.empty() && !t.taxonomy.empty()) out->terms.push_back(std::move(t));
}

void read_item(pugi::xml_node node, LineCounter& lines, WxrChannel* out) {
  WxrItem item;
  item.line = lines.line_at(node.offset_debug());
  bool have_id = false;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    QName q = resolve(c);
    std::string_view l = q.local;
    switch (q.ns) {
      case Ns::kNone:
        if (l == "title") item.title = text_of(c);
        if (l == "link") item.link = trimmed_text(c);
        if (l == "guid") item.guid = trimmed_text(c);
        if (l == "category") {
          item.terms.push_back(
              {c.attribute("domain").value(), c.attribute("nicename").value(), trimmed_text(c)});
        }
        break;
      case Ns::kContent:
        if (l == "encoded") item.content = text_of(c);
        break;
      case Ns::kExcerpt:
        if (l == "encoded") item.excerpt = text_of(c);
        break;
      case Ns::kDc:
        if (l == "creator") item.creator = trimmed_text(c);
        break;
      case Ns::kWp:
        // The first occurrence wins: a later duplicate (another prefix for
        // the same namespace) must not override what the exporter wrote.
        if (l == "post_id" && !have_id) {
          item.id = to_int(text_of(c));
          have_id = true;
        }
        if (l == "post_date") item.post_date = trimmed_text(c);
        if (l == "post_date_gmt") item.post_date_gmt = trimmed_text(c);
        if (l == "post_modified") item.post_modified = trimmed_text(c);
        if (l == "post_modified_gmt") item.post_modified_gmt = trimmed_text(c);
        if (l == "post_name") item.post_name = trimmed_text(c);
        if (l == "status") item.status = trimmed_text(c);
        if (l == "post_type") item.post_type = trimmed_text(c);
        if (l == "post_password") item.password = text_of(c);
        if (l == "post_parent") item.parent = to_int(text_of(c));
        if (l == "menu_order") item.menu_order = to_int(text_of(c));
        if (l == "is_sticky") item.sticky = trim(text_of(c)) == "1";
        if (l == "attachment_url") item.attachment_url = trimmed_text(c);
        if (l == "postmeta") {
          std::string key, value;
          bool meta_ok = false;
          for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
            if (is(m, Ns::kWp, "meta_key")) {
              key = trimmed_text(m);
              meta_ok = true;
            }
            if (is(m, Ns::kWp, "meta_value")) value = text_of(m);
          }
          if (meta_ok) item.meta.emplace_back(std::move(key), std::move(value));
        }
        break;
      default:
        break;
    }
  }
  out->items.push_back(std::move(item));
}

void read_channel(pugi::xml_node channel, std::string_view text, WxrChannel* out) {
  LineCounter lines(text);
  for (pugi::xml_node c = channel.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    QName q = resolve(c);
    if (q.ns == Ns::kNone) {
      if (q.local == "title") out->title = trimmed_text(c);
      if (q.local == "link") out->link = trimmed_text(c);
      if (q.local == "description") out->description = trimmed_text(c);
      if (q.local == "language") out->language = trimmed_text(c);
      if (q.local == "item") read_item(c, lines, out);
    } else if (q.ns == Ns::kWp) {
      if (q.local == "wxr_version") out->wxr_version = trimmed_text(c);
      if (q.local == "base_site_url") out->base_site_url = trimmed_text(c);
      if (q.local == "base_blog_url") out->base_blog_url = trimmed_text(c);
      if (q.local == "author") read_author(c, out);
      if (q.local == "category" || q.local == "tag" || q.local == "term") {
        read_term(c, q.local, out);
      }
    }
  }
}

// pugixml accepts "]]>" in character data, which XML forbids (it is what a
// CDATA section that was closed too early leaves behind); find the first.
ptrdiff_t find_stray_cdata_end(pugi::xml_node root, std::string_view text) {
  for (pugi::xml_node n = root.first_child(); n;) {
    if (n.type() == pugi::node_pcdata) {
      ptrdiff_t at = n.offset_debug();
      if (at >= 0) {
        std::string_view raw = text.substr(static_cast<size_t>(at));
        raw = raw.substr(0, raw.find('<'));
        size_t hit = raw.find("]]>");
        if (hit != std::string_view::npos) return at + static_cast<ptrdiff_t>(hit);
      }
    }
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != root && !n.next_sibling()) n = n.parent();
    if (!n || n == root) break;
    n = n.next_sibling();
  }
  return -1;
}

void report_at(std::string_view path, std::string_view text, size_t offset, std::string message,
               DiagnosticSink& sink) {
  SourceLocation loc{std::string(path), 0, 0};
  line_and_column(text, offset, &loc.line, &loc.column);
  sink.error(loc, std::move(message), text);
}

}  // namespace

bool read_wxr(std::string_view path, std::string_view text, WxrChannel* out, DiagnosticSink& sink) {
  size_t bad = find_invalid_utf8(text);
  if (bad != std::string_view::npos) {
    report_at(path, text, bad, "invalid UTF-8 byte in the export", sink);
    return false;
  }
  pugi::xml_document doc;
  pugi::xml_parse_result result =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    std::string message = "malformed XML: ";
    message += result.description();
    // pugixml names the spot where it gave up, which is the end of the file
    // for an unclosed element; that is still the place to look.
    report_at(path, text, static_cast<size_t>(result.offset), message, sink);
    return false;
  }
  ptrdiff_t stray = find_stray_cdata_end(doc, text);
  if (stray >= 0) {
    report_at(path, text, static_cast<size_t>(stray),
              "malformed XML: \"]]>\" outside a CDATA section (a CDATA section was closed "
              "too early; WordPress splits it as \"]]]]><![CDATA[>\")",
              sink);
    return false;
  }
  pugi::xml_node rss = doc.document_element();
  pugi::xml_node channel;
  if (rss && std::string_view(rss.name()) == "rss") {
    for (pugi::xml_node c = rss.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && is(c, Ns::kNone, "channel")) {
        channel = c;
        break;
      }
    }
  }
  if (!channel) {
    // An element's debug offset is its name; the diagnostic points at '<'.
    ptrdiff_t at = rss ? rss.offset_debug() - 1 : 0;
    report_at(path, text, static_cast<size_t>(at < 0 ? 0 : at),
              "not a WordPress export: expected <rss> holding a <channel>", sink);
    return false;
  }
  read_channel(channel, text, out);
  return true;
}

}  // namespace byline
