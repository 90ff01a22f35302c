// What a built site's output folder holds, and where a link into it leads:
// a file, a folder's index.html, or a `_redirects` rule (whose target must
// lead somewhere in turn). Links are resolved as a web server serving the
// folder at the site's base URL would: the base URL's path is the folder's
// root, and a link outside it is not part of the site.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "check/redirects.h"
#include "config/site_urls.h"

namespace byline {

struct Resolution {
  enum Status {
    kFile,         // `file` is in the output
    kRedirect,     // a _redirects rule leads to `file`
    kMissing,      // nothing there; `site_path` is what was looked for
    kBadRedirect,  // a rule matched, but its target `redirect_to` leads nowhere
    kOutsideBase,  // a path on the site's host outside the base URL's path
    kExternal,     // another host
    kIgnored,      // mailto:, tel:, javascript:, data:, an empty href
  };
  Status status = kMissing;
  std::string file;       // the output file (relative to DEST) it leads to
  std::string site_path;  // the decoded path below the base URL ("/2019/08/x/")
  std::string redirect_to;
  std::string fragment;  // decoded, without '#'
  bool has_fragment = false;
};

class OutputIndex {
 public:
  OutputIndex() = default;
  // Lists `dest` and reads its `_redirects`. False (with an error in `sink`)
  // when the folder cannot be read.
  bool load(const std::string& dest, const SiteUrls& urls, DiagnosticSink& sink);
  // For tests: an index of the given files and redirects text.
  void assign(std::vector<std::string> files, std::string_view redirects, const SiteUrls& urls);

  // Where `url`, found in the output file `from` (relative to DEST), leads.
  Resolution resolve(std::string_view from, std::string_view url) const;
  // Where a site path (decoded, starting with '/') and a query lead;
  // `query_rule` demands that a rule with query conditions match (for
  // WordPress's ?p=19, which would otherwise find the home page).
  Resolution resolve_site_path(std::string_view site_path, std::string_view query,
                               bool query_rule = false) const;

  // The URL path of the folder `file` is served from ("/blog/2019/x/").
  std::string folder_url(std::string_view file) const;

  const std::vector<std::string>& files() const { return files_; }
  // The index of `file` in files(), or -1.
  int64_t find(std::string_view file) const;
  const SiteUrls& urls() const { return urls_; }
  const Redirects& redirects() const { return redirects_; }

 private:
  void index_files();

  SiteUrls urls_;
  std::string origin_;              // "host:port" of base_url, empty for a path-only base_url
  std::vector<std::string> files_;  // sorted, relative to DEST
  std::unordered_map<std::string_view, uint32_t> by_path_;
  Redirects redirects_;
};

}  // namespace byline
