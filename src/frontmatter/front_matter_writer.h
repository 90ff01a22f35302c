// Writes the YAML front matter and TOML config the importer produces: every
// string double-quoted and escaped, so no title, slug or name can change
// type or break the file whatever characters it holds.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace byline {

// "…" with \" \\ and control characters (and U+0085, U+2028, U+2029, U+FEFF,
// which YAML treats specially) escaped.
std::string yaml_quote(std::string_view s);

// A TOML basic string.
std::string toml_quote(std::string_view s);

// Builds the front matter block between `---` lines, in insertion order.
class FrontMatterWriter {
 public:
  void string(std::string_view key, std::string_view value);
  void boolean(std::string_view key, bool value);
  void integer(std::string_view key, long long value);
  void string_list(std::string_view key, const std::vector<std::string>& values);
  void string_map(std::string_view key, const std::vector<std::pair<std::string, std::string>>& m);
  // A list of string maps, each item's keys in order ("- k: v\n  k2: v2").
  void map_list(std::string_view key,
                const std::vector<std::vector<std::pair<std::string, std::string>>>& items);
  // "---\n…---\n"
  std::string finish() const;

 private:
  std::string body_;
};

}  // namespace byline
