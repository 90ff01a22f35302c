// The loaders on their own: the directories' order, names that climb out
// refused, and in-memory maps.
#include "templates/template_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace byline {
namespace {

TEST(TemplateLoader, DirectoryLoaderInOrder) {
  std::string root = ::testing::TempDir() + "/byline_loader_test";
  std::filesystem::create_directories(root + "/site");
  std::filesystem::create_directories(root + "/theme");
  {
    std::ofstream(root + "/site/a.txt") << "site-a";
    std::ofstream(root + "/theme/a.txt") << "theme-a";
    std::ofstream(root + "/theme/b.txt") << "theme-b";
  }
  DirectoryLoader loader({root + "/site", root + "/theme"});
  std::string s;
  ASSERT_TRUE(loader.load("a.txt", &s));
  EXPECT_EQ(s, "site-a");
  ASSERT_TRUE(loader.load("b.txt", &s));
  EXPECT_EQ(s, "theme-b");
  EXPECT_FALSE(loader.load("c.txt", &s));
  EXPECT_FALSE(loader.load("../site/a.txt", &s));
}

TEST(TemplateLoader, MapLoaderFindsAddedNamesOnly) {
  MapLoader loader;
  loader.add("a.html", "A");
  loader.add("b.html", "B");
  std::string s;
  ASSERT_TRUE(loader.load("b.html", &s));
  EXPECT_EQ(s, "B");
  EXPECT_FALSE(loader.load("c.html", &s));
}

}  // namespace
}  // namespace byline
