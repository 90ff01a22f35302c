// The sentence an appearance reads as, wherever it is shown (a post's intro,
// the timeline, an outlet's page, the appearances feed): "Spoke to *X* about
// Y, also picked up by *Z* and *W*."
#pragma once

#include <string>
#include <string_view>

#include "site/site.h"

namespace byline {

// "Interviewed by", "Quoted in", … for a kind; "Spoke to" for none.
std::string_view appearance_verb(std::string_view kind);

// The sentence as HTML. Outlet names link to their page on the site (or a
// pickup's own URL), the topic to the appearance's URL. `link_base` is
// prepended to site paths: the base path for pages, the base URL for feeds.
std::string appearance_sentence(const Site& site, const Appearance& a, std::string_view link_base);

}  // namespace byline
