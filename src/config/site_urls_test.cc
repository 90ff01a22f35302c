#include "config/site_urls.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(SiteUrls, SplitsTheBaseUrlOnce) {
  SiteUrls u("https://example.org/blog");
  EXPECT_EQ(u.base_url(), "https://example.org/blog/");
  EXPECT_EQ(u.base_path(), "/blog/");
  EXPECT_FALSE(u.at_root());

  SiteUrls root("http://127.0.0.1:1313/");
  EXPECT_EQ(root.base_path(), "/");
  EXPECT_TRUE(root.at_root());

  SiteUrls host_only("https://example.org");
  EXPECT_EQ(host_only.base_url(), "https://example.org/");
  EXPECT_EQ(host_only.base_path(), "/");

  SiteUrls path_only("/docs/");
  EXPECT_EQ(path_only.base_url(), "/docs/");
  EXPECT_EQ(path_only.base_path(), "/docs/");

  SiteUrls none;
  EXPECT_EQ(none.base_url(), "/");
  EXPECT_TRUE(none.at_root());
}

TEST(SiteUrls, JoinsSitePaths) {
  SiteUrls u("https://example.org/blog/");
  EXPECT_EQ(u.relative("/2019/08/x/"), "/blog/2019/08/x/");
  EXPECT_EQ(u.relative("tag/"), "/blog/tag/");
  EXPECT_EQ(u.relative("/"), "/blog/");
  EXPECT_EQ(u.relative(""), "/blog/");
  EXPECT_EQ(u.absolute("/2019/08/x/"), "https://example.org/blog/2019/08/x/");
  EXPECT_EQ(u.absolute("/rss.xml"), "https://example.org/blog/rss.xml");
  EXPECT_EQ(SiteUrls("/docs/").absolute("/a/"), "/docs/a/");
}

TEST(SiteUrls, LeavesAbsoluteUrlsAlone) {
  SiteUrls u("https://example.org/blog/");
  for (const char* url : {"https://other.org/x", "http://other.org/", "//cdn.example/x.js",
                          "mailto:me@example.org"}) {
    EXPECT_TRUE(SiteUrls::is_absolute(url)) << url;
    EXPECT_EQ(u.relative(url), url);
    EXPECT_EQ(u.absolute(url), url);
  }
  EXPECT_FALSE(SiteUrls::is_absolute("/x"));
  EXPECT_FALSE(SiteUrls::is_absolute("x.html"));
}

}  // namespace
}  // namespace byline
