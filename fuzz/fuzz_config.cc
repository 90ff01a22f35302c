// byline.toml, the site configuration.
#include <string>

#include "base/diagnostic.h"
#include "config/config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  byline::SiteConfig config;
  byline::DiagnosticSink sink;
  byline::parse_config(byline::fuzz::as_text(data, size), "byline.toml", &config, sink);
  (void)sink.format_all();
  return 0;
}
