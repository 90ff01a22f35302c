#include "site/paginator.h"

#include <gtest/gtest.h>

#include <set>

namespace byline {
namespace {

TEST(Paginator, SplitsExactlyWithoutLossOrRepeat) {
  std::vector<Page> pages(23);
  std::vector<const Page*> ptrs;
  for (const Page& p : pages) ptrs.push_back(&p);
  Paginator first(ptrs, 10, "/tag/x/");
  EXPECT_EQ(first.total_pages(), 3);
  std::set<const Page*> seen;
  size_t total = 0;
  for (int n = 1; n <= first.total_pages(); ++n) {
    Paginator p = first.at(n);
    for (const Page* page : p.items()) seen.insert(page);
    total += p.items().size();
  }
  EXPECT_EQ(total, 23u);
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(first.at(3).items().size(), 3u);
  EXPECT_FALSE(first.has_prev());
  EXPECT_TRUE(first.at(3).has_prev());
  EXPECT_FALSE(first.at(3).has_next());
}

TEST(Paginator, Urls) {
  std::vector<const Page*> none;
  Paginator p(none, 10, "/tag/x/");
  EXPECT_EQ(p.total_pages(), 1);
  EXPECT_EQ(p.url_of(1), "/tag/x/");
  EXPECT_EQ(p.url_of(2), "/tag/x/page/2/");
  EXPECT_EQ(p.output_path_of(1), "tag/x/index.html");
  EXPECT_EQ(Paginator(none, 10, "/").output_path_of(3), "page/3/index.html");
}

}  // namespace
}  // namespace byline
