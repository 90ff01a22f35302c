// The per-page Markdown pass of a build.
#include "markdown/page_bodies.h"

#include <cstring>

#include "base/files.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "images/image_set.h"
#include "markdown/local_images.h"

namespace byline {

MarkdownOptions markdown_options(const SiteConfig& config) {
  const MarkdownConfig& m = config.markdown;
  MarkdownOptions o;
  o.smart_punctuation = m.smart_punctuation;
  o.footnotes = m.footnotes;
  o.tables = m.tables;
  o.strikethrough = m.strikethrough;
  o.autolinks = m.autolinks;
  o.tasklists = m.tasklists;
  o.unsafe_html = m.unsafe_html;
  o.heading_ids = m.heading_ids;
  o.figures = m.figures;
  o.pull_quotes = m.pull_quotes;
  o.hard_wraps = m.hard_wraps;
  o.summary_words = config.summary_length;
  o.image_sizes = config.images.sizes;
  return o;
}

namespace {

// The writer's intro before the republished article: the `intro` field, or
// the body up to an <!-- article --> comment on a line of its own.
void split_intro(const MarkdownOptions& options, Page& p) {
  if (!p.intro_field.empty()) {
    p.intro_html = render_markdown(p.intro_field, options).html;
    return;
  }
  for (std::string_view marker : {"<!-- article -->\n", "<!--article-->\n"}) {
    // memmem, not find(): find() stops at every '<' of the page to compare.
    const void* hit =
        ::memmem(p.content_html.data(), p.content_html.size(), marker.data(), marker.size());
    size_t at = hit ? static_cast<size_t>(static_cast<const char*>(hit) - p.content_html.data())
                    : std::string::npos;
    if (at == std::string::npos || (at > 0 && p.content_html[at - 1] != '\n')) continue;
    p.intro_html = p.content_html.substr(0, at);
    p.article_offset = at + marker.size();
    return;
  }
}

}  // namespace

BodyRenderer::BodyRenderer(const SiteConfig& config, const std::filesystem::path& site_dir,
                           const Theme& theme, const std::vector<Page>& pages, ImageSet* images)
    : options_(markdown_options(config)),
      site_dir_(site_dir),
      local_images_(std::make_unique<LocalImages>(config, site_dir, theme, pages)),
      images_(images && images->enabled() ? images : nullptr),
      strict_images_(config.strict_images) {}

BodyRenderer::~BodyRenderer() = default;

RenderedMarkdown BodyRenderer::render_body(Page& p, DiagnosticSink& sink) const {
  std::vector<BodyInput> inputs;
  const bool page_processes = images_ && processes_images(p, sink);
  if (page_processes) featured_image(p, inputs, sink);
  ImageLookup lookup = [&](std::string_view url, bool process) {
    LocalImage found = local_images_->find(p, url);
    ImageInfo info;
    info.size = found.size;
    info.missing = found.kind == LocalImage::Kind::kMissing;
    process = process && page_processes;
    if (found.kind == LocalImage::Kind::kFound) {
      inputs.push_back({found.file.lexically_relative(site_dir_).generic_string(), true,
                        process ? found.site_path : std::string()});
      if (process) {
        std::shared_ptr<const ProcessedImage> image = images_->get(found.file);
        if (image->status == ProcessedImage::Status::kFailed) {
          info.problem = "image '" + std::string(url) + "' (" +
                         found.file.lexically_relative(site_dir_).generic_string() +
                         ") cannot be processed: " + image->error + "; published as it is";
          info.problem_is_error = strict_images_;
        } else if (image->processed()) {
          info.processed = std::move(image);
        }
      }
    }
    for (const std::string& place : found.tried) inputs.push_back({place, false, {}});
    if (info.missing) {
      std::string message = "image '" + std::string(url) + "' not found (looked for ";
      for (size_t t = 0; t < found.tried.size(); ++t) {
        if (t > 0) message += t + 1 == found.tried.size() ? " and " : ", ";
        message += found.tried[t];
      }
      info.problem = message + ')';
    }
    return info;
  };
  RenderedMarkdown r = render_markdown(p.body(), options_, lookup);
  for (const MissingImage& image : r.missing_images) {
    SourceLocation at{p.source_path, p.body_line + image.line - 1, image.column};
    if (image.is_error) {
      sink.error(at, image.message, p.source_text);
    } else {
      sink.warning(at, image.message, p.source_text);
    }
  }
  p.body_inputs = std::move(inputs);
  return r;
}

// Front matter `process_images: false` publishes the page's images as they
// are; anything but a boolean there is a warning, and processing stays on.
bool BodyRenderer::processes_images(const Page& p, DiagnosticSink& sink) const {
  const Value* field = p.params.find("process_images");
  if (!field) return true;
  if (field->is_bool()) return field->as_bool();
  sink.warning({p.source_path, field->line, field->column},
               "'process_images' must be true or false; the page's images are processed",
               p.source_text);
  return true;
}

// The front matter's `image` (the featured image, for the social card and
// templates): processed and published like the body's, and first among the
// page's inputs, so that the card is cut from it.
void BodyRenderer::featured_image(Page& p, std::vector<BodyInput>& inputs,
                                  DiagnosticSink& sink) const {
  const Value* field = p.params.find("image");
  if (!field || !field->is_string() || field->as_string().empty()) return;
  const std::string& url = field->as_string();
  LocalImage found = local_images_->find(p, url);
  SourceLocation at{p.source_path, field->line, field->column};
  if (found.kind == LocalImage::Kind::kFound) {
    inputs.push_back(
        {found.file.lexically_relative(site_dir_).generic_string(), true, found.site_path});
    std::shared_ptr<const ProcessedImage> image = images_->get(found.file);
    if (image->status == ProcessedImage::Status::kFailed) {
      std::string message = "featured image '" + url + "' cannot be processed: " + image->error +
                            "; published as it is";
      if (strict_images_) {
        sink.error(at, std::move(message), p.source_text);
      } else {
        sink.warning(at, std::move(message), p.source_text);
      }
    }
    return;
  }
  for (const std::string& place : found.tried) inputs.push_back({place, false, {}});
  if (found.kind == LocalImage::Kind::kMissing) {
    std::string message = "featured image '" + url + "' not found (looked for ";
    for (size_t t = 0; t < found.tried.size(); ++t) {
      if (t > 0) message += t + 1 == found.tried.size() ? " and " : ", ";
      message += found.tried[t];
    }
    sink.warning(at, message + ')', p.source_text);
  }
}

void BodyRenderer::render(Page& p, DiagnosticSink& sink) const {
  RenderedMarkdown r = render_body(p, sink);
  p.content_html = std::move(r.html);
  split_intro(options_, p);
  if (!p.correction.empty()) p.correction_html = render_markdown_inline(p.correction, options_);
  p.toc = std::move(r.toc);
  p.word_count = r.word_count;
  if (!p.summary_field.empty()) {
    p.summary_html = render_markdown_inline(p.summary_field, options_);
    p.summary_truncated = true;
  } else {
    p.summary_html = std::move(r.summary_html);
    // "Truncated" means the page has more to read than its summary, also
    // when the summary is a whole first paragraph.
    p.summary_truncated = r.summary_is_truncated || r.word_count > count_words(p.summary_html);
  }
  // The body is no longer needed; the front matter stays for diagnostics.
  p.source_text.resize(p.body_offset);
  p.source_text.shrink_to_fit();
}

void BodyRenderer::render_restored(Page& p, const std::filesystem::path& file,
                                   DiagnosticSink& sink) const {
  // The page's front matter is all its source_text still holds; the body is
  // read again. The file is the one the page was restored from: the build
  // checked its stamp and hash.
  std::string text, why;
  if (!read_file(file, &text, &why)) {
    sink.error({p.source_path, 0, 0}, "cannot read file: " + why);
    return;
  }
  std::string front_matter = std::move(p.source_text);
  p.source_text = std::move(text);
  RenderedMarkdown r = render_body(p, sink);
  p.content_html = std::move(r.html);
  p.toc = std::move(r.toc);
  p.source_text = std::move(front_matter);
}

void render_page_bodies(const BodyRenderer& bodies, std::vector<Page>& pages,
                        DiagnosticSink& sink) {
  parallel_for(pages.size(), [&](size_t i) {
    if (!pages[i].body_restored) bodies.render(pages[i], sink);
  });
}

}  // namespace byline
