// The URLs a WordPress site answered, read from its export: what
// `byline check --wordpress` proves the built site still answers.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "import/wxr_reader.h"
#include "import/wxr_terms.h"

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
// Terms are taken as they are: run normalize_wxr_terms (import/wxr_terms.h)
// first, as the importer does, for the archive URLs WordPress served.
// `stale`, from normalize_wxr_terms, adds the archive URL of each item
// nicename the term list did not have (/tag/content/ for content-2).
std::vector<OldUrl> wordpress_urls(const WxrChannel& channel,
                                   const std::vector<StaleTermSlug>& stale = {});

// What the published posts and pages of an export link to, for telling a
// link the migration broke from one that was broken in the export already.
struct ExportLinks {
  std::set<std::string> paths;      // href/src on the old site, as site paths ("/wp-admin/")
  std::set<std::string> urls;       // every href/src as written (&amp; decoded)
  std::set<std::string> fragments;  // same-page "#name" links, without '#'
  std::set<std::string> ids;        // id= and name= values in the posts' HTML
};
ExportLinks export_links(const WxrChannel& channel);

// The site path of `url` below the export's blog ("/2008/09/x/"), without
// its query; false for another host.
bool export_site_path(const WxrChannel& channel, std::string_view url, std::string* path);

}  // namespace byline
