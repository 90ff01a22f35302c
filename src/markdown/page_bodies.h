// Renders every page's Markdown body (and front-matter summary) to HTML in
// parallel, filling the Page's derived fields.
#pragma once

#include <vector>

#include "config/config.h"
#include "content/page.h"
#include "markdown/markdown.h"

namespace byline {

MarkdownOptions markdown_options(const SiteConfig& config);

// Renders pages[i] for every i on the thread pool. Afterwards a page keeps
// only its front matter text (for diagnostics), not its body.
void render_page_bodies(const SiteConfig& config, std::vector<Page>& pages);

}  // namespace byline
