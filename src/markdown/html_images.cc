// A small tokenizer for start tags, after the HTML standard's attribute
// rules: names end at whitespace, "/", ">" or "="; values are quoted with
// " or ', or run to whitespace or ">".
#include "markdown/html_images.h"

#include <cctype>

namespace byline {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// The entities a URL or short text in an attribute carries in practice.
std::string decode_entities(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"&amp;", '&'},   {"&quot;", '"'}, {"&#39;", '\''}, {"&#039;", '\''},
      {"&apos;", '\''}, {"&lt;", '<'},   {"&gt;", '>'},   {"&#038;", '&'}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [name, c] : kNamed) {
        if (s.substr(i, name.size()) == name) {
          out += c;
          i += name.size() - 1;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i];
  }
  return out;
}

// Parses the attributes from `i` (just after "<img") to the tag's ">".
// Returns the offset one past ">", or npos when the tag is cut short.
size_t parse_attributes(std::string_view html, size_t i, std::vector<HtmlAttribute>* out) {
  while (i < html.size()) {
    while (i < html.size() && (is_space(html[i]) || html[i] == '/')) ++i;
    if (i >= html.size()) return std::string_view::npos;
    if (html[i] == '>') return i + 1;
    size_t start = i;
    while (i < html.size() && !is_space(html[i]) && html[i] != '/' && html[i] != '>' &&
           html[i] != '=')
      ++i;
    HtmlAttribute a;
    for (size_t k = start; k < i; ++k) a.name += lower(html[k]);
    size_t after_name = i;
    while (i < html.size() && is_space(html[i])) ++i;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && is_space(html[i])) ++i;
      if (i >= html.size()) return std::string_view::npos;
      size_t value_start, value_end;
      if (html[i] == '"' || html[i] == '\'') {
        char quote = html[i];
        value_start = i + 1;
        value_end = html.find(quote, value_start);
        if (value_end == std::string_view::npos) return std::string_view::npos;
        i = value_end + 1;
      } else {
        value_start = i;
        while (i < html.size() && !is_space(html[i]) && html[i] != '>') ++i;
        value_end = i;
      }
      a.value = decode_entities(html.substr(value_start, value_end - value_start));
    } else {
      i = after_name;
    }
    a.text = html.substr(start, i - start);
    bool seen = false;
    for (const HtmlAttribute& b : *out) seen = seen || b.name == a.name;
    if (!seen && !a.name.empty()) out->push_back(std::move(a));
  }
  return std::string_view::npos;
}

}  // namespace

const HtmlAttribute* HtmlImgTag::find(std::string_view name) const {
  for (const HtmlAttribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<HtmlImgTag> find_img_tags(std::string_view html) {
  std::vector<HtmlImgTag> tags;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.substr(i, 4) == "<!--") {
      size_t close = html.find("-->", i + 4);
      if (close == std::string_view::npos) break;
      i = close + 3;
      continue;
    }
    bool img =
        i + 4 <= html.size() && lower(html[i + 1]) == 'i' && lower(html[i + 2]) == 'm' &&
        lower(html[i + 3]) == 'g' &&
        (i + 4 == html.size() || is_space(html[i + 4]) || html[i + 4] == '/' || html[i + 4] == '>');
    if (!img) {
      ++i;
      continue;
    }
    HtmlImgTag tag;
    tag.begin = i;
    size_t end = parse_attributes(html, i + 4, &tag.attributes);
    if (end == std::string_view::npos) break;
    tag.end = end;
    tags.push_back(std::move(tag));
    i = end;
  }
  return tags;
}

}  // namespace byline
