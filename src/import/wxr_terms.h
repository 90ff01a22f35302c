// An export's categories and tags as WordPress served them. The importer
// and `byline check --wordpress` both read terms through this, so the
// archive URLs the site gets are the ones the check asks for.
#pragma once

#include <string>
#include <vector>

#include "import/wxr_reader.h"

namespace byline {

// Makes every term slug the one WordPress's archive URL used:
// - a slug WordPress would not have made ("Company News" written by another
//   tool) becomes sanitize_title's ("company-news");
// - an item's <category nicename="…"> that names no term of the channel's
//   list, while exactly one term of that taxonomy has the item's term name,
//   is a stale nicename (an export edited by hand, or written from an old
//   copy of the terms): it takes that term's slug, the one WordPress
//   answered at /category/SLUG/.
// Returns those stale nicenames, each once: links in the wild and in the
// export's own posts may use them, so the importer keeps each as a
// redirect to the term's archive and `check --wordpress` proves it. A
// nicename that names two different terms, or that another term (one only
// items name) keeps as its own slug, is left out: it is no alias.
struct StaleTermSlug {
  std::string taxonomy;  // "category", "post_tag"
  std::string stale;     // decoded: "content"
  std::string slug;      // the term's slug, decoded: "content-2"
  std::string name;      // the term's name
};
std::vector<StaleTermSlug> normalize_wxr_terms(WxrChannel* channel);

// One renamed term: byline knows a term by its name, WordPress by its
// slug, so a second category called "Foo" (under "Bar") is renamed
// "Foo (Bar)" and keeps its own slug and archive URL.
struct TermRename {
  std::string taxonomy;  // "category", "post_tag"
  std::string slug;
  std::string from, to;
};

// Renames terms whose names byline would take for one term (the same
// name, or names byline makes one slug of) while WordPress had them
// under different slugs: the first keeps its name, each later one gets its
// parent's name in parentheses ("Foo (Bar)"), or its slug when that does
// not tell it apart. Item terms follow by slug. Run after
// normalize_wxr_terms. Returns the renames, for the report.
std::vector<TermRename> disambiguate_wxr_term_names(WxrChannel* channel);

}  // namespace byline
