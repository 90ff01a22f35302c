// Writes an imported site atomically: everything goes into a staging folder
// beside the destination, which replaces the destination only at commit().
// Re-importing into a byline site updates the files the importer wrote last
// time and leaves alone the ones the user has edited since (the manifest
// .byline-import.json remembers each written file's hash).
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

class SiteWriter {
 public:
  SiteWriter() = default;
  SiteWriter(const SiteWriter&) = delete;
  SiteWriter& operator=(const SiteWriter&) = delete;
  ~SiteWriter();  // discards the staging folder unless committed

  // Checks the destination (absent, empty, or a byline site — anything else
  // is refused) and prepares the staging folder.
  bool begin(const std::filesystem::path& destination, bool force, DiagnosticSink& sink);

  // Writes `relative` (a '/'-separated path) unless the user edited or
  // deleted that file since the last import and force is off. Returns true
  // if written. Safe to call from several threads at once.
  bool write(const std::string& relative, std::string_view content);

  // Copies a file in (uploads); not tracked by the manifest.
  bool copy(const std::filesystem::path& source, const std::string& relative);

  // Writes the manifest and moves the staging folder into place; fails
  // (leaving the destination as it was) if any write failed.
  bool commit(DiagnosticSink& sink);

  // Paths left alone because the user changed them, sorted.
  std::vector<std::string> kept() const;
  size_t written() const;

 private:
  bool fail(std::string message, DiagnosticSink& sink);

  std::filesystem::path destination_;
  std::filesystem::path staging_;
  bool force_ = false;
  bool updating_ = false;  // the destination is an existing byline site
  bool committed_ = false;
  std::map<std::string, std::string> previous_;  // manifest of the last import
  std::map<std::string, std::string> manifest_;
  std::vector<std::string> kept_;
  std::vector<std::string> failed_;  // writes that failed: commit() refuses
  size_t written_ = 0;
  mutable std::mutex mu_;  // guards manifest_, kept_ and written_ during write()
};

// The content hash the manifest records (xxh3, hex).
std::string content_hash(std::string_view content);

}  // namespace byline
