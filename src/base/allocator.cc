// The hook is called at most once a process.
#include "base/allocator.h"

#include <mutex>

namespace byline {

namespace {
void (*g_hook)() = nullptr;
std::once_flag g_once;
}  // namespace

void set_return_freed_memory_hook(void (*hook)()) { g_hook = hook; }

void return_freed_memory_promptly() {
  if (!g_hook) return;
  std::call_once(g_once, [] { g_hook(); });
}

}  // namespace byline
