#include "images/image_transform.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "base/files.h"
#include "images/image_size.h"
#include "images/vips_api.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

ImageTransform parsed(ImageTransform::Op op, std::string_view spec) {
  ImageTransform t;
  std::string error;
  EXPECT_TRUE(parse_image_transform(op, spec, &t, &error)) << spec << ": " << error;
  return t;
}

std::string refused(ImageTransform::Op op, std::string_view spec) {
  ImageTransform t;
  std::string error;
  EXPECT_FALSE(parse_image_transform(op, spec, &t, &error)) << spec;
  return error;
}

using Op = ImageTransform::Op;

TEST(ImageTransformSpec, SizesFormatsQualitiesAndAnchorsInAnyOrderAndCase) {
  ImageTransform t = parsed(Op::kResize, "300x");
  EXPECT_EQ(t.width, 300);
  EXPECT_EQ(t.height, 0);
  EXPECT_EQ(t.format, "");
  EXPECT_EQ(t.quality, 0);
  t = parsed(Op::kResize, "x200");
  EXPECT_EQ(t.width, 0);
  EXPECT_EQ(t.height, 200);
  t = parsed(Op::kFill, "  WEBP q60   TopLeft 300x200 ");
  EXPECT_EQ(t.width, 300);
  EXPECT_EQ(t.height, 200);
  EXPECT_EQ(t.format, "webp");
  EXPECT_EQ(t.quality, 60);
  EXPECT_EQ(t.anchor, "topleft");
  EXPECT_EQ(parsed(Op::kFit, "10x20 jpg").format, "jpeg");
  EXPECT_EQ(parsed(Op::kFill, "10x20").anchor, "smart");
}

TEST(ImageTransformSpec, RefusesWhatHugoRefuses) {
  EXPECT_EQ(refused(Op::kFill, "300x"),
            "fill() needs both a width and a height, such as \"300x300\"");
  EXPECT_EQ(refused(Op::kFit, "x20"), "fit() needs both a width and a height, such as \"20x20\"");
  EXPECT_EQ(refused(Op::kResize, "webp"),
            "resize() needs a size such as \"300x\", \"x200\" or \"300x200\"");
  EXPECT_NE(refused(Op::kResize, "0x10").find("is not a size"), std::string::npos);
  EXPECT_NE(refused(Op::kResize, "20000x").find("is not a size"), std::string::npos);
  EXPECT_NE(refused(Op::kResize, "x").find("is not a size"), std::string::npos);
  EXPECT_EQ(refused(Op::kResize, "10x 20x"), "two sizes in '10x 20x'");
  EXPECT_EQ(refused(Op::kResize, "10x q0"), "'q0': a quality is q1 to q100");
  EXPECT_EQ(refused(Op::kResize, "10x q101"), "'q101': a quality is q1 to q100");
  EXPECT_EQ(refused(Op::kResize, "10x center"), "an anchor ('center') is for fill() only");
  EXPECT_NE(refused(Op::kResize, "10x tiff").find("'tiff' is not part of"), std::string::npos);
}

TEST(ImageTransformSpec, PublishedNameBesideTheSource) {
  EXPECT_EQ(transform_path("/a/photo.jpg", parsed(Op::kResize, "300x"), "jpeg"),
            "/a/photo-resize-300x.jpg");
  EXPECT_EQ(transform_path("/a/photo.jpg", parsed(Op::kResize, "x50"), "webp"),
            "/a/photo-resize-x50.webp");
  EXPECT_EQ(transform_path("/a/photo.jpg", parsed(Op::kFill, "300x200"), "png"),
            "/a/photo-fill-300x200.png");
  EXPECT_EQ(transform_path("/p.x.png", parsed(Op::kFill, "3x2 bottom q9"), "jpeg"),
            "/p.x-fill-3x2-bottom-q9.jpg");
  EXPECT_EQ(transform_path("/a/b.jpg", parsed(Op::kFit, "3x2"), "jpeg"), "/a/b-fit-3x2.jpg");
  EXPECT_EQ(transform_format(parsed(Op::kFit, "3x2"), ImageFormat::kPng), "png");
  EXPECT_EQ(transform_format(parsed(Op::kFit, "3x2 avif"), ImageFormat::kPng), "avif");
}

class ImageTransformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(ensure_vips(&why)) << why;
    dir_ = fs::temp_directory_path() /
           ("byline-transform-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cache");
    // 300×100, left half black, right half white: where a crop is cut shows.
    VipsImage *black = nullptr, *white = nullptr, *joined = nullptr, *u8 = nullptr;
    ASSERT_EQ(vips_black(&black, 150, 100, "bands", 3, nullptr), 0);
    ASSERT_EQ(vips_linear1(black, &white, 1.0, 255.0, nullptr), 0);
    ASSERT_EQ(vips_join(black, white, &joined, VIPS_DIRECTION_HORIZONTAL, nullptr), 0);
    ASSERT_EQ(vips_cast_uchar(joined, &u8, nullptr), 0);
    u8->Type = VIPS_INTERPRETATION_sRGB;
    source_ = dir_ / "halves.png";
    ASSERT_EQ(vips_image_write_to_file(u8, source_.c_str(), nullptr), 0);
    for (VipsImage* i : {black, white, joined, u8}) g_object_unref(i);
    processor_ = std::make_unique<ImageProcessor>(config_, dir_ / "cache");
    processed_ = processor_->process(source_);
    ASSERT_TRUE(processed_.processed()) << processed_.error;
  }
  void TearDown() override { fs::remove_all(dir_); }

  TransformedImage make(Op op, std::string_view spec) {
    return transform_image(config_, dir_ / "cache", source_, processed_, parsed(op, spec));
  }
  // The mean brightness of the result: 0 black, 255 white.
  static double mean(const TransformedImage& t) {
    VipsImage* image = vips_image_new_from_file(t.file.c_str(), nullptr);
    double avg = 0;
    EXPECT_EQ(vips_avg(image, &avg, nullptr), 0);
    g_object_unref(image);
    return avg;
  }

  ImagesConfig config_;
  fs::path dir_, source_;
  std::unique_ptr<ImageProcessor> processor_;
  ProcessedImage processed_;
};

TEST_F(ImageTransformTest, SizesAsHugoDoes) {
  struct Case {
    Op op;
    const char* spec;
    int w, h;
  } cases[] = {
      {Op::kResize, "150x", 150, 50},      {Op::kResize, "x20", 60, 20},
      {Op::kResize, "600x", 600, 200},     {Op::kResize, "50x50", 50, 50},
      {Op::kFit, "60x60", 60, 20},         {Op::kFit, "1000x1000", 300, 100},
      {Op::kFill, "50x50", 50, 50},        {Op::kFill, "600x50 left", 600, 50},
      {Op::kFill, "10x40 center", 10, 40},
  };
  for (const Case& c : cases) {
    TransformedImage t = make(c.op, c.spec);
    ASSERT_TRUE(t.ok) << c.spec << ": " << t.error;
    EXPECT_EQ(t.width, c.w) << c.spec;
    EXPECT_EQ(t.height, c.h) << c.spec;
    std::optional<ImageSize> size = read_image_size(t.file);
    ASSERT_TRUE(size) << c.spec;
    EXPECT_EQ(*size, (ImageSize{c.w, c.h})) << c.spec;
    EXPECT_EQ(t.format, "png");
  }
}

TEST_F(ImageTransformTest, FillCutsAtTheAnchor) {
  EXPECT_LT(mean(make(Op::kFill, "50x50 left")), 5);
  EXPECT_GT(mean(make(Op::kFill, "50x50 right")), 250);
  double centre = mean(make(Op::kFill, "50x50 center"));
  EXPECT_GT(centre, 100);
  EXPECT_LT(centre, 155);
}

TEST_F(ImageTransformTest, FormatsAndTheCacheGiveTheSameBytes) {
  TransformedImage webp = make(Op::kFit, "100x100 webp q40");
  ASSERT_TRUE(webp.ok) << webp.error;
  EXPECT_EQ(webp.format, "webp");
  std::string first, why;
  ASSERT_TRUE(read_file(webp.file, &first, &why));
  EXPECT_EQ(first.substr(8, 4), "WEBP");
  fs::remove_all(dir_ / "cache");
  fs::create_directories(dir_ / "cache");
  TransformedImage again = make(Op::kFit, "100x100 webp q40");
  ASSERT_TRUE(again.ok) << again.error;
  std::string second;
  ASSERT_TRUE(read_file(again.file, &second, &why));
  EXPECT_EQ(first, second);
  // From the cache: the same file, without libvips decoding anything.
  TransformedImage cached = make(Op::kFit, "100x100 webp q40");
  EXPECT_EQ(cached.file, again.file);
  EXPECT_EQ(cached.width, 100);
  EXPECT_EQ(cached.height, 33);
}

TEST_F(ImageTransformTest, AnImageThatWasNotProcessedIsRefused) {
  ProcessedImage gif;
  gif.status = ProcessedImage::Status::kPassThrough;
  TransformedImage t =
      transform_image(config_, dir_ / "cache", source_, gif, parsed(Op::kResize, "10x"));
  EXPECT_FALSE(t.ok);
  EXPECT_EQ(t.error, "only a JPEG, PNG or WebP that byline can process can be sized");
}

}  // namespace
}  // namespace byline
