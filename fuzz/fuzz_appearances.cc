// The appearances log (content/appearances.toml or .yaml), decoded the way
// load_appearance_log does: the selector's low bit picks TOML.
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/value.h"
#include "content/appearances.h"
#include "frontmatter/front_matter_block.h"
#include "frontmatter/toml_front_matter.h"
#include "frontmatter/yaml_front_matter.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  const bool toml = byline::fuzz::take_selector(&text) & 1;
  const std::string path = toml ? "content/appearances.toml" : "content/appearances.yaml";
  byline::FrontMatterBlock block{path, text, text, 1};
  byline::DiagnosticSink sink;
  byline::Value doc;
  if (!(toml ? byline::decode_toml_front_matter(block, &doc, sink)
             : byline::decode_yaml_document(block, &doc, sink)))
    return 0;
  const byline::Value* list = doc.is_map() ? doc.find("appearances") : &doc;
  if (!list) return 0;
  std::vector<byline::Appearance> out;
  byline::decode_appearances(*list, path, text, &out, sink);
  (void)sink.format_all();
  return 0;
}
