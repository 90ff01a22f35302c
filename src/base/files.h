// Reading whole files, with the page cache in mind.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// Reads the file at `path` into `out`; false with `error` set on failure.
// `on_miss` (may be empty) is called when none of the file is in the page
// cache, before waiting for the disk: the caller can then start reading
// the files it needs next (read_ahead), so that the disk works on many at
// once instead of one per thread.
bool read_file(const std::filesystem::path& path, std::string* out, std::string* error,
               const std::function<void()>& on_miss = {});

// Starts reading `path` into the page cache without waiting for it.
void read_ahead(const std::filesystem::path& path);

// Whether a file or folder is one byline passes over wherever it looks:
// hidden ones (.git, .DS_Store, an editor's .swp), backups ending in '~',
// Thumbs.db.
bool is_ignored_name(std::string_view name);

// Appends the files under the folder `root` to `out`, as paths relative to
// it ('/'-separated), sorted; ignored names are skipped and links to
// folders followed. A missing `root` has no files. False with `error` set
// when a folder cannot be read (what could be read is listed).
// readdir() and string appends: std::filesystem's recursive iterator cost
// ~7,000 instructions a file.
bool list_files(const std::string& root, std::vector<std::string>* out, std::string* error);

}  // namespace byline
