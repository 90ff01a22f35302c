// Whole builds of the fixture sites under tests/sites/: what a valid site
// produces, and for each kind of bad input the exact diagnostic, a failed
// build, and the previous output left as it was.
#include "build/build.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "base/datetime.h"
#include "base/strings.h"
#include "build/test_sites.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

const fs::path kSites = fs::path(BYLINE_SOURCE_DIR) / "tests" / "sites";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// fs::exists without an error_code throws on a path it cannot look at;
// such a path is not there as far as these tests go.
bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("byline-build-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
    out_ = tmp_ / "public";
  }
  // build_site joins the thread deleting old output before it returns, so
  // nothing else is deleting in tmp_: one remove_all does it.
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  bool build(const fs::path& site, std::string* diagnostics, BuildResult* result = nullptr,
             bool drafts = false) {
    BuildOptions o;
    o.source = site;
    o.dest = out_;
    o.drafts = drafts;
    DiagnosticSink sink;
    BuildResult r;
    bool ok = build_site(o, result ? result : &r, sink);
    *diagnostics = sink.format_all();
    return ok;
  }

  // A copy of a fixture in tmp_, so a test can add files to it.
  fs::path copy_site(const std::string& name) {
    fs::path dst = tmp_ / name;
    fs::create_directories(dst.parent_path());
    copy_fixture_site(kSites / name, dst);
    return dst;
  }

  // Builds `site`, expecting failure with exactly `expected` (paths shown
  // relative to the site), and checks the previous output survived.
  void expect_failure(const fs::path& site, const std::string& expected) {
    write(out_ / "index.html", "previous build");
    std::string diags;
    EXPECT_FALSE(build(site, &diags));
    std::string shown = diags;
    for (size_t pos; (pos = shown.find(site.string() + "/")) != std::string::npos;) {
      shown.erase(pos, site.string().size() + 1);
    }
    EXPECT_EQ(shown, expected);
    EXPECT_EQ(read(out_ / "index.html"), "previous build");
    EXPECT_EQ(std::distance(fs::directory_iterator(out_), fs::directory_iterator()), 1);
    EXPECT_FALSE(present(tmp_ / ".public.byline-staging"));
  }

  fs::path tmp_, out_;
};

TEST_F(BuildTest, BasicSiteProducesEveryOutput) {
  std::string diags;
  BuildResult r;
  ASSERT_TRUE(build(kSites / "basic", &diags, &r)) << diags;
  EXPECT_EQ(diags, "");
  for (const char* f : {"index.html",
                        "page/2/index.html",
                        "page/3/index.html",
                        "2019/08/first-post/index.html",
                        "2019/09/second-post/index.html",
                        "2020/01/third/index.html",
                        "2020/05/bundle-post/index.html",
                        "2020/05/bundle-post/chart.svg",
                        "about/index.html",
                        "colophon/index.html",
                        "notes/index.html",
                        "notes/unicode-note/index.html",
                        "posts/index.html",
                        "posts/page/2/index.html",
                        "tag/index.html",
                        "tag/russia/index.html",
                        "tag/hong-kong/index.html",
                        "category/analysis/index.html",
                        "rss.xml",
                        "tag/russia/rss.xml",
                        "sitemap.xml",
                        "robots.txt",
                        "404.html",
                        "css/site.css",
                        "old/first-post/index.html",
                        "_redirects",
                        "2019/index.html",
                        "2019/08/index.html",
                        "2020/05/index.html",
                        "2021/01/index.html"}) {
    EXPECT_TRUE(present(out_ / f)) << f;
  }
  // Drafts, future and expired posts are left out, and so are their terms.
  EXPECT_EQ(r.left_out, 3u);
  EXPECT_FALSE(present(out_ / "2020/02/draft"));
  EXPECT_FALSE(present(out_ / "tag/secret"));
  EXPECT_FALSE(present(out_ / "about-bundle"));  // a top-level bundle is a page, not a section

  std::string first = read(out_ / "2019/08/first-post/index.html");
  EXPECT_NE(first.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(first.find("<html lang=\"en-GB\">"), std::string::npos);
  EXPECT_NE(first.find("“Quotes” and dashes – all typographic…"), std::string::npos);
  EXPECT_NE(first.find("<h2 id=\"a-heading\">A heading</h2>"), std::string::npos);
  EXPECT_NE(first.find("class=\"footnotes\""), std::string::npos);
  EXPECT_NE(first.find("First published in <em>The Morning Ledger</em>"), std::string::npos);

  // "Russia"/"russia" and "Hong Kong"/"hong-kong" are one term each.
  std::string tags = read(out_ / "tag/index.html");
  EXPECT_NE(tags.find("Hong Kong</a> (2)"), std::string::npos) << tags;
  EXPECT_NE(tags.find("Russia</a> (2)"), std::string::npos) << tags;

  // The home lists posts newest first, two a page, with the _index.md text.
  std::string home = read(out_ / "index.html");
  EXPECT_NE(home.find("Welcome to the <em>fixture</em> archive."), std::string::npos);
  size_t unicode = home.find("Unicode file name");
  size_t bundle = home.find("A bundle");
  ASSERT_NE(unicode, std::string::npos);
  ASSERT_NE(bundle, std::string::npos);
  EXPECT_LT(unicode, bundle);
  EXPECT_EQ(home.find("Третий пост"), std::string::npos);  // on page 2
  EXPECT_NE(read(out_ / "page/2/index.html").find("Третий пост"), std::string::npos);
  EXPECT_NE(read(out_ / "page/2/index.html").find("A <em>hand-written</em> summary."),
            std::string::npos);
  // The automatic summary is cut at summary_length words.
  EXPECT_NE(read(out_ / "page/2/index.html").find("One two three four five six seven eight…"),
            std::string::npos);

  std::string alias = read(out_ / "old/first-post/index.html");
  EXPECT_NE(alias.find("url=https://fixture.example.org/2019/08/first-post/"), std::string::npos);
  EXPECT_EQ(read(out_ / "_redirects"),
            "/old/first-post/ /2019/08/first-post/ 301\n/ p=12 /2019/08/first-post/ 301!\n");
  EXPECT_NE(read(out_ / "2020/05/bundle-post/index.html").find("<figure>"), std::string::npos);

  // Date archives list exactly their month's or year's posts.
  std::string year = read(out_ / "2019/index.html");
  EXPECT_NE(year.find("Yearly Archives: 2019"), std::string::npos);
  EXPECT_NE(year.find("First post"), std::string::npos);
  EXPECT_NE(year.find("Second, in TOML"), std::string::npos);
  std::string month = read(out_ / "2019/08/index.html");
  EXPECT_NE(month.find("Monthly Archives: August 2019"), std::string::npos);
  EXPECT_NE(month.find("First post"), std::string::npos);
  EXPECT_EQ(month.find("Second, in TOML"), std::string::npos);
}

TEST_F(BuildTest, DraftsIncludedWhenAsked) {
  std::string diags;
  BuildResult r;
  ASSERT_TRUE(build(kSites / "basic", &diags, &r, /*drafts=*/true)) << diags;
  EXPECT_TRUE(present(out_ / "2020/02/draft/index.html"));
  EXPECT_TRUE(present(out_ / "tag/secret/index.html"));
  EXPECT_EQ(r.left_out, 2u);
}

TEST_F(BuildTest, NowPinsFutureExpiredAndTemplatesNow) {
  BuildOptions o;
  o.source = kSites / "basic";
  o.dest = out_;
  BuildResult r;
  DiagnosticSink sink;
  // Between expired.md's date (2020-03-01) and its expiry (2020-04-01).
  o.now = parse_datetime("2020-03-15T12:00:00Z");
  ASSERT_TRUE(build_site(o, &r, sink)) << sink.format_all();
  EXPECT_TRUE(present(out_ / "2020/03/expired/index.html"));
  EXPECT_FALSE(present(out_ / "2020/05/bundle-post/index.html"));  // dated after 2020-03-15
  EXPECT_NE(read(out_ / "index.html").find("&copy; 2020 Ada Writer"), std::string::npos);

  o.now = parse_datetime("3000-01-01");
  ASSERT_TRUE(build_site(o, &r, sink)) << sink.format_all();
  EXPECT_FALSE(present(out_ / "2020/03/expired/index.html"));
  EXPECT_TRUE(present(out_ / "2999/01/future/index.html"));
  EXPECT_NE(read(out_ / "index.html").find("&copy; 3000 Ada Writer"), std::string::npos);
  EXPECT_EQ(r.left_out, 2u);  // the draft and the expired post
}

TEST_F(BuildTest, OutputDoesNotDependOnThreadCount) {
  std::string diags;
  ::setenv("BYLINE_THREADS", "1", 1);
  ASSERT_TRUE(build(kSites / "basic", &diags)) << diags;
  fs::rename(out_, tmp_ / "one-thread");
  ::setenv("BYLINE_THREADS", "4", 1);
  ASSERT_TRUE(build(kSites / "basic", &diags)) << diags;
  ::unsetenv("BYLINE_THREADS");
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(out_)) {
    if (!e.is_regular_file()) continue;
    ++files;
    fs::path rel = fs::relative(e.path(), out_);
    EXPECT_EQ(read(e.path()), read(tmp_ / "one-thread" / rel)) << rel;
  }
  EXPECT_GT(files, 20u);
}

TEST_F(BuildTest, MalformedYaml) {
  expect_failure(kSites / "invalid" / "bad-yaml",
                 "content/posts/broken.md:3:8: error: invalid YAML: mapping values are not "
                 "allowed in this context; quote a value that contains a colon: tags: \"a: b\"\n"
                 "  tags: a: b\n"
                 "         ^\n");
}

TEST_F(BuildTest, MalformedToml) {
  std::string diags;
  write(out_ / "index.html", "previous build");
  EXPECT_FALSE(build(kSites / "invalid" / "bad-toml", &diags));
  EXPECT_NE(diags.find("content/posts/broken.md:3:"), std::string::npos) << diags;
  EXPECT_NE(diags.find(": error: "), std::string::npos) << diags;
  EXPECT_NE(diags.find("\n  date = 2019-08-01 oops\n"), std::string::npos) << diags;
  EXPECT_EQ(read(out_ / "index.html"), "previous build");
}

TEST_F(BuildTest, DateThatIsNotADate) {
  expect_failure(kSites / "invalid" / "bad-date",
                 "content/posts/x.md:3:7: error: 'date' is not a valid date: expected a date as "
                 "YYYY-MM-DD\n"
                 "  date: last Tuesday\n"
                 "        ^\n");
}

TEST_F(BuildTest, TagsThatAreNotAList) {
  expect_failure(kSites / "invalid" / "tags-not-list",
                 "content/posts/x.md:4:7: error: 'tags' must be a list such as [\"a\", \"b\"], "
                 "not an integer\n"
                 "  tags: 42\n"
                 "        ^\n");
}

TEST_F(BuildTest, InvalidUtf8) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/latin1.md", "---\ntitle: \"caf\xe9\"\n---\n");
  expect_failure(site,
                 "content/posts/latin1.md:2:12: error: invalid UTF-8 (byte 0xE9); save the file "
                 "as UTF-8\n"
                 "  title: \"caf\xe9\"\n"
                 "             ^\n");
}

TEST_F(BuildTest, UnreadableFile) {
  fs::path site = copy_site("invalid/valid-base");
  fs::create_symlink(tmp_ / "nowhere.md", site / "content/posts/gone.md");
  expect_failure(site,
                 "content/posts/gone.md: error: cannot read file: No such file or directory\n");
}

TEST_F(BuildTest, TwoPagesOneUrl) {
  expect_failure(kSites / "invalid" / "duplicate-url",
                 "content/posts/b.md:4:7: error: two pages map to the URL /2019/08/same/: this "
                 "one and content/posts/a.md\n"
                 "  slug: same\n"
                 "        ^\n");
}

TEST_F(BuildTest, SlugLeavingTheOutputFolder) {
  expect_failure(kSites / "invalid" / "escaping-slug",
                 "content/posts/x.md:4:7: error: 'slug' must be a single URL segment (no '/', not "
                 "'.' or '..'); use 'url' for a full path\n"
                 "  slug: ../../x\n"
                 "        ^\n");
}

TEST_F(BuildTest, UrlLeavingTheOutputFolder) {
  expect_failure(kSites / "invalid" / "escaping-url",
                 "content/x.md:3:6: error: the page's URL '/../../etc/' would leave the output "
                 "folder ('.' or '..' in it)\n"
                 "  url: /../../etc/\n"
                 "       ^\n");
}

TEST_F(BuildTest, TemplatesOverrideThemeOverridesBuiltIn) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "themed", &diags)) << diags;
  // post.html from the theme (extending the built-in base.html), page.html
  // from the site, index.html from the built-in theme.
  std::string post = read(out_ / "posts/a/index.html");
  EXPECT_NE(post.find("<p class=\"from\">theme post.html: A post</p>"), std::string::npos);
  EXPECT_NE(post.find("<!doctype html>"), std::string::npos);
  EXPECT_EQ(read(out_ / "about/index.html"), "<p class=\"from\">site page.html: About</p>");
  EXPECT_NE(read(out_ / "index.html").find("<h2><a href=\"/posts/a/\">A post</a></h2>"),
            std::string::npos);
  // Static files: the site's, then the theme's, then the built-in theme's.
  EXPECT_EQ(read(out_ / "theme-and-site.txt"), "site wins\n");
  EXPECT_EQ(read(out_ / "theme.txt"), "theme only\n");
  EXPECT_EQ(read(out_ / "style.css"), "h1 { color: teal }\n");
  // A site's rss.xml template replaces the built-in feed writer; the other
  // feeds stay built in.
  EXPECT_EQ(read(out_ / "rss.xml"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<rss version=\"2.0\"><channel><title>Themed</title><link>https://themed.example.org/"
            "</link>\n<item><title>A post</title><link>https://themed.example.org/posts/a/</link>"
            "</item>\n</channel></rss>");
  EXPECT_NE(read(out_ / "atom.xml").find("<generator>byline</generator>"), std::string::npos);
}

TEST_F(BuildTest, GetPageFindsPagesBySourcePathAndByUrl) {
  fs::path site = copy_site("basic");
  // page.html renders about.md and about-bundle/index.md (/colophon/), so get_page()'s
  // index is built by whichever thread asks first and read by both.
  write(site / "templates" / "page.html",
        "{% set by_file = get_page('posts/2019/second.md') %}"
        "{% set by_url = get_page('/2019/09/second-post/') %}"
        "{{ by_file.title }}|{{ by_url.title }}|{{ get_page('posts/none.md') is none }}");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  EXPECT_EQ(read(out_ / "about/index.html"), "Second, in TOML|Second, in TOML|True");
  EXPECT_EQ(read(out_ / "colophon/index.html"), "Second, in TOML|Second, in TOML|True");
}

TEST_F(BuildTest, TemplateRuntimeErrorNamesTemplateLineAndPage) {
  fs::path site = kSites / "invalid" / "bad-template";
  expect_failure(site,
                 "templates/post.html:3:21: error: no filter named 'shout' (while rendering "
                 "content/posts/fine.md)\n"
                 "  <h1>{{ page.title | shout }}</h1>\n"
                 "                      ^\n");
}

TEST_F(BuildTest, TemplateSyntaxErrorNamesTemplateLineAndPage) {
  fs::path site = kSites / "invalid" / "bad-template-syntax";
  expect_failure(site,
                 "templates/post.html:2:26: error: unexpected end of template: expected 'elif', "
                 "'else' or 'endif' to close 'if' opened at line 1 (while rendering "
                 "content/posts/fine.md)\n"
                 "  <h1>{{ page.title }}</h1>\n"
                 "                           ^\n");
}

TEST_F(BuildTest, ATemplateErrorOnListPagesNamesTheirAddresses) {
  fs::path site = copy_site("basic");
  write(site / "templates" / "term.html", "<h1>{{ term.name | shout }}</h1>\n");
  std::string diags;
  ASSERT_FALSE(build(site, &diags));
  // One error for every term page, named by the first page's address (not
  // byline.toml, where the taxonomy is configured).
  EXPECT_NE(diags.find("templates/term.html:1:20: error: no filter named 'shout' (while "
                       "rendering /author/ada-writer/ and 7 other pages)"),
            std::string::npos)
      << diags;
  EXPECT_EQ(diags.find("byline.toml"), std::string::npos) << diags;
}

TEST_F(BuildTest, EmptyTermName) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/e.md",
        "---\ntitle: e\ndate: 2019-08-02\ntags: [\"ok\", \" \"]\n---\n");
  expect_failure(site,
                 "content/posts/e.md:4:14: error: empty name in 'tags'\n"
                 "  tags: [\"ok\", \" \"]\n"
                 "               ^\n");
}

TEST_F(BuildTest, AliasThatIsAFullUrl) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/a.md",
        "---\ntitle: a\ndate: 2019-08-02\naliases: [\"https://old.example.com/x/\"]\n---\n");
  expect_failure(site,
                 "content/posts/a.md:4:11: error: an alias is a path on this site such as "
                 "/old/path/, not a full URL\n"
                 "  aliases: [\"https://old.example.com/x/\"]\n"
                 "            ^\n");
}

TEST_F(BuildTest, PageCollidingWithAGeneratedPage) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "byline.toml", "date_archives = true\n" + read(site / "byline.toml"));
  write(site / "content/posts/b.md", "---\ntitle: b\ndate: 2019-08-02\nurl: /2019/08/\n---\n");
  expect_failure(site,
                 "content/posts/b.md:4:6: error: this page's URL /2019/08/ is also the date "
                 "archive's: choose another url or slug\n"
                 "  url: /2019/08/\n"
                 "       ^\n");
}

// The home page's and a section's own text (_index.md) keep their aliases,
// as an imported static front page keeps its ?page_id=.
TEST_F(BuildTest, HomeAndSectionTextKeepTheirAliases) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/_index.md",
        "---\ntitle: Front\naliases: [/?page_id=6, /front/]\n---\nHi.\n");
  write(site / "content/posts/_index.md", "---\ntitle: Blog\naliases: [/?page_id=2]\n---\n");
  write(site / "content/posts/a.md", "---\ntitle: a\ndate: 2019-08-01\n---\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  std::string redirects = read(out_ / "_redirects");
  EXPECT_NE(redirects.find("/ page_id=6 / 301!\n"), std::string::npos) << redirects;
  EXPECT_NE(redirects.find("/ page_id=2 /posts/ 301!\n"), std::string::npos) << redirects;
  EXPECT_TRUE(present(out_ / "front/index.html"));
}

// Comments kept from WordPress show under the post, read-only;
// [params] comments = false hides them.
TEST_F(BuildTest, ImportedCommentsShowUnderThePost) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/a.md",
        "---\ntitle: a\ndate: 2019-08-01\ncomments:\n  - id: \"7\"\n    author: \"Ann\"\n"
        "    url: \"https://ann.example/\"\n    date: \"2019-08-02T10:00:00Z\"\n"
        "    text: \"Lovely *piece*.\"\n---\nBody.\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  std::string html = read(out_ / "2019/08/a/index.html");
  EXPECT_NE(html.find("<h2 id=\"comments-title\">1 comment</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li class=\"comment\" id=\"comment-7\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://ann.example/\" rel=\"nofollow ugc\">Ann</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2019-08-02\">2 August 2019</time>"), std::string::npos);
  EXPECT_NE(html.find("Lovely <em>piece</em>."), std::string::npos);

  write(site / "byline.toml", read(site / "byline.toml") + "\n[params]\ncomments = false\n");
  ASSERT_TRUE(build(site, &diags)) << diags;
  html = read(out_ / "2019/08/a/index.html");
  EXPECT_NE(html.find("Body."), std::string::npos) << html;
  EXPECT_EQ(html.find("comment-7"), std::string::npos) << html;
}

TEST_F(BuildTest, PageCollidingWithAnotherPagesAlias) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/a.md", "---\ntitle: a\ndate: 2019-08-01\naliases: [/b-url/]\n---\n");
  write(site / "content/posts/b.md", "---\ntitle: b\ndate: 2019-08-02\nurl: /b-url/\n---\n");
  expect_failure(site,
                 "content/posts/b.md:4:6: error: this page's URL /b-url/ is also an alias of "
                 "posts/a.md: choose another url or slug\n"
                 "  url: /b-url/\n"
                 "       ^\n");
}

// A WordPress blog's "Search" page, imported, is at /search/: the page
// keeps its URL, and the built-in search page gives way with a warning.
TEST_F(BuildTest, APageAtTheSearchPagesUrlKeepsIt) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/search.md", "---\ntitle: Find things\nurl: /search/\n---\nMy own page.\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  EXPECT_NE(diags.find("content/search.md:3:6: warning: this page's URL /search/ is the search "
                       "page's: the page is kept and the built-in search page left out"),
            std::string::npos)
      << diags;
  EXPECT_NE(read(out_ / "search/index.html").find("My own page."), std::string::npos);
  EXPECT_TRUE(present(out_ / "search/index.json"));
}

TEST_F(BuildTest, ConfiguredTermSlugs) {
  fs::path site = copy_site("basic");
  std::string config = read(site / "byline.toml");
  replace_all(config, "tags = \"/tag/:slug/\"\n", "");
  config +=
      "\n[taxonomies.tags]\nurl = \"/tag/:slug/\"\n[taxonomies.tags.slugs]\n"
      "\"hong kong\" = \"hk\"\n\"Russia\" = \"europe/russia\"\n";
  write(site / "byline.toml", config);
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  EXPECT_TRUE(present(out_ / "tag/hk/index.html"));
  EXPECT_TRUE(present(out_ / "tag/europe/russia/index.html"));
  EXPECT_FALSE(present(out_ / "tag/hong-kong"));
  EXPECT_NE(read(out_ / "2019/08/first-post/index.html").find("href=\"/tag/europe/russia/\""),
            std::string::npos);
}

TEST_F(BuildTest, JekyllFileNamesAndLooseSlugs) {
  fs::path site = copy_site("invalid/valid-base");
  write(site / "content/posts/2019-08-05-a-jekyll-post.md", "---\ntitle: J\n---\nBody.\n");
  write(site / "content/posts/loose.md",
        "---\ntitle: L\ndate: 2019-09-01\nslug: \" Hello World \"\n---\nBody.\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  EXPECT_TRUE(present(out_ / "2019/08/a-jekyll-post/index.html"));
  EXPECT_TRUE(present(out_ / "2019/09/hello-world/index.html"));
}

TEST_F(BuildTest, MissingConfig) {
  fs::path site = tmp_ / "empty";
  fs::create_directories(site / "content");
  expect_failure(site,
                 "byline.toml: error: no byline.toml here: not a byline site (create one with "
                 "`byline new site DIR`, or point at one with -s)\n");
}

TEST_F(BuildTest, BrokenConfig) {
  expect_failure(kSites / "invalid" / "bad-config",
                 "byline.toml:3:12: error: 'paginate' must be an integer\n"
                 "  paginate = \"ten\"\n"
                 "             ^\n");
}

// --- The writer's archive (issue 5) on tests/sites/writer -------------------

// The text between `from` and the next `to` after it, or "" when absent.
std::string between(const std::string& s, std::string_view from, std::string_view to) {
  size_t a = s.find(from);
  if (a == std::string::npos) return "";
  a += from.size();
  size_t b = s.find(to, a);
  return b == std::string::npos ? "" : s.substr(a, b - a);
}

// The hrefs of the <li><a> entries of the first <ul class="term-list">.
std::vector<std::string> term_list(const std::string& html) {
  std::vector<std::string> out;
  std::string list = between(html, "<ul class=\"term-list\">", "</ul>");
  for (size_t pos = 0; (pos = list.find("<li><a href=\"", pos)) != std::string::npos;) {
    pos += 13;
    size_t end = list.find("</li>", pos);
    std::string li = list.substr(pos, end - pos);
    out.push_back(li.substr(0, li.find('"')) + " " + li.substr(li.find('>') + 1));
  }
  return out;
}

TEST_F(BuildTest, OutletsIndexCountsPostsAppearancesAndPickups) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  EXPECT_EQ(diags, "");
  // The Daily Planet: one post, one appearance, one pickup; Radio X: one
  // logged appearance and one attached to a post. Ties by name.
  EXPECT_EQ(
      term_list(read(out_ / "outlets/index.html")),
      (std::vector<std::string>{
          "/outlet/daily-planet/ The Daily Planet</a> (3)", "/outlet/radio-x/ Radio X</a> (2)",
          "/outlet/gazette/ Gazette</a> (1)", "/outlet/podcast-y/ Podcast Y</a> (1)"}));
  EXPECT_NE(read(out_ / "outlets/index.html").find("<h1>Where my work has appeared</h1>"),
            std::string::npos);
  // The outlet page: display name and home page from data/outlets.toml, its
  // appearances (as outlet and as pickup) and its post.
  std::string planet = read(out_ / "outlet/daily-planet/index.html");
  EXPECT_NE(planet.find("<h1>Written for and said to The Daily Planet</h1>"), std::string::npos);
  EXPECT_NE(planet.find("1 post, 2 appearances"), std::string::npos) << planet;
  EXPECT_NE(planet.find("<a href=\"https://dailyplanet.example/\">The Daily Planet&rsquo;s "
                        "website</a>"),
            std::string::npos);
  EXPECT_NE(planet.find("<li id=\"2020-05-01-radio-x\">"), std::string::npos);
  EXPECT_NE(planet.find("<li id=\"2019-03-02-daily-planet\">"), std::string::npos);
  EXPECT_LT(planet.find("2020-05-01-radio-x"), planet.find("2019-03-02-daily-planet"));
  EXPECT_NE(planet.find("<a href=\"/posts/republished/\">The grid, again</a>"), std::string::npos);
  // An outlet known only from the log has a page too.
  EXPECT_TRUE(present(out_ / "outlet/podcast-y/index.html"));
}

TEST_F(BuildTest, AppearancesTimelineIsGroupedByYearAndPaginated) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string p1 = read(out_ / "appearances/index.html");
  std::string p2 = read(out_ / "appearances/page/2/index.html");
  EXPECT_FALSE(present(out_ / "appearances/page/3/index.html"));
  // Newest first, two per page ([appearances] paginate = 2).
  EXPECT_NE(p1.find("<h2 id=\"year-2021\">2021</h2>"), std::string::npos);
  EXPECT_NE(p1.find("<h2 id=\"year-2020\">2020</h2>"), std::string::npos);
  EXPECT_LT(p1.find("2021-01-10-podcast-y"), p1.find("2020-06-01-radio-x"));
  EXPECT_EQ(p1.find("2020-05-01-radio-x"), std::string::npos);
  EXPECT_NE(p2.find("2020-05-01-radio-x"), std::string::npos);
  EXPECT_NE(p2.find("<h2 id=\"year-2019\">2019</h2>"), std::string::npos);
  // The generated sentence with its pickup, and the topic's own full stop.
  EXPECT_NE(p2.find("Interviewed by <em><a href=\"/outlet/radio-x/\">Radio X</a></em> about "
                    "<a href=\"https://radiox.example/energy\">Energy prices</a>, also picked up "
                    "by <em><a href=\"https://dailyplanet.example/es/energia\">The Daily "
                    "Planet</a></em> (translated into Spanish)."),
            std::string::npos)
      << p2;
  EXPECT_NE(p1.find("On <em><a href=\"/outlet/podcast-y/\">Podcast Y</a></em> about <a "
                    "href=\"https://podcasty.example/42\">What next?</a></p>"),
            std::string::npos)
      << p1;
  // An appearance attached to a post links the post.
  EXPECT_NE(p1.find("With the piece <a href=\"/posts/republished/\">The grid, again</a>"),
            std::string::npos);
}

TEST_F(BuildTest, AppearancesFeedsListEveryAppearance) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string rss = read(out_ / "appearances/rss.xml");
  size_t items = 0;
  for (size_t pos = 0; (pos = rss.find("<item>", pos)) != std::string::npos; ++pos) ++items;
  EXPECT_EQ(items, 4u);
  EXPECT_NE(rss.find("<title>Interviewed by Radio X: Energy prices</title>"), std::string::npos);
  EXPECT_NE(rss.find("<link>https://radiox.example/energy</link>"), std::string::npos);
  EXPECT_NE(rss.find("<guid isPermaLink=\"false\">https://writer.example/appearances/"
                     "#2020-05-01-radio-x</guid>"),
            std::string::npos);
  EXPECT_NE(rss.find("<pubDate>Fri, 01 May 2020 00:00:00 +0000</pubDate>"), std::string::npos);
  // Without a URL of its own, an appearance attached to a post links it.
  EXPECT_NE(rss.find("<link>https://writer.example/posts/republished/</link>"), std::string::npos);
  EXPECT_TRUE(present(out_ / "appearances/atom.xml"));
  std::string json = read(out_ / "appearances/feed.json");
  EXPECT_NE(json.find("\"title\":\"Quoted in The Daily Planet: Grid storage\""), std::string::npos);
  // The timeline and every page link it as an alternate.
  EXPECT_NE(read(out_ / "appearances/index.html")
                .find("href=\"https://writer.example/appearances/rss.xml\""),
            std::string::npos);
}

TEST_F(BuildTest, RepublishedPostHasIntroArticleCanonicalAndCorrection) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string post = read(out_ / "posts/republished/index.html");
  EXPECT_NE(post.find("<link rel=\"canonical\" href=\"https://dailyplanet.example/2020/grid\">"),
            std::string::npos);
  EXPECT_NE(post.find("First published in <em><a href=\"https://dailyplanet.example/2020/grid\">"
                      "The Daily Planet</a></em> as &ldquo;Why the grid keeps failing&rdquo;."),
            std::string::npos);
  std::string intro = between(post, "<div class=\"intro\">", "<div class=\"article\">");
  EXPECT_NE(intro.find("<p>I wrote this for the Daily Planet.</p>"), std::string::npos);
  EXPECT_NE(intro.find("On <em><a href=\"/outlet/radio-x/\">Radio X</a></em> about The grid "
                       "piece."),
            std::string::npos)
      << intro;
  EXPECT_EQ(intro.find("nobody owns"), std::string::npos);
  std::string article = between(post, "<div class=\"article\">", "</div>");
  EXPECT_NE(article.find("<h2 class=\"article-title\">Why the grid keeps failing</h2>"),
            std::string::npos);
  EXPECT_NE(article.find("<p>The grid keeps failing because nobody owns the problem.</p>"),
            std::string::npos);
  EXPECT_EQ(article.find("I wrote this"), std::string::npos);
  EXPECT_NE(post.find("<time datetime=\"2020-06-03\">3 June 2020</time></p>\n<p>An earlier "
                      "version gave the wrong <em>year</em>.</p>"),
            std::string::npos)
      << post;
  EXPECT_NE(post.find("\"@type\": \"NewsArticle\""), std::string::npos);
  EXPECT_NE(post.find("\"publisher\": {\"@type\": \"Organization\", \"name\": \"The Daily "
                      "Planet\", \"url\": \"https://dailyplanet.example/\"}"),
            std::string::npos)
      << post;
  // The correction travels with the feed entry.
  std::string rss = read(out_ / "rss.xml");
  std::string entry = between(rss, "<title>The grid, again</title>", "</item>");
  // (in content:encoded's CDATA section, as WordPress writes it)
  std::string body = between(entry, "<content:encoded><![CDATA[", "]]></content:encoded>");
  EXPECT_NE(body.find("<p class=\"correction\"><strong>Correction, 3 June 2020:</strong> An "
                      "earlier version gave the wrong <em>year</em>.</p>"),
            std::string::npos)
      << entry;
  EXPECT_NE(read(out_ / "feed.json").find("Correction, 3 June 2020:"), std::string::npos);
}

TEST_F(BuildTest, CanonicalSelfAndIntroField) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string post = read(out_ / "posts/self-canonical/index.html");
  EXPECT_NE(
      post.find("<link rel=\"canonical\" href=\"https://writer.example/posts/self-canonical/\">"),
      std::string::npos);
  EXPECT_NE(between(post, "<div class=\"intro\">", "</div>")
                .find("<p>A column for the "
                      "<em>Gazette</em>.</p>"),
            std::string::npos)
      << post;
  EXPECT_NE(between(post, "<div class=\"article\">", "</div>").find("<p>Column text.</p>"),
            std::string::npos);
  // A post that is not republished is its own canonical.
  EXPECT_NE(read(out_ / "posts/plain/index.html")
                .find("<link rel=\"canonical\" href=\"https://writer.example/posts/plain/\">"),
            std::string::npos);
  EXPECT_NE(read(out_ / "posts/plain/index.html").find("\"@type\": \"BlogPosting\""),
            std::string::npos);
}

TEST_F(BuildTest, SiteWideCanonicalSelf) {
  fs::path site = copy_site("writer");
  std::string config = read(site / "byline.toml");
  write(site / "byline.toml", "canonical = \"self\"\n" + config);
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  EXPECT_NE(
      read(out_ / "posts/republished/index.html")
          .find("<link rel=\"canonical\" href=\"https://writer.example/posts/republished/\">"),
      std::string::npos);
}

TEST_F(BuildTest, CoAuthorsGetAuthorPages) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string ben = read(out_ / "author/ben-co/index.html");
  EXPECT_NE(ben.find("<h1>Posts by Ben Co</h1>"), std::string::npos);
  EXPECT_NE(ben.find("<a href=\"/posts/cowritten/\">Written together</a>"), std::string::npos);
  EXPECT_EQ(ben.find("/posts/plain/"), std::string::npos);
  EXPECT_EQ(ben.find("author-bio"), std::string::npos);  // no data/authors.toml entry
  EXPECT_NE(read(out_ / "author/ana-writer/index.html")
                .find("<div class=\"author-bio\"><p>Ana writes about energy.</p></div>"),
            std::string::npos);
  // Posts without `authors` are by the site's author: all four, two a page.
  std::string ana = read(out_ / "author/ana-writer/index.html") +
                    read(out_ / "author/ana-writer/page/2/index.html");
  for (const char* p : {"republished", "self-canonical", "cowritten", "plain"})
    EXPECT_NE(ana.find(std::string("<a href=\"/posts/") + p + "/\">"), std::string::npos) << p;
  EXPECT_NE(read(out_ / "posts/cowritten/index.html")
                .find("By <span class=\"author\"><a href=\"/author/ana-writer/\">Ana "
                      "Writer</a></span> and <span class=\"author\"><a "
                      "href=\"/author/ben-co/\">Ben Co</a></span>"),
            std::string::npos);
}

TEST_F(BuildTest, ArchiveContentFullShowsWholePosts) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "writer", &diags)) << diags;
  std::string tag_page = read(out_ / "author/ben-co/index.html");
  EXPECT_NE(tag_page.find("<div class=\"entry-content\">"), std::string::npos);
  fs::path site = copy_site("writer");
  std::string config = read(site / "byline.toml");
  replace_all(config, "archive_content = \"full\"", "archive_content = \"summary\"");
  write(site / "byline.toml", config);
  ASSERT_TRUE(build(site, &diags)) << diags;
  tag_page = read(out_ / "author/ben-co/index.html");
  EXPECT_EQ(tag_page.find("<div class=\"entry-content\">"), std::string::npos);
  EXPECT_NE(tag_page.find("<div class=\"entry-summary\">"), std::string::npos);
}

TEST_F(BuildTest, NoOutletsOrAppearancesNoPages) {
  std::string diags;
  ASSERT_TRUE(build(kSites / "themed", &diags)) << diags;
  EXPECT_FALSE(present(out_ / "outlets"));
  EXPECT_FALSE(present(out_ / "appearances"));
  EXPECT_FALSE(present(out_ / "outlet"));
}

// Each bad field of an appearance: a located error, and the previous
// output kept.
TEST_F(BuildTest, AppearanceLogDiagnostics) {
  struct Case {
    std::string entry;
    std::string expected;
  };
  const Case cases[] = {
      {"- outlet: Radio X\n  kind: interview\n",
       "content/appearances.yaml:1:3: error: this appearance has no 'date'\n"
       "  - outlet: Radio X\n    ^\n"},
      {"- date: 2020-01-01\n  kind: interview\n",
       "content/appearances.yaml:1:3: error: this appearance has no 'outlet'\n"
       "  - date: 2020-01-01\n    ^\n"},
      {"- date: 2020-01-01\n  outlet: Radio X\n  kind: radio\n",
       "content/appearances.yaml:3:9: error: unknown kind 'radio'; use one of interview, quoted, "
       "broadcast, podcast, op-ed, event, pickup\n"
       "    kind: radio\n          ^\n"},
      {"- date: 2020-01-01\n  outlet: Radio X\n  url: radiox.example/x\n",
       "content/appearances.yaml:3:8: error: 'url' must be a full URL such as "
       "https://example.com/story, not 'radiox.example/x'\n"
       "    url: radiox.example/x\n         ^\n"},
      {"- date: 2020-13-01\n  outlet: Radio X\n",
       "content/appearances.yaml:1:9: error: 'date' is not a valid date: month out of range "
       "(1-12)\n"
       "  - date: 2020-13-01\n          ^\n"},
      {"- date: 2020-01-01\n  outlet: Radio X\n  pickups:\n    - url: https://z.example/\n",
       "content/appearances.yaml:4:7: error: this pickup has no 'outlet'\n"
       "      - url: https://z.example/\n        ^\n"},
      {"- date: 2020-01-01\n  outlet: Radio X\n  language: Spanish!\n",
       "content/appearances.yaml:3:13: error: 'language' must be a language tag such as en, es or "
       "pt-BR, not 'Spanish!'\n"
       "    language: Spanish!\n              ^\n"},
  };
  for (const Case& c : cases) {
    fs::path site = copy_site("writer");
    write(site / "content/appearances.yaml", c.entry);
    expect_failure(site, c.expected);
    fs::remove_all(site);
  }
}

TEST_F(BuildTest, FrontMatterWriterFieldDiagnostics) {
  struct Case {
    std::string front_matter;
    std::string expected;
  };
  const Case cases[] = {
      {"title: x\nappearances:\n  - date: 2020-01-01\n    kind: quoted\n",
       "content/posts/bad.md:4:5: error: this appearance has no 'outlet'\n"
       "    - date: 2020-01-01\n      ^\n"},
      {"title: x\nappearances: Radio X\n",
       "content/posts/bad.md:3:14: error: 'appearances' must be a list of entries (each with "
       "date, outlet, kind, topic, url), not a string\n"
       "  appearances: Radio X\n               ^\n"},
      {"title: x\ncanonical: elsewhere\n",
       "content/posts/bad.md:3:12: error: 'canonical' must be \"original\", \"self\" or a full "
       "URL, not 'elsewhere'\n"
       "  canonical: elsewhere\n             ^\n"},
      {"title: x\noriginal_url: www.paper.example/x\n",
       "content/posts/bad.md:3:15: error: 'original_url' must be a full URL such as "
       "https://example.com/story, not 'www.paper.example/x'\n"
       "  original_url: www.paper.example/x\n                ^\n"},
      {"title: x\ncorrection:\n  date: 2020-01-01\n",
       "content/posts/bad.md:4:3: error: 'correction' needs a 'text'\n"
       "    date: 2020-01-01\n    ^\n"},
  };
  for (const Case& c : cases) {
    fs::path site = copy_site("writer");
    write(site / "content/posts/bad.md", "---\n" + c.front_matter + "---\nBody.\n");
    expect_failure(site, c.expected);
    fs::remove_all(site);
  }
}

TEST_F(BuildTest, OutletDataDiagnostics) {
  fs::path site = copy_site("writer");
  write(site / "data/outlets.toml", "[\"Daily Planet\"]\nurl = \"dailyplanet\"\n");
  expect_failure(site,
                 "data/outlets.toml:2:7: error: 'url' must be a full URL such as "
                 "https://example.com/, not 'dailyplanet'\n"
                 "  url = \"dailyplanet\"\n        ^\n");
}

TEST_F(BuildTest, AppearanceLogInToml) {
  fs::path site = copy_site("writer");
  fs::remove(site / "content/appearances.yaml");
  write(site / "content/appearances.toml",
        "[[appearances]]\ndate = 2022-02-02\noutlet = \"Radio X\"\nkind = \"broadcast\"\n"
        "topic = \"Winter\"\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  std::string p1 = read(out_ / "appearances/index.html");
  EXPECT_NE(p1.find("<li id=\"2022-02-02-radio-x\">"), std::string::npos) << p1;
  EXPECT_NE(p1.find("On <em><a href=\"/outlet/radio-x/\">Radio X</a></em> about Winter."),
            std::string::npos);
}

// Every file under `dir`, by its path relative to it, with its bytes.
std::map<std::string, std::string> tree_of(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).generic_string()] = read(e.path());
  }
  return files;
}

// Two different sites built in one process, at the same time, on two
// threads: nothing of one site may leak into the other (the template
// objects reach their site through the render's own SiteObjects, not a
// process-wide "current site"). Each output must equal its site's build
// made alone. Also built under ThreadSanitizer (`make tsan`).
TEST_F(BuildTest, TwoSitesBuildSideBySideInOneProcess) {
  const char* const kNames[] = {"writer", "themed"};
  std::optional<DateTime> now = parse_datetime("2024-06-01");
  ASSERT_TRUE(now);
  auto build_into = [&](const char* name, const fs::path& dest) {
    BuildOptions o;
    o.source = kSites / name;
    o.dest = dest;
    o.now = now;
    DiagnosticSink sink;
    BuildResult r;
    bool ok = build_site(o, &r, sink);
    return ok ? std::string() : "failed: " + sink.format_all();
  };
  std::map<std::string, std::string> alone[2];
  for (int s = 0; s < 2; ++s) {
    fs::path dest = tmp_ / ("alone-" + std::string(kNames[s]));
    ASSERT_EQ(build_into(kNames[s], dest), "");
    alone[s] = tree_of(dest);
    ASSERT_GT(alone[s].size(), 10u);
  }
  ASSERT_NE(alone[0].at("index.html"), alone[1].at("index.html"));
  // Several rounds, so that the two renders overlap however the threads
  // are scheduled.
  for (int round = 0; round < 3; ++round) {
    std::string result[2];
    fs::path dest[2];
    std::thread threads[2];
    for (int s = 0; s < 2; ++s) {
      dest[s] = tmp_ / ("together-" + std::to_string(round) + "-" + kNames[s]);
      threads[s] = std::thread([&, s] { result[s] = build_into(kNames[s], dest[s]); });
    }
    for (std::thread& t : threads) t.join();
    for (int s = 0; s < 2; ++s) {
      ASSERT_EQ(result[s], "") << kNames[s];
      std::map<std::string, std::string> together = tree_of(dest[s]);
      ASSERT_EQ(together.size(), alone[s].size()) << kNames[s];
      for (const auto& [path, bytes] : alone[s])
        EXPECT_EQ(together[path], bytes) << kNames[s] << ": " << path;
    }
  }
}

// A theme writes an appearance's sentence in its own words with
// partials/appearance_sentence.html; pages and the appearances feed both
// use it, the feed with absolute links.
TEST_F(BuildTest, ThemeWritesTheAppearanceSentence) {
  fs::path site = copy_site("writer");
  write(site / "templates/partials/appearance_sentence.html",
        "Habló con <a href=\"{{ appearance.outlet_term.url }}\">{{ appearance.outlet }}</a>"
        "{% if appearance.topic %} sobre {{ appearance.topic }}{% endif %}.\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  std::string timeline = read(out_ / "appearances/index.html");
  EXPECT_NE(timeline.find("Habló con <a href=\"/outlet/"), std::string::npos) << timeline;
  EXPECT_EQ(timeline.find("Spoke to"), std::string::npos);
  std::string feed = read(out_ / "appearances/rss.xml");
  EXPECT_NE(feed.find("Habló con &lt;a href=&quot;https://writer.example/outlet/"),
            std::string::npos)
      << feed;
}

// A theme's sentence template that fails is a located error, not a crash.
TEST_F(BuildTest, BrokenAppearanceSentenceTemplateIsAnError) {
  fs::path site = copy_site("writer");
  write(site / "templates/partials/appearance_sentence.html", "{{ appearance.topic | nosuch }}\n");
  std::string diags;
  EXPECT_FALSE(build(site, &diags));
  EXPECT_NE(diags.find("templates/partials/appearance_sentence.html:1:"), std::string::npos)
      << diags;
  EXPECT_NE(diags.find("nosuch"), std::string::npos) << diags;
}

// A sentence template that reads a sentence would render itself without
// end: a located error, not a stack overflow (found by the property test).
TEST_F(BuildTest, AppearanceSentenceTemplateReadingASentenceIsAnError) {
  fs::path site = copy_site("writer");
  write(site / "templates/partials/appearance_sentence.html",
        "{{ appearance.outlet }}{% for a in site.appearances %}{{ a.sentence }}{% endfor %}\n");
  std::string diags;
  EXPECT_FALSE(build(site, &diags));
  EXPECT_NE(diags.find("templates/partials/appearance_sentence.html:1:"), std::string::npos)
      << diags;
  EXPECT_NE(diags.find("an appearance's sentence is read in partials/appearance_sentence.html"),
            std::string::npos)
      << diags;
}

// What earlier builds retired beside the output, and the staging folder of
// a killed one, are deleted by the next build, which keeps the output's
// hidden entries and leaves at most its own old output behind; and once
// build_site has returned nothing deletes there any more.
TEST_F(BuildTest, TheNextBuildSweepsWhatEarlierOnesLeft) {
  write(tmp_ / ".public.byline-old-1-0/2019/08/index.html", "retired");
  write(tmp_ / ".public.byline-old-12345/index.html", "retired by an older byline");
  write(tmp_ / ".public.byline-staging/index.html", "abandoned");
  write(out_ / ".git/HEAD", "ref");
  std::string diags;
  ASSERT_TRUE(build(kSites / "basic", &diags)) << diags;
  ASSERT_TRUE(build(kSites / "basic", &diags)) << diags;
  EXPECT_EQ(read(out_ / ".git/HEAD"), "ref");
  EXPECT_FALSE(read(out_ / "robots.txt").empty());
  auto beside = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(tmp_)) {
      if (e.path() != out_) names.push_back(e.path().filename().string());
    }
    return names;
  };
  std::vector<std::string> left = beside();
  ASSERT_LE(left.size(), 1u);
  for (const std::string& name : left) {
    EXPECT_TRUE(name.starts_with(".public.byline-old-")) << name;
    EXPECT_NE(name, ".public.byline-old-1-0");
    EXPECT_NE(name, ".public.byline-old-12345");
    // Not being deleted behind the test's back: its contents stay put.
    std::error_code ec;
    auto count = [&] {
      return std::distance(fs::recursive_directory_iterator(tmp_ / name, ec),
                           fs::recursive_directory_iterator());
    };
    auto before = count();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(count(), before);
  }
}

// A site that writes into a hidden folder of the output (a page at
// /.well-known/security.txt) keeps the user's own files in it, through an
// incremental build and a full one alike (issue 25: a build killed while
// publishing in place makes the next one full, which dropped them).
TEST_F(BuildTest, APageInAHiddenFolderKeepsTheUsersFilesThere) {
  fs::path site = copy_site("writer");
  write(site / "content/security.md",
        "---\ntitle: Security\nurl: /.well-known/security.txt\n---\nContact: one\n");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  ASSERT_TRUE(fs::exists(out_ / ".well-known/security.txt"));
  write(out_ / ".well-known/acme-challenge/token", "the user's");
  write(site / "content/security.md",
        "---\ntitle: Security\nurl: /.well-known/security.txt\n---\nContact: two\n");
  BuildResult r;
  ASSERT_TRUE(build(site, &diags, &r)) << diags;
  EXPECT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(read(out_ / ".well-known/acme-challenge/token"), "the user's");
  BuildOptions o;
  o.source = site;
  o.dest = out_;
  o.full = true;
  DiagnosticSink sink;
  ASSERT_TRUE(build_site(o, &r, sink)) << sink.format_all();
  EXPECT_FALSE(r.incremental);
  EXPECT_EQ(read(out_ / ".well-known/acme-challenge/token"), "the user's");
  EXPECT_NE(read(out_ / ".well-known/security.txt").find("two"), std::string::npos);
}

// Incremental builds (issue 22): edits that tests/incremental/property_test.py
// caught the incremental build missing. Each build after the first starts
// from the state the one before saved.

// A feed template added in front of the built-in feed replaces it, and
// removing it brings the built-in one back.
TEST_F(BuildTest, IncrementalBuildSeesAFeedTemplateComeAndGo) {
  fs::path site = copy_site("writer");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  std::string builtin = read(out_ / "rss.xml");
  write(site / "templates/rss.xml", "<rss>{{ feed.title }}</rss>\n");
  BuildResult r;
  ASSERT_TRUE(build(site, &diags, &r)) << diags;
  EXPECT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(read(out_ / "rss.xml"), "<rss>Writer</rss>");  // no final newline, as in Jinja2
  fs::remove(site / "templates/rss.xml");
  ASSERT_TRUE(build(site, &diags, &r)) << diags;
  EXPECT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(read(out_ / "rss.xml"), builtin);
}

// The appearance sentence template added later rewrites every sentence.
TEST_F(BuildTest, IncrementalBuildSeesTheAppearanceSentenceTemplateAdded) {
  fs::path site = copy_site("writer");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  write(site / "templates/partials/appearance_sentence.html",
        "Habló con {{ appearance.outlet }}.\n");
  BuildResult r;
  ASSERT_TRUE(build(site, &diags, &r)) << diags;
  EXPECT_TRUE(r.incremental) << r.full_reason;
  std::string timeline = read(out_ / "appearances/page/2/index.html");
  EXPECT_NE(timeline.find("Habló con The Daily Planet."), std::string::npos) << timeline;
  EXPECT_EQ(timeline.find("Quoted in"), std::string::npos) << timeline;
}

// An outlet's display name from data/outlets.toml shows in the sentences
// of the appearances that name it.
TEST_F(BuildTest, IncrementalBuildSeesAnOutletRenamedInItsDataFile) {
  fs::path site = copy_site("writer");
  std::string diags;
  ASSERT_TRUE(build(site, &diags)) << diags;
  ASSERT_NE(read(out_ / "appearances/page/2/index.html").find("The Daily Planet"),
            std::string::npos);
  write(site / "data/outlets.toml",
        "[\"Daily Planet\"]\nurl = \"https://dailyplanet.example/\"\n"
        "display_name = \"The Daily Globe\"\n");
  BuildResult r;
  ASSERT_TRUE(build(site, &diags, &r)) << diags;
  EXPECT_TRUE(r.incremental) << r.full_reason;
  std::string timeline = read(out_ / "appearances/page/2/index.html");
  EXPECT_NE(timeline.find("The Daily Globe"), std::string::npos) << timeline;
  EXPECT_EQ(timeline.find("The Daily Planet"), std::string::npos) << timeline;
}

}  // namespace
}  // namespace byline
