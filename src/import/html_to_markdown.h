// Turns post HTML into byline Markdown with gumbo: paragraphs, headings,
// emphasis, links, images, lists, quotes and code become Markdown; a figure
// holding one image becomes byline's figure paragraph; whatever Markdown
// cannot say faithfully (tables, iframes, styled blocks) stays HTML.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

struct HtmlToMarkdownOptions {
  // Maps every href/src found (old site links, upload URLs) to its new form;
  // unset leaves URLs as they are.
  std::function<std::string(std::string_view url)> rewrite_url;
};

struct MarkdownConversion {
  std::string markdown;
  // Human-readable notes on HTML that did not parse cleanly (misnested or
  // unclosed elements), for the import report.
  std::vector<std::string> problems;
};

MarkdownConversion html_to_markdown(std::string_view html,
                                    const HtmlToMarkdownOptions& options = {});

// The text a reader sees in an HTML fragment (tags dropped, entities
// decoded, whitespace collapsed), for summaries and captions.
std::string html_to_plain_text(std::string_view html);

// Splits a caption's trailing credit ("… Photo: Jane Doe", "… (Credit: AP)")
// from the caption text. Returns false when there is no credit.
bool split_caption_credit(std::string_view text, std::string* caption, std::string* credit);

}  // namespace byline
