// The bar is drawn by its own thread every 100 ms once a second has passed,
// so the build's threads never wait on the terminal.
#include "base/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace byline {

Progress::Progress(bool enabled) : enabled_(enabled) {
  if (enabled_) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { finish(); }

void Progress::stage(const char* name, size_t total) {
  total_.store(total, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  stage_.store(name, std::memory_order_relaxed);
}

void Progress::finish() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::draw() {
  size_t total = total_.load(std::memory_order_relaxed);
  size_t done = done_.load(std::memory_order_relaxed);
  if (total == 0) return;
  const int width = 30;
  int filled = static_cast<int>(width * std::min(done, total) / total);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), ' ');
  std::fprintf(stderr, "\r\033[K%-10s [%s] %zu/%zu", stage_.load(), bar.c_str(), done, total);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::run() {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  while (!stop_) {
    draw();
    cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; });
  }
}

}  // namespace byline
