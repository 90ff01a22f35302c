// The appearances feed in RSS 2.0, Atom 1.0 and JSON Feed 1.1: one item per
// media appearance, newest first, reading as its sentence.
#pragma once

#include <functional>
#include <string>

#include "base/diagnostic.h"
#include "site/site.h"

namespace byline {

enum class FeedFormat { kRss, kAtom, kJson };

// Writes an appearance's sentence as HTML with absolute links
// (SiteTemplates::appearance_sentence); false, with `error` filled, when the
// theme's template for it fails.
using SentenceWriter = std::function<bool(const Appearance&, std::string* html, Diagnostic* error)>;

// `self_path` is the feed's own site path ("/appearances/rss.xml"). Returns
// false, with `error` filled, when a sentence could not be written.
bool render_appearance_feed(const Site& site, FeedFormat format, const std::string& self_path,
                            const SentenceWriter& sentence, std::string* out, Diagnostic* error);

}  // namespace byline
