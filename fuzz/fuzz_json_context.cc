// JSON contexts and data files (`byline template render --context`).
#include <string>

#include "base/diagnostic.h"
#include "base/value.h"
#include "fuzz_input.h"
#include "templates/json_context.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  byline::Value value;
  byline::Diagnostic error;
  if (byline::parse_json_value(byline::fuzz::as_text(data, size), "context.json", &value, &error))
    (void)value.to_json();
  return 0;
}
