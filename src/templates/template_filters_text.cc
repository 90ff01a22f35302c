// Jinja2's string filters (lower, title, trim, truncate, striptags,
// urlencode, wordwrap, ...), with Python's Unicode rules for case and
// whitespace.
#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/strings.h"
#include "templates/template_filter_support.h"
#include "templates/template_operations.h"
#include "templates/template_unicode.h"

namespace byline {
namespace {

const TValue kNone = TValue::none();
const TValue kFalse = TValue::boolean(false);
const TValue kTrue = TValue::boolean(true);
const TValue kEmpty = TValue::string_ref("");

std::string upper_str(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_cp(s, [&](int32_t c) {
    if (c == 0xDF) {
      out += "SS";  // Python upper-cases ß to SS
      return;
    }
    append_cp(out, utf8proc_toupper(c));
  });
  return out;
}

bool is_py_space(int32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_word_char(int32_t c) {
  // ASCII letters are Lu/Ll and digits Nd; no other ASCII character is in
  // those categories (wordcount runs on every list entry's summary).
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  auto cat = utf8proc_category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

// " ".join(s.split()) appended to out, without a string per word: striptags
// runs on every post's summary, twice.
void append_words_joined(std::string_view s, std::string& out) {
  auto ascii_space = [](unsigned char c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  };
  bool pending_space = false, any = false;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    // A run of ASCII other than spaces is a word, or its start, copied at once.
    size_t run = i;
    while (run < n && p[run] < 0x80 && !ascii_space(p[run])) ++run;
    if (run > i) {
      if (pending_space) out += ' ';
      pending_space = false;
      any = true;
      out.append(s.substr(i, run - i));
      i = run;
      continue;
    }
    utf8proc_int32_t cp = p[i];
    utf8proc_ssize_t len = 1;
    if (p[i] >= 0x80) {
      len = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
      if (len <= 0) {
        cp = 0xFFFD;
        len = 1;
      }
    }
    if (is_py_space(cp)) {
      pending_space = any;
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      any = true;
      if (cp == 0xFFFD && len == 1) {
        append_cp(out, cp);  // an invalid byte, as split() would decode it
      } else {
        out.append(s.substr(i, static_cast<size_t>(len)));
      }
    }
    i += static_cast<size_t>(len);
  }
}

// Python's str.splitlines().
std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\x1c' || c == '\x1d' ||
        c == '\x1e') {
      out.emplace_back(s.substr(start, i - start));
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < s.size()) out.emplace_back(s.substr(start));
  return out;
}

TValue f_lower(RenderState&, const TValue& v, CallArgs&) {
  return TValue::string(lower_str(text_of(v)), v.is_safe());
}
TValue f_upper(RenderState&, const TValue& v, CallArgs&) {
  return TValue::string(upper_str(text_of(v)), v.is_safe());
}

TValue f_capitalize(RenderState&, const TValue& v, CallArgs&) {
  std::string out;
  bool first = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (first) {
      // Python's capitalize uses title case for the first character.
      append_cp(out, c == 0xDF ? c : utf8proc_totitle(c));
      first = false;
    } else {
      append_cp(out, utf8proc_tolower(c));
    }
  });
  return TValue::string(std::move(out), v.is_safe());
}

TValue f_title(RenderState&, const TValue& v, CallArgs&) {
  // Split on runs of [-\s({\[<] and capitalise each piece.
  std::string out;
  bool at_start = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    bool sep = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || is_py_space(c);
    if (sep) {
      append_cp(out, c);
      at_start = true;
      return;
    }
    // Jinja2 upper-cases (not title-cases) the first letter of each word.
    append_cp(out, at_start ? utf8proc_toupper(c) : utf8proc_tolower(c));
    at_start = false;
  });
  return TValue::string(std::move(out));
}

TValue f_trim(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& chars = argument(a, 0, "chars", kNone);
  std::string holder;
  std::string_view text = v.is_string() ? v.as_string() : std::string_view(holder = text_of(v));
  std::vector<int32_t> set;
  bool ws = !chars.is_string();
  if (!ws) set = code_points(chars.as_string());
  auto strip = [&](int32_t c) {
    return ws ? is_py_space(c) : std::find(set.begin(), set.end(), c) != set.end();
  };
  // Valid UTF-8 decodes and re-encodes to the same bytes, so the result is
  // the text between the first and last kept code points, found by decoding
  // only the stripped ends (trim runs on every page's summary). Invalid text
  // takes the old path, which replaces bad bytes.
  if (find_invalid_utf8(text) == std::string_view::npos) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto decode = [p](size_t at, size_t end, utf8proc_int32_t* c) {
      return static_cast<size_t>(
          utf8proc_iterate(p + at, static_cast<utf8proc_ssize_t>(end - at), c));
    };
    size_t b = 0, e = text.size();
    utf8proc_int32_t c;
    while (b < e) {
      size_t len = decode(b, e, &c);
      if (!strip(c)) break;
      b += len;
    }
    while (e > b) {
      size_t lead = e - 1;
      while (lead > b && (p[lead] & 0xC0) == 0x80) --lead;  // back to the lead byte
      decode(lead, e, &c);
      if (!strip(c)) break;
      e = lead;
    }
    if (b == 0 && e == text.size() && v.is_string()) return v;
    return TValue::string(std::string(text.substr(b, e - b)), v.is_safe());
  }
  auto cps = code_points(text);
  size_t b = 0, e = cps.size();
  while (b < e && strip(cps[b])) ++b;
  while (e > b && strip(cps[e - 1])) --e;
  return TValue::string(from_cps(cps, b, e), v.is_safe());
}

TValue f_truncate(RenderState&, const TValue& v, CallArgs& a) {
  int64_t length = int_arg(argument(a, 0, "length", TValue::integer(255)), "length");
  bool killwords = argument(a, 1, "killwords", kFalse).truthy();
  static const TValue kDots = TValue::string_ref("...");
  std::string end = text_of(argument(a, 2, "end", kDots));
  const TValue& leeway_v = argument(a, 3, "leeway", kNone);
  int64_t leeway = leeway_v.is_none() ? 5 : int_arg(leeway_v, "leeway");
  int64_t end_len = static_cast<int64_t>(utf8_length(end));
  if (length < end_len)
    throw TemplateError{"expected length >= " + std::to_string(end_len) + ", got " +
                        std::to_string(length)};
  if (leeway < 0) throw TemplateError{"expected leeway >= 0, got " + std::to_string(leeway)};
  std::string holder;
  std::string_view text = v.is_string() ? v.as_string() : std::string_view(holder = text_of(v));
  int64_t n = 0;
  for_each_cp(text, [&n](int32_t) { ++n; });
  if (n <= length + leeway) return v.is_string() ? v : TValue::string(std::move(holder));
  auto cps = code_points(text);
  size_t cut = static_cast<size_t>(length - end_len);
  if (killwords) return TValue::string(from_cps(cps, 0, cut) + end);
  std::string head = from_cps(cps, 0, cut);
  size_t sp = head.rfind(' ');
  if (sp != std::string::npos) head.resize(sp);
  return TValue::string(head + end);
}

TValue f_wordcount(RenderState&, const TValue& v, CallArgs&) {
  int64_t n = 0;
  bool in_word = false;
  for_each_cp(text_of(v), [&](int32_t c) {
    bool w = is_word_char(c);
    if (w && !in_word) ++n;
    in_word = w;
  });
  return TValue::integer(n);
}

std::string replace_str(std::string_view s, std::string_view old, std::string_view with,
                        int64_t count) {
  std::string out;
  if (old.empty()) {
    // Python inserts `with` between every character (and at both ends).
    auto cps = code_points(s);
    const uint64_t inserts = count < 0 ? cps.size() + 1 : std::min<uint64_t>(cps.size() + 1, count);
    check_string_size(s.size() + inserts * with.size());
    int64_t done = 0;
    for (size_t i = 0; i <= cps.size(); ++i) {
      if (count < 0 || done < count) {
        out += with;
        ++done;
      }
      if (i < cps.size()) append_cp(out, cps[i]);
    }
    return out;
  }
  // Counted first, so the result's size is checked before it is built.
  uint64_t n = 0;
  for (size_t p = s.find(old);
       p != std::string_view::npos && (count < 0 || n < static_cast<uint64_t>(count));
       p = s.find(old, p + old.size()))
    ++n;
  if (n == 0) return std::string(s);
  check_string_size(s.size() - n * old.size() + n * with.size());
  out.reserve(s.size() - n * old.size() + n * with.size());
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    size_t p = s.find(old, start);
    if (p == std::string_view::npos) break;
    out.append(s.substr(start, p - start));
    out.append(with);
    start = p + old.size();
    ++done;
  }
  out.append(s.substr(start));
  return out;
}

TValue f_replace(RenderState& st, const TValue& v, CallArgs& a) {
  const TValue& old = argument(a, 0, "old", kEmpty);
  const TValue& with = argument(a, 1, "new", kEmpty);
  const TValue& count_v = argument(a, 2, "count", kNone);
  int64_t count = count_v.is_none() ? -1 : int_arg(count_v, "count");
  if (!st.autoescape())
    return TValue::string(replace_str(text_of(v), text_of(old), text_of(with), count));
  // Markup.replace escapes its arguments; a plain string becomes markup when
  // either argument is markup.
  if ((old.is_safe() || with.is_safe()) && !v.is_safe()) {
    TValue s = escape_value(v);
    return TValue::safe(replace_str(s.as_string(), escape_value(old).as_string(),
                                    escape_value(with).as_string(), count));
  }
  if (v.is_safe())
    return TValue::safe(replace_str(v.as_string(), escape_value(old).as_string(),
                                    escape_value(with).as_string(), count));
  return TValue::string(replace_str(text_of(v), text_of(old), text_of(with), count));
}

TValue f_string(RenderState&, const TValue& v, CallArgs&) { return soft_str(v); }
TValue f_safe(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_string()) return v.marked_safe();
  return TValue::safe(text_of(v));
}
TValue f_escape(RenderState&, const TValue& v, CallArgs&) { return escape_value(v); }
TValue f_forceescape(RenderState&, const TValue& v, CallArgs&) {
  std::string s = text_of(v);
  return TValue::safe(html_escape(s));
}

// HTML entity decoding for striptags (markupsafe's unescape uses Python's
// html.unescape; the common named entities and all numeric ones are here).
void html_unescape(std::string_view s, std::string& out) {
  static const std::pair<const char*, int32_t> kNamed[] = {
      {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},    {"copy", 0xA9},     {"reg", 0xAE},
      {"raquo", 0xBB},   {"laquo", 0xAB},   {"hellip", 0x2026}, {"mdash", 0x2014},
      {"ndash", 0x2013}, {"rsquo", 0x2019}, {"lsquo", 0x2018},  {"rdquo", 0x201D},
      {"ldquo", 0x201C}, {"trade", 0x2122}, {"euro", 0x20AC},   {"middot", 0xB7},
      {"bull", 0x2022},  {"deg", 0xB0},     {"times", 0xD7},    {"eacute", 0xE9},
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      // The run up to the next '&', at once; the loop's ++i lands on it.
      size_t stop = std::min(s.find('&', i), s.size());
      out.append(s.substr(i, stop - i));
      i = stop - 1;
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi != std::string_view::npos && semi - i <= 10) {
      std::string_view ent = s.substr(i + 1, semi - i - 1);
      if (!ent.empty() && ent[0] == '#') {
        int32_t cp = 0;
        bool ok = ent.size() > 1;
        bool hex = ok && (ent[1] == 'x' || ent[1] == 'X');
        for (size_t k = hex ? 2 : 1; k < ent.size() && ok; ++k) {
          char c = ent[k];
          int d = (c >= '0' && c <= '9')          ? c - '0'
                  : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                  : -1;
          if (d < 0 || cp > 0x10FFFF)
            ok = false;
          else
            cp = cp * (hex ? 16 : 10) + d;
        }
        if (ok && ent.size() > (hex ? 2u : 1u)) {
          append_cp(out, cp > 0x10FFFF || cp == 0 ? 0xFFFD : cp);
          i = semi;
          continue;
        }
      } else {
        bool found = false;
        for (const auto& [name, cp] : kNamed)
          if (ent == name) {
            append_cp(out, cp);
            i = semi;
            found = true;
            break;
          }
        if (found) continue;
      }
    }
    out += '&';
  }
}

TValue striptags(const TValue& v);

TValue f_striptags(RenderState& state, const TValue& v, CallArgs&) {
  static const char kTag = 0;
  if (const TValue* known = state.recall(&kTag, v)) return *known;
  TValue result = striptags(v);
  state.remember(&kTag, v, result);
  return result;
}

TValue striptags(const TValue& v) {
  std::string owned;
  std::string_view s;
  if (v.is_safe()) {
    s = v.as_string();
  } else {
    owned = text_of(v);
    s = owned;
  }
  // Text between comments, then between tags, copied a run at a time. A
  // "<!--" (or "<") with no end after it cannot have one after any later
  // opener either, so the rest is then kept as it is.
  std::string without_comments;
  std::string_view no_comments = s;
  if (s.find("<!--") != std::string_view::npos) {
    without_comments.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
      size_t open = s.find("<!--", i);
      size_t close = open == std::string_view::npos ? open : s.find("-->", open + 4);
      if (close == std::string_view::npos) {
        without_comments.append(s.substr(i));
        break;
      }
      without_comments.append(s.substr(i, open - i));
      i = close + 3;
    }
    no_comments = without_comments;
  }
  std::string no_tags;
  no_tags.reserve(no_comments.size());
  for (size_t i = 0; i < no_comments.size();) {
    size_t open = no_comments.find('<', i);
    size_t close = open == std::string::npos ? open : no_comments.find('>', open + 1);
    if (close == std::string_view::npos) {
      no_tags.append(no_comments.substr(i));
      break;
    }
    no_tags.append(no_comments.substr(i, open - i));
    i = close + 1;
  }
  std::string joined;
  joined.reserve(no_tags.size());
  append_words_joined(no_tags, joined);
  std::string out;
  html_unescape(joined, out);
  return TValue::string(std::move(out));
}

void url_quote(std::string& out, std::string_view s, bool for_qs) {
  static const char* hex = "0123456789ABCDEF";
  // Quoting makes text up to three times longer: checked as it grows.
  check_string_size(out.size() + s.size());
  size_t since_check = 0;
  for (char c : s) {
    if (++since_check == (64 << 10)) {
      since_check = 0;
      check_string_size(out.size());
    }
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '_' ||
        c == '.' || c == '-' || c == '~' || (!for_qs && c == '/')) {
      out += c;
    } else if (for_qs && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
}

TValue f_urlencode(RenderState&, const TValue& v, CallArgs&) {
  std::string out;
  if (v.is_string()) {
    url_quote(out, v.as_string(), false);
    return TValue::string(std::move(out));
  }
  std::vector<std::pair<TValue, TValue>> pairs;
  if (is_mapping(v)) {
    pairs = mapping_items(v);
  } else if (v.is_list() || v.is_object()) {
    Sequence seq(v);
    for (size_t i = 0; i < seq.size(); ++i) {
      Sequence p(seq[i]);
      if (p.size() != 2) throw TemplateError{"urlencode expects pairs"};
      pairs.emplace_back(p[0], p[1]);
    }
  } else {
    url_quote(out, v.str(), false);
    return TValue::string(std::move(out));
  }
  bool first = true;
  for (const auto& [k, val] : pairs) {
    if (!first) out += '&';
    first = false;
    url_quote(out, k.str(), true);
    out += '=';
    url_quote(out, val.str(), true);
  }
  return TValue::string(std::move(out));
}

TValue f_indent(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& width = argument(a, 0, "width", TValue::integer(4));
  bool first = argument(a, 1, "first", kFalse).truthy();
  bool blank = argument(a, 2, "blank", kFalse).truthy();
  std::string ind = width.is_string()
                        ? std::string(width.as_string())
                        : std::string(static_cast<size_t>(std::max<int64_t>(
                                          0, bounded(int_arg(width, "width"), "width"))),
                                      ' ');
  std::string s = text_of(v) + "\n";
  std::vector<std::string> lines = split_lines(s);
  check_string_size(s.size() + (lines.size() + 1) * ind.size());
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) rv += "\n" + ind;
      rv += lines[i];
    }
  } else {
    rv = lines.empty() ? "" : lines[0];
    if (lines.size() > 1) {
      rv += "\n";
      for (size_t i = 1; i < lines.size(); ++i) {
        if (i > 1) rv += "\n";
        if (!lines[i].empty()) rv += ind;
        rv += lines[i];
      }
    }
  }
  if (first) rv = ind + rv;
  return TValue::string(std::move(rv), v.is_safe());
}

TValue f_center(RenderState&, const TValue& v, CallArgs& a) {
  int64_t width = bounded(int_arg(argument(a, 0, "width", TValue::integer(80)), "width"), "width");
  std::string s = text_of(v);
  int64_t len = static_cast<int64_t>(utf8_length(s));
  if (len >= width) return TValue::string(std::move(s), v.is_safe());
  int64_t marg = width - len;
  int64_t left = marg / 2 + (marg & width & 1);
  std::string out(static_cast<size_t>(left), ' ');
  out += s;
  out.append(static_cast<size_t>(marg - left), ' ');
  return TValue::string(std::move(out), v.is_safe());
}

TValue f_format(RenderState&, const TValue& v, CallArgs& a) {
  if (!a.positional.empty() && !a.keyword.empty())
    throw TemplateError{"can't handle positional and keyword arguments at the same time"};
  TValue args;
  if (!a.keyword.empty()) {
    TValue::Dict d;
    for (auto& [k, val] : a.keyword) d.emplace_back(TValue::string(k), val);
    args = TValue::dict(std::move(d));
  } else {
    args = TValue::list(a.positional, true);
  }
  std::string fmt = text_of(v);
  return TValue::string(percent_format(fmt, args, v.is_safe()), v.is_safe());
}

bool is_ascii_letter(int32_t c) {
  return c >= 0x80 ? utf8proc_category(c) <= UTF8PROC_CATEGORY_LO &&
                         utf8proc_category(c) >= UTF8PROC_CATEGORY_LU
                   : ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

// textwrap's pieces of text: runs of whitespace and words, a word also
// ending after a hyphen between letters when break_on_hyphens.
using WrapChunk = std::vector<int32_t>;

bool is_wrap_space(int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool is_blank(const WrapChunk& c) {
  for (int32_t x : c)
    if (!is_wrap_space(x)) return false;
  return true;
}

std::vector<WrapChunk> wrap_chunks(const std::vector<int32_t>& text, bool break_on_hyphens) {
  std::vector<WrapChunk> chunks;
  size_t i = 0;
  while (i < text.size()) {
    WrapChunk c;
    if (is_wrap_space(text[i])) {
      while (i < text.size() && is_wrap_space(text[i])) c.push_back(text[i++]);
    } else {
      while (i < text.size() && !is_wrap_space(text[i])) {
        c.push_back(text[i]);
        // A hyphen between letters ends a chunk (letter letter - letter letter).
        if (break_on_hyphens && text[i] == '-' && c.size() >= 3 &&
            is_ascii_letter(c[c.size() - 2]) && is_ascii_letter(c[c.size() - 3]) &&
            i + 2 < text.size() + 1 && i + 1 < text.size() && is_ascii_letter(text[i + 1]) &&
            i + 2 < text.size() && is_ascii_letter(text[i + 2])) {
          ++i;
          break;
        }
        ++i;
      }
    }
    chunks.push_back(std::move(c));
  }
  return chunks;
}

// textwrap's _handle_long_word: the next chunk (chunks.back()) is longer
// than a line. With break_long, as much of it as fits (up to its last
// hyphen, if any) joins the line; otherwise it makes a line of its own.
void break_long_chunk(std::vector<WrapChunk>& chunks, std::vector<WrapChunk>& cur, size_t& cur_len,
                      size_t width, bool break_long, bool break_on_hyphens) {
  size_t space_left = width > cur_len ? width - cur_len : 1;
  if (width < 1) space_left = 1;
  WrapChunk& c = chunks.back();
  if (break_long) {
    size_t end = space_left;
    if (break_on_hyphens && c.size() > space_left) {
      size_t h = std::string::npos;
      for (size_t k = 0; k < space_left && k < c.size(); ++k)
        if (c[k] == '-') h = k;
      if (h != std::string::npos && h > 0) {
        bool non_hyphen = false;
        for (size_t k = 0; k < h; ++k)
          if (c[k] != '-') non_hyphen = true;
        if (non_hyphen) end = h + 1;
      }
    }
    cur.push_back(WrapChunk(c.begin(), c.begin() + static_cast<long>(end)));
    cur_len += end;
    c.erase(c.begin(), c.begin() + static_cast<long>(end));
  } else if (cur.empty()) {
    cur.push_back(std::move(c));
    chunks.pop_back();
  }
}

// textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False, ...)
std::vector<std::string> wrap_line(const std::vector<int32_t>& text, size_t width, bool break_long,
                                   bool break_on_hyphens) {
  std::vector<WrapChunk> chunks = wrap_chunks(text, break_on_hyphens);
  std::reverse(chunks.begin(), chunks.end());
  std::vector<std::string> lines;
  while (!chunks.empty()) {
    std::vector<WrapChunk> cur;
    size_t cur_len = 0;
    if (is_blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      size_t l = chunks.back().size();
      if (cur_len + l <= width) {
        cur_len += l;
        cur.push_back(std::move(chunks.back()));
        chunks.pop_back();
      } else {
        break;
      }
    }
    if (!chunks.empty() && chunks.back().size() > width)
      break_long_chunk(chunks, cur, cur_len, width, break_long, break_on_hyphens);
    if (!cur.empty() && is_blank(cur.back())) cur.pop_back();
    if (!cur.empty()) {
      std::string line;
      for (const WrapChunk& c : cur) line += from_cps(c);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

TValue f_wordwrap(RenderState&, const TValue& v, CallArgs& a) {
  int64_t width = int_arg(argument(a, 0, "width", TValue::integer(79)), "width");
  if (width <= 0) throw TemplateError{"invalid width " + std::to_string(width) + " (must be > 0)"};
  bool break_long = argument(a, 1, "break_long_words", kTrue).truthy();
  const TValue& ws = argument(a, 2, "wrapstring", kNone);
  bool hyphens = argument(a, 3, "break_on_hyphens", kTrue).truthy();
  std::string wrap = ws.is_none() ? "\n" : text_of(ws);
  std::string out;
  bool first_line = true;
  for (const std::string& line : split_lines(text_of(v))) {
    if (!first_line) out += wrap;
    first_line = false;
    auto lines = wrap_line(code_points(line), static_cast<size_t>(width), break_long, hyphens);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) out += wrap;
      out += lines[i];
    }
  }
  return TValue::string(std::move(out));
}

TValue f_filesizeformat(RenderState&, const TValue& v, CallArgs& a) {
  bool binary = argument(a, 0, "binary", kFalse).truthy();
  double bytes = v.is_number() ? v.as_float() : 0;
  if (v.is_string()) std::sscanf(std::string(v.as_string()).c_str(), "%lf", &bytes);
  double base = binary ? 1024 : 1000;
  static const char* dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return TValue::string("1 Byte");
  if (bytes < base) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d Bytes", static_cast<int>(bytes));
    return TValue::string(buf);
  }
  for (int i = 0; i < 8; ++i) {
    double unit = std::pow(base, i + 2);
    if (bytes < unit || i == 7) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f %s", base * bytes / unit, binary ? bin[i] : dec[i]);
      return TValue::string(buf);
    }
  }
  return TValue::string("");
}

}  // namespace

void register_text_filters(TemplateEngine& e) {
  e.add_filter("lower", f_lower);
  e.add_filter("upper", f_upper);
  e.add_filter("title", f_title);
  e.add_filter("capitalize", f_capitalize);
  e.add_filter("trim", f_trim);
  e.add_filter("truncate", f_truncate);
  e.add_filter("wordcount", f_wordcount);
  e.add_filter("replace", f_replace);
  e.add_filter("string", f_string);
  e.add_filter("safe", f_safe);
  e.add_filter("escape", f_escape);
  e.add_filter("e", f_escape);
  e.add_filter("forceescape", f_forceescape);
  e.add_filter("striptags", f_striptags);
  e.add_filter("urlencode", f_urlencode);
  e.add_filter("indent", f_indent);
  e.add_filter("center", f_center);
  e.add_filter("format", f_format);
  e.add_filter("wordwrap", f_wordwrap);
  e.add_filter("filesizeformat", f_filesizeformat);
}

}  // namespace byline
