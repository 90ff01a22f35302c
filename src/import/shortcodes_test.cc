#include "import/shortcodes.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(ShortcodesTest, ParsesAttributesTheWordPressWay) {
  ShortcodeAttributes a = parse_shortcode_attributes(" id=\"a1\" Align='left' width=300 \"pos\"");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(shortcode_attribute(a, "id"), "a1");
  EXPECT_EQ(shortcode_attribute(a, "align"), "left");
  EXPECT_EQ(shortcode_attribute(a, "width"), "300");
  EXPECT_EQ(shortcode_attribute(a, "0"), "pos");
}

TEST(ShortcodesTest, CaptionBecomesFigure) {
  ShortcodeExpansion e = expand_shortcodes(
      "[caption id=\"attachment_1\" width=\"300\"]<img src=\"a.jpg\" alt=\"A\" /> The "
      "caption[/caption]",
      nullptr);
  EXPECT_EQ(e.html,
            "\n\n<figure><img src=\"a.jpg\" alt=\"A\" /><figcaption>The caption</figcaption>"
            "</figure>\n\n");
  EXPECT_TRUE(e.unknown.empty());
}

TEST(ShortcodesTest, OldCaptionAttribute) {
  ShortcodeExpansion e = expand_shortcodes(
      "[caption caption=\"Old style\"]<a href=\"b.jpg\"><img src=\"b.jpg\"></a>[/caption]",
      nullptr);
  EXPECT_EQ(e.html,
            "\n\n<figure><a href=\"b.jpg\"><img src=\"b.jpg\"></a><figcaption>Old style"
            "</figcaption></figure>\n\n");
}

TEST(ShortcodesTest, GalleryUsesResolver) {
  ShortcodeAttributes seen;
  ShortcodeExpansion e =
      expand_shortcodes("[gallery ids=\"1,2\"]", [&](const ShortcodeAttributes& a) {
        seen = a;
        return std::vector<GalleryImage>{{"x.jpg", "X", ""}, {"y.jpg", "Y", "Cap"}};
      });
  EXPECT_EQ(shortcode_attribute(seen, "ids"), "1,2");
  EXPECT_EQ(e.html,
            "\n\n<figure><img src=\"x.jpg\" alt=\"X\"></figure>\n\n"
            "\n\n<figure><img src=\"y.jpg\" alt=\"Y\"><figcaption>Cap</figcaption></figure>\n\n");
}

TEST(ShortcodesTest, UnknownShortcodesStayVisibleAndAreReported) {
  ShortcodeExpansion e = expand_shortcodes("a [contact-form to=\"x\"] b [contact-form] c", nullptr);
  EXPECT_EQ(e.html, "a [contact-form to=\"x\"] b [contact-form] c");
  ASSERT_EQ(e.unknown.size(), 1u);
  EXPECT_EQ(e.unknown[0], "contact-form");
}

TEST(ShortcodesTest, EscapedShortcodeIsLiteral) {
  ShortcodeExpansion e = expand_shortcodes("write [[caption]] like this", nullptr);
  EXPECT_EQ(e.html, "write [caption] like this");
}

TEST(ShortcodesTest, BracketsThatAreNotShortcodes) {
  ShortcodeExpansion e = expand_shortcodes("see [1] and [ note ] and a[i]", nullptr);
  EXPECT_EQ(e.html, "see [1] and [ note ] and a[i]");
  ASSERT_EQ(e.unknown.size(), 1u);  // [i] looks like one; WordPress would leave it as text too
}

TEST(ShortcodesTest, EmbedBecomesLink) {
  ShortcodeExpansion e = expand_shortcodes("[embed]https://youtu.be/x[/embed]", nullptr);
  EXPECT_EQ(e.html, "\n\n<p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>\n\n");
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(ShortcodesTest, AudioAndVideoTakeAPositionalUrlAndDecodeEntitiesOnce) {
  ShortcodeExpansion e = expand_shortcodes("[audio https://e.com/a.mp3]", nullptr);
  EXPECT_EQ(e.html, "\n\n<audio controls src=\"https://e.com/a.mp3\"></audio>\n\n");
  e = expand_shortcodes("[video mp4=\"https://e.com/v.mp4?a=1&amp;b=2\"][/video]", nullptr);
  EXPECT_EQ(e.html, "\n\n<video controls src=\"https://e.com/v.mp4?a=1&amp;b=2\"></video>\n\n");
  // No source at all: kept as typed, and listed.
  e = expand_shortcodes("[audio]", nullptr);
  EXPECT_EQ(e.html, "[audio]");
  EXPECT_EQ(e.unknown, std::vector<std::string>{"audio"});
}

TEST(ShortcodesTest, EmbedKeepsOneLevelOfEscaping) {
  ShortcodeExpansion e =
      expand_shortcodes("[embed]https://e.com/watch?x=1&amp;y=2[/embed]", nullptr);
  EXPECT_EQ(e.html,
            "\n\n<p><a href=\"https://e.com/watch?x=1&amp;y=2\">https://e.com/watch?x=1&amp;y=2"
            "</a></p>\n\n");
  e = expand_shortcodes("[embed width=\"500\"]https://www.youtube.com/watch?v=abc&amp;t=3[/embed]",
                        nullptr);
  EXPECT_EQ(e.html,
            "\n\n<p><a href=\"https://www.youtube.com/watch?v=abc&amp;t=3\">"
            "https://www.youtube.com/watch?v=abc&amp;t=3</a></p>\n\n");
}

TEST(ShortcodesTest, PlaylistIsAPlayerPerAttachment) {
  ShortcodeExpansion e =
      expand_shortcodes("[playlist ids=\"3,4\"]", [](const ShortcodeAttributes&) {
        return std::vector<GalleryImage>{{"https://e.com/1.mp3", "", ""},
                                         {"https://e.com/2.mp3", "", ""}};
      });
  EXPECT_EQ(e.html,
            "\n\n<audio controls src=\"https://e.com/1.mp3\"></audio>\n\n"
            "\n\n<audio controls src=\"https://e.com/2.mp3\"></audio>\n\n");
}

TEST(ShortcodesTest, WordPressComEmbeds) {
  ShortcodeExpansion e =
      expand_shortcodes("[youtube=https://www.youtube.com/watch?v=xyz123]", nullptr);
  EXPECT_EQ(e.html,
            "\n\n<p><a href=\"https://www.youtube.com/watch?v=xyz123\">"
            "https://www.youtube.com/watch?v=xyz123</a></p>\n\n");
  EXPECT_TRUE(e.unknown.empty());
  e = expand_shortcodes("[gist https://gist.github.com/me/abc]", nullptr);
  EXPECT_EQ(e.html,
            "\n\n<p><a href=\"https://gist.github.com/me/abc\">"
            "https://gist.github.com/me/abc</a></p>\n\n");
  e = expand_shortcodes("[tweet 20]", nullptr);
  EXPECT_NE(e.html.find("href=\"https://twitter.com/i/status/20\""), std::string::npos);
  e = expand_shortcodes("[googlemaps https://maps.google.com/maps?q=x&amp;z=3]", nullptr);
  EXPECT_NE(e.html.find("href=\"https://maps.google.com/maps?q=x&amp;z=3\""), std::string::npos)
      << e.html;
}

TEST(ShortcodesTest, SourcecodeIsACodeBlockInItsLanguage) {
  ShortcodeExpansion e = expand_shortcodes(
      "[sourcecode language=\"Python\"]\nif a &lt; b:<br />\n    print(\"x\")\n[/sourcecode]",
      nullptr);
  EXPECT_EQ(e.html,
            "\n\n<pre><code class=\"language-python\">if a &lt; b:\n    print(&#34;x&#34;)"
            "</code></pre>\n\n");
  e = expand_shortcodes("[code lang=\"js\"]let a = 1;[/code]", nullptr);
  EXPECT_EQ(e.html, "\n\n<pre><code class=\"language-js\">let a = 1;</code></pre>\n\n");
}

// An unclosed <a> around a caption's image is closed after the image: the
// caption stays a caption and the next paragraph is no link.
TEST(ShortcodesTest, CaptionWithUnclosedLink) {
  ShortcodeExpansion e = expand_shortcodes(
      "[caption width=\"300\"]<a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"A\" /> Cap[/caption]"
      "\n\nNext.",
      nullptr);
  EXPECT_EQ(e.html,
            "\n\n<figure><a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"A\" /></a><figcaption>Cap"
            "</figcaption></figure>\n\n\n\nNext.");
  e = expand_shortcodes(
      "[caption]<a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"A\" /> Cap</a>[/caption]", nullptr);
  EXPECT_EQ(e.html,
            "\n\n<figure><a href=\"big.jpg\"><img src=\"a.jpg\" alt=\"A\" /></a><figcaption>Cap"
            "</figcaption></figure>\n\n");
}

}  // namespace
}  // namespace byline
