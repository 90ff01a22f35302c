#include "markdown/document_arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace byline {
namespace {

bool aligned(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

TEST(DocumentArena, CallocZeroesAndAligns) {
  DocumentArenaLease lease;
  ASSERT_TRUE(lease.is_arena());
  cmark_mem* mem = lease.mem();
  for (size_t size : {1u, 7u, 16u, 100u, 4000u, 40000u}) {
    auto* p = static_cast<unsigned char*>(mem->calloc(size, 3));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned(p)) << size;
    for (size_t i = 0; i < size * 3; ++i) ASSERT_EQ(p[i], 0) << size << " at " << i;
    std::memset(p, 0xAB, size * 3);  // the next allocation must not overlap
  }
}

// The blocks are reused from one document to the next, so what one
// document wrote must not show through the next one's calloc.
TEST(DocumentArena, CallocZeroesMemoryAnEarlierDocumentWrote) {
  for (int round = 0; round < 3; ++round) {
    DocumentArenaLease lease;
    cmark_mem* mem = lease.mem();
    for (int i = 0; i < 20000; ++i) {  // more than one block
      auto* p = static_cast<unsigned char*>(mem->calloc(1, 48));
      for (int k = 0; k < 48; ++k) ASSERT_EQ(p[k], 0) << "round " << round << " allocation " << i;
      std::memset(p, 0xCD, 48);
    }
    auto* grown = static_cast<unsigned char*>(mem->realloc(nullptr, 100));
    std::memset(grown, 0xEF, 100);
  }
}

TEST(DocumentArena, ReallocKeepsTheContentsWhetherItGrowsInPlaceOrMoves) {
  DocumentArenaLease lease;
  cmark_mem* mem = lease.mem();
  // A buffer grown step by step as cmark's strbuf does, with other
  // allocations made in between now and then (so it must move) and sizes
  // that pass from the blocks to allocations of their own.
  char* buf = nullptr;
  std::string expected;
  std::vector<char*> others;
  for (size_t size = 8; size <= 200000; size = size * 3 / 2 + 1) {
    buf = static_cast<char*>(mem->realloc(buf, size));
    ASSERT_NE(buf, nullptr);
    ASSERT_EQ(std::string(buf, expected.size()), expected) << size;
    while (expected.size() < size) expected += static_cast<char>('a' + expected.size() % 26);
    std::memcpy(buf, expected.data(), size);
    if (size % 3 == 0) {
      char* other = static_cast<char*>(mem->calloc(1, 24));
      std::memset(other, 'x', 24);
      others.push_back(other);
    }
  }
  EXPECT_EQ(std::string(buf, expected.size()), expected);
  for (char* other : others) EXPECT_EQ(std::string(other, 24), std::string(24, 'x'));
  // Shrinking keeps the bytes it keeps.
  buf = static_cast<char*>(mem->realloc(buf, 10));
  EXPECT_EQ(std::string(buf, 10), expected.substr(0, 10));
  mem->free(buf);
}

TEST(DocumentArena, ManySmallAllocationsSpanBlocksWithoutOverlapping) {
  DocumentArenaLease lease;
  cmark_mem* mem = lease.mem();
  std::vector<unsigned*> all;
  for (unsigned i = 0; i < 100000; ++i) {
    auto* p = static_cast<unsigned*>(mem->calloc(1, sizeof(unsigned) * 4));
    p[0] = p[3] = i;
    all.push_back(p);
  }
  for (unsigned i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i][0], i);
    ASSERT_EQ(all[i][3], i);
  }
}

TEST(DocumentArena, EndingALeaseReturnsLargeAllocationsAndKeepsAFewBlocks) {
  {
    DocumentArenaLease lease;
    cmark_mem* mem = lease.mem();
    for (int i = 0; i < 3; ++i) mem->calloc(1, 100000);
    for (int i = 0; i < 40000; ++i) mem->calloc(1, 64);  // several blocks' worth
    EXPECT_EQ(document_arena_large_allocations(), 3u);
    EXPECT_GT(document_arena_reserved_bytes(), 4u * 256 * 1024);
  }
  EXPECT_EQ(document_arena_large_allocations(), 0u);
  EXPECT_EQ(document_arena_reserved_bytes(), 4u * 256 * 1024);
}

TEST(DocumentArena, ALeaseInsideALeaseGetsTheDefaultAllocator) {
  DocumentArenaLease outer;
  EXPECT_TRUE(outer.is_arena());
  char* kept = static_cast<char*>(outer.mem()->calloc(1, 32));
  std::memcpy(kept, "outer document", 15);
  {
    DocumentArenaLease inner;
    EXPECT_FALSE(inner.is_arena());
    EXPECT_EQ(inner.mem(), cmark_get_default_mem_allocator());
    void* p = inner.mem()->calloc(1, 64);
    inner.mem()->free(p);
  }
  EXPECT_STREQ(kept, "outer document");  // the inner lease did not reset the arena
  {
    DocumentArenaLease after_outer_is_still_held;
    EXPECT_FALSE(after_outer_is_still_held.is_arena());
  }
}

TEST(DocumentArena, EachThreadHasItsOwn) {
  DocumentArenaLease here;
  bool other_got_arena = false;
  std::thread t([&] {
    DocumentArenaLease there;
    other_got_arena = there.is_arena();
  });
  t.join();
  EXPECT_TRUE(here.is_arena());
  EXPECT_TRUE(other_got_arena);
}

}  // namespace
}  // namespace byline
