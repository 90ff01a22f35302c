// What a build remembers of a file to tell, next time, whether it changed:
// its size, modification time and inode from stat() first, and the hash of
// its bytes only when those differ (an editor that saves unchanged text, a
// `touch`, a checkout that rewrites every file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/hash.h"

namespace byline {

struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

// Stats `path` (following links); false when it is not a regular file.
bool stamp_of(const char* path, FileStamp* out);
inline bool stamp_of(const std::string& path, FileStamp* out) {
  return stamp_of(path.c_str(), out);
}
inline bool stamp_of(const std::filesystem::path& path, FileStamp* out) {
  return stamp_of(path.c_str(), out);
}

// The stamp of `name` in the folder open as `dir_fd`: one path component
// to look up instead of the whole path.
bool stamp_at(int dir_fd, const char* name, FileStamp* out);

// Reads and hashes a file; false when it cannot be read.
bool hash_file(const std::filesystem::path& path, uint64_t* out);

}  // namespace byline
