#include "config/config_writer.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

SiteConfig parse_ok(std::string_view text) {
  SiteConfig c;
  DiagnosticSink sink;
  EXPECT_TRUE(parse_config(text, "byline.toml", &c, sink)) << sink.format_all() << text;
  EXPECT_EQ(sink.format_all(), "") << text;  // not even an unknown-key warning
  return c;
}

TEST(ConfigWriterTest, WritesEveryDefault) {
  SiteConfig c = parse_ok("title = \"T\"\nbase_url = \"https://example.org/\"\n");
  std::string toml = config_to_toml(c);
  for (const char* line :
       {"title = \"T\"\n",
        "base_url = \"https://example.org/\"\n",
        "language = \"en\"\n",
        "paginate = 10\n",
        "summary_length = 70\n",
        "date_archives = false\n",
        "strict_templates = false\n",
        "canonical = \"original\"\n",
        "archive_content = \"summary\"\n",
        "[feeds]\nrss = \"rss.xml\"\natom = \"\"\n",
        "limit = 20\n",
        "[appearances]\nurl = \"/appearances/\"\n",
        "[taxonomies.tags]\n",
        "url = \"/tag/:slug/\"\n",
        "[taxonomies.categories]\n",
        "smart_punctuation = true\n",
        "hard_wraps = false\n",
        "strict_images = false\n",
        "[images]\nprocess = true\nwidths = [480, 800, 1200, 1600]\nquality = 75\n",
        "max_pixels = 100000000\ncards = \"images\"\nkeep_credit = false\nformats = [\"webp\"]\n",
        "[params]\n"}) {
    EXPECT_NE(toml.find(line), std::string::npos) << line << "\nin:\n" << toml;
  }
  // The automatic taxonomies are left to byline.
  EXPECT_EQ(toml.find("outlets ="), std::string::npos) << toml;
  EXPECT_EQ(toml.find("[taxonomies.outlets]"), std::string::npos);
}

// Reading what was written gives what was read: the same text again, and the
// values that matter to a build.
TEST(ConfigWriterTest, ReadsBackToTheSameConfig) {
  const char* original = R"toml(title = "Ada's \"Archive\" — ünïcode"
base_url = "https://example.org/blog"
theme = "plain"
paginate = 7
summary_length = 30
date_archives = true
strict_templates = true
canonical = "self"
archive_content = "full"
feed_limit = 5

[feeds]
atom = "atom.xml"

[author]
name = "Ada"
[author.links]
"Mastodon (old)" = "https://m.example/@ada"
GitHub = "https://github.com/ada"

[permalinks]
posts = "/:year/:slug/"
notes = "/n/:slug/"

[taxonomies]
topics = { url = "/topic/:slug/", order = "count", paginate = 3, feeds = false, slugs = { "Hong Kong" = "hk", "A/B" = "a/b" } }
tags = "/tag/:slug/"
authors = false

[sections.notes]
list = false
paginate = 4

[markdown]
figures = false
hard_wraps = true

[images]
widths = [1000, 300, 300, 600]
quality = 60
max_pixels = 5000000000
cards = false
keep_credit = true

[params]
subtitle = "Notes"
ratio = 0.5
count = 3
on = true
list = [1, "two", [3]]
nested = { a = 1, "b c" = { d = "e" } }
)toml";
  SiteConfig c = parse_ok(original);
  std::string once = config_to_toml(c);
  SiteConfig back = parse_ok(once);
  EXPECT_EQ(config_to_toml(back), once);

  EXPECT_EQ(back.title, "Ada's \"Archive\" — ünïcode");
  EXPECT_EQ(back.urls.base_url(), "https://example.org/blog/");
  EXPECT_EQ(back.theme, "plain");
  EXPECT_EQ(back.paginate, 7);
  EXPECT_EQ(back.summary_length, 30);
  EXPECT_TRUE(back.date_archives);
  EXPECT_TRUE(back.strict_templates);
  EXPECT_FALSE(back.canonical_original);
  EXPECT_EQ(back.archive_content, "full");
  EXPECT_EQ(back.images.widths, (std::vector<int>{300, 600, 1000}));  // sorted, once each
  EXPECT_EQ(back.images.quality, 60);
  EXPECT_EQ(back.images.max_pixels, 5000000000);
  EXPECT_FALSE(back.images.cards);
  EXPECT_FALSE(back.images.text_cards);
  EXPECT_TRUE(back.images.keep_credit);
  EXPECT_TRUE(back.images.process);
  EXPECT_EQ(back.feeds.limit, 5);
  EXPECT_EQ(back.feeds.atom, "atom.xml");
  EXPECT_EQ(back.author.links, c.author.links);
  EXPECT_EQ(back.permalinks, c.permalinks);
  ASSERT_EQ(back.taxonomies.size(), 3u);  // topics, tags, then the automatic outlets
  EXPECT_EQ(back.taxonomies[0].name, "topics");
  EXPECT_EQ(back.taxonomies[0].order, TaxonomyConfig::Order::kCount);
  EXPECT_EQ(back.taxonomies[0].paginate, 3);
  EXPECT_FALSE(back.taxonomies[0].feeds);
  EXPECT_EQ(back.taxonomies[0].slugs, c.taxonomies[0].slugs);
  EXPECT_EQ(back.taxonomies[1].name, "tags");
  EXPECT_EQ(back.taxonomies[2].name, "outlets");
  EXPECT_TRUE(back.taxonomies[2].automatic);
  EXPECT_EQ(back.find_taxonomy("authors"), nullptr);
  ASSERT_EQ(back.sections.count("notes"), 1u);
  EXPECT_FALSE(back.sections["notes"].list);
  EXPECT_EQ(back.sections["notes"].paginate, 4);
  EXPECT_FALSE(back.markdown.figures);
  EXPECT_TRUE(back.markdown.hard_wraps);
  EXPECT_EQ(back.params.to_json(), c.params.to_json());
}

TEST(ConfigWriterTest, CardsTakeTrueImagesOrFalseAndReadBack) {
  const char* head = "title = \"T\"\nbase_url = \"https://example.org/\"\n[images]\n";
  struct Case {
    const char* value;
    bool cards, text_cards;
  } cases[] = {{"true", true, true}, {"\"images\"", true, false}, {"false", false, false}};
  for (const Case& k : cases) {
    SiteConfig c = parse_ok(std::string(head) + "cards = " + k.value + "\n");
    EXPECT_EQ(c.images.cards, k.cards) << k.value;
    EXPECT_EQ(c.images.text_cards, k.text_cards) << k.value;
    SiteConfig back = parse_ok(config_to_toml(c));
    EXPECT_EQ(back.images.cards, k.cards) << k.value;
    EXPECT_EQ(back.images.text_cards, k.text_cards) << k.value;
  }
  SiteConfig bad;
  DiagnosticSink sink;
  EXPECT_FALSE(parse_config(std::string(head) + "cards = \"text\"\n", "byline.toml", &bad, sink));
  EXPECT_NE(sink.format_all().find("byline.toml:4:9: error: 'cards' must be true"),
            std::string::npos)
      << sink.format_all();
}

TEST(ConfigWriterTest, KeepsAnOutletsTableTheSiteWrote) {
  SiteConfig c = parse_ok(
      "title = \"T\"\nbase_url = \"/\"\n[taxonomies]\noutlets = { list_url = \"/where/\" }\n");
  SiteConfig back = parse_ok(config_to_toml(c));
  const TaxonomyConfig* outlets = back.find_taxonomy("outlets");
  ASSERT_NE(outlets, nullptr);
  EXPECT_FALSE(outlets->automatic);
  EXPECT_EQ(outlets->list_url, "/where/");
  EXPECT_EQ(outlets->field, "outlet");
}

}  // namespace
}  // namespace byline
