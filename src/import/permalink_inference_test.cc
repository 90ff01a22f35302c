#include "import/permalink_inference.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(PermalinkInferenceTest, PatternOfOnePost) {
  EXPECT_EQ(permalink_pattern_of({"/2019/08/01/hello/", 2019, 8, 1, "hello"}),
            "/:year/:month/:day/:slug/");
  EXPECT_EQ(permalink_pattern_of({"/blog/2019/08/hello/", 2019, 8, 1, "hello"}),
            "/blog/:year/:month/:slug/");
  EXPECT_EQ(permalink_pattern_of({"/hello", 2019, 8, 1, "hello"}), "/:slug");
  EXPECT_EQ(permalink_pattern_of({"/?p=3", 2019, 8, 1, "hello"}), "");
  EXPECT_EQ(permalink_pattern_of({"/2019/08/01/other/", 2019, 8, 1, "hello"}), "");
}

TEST(PermalinkInferenceTest, MajorityWins) {
  std::vector<PermalinkSample> s = {{"/2019/08/01/a/", 2019, 8, 1, "a"},
                                    {"/2020/01/02/b/", 2020, 1, 2, "b"},
                                    {"/c/", 2021, 3, 4, "c"}};
  EXPECT_EQ(infer_permalink_pattern(s), "/:year/:month/:day/:slug/");
  EXPECT_EQ(infer_permalink_pattern({}, "/:slug/"), "/:slug/");
}

TEST(PermalinkInferenceTest, Expand) {
  EXPECT_EQ(expand_permalink("/:year/:month/:day/:slug/", {"", 2011, 7, 9, "é"}), "/2011/07/09/é/");
}

TEST(PermalinkInferenceTest, PercentDecode) {
  EXPECT_EQ(percent_decode("%ce%b5%cf%80"), "επ");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%ff"), "%ff");  // not UTF-8: kept as written
}

TEST(PermalinkInferenceTest, SiteRelativePath) {
  std::string p;
  ASSERT_TRUE(site_relative_path("http://www.e.com/blog/x/%C3%A9/", "https://e.com/blog/", &p));
  EXPECT_EQ(p, "/x/é/");
  ASSERT_TRUE(site_relative_path("https://e.com/?p=12#c", "https://e.com", &p));
  EXPECT_EQ(p, "/?p=12#c");
  EXPECT_FALSE(site_relative_path("https://e.community/x", "https://e.com", &p));
  EXPECT_FALSE(site_relative_path("https://other.com/x", "https://e.com", &p));
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

// The slugs WordPress makes (sanitize_title_with_dashes), checked against
// the archive URLs real exports link.
TEST(PermalinkInferenceTest, SanitizeTitleFollowsWordPress) {
  EXPECT_EQ(sanitize_title("Company News"), "company-news");
  EXPECT_EQ(sanitize_title("company-news"), "company-news");
  EXPECT_EQ(sanitize_title("../../etc"), "etc");
  EXPECT_EQ(sanitize_title("%2e%2e%2fetc"), "etc");
  EXPECT_EQ(sanitize_title("  Hello,  World! "), "hello-world");
  EXPECT_EQ(sanitize_title("v1.2_final"), "v1-2_final");
  EXPECT_EQ(sanitize_title("<b>Bold</b> &amp; Co"), "bold-co");
  EXPECT_EQ(sanitize_title("%e6%97%a5%e6%9c%ac"), "日本");
  EXPECT_EQ(sanitize_title("--a--b--"), "a-b");
  EXPECT_EQ(sanitize_title(".."), "");
}

}  // namespace
}  // namespace byline
