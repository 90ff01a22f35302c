#include "render/search_outputs.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(SearchText, HtmlToTextCollapsesSpaceAndDropsTags) {
  // Runs of spaces and line ends are one space, wherever the run starts
  // (in plain text, after a tag, after a reference); block tags leave a
  // space (a leading one too), inline ones none; none trails.
  EXPECT_EQ(html_to_text("<p>One  two\n\n three</p><p>four</p>"), " One two three four");
  EXPECT_EQ(html_to_text(" a \t b  <em>c</em>d&amp;  e&nbsp; f  "), " a b cd& e f");
  EXPECT_EQ(html_to_text("x<br>  <br>y"), "x y");
  EXPECT_EQ(html_to_text("a<script>var s = 1;</script>b<style>p{}</style> c"), "a b c");
  EXPECT_EQ(html_to_text("caf&#233;  &#233;t&#xE9;"), "café été");
  EXPECT_EQ(html_to_text("   "), "");
  EXPECT_EQ(html_to_text("a < b"), "a");
}

}  // namespace
}  // namespace byline
