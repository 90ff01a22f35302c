// stat() and hashing of input files.
#include "state/fingerprint.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <string>

#include "base/files.h"

namespace byline {

namespace {

bool stamp_from(const struct stat& st, FileStamp* out) {
  if (!S_ISREG(st.st_mode)) return false;
  out->size = static_cast<uint64_t>(st.st_size);
  out->mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out->inode = static_cast<uint64_t>(st.st_ino);
  return true;
}

}  // namespace

bool stamp_of(const char* path, FileStamp* out) {
  struct stat st {};
  return ::stat(path, &st) == 0 && stamp_from(st, out);
}

bool stamp_at(int dir_fd, const char* name, FileStamp* out) {
  struct stat st {};
  return ::fstatat(dir_fd, name, &st, 0) == 0 && stamp_from(st, out);
}

bool hash_file(const std::filesystem::path& path, uint64_t* out) {
  std::string bytes, error;
  if (!read_file(path, &bytes, &error)) return false;
  *out = hash_bytes(bytes);
  return true;
}

}  // namespace byline
