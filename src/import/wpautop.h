// WordPress's wpautop: how a classic-editor post's line breaks become <p> and
// <br /> when WordPress displays it. Imported posts must keep exactly the
// paragraphs their readers saw, so this follows WordPress's documented steps.
#pragma once

#include <string>
#include <string_view>

namespace byline {

// Blank lines become paragraphs, single newlines become <br /> (when `br`),
// nothing changes inside <pre>, and block-level tags are not wrapped.
std::string wpautop(std::string_view text, bool br = true);

}  // namespace byline
