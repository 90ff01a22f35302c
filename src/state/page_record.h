// A page as the content and Markdown stages made it, saved so that the next
// build can restore it without reading, decoding or rendering its file
// again: the decoded front matter, its text (for diagnostics that quote
// it), what the Markdown stage derived that lists and feeds show (summary,
// intro, word count), and the warnings it gave. The body's HTML is not
// kept: it is rendered again when an output that shows it is
// (Site::ensure_body).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/value.h"
#include "content/page.h"
#include "base/binary.h"

namespace byline {

// A file the page's HTML was made from besides its own (an image whose size
// went into <img width height>): where it was looked for, and whether it was
// there with these bytes.
struct PageInput {
  std::string path;  // relative to the site
  bool exists = false;
  uint64_t hash = 0;
  std::string site_path;  // a processed image: where it is published (BodyInput)
};

struct PageRecord {
  std::vector<PageInput> inputs;
  std::vector<Diagnostic> diagnostics;  // as the load and Markdown gave them
  // The page as the content and Markdown stages left it, less its body:
  // rel_path, source_hash (the file's), its front matter's text as
  // source_text with body_line and body_offset, every decoded field and
  // params, its permalink and output path, the summary, intro, correction
  // and word count. Not the rest of its place (kind, section, a bundle's
  // files, whether it is left out: placing is redone, it depends on other
  // files and the clock) nor source_path (it depends on how the site
  // folder was named).
  Page page;
};

void write_page_record(const PageRecord& record, BinaryWriter& w);
// The record of `page`, loaded and with its body rendered, written as
// write_page_record(PageRecord{inputs, diagnostics, page}) would, without
// the copy.
void write_page_record(const Page& page, const std::vector<PageInput>& inputs,
                       const std::vector<Diagnostic>& diagnostics, BinaryWriter& w);
// Reads one back; false when the bytes are not a record. Without
// `front_matter_text`, the page's source_text is left empty and the hash of
// the text stands for it (Page::front_matter_dropped): what a restore needs.
bool read_page_record(BinaryReader& r, PageRecord* out, bool front_matter_text = true);

// The Value codec the record uses, for tests.
void write_value(const Value& v, BinaryWriter& w);
bool read_value(BinaryReader& r, Value* out, int depth = 0);

}  // namespace byline
