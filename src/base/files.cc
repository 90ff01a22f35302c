// Reading whole files, with the page cache in mind.
#include "base/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace byline {

void read_ahead(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
  ::close(fd);
}

bool read_file(const std::filesystem::path& path, std::string* out, std::string* error,
               const std::function<void()>& on_miss) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  // Read straight into the string, asking for one byte more than the file
  // holds: a regular file's short read is its end, so a post costs one read
  // call and no copy. A file that grew meanwhile is read to its new end.
  struct stat st;
  size_t want = (::fstat(fd, &st) == 0 && st.st_size > 0) ? static_cast<size_t>(st.st_size) : 0;
  size_t len = 0;
  out->resize(want + 1);
  bool ask_cache = static_cast<bool>(on_miss);
  while (true) {
    if (len == out->size()) out->resize(out->size() * 2 + 4096);
    ssize_t n;
    if (ask_cache) {
      // RWF_NOWAIT: only what the page cache holds, EAGAIN if that is none.
      iovec iov{out->data(), out->size()};
      n = ::preadv2(fd, &iov, 1, 0, RWF_NOWAIT);
      int err = errno;
      ask_cache = false;
      if (n < 0 && err == EAGAIN) on_miss();
      if (n < 0) continue;  // not cached, or no RWF_NOWAIT here: read normally
    } else {
      n = ::pread(fd, out->data() + len, out->size() - len, static_cast<off_t>(len));
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::strerror(errno);
      ::close(fd);
      out->clear();
      return false;
    }
    if (n == 0) break;
    len += static_cast<size_t>(n);
    if (len < out->size() && want > 0 && len >= want) break;  // short read: the end
  }
  out->resize(len);
  ::close(fd);
  return true;
}

bool is_ignored_name(std::string_view name) {
  return name.empty() || name[0] == '.' || name.back() == '~' || name == "Thumbs.db";
}

namespace {

bool list_into(const std::string& dir, const std::string& rel, std::vector<std::string>* out,
               std::string* error, int depth) {
  if (depth > 64) {  // a loop of links
    *error = dir + ": too many levels of folders (a link to a folder above it?)";
    return false;
  }
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT && depth == 0) return true;
    *error = dir + ": " + std::strerror(errno);
    return false;
  }
  bool ok = true;
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name == "." || name == ".." || is_ignored_name(name)) continue;
    bool folder = e->d_type == DT_DIR;
    if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
      struct stat st {};
      folder = ::stat((dir + "/" + e->d_name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    }
    if (folder) {
      ok &= list_into(dir + "/" + e->d_name, rel + e->d_name + "/", out, error, depth + 1);
    } else {
      out->push_back(rel + e->d_name);
    }
  }
  ::closedir(d);
  return ok;
}

}  // namespace

bool list_files(const std::string& root, std::vector<std::string>* out, std::string* error) {
  size_t first = out->size();
  bool ok = list_into(root, "", out, error, 0);
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  return ok;
}

}  // namespace byline
