// inotify, one watch per folder (inotify does not recurse).
#include "serve/watcher.h"

#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <unordered_set>

#include "base/files.h"

namespace byline {

namespace fs = std::filesystem;

bool is_scratch_name(std::string_view name) {
  if (is_ignored_name(name)) return true;
  if (name == "4913") return true;  // vim checks it may write the folder with this
  if (name.size() > 1 && name.front() == '#' && name.back() == '#') return true;  // emacs
  for (std::string_view ext : {".swp", ".swx", ".swo", ".tmp", ".crswap", ".kate-swp"})
    if (name.ends_with(ext)) return true;
  return false;
}

namespace {

constexpr uint32_t kFolderEvents = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE |
                                   IN_DELETE | IN_DELETE_SELF | IN_ATTRIB | IN_ONLYDIR;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Watcher::~Watcher() {
  if (fd_ >= 0) ::close(fd_);
}

bool Watcher::start(const fs::path& site_dir, std::vector<std::string> roots,
                    std::vector<std::string> files, std::string* error) {
  site_dir_ = site_dir;
  roots_ = std::move(roots);
  files_ = std::move(files);
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    *error = std::string("cannot watch the site's files (inotify): ") + std::strerror(errno);
    return false;
  }
  // The site folder itself, for byline.toml and for a root made later.
  site_wd_ = ::inotify_add_watch(fd_, site_dir_.c_str(), kFolderEvents);
  if (site_wd_ < 0) {
    *error = "cannot watch " + site_dir_.string() + ": " + std::strerror(errno);
    return false;
  }
  for (const std::string& root : roots_) watch_tree(root);
  return true;
}

void Watcher::watch_tree(const std::string& rel, std::unordered_set<int>* walked) {
  std::string full = (site_dir_ / rel).string();
  // A link to a folder is followed, as the build follows it. Watching a
  // folder already watched gives its watch again, which stops a loop of
  // links (or, when walking every tree again, `walked` does); IN_ONLYDIR
  // refuses what is not a folder.
  int wd = ::inotify_add_watch(fd_, full.c_str(), kFolderEvents);
  if (wd < 0) return;
  auto [it, added] = folder_of_.emplace(wd, rel);
  if (walked ? !walked->insert(wd).second : !added) return;
  DIR* d = ::opendir(full.c_str());
  if (!d) return;
  std::vector<std::string> below;
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name == "." || name == ".." || is_scratch_name(name)) continue;
    if (e->d_type == DT_DIR || e->d_type == DT_LNK || e->d_type == DT_UNKNOWN)
      below.push_back(rel + "/" + e->d_name);
  }
  ::closedir(d);
  for (const std::string& sub : below) watch_tree(sub, walked);
}

void Watcher::rewatch_all() {
  std::unordered_set<int> walked;
  for (const std::string& root : roots_) watch_tree(root, &walked);
}

void Watcher::forget_tree(const std::string& rel) {
  for (auto it = folder_of_.begin(); it != folder_of_.end();) {
    if (it->second == rel || it->second.starts_with(rel + "/")) {
      ::inotify_rm_watch(fd_, it->first);
      it = folder_of_.erase(it);
    } else {
      ++it;
    }
  }
}

bool Watcher::is_root_or_file(const std::string& rel) const {
  return std::find(roots_.begin(), roots_.end(), rel) != roots_.end() ||
         std::find(files_.begin(), files_.end(), rel) != files_.end();
}

bool Watcher::drain(std::vector<std::string>* changed) {
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    if (n == 0) return true;
    for (char* at = buf; at < buf + n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        // Events were lost, among them perhaps the making of folders that
        // are not watched yet: every tree is walked again once the queue
        // is read, and the build rescans everything anyway.
        changed->push_back("*");
        lost_events_ = true;
        continue;
      }
      if (ev->mask & IN_IGNORED) {
        folder_of_.erase(ev->wd);
        continue;
      }
      std::string name = ev->len ? std::string(ev->name) : std::string();
      if (ev->wd == site_wd_) {
        // Only the roots and the files asked for: not public/ or .byline/.
        if (name.empty() || !is_root_or_file(name)) continue;
        if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM)) forget_tree(name);
        if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) watch_tree(name);
        changed->push_back(name);
        continue;
      }
      auto folder = folder_of_.find(ev->wd);
      if (folder == folder_of_.end()) continue;
      if (name.empty()) {
        if (ev->mask & IN_DELETE_SELF) changed->push_back(folder->second);
        continue;
      }
      if (is_scratch_name(name)) continue;
      std::string rel = folder->second + "/" + name;
      if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM)) forget_tree(rel);
      if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) watch_tree(rel);
      changed->push_back(std::move(rel));
    }
  }
}

bool Watcher::pending() const {
  pollfd fd = {fd_, POLLIN, 0};
  return fd_ >= 0 && ::poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN);
}

bool Watcher::wait(int stop_fd, std::vector<std::string>* changed, std::chrono::milliseconds quiet,
                   std::chrono::milliseconds longest, std::chrono::milliseconds idle) {
  changed->clear();
  pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  int64_t first = -1;
  const int64_t idle_until = idle.count() >= 0 ? now_ms() + idle.count() : -1;
  for (;;) {
    int timeout = -1;
    if (first < 0 && idle_until >= 0) {
      timeout = static_cast<int>(std::max<int64_t>(0, idle_until - now_ms()));
    }
    if (first >= 0) {
      int64_t left = first + longest.count() - now_ms();
      if (left <= 0) break;
      timeout = static_cast<int>(std::min<int64_t>(quiet.count(), left));
    }
    int r = ::poll(fds, stop_fd >= 0 ? 2 : 1, timeout);
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (stop_fd >= 0 && (fds[1].revents & POLLIN)) return false;
    if (r == 0) {
      if (first >= 0) break;                                       // quiet for long enough
      if (idle_until >= 0 && now_ms() >= idle_until) return true;  // idle: nothing changed
      continue;
    }
    size_t before = changed->size();
    if (!drain(changed)) return false;
    if (lost_events_) {
      lost_events_ = false;
      rewatch_all();
    }
    if (changed->size() > before && first < 0) first = now_ms();
  }
  std::set<std::string> unique(changed->begin(), changed->end());
  changed->assign(unique.begin(), unique.end());
  return true;
}

}  // namespace byline
