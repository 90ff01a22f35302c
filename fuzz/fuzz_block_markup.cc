// Gutenberg block markup (<!-- wp:name {...} --> comments) in a post body.
#include "fuzz_input.h"
#include "import/block_markup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  (void)byline::has_block_markup(text);
  (void)byline::strip_block_comments(text);
  return 0;
}
