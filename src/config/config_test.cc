#include "config/config.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

bool parse(std::string_view text, SiteConfig* c, std::string* diags) {
  DiagnosticSink sink;
  bool ok = parse_config(text, "byline.toml", c, sink);
  *diags = sink.format_all();
  return ok;
}

TEST(Config, ReadsTheBenchConfig) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "Bench archive"
base_url = "https://bench.example.org/"
language = "en"
paginate = 10

[permalinks]
posts = "/:year/:month/:slug/"

[taxonomies]
tags = "/tag/:slug/"
categories = "/category/:slug/"

[markdown]
smart_punctuation = true
footnotes = true
)",
                    &c, &d))
      << d;
  EXPECT_EQ(d, "");
  EXPECT_EQ(c.title, "Bench archive");
  EXPECT_EQ(c.urls.base_url(), "https://bench.example.org/");
  EXPECT_EQ(c.urls.base_path(), "/");
  EXPECT_EQ(c.paginate, 10);
  EXPECT_EQ(c.permalinks.at("posts"), "/:year/:month/:slug/");
  // The two configured, then the two byline adds by itself.
  ASSERT_EQ(c.taxonomies.size(), 4u);
  EXPECT_EQ(c.taxonomies[0].name, "tags");
  EXPECT_EQ(c.taxonomies[1].url_pattern, "/category/:slug/");
  EXPECT_FALSE(c.taxonomies[1].automatic);
  EXPECT_EQ(c.taxonomies[2].name, "outlets");
  EXPECT_EQ(c.taxonomies[2].field, "outlet");
  EXPECT_EQ(c.taxonomies[2].url_pattern, "/outlet/:slug/");
  EXPECT_EQ(c.taxonomies[2].order, TaxonomyConfig::Order::kCount);
  EXPECT_TRUE(c.taxonomies[2].automatic);
  EXPECT_EQ(c.taxonomies[3].name, "authors");
  EXPECT_EQ(c.taxonomies[3].url_pattern, "/author/:slug/");
  EXPECT_TRUE(c.canonical_original);
  EXPECT_EQ(c.archive_content, "summary");
  EXPECT_EQ(c.appearances.url, "/appearances/");
}

TEST(Config, WritersArchiveOptions) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
canonical = "self"
archive_content = "full"
[appearances]
url = "/media"
title = "Interviews"
paginate = 25
feeds = false
[taxonomies]
tags = "/tag/:slug/"
authors = false
outlets = "/where/:slug/"
)",
                    &c, &d))
      << d;
  EXPECT_FALSE(c.canonical_original);
  EXPECT_EQ(c.archive_content, "full");
  EXPECT_EQ(c.appearances.url, "/media/");
  EXPECT_EQ(c.appearances.title, "Interviews");
  EXPECT_EQ(c.appearances.paginate, 25);
  EXPECT_FALSE(c.appearances.feeds);
  ASSERT_EQ(c.taxonomies.size(), 2u);  // authors turned off
  EXPECT_EQ(c.taxonomies[1].name, "outlets");
  EXPECT_EQ(c.taxonomies[1].field, "outlet");  // the outlets taxonomy keeps its field
  EXPECT_EQ(c.taxonomies[1].url_pattern, "/where/:slug/");
  EXPECT_FALSE(c.taxonomies[1].automatic);
}

TEST(Config, WritersArchiveOptionsDiagnostics) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse(R"(title = "T"
base_url = "https://e.org/"
canonical = "elsewhere"
)",
                     &c, &d));
  EXPECT_NE(d.find(":3:13: error: 'canonical' must be \"original\" or \"self\""), std::string::npos)
      << d;
  d.clear();
  EXPECT_FALSE(parse(R"(title = "T"
base_url = "https://e.org/"
archive_content = "excerpt"
)",
                     &c, &d));
  EXPECT_NE(d.find(":3:19: error: 'archive_content' must be \"full\" or \"summary\""),
            std::string::npos)
      << d;
}

TEST(Config, ImagesFormats) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\n"
            "formats = [\"avif\", \"webp\", \"avif\"]\n",
            &c, &d))
      << d;
  EXPECT_EQ(c.images.formats, (std::vector<std::string>{"avif", "webp"}));
  EXPECT_EQ(c.images.formats_location.line, 4);
  EXPECT_EQ(c.images.formats_location.column, 11);
  SiteConfig none;
  ASSERT_TRUE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\nformats = []\n", &none, &d));
  EXPECT_TRUE(none.images.formats.empty());
  EXPECT_EQ(SiteConfig().images.formats, (std::vector<std::string>{"webp"}));
  SiteConfig bad;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\n"
            "formats = [\"heic\"]\n",
            &bad, &d));
  EXPECT_NE(d.find("byline.toml:4:11: error: 'heic' is not a format"), std::string::npos) << d;
}

TEST(Config, ImagesTable) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
strict_images = true
[images]
widths = [800, 400]
sizes = "100vw"
process = false
)",
                    &c, &d))
      << d;
  EXPECT_TRUE(c.strict_images);
  EXPECT_EQ(c.images.widths, (std::vector<int>{400, 800}));
  EXPECT_EQ(c.images.sizes, "100vw");
  EXPECT_FALSE(c.images.process);
  EXPECT_EQ(c.images.quality, 75);  // the default
  SiteConfig bad;
  d.clear();
  EXPECT_FALSE(parse(R"(title = "T"
base_url = "https://e.org/"
[images]
widths = [800, 0, 20000]
quality = 101
max_pixels = -1
colour = true
)",
                     &bad, &d));
  EXPECT_NE(d.find(":4:16: error: 'widths' must be at least 1"), std::string::npos) << d;
  EXPECT_NE(d.find(":4:19: error: an image width must be at most 16384"), std::string::npos) << d;
  EXPECT_NE(d.find(":5:11: error: 'quality' must be from 1 to 100"), std::string::npos) << d;
  EXPECT_NE(d.find(":6:14: error: 'max_pixels' must be a positive integer"), std::string::npos)
      << d;
  EXPECT_NE(d.find(":7:10: warning: unknown key 'colour' in [images]"), std::string::npos) << d;
  d.clear();
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[images]\nwidths = []\n", &bad, &d));
  EXPECT_NE(d.find("'widths' must be a list of pixel widths"), std::string::npos) << d;
}

TEST(Config, DefaultsAndExtensions) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://example.org/blog"
summary_length = 40
[author]
name = "Mara"
bio = "Writes."
[author.links]
Mastodon = "https://social.example/@mara"
[taxonomies]
tags = "/tag/:slug/"
outlets = { url = "/outlet/:slug/", field = "outlet", order = "count", feeds = false }
[sections.pages]
list = false
[params]
accent = "#c00"
)",
                    &c, &d))
      << d;
  EXPECT_EQ(c.urls.base_url(), "https://example.org/blog/");
  EXPECT_EQ(c.urls.base_path(), "/blog/");
  EXPECT_EQ(c.summary_length, 40);
  EXPECT_EQ(c.author.links.at(0).first, "Mastodon");
  const TaxonomyConfig* outlets = c.find_taxonomy("outlets");
  ASSERT_NE(outlets, nullptr);
  EXPECT_EQ(outlets->field, "outlet");
  EXPECT_EQ(outlets->order, TaxonomyConfig::Order::kCount);
  EXPECT_FALSE(outlets->feeds);
  EXPECT_FALSE(c.sections.at("pages").list);
  EXPECT_EQ(c.params.find("accent")->as_string(), "#c00");
  // Hugo's output set unless asked for more.
  EXPECT_EQ(c.feeds.rss, "rss.xml");
  EXPECT_EQ(c.feeds.atom, "");
  EXPECT_EQ(c.feeds.json, "");
  EXPECT_FALSE(c.date_archives);
}

TEST(Config, FeedsTable) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
[feeds]
rss = "index.xml"
json = ""
limit = 5
)",
                    &c, &d))
      << d;
  EXPECT_EQ(c.feeds.rss, "index.xml");
  EXPECT_EQ(c.feeds.atom, "");  // RSS only unless asked
  EXPECT_EQ(c.feeds.json, "");
  EXPECT_EQ(c.feeds.limit, 5);
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nrss = \"a/b.xml\"\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:4:7: error: a feed's file name must not contain '/'"),
            std::string::npos)
      << d;
}

TEST(Config, LimitsTable) {
  SiteConfig defaults;
  std::string d;
  ASSERT_TRUE(parse("title = \"T\"\nbase_url = \"https://e.org/\"\n", &defaults, &d)) << d;
  EXPECT_EQ(defaults.render_limits.max_output_bytes, uint64_t{512} << 20);
  EXPECT_EQ(defaults.render_limits.max_iterations, 20000000u);
  EXPECT_EQ(defaults.render_limits.max_call_depth, 200);
  SiteConfig c;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
[limits]
max_output_bytes = 4096
max_iterations = 7
max_call_depth = 3
)",
                    &c, &d))
      << d;
  EXPECT_EQ(c.render_limits.max_output_bytes, 4096u);
  EXPECT_EQ(c.render_limits.max_iterations, 7u);
  EXPECT_EQ(c.render_limits.max_call_depth, 3);
  EXPECT_FALSE(parse(
      "title = \"T\"\nbase_url = \"https://e.org/\"\n[limits]\nmax_call_depth = 100000\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:4:18: error: 'max_call_depth' must be from 1 to 10000"),
            std::string::npos)
      << d;
}

TEST(Config, SearchTable) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse("title = \"T\"\nbase_url = \"https://e.org/\"\n", &c, &d)) << d;
  EXPECT_TRUE(c.search.enabled);  // on by default
  EXPECT_EQ(c.search.url, "/search/");
  EXPECT_EQ(c.search.fields.size(), 6u);
  EXPECT_EQ(c.search.related, 5);
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
[search]
enabled = false
related = 0
url = "/find"
fields = ["title", "body"]
weights = { title = 6, body = 0.5 }
exclude = { sections = ["drafts"], tags = ["Private"] }
)",
                    &c, &d))
      << d;
  EXPECT_FALSE(c.search.enabled);
  EXPECT_EQ(c.search.related, 0);
  EXPECT_EQ(c.search.url, "/find/");
  EXPECT_EQ(c.search.fields, (std::vector<std::string>{"title", "body"}));
  EXPECT_EQ(c.search.weights.at("title"), 6.0);
  EXPECT_EQ(c.search.weights.at("body"), 0.5);
  EXPECT_EQ(c.search.exclude_sections, std::vector<std::string>{"drafts"});
  EXPECT_EQ(c.search.exclude_tags, std::vector<std::string>{"Private"});
}

TEST(Config, SearchTableDiagnostics) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search]\nfields = "
            "[\"title\", \"bdoy\"]\n",
            &c, &d));
  EXPECT_NE(d.find("byline.toml:4:20: error: unknown search field 'bdoy'; did you mean 'body'?"),
            std::string::npos)
      << d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search.weights]\ntitle = \"high\"\n",
            &c, &d));
  EXPECT_NE(d.find("byline.toml:4:9: error: the weight of 'title' must be a number from 0 to 1000"),
            std::string::npos)
      << d;
  EXPECT_TRUE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search]\nenable = true\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:4:10: warning: unknown key 'enable' in [search] (ignored); did "
                   "you mean 'enabled'?"),
            std::string::npos)
      << d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search]\nexclude = { "
            "tags = \"x\" }\n",
            &c, &d));
  EXPECT_NE(d.find("error: 'tags' must be a list of strings"), std::string::npos) << d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search]\nrelated = 500\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:4:11: error: 'related' must be at most 100"), std::string::npos)
      << d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[search]\nrelated = -1\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:4:11: error: 'related' must be at least 0"), std::string::npos)
      << d;
}

TEST(Config, TermSlugs) {
  SiteConfig c;
  std::string d;
  ASSERT_TRUE(parse(R"(title = "T"
base_url = "https://e.org/"
[taxonomies.categories]
url = "/category/:slug/"
[taxonomies.categories.slugs]
"Must Read" = "mustread"
"Child" = "parent/child"
)",
                    &c, &d))
      << d;
  EXPECT_EQ(c.find_taxonomy("categories")->slugs.at("Child"), "parent/child");
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[taxonomies.tags]\nurl = "
            "\"/tag/:slug/\"\nslugs = { x = \"../y\" }\n",
            &c, &d));
  EXPECT_NE(d.find("byline.toml:5:15: error: a term slug is one or more path segments"),
            std::string::npos)
      << d;
}

TEST(Config, UnknownKeyIsALocatedWarning) {
  SiteConfig c;
  std::string d;
  EXPECT_TRUE(parse("title = \"T\"\nbase_url = \"https://e.org/\"\ncolour = \"red\"\n", &c, &d));
  EXPECT_EQ(d,
            "byline.toml:3:10: warning: unknown key 'colour' (ignored)\n"
            "  colour = \"red\"\n"
            "           ^\n");
}

TEST(Config, UnknownKeyNearAKnownOneSaysWhichItMeant) {
  SiteConfig c;
  std::string d;
  EXPECT_TRUE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\npagiante = 5\n"
            "[feed]\nrss = \"rss.xml\"\n[markdown]\nsmart_punctuaton = false\n"
            "[author]\nnam = \"A\"\n",
            &c, &d));
  EXPECT_EQ(c.paginate, 10);  // still ignored
  EXPECT_EQ(d,
            "byline.toml:3:12: warning: unknown key 'pagiante' (ignored); did you mean "
            "'paginate'?\n"
            "  pagiante = 5\n"
            "             ^\n"
            "byline.toml:4:1: warning: unknown table [feed] (ignored); did you mean [feeds]?\n"
            "  [feed]\n"
            "  ^\n"
            "byline.toml:7:20: warning: unknown key 'smart_punctuaton' in [markdown] (ignored); "
            "did you mean 'smart_punctuation'?\n"
            "  smart_punctuaton = false\n"
            "                     ^\n"
            "byline.toml:9:7: warning: unknown key 'nam' in [author] (ignored); did you mean "
            "'name'?\n"
            "  nam = \"A\"\n"
            "        ^\n");
}

TEST(Config, Favicon) {
  SiteConfig c;
  std::string d;
  const std::string base = "title = \"T\"\nbase_url = \"https://e.org/\"\n";
  ASSERT_TRUE(parse(base, &c, &d)) << d;
  EXPECT_EQ(c.favicon, "/favicon.svg");  // the built-in theme ships one
  ASSERT_TRUE(parse(base + "favicon = \"/favicon.ico\"\n", &c, &d)) << d;
  EXPECT_EQ(c.favicon, "/favicon.ico");
  ASSERT_TRUE(parse(base + "favicon = \"\"\n", &c, &d)) << d;
  EXPECT_EQ(c.favicon, "");
  EXPECT_FALSE(parse(base + "favicon = \"icon.png\"\n", &c, &d));
  EXPECT_NE(d.find("byline.toml:3:11: error: 'favicon' must be a path on the site"),
            std::string::npos)
      << d;
}

TEST(Config, WrongTypeIsAnError) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse("title = \"T\"\nbase_url = \"https://e.org/\"\npaginate = \"ten\"\n", &c, &d));
  EXPECT_EQ(d,
            "byline.toml:3:12: error: 'paginate' must be an integer\n"
            "  paginate = \"ten\"\n"
            "             ^\n");
}

TEST(Config, BrokenTomlIsLocated) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse("title = \"T\"\nbase_url = \n", &c, &d));
  EXPECT_NE(d.find("byline.toml:2:"), std::string::npos) << d;
  EXPECT_NE(d.find("error: invalid TOML"), std::string::npos) << d;
}

TEST(Config, DeepDottedKeyIsALocatedErrorNotACrash) {
  // 20,000 parts overflowed the stack inside toml++; 128 levels is the limit.
  std::string key = "params";
  for (int i = 0; i < 20000; ++i) key += ".p" + std::to_string(i);
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse("title = \"T\"\n" + key + " = 1\n", &c, &d));
  EXPECT_EQ(d.substr(0, d.find('\n')),
            "byline.toml:2:1: error: this key nests tables more than 128 levels deep (each part of "
            "a dotted key and each array is a level)");
}

TEST(Config, TaxonomyPatternNeedsSlug) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse(
      "title = \"T\"\nbase_url = \"https://e.org/\"\n[taxonomies]\ntags = \"/tag/\"\n", &c, &d));
  EXPECT_EQ(d,
            "byline.toml:4:8: error: taxonomy URL pattern must contain ':slug'\n"
            "  tags = \"/tag/\"\n"
            "         ^\n");
}

TEST(Config, MissingTitle) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(parse("base_url = \"https://e.org/\"\n", &c, &d));
  EXPECT_EQ(d.substr(0, 50), "byline.toml:1:1: error: missing required key 'titl");
}

TEST(Config, UnknownPermalinkToken) {
  SiteConfig c;
  std::string d;
  EXPECT_FALSE(
      parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[permalinks]\nposts = "
            "\"/:yr/:slug/\"\n",
            &c, &d));
  EXPECT_NE(d.find("unknown token ':yr'"), std::string::npos) << d;
}

}  // namespace
}  // namespace byline
