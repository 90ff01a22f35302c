// A small HTML tokenizer that reproduces what normalize.py's HTMLParser
// subclass emits for each token: start/end tags, comments, declarations,
// processing instructions, character references and text.
#include "html_normalize.h"
#include "base/strings.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace byline::spec {
namespace {

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_block_tag(std::string_view tag) {
  static constexpr const char* kBlockTags[] = {
      "article",  "header", "aside",    "hgroup",   "blockquote", "hr",         "iframe",
      "body",     "li",     "map",      "button",   "object",     "canvas",     "ol",
      "caption",  "output", "col",      "p",        "colgroup",   "pre",        "dd",
      "progress", "div",    "section",  "dl",       "table",      "td",         "dt",
      "tbody",    "embed",  "textarea", "fieldset", "tfoot",      "figcaption", "th",
      "figure",   "thead",  "footer",   "tr",       "form",       "ul",         "h1",
      "h2",       "h3",     "h4",       "h5",       "h6",         "video",      "script",
      "style"};
  for (const char* t : kBlockTags)
    if (tag == t) return true;
  return false;
}

// Named references that spec outputs actually contain; any other name is
// compared as written, which can only make the comparison stricter.
bool named_reference(std::string_view name, uint32_t& cp) {
  static constexpr std::pair<const char*, uint32_t> kNames[] = {
      {"quot", 34},      {"amp", 38},       {"lt", 60},         {"gt", 62},
      {"nbsp", 160},     {"copy", 169},     {"reg", 174},       {"forall", 0x2200},
      {"AElig", 198},    {"ouml", 246},     {"hellip", 0x2026}, {"mdash", 0x2014},
      {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
      {"rdquo", 0x201D}};
  for (const auto& [n, c] : kNames) {
    if (name == n) {
      cp = c;
      return true;
    }
  }
  return false;
}

class Normalizer {
 public:
  std::string run(std::string_view html) {
    size_t i = 0;
    size_t text_start = 0;
    auto flush_text = [&](size_t end) {
      if (end > text_start) handle_data(html.substr(text_start, end - text_start));
    };
    while (i < html.size()) {
      char c = html[i];
      if (c == '<') {
        size_t consumed = markup(html, i);
        if (consumed > 0) {
          // markup() already emitted the token; text before it must come first,
          // so it is flushed into a side buffer and spliced in.
          flush_pending(html, text_start, i, consumed);
          i += consumed;
          text_start = i;
          continue;
        }
      } else if (c == '&') {
        size_t consumed = reference(html, i);
        if (consumed > 0) {
          flush_pending(html, text_start, i, consumed);
          i += consumed;
          text_start = i;
          continue;
        }
      }
      ++i;
    }
    flush_text(html.size());
    return output_;
  }

 private:
  enum class Last { kStartTag, kEndTag, kData, kComment, kDecl, kPi, kRef };

  // Tokens are recognised before the text preceding them is handled, so
  // handle the text first and then replay the token.
  void flush_pending(std::string_view html, size_t text_start, size_t token_start,
                     size_t token_len) {
    std::string token_out = std::move(pending_output_);
    pending_output_.clear();
    Last token_last = pending_last_;
    std::string token_tag = pending_tag_;
    bool token_pre = pending_in_pre_;
    bool token_rstrip = pending_rstrip_;
    if (token_start > text_start) handle_data(html.substr(text_start, token_start - text_start));
    (void)token_len;
    if (token_rstrip) rstrip();
    output_ += token_out;
    last_ = token_last;
    if (token_last == Last::kStartTag || token_last == Last::kEndTag) last_tag_ = token_tag;
    if (pending_sets_pre_) in_pre_ = token_pre;
    pending_sets_pre_ = false;
    pending_rstrip_ = false;
  }

  void rstrip() {
    while (!output_.empty() && is_ws(output_.back())) output_.pop_back();
  }

  void handle_data(std::string_view data) {
    bool after_tag = last_ == Last::kEndTag || last_ == Last::kStartTag;
    bool after_block_tag = after_tag && is_block_tag(last_tag_);
    std::string text(data);
    if (after_tag && last_tag_ == "br") {
      size_t k = 0;
      while (k < text.size() && text[k] == '\n') ++k;
      text.erase(0, k);
    }
    if (!in_pre_) {
      std::string collapsed;
      collapsed.reserve(text.size());
      for (size_t k = 0; k < text.size(); ++k) {
        if (is_ws(text[k])) {
          while (k + 1 < text.size() && is_ws(text[k + 1])) ++k;
          collapsed += ' ';
        } else {
          collapsed += text[k];
        }
      }
      text = std::move(collapsed);
    }
    if (after_block_tag && !in_pre_) {
      if (last_ == Last::kStartTag) {
        size_t k = 0;
        while (k < text.size() && is_ws(text[k])) ++k;
        text.erase(0, k);
      } else {
        size_t k = 0;
        while (k < text.size() && is_ws(text[k])) ++k;
        text.erase(0, k);
        while (!text.empty() && is_ws(text.back())) text.pop_back();
      }
    }
    output_ += text;
    last_ = Last::kData;
  }

  static void escape_char(std::string& out, uint32_t cp) {
    switch (cp) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        append_utf8(out, cp);
    }
  }

  // "&name;", "&#123;" or "&#x1F;" at i: emits the reference, returns its length.
  size_t reference(std::string_view html, size_t i) {
    size_t j = i + 1;
    if (j < html.size() && html[j] == '#') {
      ++j;
      bool hex = j < html.size() && (html[j] == 'x' || html[j] == 'X');
      if (hex) ++j;
      size_t digits_start = j;
      uint32_t cp = 0;
      while (j < html.size() && (hex ? std::isxdigit(static_cast<unsigned char>(html[j]))
                                     : std::isdigit(static_cast<unsigned char>(html[j])))) {
        char d = html[j];
        uint32_t v = (d >= '0' && d <= '9') ? d - '0' : (lower(d) - 'a' + 10);
        if (cp < 0x110000) cp = cp * (hex ? 16 : 10) + v;
        ++j;
      }
      if (j == digits_start || j >= html.size() || html[j] != ';') return 0;
      ++j;
      pending_output_.clear();
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        pending_output_.append(html.substr(i, j - i));
      else
        escape_char(pending_output_, cp);
      pending_last_ = Last::kRef;
      return j - i;
    }
    if (j >= html.size() || !is_alpha(html[j])) return 0;
    while (j < html.size() && (is_alnum(html[j]) || html[j] == '-' || html[j] == '.')) ++j;
    if (j >= html.size() || html[j] != ';') return 0;
    std::string_view name = html.substr(i + 1, j - i - 1);
    ++j;
    pending_output_.clear();
    uint32_t cp;
    if (named_reference(name, cp))
      escape_char(pending_output_, cp);
    else
      pending_output_.append(html.substr(i, j - i));
    pending_last_ = Last::kRef;
    return j - i;
  }

  // A tag, comment, declaration or processing instruction at i: prepares its
  // output and returns its length; 0 when the '<' is text.
  size_t markup(std::string_view html, size_t i) {
    std::string_view rest = html.substr(i);
    pending_output_.clear();
    if (rest.starts_with("<!--")) {
      size_t end = rest.find("-->", 4);
      if (end == std::string_view::npos) return 0;
      pending_output_.append(rest.substr(0, end + 3));
      pending_last_ = Last::kComment;
      return end + 3;
    }
    if (rest.starts_with("<![CDATA[")) {
      size_t end = rest.find("]]>");
      if (end == std::string_view::npos) return 0;
      pending_output_.append(rest.substr(0, end + 3));
      pending_last_ = last_;  // passed through without touching the state
      return end + 3;
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      size_t end = rest.find('>');
      if (end == std::string_view::npos) return 0;
      pending_output_.append(rest.substr(0, end + 1));
      pending_last_ = rest[1] == '!' ? Last::kDecl : Last::kPi;
      return end + 1;
    }
    if (rest.starts_with("</")) {
      if (rest.size() < 3 || !is_alpha(rest[2])) return 0;
      size_t end = rest.find('>');
      if (end == std::string_view::npos) return 0;
      size_t k = 2;
      std::string name;
      while (k < end && !is_ws(rest[k]) && rest[k] != '/') name += lower(rest[k++]);
      if (name == "pre") {
        pending_sets_pre_ = true;
        pending_in_pre_ = false;
      } else if (is_block_tag(name)) {
        pending_rstrip_ = true;
      }
      pending_output_ = "</" + name + ">";
      pending_last_ = Last::kEndTag;
      pending_tag_ = name;
      return end + 1;
    }
    if (rest.size() < 2 || !is_alpha(rest[1])) return 0;
    return start_tag(rest);
  }

  size_t start_tag(std::string_view rest) {
    size_t k = 1;
    std::string name;
    while (k < rest.size() && !is_ws(rest[k]) && rest[k] != '/' && rest[k] != '>')
      name += lower(rest[k++]);
    struct Attr {
      std::string key;
      bool has_value = false;
      std::string value;
    };
    std::vector<Attr> attrs;
    bool self_closing = false;
    while (true) {
      while (k < rest.size() && (is_ws(rest[k]) || rest[k] == '/')) {
        if (rest[k] == '/' && k + 1 < rest.size() && rest[k + 1] == '>') self_closing = true;
        ++k;
      }
      if (k >= rest.size()) return 0;  // unterminated: text
      if (rest[k] == '>') {
        ++k;
        break;
      }
      Attr attr;
      while (k < rest.size() && !is_ws(rest[k]) && rest[k] != '/' && rest[k] != '>' &&
             rest[k] != '=')
        attr.key += lower(rest[k++]);
      size_t after_key = k;
      while (k < rest.size() && is_ws(rest[k])) ++k;
      if (k < rest.size() && rest[k] == '=') {
        ++k;
        while (k < rest.size() && is_ws(rest[k])) ++k;
        if (k >= rest.size()) return 0;
        attr.has_value = true;
        std::string raw;
        if (rest[k] == '"' || rest[k] == '\'') {
          char q = rest[k++];
          size_t close = rest.find(q, k);
          if (close == std::string_view::npos) return 0;
          raw.assign(rest.substr(k, close - k));
          k = close + 1;
        } else {
          while (k < rest.size() && !is_ws(rest[k]) && rest[k] != '>') raw += rest[k++];
        }
        attr.value = unescape_attribute(raw);
      } else {
        k = after_key;
      }
      if (attr.key.empty()) {
        ++k;  // a stray character: skip it
        continue;
      }
      attrs.push_back(std::move(attr));
    }
    std::sort(attrs.begin(), attrs.end(), [](const Attr& a, const Attr& b) {
      if (a.key != b.key) return a.key < b.key;
      if (a.has_value != b.has_value) return !a.has_value;
      return a.value < b.value;
    });
    if (name == "pre") {
      pending_sets_pre_ = true;
      pending_in_pre_ = true;
    }
    if (is_block_tag(name)) pending_rstrip_ = true;
    pending_output_ = "<" + name;
    for (const Attr& a : attrs) {
      pending_output_ += ' ';
      pending_output_ += a.key;
      if (a.has_value) {
        pending_output_ += "=\"";
        for (char ch : a.value) {
          switch (ch) {
            case '&':
              pending_output_ += "&amp;";
              break;
            case '<':
              pending_output_ += "&lt;";
              break;
            case '>':
              pending_output_ += "&gt;";
              break;
            case '"':
              pending_output_ += "&quot;";
              break;
            default:
              pending_output_ += ch;
          }
        }
        pending_output_ += '"';
      }
    }
    pending_output_ += '>';
    pending_last_ = self_closing ? Last::kEndTag : Last::kStartTag;
    pending_tag_ = name;
    return k;
  }

  // Attribute values are compared unescaped, as HTMLParser hands them over.
  static std::string unescape_attribute(std::string_view raw) {
    std::string out;
    size_t i = 0;
    while (i < raw.size()) {
      if (raw[i] == '&') {
        size_t semi = raw.find(';', i);
        if (semi != std::string_view::npos && semi > i + 1) {
          std::string_view ref = raw.substr(i + 1, semi - i - 1);
          uint32_t cp = 0;
          bool ok = false;
          if (ref[0] == '#') {
            bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
            std::string_view digits = ref.substr(hex ? 2 : 1);
            ok = !digits.empty();
            for (char d : digits) {
              if (hex ? !std::isxdigit(static_cast<unsigned char>(d))
                      : !std::isdigit(static_cast<unsigned char>(d))) {
                ok = false;
                break;
              }
              uint32_t v = (d >= '0' && d <= '9') ? d - '0' : (lower(d) - 'a' + 10);
              if (cp < 0x110000) cp = cp * (hex ? 16 : 10) + v;
            }
            ok = ok && cp > 0 && cp <= 0x10FFFF;
          } else {
            ok = named_reference(ref, cp);
          }
          if (ok) {
            append_utf8(out, cp);
            i = semi + 1;
            continue;
          }
        }
      }
      out += raw[i++];
    }
    return out;
  }

  std::string output_;
  Last last_ = Last::kStartTag;
  std::string last_tag_;
  bool in_pre_ = false;

  // The token recognised but not yet emitted (see flush_pending).
  std::string pending_output_;
  Last pending_last_ = Last::kData;
  std::string pending_tag_;
  bool pending_sets_pre_ = false;
  bool pending_in_pre_ = false;
  bool pending_rstrip_ = false;
};

}  // namespace

std::string normalize_html(std::string_view html) { return Normalizer().run(html); }

}  // namespace byline::spec
