// Reads a JSON document (a template context file, a data file) into a
// base/value.h Value, keeping key order and the line/column of each value.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostic.h"
#include "base/value.h"

namespace byline {

// How deep arrays and objects may nest (docs/architecture.md, "Limits:
// templates and contexts").
inline constexpr size_t kMaxJsonDepth = 1000;

// Parses `text` (named `path` in diagnostics). Returns false and fills
// `error` on malformed JSON or JSON nested more than kMaxJsonDepth deep.
bool parse_json_value(std::string_view text, const std::string& path, Value* out,
                      Diagnostic* error);
// Reads and parses the file at `path`.
bool load_json_file(const std::string& path, Value* out, Diagnostic* error);

}  // namespace byline
