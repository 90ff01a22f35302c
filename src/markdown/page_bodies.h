// Renders every page's Markdown body (and front-matter summary) to HTML in
// parallel, filling the Page's derived fields.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"
#include "config/theme.h"
#include "content/page.h"
#include "markdown/markdown.h"

namespace byline {

MarkdownOptions markdown_options(const SiteConfig& config);

class LocalImages;
class ImageSet;

// Renders pages' Markdown with the site's options. Images whose file is
// local (see LocalImages, under `site_dir`) get width and height; a local
// image with no file is a warning at its "![". Thread-safe: pages render in
// parallel, and the render stage asks for the bodies of restored pages
// (Page::body_restored) as it needs them.
class BodyRenderer {
 public:
  // `pages`: the site's, for where their bundles' files are published.
  // `images`: when set and enabled, local images are processed
  // (src/images/) and shown as <picture>; one that cannot be is reported.
  BodyRenderer(const SiteConfig& config, const std::filesystem::path& site_dir, const Theme& theme,
               const std::vector<Page>& pages, ImageSet* images = nullptr);
  ~BodyRenderer();

  // Renders the body p.source_text holds, and the summary, intro and
  // correction, then drops the body from source_text (the front matter
  // stays for diagnostics).
  void render(Page& p, DiagnosticSink& sink) const;
  // For a page restored from the last build, whose summary and the rest are
  // set: reads `file` again and renders the body's HTML and table of
  // contents.
  void render_restored(Page& p, const std::filesystem::path& file, DiagnosticSink& sink) const;

 private:
  RenderedMarkdown render_body(Page& p, DiagnosticSink& sink) const;
  void featured_image(Page& p, std::vector<BodyInput>& inputs, DiagnosticSink& sink) const;
  bool processes_images(const Page& p, DiagnosticSink& sink) const;

  MarkdownOptions options_;
  std::filesystem::path site_dir_;
  std::unique_ptr<LocalImages> local_images_;
  ImageSet* images_ = nullptr;
  bool strict_images_ = false;
};

// Renders every page that was not restored, on the thread pool.
void render_page_bodies(const BodyRenderer& bodies, std::vector<Page>& pages, DiagnosticSink& sink);

}  // namespace byline
