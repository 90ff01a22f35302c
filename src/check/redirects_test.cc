#include "check/redirects.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(Redirects, ByteForByteAliasesAndQueries) {
  Redirects r;
  DiagnosticSink sink;
  r.parse(
      "# comment\n"
      "/old/ /new/ 301\n"
      "/ p=19 /2008/09/post/ 301!\n"
      "/greek/%CE%B5/ /greek/e/ 301\n"
      "\n",
      "_redirects", &sink);
  EXPECT_FALSE(sink.has_errors());
  ASSERT_EQ(r.rules().size(), 3u);
  EXPECT_TRUE(r.rules()[1].force);
  EXPECT_EQ(r.match("/old/", ""), "/new/");
  EXPECT_EQ(r.match("/old", ""), "/new/");  // one path to Netlify, with or without '/'
  EXPECT_EQ(r.match("/", "p=19"), "/2008/09/post/");
  EXPECT_EQ(r.match("/", "x=1&p=19"), "/2008/09/post/");
  EXPECT_EQ(r.match("/", "p=20"), std::nullopt);
  EXPECT_EQ(r.match("/", ""), std::nullopt);
  EXPECT_EQ(r.match("/greek/\xCE\xB5/", ""), "/greek/e/");
  EXPECT_EQ(r.match("/older/", ""), std::nullopt);
}

TEST(Redirects, SplatsAndPlaceholders) {
  Redirects r;
  r.parse(
      "/news/* /blog/:splat\n"
      "/:year/:month/:slug /posts/:slug/ 302\n"
      "/store id=:id /item/:id/\n",
      "_redirects", nullptr);
  EXPECT_EQ(r.match("/news/2019/x/", ""), "/blog/2019/x/");
  EXPECT_EQ(r.match("/2019/08/x", ""), "/posts/x/");
  EXPECT_EQ(r.rules()[1].status, 302);
  EXPECT_EQ(r.match("/store", "id=7"), "/item/7/");
  EXPECT_EQ(r.match("/2019/08", ""), std::nullopt);
}

TEST(Redirects, BadLinesAreWarnedAboutWithTheirLine) {
  Redirects r;
  DiagnosticSink sink;
  r.parse("/ok/ /fine/\nnot-a-path /x/\n/a b c /d/\n", "public/_redirects", &sink);
  EXPECT_EQ(r.rules().size(), 1u);
  std::string all = sink.format_all();
  EXPECT_NE(all.find("public/_redirects:2:1: warning: not a redirect rule"), std::string::npos)
      << all;
  EXPECT_NE(all.find("public/_redirects:3:1: warning"), std::string::npos) << all;
}

}  // namespace
}  // namespace byline
