// Decodes a YAML front matter block into a Value map with libyaml's event
// parser (no intermediate document tree).
#pragma once

#include "base/diagnostic.h"
#include "base/value.h"
#include "frontmatter/front_matter_block.h"

namespace byline {

// Decodes `block` into `fields` (a map). Reports problems located in the file
// and returns false on error. See front_matter.h for the scalar rules.
bool decode_yaml_front_matter(const FrontMatterBlock& block, Value* fields, DiagnosticSink& sink);

// The same for a data file (content/appearances.yaml), whose root may also
// be a list.
bool decode_yaml_document(const FrontMatterBlock& block, Value* out, DiagnosticSink& sink);

}  // namespace byline
