// `byline list`: the pages a build leaves out (drafts, future, expired) or
// all of them, one per line as tab-separated path, date, title and URL.
#pragma once

#include <string>
#include <string_view>

#include "base/datetime.h"
#include "config/config.h"
#include "content/content.h"

namespace byline {

enum class PageListKind { kDrafts, kFuture, kExpired, kAll };

// The posts and standalone pages of `content` (loaded with drafts, future
// and expired pages included) that are of `kind` at `now`, in content-path
// order: `content/PATH<TAB>DATE<TAB>TITLE<TAB>URL\n` per page, DATE in RFC
// 3339 (empty when the page has none), URL absolute. Tabs and newlines in a
// title become spaces, so every page is one line of four fields.
std::string format_page_list(const SiteConfig& config, const Content& content, PageListKind kind,
                             const DateTime& now);

}  // namespace byline
