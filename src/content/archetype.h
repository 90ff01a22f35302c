// Archetypes, as in Hugo: the template a new content file is made from.
// `byline new post --section S` looks for, in order,
//   SITE/archetypes/S.md, SITE/archetypes/default.md,
//   SITE/themes/THEME/archetypes/S.md, SITE/themes/THEME/archetypes/default.md
// and fills the first it finds; without one it writes byline's own front
// matter.
//
// Placeholders are `{{ name }}` (spaces inside the braces optional):
//   title, slug, section, outlet, original_url   quoted strings
//   date                                          RFC 3339, e.g. 2026-03-01T09:30:00+01:00
//   draft                                         true or false
//   tags                                          a list: ["Russia", "Energy"]
// A string placeholder written inside double quotes ("{{ title }}") gets the
// escaped text without quotes of its own, so Hugo-style archetypes work.
// Strings are quoted for the archetype's front-matter format (YAML `---` or
// TOML `+++`). Any other `{{ … }}` is an error at its line and column.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"

namespace byline {

// The archetype for a new file in `section`, or nothing.
std::optional<std::filesystem::path> find_archetype(const std::filesystem::path& site,
                                                    const SiteConfig& config,
                                                    const std::string& section);

// What the placeholders stand for. A value left out (no entry) is a
// placeholder the command line did not give: it becomes "" (or [] for
// tags).
struct ArchetypeValues {
  std::map<std::string, std::string> strings;  // title, slug, section, outlet, original_url
  std::string date;                            // RFC 3339
  bool draft = true;
  std::vector<std::string> tags;
};

// Fills the archetype `text` read from `path`. Returns false (with located
// errors) on an unknown placeholder or when the result's front matter does
// not parse. `used` receives the names of the placeholders the text has.
bool fill_archetype(const std::string& path, const std::string& text, const ArchetypeValues& values,
                    std::string* out, std::vector<std::string>* used, DiagnosticSink& sink);

}  // namespace byline
