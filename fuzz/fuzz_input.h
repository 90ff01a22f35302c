// What every harness shares: the libFuzzer entry point's signature and a
// way to split one input into a selector byte and the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace byline::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The first byte chooses options (so one harness covers each mode); the
// rest is the document. An empty input selects 0.
inline unsigned char take_selector(std::string_view* text) {
  if (text->empty()) return 0;
  unsigned char c = static_cast<unsigned char>((*text)[0]);
  text->remove_prefix(1);
  return c;
}

}  // namespace byline::fuzz
