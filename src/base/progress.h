// A progress bar on the terminal for builds that take longer than about a
// second: silent for quick builds, for pipes and under --quiet.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace byline {

class Progress {
 public:
  // Shows nothing unless `enabled` (a terminal, not quiet).
  explicit Progress(bool enabled);
  ~Progress();  // clears the bar

  void stage(const char* name, size_t total);
  void set(size_t done) { done_.store(done, std::memory_order_relaxed); }
  void finish();

 private:
  void run();
  void draw();

  bool enabled_;
  std::atomic<const char*> stage_{""};
  std::atomic<size_t> done_{0};
  std::atomic<size_t> total_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace byline
