// Block-editor (Gutenberg) serialisation: posts written with blocks carry
// their structure in `<!-- wp:name {json} -->` comments around plain HTML.
// byline keeps the HTML and drops the comments.
#pragma once

#include <string>
#include <string_view>

namespace byline {

// True when the content was saved by the block editor (WordPress's has_blocks).
bool has_block_markup(std::string_view content);

// Removes every `<!-- wp:... -->`, `<!-- /wp:... -->` and `<!-- wp:... /-->`
// comment, keeping everything between them.
std::string strip_block_comments(std::string_view content);

}  // namespace byline
