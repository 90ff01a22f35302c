// `byline serve`: the writing loop. Builds the site into a preview folder
// of its own (never DEST: public/ is what a writer deploys), serves it with
// live reload, watches the sources and, at each change, rebuilds what the
// change affects (the incremental build) and tells the open pages what was
// rewritten. A build that fails is shown in the terminal and laid over the
// open pages; the preview keeps the last good site until the error is fixed.
#pragma once

#include <filesystem>
#include <string>

#include "build/build.h"

namespace byline {

struct LiveSiteOptions {
  // The site and the build's flags. build.dest is the preview folder
  // (default: SOURCE/.byline/serve/public); build.base_url is set to the
  // server's address.
  BuildOptions build;
  std::string bind = "127.0.0.1";
  int port = 1313;  // 0: any free port
  // After a rebuild, take the open pages to the page that was edited.
  bool navigate_to_changed = false;
  // Print the time of each stage of each build (--timings).
  bool timings = false;
};

// The preview folder `serve` builds into when not told where.
std::filesystem::path default_preview_folder(const std::filesystem::path& site_dir);

// Serves until SIGINT or SIGTERM. Returns the exit status: 0 when stopped,
// 1 when the server could not start.
int serve_live(LiveSiteOptions options);

}  // namespace byline
