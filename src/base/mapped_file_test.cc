#include "base/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace byline {
namespace {

TEST(MappedFileTest, ReadsWholeFileAndFailsOnMissing) {
  auto path = std::filesystem::temp_directory_path() /
              ("byline-mapped-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << "hello\nworld";
  {
    MappedFile f;
    ASSERT_TRUE(f.open(path.string()));
    EXPECT_EQ(f.text(), "hello\nworld");
  }
  std::filesystem::remove(path);
  MappedFile missing;
  EXPECT_FALSE(missing.open(path.string()));
  MappedFile dir;
  EXPECT_FALSE(dir.open(std::filesystem::temp_directory_path().string()));
}

}  // namespace
}  // namespace byline
