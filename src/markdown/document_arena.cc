#include "markdown/document_arena.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace byline {
namespace {

// Every allocation is preceded by its size, for realloc, and a flag for the
// ones made on their own because they would not fit a block.
struct Header {
  size_t size;
  size_t large;
};
constexpr size_t kAlign = 16;
constexpr size_t kHeader = sizeof(Header);
static_assert(kHeader % kAlign == 0);
constexpr size_t kBlockSize = 256 * 1024;
constexpr size_t kLarge = 32 * 1024;  // bigger allocations are malloc'd on their own
constexpr size_t kBlocksKept = 4;     // what a thread holds on to between documents

constexpr size_t round_up(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

[[noreturn]] void out_of_memory() {
  std::fputs("byline: out of memory while parsing Markdown\n", stderr);
  std::abort();
}

struct Arena {
  std::vector<char*> blocks;  // kBlockSize bytes each; the first `current` are full
  size_t current = 0;
  char* ptr = nullptr;  // the free part of blocks[current]
  char* end = nullptr;
  std::vector<char*> large;  // live allocations bigger than kLarge (their headers)
  bool leased = false;

  ~Arena() {
    release();
    for (char* b : blocks) std::free(b);
  }

  void start() {
    if (blocks.empty()) add_block();
    current = 0;
    ptr = blocks[0];
    end = ptr + kBlockSize;
  }

  void add_block() {
    char* b = static_cast<char*>(std::malloc(kBlockSize));
    if (!b) out_of_memory();
    blocks.push_back(b);
  }

  void next_block() {
    if (current + 1 == blocks.size()) add_block();
    ++current;
    ptr = blocks[current];
    end = ptr + kBlockSize;
  }

  void* carve(size_t size) {
    assert(leased && "cmark allocated through the arena outside a DocumentArenaLease");
    if (size > kLarge) {
      char* base = static_cast<char*>(std::malloc(kHeader + size));
      if (!base) out_of_memory();
      new (base) Header{size, 1};
      large.push_back(base);
      return base + kHeader;
    }
    const size_t span = kHeader + round_up(size);
    if (static_cast<size_t>(end - ptr) < span) next_block();
    char* base = ptr;
    ptr += span;
    new (base) Header{size, 0};
    return base + kHeader;
  }

  void* grow(void* p, size_t size) {
    if (!p) return carve(size);
    Header* h = reinterpret_cast<Header*>(static_cast<char*>(p) - kHeader);
    if (h->large) {
      char* base = reinterpret_cast<char*>(h);
      char* moved = static_cast<char*>(std::realloc(base, kHeader + size));
      if (!moved) out_of_memory();
      for (char*& l : large) {
        if (l == base) l = moved;
      }
      reinterpret_cast<Header*>(moved)->size = size;
      return moved + kHeader;
    }
    if (size <= h->size) return p;
    // The newest allocation grows where it is while its block has room: the
    // common case of a buffer being appended to.
    char* data = static_cast<char*>(p);
    if (size <= kLarge && data >= blocks[current] && data + round_up(h->size) == ptr &&
        round_up(size) <= static_cast<size_t>(end - data)) {
      ptr = data + round_up(size);
      h->size = size;
      return p;
    }
    void* fresh = carve(size);
    std::memcpy(fresh, p, h->size);
    return fresh;
  }

  void release() {
    for (char* l : large) std::free(l);
    large.clear();
    while (blocks.size() > kBlocksKept) {
      std::free(blocks.back());
      blocks.pop_back();
    }
    current = 0;
    ptr = end = nullptr;
  }
};

thread_local Arena t_arena;

void* arena_calloc(size_t count, size_t size) {
  size_t total;
  if (__builtin_mul_overflow(count, size, &total)) out_of_memory();
  void* p = t_arena.carve(total);
  std::memset(p, 0, total);
  return p;
}

void* arena_realloc(void* p, size_t size) { return t_arena.grow(p, size); }

void arena_free(void*) {}

cmark_mem g_arena_mem = {arena_calloc, arena_realloc, arena_free};

}  // namespace

DocumentArenaLease::DocumentArenaLease() : owns_(!t_arena.leased) {
  if (owns_) {
    t_arena.leased = true;
    t_arena.start();
    mem_ = &g_arena_mem;
  } else {
    mem_ = cmark_get_default_mem_allocator();
  }
}

DocumentArenaLease::~DocumentArenaLease() {
  if (!owns_) return;
  t_arena.release();
  t_arena.leased = false;
}

size_t document_arena_reserved_bytes() { return t_arena.blocks.size() * kBlockSize; }
size_t document_arena_large_allocations() { return t_arena.large.size(); }

}  // namespace byline
