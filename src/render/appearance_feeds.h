// The appearances feed in RSS 2.0, Atom 1.0 and JSON Feed 1.1: one item per
// media appearance, newest first, reading as its sentence.
#pragma once

#include <string>

#include "site/site.h"

namespace byline {

enum class FeedFormat { kRss, kAtom, kJson };

// `self_path` is the feed's own site path ("/appearances/rss.xml").
std::string render_appearance_feed(const Site& site, FeedFormat format,
                                   const std::string& self_path);

}  // namespace byline
