#include "content/content.h"

#include <gtest/gtest.h>

#include "frontmatter/front_matter.h"

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
  c.taxonomies = {TaxonomyConfig("tags", "/tag/:slug/")};
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

// A page decoded from YAML front matter, as a build reads it.
struct Decoded {
  Page page;
  bool ok = false;
  std::string diagnostics;
};

Decoded decode(const SiteConfig& c, std::string text) {
  Decoded d;
  d.page.source_path = "content/posts/p.md";
  d.page.source_text = std::move(text);
  DiagnosticSink sink;
  FrontMatter fm;
  EXPECT_TRUE(parse_front_matter(d.page.source_path, d.page.source_text, &fm, sink))
      << sink.format_all();
  d.ok = decode_page_fields(c, std::move(fm.fields), &d.page, sink);
  d.diagnostics = sink.format_all();
  return d;
}

SiteConfig tags_and_outlets() {
  SiteConfig c;
  c.taxonomies = {TaxonomyConfig("tags", "/tag/:slug/"),
                  TaxonomyConfig("categories", "/category/:slug/"),
                  TaxonomyConfig("outlets", "/outlet/:slug/")};
  c.taxonomies[2].field = "outlet";
  c.taxonomies[2].automatic = true;
  return c;
}

TEST(DecodePageFields, AStringWithCommasIsAListWithAWarning) {
  Decoded d = decode(tags_and_outlets(),
                     "---\ntitle: T\ntags: Russia, Sanctions ,\ncategories: Analysis\n---\n");
  ASSERT_TRUE(d.ok) << d.diagnostics;
  ASSERT_EQ(d.page.terms[0].size(), 2u);
  EXPECT_EQ(d.page.terms[0][0].name, "Russia");
  EXPECT_EQ(d.page.terms[0][1].name, "Sanctions");
  EXPECT_EQ(d.page.terms[0][1].slug, "sanctions");
  EXPECT_EQ(d.page.terms[0][1].line, 3);
  // One string without a comma is a list of one, as before, and silent.
  ASSERT_EQ(d.page.terms[1].size(), 1u);
  EXPECT_EQ(d.page.terms[1][0].name, "Analysis");
  EXPECT_EQ(d.diagnostics,
            "content/posts/p.md:3:7: warning: 'tags' is one string with commas; taking it as the "
            "list [\"Russia\", \"Sanctions\"] (write tags: [\"Russia\", \"Sanctions\"] to say so)\n"
            "  tags: Russia, Sanctions ,\n"
            "        ^\n");
}

TEST(DecodePageFields, AnOutletsNameKeepsItsComma) {
  Decoded d = decode(tags_and_outlets(), "---\noutlet: Smith, Jones & Co.\n---\n");
  ASSERT_TRUE(d.ok) << d.diagnostics;
  ASSERT_EQ(d.page.terms[2].size(), 1u);
  EXPECT_EQ(d.page.terms[2][0].name, "Smith, Jones & Co.");
  EXPECT_EQ(d.diagnostics, "");
}

TEST(DecodePageFields, AKeyNearAKnownOneGetsADidYouMean) {
  Decoded d = decode(tags_and_outlets(),
                     "---\ntitle: T\norignal_url: https://example.com/a\ntag: [a]\n"
                     "subtitle: far from every known key\nmood: calm\ndescription: known\n---\n");
  ASSERT_TRUE(d.ok) << d.diagnostics;
  EXPECT_EQ(d.diagnostics,
            "content/posts/p.md:3:1: warning: unknown front-matter key 'orignal_url'; did you "
            "mean 'original_url'?\n"
            "  orignal_url: https://example.com/a\n"
            "  ^\n"
            "content/posts/p.md:4:1: warning: unknown front-matter key 'tag'; did you mean "
            "'tags'?\n"
            "  tag: [a]\n"
            "  ^\n");
  // It is still the writer's field, for templates.
  EXPECT_EQ(d.page.params.find("orignal_url")->as_string(), "https://example.com/a");
}

TEST(DecodePageFields, ATaxonomysOwnFieldIsKnown) {
  SiteConfig c = tags_and_outlets();
  c.taxonomies.push_back(TaxonomyConfig("series", "/series/:slug/"));
  c.taxonomies.back().field = "serie";
  Decoded d = decode(c, "---\nserie: One\nseries: Two\n---\n");
  ASSERT_TRUE(d.ok) << d.diagnostics;
  EXPECT_EQ(d.diagnostics.find("key 'serie'"), std::string::npos) << d.diagnostics;
  EXPECT_NE(d.diagnostics.find("unknown front-matter key 'series'; did you mean 'serie'?"),
            std::string::npos)
      << d.diagnostics;
}

}  // namespace
}  // namespace byline
