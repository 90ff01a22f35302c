// What one template render may spend (docs/architecture.md, "Limits:
// templates and contexts"). In base/ so that config/ can carry it without
// depending on templates/.
#pragma once

#include <cstdint>

namespace byline {

// Going over any of these is an error located where the template went over
// it. The defaults are far beyond what any real page needs; byline.toml's
// [limits] table changes them.
struct RenderLimits {
  // Bytes of text a render produces: its output and every text it captures
  // on the way ({% set %} and {% filter %} blocks, macro and call-block
  // results, each counted where it is produced and again where it is
  // printed). Also the largest string a filter or operator may build.
  uint64_t max_output_bytes = uint64_t{512} << 20;
  // Loop iterations plus calls of macros, call blocks, includes, imports
  // and blocks: what bounds the time a template that fans out can take.
  uint64_t max_iterations = 20'000'000;
  // Nested macro, call-block, include, import and block calls.
  int max_call_depth = 200;
};

}  // namespace byline
