#include "base/allocator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace byline {
namespace {

std::atomic<int> g_calls{0};
void count_call() { ++g_calls; }

TEST(Allocator, HookRunsOnceWhateverTheThreads) {
  set_return_freed_memory_hook(count_call);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([] {
      for (int j = 0; j < 100; ++j) return_freed_memory_promptly();
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(g_calls.load(), 1);
  set_return_freed_memory_hook(nullptr);
}

}  // namespace
}  // namespace byline
