#include "check/html_scan.h"

#include <cstring>

#include "base/strings.h"

namespace byline {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != b[i]) return false;
  }
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

// Where `needle` (lowercase) next starts in `s` from `from`, ignoring case;
// npos when it does not.
size_t ifind(std::string_view s, std::string_view needle, size_t from) {
  while (from < s.size()) {
    const void* p = std::memchr(s.data() + from, '<', s.size() - from);
    if (!p) return std::string_view::npos;
    size_t at = static_cast<const char*>(p) - s.data();
    if (at + needle.size() <= s.size() && iequals(s.substr(at, needle.size()), needle)) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

bool contains_word(std::string_view list, std::string_view word) {
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_space(list[i])) ++i;
    size_t start = i;
    while (i < list.size() && !is_space(list[i])) ++i;
    if (i > start && iequals(list.substr(start, i - start), word)) return true;
  }
  return false;
}

// The attributes of one tag that matter to links.
struct Attr {
  std::string_view value;
  size_t offset = 0;
  bool present = false;
};

struct Tag {
  std::string_view name;
  Attr href, src, srcset, poster, id, anchor_name, rel, http_equiv, content;
};

Attr* slot_for(Tag& tag, std::string_view name) {
  switch (name.size()) {
    case 2:
      if (iequals(name, "id")) return &tag.id;
      break;
    case 3:
      if (iequals(name, "src")) return &tag.src;
      if (iequals(name, "rel")) return &tag.rel;
      break;
    case 4:
      if (iequals(name, "href")) return &tag.href;
      if (iequals(name, "name")) return &tag.anchor_name;
      break;
    case 6:
      if (iequals(name, "srcset")) return &tag.srcset;
      if (iequals(name, "poster")) return &tag.poster;
      break;
    case 7:
      if (iequals(name, "content")) return &tag.content;
      break;
    case 10:
      if (iequals(name, "http-equiv")) return &tag.http_equiv;
      break;
  }
  return nullptr;
}

// Reads the attributes from `i` (just after the tag's name) to the tag's
// '>'; returns the index after it.
size_t read_attributes(std::string_view html, size_t i, Tag* tag) {
  const size_t n = html.size();
  while (i < n) {
    while (i < n && (is_space(html[i]) || html[i] == '/')) ++i;
    if (i >= n) break;
    if (html[i] == '>') return i + 1;
    size_t name_start = i;
    while (i < n && !is_space(html[i]) && html[i] != '=' && html[i] != '>' &&
           !(html[i] == '/' && i + 1 < n && html[i + 1] == '>')) {
      ++i;
    }
    std::string_view name = html.substr(name_start, i - name_start);
    while (i < n && is_space(html[i])) ++i;
    Attr value;
    value.present = true;
    if (i < n && html[i] == '=') {
      ++i;
      while (i < n && is_space(html[i])) ++i;
      if (i < n && (html[i] == '"' || html[i] == '\'')) {
        char quote = html[i++];
        const void* end = std::memchr(html.data() + i, quote, n - i);
        size_t close = end ? static_cast<const char*>(end) - html.data() : n;
        value.value = html.substr(i, close - i);
        value.offset = i;
        i = close < n ? close + 1 : n;
      } else {
        size_t start = i;
        while (i < n && !is_space(html[i]) && html[i] != '>') ++i;
        value.value = html.substr(start, i - start);
        value.offset = start;
      }
    }
    if (name.empty()) {
      ++i;  // a stray character such as '=': step over it
      continue;
    }
    if (Attr* slot = slot_for(*tag, name); slot && !slot->present) *slot = value;
  }
  return n;
}

void add_link(HtmlScan* out, const Attr& attr, LinkKind kind) {
  if (!attr.present) return;
  std::string url = decode_entities(attr.value);
  std::string_view t = trim(url);
  if (t.size() != url.size()) url = std::string(t);
  out->links.push_back({std::move(url), static_cast<uint32_t>(attr.offset), kind});
}

void add_srcset(HtmlScan* out, const Attr& attr, LinkKind kind) {
  if (!attr.present) return;
  std::string decoded = decode_entities(attr.value);
  for (std::string_view url : srcset_urls(decoded)) {
    out->links.push_back({std::string(url), static_cast<uint32_t>(attr.offset), kind});
  }
}

// "0; url=/x/" → "/x/", with the offset of the URL inside the value.
void add_refresh(HtmlScan* out, const Attr& content) {
  std::string_view v = content.value;
  size_t semi = v.find(';');
  if (semi == std::string_view::npos) return;
  size_t i = semi + 1;
  while (i < v.size() && is_space(v[i])) ++i;
  if (i + 4 <= v.size() && iequals(v.substr(i, 3), "url")) {
    i += 3;
    while (i < v.size() && is_space(v[i])) ++i;
    if (i < v.size() && v[i] == '=') ++i;
  }
  while (i < v.size() && is_space(v[i])) ++i;
  std::string_view url = v.substr(i);
  if (!url.empty() && (url.front() == '\'' || url.front() == '"')) {
    url.remove_prefix(1);
    if (!url.empty() && (url.back() == '\'' || url.back() == '"')) url.remove_suffix(1);
  }
  Attr a = content;
  a.value = url;
  a.offset = content.offset + i;
  add_link(out, a, LinkKind::kRefresh);
}

void emit(const Tag& tag, bool in_picture, HtmlScan* out) {
  if (tag.id.present && !tag.id.value.empty()) out->ids.push_back(decode_entities(tag.id.value));
  std::string_view name = tag.name;
  if (iequals(name, "a")) {
    if (tag.anchor_name.present && !tag.anchor_name.value.empty()) {
      out->ids.push_back(decode_entities(tag.anchor_name.value));
    }
    add_link(out, tag.href, LinkKind::kLink);
  } else if (iequals(name, "img")) {
    add_link(out, tag.src, LinkKind::kImage);
    add_srcset(out, tag.srcset, LinkKind::kImage);
  } else if (iequals(name, "link")) {
    LinkKind kind = LinkKind::kLink;
    if (tag.rel.present) {
      if (contains_word(tag.rel.value, "stylesheet")) {
        kind = LinkKind::kStylesheet;
      } else if (contains_word(tag.rel.value, "icon") ||
                 contains_word(tag.rel.value, "apple-touch-icon")) {
        kind = LinkKind::kImage;
      } else if (contains_word(tag.rel.value, "preconnect") ||
                 contains_word(tag.rel.value, "dns-prefetch")) {
        return;  // an origin, not a document
      }
    }
    add_link(out, tag.href, kind);
  } else if (iequals(name, "script")) {
    add_link(out, tag.src, LinkKind::kScript);
  } else if (iequals(name, "source")) {
    LinkKind kind = in_picture ? LinkKind::kImage : LinkKind::kMedia;
    add_link(out, tag.src, kind);
    add_srcset(out, tag.srcset, kind);
  } else if (iequals(name, "iframe") || iequals(name, "audio") || iequals(name, "embed") ||
             iequals(name, "track")) {
    add_link(out, tag.src, LinkKind::kMedia);
  } else if (iequals(name, "video")) {
    add_link(out, tag.src, LinkKind::kMedia);
    add_link(out, tag.poster, LinkKind::kImage);
  } else if (iequals(name, "area")) {
    add_link(out, tag.href, LinkKind::kLink);
  } else if (iequals(name, "meta")) {
    if (tag.http_equiv.present && iequals(trim(tag.http_equiv.value), "refresh") &&
        tag.content.present) {
      add_refresh(out, tag.content);
    }
  }
}

}  // namespace

const char* link_kind_name(LinkKind kind) {
  switch (kind) {
    case LinkKind::kLink:
      return "link";
    case LinkKind::kImage:
      return "image";
    case LinkKind::kStylesheet:
      return "stylesheet";
    case LinkKind::kScript:
      return "script";
    case LinkKind::kMedia:
      return "media";
    case LinkKind::kRefresh:
      return "redirect";
  }
  return "link";
}

void scan_html(std::string_view html, HtmlScan* out) {
  const size_t n = html.size();
  size_t i = 0;
  bool in_picture = false;
  while (i < n) {
    const void* p = std::memchr(html.data() + i, '<', n - i);
    if (!p) break;
    i = static_cast<const char*>(p) - html.data() + 1;
    if (i >= n) break;
    char c = html[i];
    if (c == '!') {
      if (html.compare(i, 3, "!--") == 0) {
        size_t end = html.find("-->", i + 3);
        i = end == std::string_view::npos ? n : end + 3;
      } else {
        const void* gt = std::memchr(html.data() + i, '>', n - i);
        i = gt ? static_cast<const char*>(gt) - html.data() + 1 : n;
      }
      continue;
    }
    if (c == '/') {
      if (i + 8 <= n && iequals(html.substr(i + 1, 7), "picture")) in_picture = false;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) continue;
    size_t name_start = i;
    while (i < n && !is_space(html[i]) && html[i] != '>' && html[i] != '/') ++i;
    Tag tag;
    tag.name = html.substr(name_start, i - name_start);
    i = read_attributes(html, i, &tag);
    emit(tag, in_picture, out);
    if (iequals(tag.name, "picture")) in_picture = true;
    // Raw text: nothing inside is markup.
    const char* raw_end = nullptr;
    if (iequals(tag.name, "script")) {
      raw_end = "</script";
    } else if (iequals(tag.name, "style")) {
      raw_end = "</style";
    } else if (iequals(tag.name, "textarea")) {
      raw_end = "</textarea";
    }
    if (raw_end) {
      size_t end = ifind(html, raw_end, i);
      i = end == std::string_view::npos ? n : end;
    }
  }
}

std::string decode_entities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += c;
      ++i;
      continue;
    }
    uint32_t cp = html_char_reference(text.substr(i + 1, semi - i - 1));
    bool ok = cp != 0;
    if (!ok) {
      out += c;
      ++i;
      continue;
    }
    append_utf8(out, cp);
    i = semi + 1;
  }
  return out;
}

std::vector<std::string_view> srcset_urls(std::string_view srcset) {
  std::vector<std::string_view> urls;
  size_t i = 0;
  while (i < srcset.size()) {
    while (i < srcset.size() && (is_space(srcset[i]) || srcset[i] == ',')) ++i;
    size_t start = i;
    while (i < srcset.size() && !is_space(srcset[i])) ++i;
    std::string_view url = srcset.substr(start, i - start);
    // A URL directly followed by a comma has no descriptor.
    bool bare = !url.empty() && url.back() == ',';
    if (bare) url.remove_suffix(1);
    if (!url.empty()) urls.push_back(url);
    // Skip the descriptor up to the next comma.
    if (!bare) {
      while (i < srcset.size() && srcset[i] != ',') ++i;
    }
  }
  return urls;
}

}  // namespace byline
