// YAML front matter, as a post's file carries it. An input that does not
// start with "---" is wrapped in the delimiters, so the decoder sees it.
#include <string>

#include "base/diagnostic.h"
#include "frontmatter/front_matter.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = byline::fuzz::as_text(data, size);
  std::string file;
  if (input.starts_with("---\n")) {
    file = input;
  } else {
    file = "---\n" + std::string(input) + "\n---\nbody\n";
  }
  byline::FrontMatter fm;
  byline::DiagnosticSink sink;
  byline::parse_front_matter("content/posts/fuzz.md", file, &fm, sink);
  (void)sink.format_all();
  return 0;
}
