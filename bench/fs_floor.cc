// The disk's share of a build: writes a built site's files again, into a
// new folder, through byline's own publisher (a mkdirat of each file's
// folder, then openat, one write and close, into a staging folder renamed
// into place at the end) on byline's thread pool, as the render stage does,
// and reports the time. Nothing is read, converted or rendered: what is left
// is what the filesystem charges for the output itself, the floor under the
// render+write stage on that disk.
//
// Usage: byline_fs_floor BUILT_SITE DEST [--threads N]
//
// DEST must not exist yet. It is left behind: deleting it right before a
// timed build would bill that build for it (see bench/compare_hugo.py).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/thread_pool.h"
#include "output/publisher.h"

namespace fs = std::filesystem;

namespace {

struct OutputFile {
  std::string rel;  // '/'-separated, relative to the site's root
  size_t size;
};

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = byline::default_thread_count();
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads") {
      char* end = nullptr;
      long n = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : 0;
      if (n <= 0 || n > 1024 || *end != '\0') {
        std::fprintf(stderr, "--threads needs a whole number from 1 to 1024\n");
        return 2;
      }
      threads = static_cast<unsigned>(n);
      ++i;
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

  rusage before{}, after{};
  ::getrusage(RUSAGE_SELF, &before);
  auto start = std::chrono::steady_clock::now();
  byline::DiagnosticSink sink;
  byline::Publisher publisher;
  if (publisher.open(dest, sink)) {
    byline::parallel_for(
        files.size(),
        [&](size_t i) {
          publisher.write(files[i].rel, std::string_view(filler).substr(0, files[i].size), sink);
        },
        threads);
    if (!sink.has_errors()) publisher.commit(sink);
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::getrusage(RUSAGE_SELF, &after);
  if (sink.has_errors()) {
    std::fputs(sink.format_all().c_str(), stderr);
    return 1;
  }

  double user = seconds(after.ru_utime) - seconds(before.ru_utime);
  double sys = seconds(after.ru_stime) - seconds(before.ru_stime);
  std::printf(
      "%zu files, %.1f MB, %u thread%s: %.2f s wall, %.2f s user, %.2f s system, "
      "%.1f us per file\n",
      files.size(), bytes / 1e6, threads, threads == 1 ? "" : "s", wall, user, sys,
      files.empty() ? 0.0 : wall * 1e6 / static_cast<double>(files.size()));
  return 0;
}
