// Hashing for change detection (the incremental build): XXH3 of some bytes,
// and a hasher that frames each part by its length so that ("ab", "c") and
// ("a", "bc") differ.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

// The streaming state's size is known only with this, and a Hasher lives
// on the stack.
#ifndef XXH_STATIC_LINKING_ONLY
#define XXH_STATIC_LINKING_ONLY
#endif
#include <xxhash.h>
#if defined(__x86_64__)
// The same hashes, computed with the widest vector instructions the CPU has
// (AVX2, AVX-512), chosen at run time by Debian's libxxhash: the plain
// entry points use SSE2. Hashing every output's bytes was 3% of a full build.
#include <xxh_x86dispatch.h>
#define BYLINE_XXH3(data, size) XXH3_64bits_dispatch(data, size)
#define BYLINE_XXH3_UPDATE(state, data, size) XXH3_64bits_update_dispatch(state, data, size)
#else
#define BYLINE_XXH3(data, size) XXH3_64bits(data, size)
#define BYLINE_XXH3_UPDATE(state, data, size) XXH3_64bits_update(state, data, size)
#endif

namespace byline {

inline uint64_t hash_bytes(std::string_view bytes) {
  return BYLINE_XXH3(bytes.data(), bytes.size());
}

class Hasher {
 public:
  Hasher() { XXH3_64bits_reset(&state_); }
  Hasher& add(std::string_view s) {
    add(static_cast<uint64_t>(s.size()));
    append(s.data(), s.size());
    return *this;
  }
  Hasher& add(uint64_t v) {
    append(&v, sizeof v);
    return *this;
  }
  Hasher& add_signed(int64_t v) { return add(static_cast<uint64_t>(v)); }
  uint64_t digest() const {
    XXH3_state_t state = state_;
    BYLINE_XXH3_UPDATE(&state, buffer_, used_);
    return XXH3_64bits_digest(&state);
  }

 private:
  // Small parts are gathered and hashed a buffer at a time: the hash of a
  // stream does not depend on how it is cut, and one call per path or
  // number cost more than the hashing (a list's fingerprint adds every
  // page's path).
  void append(const void* data, size_t size) {
    if (size == 0) return;  // an empty string_view's data may be null
    if (used_ + size > sizeof buffer_) {
      BYLINE_XXH3_UPDATE(&state_, buffer_, used_);
      used_ = 0;
      if (size >= sizeof buffer_) {
        BYLINE_XXH3_UPDATE(&state_, data, size);
        return;
      }
    }
    std::memcpy(buffer_ + used_, data, size);
    used_ += size;
  }

  XXH3_state_t state_;
  char buffer_[256];
  size_t used_ = 0;
};

}  // namespace byline
