// The lexer (see template_lexer.h).
#include "templates/template_lexer.h"

#include <utf8proc.h>

#include <charconv>
#include <cstdlib>

#include "base/strings.h"

namespace byline {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_ascii_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Whether the byte after `raw`/`endraw` continues the word (any non-ASCII
// byte does: `{% rawé %}` is not a raw block).
bool is_word_byte(char c) {
  return is_ascii_name_start(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80;
}

// Python's identifier characters (PEP 3131's XID_Start and XID_Continue),
// which Jinja2's names are made of: letters, and for the rest of a name
// also digits, combining marks and connectors, by Unicode category, less a
// few characters that NFKC normalisation turns into something else.
bool is_nfkc_excluded(int32_t cp) {
  switch (cp) {
    case 0x037A:
    case 0x2E2F:
    case 0x309B:
    case 0x309C:
    case 0xFDFA:
    case 0xFDFB:
    case 0xFE70:
    case 0xFE72:
    case 0xFE74:
    case 0xFE76:
    case 0xFE78:
    case 0xFE7A:
    case 0xFE7C:
    case 0xFE7E:
      return true;
    default:
      return cp >= 0xFC5E && cp <= 0xFC63;
  }
}
bool is_letter_like(int32_t cp) {
  if (cp == 0x1885 || cp == 0x1886 || cp == 0x2118 || cp == 0x212E) return true;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
      return true;
    default:
      return false;
  }
}
bool is_id_start(int32_t cp) {
  if (cp < 0x80) return is_ascii_name_start(static_cast<char>(cp));
  if (cp == 0x0E33 || cp == 0x0EB3 || cp == 0xFF9E || cp == 0xFF9F) return false;
  return !is_nfkc_excluded(cp) && is_letter_like(cp);
}
bool is_id_continue(int32_t cp) {
  if (cp < 0x80) {
    char c = static_cast<char>(cp);
    return is_ascii_name_start(c) || is_digit(c);
  }
  if (is_nfkc_excluded(cp)) return false;
  if (cp == 0x00B7 || cp == 0x0387 || (cp >= 0x1369 && cp <= 0x1371) || cp == 0x19DA) return true;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return is_letter_like(cp);
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<TemplateToken> run() {
    size_t pos = 0;
    const size_t n = src_.size();
    bool lstrip_next = false;
    while (pos < n) {
      size_t idx = find_tag_start(pos);
      std::string_view data = src_.substr(pos, idx == std::string_view::npos ? n - pos : idx - pos);
      if (lstrip_next) {
        size_t k = 0;
        while (k < data.size() && is_space(data[k])) ++k;
        data.remove_prefix(k);
        pos += k;
        lstrip_next = false;
      }
      if (idx == std::string_view::npos) {
        push_data(pos, data);
        break;
      }
      char kind = src_[idx + 1];
      bool strip_before = idx + 2 < n && src_[idx + 2] == '-';
      if (strip_before)
        while (!data.empty() && is_space(data.back())) data.remove_suffix(1);
      push_data(pos, data);
      if (kind == '#') {
        size_t end = src_.find("#}", idx + 2);
        if (end == std::string_view::npos)
          throw TemplateSyntaxError{idx, "unclosed comment: expected '#}'"};
        lstrip_next = end >= idx + 3 + (strip_before ? 1 : 0) && src_[end - 1] == '-';
        pos = end + 2;
        continue;
      }
      if (kind == '%' && try_raw(idx, &pos, &lstrip_next)) continue;
      size_t p = idx + 2;
      // `+` after `{{` or `{%` keeps lstrip_blocks off for the tag: it always is.
      if (p < n && (src_[p] == '-' || src_[p] == '+')) ++p;
      tokens_.push_back({kind == '{' ? Tok::kVarBegin : Tok::kBlockBegin, idx, {}});
      pos = lex_tag(p, kind == '{' ? '}' : '%', &lstrip_next);
    }
    tokens_.push_back({Tok::kEof, n, {}});
    return std::move(tokens_);
  }

 private:
  size_t find_tag_start(size_t from) const {
    for (size_t i = src_.find('{', from); i != std::string_view::npos; i = src_.find('{', i + 1)) {
      if (i + 1 < src_.size() && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#'))
        return i;
    }
    return std::string_view::npos;
  }

  void push_data(size_t offset, std::string_view data) {
    if (data.empty()) return;
    tokens_.push_back({Tok::kData, offset, std::string(data)});
  }

  // Matches `{%[-+]? raw [-]?%}` at idx; on success emits the raw text as
  // data and moves past the matching endraw.
  bool try_raw(size_t idx, size_t* pos, bool* lstrip_next) {
    size_t p = idx + 2;
    if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) ++p;
    while (p < src_.size() && is_space(src_[p])) ++p;
    if (src_.substr(p, 3) != "raw" || (p + 3 < src_.size() && is_word_byte(src_[p + 3])))
      return false;
    p += 3;
    while (p < src_.size() && is_space(src_[p])) ++p;
    bool strip_inner_start = false;
    if (p < src_.size() && src_[p] == '-') {
      strip_inner_start = true;
      ++p;
    }
    if (src_.substr(p, 2) != "%}") throw TemplateSyntaxError{p, "expected '%}' after 'raw'"};
    size_t body_start = p + 2;
    // Find {%[-+]? endraw [-]?%}
    for (size_t q = src_.find("{%", body_start); q != std::string_view::npos;
         q = src_.find("{%", q + 2)) {
      size_t r = q + 2;
      bool strip_inner_end = false;
      if (r < src_.size() && (src_[r] == '-' || src_[r] == '+')) {
        strip_inner_end = src_[r] == '-';
        ++r;
      }
      while (r < src_.size() && is_space(src_[r])) ++r;
      if (src_.substr(r, 6) != "endraw" || (r + 6 < src_.size() && is_word_byte(src_[r + 6])))
        continue;
      r += 6;
      while (r < src_.size() && is_space(src_[r])) ++r;
      // `-%}` strips the whitespace after; `+%}` keeps trim_blocks off, as it is.
      bool strip_after = r < src_.size() && src_[r] == '-';
      if (r < src_.size() && (src_[r] == '-' || src_[r] == '+')) ++r;
      if (src_.substr(r, 2) != "%}") throw TemplateSyntaxError{r, "expected '%}' after 'endraw'"};
      std::string_view body = src_.substr(body_start, q - body_start);
      size_t body_offset = body_start;
      if (strip_inner_start) {
        size_t k = 0;
        while (k < body.size() && is_space(body[k])) ++k;
        body.remove_prefix(k);
        body_offset += k;
      }
      if (strip_inner_end)
        while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
      push_data(body_offset, body);
      *pos = r + 2;
      *lstrip_next = strip_after;
      return true;
    }
    throw TemplateSyntaxError{idx,
                              "unexpected end of template: expected '{% endraw %}' to close 'raw'"};
  }

  size_t lex_tag(size_t p, char closer, bool* lstrip_next) {
    const size_t n = src_.size();
    int balance = 0;
    while (true) {
      while (p < n && is_space(src_[p])) ++p;
      if (p >= n) return p;  // the parser reports the missing end
      char c = src_[p];
      if (balance == 0)
        if (size_t end = lex_tag_end(p, closer, lstrip_next)) return end;
      if (size_t end = lex_name(p)) {
        p = end;
        continue;
      }
      if (is_digit(c)) {
        p = lex_number(p);
        continue;
      }
      if (c == '\'' || c == '"') {
        p = lex_string(p);
        continue;
      }
      if (size_t end = lex_operator(p)) {
        if (c == '(' || c == '[' || c == '{') ++balance;
        if ((c == ')' || c == ']' || c == '}') && balance > 0) --balance;
        p = end;
        continue;
      }
      int32_t cp;
      size_t len = code_point_at(p, &cp);
      throw TemplateSyntaxError{p,
                                "unexpected character '" + std::string(src_.substr(p, len)) + "'"};
    }
  }

  // At p: the tag's end (`}}` or `%}`, `-}}` or `-%}`, or `+%}`, which
  // keeps trim_blocks off for the tag, as it always is). Returns the
  // offset after it, or 0.
  size_t lex_tag_end(size_t p, char closer, bool* lstrip_next) {
    const size_t n = src_.size();
    size_t q = p;
    char mark = src_[p];
    if ((mark == '-' || (mark == '+' && closer == '%')) && p + 1 < n) ++q;
    if (!(q + 1 < n && src_[q] == closer && src_[q + 1] == '}')) return 0;
    tokens_.push_back({closer == '}' ? Tok::kVarEnd : Tok::kBlockEnd, p, {}});
    *lstrip_next = q != p && mark == '-';
    return q + 2;
  }

  // The code point at p (U+FFFD for a byte that starts none) and its length.
  size_t code_point_at(size_t p, int32_t* cp) const {
    unsigned char c = static_cast<unsigned char>(src_[p]);
    *cp = c;
    if (c < 0x80) return 1;
    utf8proc_int32_t v;
    utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(&src_[p]),
                                            static_cast<utf8proc_ssize_t>(src_.size() - p), &v);
    if (len <= 0) {
      *cp = 0xFFFD;
      return 1;
    }
    *cp = v;
    return static_cast<size_t>(len);
  }

  // A name at p, as Jinja2 reads one: the longest run of identifier
  // characters, which must then start like an identifier (`·` does not).
  // Returns the offset after it, or 0 when no name starts at p.
  size_t lex_name(size_t p) {
    int32_t first;
    size_t q = p + code_point_at(p, &first);
    if (first < 0x80 ? !is_ascii_name_start(src_[p]) : !is_id_continue(first)) return 0;
    while (q < src_.size()) {
      int32_t cp;
      size_t len = code_point_at(q, &cp);
      if (!is_id_continue(cp)) break;
      q += len;
    }
    if (!is_id_start(first)) throw TemplateSyntaxError{p, "Invalid character in identifier"};
    tokens_.push_back({Tok::kName, p, std::string(src_.substr(p, q - p))});
    return q;
  }

  // An operator at p; returns the offset after it, or 0.
  size_t lex_operator(size_t p) {
    static const char* two[] = {"//", "**", "==", "!=", "<=", ">="};
    for (const char* op : two) {
      if (src_.substr(p, 2) == op) {
        tokens_.push_back({Tok::kOp, p, op});
        return p + 2;
      }
    }
    char c = src_[p];
    if (std::string_view("+-/*%~[](){}<>=.:|,;").find(c) == std::string_view::npos) return 0;
    tokens_.push_back({Tok::kOp, p, std::string(1, c)});
    return p + 1;
  }

  size_t lex_number(size_t p) {
    if (size_t end = lex_prefixed_int(p)) return end;
    const size_t n = src_.size();
    size_t s = p;
    auto digits = [&] {
      while (p < n && (is_digit(src_[p]) || (src_[p] == '_' && p + 1 < n && is_digit(src_[p + 1]))))
        ++p;
    };
    digits();
    bool is_float = false;
    // After a dot (`rows.1.0`) a number is an index, never a float.
    bool after_dot = s > 0 && src_[s - 1] == '.';
    if (after_dot) {
      // fall through to an integer
    } else if (p + 1 < n && src_[p] == '.' && is_digit(src_[p + 1])) {
      is_float = true;
      ++p;
      digits();
    }
    if (!after_dot && p < n && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < n && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < n && is_digit(src_[q])) {
        is_float = true;
        p = q;
        digits();
      }
    }
    std::string text;
    for (char c : src_.substr(s, p - s))
      if (c != '_') text += c;
    TemplateToken t{is_float ? Tok::kFloat : Tok::kInt, s, text};
    if (is_float) {
      t.fval = std::strtod(text.c_str(), nullptr);
    } else {
      // As in Python, `012` is an error; `0`, `00` and `0.5` are fine.
      if (text[0] == '0' && text.find_first_not_of('0') != std::string::npos)
        throw TemplateSyntaxError{s, "leading zeros in decimal integer literals are not permitted"};
      auto r = std::from_chars(text.data(), text.data() + text.size(), t.ival);
      if (r.ec != std::errc()) throw TemplateSyntaxError{s, "integer literal too large"};
    }
    tokens_.push_back(std::move(t));
    return p;
  }

  // 0x1F, 0o17, 0b101 (any case, `_` between digits) at p: Jinja2's
  // integer literals in bases 16, 8 and 2. Returns the offset after it, or
  // 0 when p starts none (`0x` alone is a 0 followed by the name `x`).
  size_t lex_prefixed_int(size_t p) {
    const size_t n = src_.size();
    if (src_[p] != '0' || p + 1 >= n) return 0;
    char kind = static_cast<char>(src_[p + 1] | 0x20);
    int base = kind == 'x' ? 16 : kind == 'o' ? 8 : kind == 'b' ? 2 : 0;
    if (base == 0) return 0;
    auto is_base_digit = [base](char c) {
      int d = is_digit(c)                              ? c - '0'
              : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                       : 99;
      return d < base;
    };
    std::string digits;
    size_t q = p + 2;
    while (true) {
      size_t r = q < n && src_[q] == '_' ? q + 1 : q;
      if (r >= n || !is_base_digit(src_[r])) break;
      digits += src_[r];
      q = r + 1;
    }
    if (digits.empty()) return 0;
    TemplateToken t{Tok::kInt, p, std::string(src_.substr(p, q - p))};
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), t.ival, base);
    if (r.ec != std::errc()) throw TemplateSyntaxError{p, "integer literal too large"};
    tokens_.push_back(std::move(t));
    return q;
  }

  // Appends what the escape \e in a string literal stands for; *p is just
  // past `e` and moves past the hex digits of \x, \u and \U.
  void append_escape(char e, size_t* p, std::string& out) {
    const size_t n = src_.size();
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '0':
        out += '\0';
        break;
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
        out += '\'';
        break;
      case '"':
        out += '"';
        break;
      case '\n':
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        if (*p + len > n) throw TemplateSyntaxError{*p - 2, "truncated escape in string literal"};
        auto r = std::from_chars(src_.data() + *p, src_.data() + *p + len, cp, 16);
        if (r.ptr != src_.data() + *p + len)
          throw TemplateSyntaxError{*p - 2, "invalid escape in string literal"};
        append_utf8(out, cp);
        *p += len;
        break;
      }
      default:
        out += '\\';
        out += e;
    }
  }

  size_t lex_string(size_t p) {
    const size_t n = src_.size();
    char q = src_[p];
    size_t s = p++;
    std::string out;
    while (true) {
      if (p >= n) throw TemplateSyntaxError{s, "unterminated string literal"};
      char c = src_[p];
      if (c == q) break;
      if (c != '\\' || p + 1 >= n) {
        out += c;
        ++p;
        continue;
      }
      char e = src_[p + 1];
      p += 2;
      append_escape(e, &p, out);
    }
    tokens_.push_back({Tok::kString, s, std::move(out)});
    return p + 1;
  }

  std::string_view src_;
  std::vector<TemplateToken> tokens_;
};

}  // namespace

std::vector<TemplateToken> lex_template(std::string_view source) { return Lexer(source).run(); }

std::string describe(const TemplateToken& t) {
  switch (t.type) {
    case Tok::kData:
      return "template data";
    case Tok::kVarBegin:
      return "'{{'";
    case Tok::kVarEnd:
      return "'}}'";
    case Tok::kBlockBegin:
      return "'{%'";
    case Tok::kBlockEnd:
      return "'%}'";
    case Tok::kEof:
      return "end of template";
    case Tok::kString:
      return "string literal";
    default:
      return "'" + t.text + "'";
  }
}

}  // namespace byline
