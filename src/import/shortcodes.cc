// Shortcode scanning follows WordPress's syntax: [name attrs], [name attrs/],
// [name attrs]content[/name], and [[name]] as an escaped literal.
#include "import/shortcodes.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace byline {

namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

void append_attr_escaped(std::string& out, std::string_view v) { append_html_escaped(out, v); }

// "[name" at i: returns the name length (0 when not a shortcode opening).
size_t name_at(std::string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && is_name_char(s[j])) ++j;
  if (j == i + 1) return 0;
  if (!std::isalpha(static_cast<unsigned char>(s[i + 1]))) return 0;
  if (j < s.size() && (s[j] == ']' || s[j] == '/' || is_space(s[j]))) return j - i - 1;
  return 0;
}

// The "]" closing the opening tag that starts at i, skipping quoted values.
size_t tag_end(std::string_view s, size_t from) {
  char quote = 0;
  for (size_t j = from; j < s.size(); ++j) {
    char c = s[j];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      return std::string_view::npos;  // a new tag before this one closed
    } else if (c == ']') {
      return j;
    }
  }
  return std::string_view::npos;
}

std::string figure_html(std::string_view img_html, std::string_view caption) {
  std::string out = "\n\n<figure>";
  out += img_html;
  if (!trim(caption).empty()) {
    out += "<figcaption>";
    out += trim(caption);
    out += "</figcaption>";
  }
  out += "</figure>\n\n";
  return out;
}

std::string image_figure(const GalleryImage& image) {
  std::string img = "<img src=\"";
  append_attr_escaped(img, image.url);
  img += "\" alt=\"";
  append_attr_escaped(img, image.alt);
  img += "\">";
  std::string caption;
  append_html_escaped(caption, image.caption);
  return figure_html(img, caption);
}

// [caption]'s content is the image (maybe in a link) followed by the
// caption text; older exports put the caption in a caption="" attribute.
std::string caption_html(const ShortcodeAttributes& attrs, std::string_view content) {
  std::string_view body = trim(content);
  size_t img_end = std::string_view::npos;
  if (starts_with(body, "<a ") || starts_with(body, "<a>")) {
    size_t close = body.find("</a>");
    if (close != std::string_view::npos) img_end = close + 4;
  } else if (starts_with(body, "<img")) {
    size_t close = body.find('>');
    if (close != std::string_view::npos) img_end = close + 1;
  }
  if (img_end == std::string_view::npos) {
    return figure_html(body, shortcode_attribute(attrs, "caption"));
  }
  std::string caption(trim(body.substr(img_end)));
  if (caption.empty()) caption = shortcode_attribute(attrs, "caption");
  return figure_html(body.substr(0, img_end), caption);
}

std::string media_html(std::string_view tag, const ShortcodeAttributes& attrs,
                       std::string_view content) {
  std::string src = shortcode_attribute(attrs, "src");
  for (std::string_view ext : {"mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm", "ogv"}) {
    if (src.empty()) src = shortcode_attribute(attrs, ext);
  }
  if (src.empty()) src = std::string(trim(content));
  std::string out = "\n\n<";
  out += tag;
  out += " controls src=\"";
  append_attr_escaped(out, src);
  out += "\"></";
  out += tag;
  out += ">\n\n";
  return out;
}

}  // namespace

ShortcodeAttributes parse_shortcode_attributes(std::string_view text) {
  ShortcodeAttributes out;
  size_t i = 0, positional = 0;
  auto lower = [](std::string_view s) {
    std::string r(s);
    std::transform(r.begin(), r.end(), r.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return r;
  };
  while (i < text.size()) {
    while (i < text.size() && (is_space(text[i]) || text[i] == '/')) ++i;
    if (i >= text.size()) break;
    if (text[i] == '"' || text[i] == '\'') {
      char q = text[i];
      size_t end = text.find(q, i + 1);
      if (end == std::string_view::npos) end = text.size();
      out.emplace_back(std::to_string(positional++), std::string(text.substr(i + 1, end - i - 1)));
      i = end + 1;
      continue;
    }
    size_t start = i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '=') ++i;
    std::string_view name = text.substr(start, i - start);
    size_t j = i;
    while (j < text.size() && is_space(text[j])) ++j;
    if (j < text.size() && text[j] == '=') {
      ++j;
      while (j < text.size() && is_space(text[j])) ++j;
      std::string value;
      if (j < text.size() && (text[j] == '"' || text[j] == '\'')) {
        char q = text[j];
        size_t end = text.find(q, j + 1);
        if (end == std::string_view::npos) end = text.size();
        value = text.substr(j + 1, end - j - 1);
        i = end + 1;
      } else {
        size_t end = j;
        while (end < text.size() && !is_space(text[end])) ++end;
        value = text.substr(j, end - j);
        i = end;
      }
      out.emplace_back(lower(name), std::move(value));
    } else {
      out.emplace_back(std::to_string(positional++), std::string(name));
    }
  }
  return out;
}

std::string shortcode_attribute(const ShortcodeAttributes& attrs, std::string_view name) {
  for (const auto& [k, v] : attrs) {
    if (k == name) return v;
  }
  return "";
}

ShortcodeExpansion expand_shortcodes(std::string_view s, const GalleryResolver& gallery) {
  ShortcodeExpansion result;
  std::string& out = result.html;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find('[', i);
    if (open == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, open - i));
    i = open;
    // [[name]] is WordPress's way of writing a shortcode literally.
    if (i + 1 < s.size() && s[i + 1] == '[') {
      size_t n = name_at(s, i + 1);
      size_t close = n ? s.find("]]", i + 2) : std::string_view::npos;
      if (close != std::string_view::npos) {
        out.append(s.substr(i + 1, close - i));
        i = close + 2;
        continue;
      }
      out += '[';
      ++i;
      continue;
    }
    size_t n = name_at(s, i);
    size_t end = n ? tag_end(s, i + 1 + n) : std::string_view::npos;
    if (end == std::string_view::npos) {
      out += '[';
      ++i;
      continue;
    }
    std::string name(s.substr(i + 1, n));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view attr_text = s.substr(i + 1 + n, end - (i + 1 + n));
    bool self_closed = !attr_text.empty() && trim(attr_text).ends_with("/");
    ShortcodeAttributes attrs = parse_shortcode_attributes(attr_text);
    std::string_view content;
    size_t after = end + 1;
    if (!self_closed) {
      std::string closer = "[/" + std::string(s.substr(i + 1, n)) + "]";
      size_t close = s.find(closer, after);
      // Only treat it as enclosing when no other opening of the same
      // shortcode comes first.
      std::string opener = "[" + std::string(s.substr(i + 1, n));
      size_t next_open = s.find(opener, after);
      if (close != std::string_view::npos &&
          (next_open == std::string_view::npos || next_open > close)) {
        content = s.substr(after, close - after);
        after = close + closer.size();
      }
    }
    if (name == "caption" || name == "wp_caption") {
      out += caption_html(attrs, content);
    } else if (name == "gallery") {
      std::vector<GalleryImage> images = gallery ? gallery(attrs) : std::vector<GalleryImage>{};
      for (const GalleryImage& image : images) out += image_figure(image);
    } else if (name == "embed") {
      std::string url(trim(content));
      out += "\n\n<p><a href=\"";
      append_attr_escaped(out, url);
      out += "\">";
      append_html_escaped(out, url);
      out += "</a></p>\n\n";
    } else if (name == "audio" || name == "video") {
      out += media_html(name, attrs, content);
    } else {
      // Unknown: WordPress shows it as typed, so do we.
      if (std::find(result.unknown.begin(), result.unknown.end(), name) == result.unknown.end()) {
        result.unknown.push_back(name);
      }
      out.append(s.substr(i, end + 1 - i));
      i = end + 1;
      continue;
    }
    i = after;
  }
  return result;
}

}  // namespace byline
