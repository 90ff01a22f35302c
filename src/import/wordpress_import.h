// `byline import wordpress`: turns a WordPress export into a byline site
// (byline.toml, content/, uploads) that keeps every old URL, and reports
// what it did and what needs a human look.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

struct WordPressImportOptions {
  std::string export_path;
  // Where the site goes; empty means a folder named after the export file
  // (without .xml) in the current directory.
  std::string output_dir;
  // A copy of the old site's wp-content/uploads; empty means "not available"
  // and attachments.csv lists what to fetch instead.
  std::string uploads_dir;
  // Overwrite files the user edited since the last import.
  bool force = false;
};

struct ImportReport {
  std::string output_dir;
  size_t published_posts = 0;
  size_t published_pages = 0;
  size_t drafts = 0;     // draft and pending items
  size_t scheduled = 0;  // status "future"
  size_t private_items = 0;
  size_t password_protected = 0;  // imported as drafts
  size_t attachments = 0;
  size_t tags = 0;
  size_t categories = 0;
  size_t authors = 0;
  // Old term archive URLs (an item's stale nicename) kept as redirects.
  size_t term_redirects = 0;
  size_t comments = 0;           // approved comments, kept
  size_t comments_withheld = 0;  // pending, spam and trashed: never published
  size_t uploads_copied = 0;
  size_t uploads_missing = 0;  // referenced but absent from --uploads (or not copied)
  size_t files_written = 0;
  size_t files_kept = 0;  // edited by the user since the last import, left alone
  // Items that did not become pages, by post type or status, with the reason.
  std::map<std::string, size_t> skipped;
  std::map<std::string, std::string> skip_reasons;
  std::string permalink_pattern;
  std::vector<std::string> needs_review;

  // The summary table and the review list, as printed at the end of an import.
  std::string to_text() const;
};

// Returns 0 on success and 1 on a user error (malformed export, refusing to
// overwrite a folder), with the diagnostic in `sink`. The site is written
// into a temporary folder beside the destination and moved into place at
// the end; a failed import leaves nothing behind.
int import_wordpress(const WordPressImportOptions& opts, ImportReport* report,
                     DiagnosticSink& sink);

}  // namespace byline
