// HTML normalisation for comparing spec examples, following the rules of
// CommonMark's test/normalize.py (whitespace, attribute order, entities).
#pragma once

#include <string>
#include <string_view>

namespace byline::spec {

// Collapses whitespace runs outside <pre> to one space and drops whitespace
// next to block-level tags; lowercases tag and attribute names, sorts
// attributes and writes <x/> as <x>; turns character references into the
// characters they stand for, except < > & " which stay entities.
std::string normalize_html(std::string_view html);

}  // namespace byline::spec
