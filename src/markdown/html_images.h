// The <img> tags of raw HTML in Markdown (a writer's own, or what the
// WordPress importer kept as HTML), found and taken apart so that the
// Markdown stage can process them like ![](…) images and keep the rest of
// each tag as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

struct HtmlAttribute {
  std::string name;                  // lower case
  std::string_view text;             // the whole attribute as written: class="a b"
  std::optional<std::string> value;  // entities decoded; none for a bare name
};

struct HtmlImgTag {
  size_t begin = 0;                       // offset of "<img" in the fragment
  size_t end = 0;                         // one past its ">"
  std::vector<HtmlAttribute> attributes;  // in order; a repeated name keeps the first

  const HtmlAttribute* find(std::string_view name) const;
};

// Every complete <img …> tag of `html`, in order, outside comments. A tag
// cut short (no ">") ends the search.
std::vector<HtmlImgTag> find_img_tags(std::string_view html);

}  // namespace byline
