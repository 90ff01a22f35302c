#include "check/output_index.h"

#include <gtest/gtest.h>

#include "check/site_check.h"

namespace byline {
namespace {

OutputIndex index_of(std::string_view base_url) {
  OutputIndex index;
  index.assign({"index.html", "about/index.html", "2019/08/post/index.html",
                "2019/08/post/chart.svg", "style.css", "greek/\xCE\xB5/index.html"},
               "/old/ /about/ 301\n/gone/ /nowhere/ 301\n/ p=7 /about/ 301!\n", SiteUrls(base_url));
  return index;
}

TEST(OutputIndex, ResolvesFilesFoldersAndRelativeLinks) {
  OutputIndex index = index_of("https://example.org/");
  const std::string page = "2019/08/post/index.html";
  EXPECT_EQ(index.resolve(page, "/about/").file, "about/index.html");
  EXPECT_EQ(index.resolve(page, "/about").file, "about/index.html");  // the server adds the '/'
  EXPECT_EQ(index.resolve(page, "chart.svg").file, "2019/08/post/chart.svg");
  EXPECT_EQ(index.resolve(page, "../../../style.css?v=2").file, "style.css");
  EXPECT_EQ(index.resolve(page, "https://EXAMPLE.org:443/about/#team").file, "about/index.html");
  EXPECT_EQ(index.resolve(page, "/greek/%ce%b5/").file, "greek/\xCE\xB5/index.html");
  EXPECT_EQ(index.resolve(page, "#top").file, page);
  EXPECT_EQ(index.resolve(page, "/missing/").status, Resolution::kMissing);
  EXPECT_EQ(index.resolve(page, "/missing/").site_path, "/missing/");
  EXPECT_EQ(index.resolve(page, "https://other.example/").status, Resolution::kExternal);
  EXPECT_EQ(index.resolve(page, "http://example.org/about/").status, Resolution::kExternal);
  EXPECT_EQ(index.resolve(page, "mailto:me@example.org").status, Resolution::kIgnored);
  EXPECT_EQ(index.resolve(page, "").status, Resolution::kIgnored);
}

TEST(OutputIndex, FollowsRedirects) {
  OutputIndex index = index_of("https://example.org/");
  Resolution r = index.resolve("index.html", "/old/");
  EXPECT_EQ(r.status, Resolution::kRedirect);
  EXPECT_EQ(r.file, "about/index.html");
  Resolution bad = index.resolve("index.html", "/gone/");
  EXPECT_EQ(bad.status, Resolution::kBadRedirect);
  EXPECT_EQ(bad.redirect_to, "/nowhere/");
  // ?p=7 needs its rule; the home page alone does not answer it.
  EXPECT_EQ(index.resolve_site_path("/", "p=7", true).file, "about/index.html");
  EXPECT_EQ(index.resolve_site_path("/", "p=8", true).status, Resolution::kMissing);
  EXPECT_EQ(index.resolve_site_path("/", "p=8", false).status, Resolution::kFile);
}

TEST(OutputIndex, RespectsTheBasePath) {
  OutputIndex index = index_of("https://example.org/blog/");
  const std::string page = "2019/08/post/index.html";
  EXPECT_EQ(index.folder_url(page), "/blog/2019/08/post/");
  EXPECT_EQ(index.resolve(page, "/blog/about/").file, "about/index.html");
  EXPECT_EQ(index.resolve(page, "/blog").file, "index.html");
  EXPECT_EQ(index.resolve(page, "../../../about/").file, "about/index.html");
  EXPECT_EQ(index.resolve(page, "/about/").status, Resolution::kOutsideBase);
  EXPECT_EQ(index.resolve(page, "https://example.org/blog/style.css").file, "style.css");
}

TEST(SiteCheck, FragmentsOnThePageAndElsewhere) {
  OutputIndex index = index_of("https://example.org/");
  HtmlScan scan;
  scan_html(
      "<h2 id=\"here\">h</h2><a href=\"#here\">ok</a><a href=\"#nowhere\">bad</a>"
      "<a href=\"/about/#team\">later</a><a href=\"/missing/\">x</a><a href=\"#\">top</a>"
      "<a href=\"https://other.example/#x\">ext</a>",
      &scan);
  std::sort(scan.ids.begin(), scan.ids.end());
  std::vector<LinkProblem> problems;
  std::vector<PendingFragment> pending;
  std::vector<ExternalLink> external;
  SiteCheckResult counts;
  check_page_links(index, "index.html", scan, &problems, &pending, &counts, &external);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].kind, "fragment");
  EXPECT_EQ(problems[0].url, "#nowhere");
  EXPECT_EQ(problems[1].kind, "link");
  EXPECT_EQ(problems[1].site_path, "/missing/");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(index.files()[pending[0].target], "about/index.html");
  EXPECT_EQ(pending[0].fragment, "team");
  ASSERT_EQ(external.size(), 1u);
  EXPECT_EQ(counts.links, 6u);
  EXPECT_EQ(counts.fragments, 3u);
  EXPECT_TRUE(has_fragment({"a", "team"}, "team"));
  EXPECT_FALSE(has_fragment({"a", "team"}, "Team"));
  EXPECT_TRUE(has_fragment({}, "top"));
}

}  // namespace
}  // namespace byline
