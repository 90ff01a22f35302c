// The build pipeline.
#include "build/build.h"

#include <chrono>
#include <cstdio>
#include <memory>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "base/progress.h"
#include "config/config.h"
#include "config/theme.h"
#include "content/content.h"
#include "markdown/page_bodies.h"
#include "output/publisher.h"
#include "render/render.h"
#include "site/site.h"

namespace byline {

namespace {

class Stopwatch {
 public:
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }
  double total() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

// What a build holds until it is published: the config and the site the
// content is moved into. The publisher is not part of it: its destructor
// joins the thread deleting earlier output, which must happen even when the
// state is left to the process exit.
struct BuildState {
  SiteConfig config;
  Site site;
};

// Hands the state over to the process exit (BuildOptions::exiting_after).
void leave_to_exit(std::unique_ptr<BuildState> state) {
  BuildState* kept = state.release();
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(kept);
#else
  (void)kept;
#endif
}

}  // namespace

std::string BuildResult::summary() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "Built %zu pages, %zu list pages, %zu feeds, %zu redirects, %zu static files in "
                "%.2f s",
                pages, list_pages, feeds, aliases, static_files, seconds);
  std::string s = buf;
  if (left_out > 0) {
    s += " (" + std::to_string(left_out) +
         " drafts, future or expired pages left out; --drafts/--future/--expired include them)";
  }
  return s;
}

bool build_site(const BuildOptions& options, BuildResult* result, DiagnosticSink& sink) {
  Stopwatch clock;
  Progress progress(options.progress);

  // Declared before the state so that, when the state is freed here, the
  // deletion of earlier output goes on while it is.
  std::filesystem::path dest = options.dest.empty() ? options.source / "public" : options.dest;
  Publisher publisher;
  // What earlier builds retired beside DEST is deleted while this one reads
  // and renders, instead of after it.
  publisher.sweep_leftovers(dest);

  auto state = std::make_unique<BuildState>();
  SiteConfig& config = state->config;
  if (!load_config(options.source, &config, sink)) return false;
  if (!options.base_url.empty()) {
    config.urls = SiteUrls(options.base_url);
  }
  // Where templates and static files come from, for every stage after.
  const Theme theme(options.source, config);
  result->t_config = clock.lap();

  ContentOptions content_options;
  content_options.now = options.now ? *options.now : now_utc();
  content_options.drafts = options.drafts;
  content_options.future = options.future;
  content_options.expired = options.expired;
  Content content;
  progress.stage("Reading", 0);
  if (!load_content(config, options.source, content_options, &content, sink)) return false;
  result->t_content = clock.lap();

  progress.stage("Markdown", content.pages.size());
  BodyRenderer bodies(config, options.source, theme, content.pages);
  render_page_bodies(bodies, content.pages, sink);
  result->t_markdown = clock.lap();

  Site& site = state->site;
  if (!assemble_site(config, std::move(content), &site, sink)) return false;
  site.now = content_options.now;
  // Pages keep their front matter text for diagnostics that quote it, and
  // assembly is the last stage that reports against it (the render's URL
  // collision check quotes the line it keeps, Page::url_line): ~40 MB at
  // 100,000 posts.
  for (Page& p : site.pages) std::string().swap(p.source_text);
  result->t_site = clock.lap();

  if (!publisher.open(dest, sink)) return false;
  RenderStats stats;
  progress.stage("Rendering", 0);
  bool ok = render_site(site, theme, publisher, &stats, sink, [&](size_t done, size_t total) {
    if (done == 1) progress.stage("Rendering", total);
    progress.set(done);
  });
  result->t_render = clock.lap();
  progress.finish();
  if (!ok) {
    publisher.discard();
    return false;
  }
  if (!publisher.commit(sink)) return false;
  result->t_publish = clock.lap();

  result->pages = stats.pages;
  result->list_pages = stats.list_pages;
  result->feeds = stats.feeds;
  result->aliases = stats.aliases;
  result->static_files = stats.static_files;
  result->other = stats.other;
  result->left_out = site.left_out;
  result->seconds = clock.total();
  if (options.exiting_after) leave_to_exit(std::move(state));
  return true;
}

}  // namespace byline
