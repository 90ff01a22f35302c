// The disk's share of a build: replays the creation of a built site's files
// into a fresh folder, the way byline's publisher makes them (a mkdirat of
// each file's folder, then openat, one write and close), on as many threads
// as the render stage uses, and reports the time. No rendering: what is left
// is what the filesystem charges for the output itself, the floor under the
// render+write stage on that disk.
//
// Usage: byline_fs_floor BUILT_SITE DEST [--threads N]
//
// DEST must not exist yet. It is left behind: deleting it right before a
// timed build would bill that build for it (see bench/compare_hugo.py).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct OutputFile {
  std::string rel;  // '/'-separated, relative to the site's root
  size_t size;
};

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

// The file's folder, then its missing parents only when needed: nearly every
// output is a new folder inside one that exists.
bool make_folder(int root, const std::string& dir) {
  if (dir.empty()) return true;
  if (::mkdirat(root, dir.c_str(), 0755) == 0 || errno == EEXIST) return true;
  if (errno != ENOENT) return false;
  size_t slash = dir.rfind('/');
  if (slash != std::string::npos && !make_folder(root, dir.substr(0, slash))) return false;
  return ::mkdirat(root, dir.c_str(), 0755) == 0 || errno == EEXIST;
}

bool write_file(int root, const OutputFile& f, const std::string& filler) {
  size_t slash = f.rel.rfind('/');
  if (!make_folder(root, slash == std::string::npos ? std::string() : f.rel.substr(0, slash)))
    return false;
  int fd = ::openat(root, f.rel.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < f.size) {
    ssize_t n = ::write(fd, filler.data() + done, f.size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return ::close(fd) == 0 && done == f.size;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 2) {
    std::fprintf(stderr, "usage: %s BUILT_SITE DEST [--threads N]\n", argv[0]);
    return 2;
  }
  const fs::path site = paths[0], dest = paths[1];
  std::error_code ec;
  if (!fs::is_directory(site, ec)) {
    std::fprintf(stderr, "%s: not a folder\n", site.c_str());
    return 2;
  }
  if (fs::exists(dest, ec)) {
    std::fprintf(stderr, "%s: already exists; give a new folder\n", dest.c_str());
    return 2;
  }

  // Untimed: the list of files, in path order so that one folder's files
  // come together, as byline writes a month's posts together.
  std::vector<OutputFile> files;
  size_t bytes = 0, largest = 0;
  for (auto it = fs::recursive_directory_iterator(site, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    size_t size = static_cast<size_t>(it->file_size(ec));
    files.push_back({it->path().lexically_relative(site).generic_string(), size});
    bytes += size;
    largest = std::max(largest, size);
  }
  if (ec) {
    std::fprintf(stderr, "%s: %s\n", site.c_str(), ec.message().c_str());
    return 1;
  }
  std::sort(files.begin(), files.end(),
            [](const OutputFile& a, const OutputFile& b) { return a.rel < b.rel; });
  const std::string filler(largest, 'x');
  if (::mkdir(dest.c_str(), 0755) != 0) {
    std::fprintf(stderr, "%s: %s\n", dest.c_str(), std::strerror(errno));
    return 1;
  }
  int root = ::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) {
    std::fprintf(stderr, "%s: %s\n", dest.c_str(), std::strerror(errno));
    return 1;
  }

  rusage before{}, after{};
  ::getrusage(RUSAGE_SELF, &before);
  auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < files.size();) {
        if (!write_file(root, files[i], filler)) {
          std::fprintf(stderr, "%s/%s: %s\n", dest.c_str(), files[i].rel.c_str(),
                       std::strerror(errno));
          failed = true;
          return;
        }
      }
    });
  }
  for (std::thread& t : pool) t.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::getrusage(RUSAGE_SELF, &after);
  ::close(root);
  if (failed) return 1;

  double user = seconds(after.ru_utime) - seconds(before.ru_utime);
  double sys = seconds(after.ru_stime) - seconds(before.ru_stime);
  std::printf(
      "%zu files, %.1f MB, %u thread%s: %.2f s wall, %.2f s user, %.2f s system, "
      "%.1f us per file\n",
      files.size(), bytes / 1e6, threads, threads == 1 ? "" : "s", wall, user, sys,
      files.empty() ? 0.0 : wall * 1e6 / static_cast<double>(files.size()));
  return 0;
}
