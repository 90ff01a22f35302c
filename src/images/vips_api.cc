#include "images/vips_api.h"

#include <dlfcn.h>

#include <mutex>

namespace byline {

#define BYLINE_VIPS_DEFINE(name) decltype(&::name) name = nullptr;
BYLINE_VIPS_FUNCTIONS(BYLINE_VIPS_DEFINE)
#undef BYLINE_VIPS_DEFINE

namespace {

std::once_flag g_load_once;
bool g_loaded = false;
std::string g_load_error;

// libtool names the library by CURRENT - AGE of its interface version.
constexpr int kSonameMajor = VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE;

void load() {
  const std::string soname = "libvips.so." + std::to_string(kSonameMajor);
  // Kept open for the life of the process; RTLD_LOCAL: nothing else in
  // byline resolves against it. dlsym searches its dependencies too (GLib,
  // GObject, GModule).
  void* lib = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* e = dlerror();
    g_load_error = "cannot open " + soname + ": " + (e ? e : "dlopen failed") +
                   " (install libvips42, e.g. with scripts/install-deps.sh)";
    return;
  }
#define BYLINE_VIPS_FIND(fn)                                                              \
  fn = reinterpret_cast<decltype(fn)>(dlsym(lib, #fn));                                   \
  if (!fn) {                                                                              \
    g_load_error =                                                                        \
        soname + " has no " #fn " (byline was built against libvips " + VIPS_VERSION ")"; \
    return;                                                                               \
  }
  BYLINE_VIPS_FUNCTIONS(BYLINE_VIPS_FIND)
#undef BYLINE_VIPS_FIND
  g_loaded = true;
}

}  // namespace

bool load_vips(std::string* why) {
  std::call_once(g_load_once, load);
  if (!g_loaded && why) *why = g_load_error;
  return g_loaded;
}

}  // namespace byline
