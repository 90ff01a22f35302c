// "Did you mean …?": the known name nearest a mistyped one, by edit
// distance. Used for unknown commands; any stage that rejects a name from a
// known set can use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// The optimal-string-alignment distance between `a` and `b`: the fewest
// insertions, deletions, substitutions of one byte and swaps of two
// adjacent bytes that turn one into the other ("biuld" → "build" is 1).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest `word`, when it is close enough to be what was
// meant: at most `max_distance` edits, and fewer than half of the longer
// word's length (so "x" does not suggest "new"). Ties go to the earlier
// candidate. Empty when none is close.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates,
                    size_t max_distance = 2);

}  // namespace byline
