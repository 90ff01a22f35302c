// The byline executable: everything lives in byline_core; this only hands
// the command line to the CLI stage.
#include "base/allocator.h"
#include "cli/cli.h"

#if defined(BYLINE_MIMALLOC)
#include <mimalloc.h>

namespace {

// Memory from the kernel in 2 MiB pages where it allows (transparent huge
// pages): a build touches a hundred megabytes or more of fresh memory, and
// at 4 KiB a page the faults were a quarter of an incremental build's time
// and a fifth of a full one's (docs/architecture.md). mimalloc reads this
// when it starts, before any constructor of ours would run; the executable's
// preinit functions run before every shared library's initialisers.
void use_large_pages(int, char**, char**) { mi_option_set_enabled(mi_option_large_os_pages, true); }

// For image processing (base/allocator.h): 2 MiB pages and memory kept
// committed for reuse made mimalloc hold three times the bytes libvips had
// allocated at once (bench/images.py: 105 MiB resident against 30 MiB of
// live buffers, two photographs on two threads). Freed pages are reset and
// free segments decommitted at once instead.
void return_freed_memory_promptly() {
  mi_option_set_enabled(mi_option_large_os_pages, false);
  mi_option_set_enabled(mi_option_eager_commit, false);
  mi_option_set_enabled(mi_option_page_reset, true);
  mi_option_set(mi_option_decommit_delay, 0);
  mi_option_set(mi_option_segment_decommit_delay, 0);
}

}  // namespace

__attribute__((section(".preinit_array"),
               used)) static void (*const kUseLargePages)(int, char**, char**) = use_large_pages;
#endif

int main(int argc, char** argv) {
#if defined(BYLINE_MIMALLOC)
  byline::set_return_freed_memory_hook(return_freed_memory_promptly);
#endif
  return byline::run_cli(argc, argv);
}
