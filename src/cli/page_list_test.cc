#include "cli/page_list.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace byline {
namespace {

Page page(std::string rel, std::string title, const char* date, std::string permalink) {
  Page p;
  p.rel_path = std::move(rel);
  p.title = std::move(title);
  if (date) p.date = parse_datetime(date);
  p.permalink = std::move(permalink);
  return p;
}

class PageListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.urls = SiteUrls("https://example.org/blog/");
    Page home = page("_index.md", "Home", nullptr, "/");
    home.kind = PageKind::kHome;
    home.draft = true;  // not a post: never listed
    content_.pages.push_back(std::move(home));
    Page draft = page("posts/a.md", "A\tdraft", "2020-01-01", "/a/");
    draft.draft = true;
    content_.pages.push_back(std::move(draft));
    content_.pages.push_back(page("posts/b.md", "Future", "2030-01-01T00:00:00Z", "/b/"));
    Page expired = page("posts/c.md", "Gone", "2019-05-05T10:00:00+02:00", "/c/");
    expired.expiry_date = parse_datetime("2021-01-01");
    content_.pages.push_back(std::move(expired));
    content_.pages.push_back(page("about.md", "About", nullptr, "/about/"));
    now_ = *parse_datetime("2025-01-01T00:00:00Z");
  }

  std::string list(PageListKind kind) { return format_page_list(config_, content_, kind, now_); }

  SiteConfig config_;
  Content content_;
  DateTime now_;
};

TEST_F(PageListTest, ListsEachKind) {
  EXPECT_EQ(list(PageListKind::kDrafts),
            "content/posts/a.md\t2020-01-01T00:00:00Z\tA draft\thttps://example.org/blog/a/\n");
  EXPECT_EQ(list(PageListKind::kFuture),
            "content/posts/b.md\t2030-01-01T00:00:00Z\tFuture\thttps://example.org/blog/b/\n");
  EXPECT_EQ(list(PageListKind::kExpired),
            "content/posts/c.md\t2019-05-05T10:00:00+02:00\tGone\thttps://example.org/blog/c/\n");
}

TEST_F(PageListTest, AllListsEveryPostAndPage) {
  std::string all = list(PageListKind::kAll);
  EXPECT_EQ(all.find("Home"), std::string::npos);
  EXPECT_NE(all.find("content/about.md\t\tAbout\thttps://example.org/blog/about/\n"),
            std::string::npos)
      << all;
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 4);
}

TEST_F(PageListTest, NowDecidesFutureAndExpired) {
  now_ = *parse_datetime("2020-06-01");
  EXPECT_EQ(list(PageListKind::kExpired), "");
  now_ = *parse_datetime("2031-01-01");
  EXPECT_EQ(list(PageListKind::kFuture), "");
}

}  // namespace
}  // namespace byline
