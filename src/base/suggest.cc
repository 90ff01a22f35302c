#include "base/suggest.h"

#include <algorithm>

namespace byline {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the swap of two adjacent
  // bytes looks two rows back.
  const size_t width = b.size() + 1;
  std::vector<size_t> before(width), previous(width), current(width);
  for (size_t j = 0; j < width; ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j < width; ++j) {
      size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      size_t best = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates,
                    size_t max_distance) {
  std::string best;
  size_t best_distance = max_distance + 1;
  for (const std::string& candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    size_t longer = std::max(word.size(), candidate.size());
    if (d < best_distance && d * 2 < longer) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace byline
