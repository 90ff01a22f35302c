// The lexer (see template_lexer.h).
#include "templates/template_lexer.h"

#include <charconv>
#include <cstdlib>

#include "base/strings.h"

namespace byline {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

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
      if (p < n && (src_[p] == '-' || (kind == '%' && src_[p] == '+'))) ++p;
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
    if (src_.substr(p, 3) != "raw" || (p + 3 < src_.size() && is_name_char(src_[p + 3])))
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
      if (src_.substr(r, 6) != "endraw" || (r + 6 < src_.size() && is_name_char(src_[r + 6])))
        continue;
      r += 6;
      while (r < src_.size() && is_space(src_[r])) ++r;
      bool strip_after = false;
      if (r < src_.size() && src_[r] == '-') {
        strip_after = true;
        ++r;
      }
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
    Tok end_type = closer == '}' ? Tok::kVarEnd : Tok::kBlockEnd;
    while (true) {
      while (p < n && is_space(src_[p])) ++p;
      if (p >= n) return p;  // the parser reports the missing end
      char c = src_[p];
      if (balance == 0) {
        if (c == '-' && p + 2 < n + 0 && src_[p + 1] == closer && src_[p + 2] == '}') {
          tokens_.push_back({end_type, p, {}});
          *lstrip_next = true;
          return p + 3;
        }
        if (c == closer && p + 1 < n && src_[p + 1] == '}') {
          tokens_.push_back({end_type, p, {}});
          *lstrip_next = false;
          return p + 2;
        }
      }
      if (is_name_start(c)) {
        size_t s = p;
        while (p < n && is_name_char(src_[p])) ++p;
        tokens_.push_back({Tok::kName, s, std::string(src_.substr(s, p - s))});
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
      static const char* two[] = {"//", "**", "==", "!=", "<=", ">="};
      bool matched = false;
      for (const char* op : two) {
        if (src_.substr(p, 2) == op) {
          tokens_.push_back({Tok::kOp, p, op});
          p += 2;
          matched = true;
          break;
        }
      }
      if (matched) continue;
      if (std::string_view("+-/*%~[](){}<>=.:|,;").find(c) != std::string_view::npos) {
        if (c == '(' || c == '[' || c == '{') ++balance;
        if ((c == ')' || c == ']' || c == '}') && balance > 0) --balance;
        tokens_.push_back({Tok::kOp, p, std::string(1, c)});
        ++p;
        continue;
      }
      throw TemplateSyntaxError{p, "unexpected character '" + std::string(1, c) + "'"};
    }
  }

  size_t lex_number(size_t p) {
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
      auto r = std::from_chars(text.data(), text.data() + text.size(), t.ival);
      if (r.ec != std::errc()) throw TemplateSyntaxError{s, "integer literal too large"};
    }
    tokens_.push_back(std::move(t));
    return p;
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
