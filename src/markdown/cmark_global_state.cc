// One-time extension registration and the interposed
// cmark_manage_extensions_special_characters (see the header for why).
#include "markdown/cmark_global_state.h"

#include <dlfcn.h>

#include <atomic>
#include <mutex>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

namespace byline {
namespace {

using ManageFn = void (*)(cmark_parser*, int);

std::once_flag g_registered;
ManageFn g_real_manage = nullptr;
// A parser with every core extension attached: removing "its" characters
// clears those of whatever combination of extensions other parses attached.
cmark_parser* g_all_extensions_parser = nullptr;

std::atomic<bool> g_guard_called{false};
std::mutex g_mutex;
int g_parses_in_inline_phase = 0;  // guarded by g_mutex

}  // namespace

void ensure_cmark_extensions_registered() {
  std::call_once(g_registered, [] {
    cmark_gfm_core_extensions_ensure_registered();
    g_real_manage =
        reinterpret_cast<ManageFn>(dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters"));
    cmark_parser* p = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (const char* name : {"table", "strikethrough", "autolink", "tagfilter", "tasklist"}) {
      if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
        cmark_parser_attach_syntax_extension(p, ext);
    }
    g_all_extensions_parser = p;  // lives as long as the process
  });
}

bool cmark_special_chars_guarded() { return g_guard_called.load(std::memory_order_acquire); }

}  // namespace byline

extern "C" void cmark_manage_extensions_special_characters(cmark_parser* parser, int add) {
  using namespace byline;
  // cmark only gets here from a parse, and byline registers before parsing.
  ensure_cmark_extensions_registered();
  if (g_real_manage == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (add) {
      ++g_parses_in_inline_phase;
      g_real_manage(parser, 1);
    } else {
      if (g_parses_in_inline_phase > 0) --g_parses_in_inline_phase;
      if (g_parses_in_inline_phase == 0) g_real_manage(g_all_extensions_parser, 0);
    }
  }
  g_guard_called.store(true, std::memory_order_release);
}
