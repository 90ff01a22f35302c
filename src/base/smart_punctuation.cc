// Smart punctuation for plain text (see smart_punctuation.h).
#include "base/smart_punctuation.h"

#include <vector>

namespace byline {

namespace {

// UTF-8 of the characters written.
constexpr std::string_view kLeftDouble = "\u201C", kRightDouble = "\u201D";
constexpr std::string_view kLeftSingle = "\u2018", kRightSingle = "\u2019";
constexpr std::string_view kEnDash = "\u2013", kEmDash = "\u2014", kEllipsis = "\u2026";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0'; }

bool is_ascii_punctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// CommonMark's flanking rules, with the text's ends as spaces. A character
// outside ASCII counts as a letter: titles' quotes sit next to letters.
bool left_flanking(char before, char after) {
  return !is_space(after) &&
         (!is_ascii_punctuation(after) || is_space(before) || is_ascii_punctuation(before));
}
bool right_flanking(char before, char after) {
  return !is_space(before) &&
         (!is_ascii_punctuation(before) || is_space(after) || is_ascii_punctuation(after));
}

// A run of n hyphens as dashes: all em dashes when n divides by three, all
// en dashes when by two, else em dashes followed by one or two en dashes.
void append_dashes(std::string& out, size_t n) {
  size_t em = 0, en = 0;
  if (n % 3 == 0) {
    em = n / 3;
  } else if (n % 2 == 0) {
    en = n / 2;
  } else if (n % 3 == 2) {
    em = (n - 2) / 3;
    en = 1;
  } else {
    em = (n - 4) / 3;
    en = 2;
  }
  for (size_t i = 0; i < em; ++i) out += kEmDash;
  for (size_t i = 0; i < en; ++i) out += kEnDash;
}

}  // namespace

std::string smart_punctuation(std::string_view text) {
  if (text.find_first_of("'\"-.") == std::string_view::npos) return std::string(text);
  // Quotes are written as placeholders first: whether a single quote opens
  // is known only when a later one closes it.
  struct Quote {
    size_t at;  // offset in `out` of its placeholder byte
    bool single;
    bool can_open;
    bool can_close;
  };
  std::string out;
  out.reserve(text.size() + 16);
  std::vector<Quote> quotes;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      size_t n = 0;
      while (i < text.size() && text[i] == '-') ++n, ++i;
      append_dashes(out, n);
      continue;
    }
    if (c == '.' && text.substr(i, 3) == "...") {
      out += kEllipsis;
      i += 3;
      continue;
    }
    if (c == '"' || c == '\'') {
      const char before = i == 0 ? '\0' : text[i - 1];
      const char after = i + 1 < text.size() ? text[i + 1] : '\0';
      const bool left = left_flanking(before, after), right = right_flanking(before, after);
      quotes.push_back(
          {out.size(), c == '\'', left && !right && before != ']' && before != ')', right});
      out += c;
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  if (quotes.empty()) return out;
  // Pair each closing quote with the nearest open one of its kind before
  // it; what opens and is never closed stays as it would alone.
  std::vector<std::string_view> as(quotes.size());
  std::vector<size_t> open;  // indexes into `quotes`, innermost last
  for (size_t q = 0; q < quotes.size(); ++q) {
    const Quote& quote = quotes[q];
    as[q] = quote.single ? kRightSingle : quote.can_close ? kRightDouble : kLeftDouble;
    if (quote.can_close) {
      for (size_t k = open.size(); k-- > 0;) {
        if (quotes[open[k]].single != quote.single) continue;
        as[open[k]] = quote.single ? kLeftSingle : kLeftDouble;
        open.resize(k);
        break;
      }
      continue;
    }
    if (quote.can_open) open.push_back(q);
  }
  std::string result;
  result.reserve(out.size() + quotes.size() * 2);
  size_t from = 0;
  for (size_t q = 0; q < quotes.size(); ++q) {
    result.append(out, from, quotes[q].at - from);
    result += as[q];
    from = quotes[q].at + 1;
  }
  result.append(out, from, std::string::npos);
  return result;
}

}  // namespace byline
