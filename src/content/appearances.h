// Reading media appearances: the log file content/appearances.{yaml,yml,toml}
// and `appearances:` lists in front matter, every field checked with a
// located diagnostic.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/value.h"
#include "content/appearance.h"

namespace byline {

// Decodes `list` (a Value written in the file `path`, whose text `text`
// diagnostics quote) into `out`. Entries with errors are left out; returns
// false when any error was reported.
bool decode_appearances(const Value& list, const std::string& path, std::string_view text,
                        std::vector<Appearance>* out, DiagnosticSink& sink);

// Reads the log under `content_dir` when there is one; `display_dir` is how
// diagnostics name that folder. Returns false on errors.
bool load_appearance_log(const std::filesystem::path& content_dir, const std::string& display_dir,
                         std::vector<Appearance>* out, DiagnosticSink& sink);

// Whether `url` is an absolute http(s) URL or a path on this site.
bool is_acceptable_link(std::string_view url);

}  // namespace byline
