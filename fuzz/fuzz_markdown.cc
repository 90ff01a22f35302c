// Markdown bodies, with each option switched by a bit of the selector and
// an image lookup that sizes some images and calls others missing.
#include <string>

#include "fuzz_input.h"
#include "markdown/markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  const unsigned char s = byline::fuzz::take_selector(&text);
  byline::MarkdownOptions options;
  options.smart_punctuation = !(s & 1);
  options.tag_filter = s & 2;
  options.unsafe_html = !(s & 4);
  options.hard_wraps = s & 8;
  options.figures = !(s & 16);
  options.pull_quotes = !(s & 32);
  options.heading_ids = !(s & 64);
  options.summary_words = (s & 128) ? 3 : 70;
  auto images = [](std::string_view url, bool) {
    byline::ImageInfo info;
    if (url.ends_with(".png")) info.size = byline::ImageSize{640, 480};
    info.missing = url.starts_with("/missing");
    return info;
  };
  (void)byline::render_markdown(text, options, images);
  (void)byline::render_markdown_inline(text, options);
  return 0;
}
