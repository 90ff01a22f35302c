// What the process's allocator is told as a build goes from one kind of
// work to another. The byline binary (mimalloc for C++ objects, glibc for C
// libraries) installs the hook (src/main.cc); other programs (the tests)
// have none, and the call is a no-op.
#pragma once

namespace byline {

// Makes the allocator hand freed memory back to the kernel at once rather
// than keep it for reuse: for image decoding, whose buffers of megabytes
// live for a fraction of a second, and where kept memory made the peak.
void return_freed_memory_promptly();

// Installed once, before any thread starts, by the binary.
void set_return_freed_memory_hook(void (*hook)());

}  // namespace byline
