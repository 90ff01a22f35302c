#include "base/suggest.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(EditDistanceTest, CountsEachKindOfEdit) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("build", "build"), 0u);
  EXPECT_EQ(edit_distance("", "new"), 3u);
  EXPECT_EQ(edit_distance("serve", ""), 5u);
  EXPECT_EQ(edit_distance("buld", "build"), 1u);    // insertion
  EXPECT_EQ(edit_distance("buildd", "build"), 1u);  // deletion
  EXPECT_EQ(edit_distance("bxild", "build"), 1u);   // substitution
  EXPECT_EQ(edit_distance("biuld", "build"), 1u);   // adjacent swap
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("orignal_url", "original_url"), 1u);
}

TEST(EditDistanceTest, IsSymmetric) {
  for (auto [a, b] : {std::pair{"feed", "feeds"}, {"ca", "abc"}, {"template", "tmeplate"}}) {
    EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " " << b;
  }
}

TEST(NearestTest, SuggestsTheClosestKnownName) {
  std::vector<std::string> commands = {"new", "build", "serve", "import", "template", "version"};
  EXPECT_EQ(nearest("biuld", commands), "build");
  EXPECT_EQ(nearest("serv", commands), "serve");
  EXPECT_EQ(nearest("tempalte", commands), "template");
  EXPECT_EQ(nearest("verison", commands), "version");
}

TEST(NearestTest, SuggestsNothingForAFarOrShortWord) {
  std::vector<std::string> commands = {"new", "build", "serve"};
  EXPECT_EQ(nearest("frobnicate", commands), "");
  EXPECT_EQ(nearest("x", commands), "");  // 2 edits from "new" but only one letter
  EXPECT_EQ(nearest("deploy", commands), "");
  EXPECT_EQ(nearest("biuld", {}), "");
}

TEST(NearestTest, TiesGoToTheFirstCandidate) {
  EXPECT_EQ(nearest("cat", {"bat", "hat"}), "bat");
  EXPECT_EQ(nearest("cat", {"hat", "bat"}), "hat");
}

}  // namespace
}  // namespace byline
