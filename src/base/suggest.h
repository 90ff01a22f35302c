// "Did you mean …?": the known name nearest to a misspelt one, for the
// front matter's keys, the config's keys and tables, and anything else a
// writer types from memory.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace byline {

// The optimal string alignment distance between `a` and `b`: how many
// single-character insertions, deletions, substitutions and swaps of two
// neighbouring characters turn one into the other, no substring edited
// twice. Counts bytes: every name compared is ASCII.
size_t edit_distance(std::string_view a, std::string_view b);

// The name in `known` nearest to `typed`, when it is at most `max_edits`
// edits away and not `typed` itself; "" when there is none. Short names
// need closer matches (one edit for names of up to four characters), so
// "url" does not suggest "tags". On a tie the earlier name in `known` wins.
std::string nearest_name(std::string_view typed, std::span<const std::string_view> known,
                         size_t max_edits = 2);

}  // namespace byline
