// wpautop: a classic-editor post's line breaks turned into paragraphs.
// The selector's low bit is the `br` option.
#include "fuzz_input.h"
#include "import/wpautop.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  const bool br = !(byline::fuzz::take_selector(&text) & 1);
  (void)byline::wpautop(text, br);
  return 0;
}
