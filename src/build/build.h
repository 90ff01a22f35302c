// One build, start to finish: config → content → Markdown → site model →
// render → publish, each stage timed. The data flow of byline lives here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
  std::string base_url;  // overrides the config's when set
  // Ignore the last build's saved state and build everything (--full).
  bool full = false;
  // Keep why each output written was made (--explain).
  bool explain = false;
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
  size_t images = 0;  // processed images' variants and social cards written
  size_t other = 0;
  size_t left_out = 0;
  double seconds = 0;
  // Seconds per stage, for `--timings`: reading the saved state and the
  // inputs' stamps (t_state), and saving the state for the next build
  // (t_save) too.
  double t_config = 0, t_state = 0, t_content = 0, t_markdown = 0, t_images = 0, t_site = 0,
         t_render = 0, t_publish = 0, t_save = 0;
  double t_search = 0;  // the search index and related posts, part of t_render
  double t_search_analyse = 0, t_search_related = 0, t_search_index = 0;  // its parts
  double t_search_cpu = 0;  // CPU seconds of all threads while it ran
  // The incremental build: whether this one started from the last one's
  // state, why not, and what it did.
  bool incremental = false;
  std::string full_reason;
  bool nothing_to_do = false;  // no input changed: nothing was rendered or written
  size_t pages_restored = 0;   // pages not read or rendered again
  size_t outputs_made = 0;     // rendered or copied
  size_t outputs_written = 0;  // whose bytes changed
  size_t outputs_removed = 0;  // of the last build, no longer made
  // --explain: (output path, why it was made), for each output written.
  std::vector<std::pair<std::string, std::string>> explanations;
  // For a live preview (byline serve), of an incremental build: the files
  // written and removed, relative to DEST, and the outputs of the pages
  // read afresh rather than restored (the ones edited).
  std::vector<std::string> written_paths;
  std::vector<std::string> removed_paths;
  std::vector<std::string> pages_read;

  std::string summary() const;  // the one-line report
};

// Builds the site. On any error nothing is published: the previous output
// stays as it was. Returns false when errors were reported to `sink`.
bool build_site(const BuildOptions& options, BuildResult* result, DiagnosticSink& sink);

}  // namespace byline
