// The lexical pass of toml_limits.h: one scan, linear in the text.
#include "base/toml_limits.h"

#include <vector>

namespace byline {

namespace {

class TomlDepthScanner {
 public:
  explicit TomlDepthScanner(std::string_view text) : s_(text) {}

  std::optional<TomlLimitError> run() {
    while (i_ < s_.size() && !error_) line();
    return std::move(error_);
  }

 private:
  // An array or inline table not closed yet, at depth `self`; `inner` is
  // the depth of the value being read in it (an inline table's dotted key
  // adds to it).
  struct Open {
    char kind;
    size_t self;
    size_t inner;
  };

  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool starts(std::string_view p) const { return i_ <= s_.size() && s_.substr(i_).starts_with(p); }
  void skip_blanks() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void skip_comment() {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
  }

  bool check(size_t depth, size_t where, const char* what) {
    if (depth <= kMaxTomlDepth || error_) return !error_;
    error_ = TomlLimitError{
        where, std::string(what) + " nests tables more than " + std::to_string(kMaxTomlDepth) +
                   " levels deep (each part of a dotted key and each array is a "
                   "level)"};
    return false;
  }

  // A one-line string, basic (with escapes) or literal; i_ is on its quote.
  void skip_string() {
    const char quote = s_[i_++];
    while (i_ < s_.size() && s_[i_] != '\n') {
      if (quote == '"' && s_[i_] == '\\') {
        i_ += 2;
        continue;
      }
      if (s_[i_++] == quote) return;
    }
  }
  // A multi-line string: up to two more quotes right after the closing
  // three belong to the string.
  void skip_multiline_string() {
    const char quote = s_[i_];
    i_ += 3;
    while (i_ < s_.size()) {
      if (quote == '"' && s_[i_] == '\\') {
        i_ += 2;
        continue;
      }
      if (s_[i_] == quote && s_.substr(i_, 3) == std::string(3, quote)) {
        i_ += 3;
        for (int extra = 0; extra < 2 && at(quote); ++extra) ++i_;
        return;
      }
      ++i_;
    }
  }

  // A key, dotted or not, up to `stop` (or the end of the line); returns its
  // parts. Only quoted parts can hold a dot, so dots outside quotes count.
  size_t key(char stop, size_t depth_before, const char* what) {
    const size_t start = i_;
    size_t parts = 1;
    while (i_ < s_.size() && s_[i_] != stop && s_[i_] != '\n') {
      if (s_[i_] == '"' || s_[i_] == '\'') {
        skip_string();
        continue;
      }
      if (s_[i_] == '.' && !check(depth_before + ++parts, start, what)) return parts;
      ++i_;
    }
    return parts;
  }

  // One line at the top level: blank, a comment, a table header or a
  // key = value (whose value may run over several lines).
  void line() {
    skip_blanks();
    if (i_ >= s_.size()) return;
    const char c = s_[i_];
    if (c == '\n' || c == '\r') {
      ++i_;
      return;
    }
    if (c == '#') {
      skip_comment();
      return;
    }
    if (c == '[') {
      const size_t start = i_;
      const bool array_of_tables = starts("[[");
      i_ += array_of_tables ? 2 : 1;
      const size_t parts = key(']', 0, "this table header");
      table_depth_ = parts + (array_of_tables ? 1 : 0);
      if (!check(table_depth_, start, "this table header")) return;
      skip_comment();  // the closing brackets and whatever follows
      return;
    }
    const size_t start = i_;
    const size_t parts = key('=', table_depth_, "this key");
    if (!check(table_depth_ + parts, start, "this key") || !at('=')) {
      skip_comment();
      return;
    }
    ++i_;
    value(table_depth_ + parts);
  }

  // An inline table's key, after its '{' or ','.
  void inline_key() {
    skip_blanks();
    if (at('}')) return;
    const size_t start = i_;
    Open& table = open_.back();
    const size_t parts = key('=', table.self, "this key");
    table.inner = table.self + parts;
    check(table.inner, start, "this key");
    if (at('=')) ++i_;
  }

  // A value up to the end of its line; arrays and inline tables may span
  // lines (TOML 1.0 lets arrays do so), strings are skipped whole.
  void value(size_t depth) {
    while (i_ < s_.size() && !error_) {
      const char c = s_[i_];
      const size_t here = open_.empty() ? depth : open_.back().inner;
      switch (c) {
        case '"':
        case '\'':
          if (starts(std::string(3, c))) {
            skip_multiline_string();
          } else {
            skip_string();
          }
          continue;
        case '#':
          skip_comment();
          continue;
        case '\n':
          ++i_;
          if (open_.empty()) return;
          continue;
        case '[':
          if (!check(here + 1, i_, "this array")) return;
          open_.push_back({'[', here + 1, here + 1});
          ++i_;
          continue;
        case '{':
          // Its keys are the levels, as they are for a table header.
          open_.push_back({'{', here, here});
          ++i_;
          inline_key();
          continue;
        case ',':
          ++i_;
          if (!open_.empty() && open_.back().kind == '{') inline_key();
          continue;
        case ']':
        case '}':
          if (!open_.empty()) open_.pop_back();
          ++i_;
          continue;
        default:
          ++i_;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  size_t table_depth_ = 0;  // parts of the last table header
  std::vector<Open> open_;
  std::optional<TomlLimitError> error_;
};

}  // namespace

std::optional<TomlLimitError> check_toml_limits(std::string_view text) {
  return TomlDepthScanner(text).run();
}

}  // namespace byline
