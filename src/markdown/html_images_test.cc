#include "markdown/html_images.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(HtmlImages, FindsTagsWithTheirAttributesAsWritten) {
  std::string_view html =
      "<p>A <IMG SRC='/a.jpg?x=1&amp;y=2' class=\"alignleft wp-image-5\" alt=\"Tom &amp; Jerry\" "
      "data-id=7 hidden/> and <img src=\"b.png\"></p><imgx src=c><!-- <img src=d> -->";
  std::vector<HtmlImgTag> tags = find_img_tags(html);
  ASSERT_EQ(tags.size(), 2u);
  const HtmlImgTag& a = tags[0];
  EXPECT_EQ(html.substr(a.begin, 4), "<IMG");
  EXPECT_EQ(html.substr(a.end - 2, 2), "/>");
  ASSERT_EQ(a.attributes.size(), 5u);
  EXPECT_EQ(a.attributes[0].name, "src");
  EXPECT_EQ(*a.attributes[0].value, "/a.jpg?x=1&y=2");
  EXPECT_EQ(a.attributes[0].text, "SRC='/a.jpg?x=1&amp;y=2'");
  EXPECT_EQ(a.find("class")->text, "class=\"alignleft wp-image-5\"");
  EXPECT_EQ(*a.find("alt")->value, "Tom & Jerry");
  EXPECT_EQ(*a.find("data-id")->value, "7");
  EXPECT_FALSE(a.find("hidden")->value);
  EXPECT_EQ(a.find("title"), nullptr);
  EXPECT_EQ(*tags[1].find("src")->value, "b.png");
  EXPECT_EQ(html.substr(tags[1].begin, tags[1].end - tags[1].begin), "<img src=\"b.png\">");
}

TEST(HtmlImages, ATagCutShortEndsTheSearch) {
  EXPECT_TRUE(find_img_tags("<img src=\"a.jpg").empty());
  EXPECT_TRUE(find_img_tags("<img src=\"a.jpg\" alt='x").empty());
  EXPECT_EQ(find_img_tags("<img src=a.jpg><img src=").size(), 1u);
  EXPECT_EQ(find_img_tags("<img src=a.jpg src=b.jpg>")[0].attributes.size(), 1u);
  EXPECT_EQ(*find_img_tags("<img\nsrc = \"a.jpg\"\n>")[0].find("src")->value, "a.jpg");
}

}  // namespace
}  // namespace byline
