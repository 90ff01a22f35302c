// A media appearance: an interview, a quote in someone else's story, a
// broadcast, a podcast, a talk, with the pickups and translations that
// followed. From content/appearances.{yaml,toml} or a post's front matter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/datetime.h"
#include "base/diagnostic.h"

namespace byline {

struct Page;

// Another outlet that carried the appearance on: "translated into Spanish".
struct Pickup {
  std::string outlet;
  std::string url;
  std::string language;
  std::string note;
};

struct Appearance {
  DateTime date;
  std::string outlet;
  std::string kind;  // one of appearance_kinds(), or empty
  std::string topic;
  std::string url;
  std::string language;
  std::string note;
  std::vector<Pickup> pickups;
  SourceLocation origin;       // the entry, for diagnostics
  std::string id;              // unique on the site, for #anchors; set by the site stage
  const Page* page = nullptr;  // the post it is attached to; set by the site stage
};

// The kinds an entry may name, in the order the docs list them.
const std::vector<std::string_view>& appearance_kinds();

}  // namespace byline
