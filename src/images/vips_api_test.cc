#include "images/vips_api.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "images/image_processor.h"

namespace byline {
namespace {

TEST(VipsApiTest, FileIdentityNamesTheLibraryThatIsOpened) {
  // Told without opening libvips: the real file's name and its size.
  std::string identity = vips_file_identity();
  ASSERT_FALSE(identity.empty());
  EXPECT_TRUE(identity.starts_with("libvips.so.")) << identity;
  std::string why;
  ASSERT_TRUE(ensure_vips(&why)) << why;
  // The library opened is that file.
  Dl_info info{};
  ASSERT_NE(dladdr(reinterpret_cast<void*>(vips_version), &info), 0);
  std::filesystem::path opened = std::filesystem::canonical(info.dli_fname);
  EXPECT_EQ(identity,
            opened.filename().string() + " " + std::to_string(std::filesystem::file_size(opened)));
  // And the cache keys use it, the same all process long.
  const std::string* keyed = vips_cache_identity();
  ASSERT_NE(keyed, nullptr);
  EXPECT_EQ(*keyed, identity);
  EXPECT_EQ(vips_cache_identity(), keyed);
  EXPECT_GE(vips_start_seconds(), 0);
}

TEST(VipsApiTest, NoFileIdentityWhenTheLoaderLooksElsewhereFirst) {
  const char* before = std::getenv("LD_LIBRARY_PATH");
  std::string saved = before ? before : "";
  setenv("LD_LIBRARY_PATH", "/somewhere/else", 1);
  EXPECT_EQ(vips_file_identity(), "");
  if (before) {
    setenv("LD_LIBRARY_PATH", saved.c_str(), 1);
  } else {
    unsetenv("LD_LIBRARY_PATH");
  }
}

}  // namespace
}  // namespace byline
