// A heading of a rendered document, as tables of contents list them. Lives
// in base/ because the Markdown stage produces it and the content stage's
// Page record carries it.
#pragma once

#include <string>

namespace byline {

struct TocEntry {
  int level = 0;
  std::string id;    // empty when heading ids are off
  std::string text;  // plain text
};

}  // namespace byline
