// A `_redirects` file (Netlify's and Cloudflare's format), read so that
// `byline check` counts a link that a server rule redirects as resolved.
// byline writes one line per alias, `FROM [key=value…] TO STATUS[!]`; a
// hand-written file may also use Netlify's `*` splat and `:name`
// placeholders, which are matched here too. Paths are the site's own
// (what byline's aliases are), without the base URL's path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

struct RedirectRule {
  std::string from;  // "/old/", "/news/*", "/blog/:year/:slug"
  std::vector<std::pair<std::string, std::string>> query;  // key, value or :placeholder
  std::string to;  // "/new/", "/news/:splat", or an absolute URL
  int status = 301;
  bool force = false;  // "301!": applies even when a file exists at FROM
  int line = 0;
};

class Redirects {
 public:
  // Reads `text`; a line that is not a rule is reported to `sink` as a
  // warning at `path`:line and skipped.
  void parse(std::string_view text, const std::string& path, DiagnosticSink* sink);

  // The target of the first rule matching `path` (percent-decoded, starting
  // with '/') and `query` ("p=19&x=1", without '?'), placeholders filled in;
  // nullopt when no rule matches. A rule without query conditions matches
  // any query, as on Netlify.
  // `rule`, when given, is set to the rule that matched.
  std::optional<std::string> match(std::string_view path, std::string_view query,
                                   const RedirectRule** rule = nullptr) const;

  const std::vector<RedirectRule>& rules() const { return rules_; }

 private:
  std::vector<RedirectRule> rules_;
};

}  // namespace byline
