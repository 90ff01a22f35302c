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
  // WordPress.com's [youtube=URL] and [googlemaps=URL]: the name, "=", the URL.
  if (j < s.size() && s[j] == '=') {
    std::string_view name = s.substr(i + 1, j - i - 1);
    for (std::string_view known : {"youtube", "vimeo", "googlemaps", "dailymotion", "gist"}) {
      if (name == known) return j - i - 1;
    }
  }
  return 0;
}

// Attribute values and shortcode bodies come HTML-escaped from the editor
// (`&amp;` in a URL): decoded once here, escaped once on output.
std::string decode_entities(std::string_view v) {
  if (v.find('&') == std::string_view::npos) return std::string(v);
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"},   {"&#038;", "&"},   {"&#38;", "&"},    {"&quot;", "\""}, {"&#034;", "\""},
      {"&#34;", "\""},  {"&#039;", "'"},   {"&#39;", "'"},    {"&apos;", "'"},  {"&lt;", "<"},
      {"&#060;", "<"},  {"&gt;", ">"},     {"&#062;", ">"},   {"&nbsp;", " "},  {"&#8217;", "'"},
      {"&#8216;", "'"}, {"&#8220;", "\""}, {"&#8221;", "\""}, {"&#8211;", "-"}, {"&#215;", "x"},
  };
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '&') {
      bool matched = false;
      for (const auto& [entity, text] : kEntities) {
        if (v.substr(i, entity.size()) == entity) {
          out += text;
          i += entity.size() - 1;
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out += v[i];
  }
  return out;
}

bool is_url(std::string_view v) {
  return starts_with(v, "http://") || starts_with(v, "https://") || starts_with(v, "//") ||
         starts_with(v, "/");
}

// A paragraph holding a link to `url`: what an embed becomes when byline
// cannot show the thing itself.
std::string link_paragraph(std::string_view url) {
  std::string out = "\n\n<p><a href=\"";
  append_attr_escaped(out, url);
  out += "\">";
  append_html_escaped(out, url);
  out += "</a></p>\n\n";
  return out;
}

// The first URL-like positional value ([audio https://…mp3], [gist URL]).
std::string positional_url(const ShortcodeAttributes& attrs) {
  for (const auto& [k, v] : attrs) {
    if (!k.empty() && std::isdigit(static_cast<unsigned char>(k[0])) && is_url(v)) return v;
  }
  return "";
}

// [sourcecode language="x"]…[/sourcecode] and [code]: a code block in the
// named language. The body is the text as typed: entities the visual
// editor added are decoded, <br> and <p> it slipped in are line breaks.
std::string code_html(const ShortcodeAttributes& attrs, std::string_view content) {
  std::string lang = shortcode_attribute(attrs, "language");
  if (lang.empty()) lang = shortcode_attribute(attrs, "lang");
  for (char& c : lang) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string body;
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '<') {
      size_t end = content.find('>', i);
      std::string_view tag = end == std::string_view::npos ? "" : content.substr(i, end - i + 1);
      std::string lower(tag);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (starts_with(lower, "<br")) {
        if (i + tag.size() < content.size() && content[i + tag.size()] == '\n') ++end;
        body += '\n';
        i = end;
        continue;
      }
      if (lower == "<p>" || lower == "</p>") {
        if (lower == "</p>") body += '\n';
        i = end;
        continue;
      }
    }
    body += content[i];
  }
  body = decode_entities(body);
  while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.erase(0, 1);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  std::string out = "\n\n<pre><code";
  if (!lang.empty() && lang.find_first_of(" \"'<>&`") == std::string::npos) {
    out += " class=\"language-" + lang + "\"";
  }
  out += ">";
  append_html_escaped(out, body);
  out += "</code></pre>\n\n";
  return out;
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
    constexpr size_t npos = std::string_view::npos;
    size_t img = body.find("<img");
    size_t img_close = img == npos ? npos : body.find('>', img);
    size_t close = body.find("</a>");
    bool closes_after_image = close != npos && img_close != npos && close > img_close &&
                              trim(body.substr(img_close + 1, close - img_close - 1)).empty();
    if (close != npos && (closes_after_image || img_close == npos)) {
      img_end = close + 4;
    } else if (img_close != npos) {
      // An <a> left open around the image (or closed after the caption):
      // closed right after the image, so it takes neither the caption nor
      // the paragraphs after the figure.
      std::string link_img = std::string(body.substr(0, img_close + 1)) + "</a>";
      std::string rest(body.substr(img_close + 1));
      size_t at = rest.find("</a>");
      if (at != std::string::npos) rest.erase(at, 4);
      std::string caption(trim(rest));
      if (caption.empty()) caption = shortcode_attribute(attrs, "caption");
      return figure_html(link_img, caption);
    }
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
  if (src.empty()) src = positional_url(attrs);
  if (src.empty() && is_url(trim(content))) src = std::string(trim(content));
  if (src.empty()) return "";
  src = decode_entities(src);
  std::string out = "\n\n<";
  out += tag;
  out += " controls src=\"";
  append_attr_escaped(out, src);
  out += "\"></";
  out += tag;
  out += ">\n\n";
  return out;
}

// The URL of a WordPress.com embed shortcode: [youtube=URL], [youtube URL],
// [gist URL] or [gist]URL[/gist], [gist id=…], [tweet URL] or [tweet ID],
// [googlemaps URL]. "" when it names none.
std::string wpcom_url(std::string_view name, const ShortcodeAttributes& attrs,
                      std::string_view content, std::string_view raw) {
  // The whole attribute text when it is one URL: "q=x" inside it is no
  // attribute.
  raw = trim(raw);
  if (starts_with(raw, "=")) raw.remove_prefix(1);
  if (is_url(raw) && raw.find_first_of(" \t\n\"'") == std::string_view::npos) {
    return std::string(raw);
  }
  std::string url = positional_url(attrs);
  if (url.empty()) {
    // [youtube=URL] parses as one positional "=URL".
    for (const auto& [k, v] : attrs) {
      if (k.empty() && is_url(v)) url = v;
    }
  }
  if (url.empty() && is_url(trim(content))) url = std::string(trim(content));
  if (url.empty() && name == "gist" && !shortcode_attribute(attrs, "id").empty()) {
    url = "https://gist.github.com/" + shortcode_attribute(attrs, "id");
  }
  if (url.empty() && name == "tweet") {
    std::string id = shortcode_attribute(attrs, "0");
    if (id.empty()) id = shortcode_attribute(attrs, "tweet");
    if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos) {
      url = "https://twitter.com/i/status/" + id;
    }
  }
  return url;
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
    } else if (name == "embed" && is_url(trim(content))) {
      out += link_paragraph(decode_entities(trim(content)));
    } else if ((name == "audio" || name == "video") && !media_html(name, attrs, content).empty()) {
      out += media_html(name, attrs, content);
    } else if (name == "playlist" && gallery) {
      // The attachments it names (or the post's own), each a player.
      std::string type = shortcode_attribute(attrs, "type") == "video" ? "video" : "audio";
      for (const GalleryImage& media : gallery(attrs)) {
        ShortcodeAttributes src{{"src", media.url}};
        out += media_html(type, src, "");
      }
    } else if ((name == "youtube" || name == "vimeo" || name == "dailymotion" ||
                name == "googlemaps" || name == "gist" || name == "tweet") &&
               !wpcom_url(name, attrs, content, attr_text).empty()) {
      std::string url = decode_entities(wpcom_url(name, attrs, content, attr_text));
      out += link_paragraph(url);
    } else if ((name == "sourcecode" || name == "code") && after != end + 1) {
      out += code_html(attrs, content);
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
