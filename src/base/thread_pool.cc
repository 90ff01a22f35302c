// parallel_for over per-worker stripes of the index range: cheap (one
// compare-and-swap per chunk), balances uneven work (one long post among
// many short ones) by letting an idle worker help the others, and keeps the
// workers in different parts of the site while they write it.
#include "base/thread_pool.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace byline {

namespace {

uint64_t pack(size_t front, size_t back) {
  return (static_cast<uint64_t>(front) << 32) | static_cast<uint64_t>(back);
}
size_t front_of(uint64_t r) { return static_cast<size_t>(r >> 32); }
size_t back_of(uint64_t r) { return static_cast<size_t>(r & 0xffffffffu); }

// BYLINE_THREADS as a count, or 0 when it is unset or not a positive number.
unsigned threads_from_env() {
  const char* env = std::getenv("BYLINE_THREADS");
  int n = env ? std::atoi(env) : 0;
  return n > 0 ? static_cast<unsigned>(n) : 0;
}

}  // namespace

unsigned default_thread_count() {
  if (unsigned n = threads_from_env()) return n;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

unsigned writer_thread_count() {
  if (unsigned n = threads_from_env()) return n;
  return default_thread_count() + 1;
}

StripedRange::StripedRange(size_t count, unsigned stripes, size_t chunk)
    : stripes_(std::make_unique<Stripe[]>(std::max(1u, stripes))),
      count_(std::max(1u, stripes)),
      chunk_(std::max<size_t>(1, chunk)) {
  // Indices are packed two to a 64-bit word.
  if (count > std::numeric_limits<uint32_t>::max()) {
    throw std::length_error("parallel_for: more than 2^32 items");
  }
  for (unsigned t = 0; t < count_; ++t) {
    stripes_[t].range.store(pack(count * t / count_, count * (t + 1) / count_),
                            std::memory_order_relaxed);
  }
}

std::optional<std::pair<size_t, size_t>> StripedRange::take_front(Stripe& s) {
  uint64_t r = s.range.load(std::memory_order_relaxed);
  while (front_of(r) < back_of(r)) {
    size_t begin = front_of(r);
    size_t end = std::min(back_of(r), begin + chunk_);
    if (s.range.compare_exchange_weak(r, pack(end, back_of(r)), std::memory_order_relaxed)) {
      return std::make_pair(begin, end);
    }
  }
  return std::nullopt;
}

std::optional<std::pair<size_t, size_t>> StripedRange::take_back(Stripe& s) {
  uint64_t r = s.range.load(std::memory_order_relaxed);
  while (front_of(r) < back_of(r)) {
    size_t end = back_of(r);
    size_t begin = end - std::min(end - front_of(r), chunk_);
    if (s.range.compare_exchange_weak(r, pack(front_of(r), begin), std::memory_order_relaxed)) {
      return std::make_pair(begin, end);
    }
  }
  return std::nullopt;
}

std::optional<std::pair<size_t, size_t>> StripedRange::take(unsigned self) {
  if (auto own = take_front(stripes_[self % count_])) return own;
  // Help the stripe with the most left, from its far end; a stripe that
  // empties meanwhile just sends the search round again.
  while (true) {
    Stripe* fullest = nullptr;
    size_t most = 0;
    for (unsigned t = 0; t < count_; ++t) {
      uint64_t r = stripes_[t].range.load(std::memory_order_relaxed);
      size_t left = front_of(r) < back_of(r) ? back_of(r) - front_of(r) : 0;
      if (left > most) {
        most = left;
        fullest = &stripes_[t];
      }
    }
    if (!fullest) return std::nullopt;
    if (auto help = take_back(*fullest)) return help;
  }
}

void parallel_for(size_t count, const std::function<void(size_t)>& fn, unsigned threads) {
  if (threads == 0) threads = default_thread_count();
  if (count == 0) return;
  const size_t chunk = std::clamp<size_t>(count / (threads * 16), 1, 64);
  threads = static_cast<unsigned>(std::min<size_t>(threads, (count + chunk - 1) / chunk));
  StripedRange range(count, threads, chunk);
  auto worker = [&](unsigned self) {
    while (auto r = range.take(self)) {
      for (size_t i = r->first; i < r->second; ++i) fn(i);
    }
  };
  if (threads <= 1) {
    worker(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& t : pool) t.join();
}

}  // namespace byline
