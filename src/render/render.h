// The render stage: decides every output of the site (pages, paginated
// lists, term pages, feeds, sitemap, redirects, copied files) and renders
// each one on the thread pool straight into the publisher.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "config/theme.h"
#include "output/publisher.h"
#include "site/site.h"

namespace byline {

struct RenderStats {
  size_t pages = 0;       // content pages
  size_t list_pages = 0;  // home, section, term and term-list pages
  size_t feeds = 0;
  size_t aliases = 0;
  size_t static_files = 0;
  size_t other = 0;  // sitemap, robots.txt, 404, _redirects
};

// The _redirects file (Netlify and Cloudflare Pages) for (alias, target)
// pairs of site paths.
std::string redirects_file(const std::vector<std::pair<std::string, std::string>>& redirects);

// Called after each output; total is fixed for the build.
using ProgressFn = std::function<void(size_t done, size_t total)>;

// Templates and the theme's static files come from `theme`.
bool render_site(const Site& site, const Theme& theme, Publisher& publisher, RenderStats* stats,
                 DiagnosticSink& sink, const ProgressFn& progress = {});

}  // namespace byline
