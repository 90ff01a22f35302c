// Block comment delimiters are found by their fixed opening "<!-- wp:" or
// "<!-- /wp:"; the JSON attributes inside may hold "--" but never "-->".
#include "import/block_markup.h"

namespace byline {

bool has_block_markup(std::string_view content) {
  return content.find("<!-- wp:") != std::string_view::npos;
}

std::string strip_block_comments(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find("<!-- ", i);
    if (open == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    std::string_view rest = s.substr(open + 5);
    if (!rest.starts_with("wp:") && !rest.starts_with("/wp:")) {
      out.append(s.substr(i, open + 5 - i));
      i = open + 5;
      continue;
    }
    size_t close = s.find("-->", open + 5);
    if (close == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, open - i));
    i = close + 3;
  }
  return out;
}

}  // namespace byline
