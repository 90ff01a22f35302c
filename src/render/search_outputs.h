// The site's search index (search/): which pages and appearances are
// searchable under `[search]`, what each field of them holds, made from
// the site model (not from the HTML written), and the index files.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "search/index_writer.h"
#include "site/site.h"

namespace byline {

// The searchable documents of a site, oldest first (the reverse of newest
// first, then by URL).
std::vector<SearchDoc> search_documents(const Site& site);

// The index files for the site, under its search URL ("search/…").
std::vector<SearchFile> search_index_files(const Site& site, SearchIndexStats* stats = nullptr);

// What a build makes of the searchable documents, analysed once: the index
// files (when `[search] enabled`) and each post's related posts (when
// `[search] related` is above 0), by the page's index in `site.pages`:
// only posts the index would hold have related posts or are one.
struct SiteSearch {
  std::vector<SearchFile> files;
  std::vector<std::vector<const Page*>> related;     // empty, or one list a page
  double t_analyse = 0, t_related = 0, t_index = 0;  // seconds
  size_t documents = 0, analysed = 0;                // searchable, and of them analysed afresh
  double cpu = 0;          // CPU seconds of the process (every thread) over the three
  bool cancelled = false;  // given up (see site_search()): the rest is not to be used
};
// The analysis kept between builds (search/analysis_cache.h): the file it
// is read from (none: every document is analysed) and the one it is saved
// to (none: not saved).
struct SearchCacheFiles {
  std::string read, write;
};
// `cancelled`, when set, is asked as the documents are read (every few
// documents, from the threads reading them): once it says so, the rest are
// not read, nothing is saved, and the analysis ends with
// SiteSearch::cancelled (`byline serve`'s catch-up gives way to an edit).
SiteSearch site_search(const Site& site, const SearchCacheFiles& cache_files = {},
                       const std::function<bool()>& cancelled = {});

// The text of an HTML fragment: tags removed (block-level ones leave a
// space), <script> and <style> dropped, character references decoded.
std::string html_to_text(std::string_view html);

}  // namespace byline
