// One parse, one walk over the AST that rewrites it for byline's additions
// and collects text, one cmark render. byline never edits the HTML string:
// rewritten nodes become custom nodes whose markup cmark prints verbatim.
#include "markdown/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/strings.h"
#include "images/picture_markup.h"
#include "markdown/cmark_global_state.h"
#include "markdown/document_arena.h"
#include "markdown/html_images.h"

namespace byline {
namespace {

// ---------------------------------------------------------------- parsing

// No CMARK_OPT_GITHUB_PRE_LANG: GFM's spec (and themes' highlighters)
// expect <pre><code class="language-x">, not <pre lang="x">.
int cmark_options(const MarkdownOptions& options) {
  int flags = CMARK_OPT_DEFAULT;
  if (options.smart_punctuation) flags |= CMARK_OPT_SMART;
  if (options.footnotes) flags |= CMARK_OPT_FOOTNOTES;
  if (options.unsafe_html) flags |= CMARK_OPT_UNSAFE;
  if (options.hard_wraps) flags |= CMARK_OPT_HARDBREAKS;
  return flags;
}

void attach_extension(cmark_parser* parser, const char* name) {
  if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
    cmark_parser_attach_syntax_extension(parser, ext);
}

// Until cmark has been seen calling byline's guard, inline phases run one at
// a time (see cmark_global_state.h).
std::mutex g_unguarded_inline_phase;

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// The parser, its tree, and the nodes the rewrite took out of the tree.
// Those are freed only with the rest: inline literals (raw HTML, text not yet
// copied) point into their block's buffer, so a heading or paragraph whose
// children moved elsewhere must outlive the render. Members are destroyed
// bottom-up: retired nodes, then the tree, then the parser, and last the
// arena all of them were allocated from.
struct ParsedDocument {
  DocumentArenaLease arena;
  std::unique_ptr<cmark_parser, ParserDeleter> parser;
  std::unique_ptr<cmark_node, NodeDeleter> root;
  std::vector<std::unique_ptr<cmark_node, NodeDeleter>> retired;

  ParsedDocument(std::string_view markdown, const MarkdownOptions& options, int flags);
  ParsedDocument(const ParsedDocument&) = delete;
  ParsedDocument& operator=(const ParsedDocument&) = delete;
  // From the arena, the tree and the parser go with it: walking them only
  // to call a free that does nothing is skipped.
  ~ParsedDocument() {
    if (!arena.is_arena()) return;
    for (auto& node : retired) static_cast<void>(node.release());
    static_cast<void>(root.release());
    static_cast<void>(parser.release());
  }

  // A node for the rewrite to add: from the same allocator as the tree, as
  // cmark frees a tree with its root's allocator.
  cmark_node* custom(cmark_node_type type, const char* on_enter, const char* on_exit) {
    cmark_node* node = cmark_node_new_with_mem(type, arena.mem());
    cmark_node_set_on_enter(node, on_enter);
    cmark_node_set_on_exit(node, on_exit);
    return node;
  }

  // Puts `replacement` where `node` is and retires `node`.
  void replace(cmark_node* node, cmark_node* replacement) {
    cmark_node_insert_before(node, replacement);
    cmark_node_unlink(node);
    retired.emplace_back(node);
  }
};

ParsedDocument::ParsedDocument(std::string_view markdown, const MarkdownOptions& options,
                               int flags) {
  ensure_cmark_extensions_registered();
  parser.reset(cmark_parser_new_with_mem(flags, arena.mem()));
  cmark_parser* p = parser.get();
  if (options.tables) attach_extension(p, "table");
  if (options.strikethrough) attach_extension(p, "strikethrough");
  if (options.autolinks) attach_extension(p, "autolink");
  if (options.tasklists) attach_extension(p, "tasklist");
  if (options.tag_filter) attach_extension(p, "tagfilter");
  cmark_parser_feed(p, markdown.data(), markdown.size());
  if (cmark_special_chars_guarded()) {
    root.reset(cmark_parser_finish(p));
  } else {
    std::lock_guard<std::mutex> lock(g_unguarded_inline_phase);
    root.reset(cmark_parser_finish(p));
  }
}

std::string render_html(ParsedDocument& doc, int flags) {
  cmark_mem* mem = doc.arena.mem();
  char* html = cmark_render_html_with_mem(
      doc.root.get(), flags, cmark_parser_get_syntax_extensions(doc.parser.get()), mem);
  std::string out(html);
  mem->free(html);
  return out;
}

// ---------------------------------------------------------- small helpers

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view literal_of(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s ? std::string_view(s) : std::string_view();
}

// count_words()'s notion of a word byte, as a table: counting runs over the
// whole text of every page, and base's branchy byte loop took 14% of the
// stage's time. The unit tests check that both count alike.
struct WordBytes {
  bool table[256] = {};
  constexpr WordBytes() {
    for (int c = 0; c < 256; ++c)
      table[c] = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                 (c >= 'A' && c <= 'Z') || c == '\'' || c == '-';
  }
};
constexpr WordBytes kWordBytes;

bool is_word_byte(char ch) { return kWordBytes.table[static_cast<unsigned char>(ch)]; }

// Set bits per byte value. std::popcount is a libgcc call on the baseline
// x86-64 this is built for (no POPCNT instruction), and the word count below
// needs one per 16 bytes of text.
constexpr struct BitCounts {
  unsigned char n[256];
  constexpr BitCounts() : n() {
    for (int i = 0; i < 256; ++i) n[i] = static_cast<unsigned char>((i & 1) + n[i / 2]);
  }
} kBitCounts;

// Counts word starts (a word byte after a non-word byte), sixteen bytes at a
// time where SSE2 is there: the byte loop was 4% of a build's instructions.
size_t count_words_branchless(std::string_view text) {
  size_t words = 0;
  unsigned in_word = 0;
#if defined(__SSE2__)
  const __m128i before_0 = _mm_set1_epi8('0' - 1), after_9 = _mm_set1_epi8('9' + 1);
  const __m128i before_a = _mm_set1_epi8('a' - 1), after_z = _mm_set1_epi8('z' + 1);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i apostrophe = _mm_set1_epi8('\''), hyphen = _mm_set1_epi8('-');
  while (text.size() >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data()));
    // Bytes >= 0x80 are negative as signed chars, so they fail every range
    // test below; their top bit alone marks them.
    __m128i lower = _mm_or_si128(v, case_bit);
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, before_a), _mm_cmplt_epi8(lower, after_z));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, before_0), _mm_cmplt_epi8(v, after_9));
    __m128i mark = _mm_or_si128(_mm_cmpeq_epi8(v, apostrophe), _mm_cmpeq_epi8(v, hyphen));
    unsigned word = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), mark)) | _mm_movemask_epi8(v));
    unsigned starts = word & ~((word << 1) | in_word);
    words += kBitCounts.n[starts & 0xFFu] + kBitCounts.n[(starts >> 8) & 0xFFu];
    in_word = (word >> 15) & 1u;
    text.remove_prefix(16);
  }
#endif
  for (char ch : text) {
    unsigned word = kWordBytes.table[static_cast<unsigned char>(ch)];
    words += word & ~in_word;
    in_word = word;
  }
  return words;
}

// "<!--more-->", any spacing inside, any case.
bool is_more_marker(std::string_view html) {
  html = trim(html);
  if (!html.starts_with("<!--") || !html.ends_with("-->") || html.size() < 7) return false;
  return iequals(trim(html.substr(4, html.size() - 7)), "more");
}

// cmark's percent-encoding of link destinations (houdini_escape_href): the
// URL-safe and reserved characters stay, & and ' become entities, the rest
// is %XX-encoded.
void append_escaped_href(std::string& out, std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : url) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool safe = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                std::strchr("-_.+!*(),%#@?=;:/$~", c) != nullptr;
    if (safe && c != 0) {
      out += ch;
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '\'') {
      out += "&#x27;";
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

// cmark's escaping of text and attribute values (houdini_escape_html0,
// not secure): a sized image must read exactly as cmark writes one.
void append_cmark_escaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    switch (ch) {
      case '"':
        out += "&quot;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += ch;
    }
  }
}

// cmark's list of schemes it drops without CMARK_OPT_UNSAFE.
bool is_dangerous_url(std::string_view url) {
  if (istarts_with(url, "data:")) {
    for (std::string_view ok :
         {"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"})
      if (istarts_with(url, ok)) return false;
    return true;
  }
  return istarts_with(url, "javascript:") || istarts_with(url, "vbscript:") ||
         istarts_with(url, "file:");
}

// Where the credit starts in an image title, or npos: after " | ", else at a
// "CREDIT:", "©" or "Photo:" that begins a word.
struct TitleParts {
  std::string_view caption;
  std::string_view credit;
};

TitleParts split_title(std::string_view title) {
  TitleParts parts;
  size_t bar = title.find(" | ");
  if (bar != std::string_view::npos) {
    parts.caption = trim(title.substr(0, bar));
    parts.credit = trim(title.substr(bar + 3));
    return parts;
  }
  for (size_t i = 0; i < title.size(); ++i) {
    if (i > 0 && !is_space(title[i - 1])) continue;
    std::string_view rest = title.substr(i);
    if (istarts_with(rest, "credit:") || istarts_with(rest, "photo:") ||
        rest.starts_with("\xC2\xA9")) {
      parts.caption = trim(title.substr(0, i));
      parts.credit = trim(rest);
      return parts;
    }
  }
  parts.caption = trim(title);
  return parts;
}

void ensure_line_end(std::string& s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
}

void move_children(cmark_node* from, cmark_node* to) {
  while (cmark_node* child = cmark_node_first_child(from)) cmark_node_append_child(to, child);
}

// The column, in code points, of the "![" that cmark placed at `byte_column`
// of the line `text`. cmark counts a paragraph's continuation lines from
// after their indentation, so the column is checked against the text.
int image_column(std::string_view text, int byte_column, bool html) {
  auto opens_image = [&](size_t i) {
    if (html)
      return i + 3 < text.size() && text[i] == '<' && (text[i + 1] | 0x20) == 'i' &&
             (text[i + 2] | 0x20) == 'm' && (text[i + 3] | 0x20) == 'g';
    return i + 1 < text.size() && text[i] == '!' && text[i + 1] == '[';
  };
  size_t at = byte_column > 0 ? static_cast<size_t>(byte_column - 1) : 0;
  if (!opens_image(at)) {
    size_t indent = text.find_first_not_of(" \t");
    if (indent != std::string_view::npos && opens_image(at + indent)) {
      at += indent;
    } else {
      size_t first = text.find(html ? "<img" : "![");
      at = first == std::string_view::npos ? 0 : first;
    }
  }
  int column = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return column;
}

// Turns cmark's byte columns into code-point columns in one pass over the
// text: images are reported in document order.
void place_missing_images(std::string_view markdown, std::vector<MissingImage>& images) {
  size_t start = 0;
  int line = 1;
  for (MissingImage& m : images) {
    if (m.line < line) {
      start = 0;
      line = 1;
    }
    while (line < m.line) {
      size_t nl = markdown.find('\n', start);
      if (nl == std::string_view::npos) break;
      start = nl + 1;
      ++line;
    }
    if (line != m.line) continue;
    size_t end = markdown.find('\n', start);
    std::string_view text =
        markdown.substr(start, end == std::string_view::npos ? end : end - start);
    m.column = image_column(text, m.column, m.html);
  }
}

// ------------------------------------------------------------ the rewrite

// Walks the tree once. cmark's iterator allows changing a node on its EXIT
// event (and a leaf on ENTER), because it has already chosen the next node,
// so every rewrite happens there; the replacement nodes are not revisited.
class Rewriter {
 public:
  Rewriter(const MarkdownOptions& options, const ImageLookup& images, ParsedDocument& doc,
           RenderedMarkdown& out)
      : options_(options), images_(images), doc_(doc), out_(out) {}

  void walk(cmark_node* root) {
    cmark_iter* iter = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter);
      if (ev == CMARK_EVENT_ENTER)
        enter(node);
      else
        exit(node);
    }
    cmark_iter_free(iter);
  }

  cmark_node* more_marker() const { return more_marker_; }
  bool found_first_paragraph() const { return found_first_paragraph_; }
  const std::string& first_paragraph() const { return first_paragraph_; }

 private:
  bool collecting() const { return hidden_depth_ == 0; }

  void add_text(std::string_view text) {
    if (collecting()) out_.plain_text.append(text);
    if (in_heading_) heading_text_.append(text);
    if (image_depth_ > 0) {
      image_alt_.append(text);
      inline_alt_.append(text);
    }
  }

  void enter(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        add_text(literal_of(node));
        break;
      case CMARK_NODE_SOFTBREAK:
        add_text(" ");
        break;
      case CMARK_NODE_LINEBREAK:
        if (collecting()) out_.plain_text += '\n';
        if (in_heading_) heading_text_ += ' ';
        if (image_depth_ > 0) {
          image_alt_ += ' ';
          inline_alt_ += ' ';
        }
        break;
      case CMARK_NODE_HTML_INLINE:
        // cmark writes raw HTML into an <img>'s alt as text; a figure's alt
        // leaves it out.
        if (image_depth_ > 0) {
          inline_alt_.append(literal_of(node));
        } else {
          rewrite_html_images(node);
        }
        break;
      case CMARK_NODE_CODE_BLOCK:
        if (collecting()) {
          ensure_line_end(out_.plain_text);
          out_.plain_text.append(literal_of(node));
        }
        break;
      case CMARK_NODE_HTML_BLOCK:
        if (!more_marker_ && cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_DOCUMENT &&
            is_more_marker(literal_of(node))) {
          // Renders as nothing; kept as the place to cut the summary.
          more_marker_ = doc_.custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
          doc_.replace(node, more_marker_);
        } else {
          rewrite_html_images(node);
        }
        break;
      case CMARK_NODE_IMAGE:
        ++hidden_depth_;  // alt text is not read as running text
        if (image_depth_++ == 0) {
          image_alt_.clear();
          inline_alt_.clear();
          take_keep_original_token(node);
        }
        break;
      case CMARK_NODE_HEADING:
        in_heading_ = true;
        heading_text_.clear();
        if (collecting()) ensure_line_end(out_.plain_text);
        break;
      case CMARK_NODE_PARAGRAPH:
        if (collecting()) ensure_line_end(out_.plain_text);
        if (options_.figures && figure_image_ == nullptr) figure_image_ = sole_image(node);
        if (figure_image_ == nullptr && !found_first_paragraph_ && collecting() &&
            footnote_depth_ == 0) {
          summary_paragraph_ = node;
          summary_start_ = out_.plain_text.size();
        }
        break;
      case CMARK_NODE_BLOCK_QUOTE:
        if (options_.pull_quotes && is_pull_quote(node)) {
          pull_quotes_.push_back(node);
          ++hidden_depth_;
        }
        break;
      case CMARK_NODE_FOOTNOTE_DEFINITION:
        ++footnote_depth_;
        if (collecting()) ensure_line_end(out_.plain_text);
        break;
      default:
        break;
    }
  }

  void exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_IMAGE:
        --hidden_depth_;
        // An image inside another's description is only text of its alt.
        if (--image_depth_ == 0 && node != figure_image_) size_inline_image(node);
        break;
      case CMARK_NODE_HEADING:
        in_heading_ = false;
        finish_heading(node);
        break;
      case CMARK_NODE_PARAGRAPH:
        if (node == summary_paragraph_) {
          // A paragraph of raw HTML only (an embedded player) says nothing.
          std::string_view text = trim(std::string_view(out_.plain_text).substr(summary_start_));
          if (!text.empty()) {
            first_paragraph_.assign(text);
            found_first_paragraph_ = true;
          }
          summary_paragraph_ = nullptr;
        }
        if (figure_image_ != nullptr && cmark_node_parent(figure_image_) == node) {
          make_figure(node);
          figure_image_ = nullptr;
        }
        if (collecting()) ensure_line_end(out_.plain_text);
        break;
      case CMARK_NODE_BLOCK_QUOTE:
        if (!pull_quotes_.empty() && pull_quotes_.back() == node) {
          pull_quotes_.pop_back();
          --hidden_depth_;
          make_pull_quote(node);
        }
        break;
      case CMARK_NODE_FOOTNOTE_DEFINITION:
        --footnote_depth_;
        break;
      default:
        if ((cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
            collecting())
          ensure_line_end(out_.plain_text);  // table rows and cells, list items
        break;
    }
  }

  // The image when a paragraph holds nothing else (whitespace aside).
  static cmark_node* sole_image(cmark_node* paragraph) {
    cmark_node* image = nullptr;
    for (cmark_node* c = cmark_node_first_child(paragraph); c; c = cmark_node_next(c)) {
      switch (cmark_node_get_type(c)) {
        case CMARK_NODE_IMAGE:
          if (image) return nullptr;
          image = c;
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          break;
        case CMARK_NODE_TEXT:
          for (char ch : literal_of(c))
            if (!is_space(ch)) return nullptr;
          break;
        default:
          return nullptr;
      }
    }
    return image;
  }

  // The text nodes of a "[!pullquote]" first line, as cmark splits it
  // ("[", "!", "pullquote", "]"); empty when the quote is not a pull quote.
  static std::vector<cmark_node*> pull_quote_marker(cmark_node* quote) {
    std::vector<cmark_node*> marker;
    cmark_node* para = cmark_node_first_child(quote);
    if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) return marker;
    std::string line;
    cmark_node* c = cmark_node_first_child(para);
    for (; c && cmark_node_get_type(c) == CMARK_NODE_TEXT; c = cmark_node_next(c)) {
      line.append(literal_of(c));
      marker.push_back(c);
      if (line.size() > 32) break;
    }
    bool line_ends = !c || cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
                     cmark_node_get_type(c) == CMARK_NODE_LINEBREAK;
    if (!line_ends || !iequals(trim(line), "[!pullquote]")) marker.clear();
    return marker;
  }

  static bool is_pull_quote(cmark_node* quote) { return !pull_quote_marker(quote).empty(); }

  void make_pull_quote(cmark_node* quote) {
    std::vector<cmark_node*> marker = pull_quote_marker(quote);
    cmark_node* para = cmark_node_first_child(quote);
    if (!marker.empty()) {
      cmark_node* after = cmark_node_next(marker.back());
      for (cmark_node* n : marker) cmark_node_free(n);
      if (after) cmark_node_free(after);  // the line break after the marker
      if (!cmark_node_first_child(para)) cmark_node_free(para);
    }
    cmark_node* aside =
        doc_.custom(CMARK_NODE_CUSTOM_BLOCK, "<aside class=\"pullquote\">", "</aside>");
    move_children(quote, aside);
    doc_.replace(quote, aside);
  }

  void make_figure(cmark_node* paragraph) {
    cmark_node* image = figure_image_;
    const char* url = cmark_node_get_url(image);
    const char* title = cmark_node_get_title(image);
    std::string_view src = url ? url : "";
    std::string html;
    html.reserve(96 + src.size() + image_alt_.size() * 2);
    ImageInfo info = look_up(image);
    html += "<figure>";
    if (!append_picture(html, info, src, image_alt_, nullptr, true)) {
      html += "<img src=\"";
      if (options_.unsafe_html || !is_dangerous_url(src)) append_escaped_href(html, src);
      html += "\" alt=\"";
      append_html_escaped(html, image_alt_);
      html += '"';
      append_size(html, info.size);
      html += " loading=\"lazy\">";
    }
    TitleParts parts = split_title(title ? title : "");
    if (!parts.caption.empty() || !parts.credit.empty()) {
      html += "<figcaption>";
      append_html_escaped(html, parts.caption);
      if (!parts.credit.empty()) {
        if (!parts.caption.empty()) html += ' ';
        html += "<span class=\"credit\">";
        append_html_escaped(html, parts.credit);
        html += "</span>";
      }
      html += "</figcaption>";
      if (collecting()) {
        // The caption is read; the alt text stands in for the picture.
        ensure_line_end(out_.plain_text);
        out_.plain_text.append(parts.caption);
        if (!parts.caption.empty() && !parts.credit.empty()) out_.plain_text += ' ';
        out_.plain_text.append(parts.credit);
      }
    }
    html += "</figure>";
    // A custom block holding a custom inline prints the markup on one line,
    // followed by the newline cmark puts after blocks.
    cmark_node* block = doc_.custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
    cmark_node* figure = doc_.custom(CMARK_NODE_CUSTOM_INLINE, html.c_str(), "");
    cmark_node_append_child(block, figure);
    doc_.replace(paragraph, block);
  }

  // An image whose title holds kKeepOriginalToken is shown as it is: the
  // token leaves the title (and so the caption), and the node is noted.
  void take_keep_original_token(cmark_node* image) {
    const char* title = cmark_node_get_title(image);
    if (!title) return;
    std::string_view t = title;
    size_t at = t.find(kKeepOriginalToken);
    if (at == std::string_view::npos) return;
    std::string_view before = trim(t.substr(0, at));
    std::string_view after = trim(t.substr(at + kKeepOriginalToken.size()));
    std::string rest(before);
    if (!before.empty() && !after.empty()) rest += ' ';
    rest.append(after);
    cmark_node_set_title(image, rest.c_str());
    keep_original_.insert(image);
  }

  // Raw HTML's <img> tags, processed as ![](…) images are: a <picture> with
  // srcset and sizes, or width and height, keeping the tag's other
  // attributes (class, id, data-…) as written. Raw HTML is written only
  // with unsafe_html.
  void rewrite_html_images(cmark_node* node) {
    if (!images_ || !options_.unsafe_html) return;
    std::string_view html = literal_of(node);
    if (!contains_img(html)) return;
    std::vector<HtmlImgTag> tags = find_img_tags(html);
    if (tags.empty()) return;
    std::string out;
    size_t copied = 0;
    for (const HtmlImgTag& tag : tags) {
      out.append(html.substr(copied, tag.begin - copied));
      copied = tag.end;
      out += html_image(node, html, tag);
    }
    out.append(html.substr(copied));
    cmark_node_set_literal(node, out.c_str());
  }

  static bool contains_img(std::string_view html) {
    for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
      if (i + 3 < html.size() && (html[i + 1] | 0x20) == 'i' && (html[i + 2] | 0x20) == 'm' &&
          (html[i + 3] | 0x20) == 'g')
        return true;
    }
    return false;
  }

  // The title without kKeepOriginalToken, as ![](…)'s: "A {original} b"
  // gives "A b". None when the title does not hold the token.
  static std::optional<std::string> title_without_token(const HtmlAttribute* title) {
    if (!title || !title->value) return std::nullopt;
    std::string_view t = *title->value;
    size_t at = t.find(kKeepOriginalToken);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view before = trim(t.substr(0, at));
    std::string_view after = trim(t.substr(at + kKeepOriginalToken.size()));
    std::string rest(before);
    if (!before.empty() && !after.empty()) rest += ' ';
    rest.append(after);
    return rest;
  }

  // `whole` (the tag as written, from `tag_begin` of the fragment) with the
  // attribute `attr` written as `title="rest"`, or dropped with the space
  // before it when `rest` is empty.
  static void rewrite_title(std::string& whole, std::string_view html, size_t tag_begin,
                            const HtmlAttribute& attr, const std::string& rest) {
    size_t at = static_cast<size_t>(attr.text.data() - html.data()) - tag_begin;
    size_t len = attr.text.size();
    if (rest.empty()) {
      while (at > 0 && (whole[at - 1] == ' ' || whole[at - 1] == '\t' || whole[at - 1] == '\n'))
        --at, ++len;
      whole.erase(at, len);
      return;
    }
    std::string written = "title=\"";
    append_html_escaped(written, rest);
    written += '"';
    whole.replace(at, len, written);
  }

  std::string html_image(cmark_node* node, std::string_view html, const HtmlImgTag& tag) {
    std::string whole(html.substr(tag.begin, tag.end - tag.begin));
    const HtmlAttribute* src = tag.find("src");
    if (!src || !src->value || src->value->empty()) return whole;
    const std::string& url = *src->value;
    // title="… {original}": shown as it is, as a Markdown image with the
    // token; the token leaves the title.
    const HtmlAttribute* title_attr = tag.find("title");
    std::optional<std::string> kept_title = title_without_token(title_attr);
    if (kept_title) rewrite_title(whole, html, tag.begin, *title_attr, *kept_title);
    ImageInfo info = images_(url, !kept_title);
    if (info.missing || !info.problem.empty()) {
      // Its place: the node's start, plus the lines and bytes before it.
      std::string_view before = html.substr(0, tag.begin);
      size_t newlines = std::count(before.begin(), before.end(), '\n');
      size_t last_nl = before.rfind('\n');
      int column = last_nl == std::string_view::npos
                       ? cmark_node_get_start_column(node) + static_cast<int>(tag.begin)
                       : static_cast<int>(tag.begin - last_nl);
      out_.missing_images.push_back(
          MissingImage{url, cmark_node_get_start_line(node) + static_cast<int>(newlines), column,
                       info.problem, info.problem_is_error, /*html=*/true});
    }
    const HtmlAttribute* width = tag.find("width");
    const HtmlAttribute* height = tag.find("height");
    if (!kept_title && info.processed && info.processed->processed() && !is_dangerous_url(url)) {
      std::string href, alt, title;
      append_escaped_href(href, url);
      if (const HtmlAttribute* a = tag.find("alt"); a && a->value)
        append_html_escaped(alt, *a->value);
      if (const HtmlAttribute* t = tag.find("title"); t && t->value)
        append_html_escaped(title, *t->value);
      PictureAttributes a;
      a.src = href;
      a.alt = alt;
      a.title = title;
      a.sizes = options_.image_sizes;
      a.eager = pictures_++ == 0;
      std::string picture = picture_html(*info.processed, a);
      // The tag's other attributes, as written, on the <img>.
      static constexpr std::string_view kOurs[] = {"src",   "srcset", "sizes",   "alt",     "title",
                                                   "width", "height", "loading", "decoding"};
      std::string extra;
      for (const HtmlAttribute& attr : tag.attributes) {
        if (std::find(std::begin(kOurs), std::end(kOurs), attr.name) != std::end(kOurs)) continue;
        extra += ' ';
        extra.append(attr.text);
      }
      constexpr std::string_view kClose = "</picture>";
      size_t end = std::string_view(picture).ends_with(kClose) ? picture.size() - kClose.size()
                                                               : picture.size();
      picture.insert(end - 1, extra);
      return picture;
    }
    if (info.size && !width && !height) {
      size_t end = whole.size() - 1;
      if (end > 0 && whole[end - 1] == '/') --end;
      while (end > 0 && (whole[end - 1] == ' ' || whole[end - 1] == '\n')) --end;
      whole.insert(end, " width=\"" + std::to_string(info.size->width) + "\" height=\"" +
                            std::to_string(info.size->height) + '"');
    }
    return whole;
  }

  // What the page knows of the image's file; notes a missing one.
  ImageInfo look_up(cmark_node* image) {
    if (!images_) return ImageInfo();
    const char* url = cmark_node_get_url(image);
    ImageInfo info = images_(url ? url : "", !keep_original_.count(image));
    if (info.missing || !info.problem.empty())
      out_.missing_images.push_back(MissingImage{url ? url : "", cmark_node_get_start_line(image),
                                                 cmark_node_get_start_column(image), info.problem,
                                                 info.problem_is_error});
    return info;
  }

  // A processed image's <picture>; false when the image is not processed.
  // `alt` is the text, escaped here as the figure (`html_alt`) or cmark
  // escapes it; `title` is cmark's title, null in a figure (its caption).
  bool append_picture(std::string& html, const ImageInfo& info, std::string_view src,
                      std::string_view alt, const char* title, bool html_alt) {
    if (!info.processed || !info.processed->processed()) return false;
    if (!options_.unsafe_html && is_dangerous_url(src)) return false;
    std::string href, alt_text, title_text;
    append_escaped_href(href, src);
    if (html_alt) {
      append_html_escaped(alt_text, alt);
    } else {
      append_cmark_escaped(alt_text, alt);
    }
    if (title && *title) append_cmark_escaped(title_text, title);
    PictureAttributes a;
    a.src = href;
    a.alt = alt_text;
    a.title = title_text;
    a.sizes = options_.image_sizes;
    a.eager = pictures_++ == 0;
    html += picture_html(*info.processed, a);
    return true;
  }

  static void append_size(std::string& html, const std::optional<ImageSize>& size) {
    if (!size) return;
    html += " width=\"" + std::to_string(size->width) + "\" height=\"" +
            std::to_string(size->height) + '"';
  }

  // An image that is not a figure keeps cmark's own markup unless its size
  // is known; then the same markup, with width and height, replaces it.
  void size_inline_image(cmark_node* image) {
    ImageInfo info = look_up(image);
    const char* url = cmark_node_get_url(image);
    const char* title = cmark_node_get_title(image);
    std::string_view src = url ? url : "";
    std::string html;
    if (append_picture(html, info, src, inline_alt_, title, false)) {
      doc_.replace(image, doc_.custom(CMARK_NODE_CUSTOM_INLINE, html.c_str(), ""));
      return;
    }
    const std::optional<ImageSize>& size = info.size;
    if (!size) return;
    html = "<img src=\"";
    if (options_.unsafe_html || !is_dangerous_url(src)) append_escaped_href(html, src);
    html += "\" alt=\"";
    append_cmark_escaped(html, inline_alt_);
    html += '"';
    if (title && *title) {
      html += " title=\"";
      append_cmark_escaped(html, title);
      html += '"';
    }
    append_size(html, size);
    html += " />";
    doc_.replace(image, doc_.custom(CMARK_NODE_CUSTOM_INLINE, html.c_str(), ""));
  }

  void finish_heading(cmark_node* heading) {
    int level = cmark_node_get_heading_level(heading);
    std::string text(trim(heading_text_));
    std::string id;
    if (options_.heading_ids) {
      id = slugify(text);
      if (id.empty()) id = "section";
      if (!used_ids_.insert(id).second) {
        // Resume counting where this slug's last duplicate stopped, so a page
        // of a thousand "Update" headings stays linear.
        int& n = next_suffix_[id];
        while (true) {
          std::string candidate = id + '-' + std::to_string(++n);
          if (used_ids_.insert(candidate).second) {
            id = std::move(candidate);
            break;
          }
        }
      }
      std::string open = "<h" + std::to_string(level) + " id=\"";
      append_html_escaped(open, id);
      open += "\">";
      std::string close = "</h" + std::to_string(level) + ">";
      cmark_node* block = doc_.custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
      cmark_node* inline_heading =
          doc_.custom(CMARK_NODE_CUSTOM_INLINE, open.c_str(), close.c_str());
      cmark_node_append_child(block, inline_heading);
      move_children(heading, inline_heading);
      doc_.replace(heading, block);
    }
    if (collecting()) out_.toc.push_back(TocEntry{level, std::move(id), std::move(text)});
  }

  const MarkdownOptions& options_;
  const ImageLookup& images_;
  ParsedDocument& doc_;
  RenderedMarkdown& out_;

  int hidden_depth_ = 0;  // > 0 inside pull quotes and image descriptions
  int footnote_depth_ = 0;
  bool in_heading_ = false;
  std::string heading_text_;
  std::unordered_set<std::string> used_ids_;
  std::unordered_map<std::string, int> next_suffix_;

  cmark_node* figure_image_ = nullptr;
  std::unordered_set<cmark_node*> keep_original_;  // images whose title asked for that
  int image_depth_ = 0;                            // > 0 inside an image's description
  int pictures_ = 0;                               // processed images so far: the first is not lazy
  std::string image_alt_;   // the outermost image's alt as a figure writes it
  std::string inline_alt_;  // the same as cmark writes it (raw HTML as text)

  std::vector<cmark_node*> pull_quotes_;
  cmark_node* more_marker_ = nullptr;

  cmark_node* summary_paragraph_ = nullptr;
  size_t summary_start_ = 0;
  bool found_first_paragraph_ = false;
  std::string first_paragraph_;
};

// The first `max_words` words of `text`, escaped, with "…" when cut.
void summarise(std::string_view text, int max_words, RenderedMarkdown& out) {
  text = trim(text);
  size_t words = 0;
  size_t cut = std::string_view::npos;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool word = is_word_byte(text[i]);
    if (word && !in_word) {
      if (words == static_cast<size_t>(max_words < 0 ? 0 : max_words)) {
        cut = i;
        break;
      }
      ++words;
    }
    in_word = word;
  }
  if (cut == std::string_view::npos) {
    append_html_escaped(out.summary_html, text);
    return;
  }
  // Back up over what separates the last kept word from the cut one.
  size_t end = cut;
  while (end > 0 && !is_word_byte(text[end - 1])) --end;
  append_html_escaped(out.summary_html, text.substr(0, end));
  out.summary_html += "\xE2\x80\xA6";  // …
  out.summary_is_truncated = true;
}

}  // namespace

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options,
                                 const ImageLookup& images) {
  RenderedMarkdown out;
  const int flags = cmark_options(options);
  ParsedDocument doc(markdown, options, flags);
  out.plain_text.reserve(markdown.size());

  Rewriter rewriter(options, images, doc, out);
  rewriter.walk(doc.root.get());
  place_missing_images(markdown, out.missing_images);
  while (!out.plain_text.empty() && out.plain_text.back() == '\n') out.plain_text.pop_back();
  out.word_count = count_words_branchless(out.plain_text);

  out.html = render_html(doc, flags);

  if (cmark_node* marker = rewriter.more_marker()) {
    // Everything from the marker on is set aside (footnote definitions sit
    // at the end of the document) and what is left renders as the summary.
    // Set aside, not freed: footnote references point at their definitions.
    std::vector<cmark_node*> rest;
    for (cmark_node* n = marker; n; n = cmark_node_next(n)) rest.push_back(n);
    for (cmark_node* n : rest) cmark_node_unlink(n);
    out.summary_html = render_html(doc, flags);
    out.summary_is_truncated = true;
    for (cmark_node* n : rest) cmark_node_free(n);
  } else if (rewriter.found_first_paragraph()) {
    summarise(rewriter.first_paragraph(), options.summary_words, out);
  }
  return out;
}

std::string render_markdown_inline(std::string_view text, const MarkdownOptions& options) {
  const int flags = cmark_options(options);
  ParsedDocument doc(text, options, flags);
  RenderedMarkdown unused;
  const ImageLookup no_images;
  Rewriter rewriter(options, no_images, doc, unused);
  rewriter.walk(doc.root.get());
  cmark_node* only = cmark_node_first_child(doc.root.get());
  if (only && !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_PARAGRAPH) {
    cmark_node* bare = doc.custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
    move_children(only, bare);
    doc.replace(only, bare);
  }
  std::string html = render_html(doc, flags);
  while (!html.empty() && html.back() == '\n') html.pop_back();
  return html;
}

}  // namespace byline
