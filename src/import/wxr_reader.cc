// WXR parsing with pugixml. WordPress data lives in four namespaces; which
// one an element belongs to is decided by the URI its prefix is bound to at
// that point in the document, as an XML processor would.
#include "import/wxr_reader.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <pugixml.hpp>

#include "base/strings.h"

namespace byline {

namespace {

// Appends the element's xmlns attributes, escaped for an attribute value.
void append_namespace_declarations(const pugi::xml_node& element, std::string& out) {
  for (pugi::xml_attribute a : element.attributes()) {
    if (!std::string_view(a.name()).starts_with("xmlns")) continue;
    out += ' ';
    out += a.name();
    out += "=\"";
    for (char c : std::string_view(a.value())) {
      if (c == '"') {
        out += "&quot;";
      } else if (c == '&') {
        out += "&amp;";
      } else if (c == '<') {
        out += "&lt;";
      } else {
        out += c;
      }
    }
    out += '"';
  }
}

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
  std::string attr = "xmlns";
  if (!prefix.empty()) {
    attr += ':';
    attr += prefix;
  }
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

// The same text without a copy when it is a single section (the usual case):
// parsing in place leaves it, terminated, in the channel's storage.
std::string_view text_view_of(pugi::xml_node node, WxrChannel* out) {
  pugi::xml_node only;
  int parts = 0;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      only = c;
      ++parts;
    }
  }
  if (parts == 0) return {};
  if (parts == 1) return only.value();
  out->joined.push_back(std::make_unique<std::string>(text_of(node)));
  return *out->joined.back();
}

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

void read_item(pugi::xml_node node, int line, WxrChannel* out) {
  WxrItem item;
  item.line = line;
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
        if (l == "pubDate") item.pub_date = trimmed_text(c);
        if (l == "category") {
          item.terms.push_back(
              {c.attribute("domain").value(), c.attribute("nicename").value(), trimmed_text(c)});
        }
        break;
      case Ns::kContent:
        if (l == "encoded") item.content = text_view_of(c, out);
        break;
      case Ns::kExcerpt:
        if (l == "encoded") item.excerpt = text_view_of(c, out);
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
          std::string key;
          std::string_view value;
          bool meta_ok = false;
          for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
            if (is(m, Ns::kWp, "meta_key")) {
              key = trimmed_text(m);
              meta_ok = true;
            }
            if (is(m, Ns::kWp, "meta_value")) value = text_view_of(m, out);
          }
          if (meta_ok) item.meta.emplace_back(std::move(key), value);
        }
        if (l == "comment") {
          WxrComment comment;
          for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
            if (m.type() != pugi::node_element) continue;
            QName mq = resolve(m);
            if (mq.ns != Ns::kWp) continue;
            std::string_view f = mq.local;
            if (f == "comment_id") comment.id = to_int(text_of(m));
            if (f == "comment_parent") comment.parent = to_int(text_of(m));
            if (f == "comment_author") comment.author = trimmed_text(m);
            if (f == "comment_author_url") comment.author_url = trimmed_text(m);
            if (f == "comment_date") comment.date = trimmed_text(m);
            if (f == "comment_date_gmt") comment.date_gmt = trimmed_text(m);
            if (f == "comment_approved") comment.approved = trimmed_text(m);
            if (f == "comment_type") comment.type = trimmed_text(m);
            if (f == "comment_content") comment.content = text_view_of(m, out);
          }
          item.comments.push_back(std::move(comment));
        }
        break;
      default:
        break;
    }
  }
  // Exports without wp:post_id (WordPress's theme preview) still name the
  // item's id in its ?p= or ?page_id= link or guid.
  if (!have_id) {
    for (const std::string* s : {&item.link, &item.guid}) {
      for (std::string_view key : {"?p=", "&p=", "?page_id=", "&page_id="}) {
        size_t at = s->find(key);
        if (at == std::string::npos) continue;
        int64_t id = to_int(std::string_view(*s).substr(at + key.size()));
        if (id > 0) {
          item.id = id;
          have_id = true;
          break;
        }
      }
      if (have_id) break;
    }
  }
  out->items.push_back(std::move(item));
}

// `lines` counts over a text whose line breaks sit where the export's do.
void read_channel(pugi::xml_node channel, LineCounter& lines, WxrChannel* out) {
  for (pugi::xml_node c = channel.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    QName q = resolve(c);
    if (q.ns == Ns::kNone) {
      if (q.local == "title") out->title = trimmed_text(c);
      if (q.local == "link") out->link = trimmed_text(c);
      if (q.local == "description") out->description = trimmed_text(c);
      if (q.local == "language") out->language = trimmed_text(c);
      if (q.local == "item") read_item(c, lines.line_at(c.offset_debug()), out);
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
// `to_original` maps an offset in the parsed buffer to one in `text`.
template <class Map>
ptrdiff_t find_stray_cdata_end(pugi::xml_node root, std::string_view text, Map to_original) {
  for (pugi::xml_node n = root.first_child(); n;) {
    if (n.type() == pugi::node_pcdata) {
      ptrdiff_t at = n.offset_debug();
      if (at >= 0) {
        size_t orig = to_original(static_cast<size_t>(at));
        std::string_view raw = text.substr(std::min(orig, text.size()));
        raw = raw.substr(0, raw.find('<'));
        size_t hit = raw.find("]]>");
        if (hit != std::string_view::npos) return static_cast<ptrdiff_t>(orig + hit);
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

// The innermost element still open at the end of the text, when every tag
// before that point nests properly: what an export cut short leaves.
bool innermost_unclosed(std::string_view s, std::string* name, size_t* offset) {
  std::vector<std::pair<std::string_view, size_t>> open;
  size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos) {
    std::string_view rest = s.substr(i);
    std::string_view end = rest.starts_with("<!--")        ? "-->"
                           : rest.starts_with("<![CDATA[") ? "]]>"
                           : rest.starts_with("<?")        ? "?>"
                                                           : ">";
    size_t close = s.find(end, i + 1);
    if (close == std::string_view::npos) return false;
    std::string_view tag = s.substr(i + 1, close - i - 1);
    if (end == ">" && !tag.starts_with("!")) {
      if (tag.starts_with("/")) {
        if (open.empty() || trim(tag.substr(1)) != open.back().first) return false;
        open.pop_back();
      } else if (!tag.ends_with("/")) {
        open.emplace_back(tag.substr(0, tag.find_first_of(" \t\r\n")), i);
      }
    }
    i = close + end.size();
  }
  if (open.empty()) return false;
  *name = std::string(open.back().first);
  *offset = open.back().second;
  return true;
}

struct Span {
  size_t begin, end;  // "<item" … "</item>" inclusive
};

constexpr std::string_view kItemSuffix = "</channel></rss>";

// Finds the <item> elements directly under <rss><channel> with a light scan
// (comments, CDATA, processing instructions and quoted attributes skipped),
// so each can be parsed on its own and the whole export is never one tree.
// Returns false when the text does not split cleanly; the caller then parses
// it whole, which is also what reports the error.
bool find_item_spans(std::string_view s, std::vector<Span>* spans) {
  int depth = 0;
  bool in_item = false;
  size_t item_begin = 0;
  size_t i = 0;
  auto skip_to = [&](std::string_view end, size_t from) {
    size_t at = s.find(end, from);
    return at == std::string_view::npos ? at : at + end.size();
  };
  while (true) {
    i = s.find('<', i);
    if (i == std::string_view::npos) break;
    std::string_view rest = s.substr(i);
    size_t next;
    if (rest.starts_with("<!--")) {
      next = skip_to("-->", i + 4);
    } else if (rest.starts_with("<![CDATA[")) {
      next = skip_to("]]>", i + 9);
    } else if (rest.starts_with("<?")) {
      next = skip_to("?>", i + 2);
    } else if (rest.starts_with("<!")) {
      size_t gt = s.find('>', i);
      if (gt == std::string_view::npos || s.substr(i, gt - i).find('[') != std::string_view::npos) {
        return false;  // a DOCTYPE with an internal subset: leave it to the parser
      }
      next = gt + 1;
    } else if (rest.starts_with("</")) {
      size_t gt = s.find('>', i);
      if (gt == std::string_view::npos) return false;
      --depth;
      if (depth == 2 && in_item) {
        if (trim(s.substr(i + 2, gt - i - 2)) != "item") return false;
        spans->push_back({item_begin, gt + 1});
        in_item = false;
      }
      if (depth < 0) return false;
      next = gt + 1;
    } else {
      size_t j = i + 1;
      char quote = 0;
      for (; j < s.size(); ++j) {
        if (quote) {
          if (s[j] == quote) quote = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
          quote = s[j];
        } else if (s[j] == '>') {
          break;
        }
      }
      if (j >= s.size()) return false;
      size_t name_end = i + 1;
      while (name_end < j && s[name_end] != ' ' && s[name_end] != '\t' && s[name_end] != '\n' &&
             s[name_end] != '\r' && s[name_end] != '/') {
        ++name_end;
      }
      bool self_closing = s[j - 1] == '/';
      bool is_item = depth == 2 && s.substr(i + 1, name_end - i - 1) == "item";
      if (is_item && self_closing) {
        spans->push_back({i, j + 1});
      } else if (is_item) {
        in_item = true;
        item_begin = i;
      }
      if (!self_closing) ++depth;
      next = j + 1;
    }
    if (next == std::string_view::npos) return false;
    i = next;
  }
  return depth == 0 && !in_item;
}

void report_at(std::string_view path, std::string_view text, size_t offset, std::string message,
               DiagnosticSink& sink) {
  SourceLocation loc{std::string(path), 0, 0};
  line_and_column(text, offset, &loc.line, &loc.column);
  sink.error(loc, std::move(message), text);
}

// Parses a copy of `text` in place, in a buffer added to `buffers`: the
// text views of what is read point into it.
pugi::xml_parse_result parse_copy(std::string_view text,
                                  std::vector<std::unique_ptr<char[]>>& buffers,
                                  pugi::xml_document* doc) {
  buffers.push_back(std::make_unique<char[]>(text.size() + 1));
  char* buf = buffers.back().get();
  std::copy(text.begin(), text.end(), buf);
  buf[text.size()] = '\0';
  return doc->load_buffer_inplace(buf, text.size(), pugi::parse_default, pugi::encoding_utf8);
}

// The skeleton is the export without its items; each item's lines become
// bare newlines, so line numbers (and columns outside items) stay true.
struct Skeleton {
  std::string text;
  std::vector<std::pair<size_t, size_t>> segments;  // (skeleton offset, export offset)

  Skeleton(std::string_view source, const std::vector<Span>& spans) {
    size_t pos = 0;
    for (const Span& sp : spans) {
      segments.emplace_back(text.size(), pos);
      text.append(source.substr(pos, sp.begin - pos));
      size_t lines =
          static_cast<size_t>(std::count(source.begin() + static_cast<ptrdiff_t>(sp.begin),
                                         source.begin() + static_cast<ptrdiff_t>(sp.end), '\n'));
      segments.emplace_back(text.size(), sp.begin);
      text.append(lines, '\n');
      pos = sp.end;
    }
    segments.emplace_back(text.size(), pos);
    text.append(source.substr(pos));
  }

  size_t to_export(size_t off) const {
    auto it = std::upper_bound(segments.begin(), segments.end(), std::make_pair(off, SIZE_MAX));
    if (it == segments.begin()) return off;
    --it;
    return it->second + (off - it->first);
  }
};

constexpr const char* kStray =
    "malformed XML: \"]]>\" outside a CDATA section (a CDATA section was closed too early; "
    "WordPress splits it as \"]]]]><![CDATA[>\")";

// What the steps of read_wxr share: the export, where its records go and
// where its problems are reported. Each step that fails has reported why.
struct ExportReader {
  std::string_view path;
  std::string_view text;
  WxrChannel* out;
  DiagnosticSink& sink;
  const std::function<bool(const WxrItem&)>& keep_body;

  bool fail_at(size_t offset, std::string message) {
    report_at(path, text, offset, std::move(message), sink);
    return false;
  }

  // Parsed in place in buffers the channel keeps: item bodies are views
  // into them.
  pugi::xml_parse_result parse(std::string_view buffer_text, pugi::xml_document* doc) {
    return parse_copy(buffer_text, out->buffers, doc);
  }

  bool malformed(const pugi::xml_parse_result& result, size_t at);

  // `to_export` maps an offset in the parsed buffer to one in the export.
  template <class Map>
  bool check_no_stray_cdata_end(const pugi::xml_document& doc, Map to_export) {
    ptrdiff_t stray = find_stray_cdata_end(doc, text, to_export);
    return stray < 0 || fail_at(static_cast<size_t>(stray), kStray);
  }

  bool read_skeleton(const Skeleton& skeleton, pugi::xml_document* doc, pugi::xml_node* rss,
                     pugi::xml_node* channel);
  bool read_item_at(const Span& sp, std::string_view prefix, LineCounter& lines,
                    std::string& item_text);
  void leave_body_for_later(WxrItem& item, size_t joined_before);
};

bool ExportReader::malformed(const pugi::xml_parse_result& result, size_t at) {
  std::string message = "malformed XML: ";
  std::string open_name;
  size_t open_at = 0;
  if (trim(text.substr(std::min(at, text.size()))).empty() ||
      result.status == pugi::status_end_element_mismatch) {
    // pugixml gives up at the end of a file cut short; say what is open.
    if (innermost_unclosed(text, &open_name, &open_at)) {
      int line = 0, column = 0;
      line_and_column(text, open_at, &line, &column);
      message += "the file ends before <" + open_name + "> (opened at line " +
                 std::to_string(line) + ") is closed";
      return fail_at(at, message);
    }
  }
  if (result.status == pugi::status_end_element_mismatch && at < text.size()) {
    size_t lt = text.rfind("</", at);
    if (lt != std::string_view::npos &&
        innermost_unclosed(text.substr(0, lt), &open_name, &open_at)) {
      std::string_view closing = text.substr(lt + 2);
      closing = closing.substr(0, closing.find_first_of("> \t\r\n"));
      int line = 0, column = 0;
      line_and_column(text, open_at, &line, &column);
      message += "</" + std::string(closing) + "> does not close <" + open_name +
                 "> (opened at line " + std::to_string(line) + ")";
      return fail_at(at, message);
    }
  }
  message += result.description();
  return fail_at(at, message);
}

// The export without its items, parsed whole: it must be an <rss> holding
// a <channel>, whose own fields (and any items it still holds) are read.
bool ExportReader::read_skeleton(const Skeleton& skeleton, pugi::xml_document* doc,
                                 pugi::xml_node* rss, pugi::xml_node* channel) {
  auto to_export = [&](size_t off) { return skeleton.to_export(off); };
  pugi::xml_parse_result result = parse(skeleton.text, doc);
  if (!result) return malformed(result, to_export(static_cast<size_t>(result.offset)));
  if (!check_no_stray_cdata_end(*doc, to_export)) return false;
  *rss = doc->document_element();
  if (*rss && std::string_view(rss->name()) == "rss") {
    for (pugi::xml_node c = rss->first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && is(c, Ns::kNone, "channel")) {
        *channel = c;
        break;
      }
    }
  }
  if (!*channel) {
    // An element's debug offset is its name; the diagnostic points at '<'.
    ptrdiff_t at = *rss ? rss->offset_debug() - 1 : 0;
    return fail_at(to_export(static_cast<size_t>(at < 0 ? 0 : at)),
                   "not a WordPress export: expected <rss> holding a <channel>");
  }
  LineCounter skeleton_lines(skeleton.text);
  read_channel(*channel, skeleton_lines, out);
  return true;
}

// Each item is parsed inside copies of <rss> and <channel> carrying their
// namespace declarations, so prefixes resolve exactly as in the whole file.
std::string item_prefix(pugi::xml_node rss, pugi::xml_node channel) {
  std::string prefix = "<rss";
  append_namespace_declarations(rss, prefix);
  prefix += "><channel";
  append_namespace_declarations(channel, prefix);
  prefix += '>';
  return prefix;
}

// Parses and reads the item at `sp`; `item_text` is scratch space kept
// from one item to the next.
bool ExportReader::read_item_at(const Span& sp, std::string_view prefix, LineCounter& lines,
                                std::string& item_text) {
  item_text.assign(prefix);
  item_text.append(text.substr(sp.begin, sp.end - sp.begin));
  item_text.append(kItemSuffix);
  auto to_export = [&](size_t off) {
    if (off < prefix.size()) return sp.begin;
    return std::min(sp.begin + (off - prefix.size()), sp.end);
  };
  pugi::xml_document item_doc;
  pugi::xml_parse_result r = parse(item_text, &item_doc);
  if (!r) return malformed(r, to_export(static_cast<size_t>(r.offset)));
  if (!check_no_stray_cdata_end(item_doc, to_export)) return false;
  pugi::xml_node item = item_doc.document_element().first_child().first_child();
  size_t joined_before = out->joined.size();
  read_item(item, lines.line_at(static_cast<ptrdiff_t>(sp.begin)), out);
  WxrItem& read = out->items.back();
  read.source_begin = sp.begin;
  read.source_end = sp.end;
  if (keep_body && !keep_body(read)) leave_body_for_later(read, joined_before);
  // The tree goes now; only the buffer the item's text views point into stays.
  return true;
}

// The item keeps its fields; its body, and the buffer and joined texts it
// pointed into, go (read_wxr_item_body brings them back).
void ExportReader::leave_body_for_later(WxrItem& item, size_t joined_before) {
  item.content = {};
  item.excerpt = {};
  item.meta.clear();
  item.comments.clear();
  item.has_body = false;
  out->buffers.pop_back();
  out->joined.resize(joined_before);
}

}  // namespace

bool read_wxr(std::string_view path, std::string_view text, WxrChannel* out, DiagnosticSink& sink,
              const std::function<bool(const WxrItem&)>& keep_body) {
  ExportReader reader{path, text, out, sink, keep_body};
  size_t bad = find_invalid_utf8(text);
  if (bad != std::string_view::npos) return reader.fail_at(bad, "invalid UTF-8 byte in the export");
  std::vector<Span> spans;
  if (!find_item_spans(text, &spans)) spans.clear();

  pugi::xml_document doc;
  pugi::xml_node rss, channel;
  if (!reader.read_skeleton(Skeleton(text, spans), &doc, &rss, &channel)) return false;

  out->item_prefix = item_prefix(rss, channel);
  LineCounter lines(text);
  std::string item_text;
  for (const Span& sp : spans) {
    if (!reader.read_item_at(sp, out->item_prefix, lines, item_text)) return false;
  }
  return true;
}

bool read_wxr_item_body(std::string_view text, const WxrChannel& channel, WxrItem* item,
                        WxrBodyStorage* storage) {
  if (item->has_body) return true;
  if (item->source_end <= item->source_begin || item->source_end > text.size()) return false;
  std::string buffer = channel.item_prefix;
  buffer.append(text.substr(item->source_begin, item->source_end - item->source_begin));
  buffer.append(kItemSuffix);
  pugi::xml_document doc;
  if (!parse_copy(buffer, storage->buffers, &doc)) return false;
  // read_item on a scratch channel gives the same fields the first read did;
  // only the body parts are taken, joined texts moving along with them.
  WxrChannel scratch;
  read_item(doc.document_element().first_child().first_child(), item->line, &scratch);
  if (scratch.items.empty()) return false;
  WxrItem& fresh = scratch.items.back();
  for (auto& joined : scratch.joined) storage->joined.push_back(std::move(joined));
  item->content = fresh.content;
  item->excerpt = fresh.excerpt;
  item->meta = std::move(fresh.meta);
  item->comments = std::move(fresh.comments);
  item->has_body = true;
  return true;
}

}  // namespace byline
