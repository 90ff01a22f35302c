// HTML → Markdown, as imported posts are converted, and the plain-text and
// caption helpers that read the same HTML.
#include <string>

#include "fuzz_input.h"
#include "import/html_to_markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view html = byline::fuzz::as_text(data, size);
  const unsigned char selector = byline::fuzz::take_selector(&html);
  byline::HtmlToMarkdownOptions options;
  if (selector & 1)
    options.rewrite_url = [](std::string_view url) { return "/rewritten" + std::string(url); };
  (void)byline::html_to_markdown(html, options);
  (void)byline::html_to_plain_text(html);
  std::string caption, credit;
  (void)byline::split_caption_credit(html, &caption, &credit);
  return 0;
}
