// One build, start to finish: config → content → Markdown → site model →
// render → publish, each stage timed. The data flow of byline lives here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/datetime.h"
#include "base/diagnostic.h"

namespace byline {

struct BuildOptions {
  std::filesystem::path source = ".";
  std::filesystem::path dest;  // empty: SOURCE/public
  bool drafts = false;
  bool future = false;
  bool expired = false;
  // The build's "now": the cut-off for future and expired pages and what
  // templates' now() returns. Empty: the clock when the build starts. Pinned,
  // the output no longer depends on the day it is built (golden tests).
  std::optional<DateTime> now;
  std::string base_url;   // overrides the config's when set
  bool progress = false;  // draw a progress bar (a terminal, not --quiet)
  // The process exits as soon as the build returns (`byline build`): the
  // site model is left for the exit to reclaim instead of being freed
  // allocation by allocation, a third of a second at 100,000 posts. Never
  // for a process that builds again (`serve`).
  bool exiting_after = false;
};

struct BuildResult {
  size_t pages = 0;
  size_t list_pages = 0;
  size_t feeds = 0;
  size_t aliases = 0;
  size_t static_files = 0;
  size_t other = 0;
  size_t left_out = 0;
  double seconds = 0;
  // Seconds per stage, for `--timings`.
  double t_config = 0, t_content = 0, t_markdown = 0, t_site = 0, t_render = 0, t_publish = 0;

  std::string summary() const;  // the one-line report
};

// Builds the site. On any error nothing is published: the previous output
// stays as it was. Returns false when errors were reported to `sink`.
bool build_site(const BuildOptions& options, BuildResult* result, DiagnosticSink& sink);

}  // namespace byline
