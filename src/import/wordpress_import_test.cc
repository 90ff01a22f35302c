// End-to-end checks of import_wordpress on a small export written here, so
// each expectation can be read next to the input that causes it.
#include "import/wordpress_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace byline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kExport = R"(<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Field Notes</title>
<description>Dispatches</description>
<language>en-AU</language>
<wp:base_blog_url>https://notes.example.com</wp:base_blog_url>
<wp:author><wp:author_login>ana</wp:author_login><wp:author_display_name>Ana Ruiz</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>asia</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Asia</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>china</wp:category_nicename><wp:category_parent>asia</wp:category_parent><wp:cat_name>China</wp:cat_name></wp:category>
<item>
<title>Harbour &amp; "Ships"</title>
<link>https://notes.example.com/2011/07/29/harbour/</link>
<dc:creator>ana</dc:creator>
<content:encoded><![CDATA[First line
second line

[caption id="attachment_9" width="300"]<img src="https://notes.example.com/wp-content/uploads/2011/07/ship.jpg?w=300" alt="A ship" /> Ships at dawn. Photo: Ana Ruiz[/caption]

See <a href="https://notes.example.com/?page_id=2">about</a> and [gallery].]]></content:encoded>
<excerpt:encoded><![CDATA[<p>Ships.</p>]]></excerpt:encoded>
<wp:post_id>5</wp:post_id>
<wp:post_date>2011-07-29 10:47:48</wp:post_date>
<wp:post_date_gmt>2011-07-29 00:47:48</wp:post_date_gmt>
<wp:post_name>harbour</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<wp:is_sticky>1</wp:is_sticky>
<category domain="category" nicename="china"><![CDATA[China]]></category>
<category domain="post_tag" nicename="ports"><![CDATA[Ports]]></category>
</item>
<item>
<title>Ship</title>
<wp:post_id>9</wp:post_id>
<wp:post_parent>5</wp:post_parent>
<wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status>
<excerpt:encoded><![CDATA[The ship]]></excerpt:encoded>
<wp:attachment_url>https://notes.example.com/wp-content/uploads/2011/07/ship.jpg</wp:attachment_url>
<link>https://notes.example.com/2011/07/29/harbour/ship/</link>
</item>
<item>
<title>About</title>
<link>https://notes.example.com/about/</link>
<content:encoded><![CDATA[Hi.]]></content:encoded>
<wp:post_id>2</wp:post_id>
<wp:post_date>2011-01-01 09:00:00</wp:post_date>
<wp:post_date_gmt>2010-12-31 23:00:00</wp:post_date_gmt>
<wp:post_name>about</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Team</title>
<link>https://notes.example.com/about/team/</link>
<content:encoded><![CDATA[Us.]]></content:encoded>
<wp:post_id>3</wp:post_id>
<wp:post_date>2011-01-02 09:00:00</wp:post_date>
<wp:post_date_gmt>2011-01-01 23:00:00</wp:post_date_gmt>
<wp:post_name>team</wp:post_name>
<wp:post_parent>2</wp:post_parent>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Unfinished</title>
<link>https://notes.example.com/?p=7</link>
<content:encoded><![CDATA[[poll id="3"]]]></content:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_date>2012-03-01 08:00:00</wp:post_date>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:status>draft</wp:status>
<wp:post_type>post</wp:post_type>
</item>
</channel>
</rss>
)";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class WordPressImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("byline-wp-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "uploads/2011/07");
    std::ofstream(dir_ / "export.xml") << kExport;
    std::ofstream(dir_ / "uploads/2011/07/ship.jpg") << "JPEG";
  }
  void TearDown() override { fs::remove_all(dir_); }

  int run(bool with_uploads = true) {
    WordPressImportOptions o;
    o.export_path = (dir_ / "export.xml").string();
    o.output_dir = (dir_ / "site").string();
    if (with_uploads) o.uploads_dir = (dir_ / "uploads").string();
    return import_wordpress(o, &report_, sink_);
  }

  fs::path dir_;
  ImportReport report_;
  DiagnosticSink sink_;
};

TEST_F(WordPressImportTest, WritesPostWithEverything) {
  ASSERT_EQ(run(), 0) << sink_.format_all();
  EXPECT_EQ(slurp(dir_ / "site/content/posts/2011/harbour.md"),
            "---\n"
            "title: \"Harbour & \\\"Ships\\\"\"\n"
            "date: \"2011-07-29T10:47:48+10:00\"\n"
            "slug: \"harbour\"\n"
            "author: \"Ana Ruiz\"\n"
            "tags: [\"Ports\"]\n"
            "categories: [\"China\"]\n"
            "category_parents:\n  \"China\": \"Asia\"\n"
            "summary: \"Ships.\"\n"
            "pinned: true\n"
            "aliases: [\"/?p=5\", \"/2011/07/29/harbour/ship/\"]\n"
            "wordpress_id: 5\n"
            "---\n\n"
            "First line\\\nsecond line\n\n"
            "![A ship](/uploads/2011/07/ship.jpg \"Ships at dawn. | Photo: Ana Ruiz\")\n\n"
            "See [about](/about/) and\n\n"
            "![](/uploads/2011/07/ship.jpg \"The ship\")\n\n"
            ".\n");
  EXPECT_EQ(slurp(dir_ / "site/static/uploads/2011/07/ship.jpg"), "JPEG");
  std::error_code ec;
  EXPECT_FALSE(fs::exists(dir_ / "site/attachments.csv", ec));
}

TEST_F(WordPressImportTest, PagesNestAndKeepTheirUrls) {
  ASSERT_EQ(run(), 0) << sink_.format_all();
  std::string team = slurp(dir_ / "site/content/pages/about/team.md");
  EXPECT_NE(team.find("url: \"/about/team/\"\n"), std::string::npos) << team;
  EXPECT_NE(team.find("aliases: [\"/?page_id=3\", \"/?p=3\"]\n"), std::string::npos) << team;
  EXPECT_NE(team.find("date: \"2011-01-02T09:00:00+10:00\"\n"), std::string::npos) << team;
}

TEST_F(WordPressImportTest, DraftsAndUnknownShortcodesAreReported) {
  ASSERT_EQ(run(false), 0) << sink_.format_all();
  std::string draft = slurp(dir_ / "site/content/posts/2012/unfinished.md");
  // Never published: the site's usual offset (+10:00) stands in for the zone.
  EXPECT_NE(draft.find("date: \"2012-03-01T08:00:00+10:00\"\nslug: \"unfinished\"\ndraft: true\n"),
            std::string::npos)
      << draft;
  EXPECT_NE(draft.find("\n\\[poll id=\"3\"\\]\n"), std::string::npos) << draft;
  EXPECT_EQ(report_.published_posts, 1u);
  EXPECT_EQ(report_.published_pages, 2u);
  EXPECT_EQ(report_.drafts, 1u);
  EXPECT_EQ(report_.attachments, 1u);
  EXPECT_EQ(report_.categories, 2u);
  EXPECT_EQ(report_.tags, 1u);
  ASSERT_EQ(report_.needs_review.size(), 1u);
  EXPECT_NE(report_.needs_review[0].find("unknown shortcode [poll]"), std::string::npos);
  EXPECT_EQ(slurp(dir_ / "site/attachments.csv"),
            "url,path\nhttps://notes.example.com/wp-content/uploads/2011/07/ship.jpg,"
            "static/uploads/2011/07/ship.jpg\n");
  std::string toml = slurp(dir_ / "site/byline.toml");
  EXPECT_NE(toml.find("base_url = \"https://notes.example.com/\"\nlanguage = \"en-AU\"\n"),
            std::string::npos);
  EXPECT_NE(toml.find("[author]\nname = \"Ana Ruiz\"\n"), std::string::npos);
  EXPECT_NE(toml.find("posts = \"/:year/:month/:day/:slug/\"\n"), std::string::npos);
  EXPECT_NE(report_.to_text().find("  published posts               1\n"), std::string::npos)
      << report_.to_text();
}

TEST_F(WordPressImportTest, RefusesANonSiteFolderAndLeavesNothing) {
  fs::create_directories(dir_ / "site");
  std::ofstream(dir_ / "site/mine.txt") << "x";
  EXPECT_EQ(run(), 1);
  EXPECT_NE(sink_.format_all().find("error: refusing to import into a folder that is neither "
                                    "empty nor a byline site"),
            std::string::npos);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) entries += e.path().filename() != "" ? 1 : 0;
  EXPECT_EQ(entries, 3u);  // export.xml, uploads, site: no staging folder left
}

}  // namespace
}  // namespace byline
