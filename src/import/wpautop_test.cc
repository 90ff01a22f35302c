// Expected outputs are WordPress's documented wpautop results.
#include "import/wpautop.h"

#include <gtest/gtest.h>

#include <string>

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

// A run of comments stays one paragraph, each line ending in a line break.
TEST(WpautopTest, RunOfCommentLines) {
  std::string in, expected = "<p>";
  for (int i = 0; i < 2000; ++i) {
    in += "<!-- c -->\n";
    expected += i + 1 < 2000 ? "<!-- c --><br />\n" : "<!-- c --></p>\n";
  }
  EXPECT_EQ(wpautop(in), expected);
}

// The same comments on one line (and a long line of words): the spaces of
// a line without a newline are copied as they are.
TEST(WpautopTest, LongLinesWithoutNewlines) {
  std::string comments;
  for (int i = 0; i < 20000; ++i) comments += "<!-- c -->";
  EXPECT_EQ(wpautop(comments), "<p>" + comments + "</p>\n");

  std::string words;
  for (int i = 0; i < 20000; ++i) words += "word  ";
  EXPECT_EQ(wpautop(words + "\nend"),
            "<p>" + words.substr(0, words.size() - 2) + "<br />\nend</p>\n");
}

// <pre> blocks set aside are put back in one pass, as WordPress's
// replacements one after the other would: a writer's literal name of a
// later block inside an earlier one is replaced too, of an earlier one not.
TEST(WpautopTest, PreBlocksComeBackInOrder) {
  EXPECT_EQ(wpautop("<pre>a\n\nb</pre>\n\nx\n\n<pre>c\nd</pre>\ny"),
            "<pre>a\n\nb</pre>\n<p>x</p>\n<pre>c\nd</pre>\n<p>y</p>\n");
  EXPECT_EQ(wpautop("<pre>one<pre wp-pre-tag-1></pre>\n\n<pre>two</pre>"),
            "<pre>one<pre>two</pre>\n<pre>two</pre>\n");
  EXPECT_EQ(wpautop("<pre>one<pre wp-pre-tag-0></pre>\n\n<pre>two</pre>"),
            "<pre>one<pre wp-pre-tag-0></pre>\n<pre>two</pre>\n");
}

// Tags that never close: each search for their end is remembered while it
// is still ahead (fuzz/regressions bounds the time on 2 MB of them).
TEST(WpautopTest, UnclosedTagsFindTheNextClose) {
  EXPECT_EQ(wpautop("<script>a\nb\n<script>c\nd</script>\ne\nf"),
            "<p><script>a\nb\n<script>c\nd</script><br />\ne<br />\nf</p>\n");
  EXPECT_EQ(wpautop("<p><li>a\n<p><li>b</p>\nc"), "<li>a\n<li>b</p>\n<p>c</p>\n");
  EXPECT_EQ(wpautop("<divx\n<divx>\nz\n<br /><p\nq"),
            "<divx\n<divx>\nz<br />\n</p>\n<p\nq\n</p>\n");
  EXPECT_EQ(wpautop("<object><param\n<object>\n<param name=a>\n</object>"),
            "<p><object><param \n<object><param name=a></object></p>\n");
}

}  // namespace
}  // namespace byline
