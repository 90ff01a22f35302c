// Replays inputs through a harness without libFuzzer, so the regression
// corpus runs under ctest in every build (GCC included). Each argument is an
// input file or a folder of them (not recursive; a missing one is skipped). Every input must return
// within --max-seconds of CPU time; outside the sanitizers the address space
// is capped at --max-mb, so an input that blows memory fails here too.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_input.h"

#if defined(__SANITIZE_ADDRESS__)
#define BYLINE_REPLAY_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BYLINE_REPLAY_SANITIZED 1
#endif
#endif

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool read_file(const std::filesystem::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  *out = buf.str();
  return static_cast<bool>(in) || in.eof();
}

}  // namespace

int main(int argc, char** argv) {
  double max_seconds = 10;
  long max_mb = 2048;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.starts_with("--max-seconds=")) {
      max_seconds = std::atof(arg.c_str() + 14);
    } else if (arg.starts_with("--max-mb=")) {
      max_mb = std::atol(arg.c_str() + 9);
    } else if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (std::filesystem::is_regular_file(arg)) {
      inputs.emplace_back(arg);
    } else {
      // A harness without findings has no regression folder yet.
      std::printf("replay: %s: nothing there\n", arg.c_str());
    }
  }
#ifdef BYLINE_REPLAY_SANITIZED
  // The sanitizers reserve terabytes of address space and slow code down.
  max_seconds *= 5;
#else
  rlimit limit{};
  limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(max_mb) << 20;
  setrlimit(RLIMIT_AS, &limit);
#endif
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 2;
  }
  int failures = 0;
  for (const auto& path : inputs) {
    std::string data;
    if (!read_file(path, &data)) {
      std::fprintf(stderr, "replay: %s: cannot read\n", path.c_str());
      return 2;
    }
    const double start = cpu_seconds();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    const double spent = cpu_seconds() - start;
    std::printf("%s: %zu bytes, %.3f s\n", path.c_str(), data.size(), spent);
    if (spent > max_seconds) {
      std::fprintf(stderr, "replay: %s took %.1f s of CPU, over the %.1f s bound\n", path.c_str(),
                   spent, max_seconds);
      ++failures;
    }
  }
  std::printf("replayed %zu inputs, %d over the time bound\n", inputs.size(), failures);
  return failures == 0 ? 0 : 1;
}
