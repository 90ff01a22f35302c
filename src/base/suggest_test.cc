#include "base/suggest.h"

#include <gtest/gtest.h>

#include <array>

namespace byline {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("title", "title"), 0u);
  EXPECT_EQ(edit_distance("titel", "title"), 1u);               // swap
  EXPECT_EQ(edit_distance("orignal_url", "original_url"), 1u);  // insertion
  EXPECT_EQ(edit_distance("feed", "feeds"), 1u);
  EXPECT_EQ(edit_distance("pagiante", "paginate"), 1u);  // swap
  EXPECT_EQ(edit_distance("dates", "date"), 1u);         // deletion
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  // The optimal string alignment distance edits no substring twice.
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "ca"), 3u);
}

TEST(NearestName, SuggestsOnlyCloseNames) {
  static constexpr std::array<std::string_view, 5> kKnown = {"title", "date", "tags", "slug",
                                                             "original_url"};
  EXPECT_EQ(nearest_name("titel", kKnown), "title");
  EXPECT_EQ(nearest_name("orignal_url", kKnown), "original_url");
  EXPECT_EQ(nearest_name("origianl_ulr", kKnown), "original_url");
  EXPECT_EQ(nearest_name("tag", kKnown), "tags");
  EXPECT_EQ(nearest_name("title", kKnown), "");     // known: nothing to suggest
  EXPECT_EQ(nearest_name("subtitle", kKnown), "");  // three edits away
  EXPECT_EQ(nearest_name("url", kKnown), "");       // short names need one edit
  EXPECT_EQ(nearest_name("dt", kKnown), "");
  EXPECT_EQ(nearest_name("outlet", kKnown), "");
  EXPECT_EQ(nearest_name("x", {}), "");
  EXPECT_EQ(nearest_name("slg", kKnown), "slug");
}

TEST(NearestNameTest, CommandNames) {
  const std::string_view commands[] = {"new",    "build",    "serve",   "import", "list",
                                       "config", "template", "version", "help",   "completion"};
  EXPECT_EQ(nearest_name("biuld", commands), "build");
  EXPECT_EQ(nearest_name("serv", commands), "serve");
  EXPECT_EQ(nearest_name("tempalte", commands), "template");
  EXPECT_EQ(nearest_name("verison", commands), "version");
  EXPECT_EQ(nearest_name("frobnicate", commands), "");
  EXPECT_EQ(nearest_name("x", commands), "");
  EXPECT_EQ(nearest_name("deploy", commands), "");
}

}  // namespace
}  // namespace byline
