#include "images/image_set.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace byline {
namespace {

namespace fs = std::filesystem;

TEST(ImageSetTest, EachFileOnceWhateverTheThreadsAndPublishedByPath) {
  fs::path site = fs::temp_directory_path() / ("byline-image-set-" + std::to_string(::getpid()));
  fs::remove_all(site);
  fs::create_directories(site / "static");
  // SVGs pass through without libvips: what is tested is the bookkeeping.
  for (const char* name : {"a.svg", "b.svg"}) {
    std::ofstream(site / "static" / name)
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"6\"/>";
  }
  SiteConfig config;
  ImageSet images(config, site);
  EXPECT_TRUE(images.enabled());
  EXPECT_TRUE(fs::is_directory(site / ".byline" / "images"));
  std::vector<std::shared_ptr<const ProcessedImage>> got(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] { got[i] = images.get(site / "static" / "a.svg"); });
  for (std::thread& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, got[0]);  // one result, shared
  EXPECT_EQ(got[0]->status, ProcessedImage::Status::kPassThrough);
  EXPECT_EQ(got[0]->width, 8);

  images.publish("/z/b.svg", site / "static" / "b.svg");
  images.publish("/a.svg", site / "static" / "a.svg");
  images.publish("/a.svg", site / "static" / "a.svg");
  std::vector<ImageSet::Published> published = images.published();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].site_path, "/a.svg");
  EXPECT_EQ(published[0].image, got[0]);
  EXPECT_EQ(published[1].site_path, "/z/b.svg");
  EXPECT_EQ(images.find("/z/b.svg"), published[1].image);
  EXPECT_EQ(images.find("/nowhere.svg"), nullptr);

  config.images.process = false;
  ImageSet off(config, site / "other");
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(fs::exists(site / "other" / ".byline"));
  fs::remove_all(site);
}

TEST(ImageSetTest, AvifThatCannotBeWrittenIsLeftOutWithAWarningAtTheSetting) {
  ImagesConfig asked;
  asked.formats = {"avif", "webp"};
  asked.formats_location = {"byline.toml", 7, 11};
  DiagnosticSink sink;
  ImagesConfig used = usable_images_config(asked, /*avif_writable=*/false, &sink);
  EXPECT_EQ(used.formats, (std::vector<std::string>{"webp"}));
  ASSERT_EQ(sink.sorted().size(), 1u);
  std::string text = sink.format_all();
  EXPECT_NE(text.find("byline.toml:7:11: warning: [images] formats asks for AVIF"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("libheif-plugin-aomenc"), std::string::npos) << text;
  // Writable, or processing off: as asked, and nothing said.
  DiagnosticSink quiet;
  EXPECT_EQ(usable_images_config(asked, true, &quiet).formats, asked.formats);
  asked.process = false;
  EXPECT_EQ(usable_images_config(asked, false, &quiet).formats, asked.formats);
  EXPECT_TRUE(quiet.sorted().empty());
}

}  // namespace
}  // namespace byline
