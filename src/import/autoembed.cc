// Line-based, as WordPress's autoembed is: `^\s*(https?://[^\s<>"]+)\s*$`
// per line. A line inside an open tag or a <pre> block is not a line of text.
#include "import/autoembed.h"

#include "base/strings.h"

namespace byline {

std::string link_standalone_urls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  int pre_depth = 0;
  bool in_tag = false;
  while (pos <= s.size()) {
    size_t nl = s.find('\n', pos);
    std::string_view line =
        s.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::string_view t = trim(line);
    bool is_url = !in_tag && pre_depth == 0 &&
                  (starts_with(t, "http://") || starts_with(t, "https://")) &&
                  t.find_first_of(" \t<>\"") == std::string_view::npos;
    if (is_url) {
      size_t lead = line.find(t);
      out.append(line.substr(0, lead));
      out += "<a href=\"";
      append_html_escaped(out, t);
      out += "\">";
      append_html_escaped(out, t);
      out += "</a>";
      out.append(line.substr(lead + t.size()));
    } else {
      out.append(line);
      for (size_t k = 0; k < line.size(); ++k) {
        if (line[k] == '<') {
          in_tag = true;
          if (line.substr(k).starts_with("<pre")) ++pre_depth;
          if (line.substr(k).starts_with("</pre") && pre_depth > 0) --pre_depth;
        } else if (line[k] == '>') {
          in_tag = false;
        }
      }
    }
    if (nl == std::string_view::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  return out;
}

}  // namespace byline
