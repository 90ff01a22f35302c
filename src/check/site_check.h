// The internal check of a built site: every page's links, images,
// stylesheets, scripts and #fragments, every feed's and sitemap's entries,
// resolved against the output folder (check/output_index.h). Pages are
// read and scanned on the thread pool, each into its own slot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "check/html_scan.h"
#include "check/output_index.h"

namespace byline {

// One thing broken, where the output shows it.
struct LinkProblem {
  std::string file;       // the output file, relative to DEST
  uint32_t offset = 0;    // of the link in it
  std::string kind;       // "link", "fragment", "image", "stylesheet", "feed", "sitemap", …
  std::string url;        // as written
  std::string message;    // what is wrong, without the URL's place
  std::string site_path;  // what was looked for, to tell a draft ("" when not a path)
};

// An external link, first place found, and how many times it appears.
struct ExternalLink {
  std::string url;
  std::string file;
  uint32_t offset = 0;
  size_t count = 0;
};

struct SiteCheckOptions {
  // The file names of feeds in any folder (config [feeds]): "rss.xml", …
  std::vector<std::string> rss, atom, json;
  bool collect_external = false;
};

struct SiteCheckResult {
  size_t html_files = 0;
  size_t links = 0;           // every href/src found, ignored schemes included
  size_t internal_links = 0;  // resolved against the output
  size_t external_links = 0;
  size_t fragments = 0;  // #fragments checked against the target's ids
  size_t feeds = 0;
  size_t feed_items = 0;
  size_t sitemaps = 0;
  size_t sitemap_urls = 0;
  std::vector<LinkProblem> problems;   // sorted by file and offset
  std::vector<ExternalLink> external;  // sorted by URL
};

// Checks every file of `index` under `dest` (the folder it was loaded from).
void check_output(const std::string& dest, const OutputIndex& index,
                  const SiteCheckOptions& options, SiteCheckResult* out);

// The checks on one page's scan, for tests: `file` is the page's path in
// the output. Same-page fragments are checked against `scan.ids`; a
// fragment on another page is appended to `pending` as (target file,
// fragment, link index).
struct PendingFragment {
  uint32_t target = 0;  // index in OutputIndex::files()
  std::string fragment;
  uint32_t link = 0;
};
// Where links lead, remembered for links that do not depend on the page
// (root-relative and absolute ones), for one index. Keyed by the 64-bit
// hash of the URL (without its fragment) in an open-addressing table of
// 16-byte slots, holding only what the check needs: a node per URL (or a
// table of strings) cost a tenth of the check in cache misses, and a
// Resolution built for every link a string copy each.
class ResolveCache {
 public:
  // What a link that resolves leads to; `known` is false when the link
  // must be resolved in full (a relative link, or one that is broken).
  struct Hit {
    bool known = false;
    Resolution::Status status = Resolution::kMissing;
    int64_t file = -1;  // index in OutputIndex::files(), for kFile and kRedirect
  };
  Hit lookup(const OutputIndex& index, const std::string& file, std::string_view url,
             Resolution* full);

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty (a URL hashing to 0 is stored as 1)
    int32_t file = -1;
    Resolution::Status status = Resolution::kMissing;
  };
  const Slot* find(uint64_t key) const;
  void insert(uint64_t key, Resolution::Status status, int64_t file);

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

void check_page_links(const OutputIndex& index, const std::string& file, const HtmlScan& scan,
                      std::vector<LinkProblem>* problems, std::vector<PendingFragment>* pending,
                      SiteCheckResult* counts, std::vector<ExternalLink>* external,
                      ResolveCache* cache = nullptr);

// Whether `ids` (sorted) holds `fragment`; "top" and "" always resolve.
bool has_fragment(const std::vector<std::string>& ids, std::string_view fragment);

}  // namespace byline
