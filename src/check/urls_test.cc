#include "check/urls.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(CheckUrls, Split) {
  UrlParts p = split_url("https://Example.org:8080/a/b?x=1#frag");
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.authority, "Example.org:8080");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "x=1");
  EXPECT_EQ(p.fragment, "frag");
  EXPECT_TRUE(p.has_fragment);
  UrlParts rel = split_url("../x/?q#");
  EXPECT_TRUE(rel.scheme.empty());
  EXPECT_EQ(rel.path, "../x/");
  EXPECT_TRUE(rel.has_fragment);
  EXPECT_EQ(split_url("mailto:a@b").scheme, "mailto");
  EXPECT_EQ(split_url("//cdn.example/x.js").authority, "cdn.example");
  EXPECT_EQ(split_url("a:b/c").scheme, "a");  // a scheme, as a browser reads it
  EXPECT_TRUE(split_url("./a:b").scheme.empty());
}

TEST(CheckUrls, JoinPath) {
  EXPECT_EQ(join_url_path("/2019/08/post/", "img.png"), "/2019/08/post/img.png");
  EXPECT_EQ(join_url_path("/2019/08/post/", "../"), "/2019/08/");
  EXPECT_EQ(join_url_path("/2019/08/post/", "../../../../x"), "/x");
  EXPECT_EQ(join_url_path("/a/", "./b/./c/"), "/a/b/c/");
  EXPECT_EQ(join_url_path("/a/", "/abs/"), "/abs/");
  EXPECT_EQ(join_url_path("/a/", ""), "/a/");
  EXPECT_EQ(join_url_path("/", "/"), "/");
}

TEST(CheckUrls, Unescape) { EXPECT_EQ(url_unescape("/caf%C3%A9/%zz%2"), "/caf\xC3\xA9/%zz%2"); }

TEST(CheckUrls, Origin) {
  EXPECT_EQ(normal_origin("https", "Example.ORG"), "example.org:443");
  EXPECT_EQ(normal_origin("http", "user@example.org:8080"), "example.org:8080");
  EXPECT_EQ(normal_origin("http", "example.org"), "example.org:80");
}

}  // namespace
}  // namespace byline
