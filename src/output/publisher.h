// The single publisher: every byte byline writes goes through it. Files go
// into a staging folder beside the destination, which is swapped in whole on
// commit, so a failed build never leaves a half-written site; any path that
// would land outside the output folder is refused.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

// Checks that `rel` is a relative path that stays inside the output folder
// (no absolute path, no "..", no NUL, no backslash) and normalises it
// ("a//b/./c" → "a/b/c"). On failure says why in `error`.
bool normalize_output_path(std::string_view rel, std::string* out, std::string* error);

// Deletes `paths` recursively in a detached process, so the caller need not
// wait for a slow disk; falls back to deleting in place.
void remove_in_background(const std::vector<std::filesystem::path>& paths);

class Publisher {
 public:
  Publisher() = default;
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  ~Publisher();  // discards an uncommitted staging folder

  // Prepares an empty staging folder for `dest`. Refuses a destination that
  // holds a byline site (a byline.toml) rather than built output.
  bool open(const std::filesystem::path& dest, DiagnosticSink& sink);

  // Thread-safe. Writes `data` at `rel_path` under the output folder.
  // `origin` names the input responsible, for the diagnostic on failure.
  bool write(std::string_view rel_path, std::string_view data, DiagnosticSink& sink,
             const SourceLocation& origin = {});
  // Thread-safe. Copies (or hard-links when possible) a file.
  bool copy(std::string_view rel_path, const std::filesystem::path& source, DiagnosticSink& sink,
            const SourceLocation& origin = {});

  // Swaps the staging folder in as the destination. Hidden top-level entries
  // of the previous output (.git, .well-known, …) that this build did not
  // write are carried over, so a deploy checkout in public/ survives.
  bool commit(DiagnosticSink& sink);
  // Removes the staging folder; the previous output stays as it was.
  void discard();

  size_t files_written() const { return files_.load(); }
  const std::filesystem::path& staging_dir() const { return staging_; }

 private:
  // Checks `rel_path`, creates its folder and sets `norm` to the normalised
  // path, relative to the staging folder. A file is claimed by creating it
  // (O_EXCL): the staging folder starts empty, so a second output for one
  // file is refused by the file system, with no set of paths to keep (at
  // 100,000 posts that set was ~20 MB and a locked insert per file).
  bool prepare(std::string_view rel_path, std::string* norm, DiagnosticSink& sink,
               const SourceLocation& origin);
  void close_staging_fd();
  bool ensure_dir(const std::string& rel_dir, DiagnosticSink& sink, const SourceLocation& origin);
  // Reports that creating `norm` failed with `err`: a file already there is
  // a second output for it, a folder there is in its way.
  void report_create_failure(const std::string& norm, int err, DiagnosticSink& sink,
                             const SourceLocation& origin);

  std::filesystem::path dest_;
  std::filesystem::path staging_;
  int staging_fd_ = -1;  // files and folders are made relative to it
  bool open_ = false;
  std::atomic<size_t> files_{0};
};

}  // namespace byline
