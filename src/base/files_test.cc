#include "base/files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace byline {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Beside the tests rather than in TMPDIR, which is often a tmpfs, whose
    // files cannot leave the page cache.
    dir_ = fs::current_path() / ("byline-files-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(FilesTest, ReadsWholeFilesOfEverySize) {
  for (size_t size : {0, 1, 4095, 4096, 4097, 200000}) {
    std::string text(size, 'x');
    for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
    fs::path p = write("f" + std::to_string(size), text);
    std::string got, why;
    int misses = 0;
    ASSERT_TRUE(read_file(p, &got, &why, [&] { ++misses; })) << why;
    EXPECT_EQ(got, text);
    EXPECT_EQ(misses, 0) << "a file just written is in the page cache";
    ASSERT_TRUE(read_file(p, &got, &why)) << why;
    EXPECT_EQ(got, text);
  }
}

TEST_F(FilesTest, MissingFileIsAnError) {
  std::string got, why;
  EXPECT_FALSE(read_file(dir_ / "none", &got, &why));
  EXPECT_EQ(why, "No such file or directory");
}

// A file out of the page cache is reported through on_miss before it is
// read, and read whole all the same; read_ahead brings it back.
TEST_F(FilesTest, ReportsAFileOutOfThePageCache) {
  std::string text(100000, 'q');
  fs::path p = write("cold", text);
  auto evict = [&] {
    int fd = ::open(p.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ::fdatasync(fd);  // clean pages can be dropped
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  };
  // The kernel may keep pages it was just told to drop (newly written ones
  // still in a per-CPU batch); a few tries get them out. tmpfs keeps its
  // files in memory whatever it is told.
  std::string got, why;
  int misses = 0;
  for (int attempt = 0; attempt < 50 && misses == 0; ++attempt) {
    evict();
    ASSERT_TRUE(read_file(p, &got, &why, [&] { ++misses; })) << why;
    EXPECT_EQ(got, text);
    if (misses == 0) ::usleep(20000);
  }
  if (misses == 0) GTEST_SKIP() << "this file system did not drop the file's pages";
  EXPECT_EQ(misses, 1);
  // Now cached: no miss.
  ASSERT_TRUE(read_file(p, &got, &why, [&] { ++misses; })) << why;
  EXPECT_EQ(misses, 1);
  evict();
  read_ahead(p);
  // The read ahead has started; reading waits for it if need be.
  ASSERT_TRUE(read_file(p, &got, &why)) << why;
  EXPECT_EQ(got, text);
}

}  // namespace
}  // namespace byline
