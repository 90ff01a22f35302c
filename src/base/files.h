// Reading whole files, with the page cache in mind.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

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

}  // namespace byline
