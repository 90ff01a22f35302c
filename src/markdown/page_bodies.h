// Renders every page's Markdown body (and front-matter summary) to HTML in
// parallel, filling the Page's derived fields.
#pragma once

#include <filesystem>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"
#include "config/theme.h"
#include "content/page.h"
#include "markdown/markdown.h"

namespace byline {

MarkdownOptions markdown_options(const SiteConfig& config);

// Renders pages[i] for every i on the thread pool. Afterwards a page keeps
// only its front matter text (for diagnostics), not its body. Images whose
// file is local (see LocalImages, under `site_dir`) get width and height;
// a local image with no file is a warning at its "![".
void render_page_bodies(const SiteConfig& config, const std::filesystem::path& site_dir,
                        const Theme& theme, std::vector<Page>& pages, DiagnosticSink& sink);

}  // namespace byline
