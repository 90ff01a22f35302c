#include "images/vips_api.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
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

std::string soname() { return "libvips.so." + std::to_string(kSonameMajor); }

// The file load() opens: the library byline was built against,
// LIBDIR/libvips.so.N, when it is there and the loader is not told to look
// elsewhere first (LD_LIBRARY_PATH); else the soname, which the loader finds.
std::string library_file() {
  const char* search = std::getenv("LD_LIBRARY_PATH");
  if (search && *search) return soname();
  std::string built = std::string(BYLINE_VIPS_LIBDIR) + "/" + soname();
  struct stat st;
  return ::stat(built.c_str(), &st) == 0 ? built : soname();
}

void load() {
  const std::string file = library_file();
  // Kept open for the life of the process; RTLD_LOCAL: nothing else in
  // byline resolves against it. dlsym searches its dependencies too (GLib,
  // GObject, GModule).
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* e = dlerror();
    g_load_error = "cannot open " + file + ": " + (e ? e : "dlopen failed") +
                   " (install libvips42, e.g. with scripts/install-deps.sh)";
    return;
  }
#define BYLINE_VIPS_FIND(fn)                                                                       \
  fn = reinterpret_cast<decltype(fn)>(dlsym(lib, #fn));                                            \
  if (!fn) {                                                                                       \
    g_load_error = file + " has no " #fn " (byline was built against libvips " + VIPS_VERSION ")"; \
    return;                                                                                        \
  }
  BYLINE_VIPS_FUNCTIONS(BYLINE_VIPS_FIND)
#undef BYLINE_VIPS_FIND
  g_loaded = true;
}

}  // namespace

std::string vips_file_identity() {
  const std::string file = library_file();
  if (file.find('/') == std::string::npos) return {};
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(file, ec);
  if (ec) return {};
  uintmax_t size = std::filesystem::file_size(real, ec);
  if (ec) return {};
  return real.filename().string() + " " + std::to_string(size);
}

bool load_vips(std::string* why) {
  std::call_once(g_load_once, load);
  if (!g_loaded && why) *why = g_load_error;
  return g_loaded;
}

}  // namespace byline
