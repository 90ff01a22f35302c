// wpautop as a sequence of linear scans. WordPress states each step as a
// regular expression; std::regex is too slow (and recursive) for a 100 MB
// export, so each step is a hand-written matcher with the same semantics,
// including the quirk that block names match as tag-name prefixes.
#include "import/wpautop.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace byline {

namespace {

constexpr std::array<std::string_view, 41> kBlocks = {
    "table",      "thead",      "tfoot",   "caption", "col",     "colgroup", "tbody",
    "tr",         "td",         "th",      "div",     "dl",      "dd",       "dt",
    "ul",         "ol",         "li",      "pre",     "form",    "map",      "area",
    "blockquote", "address",    "style",   "p",       "hr",      "fieldset", "legend",
    "section",    "article",    "aside",   "hgroup",  "header",  "footer",   "nav",
    "figure",     "figcaption", "details", "menu",    "summary", "h"};  // "h" stands for h[1-6],
                                                                        // checked specially

constexpr std::string_view kNewlineMark = " <!-- wpnl --> ";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool starts_at(std::string_view s, size_t i, std::string_view p) {
  return s.size() - i >= p.size() && s.compare(i, p.size(), p) == 0;
}

// The next occurrence of `needle` at or after a position, for passes that
// ask at positions that only grow. A tag that never closes made every later
// '<' search to the end of the text again (quadratic: 2 MB of "<script"
// took minutes); the answer is kept while it is still ahead, so each pass
// reads the text once for each needle.
class NextFinder {
 public:
  NextFinder(std::string_view text, std::string_view needle) : s_(text), needle_(needle) {}
  size_t operator()(size_t from) {
    if (!searched_ || from < from_ || (hit_ != std::string_view::npos && hit_ < from)) {
      hit_ = s_.find(needle_, from);
      from_ = from;
      searched_ = true;
    }
    return hit_;
  }

 private:
  std::string_view s_;
  std::string_view needle_;
  size_t from_ = 0;
  size_t hit_ = std::string_view::npos;
  bool searched_ = false;
};

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// Block names grouped by first letter: the matchers run at every '<' of
// every post, so each looks only at the names that can match.
const std::vector<std::string_view>& blocks_starting_with(char c) {
  static const auto* table = [] {
    auto* t = new std::array<std::vector<std::string_view>, 128>();
    for (std::string_view b : kBlocks) (*t)[static_cast<unsigned char>(b[0])].push_back(b);
    return t;
  }();
  static const std::vector<std::string_view> kNone;
  unsigned char u = static_cast<unsigned char>(c);
  return u < 128 ? (*table)[u] : kNone;
}

// Length of the block name that s[i...] starts with (as a prefix), or 0.
size_t block_prefix(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  for (std::string_view b : blocks_starting_with(s[i])) {
    if (b == "h") {
      if (i + 1 < s.size() && s[i + 1] >= '1' && s[i + 1] <= '6') return 2;
      continue;
    }
    if (starts_at(s, i, b)) return b.size();
  }
  return 0;
}

// Exact block name at s[i...] followed by one of `follow`; returns its length or 0.
size_t block_exact(std::string_view s, size_t i, std::string_view follow) {
  if (i >= s.size()) return 0;
  for (std::string_view b : blocks_starting_with(s[i])) {
    size_t n = b.size();
    if (b == "h") {
      if (!(i + 1 < s.size() && s[i + 1] >= '1' && s[i + 1] <= '6')) continue;
      n = 2;
    } else if (!starts_at(s, i, b)) {
      continue;
    }
    if (i + n < s.size() && follow.find(s[i + n]) != std::string_view::npos) return n;
  }
  return 0;
}

// `</?BLOCK[^>]*>` at i; returns the end or npos. `next_gt` finds '>' in s.
size_t match_block_tag(std::string_view s, size_t i, NextFinder& next_gt) {
  if (i >= s.size() || s[i] != '<') return std::string_view::npos;
  size_t j = i + 1;
  if (j < s.size() && s[j] == '/') ++j;
  if (block_prefix(s, j) == 0) return std::string_view::npos;
  size_t close = next_gt(j);
  return close == std::string_view::npos ? close : close + 1;
}

// `<br\s*/?>` at i; returns the end or npos.
size_t match_br(std::string_view s, size_t i) {
  if (!starts_at(s, i, "<br")) return std::string_view::npos;
  size_t j = skip_space(s, i + 3);
  if (j < s.size() && s[j] == '/') ++j;
  if (j < s.size() && s[j] == '>') return j + 1;
  return std::string_view::npos;
}

// Applies `step` at every position left to right, as preg_replace does:
// `step(s, i, out)` either appends a replacement and returns the end of the
// match, or returns npos and the character at i is copied.
// Every match starts at one of `triggers` (almost always '<'), so the text in
// between is copied in bulk.
template <class Step>
std::string rewrite(std::string_view s, Step step, std::string_view triggers = "<") {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  size_t i = 0;
  while (i < s.size()) {
    // A one-character set goes through memchr directly; find_first_of would
    // call it once per character of the text.
    size_t next = triggers.size() == 1 ? s.find(triggers[0], i) : s.find_first_of(triggers, i);
    if (next == std::string_view::npos) next = s.size();
    out.append(s.substr(i, next - i));
    i = next;
    if (i >= s.size()) break;
    size_t end = step(s, i, out);
    if (end == std::string_view::npos || end <= i) {
      out += s[i++];
    } else {
      i = end;
    }
  }
  return out;
}

void replace_all_in(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = s.find(from, pos);
    if (hit == std::string::npos) break;
    out.append(s, pos, hit - pos);
    out += to;
    pos = hit + from.size();
  }
  if (pos == 0) return;
  out.append(s, pos, std::string::npos);
  s = std::move(out);
}

// Newlines inside tags and comments must not split paragraphs; they are
// parked as a marker and restored at the end.
std::string mark_newlines_in_tags(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '<') {
      out += s[i++];
      continue;
    }
    size_t end;
    if (starts_at(s, i, "<!--")) {
      end = s.find("-->", i + 4);
      end = end == std::string_view::npos ? s.size() : end + 3;
    } else if (starts_at(s, i, "<![CDATA[")) {
      end = s.find("]]>", i + 9);
      end = end == std::string_view::npos ? s.size() : end + 3;
    } else {
      end = s.find('>', i + 1);
      end = end == std::string_view::npos ? s.size() : end + 1;
    }
    for (size_t k = i; k < end; ++k) {
      if (s[k] == '\n') {
        out += kNewlineMark;
      } else {
        out += s[k];
      }
    }
    i = end;
  }
  return out;
}

// `\s*X` and `X\s*` removals around a fixed token.
std::string strip_space_before(std::string_view s, std::string_view token) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      size_t j = skip_space(s, i);
      if (starts_at(s, j, token)) {
        i = j;
        continue;
      }
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

std::string strip_space_after(std::string_view s, std::string_view token) {
  return rewrite(s, [&](std::string_view t, size_t i, std::string& out) -> size_t {
    if (!starts_at(t, i, token)) return std::string_view::npos;
    out += token;
    return skip_space(t, i + token.size());
  });
}

// `\s*(<TAG[^>]*>)\s*` → "$1" for an opening or closing tag name.
std::string strip_space_around_tag(std::string_view s, std::string_view open) {
  std::string out;
  out.reserve(s.size());
  NextFinder next_gt(s, ">");
  size_t i = 0;
  while (i < s.size()) {
    size_t j = skip_space(s, i);
    if (starts_at(s, j, open)) {
      size_t close = next_gt(j);
      if (close != std::string_view::npos) {
        out.append(s.substr(j, close + 1 - j));
        i = skip_space(s, close + 1);
        continue;
      }
    }
    if (j > i) {
      out.append(s.substr(i, j - i));
      i = j;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// WordPress gives nothing back for a text of only whitespace (and NULs).
bool is_blank(std::string_view text) {
  for (char c : text) {
    if (!is_space(c) && c != '\0' && c != '\x0B') return false;
  }
  return true;
}

// <pre> blocks are set aside whole, split the way WordPress does: by
// "</pre>", taking each part from its "<pre".
struct PreBlocks {
  std::vector<std::pair<std::string, std::string>> tags;  // placeholder, original

  void set_aside(std::string& text) {
    if (text.find("<pre") == std::string::npos) return;
    std::string rebuilt;
    size_t pos = 0;
    int n = 0;
    while (true) {
      size_t close = text.find("</pre>", pos);
      if (close == std::string::npos) break;
      std::string_view part(text.data() + pos, close - pos);
      size_t start = part.find("<pre");
      if (start == std::string_view::npos) {
        rebuilt.append(part);
      } else {
        std::string name = "<pre wp-pre-tag-" + std::to_string(n++) + "></pre>";
        tags.emplace_back(name, std::string(part.substr(start)) + "</pre>");
        rebuilt.append(part.substr(0, start));
        rebuilt += name;
      }
      pos = close + 6;
    }
    rebuilt.append(text, pos, std::string::npos);
    text = std::move(rebuilt);
  }

  // WordPress replaces the names one after the other, each through the
  // whole text: with many <pre> blocks that read the text once per block.
  // One pass gives the same text: a name can only reappear inside the
  // original put back for an earlier name (a writer's literal
  // "<pre wp-pre-tag-N></pre>" at its end), and is then replaced too.
  void restore(std::string& text) const {
    if (tags.empty()) return;
    constexpr std::string_view kPrefix = "<pre wp-pre-tag-";
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (true) {
      size_t hit = text.find(kPrefix, pos);
      if (hit == std::string::npos) break;
      size_t n = 0;
      size_t end = index_at(text, hit, &n);
      if (end == std::string::npos) {
        out.append(text, pos, hit + 1 - pos);
        pos = hit + 1;
        continue;
      }
      out.append(text, pos, hit - pos);
      // The original, and any later name that its own text ends with.
      while (true) {
        const std::string& original = tags[n].second;
        size_t inner = original.rfind(kPrefix);
        size_t m = 0;
        if (inner != std::string::npos && index_at(original, inner, &m) == original.size() &&
            m > n) {
          out.append(original, 0, inner);
          n = m;
          continue;
        }
        out += original;
        break;
      }
      pos = end;
    }
    out.append(text, pos, std::string::npos);
    text = std::move(out);
  }

  // The end of the name "<pre wp-pre-tag-N></pre>" at `at` (with N < the
  // number of blocks set aside, stored in *n), or npos.
  size_t index_at(std::string_view s, size_t at, size_t* n) const {
    size_t i = at + 16;
    size_t value = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 19) {
      value = value * 10 + static_cast<size_t>(s[i] - '0');
      ++i, ++digits;
    }
    if (digits == 0 || (digits > 1 && s[at + 16] == '0') || value >= tags.size() ||
        !starts_at(s, i, "></pre>"))
      return std::string::npos;
    *n = value;
    return i + 7;
  }
};

// Two <br>s in a row are a paragraph break.
std::string double_br_to_blank_line(std::string_view text) {
  return rewrite(text, [](std::string_view s, size_t i, std::string& out) -> size_t {
    size_t a = match_br(s, i);
    if (a == std::string_view::npos) return a;
    size_t b = match_br(s, skip_space(s, a));
    if (b == std::string_view::npos) return b;
    out += "\n\n";
    return b;
  });
}

// Space block tags out so they stand in paragraphs of their own: a blank
// line before each opening block tag, after each closing one and after <hr>.
std::string space_out_block_tags(std::string_view text) {
  return rewrite(text, [](std::string_view s, size_t i, std::string& out) -> size_t {
    if (s[i] != '<') return std::string_view::npos;
    bool opening = block_exact(s, i + 1, " \t\n\r\f\v/>") > 0;
    size_t closing = (i + 1 < s.size() && s[i + 1] == '/') ? block_exact(s, i + 2, ">") : 0;
    size_t hr_end = std::string_view::npos;
    if (starts_at(s, i, "<hr")) {
      size_t j = skip_space(s, i + 3);
      if (j < s.size() && s[j] == '/') ++j;
      if (j < s.size() && s[j] == '>') hr_end = j + 1;
    }
    if (!opening && !closing && hr_end == std::string_view::npos) return std::string_view::npos;
    if (opening) out += "\n\n";
    if (closing) {
      out.append(s.substr(i, closing + 3));
      out += "\n\n";
      return i + closing + 3;
    }
    if (hr_end != std::string_view::npos) {
      out.append(s.substr(i, hr_end - i));
      out += "\n\n";
      return hr_end;
    }
    out += '<';
    return i + 1;
  });
}

void normalize_line_endings(std::string& text) {
  replace_all_in(text, "\r\n", "\n");
  replace_all_in(text, "\r", "\n");
}

// Whitespace between the <option>s of a list would become <br /> and
// paragraphs; WordPress removes it.
void collapse_around_options(std::string& text) {
  if (text.find("<option") == std::string::npos) return;
  text = strip_space_before(text, "<option");
  text = strip_space_after(text, "</option>");
}

// Likewise inside <object>: after its opening tag, before its end and
// around its <param> and <embed> children.
void collapse_inside_objects(std::string& text) {
  if (text.find("</object>") == std::string::npos) return;
  NextFinder next_gt(text, ">");
  text = rewrite(text, [&next_gt](std::string_view s, size_t i, std::string& out) -> size_t {
    if (!starts_at(s, i, "<object")) return std::string_view::npos;
    size_t close = next_gt(i);
    if (close == std::string_view::npos) return close;
    out.append(s.substr(i, close + 1 - i));
    return skip_space(s, close + 1);
  });
  text = strip_space_before(text, "</object>");
  text = strip_space_around_tag(text, "<param");
  text = strip_space_around_tag(text, "</param");
  text = strip_space_around_tag(text, "<embed");
  text = strip_space_around_tag(text, "</embed");
}

// `\s*([<\[]/(?:audio|video)[>\]])` → "$1": no whitespace before the end of
// an <audio>/<video> element or shortcode.
std::string strip_space_before_media_end(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = skip_space(text, i);
    if (j < text.size() && (text[j] == '<' || text[j] == '[') && j + 1 < text.size() &&
        text[j + 1] == '/' &&
        (starts_at(text, j + 2, "audio") || starts_at(text, j + 2, "video")) &&
        j + 7 < text.size() && (text[j + 7] == '>' || text[j + 7] == ']')) {
      out.append(text, j, 8);
      i = j + 8;
      continue;
    }
    if (j > i) {
      out.append(text, i, j - i);
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

// Likewise inside <audio> and <video> (tags or shortcodes): after the
// opening, before the end, around <source> and <track>.
void collapse_inside_media(std::string& text) {
  if (text.find("<source") == std::string::npos && text.find("<track") == std::string::npos) {
    return;
  }
  // `([<\[](?:audio|video)[^>\]]*[>\]])\s*` and its closing twin.
  NextFinder next_gt(text, ">"), next_bracket(text, "]");
  text = rewrite(
      text,
      [&](std::string_view s, size_t i, std::string& out) -> size_t {
        if (s[i] != '<' && s[i] != '[') return std::string_view::npos;
        if (!starts_at(s, i + 1, "audio") && !starts_at(s, i + 1, "video")) {
          return std::string_view::npos;
        }
        size_t close = std::min(next_gt(i + 6), next_bracket(i + 6));
        if (close == std::string_view::npos) return close;
        out.append(s.substr(i, close + 1 - i));
        return skip_space(s, close + 1);
      },
      "<[");
  text = strip_space_around_tag(strip_space_before_media_end(text), "<source");
  text = strip_space_around_tag(text, "<track");
}

// And around <figcaption>, so a caption stays in its figure.
void collapse_around_figcaptions(std::string& text) {
  if (text.find("<figcaption") == std::string::npos) return;
  text = strip_space_before(text, "<figcaption");
  text = strip_space_after(text, "</figcaption>");
}

// Runs of more than two newlines count as one blank line.
std::string collapse_newline_runs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      size_t j = i;
      while (j < text.size() && text[j] == '\n') ++j;
      out += "\n\n";
      i = j - 1;
      continue;
    }
    out += text[i];
  }
  return out;
}

// Cut paragraphs at blank lines (`\n\s*\n`), empty pieces dropped, each
// piece's outer newlines trimmed and the piece wrapped in <p>…</p>.
std::string wrap_paragraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  auto emit = [&](std::string_view piece) {
    if (piece.empty()) return;
    size_t a = piece.find_first_not_of('\n');
    size_t b = piece.find_last_not_of('\n');
    out += "<p>";
    if (a != std::string_view::npos) out.append(piece.substr(a, b + 1 - a));
    out += "</p>\n";
  };
  size_t start = 0, i = 0;
  while (i < text.size()) {
    if (text[i] != '\n') {
      ++i;
      continue;
    }
    size_t run_end = skip_space(text, i + 1);
    size_t last_nl = text.substr(0, run_end).rfind('\n');
    if (last_nl > i) {
      emit(text.substr(start, i - start));
      start = i = last_nl + 1;
    } else {
      ++i;
    }
  }
  emit(text.substr(start));
  return out;
}

// Paragraphs holding only whitespace (the cut can leave them).
std::string drop_empty_paragraphs(std::string_view text) {
  return rewrite(text, [](std::string_view s, size_t i, std::string&) -> size_t {
    if (!starts_at(s, i, "<p>")) return std::string_view::npos;
    size_t j = skip_space(s, i + 3);
    return starts_at(s, j, "</p>") ? j + 4 : std::string_view::npos;
  });
}

// `<p>([^<]+)</(div|address|form)>` closes the paragraph first.
std::string close_paragraph_before_block_end(std::string_view text) {
  return rewrite(text, [](std::string_view s, size_t i, std::string& out) -> size_t {
    if (!starts_at(s, i, "<p>")) return std::string_view::npos;
    size_t j = s.find('<', i + 3);
    if (j == std::string_view::npos || j == i + 3) return std::string_view::npos;
    for (std::string_view tag : {"</div>", "</address>", "</form>"}) {
      if (starts_at(s, j, tag)) {
        out.append(s.substr(i, j - i));
        out += "</p>";
        out += tag;
        return j + tag.size();
      }
    }
    return std::string_view::npos;
  });
}

// A paragraph holding just a block tag is the tag.
std::string unwrap_lone_block_tags(std::string_view text) {
  NextFinder next_gt(text, ">");
  return rewrite(text, [&next_gt](std::string_view s, size_t i, std::string& out) -> size_t {
    if (!starts_at(s, i, "<p>")) return std::string_view::npos;
    size_t j = skip_space(s, i + 3);
    size_t tag_end = match_block_tag(s, j, next_gt);
    if (tag_end == std::string_view::npos) return tag_end;
    size_t k = skip_space(s, tag_end);
    if (!starts_at(s, k, "</p>")) return std::string_view::npos;
    out.append(s.substr(j, tag_end - j));
    return k + 4;
  });
}

// `<p>(<li.+?)</p>`: list items are not paragraphs.
std::string unwrap_list_items(std::string_view text) {
  NextFinder next_close(text, "</p>"), next_newline(text, "\n");
  return rewrite(text, [&](std::string_view s, size_t i, std::string& out) -> size_t {
    if (!starts_at(s, i, "<p><li")) return std::string_view::npos;
    size_t j = i + 7;  // .+? needs at least one character after "<li"
    if (j > s.size()) return std::string_view::npos;
    size_t close = next_close(j);
    size_t nl = next_newline(i + 6);
    if (close == std::string_view::npos || (nl != std::string_view::npos && nl < close)) {
      return std::string_view::npos;
    }
    out.append(s.substr(i + 3, close - (i + 3)));
    return close + 4;
  });
}

// Paragraphs go inside blockquotes, not around them (tag names in any case).
std::string move_paragraphs_into_blockquotes(std::string_view text) {
  NextFinder next_gt(text, ">");
  return rewrite(text, [&next_gt](std::string_view s, size_t i, std::string& out) -> size_t {
    if (s[i] != '<' && s[i] != '>') return std::string_view::npos;
    if (s.size() - i >= 14 && (s[i] == '<') && (s[i + 1] == 'p' || s[i + 1] == 'P') &&
        s[i + 2] == '>' && s[i + 3] == '<') {
      std::string_view name = s.substr(i + 4, 10);
      bool match = true;
      for (size_t k = 0; k < 10; ++k) {
        if (std::tolower(static_cast<unsigned char>(name[k])) != "blockquote"[k]) match = false;
      }
      if (match) {
        size_t close = next_gt(i + 14);
        if (close != std::string_view::npos) {
          out += "<blockquote";
          out.append(s.substr(i + 14, close - (i + 14)));
          out += "><p>";
          return close + 1;
        }
      }
    }
    if (s[i] == '<' && s.size() - i >= 17 && s[i + 1] == '/') {
      std::string_view cand = s.substr(i, 17);
      std::string lower(cand);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "</blockquote></p>") {
        out += "</p></blockquote>";
        return i + 17;
      }
    }
    return std::string_view::npos;
  });
}

// No paragraph opens right before a block tag or closes right after one.
std::string unwrap_paragraphs_at_block_tags(std::string_view text) {
  NextFinder next_gt(text, ">");
  std::string opened =
      rewrite(text, [&next_gt](std::string_view s, size_t i, std::string& out) -> size_t {
        if (!starts_at(s, i, "<p>")) return std::string_view::npos;
        size_t j = skip_space(s, i + 3);
        size_t tag_end = match_block_tag(s, j, next_gt);
        if (tag_end == std::string_view::npos) return tag_end;
        out.append(s.substr(j, tag_end - j));
        return tag_end;
      });
  NextFinder next_gt_opened(opened, ">");
  return rewrite(opened,
                 [&next_gt_opened](std::string_view s, size_t i, std::string& out) -> size_t {
                   size_t tag_end = match_block_tag(s, i, next_gt_opened);
                   if (tag_end == std::string_view::npos) return tag_end;
                   size_t k = skip_space(s, tag_end);
                   out.append(s.substr(i, tag_end - i));
                   if (starts_at(s, k, "</p>")) return k + 4;
                   return tag_end;
                 });
}

constexpr std::string_view kPreserveNewline = "<WPPreserveNewline />";

// Newlines inside script, style and svg are code, not line breaks: they are
// parked as a marker while the line breaks are added.
std::string protect_code_newlines(std::string_view text) {
  std::string guarded;
  guarded.reserve(text.size());
  constexpr std::string_view kTags[] = {"script", "style", "svg"};
  constexpr std::string_view kClosers[] = {"</script>", "</style>", "</svg>"};
  NextFinder next_closer[] = {{text, kClosers[0]}, {text, kClosers[1]}, {text, kClosers[2]}};
  size_t i = 0;
  while (i < text.size()) {
    bool hit = false;
    for (size_t t = 0; t < 3; ++t) {
      const std::string_view tag = kTags[t];
      if (text[i] == '<' && starts_at(text, i + 1, tag)) {
        const std::string_view closer = kClosers[t];
        size_t end = next_closer[t](i + 1 + tag.size());
        if (end == std::string::npos) break;
        end += closer.size();
        for (size_t k = i; k < end; ++k) {
          if (text[k] == '\n') {
            guarded += kPreserveNewline;
          } else {
            guarded += text[k];
          }
        }
        i = end;
        hit = true;
        break;
      }
    }
    if (!hit) guarded += text[i++];
  }
  return guarded;
}

// `(?<!<br />)\s*\n` → "<br />\n".
std::string newlines_to_br(std::string_view g) {
  std::string out;
  out.reserve(g.size() + g.size() / 8);
  size_t i = 0;
  while (i < g.size()) {
    if (!is_space(g[i])) {
      out += g[i++];
      continue;
    }
    size_t run_end = skip_space(g, i);
    // Only a newline in this run of whitespace can end a match. Searching
    // back from the run's end through the whole text found the previous
    // line's newline instead, for every space of a line without one: a
    // long line cost its length squared (an 830 KB line, 38 s).
    size_t last_nl = g.substr(i, run_end - i).rfind('\n');
    if (last_nl == std::string_view::npos) {
      out.append(g.substr(i, run_end - i));
      i = run_end;
      continue;
    }
    last_nl += i;
    bool after_br = i >= 6 && g.substr(i - 6, 6) == "<br />";
    if (after_br) {
      out += g[i++];
      continue;
    }
    out += "<br />\n";
    i = last_nl + 1;
  }
  return out;
}

// The `br` option: every remaining newline that is not already after a
// <br /> becomes a line break, every <br> is spelled "<br />".
std::string add_line_breaks(std::string_view text) {
  std::string guarded = protect_code_newlines(text);
  replace_all_in(guarded, "<br>", "<br />");
  replace_all_in(guarded, "<br/>", "<br />");
  std::string out = newlines_to_br(guarded);
  replace_all_in(out, kPreserveNewline, "\n");
  return out;
}

// No <br /> right after an opening or closing block tag.
std::string drop_br_after_block_tags(std::string_view text) {
  NextFinder next_gt(text, ">");
  return rewrite(text, [&next_gt](std::string_view s, size_t i, std::string& out) -> size_t {
    size_t tag_end = match_block_tag(s, i, next_gt);
    if (tag_end == std::string_view::npos) return tag_end;
    size_t k = skip_space(s, tag_end);
    out.append(s.substr(i, tag_end - i));
    if (starts_at(s, k, "<br />")) return k + 6;
    return tag_end;
  });
}

// Nor right before these tags, opening or closing.
std::string drop_br_before_block_tags(std::string_view text) {
  NextFinder next_gt(text, ">");
  return rewrite(text, [&next_gt](std::string_view s, size_t i, std::string&) -> size_t {
    if (!starts_at(s, i, "<br />")) return std::string_view::npos;
    size_t j = skip_space(s, i + 6);
    if (j >= s.size() || s[j] != '<') return std::string_view::npos;
    size_t n = j + 1;
    if (n < s.size() && s[n] == '/') ++n;
    for (std::string_view name :
         {"p", "li", "div", "dl", "dd", "dt", "th", "pre", "td", "ul", "ol"}) {
      if (starts_at(s, n, name) && next_gt(n) != std::string_view::npos) return i + 6;
    }
    return std::string_view::npos;
  });
}

// `\n</p>$` → "</p>", where PHP's `$` also matches before a final newline.
void trim_newline_before_last_close(std::string& text) {
  if (text.size() >= 5 && text.compare(text.size() - 5, 5, "\n</p>") == 0) {
    text.erase(text.size() - 5, 1);
  } else if (text.size() >= 6 && text.compare(text.size() - 6, 6, "\n</p>\n") == 0) {
    text.erase(text.size() - 6, 1);
  }
}

// The newlines parked inside tags and comments come back.
void restore_newlines_in_tags(std::string& text) {
  replace_all_in(text, kNewlineMark, "\n");
  replace_all_in(text, "<!-- wpnl -->", "\n");
}

}  // namespace

std::string wpautop(std::string_view input, bool br) {
  if (is_blank(input)) return "";
  std::string text(input);
  text += '\n';  // WordPress pads the end so every line ends in a newline

  PreBlocks pre;
  pre.set_aside(text);
  text = double_br_to_blank_line(text);
  text = space_out_block_tags(text);
  normalize_line_endings(text);
  text = mark_newlines_in_tags(text);
  collapse_around_options(text);
  collapse_inside_objects(text);
  collapse_inside_media(text);
  collapse_around_figcaptions(text);

  text = wrap_paragraphs(collapse_newline_runs(text));
  text = drop_empty_paragraphs(text);
  text = close_paragraph_before_block_end(text);
  text = unwrap_lone_block_tags(text);
  text = unwrap_list_items(text);
  text = move_paragraphs_into_blockquotes(text);
  text = unwrap_paragraphs_at_block_tags(text);

  if (br) text = add_line_breaks(text);
  text = drop_br_after_block_tags(text);
  text = drop_br_before_block_tags(text);
  trim_newline_before_last_close(text);

  pre.restore(text);
  restore_newlines_in_tags(text);
  return text;
}

}  // namespace byline
