// Template syntax: a theme's Jinja2 template compiled, nothing rendered.
// The selector's low bit switches autoescaping.
#include <string>

#include "base/diagnostic.h"
#include "fuzz_input.h"
#include "templates/template_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source = byline::fuzz::as_text(data, size);
  const bool autoescape = byline::fuzz::take_selector(&source) & 1;
  byline::Diagnostic error;
  (void)byline::parse_template("fuzz.html", source, autoescape, &error);
  return 0;
}
