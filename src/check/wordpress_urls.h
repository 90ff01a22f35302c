// The URLs a WordPress site answered, read from its export: what
// `byline check --wordpress` proves the built site still answers.
#pragma once

#include <string>
#include <vector>

#include "import/wxr_reader.h"

namespace byline {

struct OldUrl {
  std::string url;            // as WordPress wrote or answered it, absolute when the export says
  std::string site_path;      // decoded, below the old blog's base path: "/2008/09/x/"
  std::string query;          // "p=19", without '?'
  std::string what;           // "post 'Layout Test' (id 1)", for the report
  int line = 0;               // of its <item> in the export; 0 for channel terms
  bool query_rule = false;    // ?p=/?page_id=: only a _redirects rule can answer it
  bool warning_only = false;  // a URL the import leaves out on purpose (password)
};

// Every published post's and page's permalink with its ?p= (and a page's
// ?page_id=), every attachment's page and file URL (/wp-content/uploads/…),
// every /wp-content/uploads/ URL a published post or page shows, and the
// archive of every category and tag a published post is filed under
// (/category/parent/child/, /tag/slug/). Unique by site path and query.
std::vector<OldUrl> wordpress_urls(const WxrChannel& channel);

}  // namespace byline
