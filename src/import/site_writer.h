// What the importer decides about each file it writes, on top of the
// Publisher that writes it (staging, swap, refusing paths outside the
// site). Re-importing into a byline site updates the files the importer
// wrote last time and leaves alone the ones the user has edited or deleted
// since (the manifest .byline-import.json remembers each written file's
// hash); every other file of the site is kept as it is.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "output/publisher.h"

namespace byline {

class SiteWriter {
 public:
  SiteWriter() = default;
  SiteWriter(const SiteWriter&) = delete;
  SiteWriter& operator=(const SiteWriter&) = delete;
  // Discards the staging folder unless committed, and returns once it and
  // any replaced site are deleted: a failed import leaves nothing behind.
  ~SiteWriter();

  // Checks the destination (absent, empty, or a byline site — anything else
  // is refused) and prepares the staging folder.
  bool begin(const std::filesystem::path& destination, bool force, DiagnosticSink& sink);

  // Writes `relative` (a '/'-separated path) unless the user edited or
  // deleted that file since the last import and force is off. Returns true
  // if written. Safe to call from several threads at once.
  bool write(const std::string& relative, std::string_view content);

  // Copies a file in (uploads); not tracked by the manifest. A failed copy
  // leaves nothing and does not fail the import.
  bool copy(const std::filesystem::path& source, const std::string& relative);

  // Writes the manifest and swaps the new site in; fails (leaving the
  // destination as it was) if any write failed.
  bool commit(DiagnosticSink& sink);

  // Paths left alone because the user changed them, sorted.
  std::vector<std::string> kept() const;
  size_t written() const;

 private:
  Publisher publisher_;
  std::filesystem::path destination_;
  bool force_ = false;
  bool updating_ = false;                        // the destination is an existing byline site
  std::map<std::string, std::string> previous_;  // manifest of the last import
  std::map<std::string, std::string> manifest_;
  std::vector<std::string> kept_;
  // Writes that failed, with the publisher's reason: commit() refuses.
  std::vector<std::pair<std::string, std::string>> failed_;
  size_t written_ = 0;
  mutable std::mutex mu_;  // guards manifest_, kept_, failed_ and written_ during write()
};

// The content hash the manifest records (xxh3, hex).
std::string content_hash(std::string_view content);

}  // namespace byline
