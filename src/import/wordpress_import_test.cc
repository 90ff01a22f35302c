// End-to-end checks of import_wordpress on a small export written here, so
// each expectation can be read next to the input that causes it.
#include "import/wordpress_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
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
  EXPECT_EQ(
      slurp(dir_ / "site/content/posts/2011/harbour.md"),
      "---\n"
      "title: \"Harbour & \\\"Ships\\\"\"\n"
      "date: \"2011-07-29T10:47:48+10:00\"\n"
      "slug: \"harbour\"\n"
      "authors: [\"Ana Ruiz\"]\n"
      "tags: [\"Ports\"]\n"
      "categories: [\"China\"]\n"
      "category_parents:\n  \"China\": \"Asia\"\n"
      "summary: \"Ships.\"\n"
      "pinned: true\n"
      "aliases: [\"/?p=5\", \"/2011/07/29/harbour/ship/\"]\n"
      "wordpress_id: 5\n"
      "---\n\n"
      "First line\\\nsecond line\n\n"
      "![A ship](/wp-content/uploads/2011/07/ship.jpg \"Ships at dawn. | Photo: Ana Ruiz\")\n\n"
      "See [about](/about/) and\n\n"
      "![](/wp-content/uploads/2011/07/ship.jpg \"The ship\")\n\n"
      ".\n");
  EXPECT_EQ(slurp(dir_ / "site/static/wp-content/uploads/2011/07/ship.jpg"), "JPEG");
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
            "static/wp-content/uploads/2011/07/ship.jpg\n");
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

// What real exports from other tools (Ghost, Playground, WordPress's theme
// preview) do that WordPress's own exporter does not.
constexpr const char* kQuirks = R"(<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Quirks</title>
<link>http:</link>
<wp:base_blog_url>http:</wp:base_blog_url>
<wp:category><wp:category_nicename>Company News</wp:category_nicename><wp:cat_name>Company News</wp:cat_name></wp:category>
<item>
<title>Why WordPress</title>
<link>/why-wordpress/</link>
<wp:post_id>11</wp:post_id>
<wp:post_date>2024-02-01 10:00:00</wp:post_date>
<wp:post_date_gmt>2024-02-01 10:00:00</wp:post_date_gmt>
<wp:post_name>why-wordpress</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="Company News"><![CDATA[Company News]]></category>
</item>
<item>
<title>Basic post</title>
<link>/blog/basic-post.html</link>
<wp:post_id>12</wp:post_id>
<wp:post_date>2013-06-07 03:00:44</wp:post_date>
<wp:post_name>basic-post.html</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Front</title>
<link>/</link>
<wp:post_id>6</wp:post_id>
<content:encoded><![CDATA[Welcome home.]]></content:encoded>
<wp:post_date>2024-01-01 10:00:00</wp:post_date>
<wp:post_name>6-2</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Posts</title>
<link>/posts/</link>
<wp:post_id>2</wp:post_id>
<content:encoded><![CDATA[All my writing.]]></content:encoded>
<wp:post_date>2024-01-01 10:00:00</wp:post_date>
<wp:post_name>posts</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>From the feed</title>
<link>/?p=1</link>
<pubDate>Tue, 02 Apr 2013 05:16:20 +0000</pubDate>
<wp:post_id>10</wp:post_id>
<wp:post_name>from-the-feed</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Undated</title>
<wp:post_id>13</wp:post_id>
<wp:post_name>undated</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Preview</title>
<link>https://wp-themes.com/?p=19</link>
<guid isPermaLink="false">https://wp-themes.com/?p=19</guid>
<pubDate>Wed, 03 Apr 2013 05:16:20 +0000</pubDate>
<wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status>
</item>
<item>
<title>Escape</title>
<link>/2013/04/04/escape/</link>
<wp:post_id>14</wp:post_id>
<wp:post_date>2013-04-04 10:00:00</wp:post_date>
<wp:post_name>../../etc</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Escape again</title>
<wp:post_id>15</wp:post_id>
<wp:post_date>2013-04-05 10:00:00</wp:post_date>
<wp:post_name>%2e%2e%2fpasswd</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>featured-image.jpg</title>
<link>https://example.com/wp-content/uploads/2013/06/featured-image.jpg</link>
<wp:post_id>16</wp:post_id>
<wp:post_parent>12</wp:post_parent>
<wp:post_type>attachment</wp:post_type>
<wp:attachment_url>https://example.com/wp-content/uploads/2013/06/featured-image.jpg</wp:attachment_url>
</item>
</channel>
</rss>
)";

class WordPressQuirksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("byline-wp-quirks-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  int run(const std::string& xml) {
    std::ofstream(dir_ / "export.xml") << xml;
    WordPressImportOptions o;
    o.export_path = (dir_ / "export.xml").string();
    o.output_dir = (dir_ / "site").string();
    return import_wordpress(o, &report_, sink_);
  }
  std::string file(const std::string& rel) { return slurp(dir_ / "site" / rel); }
  bool reviewed(const std::string& what) const {
    for (const std::string& r : report_.needs_review) {
      if (r.find(what) != std::string::npos) return true;
    }
    return false;
  }

  fs::path dir_;
  ImportReport report_;
  DiagnosticSink sink_;
};

TEST_F(WordPressQuirksTest, RelativeLinksKeepTheirUrls) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  // /why-wordpress/ is the pattern the relative links show.
  EXPECT_NE(file("byline.toml").find("posts = \"/:slug/\"\n"), std::string::npos);
  std::string why = file("content/posts/2024/why-wordpress.md");
  EXPECT_EQ(why.find("url:"), std::string::npos) << why;
  // Ghost's /blog/x.html keeps its URL; the slug loses the suffix.
  std::string basic = file("content/posts/2013/basic-post.md");
  EXPECT_NE(basic.find("slug: \"basic-post\"\n"), std::string::npos) << basic;
  EXPECT_NE(basic.find("url: \"/blog/basic-post.html\"\n"), std::string::npos) << basic;
  // An attachment whose link is the file itself is no alias of its post.
  EXPECT_EQ(basic.find("featured-image"), std::string::npos) << basic;
  // A ?p= link naming another id than the item's is kept too.
  std::string feed = file("content/posts/2013/from-the-feed.md");
  EXPECT_NE(feed.find("aliases: [\"/?p=10\", \"/?p=1\"]\n"), std::string::npos) << feed;
}

TEST_F(WordPressQuirksTest, BaseUrlHttpColonIsAPlaceholderAndABasePathSurvives) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  EXPECT_NE(file("byline.toml").find("base_url = \"https://example.com/\"\n"), std::string::npos);
  EXPECT_TRUE(reviewed("the site URL \"http:\" is not an absolute URL; base_url is a placeholder"));

  std::string xml = kQuirks;
  xml.replace(xml.find("<wp:base_blog_url>http:"), std::strlen("<wp:base_blog_url>http:"),
              "<wp:base_blog_url>https://e.com/wordpress/");
  xml.replace(xml.find("<link>/why-wordpress/"), std::strlen("<link>/why-wordpress/"),
              "<link>/wordpress/why-wordpress/");
  fs::remove_all(dir_ / "site");
  ASSERT_EQ(run(xml), 0) << sink_.format_all();
  EXPECT_NE(file("byline.toml").find("base_url = \"https://e.com/wordpress/\"\n"),
            std::string::npos);
  EXPECT_NE(file("byline.toml").find("posts = \"/:slug/\"\n"), std::string::npos);
  std::string why = file("content/posts/2024/why-wordpress.md");
  EXPECT_EQ(why.find("url:"), std::string::npos) << why;
  EXPECT_EQ(why.find("/wordpress/"), std::string::npos) << why;
}

// byline writes a link in a post as it is, so on a blog under /wordpress/
// the old site's links and uploads keep the base path (hexo's export: the
// dashboard link and post links became /2018/… and /wp-content/uploads/…, outside the
// site).
TEST_F(WordPressQuirksTest, LinksInABlogUnderABasePathKeepTheBasePath) {
  std::string xml = kQuirks;
  xml.replace(xml.find("<wp:base_blog_url>http:"), std::strlen("<wp:base_blog_url>http:"),
              "<wp:base_blog_url>https://e.com/wordpress");
  xml.replace(
      xml.find("<wp:post_name>why-wordpress"), 0,
      "<content:encoded><![CDATA[See <a href=\"https://e.com/wordpress/blog/basic-post.html\">"
      "this</a>, <a href=\"https://e.com/wordpress/?p=13\">that</a> and "
      "<img src=\"https://e.com/wordpress/wp-content/uploads/2013/06/a.jpg\">.]]>"
      "</content:encoded>");
  ASSERT_EQ(run(xml), 0) << sink_.format_all();
  std::string why = file("content/posts/2024/why-wordpress.md");
  EXPECT_NE(why.find("(/wordpress/blog/basic-post.html)"), std::string::npos) << why;
  EXPECT_NE(why.find("(/wordpress/undated/)"), std::string::npos) << why;
  EXPECT_NE(why.find("(/wordpress/wp-content/uploads/2013/06/a.jpg)"), std::string::npos) << why;
}

TEST_F(WordPressQuirksTest, FrontPageAndPostsPageBecomeTheListsText) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  std::string home = file("content/_index.md");
  EXPECT_NE(home.find("title: \"Front\"\n"), std::string::npos) << home;
  EXPECT_NE(home.find("aliases: [\"/?page_id=6\", \"/?p=6\"]\n"), std::string::npos) << home;
  EXPECT_EQ(home.find("url:"), std::string::npos) << home;
  EXPECT_NE(home.find("Welcome home."), std::string::npos) << home;
  std::string posts = file("content/posts/_index.md");
  EXPECT_NE(posts.find("title: \"Posts\"\n"), std::string::npos) << posts;
  EXPECT_NE(posts.find("All my writing."), std::string::npos) << posts;
  EXPECT_TRUE(reviewed("the static front page: its text is the home page's (content/_index.md)"));
  EXPECT_TRUE(
      reviewed("its URL /posts/ is the posts section's: it takes over the section's list "
               "page (content/posts/_index.md)"));
  EXPECT_FALSE(fs::exists(dir_ / "site/content/pages/posts.md"));
}

TEST_F(WordPressQuirksTest, DatesFromPubDateAndUndatedPostsGetAUrl) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  std::string feed = file("content/posts/2013/from-the-feed.md");
  EXPECT_NE(feed.find("date: \"2013-04-02T05:16:20Z\"\n"), std::string::npos) << feed;
  std::string undated = file("content/posts/undated/undated.md");
  EXPECT_NE(undated.find("url: \"/undated/\"\n"), std::string::npos) << undated;
  EXPECT_TRUE(
      reviewed("no date in the export (no wp:post_date, no pubDate): imported at /undated/"));
}

TEST_F(WordPressQuirksTest, IdFromTheLinkWhenTheExportHasNone) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  std::string preview = file("content/posts/2013/preview.md");
  EXPECT_NE(preview.find("aliases: [\"/?p=19\"]\n"), std::string::npos) << preview;
  EXPECT_NE(preview.find("wordpress_id: 19\n"), std::string::npos) << preview;
}

TEST_F(WordPressQuirksTest, TermSlugsFollowSanitizeTitle) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  EXPECT_NE(file("byline.toml").find("[taxonomies.categories]\nurl = \"/category/:slug/\"\n"),
            std::string::npos);
  // byline's own slug of "Company News" is company-news: nothing to write.
  EXPECT_EQ(file("byline.toml").find("Company News"), std::string::npos) << file("byline.toml");
}

TEST_F(WordPressQuirksTest, UnsafeSlugsAreSanitisedAndReported) {
  ASSERT_EQ(run(kQuirks), 0) << sink_.format_all();
  std::string etc = file("content/posts/2013/etc.md");
  EXPECT_NE(etc.find("slug: \"etc\"\n"), std::string::npos) << etc;
  EXPECT_TRUE(reviewed("the slug \"../../etc\" is not a safe URL segment: imported as \"etc\""));
  std::string passwd = file("content/posts/2013/passwd.md");
  EXPECT_NE(passwd.find("slug: \"passwd\"\n"), std::string::npos) << passwd;
  EXPECT_TRUE(
      reviewed("the slug \"%2e%2e%2fpasswd\" is not a safe URL segment: imported as \"passwd\""));
}

// One published post with `content`, in an export of its own.
std::string one_post(const std::string& content, const std::string& extra = "") {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>One</title>
<wp:base_blog_url>https://e.com</wp:base_blog_url>
<item><title>Post</title><link>https://e.com/2020/01/02/post/</link><wp:post_id>3</wp:post_id>
<wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>post</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[)") +
         content + "]]></content:encoded>" + extra + "</item>\n</channel></rss>\n";
}

std::string body_of(const std::string& page) {
  size_t end = page.find("\n---\n", 4);
  return end == std::string::npos ? "" : page.substr(end + 5);
}

TEST_F(WordPressQuirksTest, MoreTagSplitsTheTextAsWordPressDoes) {
  ASSERT_EQ(run(one_post("Intro *text*\n<!--more-->\nMore text")), 0) << sink_.format_all();
  EXPECT_EQ(body_of(file("content/posts/2020/post.md")),
            "\nIntro \\*text\\*\n\n<!--more-->\n\nMore text\n");
  fs::remove_all(dir_ / "site");
  ASSERT_EQ(run(one_post("Teaser\n<!--more Read on, friend-->\nRest")), 0);
  EXPECT_EQ(body_of(file("content/posts/2020/post.md")), "\nTeaser\n\n<!--more-->\n\nRest\n");
  EXPECT_TRUE(reviewed("the \"more\" link's own text (\"Read on, friend\") is dropped"));
}

TEST_F(WordPressQuirksTest, NoteaserLeavesTheTeaserToLists) {
  ASSERT_EQ(run(one_post("<!--noteaser-->Teaser <b>here</b>\n\n<!--more-->\n\nRest")), 0);
  std::string page = file("content/posts/2020/post.md");
  EXPECT_EQ(body_of(page), "\nRest\n");
  EXPECT_NE(page.find("summary: \"Teaser here\"\n"), std::string::npos) << page;
}

TEST_F(WordPressQuirksTest, FeaturedImageAndEnclosureAreKept) {
  std::string extra =
      "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value>"
      "</wp:postmeta><wp:postmeta><wp:meta_key>enclosure</wp:meta_key><wp:meta_value><![CDATA["
      "https://media.example.com/ep1.mp3\n21169426\naudio/mpeg\n]]></wp:meta_value></wp:postmeta>"
      "</item><item><title>Cover</title><wp:post_id>9</wp:post_id><wp:post_parent>3</"
      "wp:post_parent>"
      "<wp:post_type>attachment</wp:post_type>"
      "<wp:attachment_url>https://e.com/wp-content/uploads/2020/01/cover.jpg</wp:attachment_url>";
  ASSERT_EQ(run(one_post("Text", extra)), 0) << sink_.format_all();
  std::string page = file("content/posts/2020/post.md");
  EXPECT_NE(page.find("image: \"/wp-content/uploads/2020/01/cover.jpg\"\n"), std::string::npos)
      << page;
  EXPECT_NE(page.find("enclosure:\n  \"url\": \"https://media.example.com/ep1.mp3\"\n"
                      "  \"length\": \"21169426\"\n  \"type\": \"audio/mpeg\"\n"),
            std::string::npos)
      << page;
  // The cover is an upload to fetch like any other.
  EXPECT_NE(file("attachments.csv").find("static/wp-content/uploads/2020/01/cover.jpg"),
            std::string::npos);
}

std::string comment(int id, const std::string& approved, const std::string& text,
                    const std::string& type = "") {
  return "<wp:comment><wp:comment_id>" + std::to_string(id) +
         "</wp:comment_id><wp:comment_author><![CDATA[Reader " + std::to_string(id) +
         "]]></wp:comment_author><wp:comment_author_email>reader" + std::to_string(id) +
         "@example.com</wp:comment_author_email><wp:comment_author_url>https://reader.example/"
         "</wp:comment_author_url><wp:comment_author_IP>10.0.0.1</wp:comment_author_IP>"
         "<wp:comment_date>2020-01-03 09:00:00</wp:comment_date>"
         "<wp:comment_date_gmt>2020-01-03 09:00:00</wp:comment_date_gmt>"
         "<wp:comment_content><![CDATA[" +
         text + "]]></wp:comment_content><wp:comment_approved>" + approved +
         "</wp:comment_approved><wp:comment_type>" + type +
         "</wp:comment_type>"
         "<wp:comment_parent>0</wp:comment_parent></wp:comment>";
}

TEST_F(WordPressQuirksTest, ApprovedCommentsAreKeptWithoutAddresses) {
  std::string comments = comment(1, "1", "Nice *post*.\n\nSecond paragraph.") +
                         comment(2, "0", "Pending words") + comment(3, "spam", "Buy pills") +
                         comment(4, "1", "Linked from elsewhere", "pingback");
  ASSERT_EQ(run(one_post("Text", comments)), 0) << sink_.format_all();
  std::string page = file("content/posts/2020/post.md");
  EXPECT_NE(page.find("comments:\n  - id: \"1\"\n    author: \"Reader 1\"\n"
                      "    url: \"https://reader.example/\"\n"
                      "    date: \"2020-01-03T09:00:00Z\"\n"
                      "    text: \"Nice \\\\*post\\\\*.\\n\\nSecond paragraph.\"\n"),
            std::string::npos)
      << page;
  EXPECT_EQ(page.find("Pending"), std::string::npos) << page;
  EXPECT_EQ(page.find("pills"), std::string::npos) << page;
  EXPECT_EQ(page.find("elsewhere"), std::string::npos) << page;
  EXPECT_EQ(page.find("@example.com"), std::string::npos) << page;
  EXPECT_EQ(page.find("10.0.0.1"), std::string::npos) << page;
  EXPECT_EQ(report_.comments, 1u);
  EXPECT_EQ(report_.comments_withheld, 2u);
}

// A page at the URL of one of byline's own lists (/tag/) moves aside, with
// no alias in the list's way, and the report says where.
TEST_F(WordPressQuirksTest, PageAtAListsUrlMovesAside) {
  std::string page =
      "</item><item><title>Tags</title><link>https://e.com/tag/</link><wp:post_id>8</wp:post_id>"
      "<wp:post_date>2020-01-01 10:00:00</wp:post_date><wp:post_name>tag</wp:post_name>"
      "<wp:status>publish</wp:status><wp:post_type>page</wp:post_type>";
  ASSERT_EQ(run(one_post("Text", page)), 0) << sink_.format_all();
  std::string tags = file("content/pages/tag.md");
  EXPECT_NE(tags.find("url: \"/tag-page/\"\n"), std::string::npos) << tags;
  EXPECT_EQ(tags.find("\"/tag/\""), std::string::npos) << tags;
  EXPECT_TRUE(reviewed("its URL /tag/ is one of byline's own list pages: moved to /tag-page/"));
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

// Posts filed under a tag by a nicename the export's term list does not
// have ("content" where the list says "content-2", as in the theme unit
// test data): the old /tag/content/ redirects to the term's archive,
// unless a page already has that URL.
std::string stale_tags(const std::string& page_link) {
  std::string item = R"(<item><title>T</title><link>https://e.com/blog/2020/01/0@/p@/</link>
<wp:post_id>@</wp:post_id><wp:post_date>2020-01-0@ 10:00:00</wp:post_date>
<wp:post_name>p@</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="post_tag" nicename="content"><![CDATA[Content]]></category>
<category domain="post_tag" nicename="old-news"><![CDATA[News]]></category>
<content:encoded><![CDATA[Text.]]></content:encoded></item>
)";
  std::string items;
  for (char n : {'1', '2'}) {
    std::string one = item;
    for (size_t at; (at = one.find('@')) != std::string::npos;) one[at] = n;
    items += one;
  }
  return R"(<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Stale</title>
<wp:base_blog_url>https://e.com/blog</wp:base_blog_url>
<wp:tag><wp:term_id>1</wp:term_id><wp:tag_slug>content-2</wp:tag_slug><wp:tag_name><![CDATA[Content]]></wp:tag_name></wp:tag>
<wp:tag><wp:term_id>2</wp:term_id><wp:tag_slug>news</wp:tag_slug><wp:tag_name><![CDATA[News]]></wp:tag_name></wp:tag>
)" + items +
         R"(<item><title>Old news</title><link>)" + page_link +
         R"(</link><wp:post_id>9</wp:post_id><wp:post_date>2020-01-05 10:00:00</wp:post_date>
<wp:post_name>old-news</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type>
<content:encoded><![CDATA[A page.]]></content:encoded></item>
</channel></rss>
)";
}

TEST_F(WordPressQuirksTest, AStaleTagNicenameRedirectsToTheTermsArchive) {
  ASSERT_EQ(run(stale_tags("https://e.com/blog/old-news/")), 0) << sink_.format_all();
  EXPECT_EQ(report_.term_redirects, 2u) << report_.to_text();
  std::string page = file("static/tag/content/index.html");
  EXPECT_NE(page.find("<meta http-equiv=\"refresh\" content=\"0; url=/blog/tag/content-2/\">"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<link rel=\"canonical\" href=\"/blog/tag/content-2/\">"), std::string::npos);
  EXPECT_NE(page.find("<title>Redirecting to Content</title>"), std::string::npos);
  EXPECT_NE(file("static/tag/old-news/index.html").find("url=/blog/tag/news/"), std::string::npos);
  EXPECT_NE(report_.to_text().find("term redirects"), std::string::npos);
}

TEST_F(WordPressQuirksTest, AStaleNicenameThatIsAPagesUrlIsNoRedirect) {
  ASSERT_EQ(run(stale_tags("https://e.com/blog/tag/old-news/")), 0) << sink_.format_all();
  EXPECT_EQ(report_.term_redirects, 1u);
  EXPECT_TRUE(fs::exists(dir_ / "site" / "static/tag/content/index.html"));
  EXPECT_FALSE(fs::exists(dir_ / "site" / "static/tag/old-news"));
  EXPECT_TRUE(
      reviewed("tag 'News': its posts name it 'old-news', but /tag/old-news/ is another "
               "page's URL, so it does not redirect to /tag/news/"));
}

}  // namespace
}  // namespace byline
