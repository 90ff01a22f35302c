// Edit distance and nearest names (see suggest.h).
#include "base/suggest.h"

#include <algorithm>
#include <vector>

namespace byline {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the one being filled and
  // the two above it (a swap looks two rows back).
  const size_t width = b.size() + 1;
  std::vector<size_t> before(width), above(width), row(width);
  for (size_t j = 0; j < width; ++j) above[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j < width; ++j) {
      const size_t change = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + change});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, before[j - 2] + 1);
      row[j] = best;
    }
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[b.size()];
}

std::string nearest_name(std::string_view typed, std::span<const std::string_view> known,
                         size_t max_edits) {
  if (typed.size() <= 4) max_edits = std::min<size_t>(max_edits, 1);
  std::string_view best;
  size_t best_distance = max_edits + 1;
  for (std::string_view name : known) {
    // Names whose lengths differ by more than the allowance cannot be near.
    const size_t gap =
        name.size() > typed.size() ? name.size() - typed.size() : typed.size() - name.size();
    if (gap >= best_distance || name == typed) continue;
    const size_t d = edit_distance(typed, name);
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return std::string(best);
}

}  // namespace byline
