// The byline executable: everything lives in byline_core; this only hands
// the command line to the CLI stage, and chooses the allocators.
#include "base/allocator.h"
#include "cli/cli.h"

#if defined(BYLINE_MIMALLOC)
#include <dlfcn.h>
#include <malloc.h>
#include <mimalloc.h>

#include <cstdlib>
#include <new>

// Two allocators, each for what it does best (docs/architecture.md,
// Memory). byline's own C++ objects (millions of small strings on every
// thread) come from mimalloc, through the operator new and delete below;
// C libraries' malloc (libvips, libjpeg, libwebp, libpng, glib, libyaml)
// stays glibc's. mimalloc is opened with dlopen, RTLD_LOCAL, rather than
// linked: its shared library replaces malloc itself in every library of
// the process once it is linked, and with libvips' megabyte buffers freed
// across its worker threads it held twice the memory libvips had live
// (bench/images.py, 40 photographs: 108 MiB peak; glibc, told to give big
// blocks back at once, 70 to 76 MiB).
namespace {

struct Mimalloc {
  void* (*alloc)(size_t) = nullptr;
  void* (*alloc_aligned)(size_t, size_t) = nullptr;
  void (*release)(void*) = nullptr;
  void (*set_enabled)(mi_option_t, bool) = nullptr;
  void (*set)(mi_option_t, long) = nullptr;
};

Mimalloc g_mi;
bool g_mi_ready = false;

void* glibc_aligned(size_t size, size_t alignment) {
  return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

// On the first operator new, which is in a library's static initialiser,
// before any thread starts.
void open_mimalloc() {
  g_mi_ready = true;
  void* lib = dlopen(BYLINE_MIMALLOC_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  Mimalloc mi;
  if (lib) {
    mi.alloc = reinterpret_cast<void* (*)(size_t)>(dlsym(lib, "mi_malloc"));
    mi.alloc_aligned = reinterpret_cast<void* (*)(size_t, size_t)>(dlsym(lib, "mi_malloc_aligned"));
    mi.release = reinterpret_cast<void (*)(void*)>(dlsym(lib, "mi_free"));
    mi.set_enabled =
        reinterpret_cast<void (*)(mi_option_t, bool)>(dlsym(lib, "mi_option_set_enabled"));
    mi.set = reinterpret_cast<void (*)(mi_option_t, long)>(dlsym(lib, "mi_option_set"));
  }
  if (!mi.alloc || !mi.alloc_aligned || !mi.release || !mi.set_enabled || !mi.set) {
    // Without it (not installed where the build found it): glibc for all.
    g_mi = Mimalloc{std::malloc, glibc_aligned, std::free, nullptr, nullptr};
    return;
  }
  // Memory from the kernel in 2 MiB pages where it allows (transparent huge
  // pages): a build touches a hundred megabytes or more of fresh memory, and
  // at 4 KiB a page the faults were a quarter of an incremental build's time
  // and a fifth of a full one's. Set before mimalloc's first allocation.
  mi.set_enabled(mi_option_large_os_pages, true);
  g_mi = mi;
}

inline void* allocate(size_t size) {
  if (!g_mi_ready) open_mimalloc();
  void* p = g_mi.alloc(size ? size : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

inline void* allocate(size_t size, std::align_val_t alignment) {
  if (!g_mi_ready) open_mimalloc();
  void* p = g_mi.alloc_aligned(size ? size : 1, static_cast<size_t>(alignment));
  if (!p) throw std::bad_alloc();
  return p;
}

inline void release(void* p) noexcept {
  if (p) g_mi.release(p);
}

// For image work (base/allocator.h): libvips' buffers of megabytes live for
// a fraction of a second on several threads. glibc hands every block of 64
// KiB or more straight back to the kernel when it is freed, and keeps two
// arenas; byline's own strings (the encoded files) stop using 2 MiB pages.
void return_freed_memory_promptly() {
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024);
  mallopt(M_ARENA_MAX, 2);
  if (g_mi.set_enabled) {
    g_mi.set_enabled(mi_option_large_os_pages, false);
    g_mi.set_enabled(mi_option_eager_commit, false);
    g_mi.set(mi_option_decommit_delay, 0);
    g_mi.set(mi_option_segment_decommit_delay, 0);
  }
}

}  // namespace

void* operator new(size_t size) { return allocate(size); }
void* operator new[](size_t size) { return allocate(size); }
void* operator new(size_t size, std::align_val_t a) { return allocate(size, a); }
void* operator new[](size_t size, std::align_val_t a) { return allocate(size, a); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new(size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return allocate(size, a);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void* operator new[](size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return allocate(size, a);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, size_t) noexcept { release(p); }
void operator delete[](void* p, size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
#endif

int main(int argc, char** argv) {
#if defined(BYLINE_MIMALLOC)
  byline::set_return_freed_memory_hook(return_freed_memory_promptly);
#endif
  return byline::run_cli(argc, argv);
}
