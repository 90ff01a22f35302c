// Limits checked on TOML text before toml++ reads it. toml++ builds one
// nested table per part of a dotted key and recurses over them: a key of
// 20,000 parts overflowed the stack inside it. A lexical pass (strings and
// comments skipped, keys and brackets counted) finds such nesting first, so
// it becomes a located error instead of a crash.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace byline {

// How deep values may nest, counting each part of a dotted key (in a table
// header, in a key, in an inline table) and each array. Real files use a
// handful of levels.
constexpr size_t kMaxTomlDepth = 128;

struct TomlLimitError {
  size_t offset = 0;  // byte offset in the text where the limit is passed
  std::string message;
};

// Nothing when `text` stays within the limits. Text that is not valid TOML
// is left for toml++ to report (this pass only counts).
std::optional<TomlLimitError> check_toml_limits(std::string_view text);

}  // namespace byline
