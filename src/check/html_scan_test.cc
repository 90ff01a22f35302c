#include "check/html_scan.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

std::vector<std::pair<std::string, LinkKind>> links_of(std::string_view html) {
  HtmlScan scan;
  scan_html(html, &scan);
  std::vector<std::pair<std::string, LinkKind>> out;
  for (const HtmlLink& l : scan.links) out.push_back({l.url, l.kind});
  return out;
}

TEST(HtmlScan, FindsLinksOfEveryKind) {
  auto links = links_of(
      "<html><head><link rel=\"stylesheet\" href=\"/style.css\"><link rel='icon' href=/f.svg>"
      "<link rel=\"alternate\" href=\"/rss.xml\"><link rel=preconnect href=https://x.example>"
      "<script src=\"/a.js\"></script></head><body>"
      "<A HREF=\"/about/\">x</A><img src=\"a.png\" srcset=\"b.png 2x, c.png 3x\">"
      "<picture><source srcset=\"d.webp\"></picture><video src=v.mp4 poster=p.jpg>"
      "<source src=\"e.mp4\"></video><iframe src=\"/embed/\"></iframe>"
      "<meta http-equiv=\"refresh\" content=\"0; url=/new/\"></body></html>");
  std::vector<std::pair<std::string, LinkKind>> want = {
      {"/style.css", LinkKind::kStylesheet}, {"/f.svg", LinkKind::kImage},
      {"/rss.xml", LinkKind::kLink},         {"/a.js", LinkKind::kScript},
      {"/about/", LinkKind::kLink},          {"a.png", LinkKind::kImage},
      {"b.png", LinkKind::kImage},           {"c.png", LinkKind::kImage},
      {"d.webp", LinkKind::kImage},          {"v.mp4", LinkKind::kMedia},
      {"p.jpg", LinkKind::kImage},           {"e.mp4", LinkKind::kMedia},
      {"/embed/", LinkKind::kMedia},         {"/new/", LinkKind::kRefresh},
  };
  EXPECT_EQ(links, want);
}

TEST(HtmlScan, SkipsCommentsScriptsAndStyles) {
  auto links = links_of(
      "<!-- <a href=\"/in-comment/\"> --><script>var s = '<a href=\"/in-script/\">';</script>"
      "<style>a[href=\"/x\"] {}</style><textarea><a href=\"/t/\"></textarea>"
      "<p>&lt;a href=\"/escaped/\"&gt;</p><a href=\"/real/\">r</a>");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].first, "/real/");
}

TEST(HtmlScan, DecodesEntitiesAndKeepsOffsets) {
  std::string html = "<p>\n<a href=\" /q?a=1&amp;b=2#x&#39;y \">q</a>";
  HtmlScan scan;
  scan_html(html, &scan);
  ASSERT_EQ(scan.links.size(), 1u);
  EXPECT_EQ(scan.links[0].url, "/q?a=1&b=2#x'y");
  EXPECT_EQ(html.substr(scan.links[0].offset, 3), " /q");
}

TEST(HtmlScan, CollectsIdsAndAnchorNames) {
  HtmlScan scan;
  scan_html("<h2 id=\"a-heading\">x</h2><a name=\"old\"></a><div id=x&amp;y data-id=\"no\">",
            &scan);
  EXPECT_EQ(scan.ids, (std::vector<std::string>{"a-heading", "old", "x&y"}));
}

TEST(HtmlScan, UnclosedTagsAndValuesDoNotRunAway) {
  auto links = links_of("<a href=\"/a/\"><img src=\"/b.png");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[1].first, "/b.png");
  EXPECT_TRUE(links_of("<a href").size() == 1u);
  EXPECT_TRUE(links_of("<").empty());
}

TEST(HtmlScan, SrcsetWithoutDescriptors) {
  EXPECT_EQ(srcset_urls("a.jpg, b.jpg 2x , c.jpg 100w"),
            (std::vector<std::string_view>{"a.jpg", "b.jpg", "c.jpg"}));
  EXPECT_EQ(srcset_urls("a.jpg, b.jpg,c.jpg 2x"),
            (std::vector<std::string_view>{"a.jpg", "b.jpg,c.jpg"}));  // as the HTML spec reads it
}

TEST(HtmlScan, DecodeEntities) {
  EXPECT_EQ(decode_entities("a&amp;b&lt;&#x2F;&#47;&unknown;&"), "a&b</\x2F&unknown;&");
}

}  // namespace
}  // namespace byline
