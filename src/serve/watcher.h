// Watches a site's sources for `byline serve`: the folders a build reads
// (content/, data/, templates/, static/, themes/) and byline.toml, through
// inotify. A burst of events (an editor writing a swap file, the file and a
// backup, a checkout touching hundreds of files) is one change; editors'
// swap and temporary files are not changes at all.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace byline {

// Whether a file of this name is an editor's or the system's, not the
// writer's: hidden files (vim's .x.swp, emacs's .#x), backups (x~), emacs's
// autosaves (#x#), vim's write probe (4913), and the names byline never
// reads (base/files.h is_ignored_name).
bool is_scratch_name(std::string_view name);

class Watcher {
 public:
  Watcher() = default;
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  ~Watcher();

  // Starts watching `roots` (folders relative to `site_dir`, watched with
  // every folder below them, now and later; one that does not exist yet is
  // watched once it is made) and `files` (relative to `site_dir`).
  bool start(const std::filesystem::path& site_dir, std::vector<std::string> roots,
             std::vector<std::string> files, std::string* error);

  // Waits for a change, then for the burst to end (`quiet` with no event,
  // at most `longest` in all: an editor's save, a swap file and a rename,
  // comes within a millisecond or two; a checkout keeps the burst going), and sets `changed` to the
  // paths touched, relative to the site, sorted; a lost event (the kernel's queue overflowed) reads
  // as "*". Returns false, with nothing changed, when `stop_fd` becomes readable first.
  // With `idle` at 0 or more, also returns true, with nothing changed, when
  // no change came for that long.
  bool wait(int stop_fd, std::vector<std::string>* changed,
            std::chrono::milliseconds quiet = std::chrono::milliseconds(8),
            std::chrono::milliseconds longest = std::chrono::milliseconds(500),
            std::chrono::milliseconds idle = std::chrono::milliseconds(-1));
  // Whether a change is waiting to be read by wait() (for a long piece of
  // work to give way to it).
  bool pending() const;

 private:
  // Watches `rel` (a folder relative to the site) and every folder below it.
  // With `walked`, goes down folders already watched too (not those in
  // `walked`), to find folders made while events were lost.
  void watch_tree(const std::string& rel, std::unordered_set<int>* walked = nullptr);
  void rewatch_all();
  // Stops watching `rel` and the folders below it (moved away: their
  // watches would name them by their old paths).
  void forget_tree(const std::string& rel);
  // Reads the events waiting; adds the changed paths. False on a read error.
  bool drain(std::vector<std::string>* changed);
  bool is_root_or_file(const std::string& rel) const;

  std::filesystem::path site_dir_;
  std::vector<std::string> roots_, files_;
  int fd_ = -1;
  int site_wd_ = -1;
  bool lost_events_ = false;  // the kernel's queue overflowed                                // the
                              // site folder itself
  std::unordered_map<int, std::string> folder_of_;  // watch → folder relative to the site
};

}  // namespace byline
