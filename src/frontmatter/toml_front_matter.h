// Decodes a TOML front matter block into a Value map with toml++.
#pragma once

#include "base/diagnostic.h"
#include "base/value.h"
#include "frontmatter/front_matter_block.h"

namespace byline {

// Decodes `block` into `fields` (a map), keys in the order they were written.
// Reports problems located in the file and returns false on error.
bool decode_toml_front_matter(const FrontMatterBlock& block, Value* fields, DiagnosticSink& sink);

}  // namespace byline
