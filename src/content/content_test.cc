#include "content/content.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

Page post(const char* rel, const char* date) {
  Page p;
  p.kind = PageKind::kPost;
  p.rel_path = rel;
  p.source_path = std::string("content/") + rel;
  p.section = "posts";
  p.rel_dir = "posts/2019";
  p.file_slug = "my-post";
  if (date) p.date = parse_datetime(date);
  return p;
}

SiteConfig config() {
  SiteConfig c;
  c.permalinks["posts"] = "/:year/:month/:day/:slug/";
  return c;
}

TEST(Permalink, TokensUseTheWritersLocalDate) {
  Page p = post("posts/2019/my-post.md", "2019-08-01T00:30:00+02:00");  // 31 July in UTC
  std::string why;
  EXPECT_EQ(expand_permalink("/:year/:month/:day/:slug/", p, &why), "/2019/08/01/my-post/");
  p.slug = "чай";
  p.title = "Tea & Biscuits";
  EXPECT_EQ(expand_permalink("/:section/:slug/:title/", p, &why), "/posts/чай/tea-biscuits/");
}

TEST(Permalink, NeedsADate) {
  Page p = post("posts/2019/my-post.md", nullptr);
  DiagnosticSink sink;
  SiteConfig c = config();
  EXPECT_FALSE(assign_permalink(c, &p, sink));
  EXPECT_NE(sink.format_all().find("needs a date and this page has none"), std::string::npos);
}

TEST(Permalink, ExplicitUrlsAreNormalised) {
  SiteConfig c = config();
  DiagnosticSink sink;
  Page p = post("posts/2019/my-post.md", "2019-08-01");
  p.url = "//greek/επίπεδο-2";
  ASSERT_TRUE(assign_permalink(c, &p, sink));
  EXPECT_EQ(p.permalink, "/greek/επίπεδο-2/");
  EXPECT_EQ(p.output_path, "greek/επίπεδο-2/index.html");
  p.url = "/feeds/old.xml";
  ASSERT_TRUE(assign_permalink(c, &p, sink));
  EXPECT_EQ(p.output_path, "feeds/old.xml");
}

TEST(Permalink, DefaultsWithoutAPattern) {
  SiteConfig c;
  DiagnosticSink sink;
  Page p = post("posts/2019/my-post.md", "2019-08-01");
  ASSERT_TRUE(assign_permalink(c, &p, sink));
  EXPECT_EQ(p.permalink, "/posts/2019/my-post/");
  Page about;
  about.kind = PageKind::kPage;
  about.file_slug = "about";
  ASSERT_TRUE(assign_permalink(c, &about, sink));
  EXPECT_EQ(about.permalink, "/about/");
}

TEST(DecodePageFields, ReadsTheHugoAndJekyllFields) {
  SiteConfig c;
  c.taxonomies = {{"tags", "tags", "/tag/:slug/", 0, true, TaxonomyConfig::Order::kName, {}}};
  Value fields = Value::map();
  fields.set("title", Value::string("T"));
  fields.set("published", Value::boolean(false));
  fields.set("redirect_from", Value::list({Value::string("/old/")}));
  fields.set("tags", Value::string("Solo"));
  fields.set("weight", Value::integer(3));
  fields.set("outlet", Value::string("Evening Courier"));
  Page p;
  DiagnosticSink sink;
  ASSERT_TRUE(decode_page_fields(c, fields, &p, sink)) << sink.format_all();
  EXPECT_TRUE(p.draft);
  EXPECT_EQ(p.aliases, std::vector<std::string>{"/old/"});
  ASSERT_EQ(p.terms[0].size(), 1u);
  EXPECT_EQ(p.terms[0][0].slug, "solo");
  EXPECT_EQ(p.weight, 3);
  EXPECT_EQ(p.params.find("outlet")->as_string(), "Evening Courier");
}

}  // namespace
}  // namespace byline
