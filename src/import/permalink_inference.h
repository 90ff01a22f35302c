// WordPress permalinks: which byline pattern (/:year/:month/:day/:slug/ …)
// reproduces the URLs a blog's posts already have, decided from the posts'
// own <link>s, and the URL helpers that decision needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace byline {

// One post as the permalink inference sees it.
struct PermalinkSample {
  std::string path;  // old link path, site-relative and percent-decoded ("/2019/08/x/")
  int year = 0, month = 0, day = 0;  // the post's local date
  std::string slug;                  // percent-decoded
};

// Decodes %XX escapes; a result that is not valid UTF-8 gives back the input.
std::string percent_decode(std::string_view s);

// The pattern one post's link follows, or "" when its link is not a path
// built from its date and slug (a ?p=123 link, a slug-less path).
std::string permalink_pattern_of(const PermalinkSample& sample);

// The pattern most posts follow; `fallback` when none has a usable link.
std::string infer_permalink_pattern(const std::vector<PermalinkSample>& samples,
                                    std::string_view fallback = "/:year/:month/:day/:slug/");

// The path a pattern gives a post.
std::string expand_permalink(std::string_view pattern, const PermalinkSample& sample);

// The site-relative, percent-decoded path and query of `url` when it lies
// under `base_url` (scheme and a leading "www." ignored): "/about/" or
// "/?p=12". Returns false for URLs elsewhere.
bool site_relative_path(std::string_view url, std::string_view base_url, std::string* path);

// WordPress's sanitize_title (sanitize_title_with_dashes): the slug
// WordPress itself makes of a term or post name. Tags and HTML entities go,
// ASCII letters are lower-cased, '.' and spaces become '-', any other ASCII
// but [a-z0-9_-] goes, runs of '-' become one and none starts or ends the
// slug. Percent-escapes are decoded first and non-ASCII letters kept, as
// the decoded form of WordPress's encoded slug: "Company News" →
// "company-news", "../../etc" → "etc".
std::string sanitize_title(std::string_view s);

}  // namespace byline
