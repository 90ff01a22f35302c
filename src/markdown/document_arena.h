// Memory for the cmark document a thread is working on. A parse makes
// thousands of small allocations (nodes, chunks, line buffers) and the
// render grows its output buffer step by step; all of it dies together when
// the document is done. So instead of cmark's calloc/realloc/free per
// object, a document's allocations are carved from blocks its thread keeps
// from one document to the next, and given back all at once.
#pragma once

#include <cmark-gfm.h>

#include <cstddef>

namespace byline {

// Holds this thread's arena for the life of one document. cmark_mem's
// functions carry no context, so the arena is per thread and one lease is
// out at a time: a lease taken while another is held on the same thread
// (a document opened inside another) hands out cmark's default allocator.
class DocumentArenaLease {
 public:
  DocumentArenaLease();
  ~DocumentArenaLease();  // everything allocated through mem() is gone
  DocumentArenaLease(const DocumentArenaLease&) = delete;
  DocumentArenaLease& operator=(const DocumentArenaLease&) = delete;

  // The allocator to give cmark_parser_new_with_mem, cmark_node_new_with_mem
  // and cmark_render_html_with_mem. Its free does nothing when it is the
  // arena's; freeing through it is still correct either way.
  cmark_mem* mem() const { return mem_; }
  bool is_arena() const { return owns_; }

 private:
  cmark_mem* mem_;
  bool owns_;
};

// For tests: bytes this thread's arena holds in blocks kept for reuse, and
// in allocations too large for a block that are still live.
size_t document_arena_reserved_bytes();
size_t document_arena_large_allocations();

}  // namespace byline
