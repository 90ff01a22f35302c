// The byline executable: everything lives in byline_core; this only hands
// the command line to the CLI stage.
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
void use_large_pages(int, char**, char**) {
  mi_option_set_enabled(mi_option_large_os_pages, true);
}

}  // namespace

__attribute__((section(".preinit_array"), used)) static void (*const kUseLargePages)(
    int, char**, char**) = use_large_pages;
#endif

int main(int argc, char** argv) { return byline::run_cli(argc, argv); }
