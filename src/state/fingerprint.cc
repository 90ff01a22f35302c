// stat() and hashing of input files.
#include "state/fingerprint.h"

#include <sys/stat.h>

#include <string>

#include "base/files.h"

namespace byline {

bool stamp_of(const char* path, FileStamp* out) {
  struct stat st {};
  if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  out->size = static_cast<uint64_t>(st.st_size);
  out->mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out->inode = static_cast<uint64_t>(st.st_ino);
  return true;
}

bool hash_file(const std::filesystem::path& path, uint64_t* out) {
  std::string bytes, error;
  if (!read_file(path, &bytes, &error)) return false;
  *out = hash_bytes(bytes);
  return true;
}

}  // namespace byline
