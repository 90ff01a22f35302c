// Smart punctuation outside Markdown (base/smart_punctuation.h) agrees with
// the Markdown stage's, so a title reads as the same text in a body would.
#include "base/smart_punctuation.h"

#include <gtest/gtest.h>

#include "markdown/markdown.h"

namespace byline {
namespace {

// Titles must read as the same text would in a body: every case agrees
// with the Markdown stage's own smart punctuation.
TEST(SmartPunctuation, AgreesWithTheMarkdownStage) {
  MarkdownOptions options;
  options.smart_punctuation = true;
  for (const char* title : {
           "\"Quoted\" title",
           "A 'single' quote and an apostrophe's",
           "'Tis the 'season'",
           "He said \"she said 'no'\"",
           "Nested \"quotes 'inside' here\" end",
           "Trailing quote\"",
           "\"Leading quote",
           "Dashes -- and --- and ---- and ----- and ------- and a-b",
           "Ellipsis... and .... dots",
           "Rock 'n' roll",
           "The '90s and the 2000s",
           "Kyiv's \"new\" normal -- (and 'old')",
           "\"Why?\" she asked.",
           "(\"Parenthesised\")",
           "Ends with an apostrophe: the writers'",
       }) {
    EXPECT_EQ(smart_punctuation(title), render_markdown_inline(title, options)) << title;
  }
}

}  // namespace
}  // namespace byline
