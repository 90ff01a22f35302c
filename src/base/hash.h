// Hashing for change detection (the incremental build): XXH3 of some bytes,
// and a hasher that frames each part by its length so that ("ab", "c") and
// ("a", "bc") differ.
#pragma once

#include <cstdint>
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
    BYLINE_XXH3_UPDATE(&state_, s.data(), s.size());
    return *this;
  }
  Hasher& add(uint64_t v) {
    BYLINE_XXH3_UPDATE(&state_, &v, sizeof v);
    return *this;
  }
  Hasher& add_signed(int64_t v) { return add(static_cast<uint64_t>(v)); }
  uint64_t digest() const { return XXH3_64bits_digest(&state_); }

 private:
  XXH3_state_t state_;
};

}  // namespace byline
