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
