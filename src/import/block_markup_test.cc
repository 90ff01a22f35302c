#include "import/block_markup.h"

#include <gtest/gtest.h>

#include "import/autoembed.h"

namespace byline {
namespace {

TEST(BlockMarkupTest, StripsBlockCommentsKeepsHtml) {
  std::string in =
      "<!-- wp:paragraph {\"a\":\"--\"} -->\n<p>x</p>\n<!-- /wp:paragraph -->\n"
      "<!-- wp:latest-posts /-->\n<!-- a normal comment -->";
  EXPECT_TRUE(has_block_markup(in));
  EXPECT_EQ(strip_block_comments(in), "\n<p>x</p>\n\n\n<!-- a normal comment -->");
  EXPECT_FALSE(has_block_markup("<p>classic</p>"));
}

TEST(AutoembedTest, LinksUrlsAloneOnTheirLine) {
  EXPECT_EQ(
      link_standalone_urls("see\n  https://youtu.be/x \nand https://a.b/ inline"),
      "see\n  <a href=\"https://youtu.be/x\">https://youtu.be/x</a> \nand https://a.b/ inline");
  EXPECT_EQ(link_standalone_urls("<pre>\nhttps://x.y/\n</pre>"), "<pre>\nhttps://x.y/\n</pre>");
}

}  // namespace
}  // namespace byline
