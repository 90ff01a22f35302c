// Staged, all-or-nothing publishing, and the deletion of what earlier runs
// retired. Why the steps come in the order they do is at the top of the
// header.
#include "output/publisher.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc 2.28)
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "base/thread_pool.h"

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

namespace {

bool is_dot_or_dotdot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// Something is at `p`, a dangling symbolic link included.
bool present(const fs::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

// Deletes `name` in the folder `parent_fd`, the whole tree if it is a
// folder. Symbolic links are deleted, never followed: a retired tree that
// links to the user's files must not take them along. Stops between two
// files once `stop` is raised. Returns true when `name` is gone.
bool remove_tree_at(int parent_fd, const char* name, const std::atomic<bool>& stop) {
  int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return true;
    if (errno != ENOTDIR && errno != ELOOP) return false;
    return ::unlinkat(parent_fd, name, 0) == 0 || errno == ENOENT;
  }
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return false;
  }
  bool stopped = false;
  // Only entries readdir has already returned are removed, which does not
  // disturb the listing of the rest.
  while (dirent* e = ::readdir(dir)) {
    if (is_dot_or_dotdot(e->d_name)) continue;
    if (stop.load(std::memory_order_relaxed)) {
      stopped = true;
      break;
    }
    bool folder = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      folder = ::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    if (folder) {
      if (!remove_tree_at(fd, e->d_name, stop) && stop.load(std::memory_order_relaxed)) {
        stopped = true;
        break;
      }
    } else {
      ::unlinkat(fd, e->d_name, 0);  // what cannot go stays for the next run to try
    }
  }
  ::closedir(dir);
  if (stopped) return false;
  return ::unlinkat(parent_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
}

bool remove_tree(const fs::path& path, const std::atomic<bool>& stop) {
  fs::path parent = path.parent_path();
  int parent_fd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0) return errno == ENOENT;
  bool gone = remove_tree_at(parent_fd, path.filename().c_str(), stop);
  ::close(parent_fd);
  return gone;
}

// For a file system that refuses a hard link: copies the regular file
// `name` of `from_fd` into `to_fd`, with its permissions.
bool copy_file_at(int from_fd, int to_fd, const char* name, mode_t mode) {
  int in = ::openat(from_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return false;
  int out = ::openat(to_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
  if (out < 0) {
    int saved = errno;
    ::close(in);
    errno = saved;
    return false;
  }
  char buf[1 << 16];
  bool ok = true;
  while (ok) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    for (ssize_t done = 0; ok && done < n;) {
      ssize_t w = ::write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      ok = w > 0;
      if (ok) done += w;
    }
  }
  int saved = errno;
  ::close(in);
  if (::close(out) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  errno = saved;
  return ok;
}

bool copy_symlink_at(int from_fd, int to_fd, const char* name) {
  std::string target(PATH_MAX, '\0');
  ssize_t n = ::readlinkat(from_fd, name, target.data(), target.size());
  if (n < 0 || static_cast<size_t>(n) >= target.size()) return false;
  target.resize(static_cast<size_t>(n));
  return ::symlinkat(target.c_str(), to_fd, name) == 0;
}

// Makes every entry of the folder `from` (a descriptor this takes over)
// that the folder `to_fd` lacks appear in `to_fd`: a file as a hard link,
// so nothing is copied and the old tree can be deleted without touching
// it; a folder as a new folder of links. Only new names are made, so the
// old tree is never changed. `hidden_only` looks at names starting with
// '.' alone. With `merge`, a folder on both sides is merged the same way;
// without it the new entry wins whole. `rel` is `from`'s path in the
// output, for the message in `error`.
bool carry_folder(int from, int to_fd, const std::string& rel, bool hidden_only, bool merge,
                  std::string* error) {
  auto fail = [&](const std::string& path, int err) {
    *error = "cannot carry '" + path + "' over from the previous output: " + std::strerror(err);
    return false;
  };
  DIR* dir = ::fdopendir(from);
  if (dir == nullptr) {
    int saved = errno;
    ::close(from);
    return fail(rel.empty() ? "." : rel, saved);
  }
  int from_fd = ::dirfd(dir);
  bool ok = true;
  while (ok) {
    errno = 0;
    dirent* e = ::readdir(dir);
    if (e == nullptr) {
      if (errno != 0) ok = fail(rel.empty() ? "." : rel, errno);
      break;
    }
    const char* name = e->d_name;
    if (is_dot_or_dotdot(name) || (hidden_only && name[0] != '.')) continue;
    std::string path = rel.empty() ? std::string(name) : rel + "/" + name;
    struct stat st, there;
    if (::fstatat(from_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) ok = fail(path, errno);
      continue;
    }
    bool taken = ::fstatat(to_fd, name, &there, AT_SYMLINK_NOFOLLOW) == 0;
    if (taken && !(merge && S_ISDIR(st.st_mode) && S_ISDIR(there.st_mode))) continue;
    if (S_ISDIR(st.st_mode)) {
      if (!taken && ::mkdirat(to_fd, name, 0700) != 0) {
        ok = fail(path, errno);
        continue;
      }
      int sub_from = ::openat(from_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int sub_to = ::openat(to_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub_from < 0 || sub_to < 0) {
        ok = fail(path, errno);
        if (sub_from >= 0) ::close(sub_from);
        if (sub_to >= 0) ::close(sub_to);
        continue;
      }
      ok = carry_folder(sub_from, sub_to, path, false, merge, error);
      if (!taken) {
        // Made 0700 so nothing else sees it half-filled; now as the old one.
        ::fchmod(sub_to, st.st_mode & 07777);
        if (::fchown(sub_to, st.st_uid, st.st_gid) != 0) {
          // Not allowed unless root: the folder stays ours, as a new one would.
        }
      }
      ::close(sub_to);
    } else if (::linkat(from_fd, name, to_fd, name, 0) != 0) {
      int saved = errno;
      bool copied = (S_ISREG(st.st_mode) && copy_file_at(from_fd, to_fd, name, st.st_mode)) ||
                    (S_ISLNK(st.st_mode) && copy_symlink_at(from_fd, to_fd, name));
      if (!copied) ok = fail(path, saved);
    }
  }
  ::closedir(dir);
  return ok;
}

}  // namespace

// Deletes retired trees, oldest first, in one background thread that its
// owner always joins. stop() interrupts it between two files; the tree it
// was on stays queued, and on disk under its recognisable name.
class Sweeper {
 public:
  ~Sweeper() { stop(); }

  // `small`: the files an in-place commit replaced, not a copy of the site.
  void add(fs::path path, bool small = false) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(path), small});
    start_locked();
  }

  // Waits until at most `leave` trees are queued.
  void wait(size_t leave) {
    std::unique_lock<std::mutex> lock(mu_);
    start_locked();
    done_.wait(lock, [&] { return queue_.size() <= leave || !running_; });
  }

  // Waits until no copy of the site is queued, and at most `small_left`
  // small trees.
  void wait_for_copies(size_t small_left) {
    std::unique_lock<std::mutex> lock(mu_);
    start_locked();
    done_.wait(lock, [&] {
      return !running_ ||
             (queue_.size() <= small_left &&
              std::all_of(queue_.begin(), queue_.end(), [](const Tree& t) { return t.small; }));
    });
  }

  void stop() {
    stop_ = true;
    std::thread thread;
    {
      std::lock_guard<std::mutex> lock(mu_);
      thread = std::move(thread_);
    }
    if (thread.joinable()) thread.join();
    stop_ = false;
  }

 private:
  void start_locked() {
    if (running_ || queue_.empty()) return;
    // A thread that has cleared running_ (under mu_, as its last step) has
    // finished or is about to: joining it needs no lock.
    if (thread_.joinable()) thread_.join();
    running_ = true;
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      running_ = false;  // no thread to spare: the trees wait for the next run
    }
  }

  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!queue_.empty() && !stop_) {
      fs::path path = queue_.front().path;
      lock.unlock();
      bool gone = remove_tree(path, stop_);
      lock.lock();
      if (!gone && stop_) break;
      // Gone, or cannot be deleted now: either way the next run looks again.
      queue_.pop_front();
      done_.notify_all();
    }
    running_ = false;
    done_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable done_;  // a tree was deleted, or the thread ended
  struct Tree {
    fs::path path;
    bool small = false;
  };
  std::deque<Tree> queue_;  // the front one is being deleted
  bool running_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

Publisher::Publisher() : sweeper_(std::make_unique<Sweeper>()) {}

Publisher::~Publisher() {
  if (open_) discard();
  close_staging_fd();
  // All retired trees but the newest, then the thread is joined: see the
  // top of the header. A run that committed in place retired no copy of
  // the site, only the files it replaced: it waits for the copies, but
  // leaves the files earlier runs replaced to the next run (unless they
  // pile up), rather than pay for them.
  if (options_.leave_sweep) {
    // Stopped below, between two files.
  } else if (committed_in_place_) {
    sweeper_->wait_for_copies(kSmallTreesLeft);
  } else {
    sweeper_->wait(1);
  }
  sweeper_->stop();
}

void Publisher::name_paths(const fs::path& dest) {
  std::error_code ec;
  dest_ = fs::absolute(dest, ec).lexically_normal();
  if (ec) dest_ = dest.lexically_normal();
  if (dest_.filename().empty()) dest_ = dest_.parent_path();  // "public/" → "public"
  fs::path dir = dest_.parent_path();
  std::string base = "." + dest_.filename().string() + ".byline-";
  staging_ = dir / (base + "staging");
  previous_ = dir / (base + "previous");
  retired_prefix_ = base + "old-";
}

void Publisher::sweep_leftovers(const fs::path& dest) {
  name_paths(dest);
  if (dest_ == dest_.root_path() || swept_for_ == dest_) return;
  swept_for_ = dest_;
  std::error_code ec;
  for (fs::directory_iterator it(dest_.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(retired_prefix_))
      sweeper_->add(it->path(), name.compare(retired_prefix_.size(), 9, "replaced-") == 0);
  }
}

bool Publisher::retire(const fs::path& path, bool small) {
  static std::atomic<unsigned> serial{0};
  std::string stamp = (small ? "replaced-" : "") + std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path to = dest_.parent_path() / (retired_prefix_ + stamp + std::to_string(serial++));
    if (::rename(path.c_str(), to.c_str()) == 0) {
      sweeper_->add(to, small);
      return true;
    }
    if (errno == ENOENT) return true;
    // The name is taken (a leftover of an earlier process with this pid).
    if (errno != EEXIST && errno != ENOTEMPTY && errno != ENOTDIR && errno != EISDIR) break;
  }
  std::atomic<bool> never{false};
  return remove_tree(path, never);
}

bool Publisher::open(const fs::path& dest, DiagnosticSink& sink, const PublishOptions& options) {
  if (open_) discard();
  options_ = options;
  std::string shown = dest.string();
  name_paths(dest);
  if (dest_ == dest_.root_path()) {
    sink.error({shown, 0, 0}, "refusing to publish into the root folder");
    return false;
  }
  sweep_leftovers(dest);
  // What a run killed half-way left (see the header). First the fallback
  // swap's parking place: with no DEST it is the old output, to put back.
  if (present(previous_)) {
    if (!present(dest_)) {
      if (::rename(previous_.c_str(), dest_.c_str()) != 0) {
        int saved = errno;
        sink.error({shown, 0, 0}, "cannot put the previous output back from " + previous_.string() +
                                      ": " + std::strerror(saved));
        return false;
      }
    } else {
      retire(previous_);
    }
  }
  std::error_code ec;
  if (options.accept == PublishOptions::Accept::kBuiltOutput &&
      (fs::exists(dest_ / "byline.toml", ec) || fs::exists(dest_ / "content", ec))) {
    sink.error({shown, 0, 0},
               "refusing to publish here: this folder holds a site's sources, not built output");
    return false;
  }
  bool exists = fs::exists(dest_, ec);
  if (exists && !fs::is_directory(dest_, ec)) {
    sink.error({shown, 0, 0}, "output path exists and is not a folder");
    return false;
  }
  if (options.accept == PublishOptions::Accept::kSite && exists && !fs::is_empty(dest_, ec) &&
      !fs::exists(dest_ / "byline.toml", ec)) {
    sink.error({shown, 0, 0},
               "refusing to import into a folder that is neither empty nor a byline site "
               "(it has no byline.toml)");
    return false;
  }
  // A staging folder already there was abandoned by a killed run, perhaps
  // holding the old output after its swap: retired either way.
  if (present(staging_) && !retire(staging_)) {
    sink.error({shown, 0, 0}, "cannot clear the staging folder " + staging_.string());
    return false;
  }
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
  staged_.clear();
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
  if (options_.in_place) {
    // Claimed here: the names in the staging folder are numbers.
    std::lock_guard<std::mutex> lock(staged_mu_);
    auto [it, added] = staged_.emplace(norm, static_cast<uint32_t>(staged_.size()));
    if (!added) {
      sink.report({Severity::kError, origin, "two outputs write the same file '" + norm + "'", ""});
      return false;
    }
    *norm_out = std::to_string(it->second);
    return true;
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
    // An empty file would pass for the copy: the importer lists an upload it
    // could not copy as one to fetch, and must not also publish it empty.
    ::unlinkat(staging_fd_, rel.c_str(), 0);
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

bool Publisher::swap_in(bool had_previous, std::string* error) {
  if (!had_previous) {
    if (::rename(staging_.c_str(), dest_.c_str()) == 0) return true;
    *error = std::string("cannot move the new output into place: ") + std::strerror(errno);
    return false;
  }
#ifdef RENAME_EXCHANGE
  if (options_.exchange) {
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_EXCHANGE) == 0) {
      retire(staging_);  // the old output now; if this fails, the next open() retires it
      return true;
    }
    // A file system without the exchange falls back to two renames.
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
      *error = std::string("cannot move the new output into place: ") + std::strerror(errno);
      return false;
    }
  }
#endif
  if (::rename(dest_.c_str(), previous_.c_str()) != 0) {
    *error = std::string("cannot move the previous output aside: ") + std::strerror(errno);
    return false;
  }
  if (::rename(staging_.c_str(), dest_.c_str()) != 0) {
    *error = std::string("cannot move the new output into place: ") + std::strerror(errno);
    // If this fails too, the next open() puts it back.
    ::rename(previous_.c_str(), dest_.c_str());
    return false;
  }
  retire(previous_);
  return true;
}

bool Publisher::commit(DiagnosticSink& sink) {
  if (!open_ || options_.in_place) return false;
  struct stat st;
  // Followed if it is a link, as open() checked it.
  bool had_previous = ::stat(dest_.c_str(), &st) == 0;
  std::string error;
  if (had_previous) {
    int from = ::open(dest_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool everything = options_.keep == PublishOptions::Keep::kEverything;
    // Merged either way: a hidden folder the run wrote into keeps the
    // user's files in it (ACME challenges beside a security.txt page).
    bool ok = from >= 0 && carry_folder(from, staging_fd_, "", !everything, true, &error);
    if (from < 0) error = std::string("cannot read the previous output: ") + std::strerror(errno);
    if (!ok) {
      sink.error({dest_.string(), 0, 0}, error);
      discard();
      return false;
    }
    // The folder itself keeps its permissions: a public/ made private stays so.
    ::fchmod(staging_fd_, st.st_mode & 07777);
  }
  close_staging_fd();
  if (!swap_in(had_previous, &error)) {
    sink.error({dest_.string(), 0, 0}, error);
    discard();
    return false;
  }
  open_ = false;
  return true;
}

namespace {

// Creates the folders of `rel` (a file's path) under `root_fd`.
bool make_parents(int root_fd, const std::string& rel, std::string* error) {
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1)) {
    std::string dir = rel.substr(0, slash);
    if (::mkdirat(root_fd, dir.c_str(), 0755) != 0 && errno != EEXIST) {
      *error = "cannot create folder '" + dir + "': " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

// Removes the folders above `rel` that are left empty, deepest first.
void remove_empty_parents(int root_fd, std::string rel) {
  for (size_t slash = rel.rfind('/'); slash != std::string::npos && slash > 0;
       slash = rel.rfind('/')) {
    rel.resize(slash);
    if (::unlinkat(root_fd, rel.c_str(), AT_REMOVEDIR) != 0) return;  // not empty, or gone
  }
}

}  // namespace

bool Publisher::commit_in_place(const std::vector<std::string>& written,
                                const std::vector<std::string>& removed, DiagnosticSink& sink) {
  if (!open_ || !options_.in_place) return false;
  int dest_fd = ::open(dest_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  auto fail = [&](const std::string& error) {
    sink.error({dest_.string(), 0, 0}, error);
    if (dest_fd >= 0) ::close(dest_fd);
    discard();
    return false;
  };
  if (dest_fd < 0)
    return fail(std::string("cannot open the output folder: ") + std::strerror(errno));
  // Where the replaced and deleted files go until the sweep frees them: a
  // name no staged file has.
  constexpr const char* kReplaced = "replaced";
  bool keep_replaced = ::mkdirat(staging_fd_, kReplaced, 0700) == 0;
  std::atomic<size_t> parked{0};
  auto park_name = [&] { return std::string(kReplaced) + "/" + std::to_string(parked++); };
  std::string norm, error;
  // Deleted first: a new file may take the place of an old folder.
  for (const std::string& rel : removed) {
    if (!normalize_output_path(rel, &norm, &error)) return fail(error);
    if (!(keep_replaced &&
          ::renameat(dest_fd, norm.c_str(), staging_fd_, park_name().c_str()) == 0) &&
        ::unlinkat(dest_fd, norm.c_str(), 0) != 0 && errno != ENOENT)
      return fail("cannot delete '" + norm + "': " + std::strerror(errno));
    remove_empty_parents(dest_fd, norm);
  }
  // Moved in parallel, by runs: a move is a few tens of microseconds in
  // the kernel, and a new post moves every page of its lists. The folder
  // is nearly always there already; only a move that finds none makes it.
  constexpr size_t kRun = 64;
  std::mutex mu;
  std::string first_error;
  parallel_for((written.size() + kRun - 1) / kRun, [&](size_t run) {
    std::string norm, error;
    size_t end = std::min(written.size(), (run + 1) * kRun);
    for (size_t i = run * kRun; i < end && error.empty(); ++i) {
      if (!normalize_output_path(written[i], &norm, &error)) break;
      auto staged = staged_.find(norm);
      if (staged == staged_.end()) {
        error = "internal: '" + norm + "' was not written";
        break;
      }
      std::string from = std::to_string(staged->second);
      // The old file keeps a name in the staging folder: the move then
      // frees nothing. Where a link is refused, the move replaces it.
      if (keep_replaced) ::linkat(dest_fd, norm.c_str(), staging_fd_, park_name().c_str(), 0);
      if (::renameat(staging_fd_, from.c_str(), dest_fd, norm.c_str()) == 0) continue;
      if (errno != ENOENT || !make_parents(dest_fd, norm, &error)) {
        if (error.empty()) error = "cannot move '" + norm + "' into place: " + std::strerror(errno);
        break;
      }
      if (::renameat(staging_fd_, from.c_str(), dest_fd, norm.c_str()) != 0)
        error = "cannot move '" + norm + "' into place: " + std::strerror(errno);
    }
    if (!error.empty()) {
      std::lock_guard<std::mutex> lock(mu);
      if (first_error.empty()) first_error = error;
    }
  });
  if (!first_error.empty()) return fail(first_error);
  ::close(dest_fd);
  // What is left in the staging folder is the replaced files.
  close_staging_fd();
  retire(staging_, true);
  open_ = false;
  committed_in_place_ = true;
  return true;
}

void Publisher::discard() {
  close_staging_fd();
  // Retired, not deleted here: a failed build's output can be as large as
  // a good one's, and the sweep deletes it without holding anyone up.
  if (open_) retire(staging_);
  open_ = false;
}

void Publisher::wait_for_sweep() { sweeper_->wait(0); }

}  // namespace byline
