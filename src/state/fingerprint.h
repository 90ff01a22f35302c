// What a build remembers of a file to tell, next time, whether it changed:
// its size, modification time and inode from stat() first, and the hash of
// its bytes only when those differ (an editor that saves unchanged text, a
// `touch`, a checkout that rewrites every file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

// The streaming state's size is known only with this, and a Hasher lives
// on the stack.
#ifndef XXH_STATIC_LINKING_ONLY
#define XXH_STATIC_LINKING_ONLY
#endif
#include <xxhash.h>

namespace byline {

struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

// Stats `path` (following links); false when it is not a regular file.
bool stamp_of(const std::filesystem::path& path, FileStamp* out);

// XXH3 of some bytes.
inline uint64_t hash_bytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

// Reads and hashes a file; false when it cannot be read.
bool hash_file(const std::filesystem::path& path, uint64_t* out);

// A hash built from many parts, each framed by its length so that ("ab",
// "c") and ("a", "bc") differ.
class Hasher {
 public:
  Hasher() { XXH3_64bits_reset(&state_); }
  Hasher& add(std::string_view s) {
    add(static_cast<uint64_t>(s.size()));
    XXH3_64bits_update(&state_, s.data(), s.size());
    return *this;
  }
  Hasher& add(uint64_t v) {
    XXH3_64bits_update(&state_, &v, sizeof v);
    return *this;
  }
  Hasher& add_signed(int64_t v) { return add(static_cast<uint64_t>(v)); }
  uint64_t digest() const { return XXH3_64bits_digest(&state_); }

 private:
  XXH3_state_t state_;
};

}  // namespace byline
