#include "render/feeds.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

SiteConfig config() {
  SiteConfig c;
  c.title = "T";
  c.base_url = "https://example.org/blog/";
  return c;
}

TEST(AbsolutizeLinks, RewritesRootRelativeOnly) {
  SiteConfig c = config();
  EXPECT_EQ(
      absolutize_links("<a href=\"/x/\">x</a> <img src=\"/i.jpg\" alt=\"\"> "
                       "<a href=\"//cdn.example/y\">y</a> <a href=\"https://o.example/\">o</a> "
                       "<a href=\"#fn-1\">1</a> <a data-href=\"/no\">n</a>",
                       c),
      "<a href=\"https://example.org/blog/x/\">x</a> <img "
      "src=\"https://example.org/blog/i.jpg\" alt=\"\"> <a href=\"//cdn.example/y\">y</a> "
      "<a href=\"https://o.example/\">o</a> <a href=\"#fn-1\">1</a> <a "
      "data-href=\"/no\">n</a>");
}

TEST(AbsolutizeLinks, PageRelativeAgainstThePage) {
  SiteConfig c = config();
  EXPECT_EQ(
      absolutize_links("<img src=\"chart.svg\" alt=\"c\"> <a href=\"mailto:a@b.example\">m</a> "
                       "<a href=\"../x/\">x</a>",
                       c, "/2020/05/bundle/"),
      "<img src=\"https://example.org/blog/2020/05/bundle/chart.svg\" alt=\"c\"> <a "
      "href=\"mailto:a@b.example\">m</a> <a "
      "href=\"https://example.org/blog/2020/05/bundle/../x/\">x</a>");
}

TEST(XmlEscape, EscapesMarkupAndQuotesAndDropsControlCharacters) {
  std::string out;
  append_xml_escaped(out, "a<b>&\"c'\x01\td");
  EXPECT_EQ(out, "a&lt;b&gt;&amp;&quot;c&apos;\td");
}

TEST(PercentEncodeUrl, EncodesNonAscii) {
  EXPECT_EQ(percent_encode_url("https://e.org/tag/россия/?a=b c"),
            "https://e.org/tag/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/?a=b%20c");
}

TEST(Sitemap, SplitsIntoAnIndexPastTheLimit) {
  SiteConfig c = config();
  Site site;
  site.config = &c;
  std::vector<SitemapEntry> entries = {{"/a/", nullptr}, {"/b/", nullptr}, {"/c/", nullptr}};
  auto one = render_sitemaps(site, entries, 3);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].first, "sitemap.xml");
  EXPECT_NE(one[0].second.find("<loc>https://example.org/blog/c/</loc>"), std::string::npos);

  auto split = render_sitemaps(site, entries, 2);
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].first, "sitemap.xml");
  EXPECT_NE(split[0].second.find("<sitemapindex"), std::string::npos);
  EXPECT_NE(split[0].second.find("<loc>https://example.org/blog/sitemap-2.xml</loc>"),
            std::string::npos);
  EXPECT_EQ(split[1].first, "sitemap-1.xml");
  EXPECT_NE(split[1].second.find("/a/"), std::string::npos);
  EXPECT_NE(split[1].second.find("/b/"), std::string::npos);
  EXPECT_EQ(split[2].first, "sitemap-2.xml");
  EXPECT_NE(split[2].second.find("/c/"), std::string::npos);
  EXPECT_EQ(split[2].second.find("/a/"), std::string::npos);
}

}  // namespace
}  // namespace byline
