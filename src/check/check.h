// `byline check`: builds the site (or takes the last build's output) and
// proves it whole: internal links, images, stylesheets and #fragments,
// feeds and sitemaps, optionally the old URLs of a WordPress export and the
// external links. Every problem is a located error, in the Markdown source
// when the link came from it, else in the output file.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "base/datetime.h"
#include "base/diagnostic.h"
#include "check/external.h"

namespace byline {

struct CheckOptions {
  std::filesystem::path site = ".";
  std::filesystem::path dest;    // empty: SITE/public
  bool build = true;             // false: check what is in DEST (--no-build)
  std::optional<DateTime> now;   // for the build, and what counts as future
  std::string wordpress_export;  // --wordpress EXPORT.xml
  bool external = false;
  ExternalOptions external_options;
  bool progress = false;
  // Every place of an upload the WordPress export carried no file for,
  // which is otherwise one line for the whole site.
  bool verbose = false;
};

struct CheckSummary {
  std::string build_summary;  // the build's one line, when check built
  size_t pages = 0;           // HTML files
  size_t links = 0, internal_links = 0, external_links = 0, fragments = 0;
  size_t feeds = 0, feed_items = 0, sitemaps = 0, sitemap_urls = 0;
  size_t wordpress_urls = 0;
  size_t external_checked = 0, external_cached = 0;
  std::map<std::string, size_t> broken;  // by kind: "link", "fragment", "image", …
  // Not the migration's to fix, so not broken under --wordpress (warnings):
  // uploads the export carried no file for (attachments.csv lists them;
  // import --uploads DIR copies them), counted by file, and links that were
  // already broken in the export (/wp-admin/, a page it never had).
  size_t uploads_not_in_export = 0;
  size_t already_broken = 0;
  double seconds = 0;  // the check, without the build
  // Its stages (--timings): listing the output, reading and checking every
  // page, feed and sitemap, the WordPress and external checks, and tracing
  // what is broken to its source.
  double t_index = 0, t_pages = 0, t_wordpress = 0, t_external = 0, t_report = 0;
  // CPU (user + system, all threads) of the internal check (index and
  // pages) and of the whole check.
  double cpu_internal = 0, cpu_total = 0;

  size_t broken_total() const;
  std::string to_text() const;  // the summary line(s)
};

// Runs the check. Problems found are errors in `sink`; false when the check
// could not run (the build failed, no output, an unreadable export).
bool run_check(const CheckOptions& options, CheckSummary* summary, DiagnosticSink& sink);

}  // namespace byline
