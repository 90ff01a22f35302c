// The Markdown stage: a page body to HTML with cmark-gfm, plus what byline adds
// on the way (heading ids and TOC, figures, pull quotes, summary, word count).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/toc.h"
#include "images/image_processor.h"
#include "images/image_size.h"

namespace byline {

struct MarkdownOptions {
  bool smart_punctuation = true;  // curly quotes, en/em dashes, ellipses
  bool footnotes = true;
  bool tables = true;
  bool strikethrough = true;
  bool autolinks = true;
  bool tasklists = true;
  // GitHub's tag filter: <script>, <iframe>, <textarea>... in raw HTML are
  // escaped. Off by default because writers' archives embed video players.
  bool tag_filter = false;
  bool unsafe_html = true;  // raw HTML passed through; false => "<!-- raw HTML omitted -->"
  bool heading_ids = true;  // <h2 id="slug">, unique per document (slug, slug-1, slug-2)
  bool figures = true;      // a paragraph holding only an image becomes a <figure>
  bool pull_quotes = true;  // "> [!pullquote]" becomes <aside class="pullquote">
  bool hard_wraps = false;  // every newline in a paragraph is a <br />
  int summary_words = 70;   // length of an automatic summary
  // The sizes attribute of a processed image's <picture> ([images] sizes).
  std::string image_sizes = "100vw";
};

// What the page's surroundings say about one image it shows.
struct ImageInfo {
  std::optional<ImageSize> size;  // set: the <img> gets width and height
  bool missing = false;           // a local URL that no file stands behind
  // Set and processed(): the image is shown as a <picture> of its variants.
  std::shared_ptr<const ProcessedImage> processed;
  // Set: a problem to report at the image ("not found", "corrupt"), as an
  // error when `problem_is_error`.
  std::string problem;
  bool problem_is_error = false;
};

// Asked once for each image, with its URL as written, on the rendering thread.
// `process` is false for an image whose title carries kKeepOriginalToken:
// it is shown as it is (with its size), never as a <picture>.
using ImageLookup = std::function<ImageInfo(std::string_view url, bool process)>;

// In an image's title, keeps that image as it is (not resized, no
// <picture>); removed from the title and caption.
inline constexpr std::string_view kKeepOriginalToken = "{original}";

// An image whose lookup reported a problem. line and column (1-based, the
// column in code points) place its "![" (or "<img") in the Markdown that
// was rendered.
struct MissingImage {
  std::string url;
  int line = 0;
  int column = 0;
  std::string message;  // ImageInfo::problem
  bool is_error = false;
  bool html = false;  // a raw HTML <img> (placed at its "<img")
};

struct RenderedMarkdown {
  std::string html;
  std::vector<TocEntry> toc;  // headings in document order, pull quotes excluded
  size_t word_count = 0;      // words of the text a reader reads (pull quotes excluded)
  // Before a "<!--more-->" line: the HTML of everything above it (truncated).
  // Otherwise: the escaped plain text of the first paragraph, cut at
  // summary_words words with "…" (truncated only when cut). No <p> wrapper.
  std::string summary_html;
  bool summary_is_truncated = false;
  std::string plain_text;  // text without markup (search indexes), pull quotes excluded
  std::vector<MissingImage> missing_images;  // images with a problem, in document order
};

// Thread-safe: called from many threads at once on different documents.
// Without `images`, no <img> gets a size and no image is missing.
RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options,
                                 const ImageLookup& images = {});

// For short fields (a front-matter summary, a caption): the rendered HTML with
// a single wrapping <p>…</p> removed, no trailing newline.
std::string render_markdown_inline(std::string_view text, const MarkdownOptions& options);

}  // namespace byline
