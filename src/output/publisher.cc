// Staged, all-or-nothing publishing of the built site.
#include "output/publisher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

namespace byline {

namespace fs = std::filesystem;

bool normalize_output_path(std::string_view rel, std::string* out, std::string* error) {
  out->clear();
  if (rel.empty()) {
    *error = "empty output path";
    return false;
  }
  if (rel.front() == '/') {
    *error = "output path '" + std::string(rel) + "' is absolute";
    return false;
  }
  if (rel.find('\0') != std::string_view::npos || rel.find('\\') != std::string_view::npos) {
    *error = "output path '" + std::string(rel) + "' contains a NUL or a backslash";
    return false;
  }
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) slash = rel.size();
    std::string_view part = rel.substr(start, slash - start);
    if (part == "..") {
      *error = "output path '" + std::string(rel) + "' would leave the output folder";
      return false;
    }
    if (!part.empty() && part != ".") {
      if (!out->empty()) *out += '/';
      *out += part;
    }
    start = slash + 1;
  }
  if (out->empty()) {
    *error = "output path '" + std::string(rel) + "' names the output folder itself";
    return false;
  }
  return true;
}

void remove_in_background(const std::vector<fs::path>& paths) {
  if (paths.empty()) return;
  pid_t child = ::fork();
  if (child == 0) {
    // The grandchild is adopted by init, so nobody has to wait for it.
    if (::fork() == 0) {
      ::setsid();
      std::error_code ec;
      for (const fs::path& p : paths) fs::remove_all(p, ec);
    }
    ::_exit(0);
  }
  if (child > 0) {
    int status;
    ::waitpid(child, &status, 0);
  } else {
    std::error_code ec;  // no process to spare: delete in the foreground
    for (const fs::path& p : paths) fs::remove_all(p, ec);
  }
}

Publisher::~Publisher() {
  if (open_) discard();
  close_staging_fd();
}

bool Publisher::open(const fs::path& dest, DiagnosticSink& sink) {
  std::error_code ec;
  dest_ = fs::absolute(dest, ec).lexically_normal();
  if (dest_.filename().empty()) dest_ = dest_.parent_path();  // "public/" → "public"
  std::string shown = dest.string();
  if (dest_ == dest_.root_path()) {
    sink.error({shown, 0, 0}, "refusing to publish into the root folder");
    return false;
  }
  if (fs::exists(dest_ / "byline.toml", ec) || fs::exists(dest_ / "content", ec)) {
    sink.error({shown, 0, 0},
               "refusing to publish here: this folder holds a site's sources, not built output");
    return false;
  }
  if (fs::exists(dest_, ec) && !fs::is_directory(dest_, ec)) {
    sink.error({shown, 0, 0}, "output path exists and is not a folder");
    return false;
  }
  staging_ = dest_.parent_path() / ("." + dest_.filename().string() + ".byline-staging");
  fs::remove_all(staging_, ec);
  if (!fs::create_directories(staging_, ec) && ec) {
    sink.error({shown, 0, 0},
               "cannot create staging folder " + staging_.string() + ": " + ec.message());
    return false;
  }
  close_staging_fd();
  staging_fd_ = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (staging_fd_ < 0) {
    int saved = errno;
    sink.error({shown, 0, 0},
               "cannot open staging folder " + staging_.string() + ": " + std::strerror(saved));
    return false;
  }
  open_ = true;
  files_ = 0;
  return true;
}

bool Publisher::ensure_dir(const std::string& rel_dir, DiagnosticSink& sink,
                           const SourceLocation& origin) {
  if (rel_dir.empty()) return true;
  // The folder itself first: nearly every output is a new folder inside one
  // that exists (a post's folder in its month's), which then costs exactly
  // one mkdir, and no bookkeeping shared between threads. Only a missing
  // parent sends us up the path. An existing folder (a feed beside its
  // list's index.html) costs a failed mkdir, about as much as a lookup.
  if (::mkdirat(staging_fd_, rel_dir.c_str(), 0755) == 0 || errno == EEXIST) return true;
  int saved = errno;
  if (saved == ENOENT) {
    size_t slash = rel_dir.rfind('/');
    if (slash != std::string::npos && !ensure_dir(rel_dir.substr(0, slash), sink, origin))
      return false;
    if (::mkdirat(staging_fd_, rel_dir.c_str(), 0755) == 0 || errno == EEXIST) return true;
    saved = errno;
  }
  sink.report({Severity::kError, origin,
               "cannot create output folder '" + rel_dir + "': " + std::strerror(saved), ""});
  return false;
}

bool Publisher::prepare(std::string_view rel_path, std::string* norm_out, DiagnosticSink& sink,
                        const SourceLocation& origin) {
  std::string norm, why;
  if (!open_) {
    sink.report({Severity::kError, origin, "internal: publisher is not open", ""});
    return false;
  }
  if (!normalize_output_path(rel_path, &norm, &why)) {
    sink.report({Severity::kError, origin, why, ""});
    return false;
  }
  size_t slash = norm.rfind('/');
  if (slash != std::string::npos && !ensure_dir(norm.substr(0, slash), sink, origin)) return false;
  *norm_out = std::move(norm);
  return true;
}

void Publisher::report_create_failure(const std::string& norm, int err, DiagnosticSink& sink,
                                      const SourceLocation& origin) {
  struct stat st;
  if (err == EEXIST && ::fstatat(staging_fd_, norm.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(st.st_mode)) {
    sink.report({Severity::kError, origin, "two outputs write the same file '" + norm + "'", ""});
    return;
  }
  if (err == EEXIST) err = EISDIR;  // a folder made for other outputs is in the way
  sink.report({Severity::kError, origin, "cannot write '" + norm + "': " + std::strerror(err), ""});
}

bool Publisher::write(std::string_view rel_path, std::string_view data, DiagnosticSink& sink,
                      const SourceLocation& origin) {
  std::string rel;
  if (!prepare(rel_path, &rel, sink, origin)) return false;
  int fd = ::openat(staging_fd_, rel.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    report_create_failure(rel, errno, sink, origin);
    return false;
  }
  bool ok = true;
  size_t done = 0;
  while (ok && done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  int saved = errno;
  if (::close(fd) != 0) ok = false;
  if (!ok) {
    sink.report({Severity::kError, origin,
                 "cannot write '" + std::string(rel_path) + "': " + std::strerror(saved), ""});
    return false;
  }
  ++files_;
  return true;
}

bool Publisher::copy(std::string_view rel_path, const fs::path& source, DiagnosticSink& sink,
                     const SourceLocation& origin) {
  std::string rel;
  if (!prepare(rel_path, &rel, sink, origin)) return false;
  // Claimed as write() claims, then filled: copy_file's own check for an
  // existing file is not atomic between threads.
  int fd = ::openat(staging_fd_, rel.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    report_create_failure(rel, errno, sink, origin);
    return false;
  }
  ::close(fd);
  std::error_code ec;
  fs::copy_file(source, staging_ / rel, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    sink.report(
        {Severity::kError, origin, "cannot copy '" + source.string() + "': " + ec.message(), ""});
    return false;
  }
  ++files_;
  return true;
}

void Publisher::close_staging_fd() {
  if (staging_fd_ >= 0) ::close(staging_fd_);
  staging_fd_ = -1;
}

bool Publisher::commit(DiagnosticSink& sink) {
  if (!open_) return false;
  close_staging_fd();
  std::error_code ec;
  const std::string prefix = "." + dest_.filename().string() + ".byline-old-";
  fs::path old = dest_.parent_path() / (prefix + std::to_string(::getpid()));
  fs::remove_all(old, ec);
  bool had_previous = fs::exists(dest_, ec);
  if (had_previous) {
    for (const auto& entry : fs::directory_iterator(dest_, ec)) {
      std::string name = entry.path().filename().string();
      if (!name.empty() && name[0] == '.' && !fs::exists(staging_ / name)) {
        fs::rename(entry.path(), staging_ / name, ec);
      }
    }
    fs::rename(dest_, old, ec);
    if (ec) {
      sink.error({dest_.string(), 0, 0}, "cannot move the previous output aside: " + ec.message());
      discard();
      return false;
    }
  }
  fs::rename(staging_, dest_, ec);
  if (ec) {
    std::error_code ignore;
    if (had_previous) fs::rename(old, dest_, ignore);  // put the previous output back
    sink.error({dest_.string(), 0, 0}, "cannot move the new output into place: " + ec.message());
    discard();
    return false;
  }
  open_ = false;
  // Deleting tens of thousands of old files can take longer than the build
  // itself on a slow disk; a detached process does it while the user goes on.
  // Leftovers of an interrupted deletion are swept by the next commit.
  std::vector<fs::path> trash;
  for (const auto& entry : fs::directory_iterator(dest_.parent_path(), ec)) {
    if (entry.path().filename().string().starts_with(prefix)) trash.push_back(entry.path());
  }
  remove_in_background(trash);
  return true;
}

void Publisher::discard() {
  close_staging_fd();
  std::error_code ec;
  fs::remove_all(staging_, ec);
  open_ = false;
}

}  // namespace byline
