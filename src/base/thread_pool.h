// The one thread pool every parallel stage runs on. Work is handed out by
// index, so results land in fixed slots and output never depends on the
// number of threads or their timing.
#pragma once

#include <cstddef>
#include <functional>

namespace byline {

// Number of worker threads to use: BYLINE_THREADS if set, else the number of
// cores.
unsigned default_thread_count();

// Calls fn(i) for every i in [0, count) on up to `threads` threads (0 means
// default_thread_count()). Indices are handed out in small chunks from a
// shared counter; fn must only touch slot i of any shared output.
void parallel_for(size_t count, const std::function<void(size_t)>& fn, unsigned threads = 0);

}  // namespace byline
