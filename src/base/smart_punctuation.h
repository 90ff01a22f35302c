// The Markdown stage's smart punctuation for text that is not Markdown:
// page titles get the curly quotes, dashes and ellipses their bodies get.
#pragma once

#include <string>
#include <string_view>

namespace byline {

// Straight quotes become curly ones (“a” ‘b’, an apostrophe ’), "--" an en
// dash, "---" an em dash and "..." an ellipsis, by the rules cmark-gfm's
// smart option follows for a paragraph of plain text: a quote that can
// only open is an opening quote, one that can close is a closing quote, and
// a single quote is an apostrophe unless a later one closes it. Text
// without any of ' " - . is returned as it is.
std::string smart_punctuation(std::string_view text);

}  // namespace byline
