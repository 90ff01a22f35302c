// The conversion walks gumbo's tree once. Block containers collect their
// children into Markdown blocks; runs of inline content become paragraphs.
// Anything emitted as raw HTML is serialised from the tree (not copied from
// the source) so URLs are rewritten there too and blank lines, which would
// end a Markdown HTML block, never appear inside it.
#include "import/html_to_markdown.h"

#include <gumbo.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"

namespace byline {

namespace {

constexpr char kHardBreak = '\x02';

enum class BlockKind { kParagraph, kList, kOther };

struct Block {
  BlockKind kind;
  std::string text;
};

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string name_of(const GumboNode* n) {
  const GumboElement& el = n->v.element;
  if (el.tag != GUMBO_TAG_UNKNOWN && el.tag_namespace == GUMBO_NAMESPACE_HTML) {
    return gumbo_normalized_tagname(el.tag);
  }
  GumboStringPiece piece = el.original_tag;
  gumbo_tag_from_original_text(&piece);
  if (piece.data && piece.length) return std::string(piece.data, piece.length);
  return gumbo_normalized_tagname(el.tag);
}

const char* attr_of(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool is_element(const GumboNode* n, GumboTag tag) {
  return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag;
}

bool is_void(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

bool is_block_tag(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return true;  // svg, math
  switch (n->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SVG:
      return true;
    default:
      return false;
  }
}

// Elements whose content is not text for a reader: kept as HTML wherever
// they stand.
bool is_embedded_content(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return false;
  }
}

// CommonMark's HTML block kinds 1 and 6 start with these names; any other
// element only opens an HTML block when its tag stands alone on its line.
bool opens_html_block_by_name(std::string_view name) {
  static const char* const kNames[] = {
      "address",  "article",    "aside",   "blockquote", "body",    "caption", "center",   "col",
      "colgroup", "dd",         "details", "dialog",     "dir",     "div",     "dl",       "dt",
      "fieldset", "figcaption", "figure",  "footer",     "form",    "frame",   "frameset", "h1",
      "h2",       "h3",         "h4",      "h5",         "h6",      "header",  "hr",       "html",
      "iframe",   "legend",     "li",      "link",       "main",    "menu",    "nav",      "ol",
      "optgroup", "option",     "p",       "param",      "section", "summary", "table",    "tbody",
      "td",       "tfoot",      "th",      "thead",      "tr",      "track",   "ul",       "pre",
      "script",   "style",      "textarea"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

// Markup that only carries block-editor bookkeeping is not worth keeping
// HTML for; anything else (style, alignment, ids) is.
bool has_presentational_attributes(const GumboNode* n) {
  const GumboVector& attrs = n->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    std::string_view name = a->name;
    if (name == "class") {
      for (std::string_view token : split(a->value, ' ')) {
        if (!token.empty() && !starts_with(token, "wp-block-")) return true;
      }
      continue;
    }
    if (name == "start" && n->v.element.tag == GUMBO_TAG_OL) continue;
    return true;
  }
  return false;
}

void text_content(const GumboNode* n, std::string& out) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    out += n->v.text.text;
    return;
  }
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
    if (is_element(n, GUMBO_TAG_BR)) out += '\n';
    const GumboVector& c = n->v.element.children;
    for (unsigned i = 0; i < c.length; ++i) text_content(static_cast<GumboNode*>(c.data[i]), out);
  }
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool looks_like_entity(std::string_view s, size_t amp) {
  size_t j = amp + 1;
  if (j < s.size() && s[j] == '#') ++j;
  size_t start = j;
  while (j < s.size() && j - start < 32 && is_ascii_alnum(s[j])) ++j;
  return j > start && j < s.size() && s[j] == ';';
}

void escape_text(std::string_view s, std::string& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '~':
        out += '\\';
        out += c;
        break;
      case '_': {
        // Intraword underscores cannot make emphasis; leave snake_case readable.
        bool before = i > 0 && is_ascii_alnum(s[i - 1]);
        bool after = i + 1 < s.size() && is_ascii_alnum(s[i + 1]);
        if (!(before && after)) out += '\\';
        out += c;
        break;
      }
      case '&':
        if (looks_like_entity(s, i)) out += '\\';
        out += c;
        break;
      case '@':
        // WordPress shows a typed address as text; Markdown's autolinks
        // would make it a mailto: link (and a harvestable one).
        if (i > 0 && i + 1 < s.size() && is_ascii_alnum(s[i + 1]) &&
            (is_ascii_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '_' || s[i - 1] == '-' ||
             s[i - 1] == '+')) {
          out += '\\';
        }
        out += c;
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
}

void escape_title(std::string_view s, std::string& out) {
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' ? ' ' : c);
  }
}

void append_destination(std::string_view url, std::string& out) {
  bool needs_angle = url.empty() || url.find_first_of(" ()<>\t\n") != std::string_view::npos;
  if (!needs_angle) {
    for (char c : url) {
      if (c == '\\') out += '\\';
      out += c;
    }
    return;
  }
  out += '<';
  for (char c : url) {
    if (c == '<') {
      out += "%3C";
    } else if (c == '>') {
      out += "%3E";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  out += '>';
}

// Escapes characters that would start a block at the beginning of a line
// of paragraph text.
void escape_line_start(std::string& line) {
  size_t i = 0;
  if (line.empty()) return;
  char c = line[i];
  if (c == '#' || c == '>' || c == '+' || c == '-' || c == '=' || c == '|') {
    line = "\\" + line;
    return;
  }
  size_t d = 0;
  while (d < line.size() && d < 9 && line[d] >= '0' && line[d] <= '9') ++d;
  if (d > 0 && d < line.size() && (line[d] == '.' || line[d] == ')')) {
    line = line.substr(0, d) + "\\" + line.substr(d);
  }
}

std::string fence_for(std::string_view code, char ch) {
  size_t longest = 0, run = 0;
  for (char c : code) {
    run = c == ch ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), ch);
}

class Converter {
 public:
  explicit Converter(const HtmlToMarkdownOptions& options) : options_(options) {}

  std::vector<std::string> problems;

  std::string url(const char* value) {
    if (!value) return "";
    return options_.rewrite_url ? options_.rewrite_url(value) : std::string(value);
  }

  std::string blocks(const GumboNode* container, bool in_list_item = false) {
    std::vector<Block> parts;
    std::string inline_buf;
    auto flush = [&] {
      std::string para = finish_paragraph(inline_buf);
      inline_buf.clear();
      if (!para.empty()) parts.push_back({BlockKind::kParagraph, std::move(para)});
    };
    const GumboVector& children = container->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type == GUMBO_NODE_COMMENT) {
        if (trim(child->v.text.text).starts_with("more")) {
          flush();
          parts.push_back({BlockKind::kOther, "<!--more-->"});
          continue;
        }
        inline_node(child, inline_buf);
        continue;
      }
      if (!is_block_tag(child)) {
        inline_node(child, inline_buf);
        continue;
      }
      flush();
      Block b = block(child);
      if (!b.text.empty()) parts.push_back(std::move(b));
    }
    flush();
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) {
        const Block& prev = parts[i - 1];
        if (in_list_item && prev.kind == BlockKind::kParagraph &&
            parts[i].kind == BlockKind::kList) {
          out += "\n";
        } else if (prev.kind == BlockKind::kList && parts[i].kind == BlockKind::kList) {
          out += "\n\n<!-- -->\n\n";  // keeps two lists from merging into one
        } else {
          out += "\n\n";
        }
      }
      out += parts[i].text;
    }
    return out;
  }

 private:
  const HtmlToMarkdownOptions& options_;
  bool at_block_level_ = false;  // raw() is serialising a whole Markdown block
  bool pre_block_ = false;       // ... which is a <pre>: newlines may stay

  std::string finish_paragraph(std::string_view buf) {
    // Whitespace collapses as the browser would; hard breaks survive.
    std::string collapsed;
    bool space = false;
    for (char c : buf) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        space = true;
        continue;
      }
      if (c == kHardBreak) {
        space = false;
        collapsed += c;
        continue;
      }
      if (space && !collapsed.empty() && collapsed.back() != kHardBreak) collapsed += ' ';
      space = false;
      collapsed += c;
    }
    while (!collapsed.empty() && (collapsed.back() == kHardBreak || collapsed.back() == ' ')) {
      collapsed.pop_back();
    }
    size_t start = collapsed.find_first_not_of(std::string(" ") + kHardBreak);
    if (start == std::string::npos) return "";
    collapsed.erase(0, start);
    // A paragraph of only no-break spaces is WordPress spacing, not text.
    std::string probe = collapsed;
    replace_all(probe, "\xC2\xA0", "");
    if (trim(probe).empty()) return "";
    std::string out, leading;
    for (std::string_view line : split(collapsed, kHardBreak)) {
      std::string l(trim(line));
      // A line opening with "<!--" would start a raw HTML block in
      // Markdown (showing the rest of the paragraph as typed): the comment
      // moves to the end of its line, or of the line before.
      std::string comments;
      while (starts_with(l, "<!--")) {
        size_t end = l.find("-->");
        if (end == std::string::npos) break;
        comments += l.substr(0, end + 3);
        l = std::string(trim(std::string_view(l).substr(end + 3)));
      }
      if (l.empty() && !comments.empty()) {
        if (out.empty()) {
          leading += comments;
        } else {
          out += comments;
        }
        continue;
      }
      escape_line_start(l);
      l += comments;
      if (!out.empty()) out += "\\\n";
      out += l;
    }
    // Comments alone before any text form a block of their own.
    if (!leading.empty()) return out.empty() ? leading : leading + "\n\n" + out;
    return out;
  }

  std::string inline_children(const GumboNode* n) {
    std::string out;
    const GumboVector& c = n->v.element.children;
    for (unsigned i = 0; i < c.length; ++i) inline_node(static_cast<GumboNode*>(c.data[i]), out);
    return out;
  }

  void wrap(const GumboNode* n, std::string_view marker, std::string& out) {
    std::string inner = inline_children(n);
    size_t a = inner.find_first_not_of(" \t\n");
    if (a == std::string::npos) {
      if (!inner.empty()) out += ' ';
      return;
    }
    size_t b = inner.find_last_not_of(" \t\n");
    if (a > 0) out += ' ';
    out += marker;
    out.append(inner, a, b + 1 - a);
    out += marker;
    if (b + 1 < inner.size()) out += ' ';
  }

  void inline_node(const GumboNode* n, std::string& out) {
    switch (n->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
        escape_text(n->v.text.text, out);
        return;
      case GUMBO_NODE_WHITESPACE:
        out += ' ';
        return;
      case GUMBO_NODE_COMMENT: {
        // Comments (and "<![CDATA[…]]>", which HTML reads as one) stay
        // verbatim: invisible, as on the old site, but not lost.
        GumboStringPiece original = n->v.text.original_text;
        std::string_view text(original.data ? original.data : "", original.length);
        if (starts_with(text, "<!") && ends_with(text, ">") &&
            text.find('\n') == std::string_view::npos) {
          out += text;
        }
        return;
      }
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        return;
    }
    note_problems(n);
    const GumboElement& el = n->v.element;
    if (el.tag_namespace != GUMBO_NAMESPACE_HTML) {
      raw(n, out);
      return;
    }
    switch (el.tag) {
      case GUMBO_TAG_BR:
        out += kHardBreak;
        return;
      case GUMBO_TAG_STRONG:
      case GUMBO_TAG_B:
        if (el.attributes.length == 0) return wrap(n, "**", out);
        break;
      case GUMBO_TAG_EM:
      case GUMBO_TAG_I:
        if (el.attributes.length == 0) return wrap(n, "*", out);
        break;
      case GUMBO_TAG_DEL:
      case GUMBO_TAG_S:
      case GUMBO_TAG_STRIKE:
        if (el.attributes.length == 0) return wrap(n, "~~", out);
        break;
      case GUMBO_TAG_CODE: {
        if (el.attributes.length != 0) break;
        std::string code;
        text_content(n, code);
        for (char& c : code) {
          if (c == '\n') c = ' ';
        }
        size_t longest = 0, run = 0;
        for (char c : code) {
          run = c == '`' ? run + 1 : 0;
          longest = std::max(longest, run);
        }
        std::string ticks(longest + 1, '`');
        bool pad = !code.empty() && (code.front() == '`' || code.back() == '`' ||
                                     (code.front() == ' ' && code.back() == ' '));
        out += ticks;
        if (pad) out += ' ';
        out += code;
        if (pad) out += ' ';
        out += ticks;
        return;
      }
      case GUMBO_TAG_A: {
        const char* href = attr_of(n, "href");
        if (!href) {
          out += inline_children(n);
          return;
        }
        std::string inner = inline_children(n);
        out += '[';
        out += trim(inner);
        out += "](";
        append_destination(url(href), out);
        if (const char* title = attr_of(n, "title"); title && *title) {
          out += " \"";
          escape_title(title, out);
          out += '"';
        }
        out += ')';
        return;
      }
      case GUMBO_TAG_IMG: {
        const char* alt = attr_of(n, "alt");
        out += "![";
        if (alt) escape_text(alt, out);
        out += "](";
        // An image's title attribute is a tooltip; in byline a title on an
        // image alone in its paragraph is a figure caption, so it is dropped.
        append_destination(url(attr_of(n, "src")), out);
        out += ')';
        return;
      }
      case GUMBO_TAG_SPAN:
        if (el.attributes.length == 0) {
          out += inline_children(n);
          return;
        }
        break;
      default:
        break;
    }
    if (is_embedded_content(el.tag)) {
      // Players, scripts and drawings have no Markdown form and no text to
      // keep flowing: wpautop puts a lone <iframe> in a <p>, and it must
      // come through whole.
      raw(n, out);
      return;
    }
    if (is_block_tag(n)) {
      // A block inside inline content (a <div> in a link): keep its text flowing.
      out += ' ';
      out += inline_children(n);
      out += ' ';
      return;
    }
    // Inline HTML Markdown has no syntax for (sup, abbr, styled spans): keep
    // the tags, convert what is inside them.
    std::string name = name_of(n);
    out += '<';
    out += name;
    append_attributes(n, out);
    out += '>';
    if (is_void(el.tag)) return;
    out += inline_children(n);
    out += "</";
    out += name;
    out += '>';
  }

  Block block(const GumboNode* n) {
    note_problems(n);
    const GumboElement& el = n->v.element;
    GumboTag tag = el.tag_namespace == GUMBO_NAMESPACE_HTML ? el.tag : GUMBO_TAG_UNKNOWN;
    switch (tag) {
      case GUMBO_TAG_P:
        if (has_presentational_attributes(n)) break;
        return {BlockKind::kParagraph, finish_paragraph(inline_children(n))};
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6: {
        if (has_presentational_attributes(n)) break;
        std::string text = finish_paragraph(inline_children(n));
        if (text.empty()) return {BlockKind::kOther, ""};
        replace_all(text, "\\\n", " ");
        if (text[0] == '\\' && text.size() > 1 && text[1] == '#') text.erase(0, 1);
        int level = 1 + static_cast<int>(tag - GUMBO_TAG_H1);
        return {BlockKind::kOther, std::string(level, '#') + " " + text};
      }
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
        if (has_presentational_attributes(n)) break;
        return {BlockKind::kList, list(n, tag == GUMBO_TAG_OL)};
      case GUMBO_TAG_LI:
        return {BlockKind::kOther, blocks(n, true)};
      case GUMBO_TAG_BLOCKQUOTE: {
        if (has_presentational_attributes(n)) break;
        std::string inner = blocks(n);
        if (inner.empty()) return {BlockKind::kOther, ""};
        std::string out;
        for (std::string_view line : split(inner, '\n')) {
          if (!out.empty()) out += '\n';
          out += line.empty() ? ">" : "> " + std::string(line);
        }
        return {BlockKind::kOther, out};
      }
      case GUMBO_TAG_PRE: {
        if (has_presentational_attributes(n)) break;
        // Only plain text (maybe inside one <code>) becomes a code block.
        const GumboVector& c = el.children;
        bool plain = true;
        std::string language;
        for (unsigned i = 0; i < c.length; ++i) {
          auto* k = static_cast<const GumboNode*>(c.data[i]);
          if (k->type == GUMBO_NODE_ELEMENT && !is_element(k, GUMBO_TAG_CODE)) plain = false;
          if (is_element(k, GUMBO_TAG_CODE)) {
            // <code class="language-python"> names the fence's language.
            const GumboAttribute* cls = gumbo_get_attribute(&k->v.element.attributes, "class");
            if (cls && starts_with(cls->value, "language-")) {
              std::string_view lang = std::string_view(cls->value).substr(9);
              lang = lang.substr(0, lang.find(' '));
              if (lang.find_first_of("`~\n") == std::string_view::npos) language = lang;
            }
            const GumboVector& cc = k->v.element.children;
            for (unsigned j = 0; j < cc.length; ++j) {
              if (static_cast<const GumboNode*>(cc.data[j])->type == GUMBO_NODE_ELEMENT) {
                plain = false;
              }
            }
          }
        }
        if (!plain) break;
        std::string code;
        text_content(n, code);
        while (!code.empty() && code.back() == '\n') code.pop_back();
        std::string fence = fence_for(code, '`');
        return {BlockKind::kOther, fence + language + "\n" + code + "\n" + fence};
      }
      case GUMBO_TAG_HR:
        return {BlockKind::kOther, "* * *"};
      case GUMBO_TAG_TABLE: {
        std::string table;
        if (simple_table(n, &table)) return {BlockKind::kOther, table};
        break;
      }
      case GUMBO_TAG_FIGURE: {
        std::string fig;
        if (simple_figure(n, &fig)) return {BlockKind::kParagraph, fig};
        break;
      }
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_ASIDE:
      case GUMBO_TAG_HEADER:
      case GUMBO_TAG_FOOTER:
      case GUMBO_TAG_MAIN:
      case GUMBO_TAG_HGROUP:
        // A container with any class or style is layout (columns, groups,
        // covers): keep it whole. A bare one only groups its content.
        if (el.attributes.length > 0) break;
        return {BlockKind::kOther, blocks(n)};
      default:
        break;
    }
    std::string html;
    at_block_level_ = true;
    raw(n, html);
    at_block_level_ = false;
    // An element CommonMark does not know as a block opener must stand alone
    // on its first line to open an HTML block.
    std::string name = name_of(n);
    if (!opens_html_block_by_name(name)) {
      size_t gt = html.find('>');
      if (gt != std::string::npos && gt + 1 < html.size() && html[gt + 1] != '\n') {
        html = html.substr(0, gt + 1) + "\n" + html.substr(gt + 1);
      }
    }
    return {BlockKind::kOther, html};
  }

  std::string list(const GumboNode* n, bool ordered) {
    long number = 1;
    if (const char* start = attr_of(n, "start")) number = std::strtol(start, nullptr, 10);
    std::vector<std::string> items;
    bool loose = false;
    const GumboVector& c = n->v.element.children;
    for (unsigned i = 0; i < c.length; ++i) {
      auto* item = static_cast<const GumboNode*>(c.data[i]);
      if (item->type != GUMBO_NODE_ELEMENT) continue;
      note_problems(item);
      std::string content = is_element(item, GUMBO_TAG_LI) ? blocks(item, true) : block(item).text;
      if (content.find("\n\n") != std::string::npos) loose = true;
      std::string marker = ordered ? std::to_string(number++) + ". " : "- ";
      std::string indent(marker.size(), ' ');
      std::string out = content.empty() ? std::string(trim(marker)) : marker;
      bool first = true;
      for (std::string_view line : split(content, '\n')) {
        if (!first) {
          out += '\n';
          if (!line.empty()) out += indent;
        }
        out += line;
        first = false;
      }
      items.push_back(std::move(out));
    }
    std::string out;
    for (const std::string& item : items) {
      if (!out.empty()) out += loose ? "\n\n" : "\n";
      out += item;
    }
    return out;
  }

  // A table with a header row of <th>, body rows of <td>, inline content and
  // no attributes anywhere is a GFM table; anything richer stays HTML.
  bool simple_table(const GumboNode* table, std::string* out) {
    if (table->v.element.attributes.length) return false;
    std::vector<const GumboNode*> rows;
    auto take_rows = [&](const GumboNode* parent) {
      const GumboVector& c = parent->v.element.children;
      for (unsigned i = 0; i < c.length; ++i) {
        auto* k = static_cast<const GumboNode*>(c.data[i]);
        if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
        if (!is_element(k, GUMBO_TAG_TR) || k->v.element.attributes.length) return false;
        rows.push_back(k);
      }
      return true;
    };
    const GumboVector& sections = table->v.element.children;
    for (unsigned i = 0; i < sections.length; ++i) {
      auto* k = static_cast<const GumboNode*>(sections.data[i]);
      if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
      bool section = is_element(k, GUMBO_TAG_THEAD) || is_element(k, GUMBO_TAG_TBODY) ||
                     is_element(k, GUMBO_TAG_TFOOT);
      if (!section || k->v.element.attributes.length || !take_rows(k)) return false;
    }
    if (rows.size() < 2) return false;
    std::vector<std::vector<std::string>> cells;
    size_t columns = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> row;
      const GumboVector& c = rows[r]->v.element.children;
      for (unsigned i = 0; i < c.length; ++i) {
        auto* cell = static_cast<const GumboNode*>(c.data[i]);
        if (cell->type == GUMBO_NODE_WHITESPACE || cell->type == GUMBO_NODE_COMMENT) continue;
        GumboTag want = r == 0 ? GUMBO_TAG_TH : GUMBO_TAG_TD;
        if (!is_element(cell, want) || cell->v.element.attributes.length) return false;
        const GumboVector& inner = cell->v.element.children;
        for (unsigned j = 0; j < inner.length; ++j) {
          if (is_block_tag(static_cast<const GumboNode*>(inner.data[j]))) return false;
        }
        std::string text = finish_paragraph(inline_children(cell));
        if (text.find('\n') != std::string::npos) return false;  // a <br> in a cell
        std::string escaped;
        for (char ch : text) {
          if (ch == '|') escaped += '\\';
          escaped += ch;
        }
        row.push_back(std::move(escaped));
      }
      columns = std::max(columns, row.size());
      cells.push_back(std::move(row));
    }
    if (columns == 0) return false;
    std::string md;
    for (size_t r = 0; r < cells.size(); ++r) {
      cells[r].resize(columns);
      md += '|';
      for (const std::string& cell : cells[r]) md += " " + cell + " |";
      md += '\n';
      if (r == 0) {
        md += '|';
        for (size_t i = 0; i < columns; ++i) md += " --- |";
        md += '\n';
      }
    }
    md.pop_back();
    *out = std::move(md);
    return true;
  }

  // <figure> holding one image (maybe linked to itself) and an optional
  // <figcaption>: byline's figure paragraph, ![alt](src "caption | credit").
  bool simple_figure(const GumboNode* n, std::string* out) {
    // A styled figure (a background image, colours) says more than
    // Markdown can: it stays HTML.
    if (attr_of(n, "style")) return false;
    const GumboNode* img = nullptr;
    const GumboNode* caption = nullptr;
    const GumboVector& c = n->v.element.children;
    for (unsigned i = 0; i < c.length; ++i) {
      auto* k = static_cast<const GumboNode*>(c.data[i]);
      if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
      if (k->type != GUMBO_NODE_ELEMENT || (img == nullptr && caption != nullptr)) return false;
      if (is_element(k, GUMBO_TAG_IMG) && !img) {
        img = k;
      } else if (is_element(k, GUMBO_TAG_A) && !img) {
        const GumboVector& ac = k->v.element.children;
        const GumboNode* inner = nullptr;
        for (unsigned j = 0; j < ac.length; ++j) {
          auto* a = static_cast<const GumboNode*>(ac.data[j]);
          if (a->type == GUMBO_NODE_WHITESPACE) continue;
          if (!is_element(a, GUMBO_TAG_IMG) || inner) return false;
          inner = a;
        }
        const char* href = attr_of(k, "href");
        const char* src = inner ? attr_of(inner, "src") : nullptr;
        // A link to the image itself adds nothing; one to the full-size
        // file (or anywhere else) is kept, in an HTML figure.
        if (!inner || !href || !src || std::strcmp(href, src) != 0) return false;
        img = inner;
      } else if (is_element(k, GUMBO_TAG_FIGCAPTION) && img && !caption) {
        caption = k;
      } else {
        return false;
      }
    }
    if (!img) return false;
    // A Markdown image title holds plain text only: a caption with links or
    // emphasis stays an HTML figure rather than lose them.
    if (caption) {
      const GumboVector& cc = caption->v.element.children;
      for (unsigned i = 0; i < cc.length; ++i) {
        auto* k = static_cast<const GumboNode*>(cc.data[i]);
        if (k->type == GUMBO_NODE_ELEMENT && !is_element(k, GUMBO_TAG_BR)) return false;
      }
    }
    std::string text;
    if (caption) text_content(caption, text);
    text = collapse_spaces(text);
    std::string title = text, credit;
    std::string caption_part;
    if (split_caption_credit(text, &caption_part, &credit)) {
      title = caption_part + " | " + credit;
    }
    std::string md = "![";
    if (const char* alt = attr_of(img, "alt")) escape_text(alt, md);
    md += "](";
    append_destination(url(attr_of(img, "src")), md);
    if (!title.empty()) {
      md += " \"";
      escape_title(title, md);
      md += '"';
    }
    md += ')';
    *out = std::move(md);
    return true;
  }

  // url(…) in an inline style (a cover block's background image) points at
  // the old site's uploads like any src.
  std::string rewrite_css_urls(const std::string& css) {
    std::string out;
    size_t pos = 0;
    while (true) {
      // CSS keywords ignore case: URL( is url(.
      size_t open = pos;
      while ((open = css.find_first_of("uU", open)) != std::string::npos &&
             !(open + 4 <= css.size() && (css[open + 1] | 0x20) == 'r' &&
               (css[open + 2] | 0x20) == 'l' && css[open + 3] == '(')) {
        ++open;
      }
      if (open == std::string::npos) break;
      size_t start = open + 4;
      size_t close = css.find(')', start);
      if (close == std::string::npos) break;
      std::string_view inner = trim(std::string_view(css).substr(start, close - start));
      char quote =
          !inner.empty() && (inner.front() == '\'' || inner.front() == '"') ? inner.front() : 0;
      if (quote && inner.size() >= 2 && inner.back() == quote)
        inner = inner.substr(1, inner.size() - 2);
      out.append(css, pos, start - pos);
      if (quote) out += quote;
      out += url(std::string(inner).c_str());
      if (quote) out += quote;
      out += ')';
      pos = close + 1;
    }
    out.append(css, pos, std::string::npos);
    return out;
  }

  void append_attributes(const GumboNode* n, std::string& out) {
    const GumboVector& attrs = n->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
      auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
      std::string_view name = a->name;
      std::string value = a->value;
      if (name == "href" || name == "src" || name == "poster" || name == "data") {
        value = url(a->value);
      } else if (name == "srcset") {
        std::string rewritten;
        for (std::string_view candidate : split(a->value, ',')) {
          candidate = trim(candidate);
          size_t sp = candidate.find(' ');
          if (!rewritten.empty()) rewritten += ", ";
          rewritten += url(std::string(candidate.substr(0, sp)).c_str());
          if (sp != std::string_view::npos) rewritten += candidate.substr(sp);
        }
        value = rewritten;
      } else if (name == "style") {
        value = rewrite_css_urls(value);
      }
      out += ' ';
      out += name;
      out += "=\"";
      append_html_escaped(out, value);
      out += '"';
    }
  }

  void serialize(const GumboNode* n, std::string& out, bool in_pre, bool raw_text) {
    switch (n->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA: {
        std::string_view t = n->v.text.text;
        if (raw_text) {
          out += t;
        } else if (in_pre) {
          // Newlines in <pre> are content; as character references they
          // cannot end the surrounding Markdown HTML block.
          std::string esc = html_escape(t);
          if (!pre_block_) replace_all(esc, "\n", "&#10;");
          out += esc;
        } else {
          append_html_escaped(out, t);
        }
        return;
      }
      case GUMBO_NODE_COMMENT:
        out += "<!--";
        out += n->v.text.text;
        out += "-->";
        return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:
        return;
    }
    note_problems(n);
    std::string name = name_of(n);
    out += '<';
    out += name;
    append_attributes(n, out);
    const GumboElement& el = n->v.element;
    if (el.tag_namespace == GUMBO_NAMESPACE_HTML && is_void(el.tag)) {
      out += '>';
      return;
    }
    if (el.tag_namespace != GUMBO_NAMESPACE_HTML && el.children.length == 0) {
      out += "/>";
      return;
    }
    out += '>';
    bool pre = in_pre || el.tag == GUMBO_TAG_PRE || el.tag == GUMBO_TAG_TEXTAREA;
    if ((el.tag == GUMBO_TAG_PRE || el.tag == GUMBO_TAG_TEXTAREA) && el.children.length > 0) {
      // HTML drops a newline right after <pre>; one the content starts with
      // must be doubled to survive.
      auto* first = static_cast<const GumboNode*>(el.children.data[0]);
      if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE) &&
          first->v.text.text[0] == '\n') {
        out += '\n';
      }
    }
    bool rawt = el.tag == GUMBO_TAG_SCRIPT || el.tag == GUMBO_TAG_STYLE;
    for (unsigned i = 0; i < el.children.length; ++i) {
      serialize(static_cast<const GumboNode*>(el.children.data[i]), out, pre, rawt);
    }
    out += "</";
    out += name;
    out += '>';
  }

  void raw(const GumboNode* n, std::string& out) {
    std::string html;
    if (is_element(n, GUMBO_TAG_PRE) && at_block_level_) {
      // A Markdown HTML block opened by <pre> runs to </pre>, blank lines
      // and all, so the text can keep its real newlines.
      pre_block_ = true;
      serialize(n, html, false, false);
      pre_block_ = false;
      out += html;
      return;
    }
    serialize(n, html, false, false);
    // A blank line would end the HTML block; outside <pre> it means nothing.
    std::string cleaned;
    cleaned.reserve(html.size());
    for (size_t i = 0; i < html.size(); ++i) {
      cleaned += html[i];
      if (html[i] == '\n') {
        size_t j = i + 1;
        while (j < html.size() && (html[j] == ' ' || html[j] == '\t' || html[j] == '\n')) ++j;
        if (html.substr(i + 1, j - i - 1).find('\n') != std::string::npos) i = j - 1;
      }
    }
    out += cleaned;
  }

  void note_problems(const GumboNode* n) {
    unsigned flags = n->parse_flags;
    const GumboElement& el = n->v.element;
    std::string name = name_of(n);
    std::string where = " (line " + std::to_string(el.start_pos.line) + " of the content)";
    if (flags & (GUMBO_INSERTION_ADOPTION_AGENCY_CLONED | GUMBO_INSERTION_ADOPTION_AGENCY_MOVED |
                 GUMBO_INSERTION_RECONSTRUCTED_FORMATTING_ELEMENT)) {
      problems.push_back("misnested <" + name + ">" + where);
    } else if (flags & GUMBO_INSERTION_FOSTER_PARENTED) {
      problems.push_back("<" + name + "> misplaced inside a table" + where);
    } else if ((flags & GUMBO_INSERTION_IMPLICIT_END_TAG) && el.original_end_tag.length == 0) {
      switch (el.tag) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_OPTION:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TFOOT:
        case GUMBO_TAG_COLGROUP:
        case GUMBO_TAG_HTML:
        case GUMBO_TAG_BODY:
        case GUMBO_TAG_HEAD:
          break;
        default:
          if (!is_void(el.tag) && el.tag_namespace == GUMBO_NAMESPACE_HTML) {
            problems.push_back("<" + name + "> is never closed" + where);
          }
      }
    }
  }
};

}  // namespace

bool split_caption_credit(std::string_view text, std::string* caption, std::string* credit) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t best = std::string::npos;
  for (std::string_view label : {"photo:", "photograph:", "photo by ", "photo credit:", "credit:",
                                 "image:", "picture:", "illustration:", "source:"}) {
    size_t at = lower.rfind(label);
    if (at == std::string::npos) continue;
    // The label must start a word and come after some caption text.
    if (at > 0 && std::isalnum(static_cast<unsigned char>(lower[at - 1]))) continue;
    if (best == std::string::npos || at < best) best = at;
  }
  if (best == std::string::npos || best == 0) return false;
  std::string_view before = text.substr(0, best);
  std::string_view after = trim(text.substr(best));
  bool paren = !before.empty() && trim(before).ends_with("(") && after.ends_with(")");
  if (paren) {
    before = trim(before);
    before.remove_suffix(1);
    after.remove_suffix(1);
  }
  before = trim(before);
  while (!before.empty() &&
         (before.back() == '-' || before.back() == '|' || before.back() == '/')) {
    before.remove_suffix(1);
    before = trim(before);
  }
  if (before.empty() || trim(after).empty()) return false;
  *caption = std::string(before);
  *credit = std::string(trim(after));
  return true;
}

std::string html_to_plain_text(std::string_view html) {
  if (html.find_first_of("<&") == std::string_view::npos) return collapse_spaces(html);
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.fragment_context = GUMBO_TAG_BODY;
  gumbo_options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&gumbo_options, html.data(), html.size());
  std::string text;
  text_content(output->root, text);
  gumbo_destroy_output(&gumbo_options, output);
  return collapse_spaces(text);
}

MarkdownConversion html_to_markdown(std::string_view html, const HtmlToMarkdownOptions& options) {
  MarkdownConversion result;
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.fragment_context = GUMBO_TAG_BODY;
  gumbo_options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&gumbo_options, html.data(), html.size());
  const GumboNode* root = output->root;
  // Fragment parsing puts the nodes straight under <html>; a full document
  // has them in <body>.
  const GumboVector& top = root->v.element.children;
  for (unsigned i = 0; i < top.length; ++i) {
    auto* k = static_cast<const GumboNode*>(top.data[i]);
    if (is_element(k, GUMBO_TAG_BODY)) root = k;
  }
  Converter converter(options);
  result.markdown = converter.blocks(root);
  result.problems = std::move(converter.problems);
  gumbo_destroy_output(&gumbo_options, output);
  return result;
}

}  // namespace byline
