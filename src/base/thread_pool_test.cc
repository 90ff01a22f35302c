#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace byline {
namespace {

using Chunk = std::pair<size_t, size_t>;

TEST(StripedRangeTest, EachWorkerStartsAtTheFrontOfItsOwnStripe) {
  StripedRange r(100, 2, 10);
  EXPECT_EQ(r.take(0), Chunk(0, 10));
  EXPECT_EQ(r.take(1), Chunk(50, 60));
  EXPECT_EQ(r.take(0), Chunk(10, 20));
  EXPECT_EQ(r.take(1), Chunk(60, 70));
}

TEST(StripedRangeTest, AWorkerDoneWithItsStripeHelpsFromTheFarEndOfTheFullest) {
  StripedRange r(90, 3, 10);  // stripes [0,30) [30,60) [60,90)
  EXPECT_EQ(r.take(0), Chunk(0, 10));
  EXPECT_EQ(r.take(0), Chunk(10, 20));
  EXPECT_EQ(r.take(0), Chunk(20, 30));
  EXPECT_EQ(r.take(2), Chunk(60, 70));
  // Stripe 0 is empty: worker 0 helps stripe 1 (30 left, more than
  // stripe 2's 20), from its back.
  EXPECT_EQ(r.take(0), Chunk(50, 60));
  EXPECT_EQ(r.take(1), Chunk(30, 40));
  // Stripe 1 holds [40,50) and stripe 2 [70,90): the helper goes to 2.
  EXPECT_EQ(r.take(0), Chunk(80, 90));
}

TEST(StripedRangeTest, ChunksShrinkAtAStripesEndAndTheLastOneIsHandedOutOnce) {
  StripedRange r(25, 2, 10);  // stripes [0,12) [12,25)
  EXPECT_EQ(r.take(0), Chunk(0, 10));
  EXPECT_EQ(r.take(0), Chunk(10, 12));
  EXPECT_EQ(r.take(0), Chunk(15, 25));
  EXPECT_EQ(r.take(1), Chunk(12, 15));
  EXPECT_EQ(r.take(1), std::nullopt);
  EXPECT_EQ(r.take(0), std::nullopt);
}

TEST(StripedRangeTest, EmptyAndTinyRanges) {
  StripedRange empty(0, 4, 8);
  for (unsigned t = 0; t < 4; ++t) EXPECT_EQ(empty.take(t), std::nullopt);
  StripedRange one(1, 4, 8);  // three empty stripes and [0,1)
  EXPECT_EQ(one.take(0), Chunk(0, 1));
  EXPECT_EQ(one.take(3), std::nullopt);
}

TEST(ParallelForTest, CallsEveryIndexExactlyOnce) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    for (size_t count : {0u, 1u, 2u, 7u, 64u, 1000u, 40000u}) {
      std::vector<std::atomic<int>> calls(count);
      parallel_for(
          count, [&](size_t i) { calls[i].fetch_add(1); }, threads);
      for (size_t i = 0; i < count; ++i) {
        ASSERT_EQ(calls[i].load(), 1)
            << "index " << i << " of " << count << ", " << threads << " threads";
      }
    }
  }
}

TEST(ParallelForTest, UnevenWorkIsSharedOut) {
  // Stripe 0 is all slow items: without help from the other worker it would
  // be the only one left working. Each item records who ran it.
  const size_t count = 64;
  std::vector<std::thread::id> who(count);
  parallel_for(
      count,
      [&](size_t i) {
        if (i < count / 2) {
          volatile unsigned long spin = 0;
          for (int k = 0; k < 2000000; ++k) spin = spin + k;
        }
        who[i] = std::this_thread::get_id();
      },
      2);
  int by_other = 0;
  for (size_t i = 0; i < count / 2; ++i) by_other += who[i] != who[0];
  EXPECT_GT(by_other, 0) << "the first stripe's slow items all ran on one thread";
}

TEST(ThreadCountTest, WritersGetOneMoreThreadUnlessBylineThreadsSaysHowMany) {
  const char* saved = std::getenv("BYLINE_THREADS");
  std::string restore = saved ? saved : "";
  ::unsetenv("BYLINE_THREADS");
  EXPECT_GE(default_thread_count(), 1u);
  EXPECT_EQ(writer_thread_count(), default_thread_count() + 1);
  ::setenv("BYLINE_THREADS", "3", 1);
  EXPECT_EQ(default_thread_count(), 3u);
  EXPECT_EQ(writer_thread_count(), 3u);
  ::setenv("BYLINE_THREADS", "1", 1);  // golden.py's one-thread build stays one thread
  EXPECT_EQ(writer_thread_count(), 1u);
  ::setenv("BYLINE_THREADS", "none", 1);  // not a count: as if unset
  EXPECT_EQ(writer_thread_count(), default_thread_count() + 1);
  if (saved)
    ::setenv("BYLINE_THREADS", restore.c_str(), 1);
  else
    ::unsetenv("BYLINE_THREADS");
}

}  // namespace
}  // namespace byline
