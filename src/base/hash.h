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

namespace byline {

inline uint64_t hash_bytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

class Hasher {
 public:
  Hasher() { XXH3_64bits_reset(&state_); }
  Hasher& add(std::string_view s) {
    add(static_cast<uint64_t>(s.size()));
    XXH3_64bits_update(&state_, s.data(), s.size());
    return *this;
  }
  Hasher& add(uint64_t v) {
    XXH3_64bits_update(&state_, &v, sizeof v);
    return *this;
  }
  Hasher& add_signed(int64_t v) { return add(static_cast<uint64_t>(v)); }
  uint64_t digest() const { return XXH3_64bits_digest(&state_); }

 private:
  XXH3_state_t state_;
};

}  // namespace byline
