// Splits a post into its front matter (YAML between `---` lines or TOML
// between `+++` lines, as Hugo and Jekyll write them) and its Markdown body,
// and decodes the front matter into a Value map located in the file.
//
// Delimiters: the file's first line (after an optional UTF-8 BOM) is exactly
// `---` or `+++`, optionally followed by spaces, tabs or a CR. YAML runs to
// the next line that is `---` or `...`, TOML to the next `+++` line.
//
// YAML is decoded with libyaml's event parser. Plain scalars are resolved as
// in YAML 1.2's core schema: null, booleans, integers (decimal, 0x, 0o),
// floats (with .inf/.nan); everything else, dates included, stays a string.
// Quoted and block scalars are always strings, as is anything tagged `!!str`
// or `!`; other tags are ignored. An alias copies the anchored value; the copy
// is located at the alias. Merge keys (`<<: *defaults`) are expanded as Hugo's
// YAML readers do: keys written in the map itself win.
//
// TOML is decoded with toml++. Dates and times become ISO 8601 strings
// ("2019-08-01", "09:30:00", "2019-08-01T09:30:00" for a local date-time,
// "2019-08-01T09:30:00+02:00" or "...Z" with an offset) so later stages read
// them with parse_datetime like YAML dates.
//
// Every Value carries the 1-based line and column (in code points) in the
// file where it was written. Safe to call from many threads at once.
#pragma once

#include <string_view>

#include "base/diagnostic.h"
#include "base/value.h"

namespace byline {

enum class FrontMatterFormat { kNone, kYaml, kToml };

struct FrontMatter {
  FrontMatterFormat format = FrontMatterFormat::kNone;
  Value fields = Value::map();  // always a map; keys in written order
  // The text after the closing delimiter line, a view into the `text` given to
  // parse_front_matter (never including a BOM). The whole text, less any BOM,
  // when there is no front matter.
  std::string_view body;
  int body_line = 1;  // 1-based line in the file where body starts
};

// Splits `text` (a whole file, valid UTF-8, possibly starting with a BOM) into
// front matter and body and decodes the front matter. Problems are reported to
// `sink` at their place in the file `path`, with the source line. Returns
// false when an error was reported; `out->body` is still set whenever the
// closing delimiter was found. A file without front matter is not an error.
bool parse_front_matter(std::string_view path, std::string_view text, FrontMatter* out,
                        DiagnosticSink& sink);

}  // namespace byline
