// Expected outputs are WordPress's documented wpautop results.
#include "import/wpautop.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(WpautopTest, BlankLineMakesParagraphs) {
  EXPECT_EQ(wpautop("first paragraph\n\nsecond paragraph"),
            "<p>first paragraph</p>\n<p>second paragraph</p>\n");
}

TEST(WpautopTest, SingleNewlineBecomesBr) {
  EXPECT_EQ(wpautop("line one\nline two"), "<p>line one<br />\nline two</p>\n");
}

TEST(WpautopTest, EmptyInputGivesNothing) {
  EXPECT_EQ(wpautop(""), "");
  EXPECT_EQ(wpautop("  \n\t\n"), "");
}

TEST(WpautopTest, PreIsLeftAlone) {
  EXPECT_EQ(wpautop("Code:\n\n<pre>a\n\nb\nc</pre>\n\nafter"),
            "<p>Code:</p>\n<pre>a\n\nb\nc</pre>\n<p>after</p>\n");
}

TEST(WpautopTest, BlockTagsAreNotWrapped) {
  EXPECT_EQ(wpautop("<div>x</div>"), "<div>x</div>\n");
  EXPECT_EQ(wpautop("text\n<blockquote>quoted</blockquote>\nmore"),
            "<p>text</p>\n<blockquote><p>quoted</p></blockquote>\n<p>more</p>\n");
}

TEST(WpautopTest, ListItemsGetNoParagraphsOrBreaks) {
  EXPECT_EQ(wpautop("<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
}

TEST(WpautopTest, NewlinesInsideTagsDoNotSplitParagraphs) {
  EXPECT_EQ(wpautop("<a\n\nhref=\"x\">link</a> text"), "<p><a\n\nhref=\"x\">link</a> text</p>\n");
}

TEST(WpautopTest, DoubleBrIsAParagraphBreak) {
  EXPECT_EQ(wpautop("one<br /><br />two"), "<p>one</p>\n<p>two</p>\n");
}

TEST(WpautopTest, WithoutBrNewlinesStay) { EXPECT_EQ(wpautop("a\nb", false), "<p>a\nb</p>\n"); }

TEST(WpautopTest, ScriptKeepsItsNewlines) {
  EXPECT_EQ(wpautop("<script>var a;\nvar b;</script>"), "<p><script>var a;\nvar b;</script></p>\n");
}

TEST(WpautopTest, HeadingsAndHrStandAlone) {
  EXPECT_EQ(wpautop("<h2>Title</h2>\ntext\n<hr />\nend"),
            "<h2>Title</h2>\n<p>text</p>\n<hr />\n<p>end</p>\n");
}

}  // namespace
}  // namespace byline
