// The one thread pool every parallel stage runs on. Work is handed out by
// index, so results land in fixed slots and output never depends on the
// number of threads or their timing.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace byline {

// Number of worker threads to use: BYLINE_THREADS if set, else the number of
// cores.
unsigned default_thread_count();

// Number of worker threads for a stage whose workers also block in the file
// system: the render, which creates every output file. One more than
// default_thread_count(), so that while a worker sleeps in the kernel (on a
// folder's block being written back, or throttled for having dirtied much
// of memory) the cores still have rendering to do. At 100,000 posts on a
// 2-core machine with two workers, an eighth to a quarter of a core sat
// idle or waiting on I/O through the render; a third worker halved that.
// BYLINE_THREADS still fixes the count exactly.
unsigned writer_thread_count();

// [0, count) cut into one contiguous stripe per worker. A worker takes
// chunks from the front of its own stripe; once that is empty it takes
// chunks from the back of the other stripes, so the workers stay far apart in
// the index range until the very end. Neighbouring indices are usually
// neighbouring work: the render's outputs in plan order are the posts of one
// month, the pages of one tag, which share a parent folder, and the file
// system serialises creating entries in one folder. Safe to use from any
// number of threads.
class StripedRange {
 public:
  StripedRange(size_t count, unsigned stripes, size_t chunk);

  // The next chunk [begin, end) for worker `self`: from the front of its own
  // stripe, else from the back of the fullest other stripe; nullopt when
  // every index has been handed out.
  std::optional<std::pair<size_t, size_t>> take(unsigned self);

 private:
  // A stripe's remaining [front, back), packed in one word so the owner's
  // and a helper's claims are each a single compare-and-swap.
  struct alignas(64) Stripe {
    std::atomic<uint64_t> range{0};
  };
  std::optional<std::pair<size_t, size_t>> take_front(Stripe& s);
  std::optional<std::pair<size_t, size_t>> take_back(Stripe& s);

  std::unique_ptr<Stripe[]> stripes_;
  unsigned count_;
  size_t chunk_;
};

// Calls fn(i) for every i in [0, count) on up to `threads` threads (0 means
// default_thread_count()), each working through its own stripe of the range
// (StripedRange); fn must only touch slot i of any shared output.
void parallel_for(size_t count, const std::function<void(size_t)>& fn, unsigned threads = 0);

}  // namespace byline
