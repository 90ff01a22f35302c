// parallel_for over a shared atomic counter: cheap, and balances uneven work
// (one long post among many short ones) without a task queue.
#include "base/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace byline {

unsigned default_thread_count() {
  if (const char* env = std::getenv("BYLINE_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return static_cast<unsigned>(n);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void parallel_for(size_t count, const std::function<void(size_t)>& fn, unsigned threads) {
  if (threads == 0) threads = default_thread_count();
  if (count == 0) return;
  const size_t chunk = std::clamp<size_t>(count / (threads * 16), 1, 64);
  threads = static_cast<unsigned>(std::min<size_t>(threads, (count + chunk - 1) / chunk));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    while (true) {
      size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= count) return;
      size_t end = std::min(count, begin + chunk);
      for (size_t i = begin; i < end; ++i) fn(i);
    }
  };
  if (threads <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

}  // namespace byline
