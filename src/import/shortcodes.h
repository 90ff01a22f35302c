// WordPress shortcodes in post content: [caption] and [gallery] become
// <figure> HTML (which the Markdown conversion turns into byline figures),
// [embed], [audio] and [video] become plain HTML, and any other shortcode is
// left as the visible text WordPress itself would show, and reported.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace byline {

using ShortcodeAttributes = std::vector<std::pair<std::string, std::string>>;

// Parses `id="1" align='left' width=300 "positional"` as WordPress does;
// names are lowercased, positional values get the keys "0", "1", ...
ShortcodeAttributes parse_shortcode_attributes(std::string_view text);

// The value of `name`, or "" when absent.
std::string shortcode_attribute(const ShortcodeAttributes& attrs, std::string_view name);

struct GalleryImage {
  std::string url;
  std::string alt;
  std::string caption;
};

// Resolves a [gallery]'s images from its attributes (ids="1,2" or, without
// ids, the post's own attached images).
using GalleryResolver = std::function<std::vector<GalleryImage>(const ShortcodeAttributes&)>;

struct ShortcodeExpansion {
  std::string html;
  // Names of shortcodes that were left as text, in order of appearance,
  // each once.
  std::vector<std::string> unknown;
};

ShortcodeExpansion expand_shortcodes(std::string_view content, const GalleryResolver& gallery);

}  // namespace byline
