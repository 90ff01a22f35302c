#include "import/html_to_markdown.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

std::string md(std::string_view html) { return html_to_markdown(html).markdown; }

TEST(HtmlToMarkdownTest, ParagraphsAndInline) {
  EXPECT_EQ(md("<p>Hello <strong>bold</strong> and <em>it</em>.</p>\n<p>Two<br />\nlines</p>"),
            "Hello **bold** and *it*.\n\nTwo\\\nlines");
}

// [sourcecode language="python"] arrives as <pre><code class="language-python">.
TEST(HtmlToMarkdownTest, CodeBlockKeepsItsLanguage) {
  EXPECT_EQ(md("<pre><code class=\"language-python\">if a &lt; b:\n    print(\"x\")</code></pre>"),
            "```python\nif a < b:\n    print(\"x\")\n```");
  EXPECT_EQ(md("<pre><code>plain</code></pre>"), "```\nplain\n```");
}

// A line opening with "<!--" starts a raw HTML block in Markdown: the
// comment moves out of the way so the paragraph stays Markdown.
TEST(HtmlToMarkdownTest, ParagraphStartingWithACommentStaysMarkdown) {
  EXPECT_EQ(md("<p><!-- note -->Para with <em>emph</em></p>"), "Para with *emph*<!-- note -->");
  EXPECT_EQ(md("<p>One<br />\n<!-- x --><br />\nTwo</p>"), "One<!-- x -->\\\nTwo");
  EXPECT_EQ(md("<p><!-- alone --></p><p>Next</p>"), "<!-- alone -->\n\nNext");
}

// Markdown's autolinks would link a typed address; WordPress did not.
TEST(HtmlToMarkdownTest, PlainEmailAddressesStayText) {
  EXPECT_EQ(md("<p>Mail jane@example.com or <a href=\"mailto:bob@example.com\">Bob</a> @home</p>"),
            "Mail jane\\@example.com or [Bob](mailto:bob@example.com) @home");
}

TEST(HtmlToMarkdownTest, EscapesMarkdownInText) {
  EXPECT_EQ(md("<p>a*b [c] snake_case _x_ &amp;copy; C:\\dir</p>"),
            "a\\*b \\[c\\] snake_case \\_x\\_ \\&copy; C:\\\\dir");
  EXPECT_EQ(md("<p># not a heading</p><p>1. not a list</p>"),
            "\\# not a heading\n\n1\\. not a list");
}

TEST(HtmlToMarkdownTest, LinksImagesAndRewriting) {
  HtmlToMarkdownOptions o;
  o.rewrite_url = [](std::string_view u) { return "/new" + std::string(u); };
  EXPECT_EQ(html_to_markdown("<p><a href=\"/x\" title=\"T\">go</a> <img src=\"/i.jpg\" alt=\"I\" "
                             "title=\"tooltip\"></p>",
                             o)
                .markdown,
            "[go](/new/x \"T\") ![I](/new/i.jpg)");
}

TEST(HtmlToMarkdownTest, FigureWithCaptionAndCredit) {
  EXPECT_EQ(md("<figure><a href=\"a.jpg\"><img src=\"a.jpg\" alt=\"Bell\"></a><figcaption>Bell on "
               "a wharf. Photo: Jane Doe</figcaption></figure>"),
            "![Bell](a.jpg \"Bell on a wharf. | Photo: Jane Doe\")");
  // [caption]<a href="full.jpg"><img src="a-300x200.jpg"></a>[/caption]: the
  // link to the full-size image stays.
  EXPECT_EQ(md("<figure><a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"Bell\"></a><figcaption>Bell"
               "</figcaption></figure>"),
            "<figure><a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"Bell\"></a><figcaption>Bell"
            "</figcaption></figure>");
  EXPECT_EQ(md("<figure><img src=\"a.jpg\" alt=\"\"></figure>"), "![](a.jpg)");
}

TEST(HtmlToMarkdownTest, CaptionWithMarkupStaysHtml) {
  EXPECT_EQ(md("<figure><img src=\"a.jpg\" alt=\"Bell\"><figcaption>Bell by <a "
               "href=\"https://x.example/\">Jane</a>, <em>1999</em></figcaption></figure>"),
            "<figure><img src=\"a.jpg\" alt=\"Bell\"><figcaption>Bell by <a "
            "href=\"https://x.example/\">Jane</a>, <em>1999</em></figcaption></figure>");
}

TEST(HtmlToMarkdownTest, RewritesUrlsInInlineStyles) {
  HtmlToMarkdownOptions o;
  o.rewrite_url = [](std::string_view u) { return "/new" + std::string(u); };
  EXPECT_EQ(html_to_markdown("<div class=\"wp-block-cover\" style=\"background-image:url('/a.jpg');"
                             "color:red\"><p>x</p></div>",
                             o)
                .markdown,
            "<div class=\"wp-block-cover\" style=\"background-image:url(&#39;/new/a.jpg&#39;);"
            "color:red\"><p>x</p></div>");
}

// CSS keywords ignore case (URL('…') in the importer's e2e CSS export), and
// a figure with a style of its own (a background image) stays HTML rather
// than becoming a Markdown image that would drop it.
TEST(HtmlToMarkdownTest, UppercaseCssUrlAndStyledFigures) {
  HtmlToMarkdownOptions o;
  o.rewrite_url = [](std::string_view u) { return "/new" + std::string(u); };
  std::string out = html_to_markdown("<p style=\"background: URL('/B.JPG')\">x</p>", o).markdown;
  EXPECT_NE(out.find("URL(&#39;/new/B.JPG&#39;)"), std::string::npos) << out;
  out = html_to_markdown(
            "<figure class=\"wp-block-image\" style=\"background: url('/bg.jpg')\">"
            "<img src=\"/i.jpg\" alt=\"I\" /></figure>",
            o)
            .markdown;
  EXPECT_NE(out.find("url(&#39;/new/bg.jpg&#39;)"), std::string::npos) << out;
  EXPECT_NE(out.find("src=\"/new/i.jpg\""), std::string::npos) << out;
  // Without a style the same figure is a Markdown image.
  EXPECT_EQ(html_to_markdown("<figure><img src=\"/i.jpg\" alt=\"I\" /></figure>", o).markdown,
            "![I](/new/i.jpg)");
}

TEST(HtmlToMarkdownTest, EmbedsInsideParagraphsStayWhole) {
  // wpautop wraps a lone <iframe> in <p>; the player must survive.
  EXPECT_EQ(md("<p><iframe src=\"https://player.example/x\" width=\"560\"></iframe></p>"),
            "<iframe src=\"https://player.example/x\" width=\"560\"></iframe>");
  EXPECT_EQ(md("<p>Watch: <video src=\"/v.mp4\" controls></video></p>"),
            "Watch: <video src=\"/v.mp4\" controls=\"\"></video>");
  EXPECT_EQ(md("<p><script>alert(1)</script></p>"), "<script>alert(1)</script>");
}

TEST(HtmlToMarkdownTest, NestedLists) {
  EXPECT_EQ(md("<ol><li>one<ul><li>a</li><li>b</li></ul></li><li>two</li></ol>"),
            "1. one\n   - a\n   - b\n2. two");
}

TEST(HtmlToMarkdownTest, BlockquoteHeadingCode) {
  EXPECT_EQ(md("<h2>Title</h2><blockquote><p>q1</p><p>q2</p></blockquote><pre><code>x = "
               "1;\n\ny</code></pre>"),
            "## Title\n\n> q1\n>\n> q2\n\n```\nx = 1;\n\ny\n```");
  EXPECT_EQ(md("<p>use <code>a`b</code></p>"), "use ``a`b``");
}

TEST(HtmlToMarkdownTest, UnfaithfulHtmlStaysHtml) {
  EXPECT_EQ(md("<table class=\"x\"><tr><td>a</td></tr></table>"),
            "<table class=\"x\"><tbody><tr><td>a</td></tr></tbody></table>");
  EXPECT_EQ(md("<iframe src=\"https://v.example/1\"></iframe>"),
            "<iframe src=\"https://v.example/1\"></iframe>");
  EXPECT_EQ(md("<p style=\"text-align:center\">c</p>"), "<p style=\"text-align:center\">c</p>");
  // No blank line may appear inside an HTML block.
  EXPECT_EQ(md("<div class=\"c\">a\n\n\nb<pre>x\n\ny</pre></div>"),
            "<div class=\"c\">a\nb<pre>x&#10;&#10;y</pre></div>");
}

TEST(HtmlToMarkdownTest, BlockEditorClassesAreNotPresentation) {
  EXPECT_EQ(md("<h2 class=\"wp-block-heading\">H</h2><ul class=\"wp-block-list\"><li>x</li></ul>"),
            "## H\n\n- x");
}

TEST(HtmlToMarkdownTest, ReportsMisnestedHtml) {
  MarkdownConversion c = html_to_markdown("<p><b>bold <i>both</b> italic</i></p>");
  EXPECT_FALSE(c.problems.empty());
  EXPECT_TRUE(html_to_markdown("<p>fine <b>bold</b></p>").problems.empty());
}

TEST(HtmlToMarkdownTest, MoreTagAndComments) {
  EXPECT_EQ(md("<p>intro</p>\n<!--more-->\n<p>rest</p>"), "intro\n\n<!--more-->\n\nrest");
}

TEST(CaptionCreditTest, Splits) {
  std::string caption, credit;
  ASSERT_TRUE(split_caption_credit("A boat (Photo: AP)", &caption, &credit));
  EXPECT_EQ(caption, "A boat");
  EXPECT_EQ(credit, "Photo: AP");
  EXPECT_FALSE(split_caption_credit("Just a caption", &caption, &credit));
  EXPECT_FALSE(split_caption_credit("Photo: only a credit", &caption, &credit));
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(HtmlToPlainTextTest, DropsTagsDecodesEntities) {
  EXPECT_EQ(html_to_plain_text("<p>Ships &amp; <em>boats</em>\n at&nbsp;dawn</p>"),
            "Ships & boats at\xC2\xA0"
            "dawn");
  EXPECT_EQ(html_to_plain_text("  plain   text "), "plain text");
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(HtmlToMarkdownTest, StyledPreKeepsNewlinesAsABlock) {
  EXPECT_EQ(html_to_markdown("<pre><cite>Poet</cite>\n\nline one\n\nline two</pre>").markdown,
            "<pre><cite>Poet</cite>\n\nline one\n\nline two</pre>");
  EXPECT_EQ(html_to_markdown("<pre class=\"x\">\n\nlead</pre>").markdown,
            "<pre class=\"x\">\n\nlead</pre>");
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(HtmlToMarkdownTest, PlainTablesBecomeGfmTables) {
  EXPECT_EQ(html_to_markdown("<table><thead><tr><th>Name</th><th>Pay</th></tr></thead>"
                             "<tbody><tr><td><b>Jo</b></td><td>a|b</td></tr><tr><td>Al</td></tr>"
                             "</tbody></table>")
                .markdown,
            "| Name | Pay |\n| --- | --- |\n| **Jo** | a\\|b |\n| Al |  |");
  // Row headers in the body, or a line break in a cell: kept as HTML.
  EXPECT_EQ(html_to_markdown("<table><tr><th>a</th></tr><tr><th>b</th></tr></table>").markdown,
            "<table><tbody><tr><th>a</th></tr><tr><th>b</th></tr></tbody></table>");
}

}  // namespace
}  // namespace byline
