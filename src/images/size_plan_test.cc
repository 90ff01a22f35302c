#include "images/size_plan.h"

#include <gtest/gtest.h>

#include <set>

namespace byline {
namespace {

const std::vector<int> kWidths = {480, 800, 1200, 1600};

TEST(SizePlanTest, LargeSourceGetsEveryWidth) {
  EXPECT_EQ(plan_widths(3000, kWidths), (std::vector<int>{480, 800, 1200, 1600}));
  EXPECT_EQ(plan_widths(1601, kWidths), (std::vector<int>{480, 800, 1200, 1600}));
}

TEST(SizePlanTest, NeverUpscalesAndEndsAtTheSourceWidth) {
  EXPECT_EQ(plan_widths(1000, kWidths), (std::vector<int>{480, 800, 1000}));
  EXPECT_EQ(plan_widths(1600, kWidths), (std::vector<int>{480, 800, 1200, 1600}));
  EXPECT_EQ(plan_widths(800, kWidths), (std::vector<int>{480, 800}));
  EXPECT_EQ(plan_widths(481, kWidths), (std::vector<int>{480, 481}));
}

TEST(SizePlanTest, SmallAndOddSources) {
  EXPECT_EQ(plan_widths(300, kWidths), (std::vector<int>{300}));
  EXPECT_EQ(plan_widths(1, kWidths), (std::vector<int>{1}));
  EXPECT_TRUE(plan_widths(0, kWidths).empty());
  EXPECT_TRUE(plan_widths(-5, kWidths).empty());
  EXPECT_EQ(plan_widths(999, {}), (std::vector<int>{999}));
  EXPECT_EQ(plan_widths(5000, {640}), (std::vector<int>{640}));
}

TEST(SizePlanTest, ScaledHeightRounds) {
  EXPECT_EQ(scaled_height(3000, 2000, 480), 320);
  EXPECT_EQ(scaled_height(1001, 333, 480), 160);  // 159.68
  EXPECT_EQ(scaled_height(5000, 10, 480), 1);     // never 0
  EXPECT_EQ(scaled_height(0, 10, 480), 0);
}

TEST(SizePlanTest, SniffsFormatsFromBytes) {
  EXPECT_EQ(sniff_image_format("\xFF\xD8\xFF\xE0", "a.png"), ImageFormat::kJpeg);
  EXPECT_EQ(sniff_image_format("\x89PNG\r\n\x1A\n....", "a.jpg"), ImageFormat::kPng);
  EXPECT_EQ(sniff_image_format("GIF89a..", "a"), ImageFormat::kGif);
  EXPECT_EQ(sniff_image_format(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), "a"), ImageFormat::kWebp);
  EXPECT_EQ(sniff_image_format(std::string("RIFF\x10\0\0\0WAVEfmt ", 16), "a.webp"),
            ImageFormat::kUnknown);
  EXPECT_EQ(sniff_image_format("<svg xmlns", "logo.SVG"), ImageFormat::kSvg);
  EXPECT_EQ(sniff_image_format("BM....", "a.bmp"), ImageFormat::kUnknown);
  EXPECT_EQ(sniff_image_format("", "a.jpg"), ImageFormat::kUnknown);
}

TEST(SizePlanTest, VariantFormatsKeepTheOriginalLast) {
  EXPECT_EQ(variant_formats(ImageFormat::kJpeg), (std::vector<std::string>{"webp", "jpeg"}));
  EXPECT_EQ(variant_formats(ImageFormat::kPng), (std::vector<std::string>{"webp", "png"}));
  EXPECT_EQ(variant_formats(ImageFormat::kWebp), (std::vector<std::string>{"webp"}));
  EXPECT_TRUE(variant_formats(ImageFormat::kGif).empty());
  EXPECT_TRUE(variant_formats(ImageFormat::kSvg).empty());
}

TEST(SizePlanTest, ConfiguredFormatsComeFirstInTheirOrder) {
  const std::vector<std::string> both = {"avif", "webp"};
  EXPECT_EQ(variant_formats(ImageFormat::kJpeg, both),
            (std::vector<std::string>{"avif", "webp", "jpeg"}));
  EXPECT_EQ(variant_formats(ImageFormat::kWebp, both), (std::vector<std::string>{"avif", "webp"}));
  EXPECT_EQ(variant_formats(ImageFormat::kPng, {"avif"}),
            (std::vector<std::string>{"avif", "png"}));
  EXPECT_EQ(variant_formats(ImageFormat::kPng, {}), (std::vector<std::string>{"png"}));
  EXPECT_TRUE(variant_formats(ImageFormat::kGif, both).empty());
}

TEST(SizePlanTest, VariantPathsSitBesideTheImage) {
  EXPECT_EQ(variant_path("photo.jpg", 480, "webp"), "photo-480w.webp");
  EXPECT_EQ(variant_path("/a/b/photo.JPEG?x=1#f", 800, "jpeg"), "/a/b/photo-800w.jpg");
  EXPECT_EQ(variant_path("my%20pic.png", 1200, "png"), "my%20pic-1200w.png");
  EXPECT_EQ(variant_path("../up/pic", 480, "webp"), "../up/pic-480w.webp");
  EXPECT_EQ(variant_path("/x.y/pic.tar.jpg", 480, "webp"), "/x.y/pic.tar-480w.webp");
  EXPECT_EQ(card_path("/2019/08/post/photo.png"), "/2019/08/post/photo-card-1200x630.jpg");
}

TEST(SizePlanTest, CacheKeysFollowBytesAndSettings) {
  ImagesConfig c;
  std::string key = image_cache_key(42, 1000, c, "8.14.1");
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key, image_cache_key(42, 1000, c, "8.14.1"));
  std::set<std::string> keys = {key};
  keys.insert(image_cache_key(43, 1000, c, "8.14.1"));
  keys.insert(image_cache_key(42, 1001, c, "8.14.1"));
  keys.insert(image_cache_key(42, 1000, c, "8.15.0"));
  ImagesConfig q = c;
  q.quality = 90;
  keys.insert(image_cache_key(42, 1000, q, "8.14.1"));
  ImagesConfig w = c;
  w.widths = {480, 800};
  keys.insert(image_cache_key(42, 1000, w, "8.14.1"));
  keys.insert(card_cache_key(42, 1000, c, "8.14.1"));
  ImagesConfig f = c;
  f.formats = {"avif", "webp"};
  keys.insert(image_cache_key(42, 1000, f, "8.14.1"));
  f.formats = {"webp", "avif"};
  keys.insert(image_cache_key(42, 1000, f, "8.14.1"));
  EXPECT_EQ(keys.size(), 9u);
  // What does not change a variant's bytes does not change the key.
  ImagesConfig s = c;
  s.sizes = "100vw";
  s.cards = false;
  EXPECT_EQ(image_cache_key(42, 1000, s, "8.14.1"), key);
  // Keeping the credit does: the files carry it.
  ImagesConfig credit = c;
  credit.keep_credit = true;
  EXPECT_NE(image_cache_key(42, 1000, credit, "8.14.1"), key);
  // A text card's key is its text.
  EXPECT_NE(text_card_cache_key("A", "", "", c, "8.14.1"),
            text_card_cache_key("B", "", "", c, "8.14.1"));
  EXPECT_EQ(text_card_cache_key("A", "o", "s", c, "8.14.1"),
            text_card_cache_key("A", "o", "s", c, "8.14.1"));
}

}  // namespace
}  // namespace byline
