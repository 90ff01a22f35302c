// A small built-in HTML5 layout used until the template engine renders the
// site: page, list, term list, redirect and 404 pages.
#pragma once

#include <string>
#include <string_view>

#include "site/paginator.h"
#include "site/site.h"

namespace byline {

std::string layout_page(const Site& site, const Page& page);
// A paginated list. `heading` is plain text; `intro` is a page whose HTML
// content is shown above the list (home or section _index.md), or null.
std::string layout_list(const Site& site, std::string_view heading, const Paginator& pager,
                        const Page* intro, bool has_feeds);
std::string layout_term_list(const Site& site, const Taxonomy& taxonomy);
std::string layout_redirect(const Site& site, std::string_view target_path);
std::string layout_not_found(const Site& site);

}  // namespace byline
