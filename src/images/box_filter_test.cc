#include "images/box_filter.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace byline {
namespace {

std::vector<uint8_t> shrink(const std::vector<uint8_t>& src, int sw, int sh, int bands, bool alpha,
                            int dw, int dh) {
  std::vector<uint8_t> out(static_cast<size_t>(dw * dh * bands), 0xAB);
  box_shrink(src.data(), sw, sh, bands, alpha, dw, dh, out.data());
  return out;
}

TEST(BoxFilterTest, HalvingAveragesEachTwoByTwoBlock) {
  // 4×2 grey: two blocks, 10 20 / 30 40 and 1 2 / 3 5.
  std::vector<uint8_t> src = {10, 20, 1, 2,  //
                              30, 40, 3, 5};
  // (10 + 20 + 30 + 40) / 4 = 25; (1 + 2 + 3 + 5) / 4 = 2.75, rounded 3.
  EXPECT_EQ(shrink(src, 4, 2, 1, false, 2, 1), (std::vector<uint8_t>{25, 3}));
}

TEST(BoxFilterTest, FourFifthsTakesOneOrTwoPixels) {
  // Five source columns to four: centres 0.125, 1.375, 2.625, 3.875, each
  // averaging the columns within 0.625 of it.
  std::vector<uint8_t> src = {0, 100, 200, 50, 9};
  EXPECT_EQ(shrink(src, 5, 1, 1, false, 4, 1), (std::vector<uint8_t>{0, 150, 125, 9}));
}

TEST(BoxFilterTest, ExactHalvesRoundUp) {
  std::vector<uint8_t> src = {1, 2};
  EXPECT_EQ(shrink(src, 2, 1, 1, false, 1, 1), (std::vector<uint8_t>{2}));
}

TEST(BoxFilterTest, FlatAreasMakeNoNewColours) {
  // Two flat halves, 0 and 250, across 30 columns shrunk to 17: only the
  // column straddling the edge may be new.
  const int sw = 30, sh = 3, dw = 17, dh = 2;
  std::vector<uint8_t> src;
  for (int y = 0; y < sh; ++y)
    for (int x = 0; x < sw; ++x) src.push_back(x < 15 ? 0 : 250);
  std::vector<uint8_t> out = shrink(src, sw, sh, 1, false, dw, dh);
  std::set<uint8_t> colours(out.begin(), out.end());
  EXPECT_LE(colours.size(), 3u);
  EXPECT_TRUE(colours.count(0));
  EXPECT_TRUE(colours.count(250));
  for (uint8_t c : colours) EXPECT_TRUE(c == 0 || c == 250 || c == 125) << int(c);
}

TEST(BoxFilterTest, AOnePixelLineSurvives) {
  // A vertical line one pixel wide on white, 10 columns to 7: it is in
  // some column made, at half contrast or more.
  for (int at = 0; at < 10; ++at) {
    std::vector<uint8_t> src(10, 255);
    src[static_cast<size_t>(at)] = 0;
    std::vector<uint8_t> out = shrink(src, 10, 1, 1, false, 7, 1);
    uint8_t darkest = 255;
    for (uint8_t c : out) darkest = std::min(darkest, c);
    EXPECT_LE(darkest, 128) << "line at " << at;
  }
}

TEST(BoxFilterTest, EveryBandIsAveragedOnItsOwn) {
  // RGB 2×1 to 1×1.
  std::vector<uint8_t> src = {10, 100, 200, 20, 110, 0};
  EXPECT_EQ(shrink(src, 2, 1, 3, false, 1, 1), (std::vector<uint8_t>{15, 105, 100}));
}

TEST(BoxFilterTest, TransparentColourDoesNotBleed) {
  // Opaque red beside a fully transparent green: the colour is red's, the
  // opacity the average.
  std::vector<uint8_t> src = {255, 0, 0, 255, 0, 255, 0, 0};
  EXPECT_EQ(shrink(src, 2, 1, 4, true, 1, 1), (std::vector<uint8_t>{255, 0, 0, 128}));
  // Without alpha weighting the green would mix in.
  EXPECT_EQ(shrink(src, 2, 1, 4, false, 1, 1), (std::vector<uint8_t>{128, 128, 0, 128}));
  // All transparent: black, transparent.
  std::vector<uint8_t> clear = {9, 9, 9, 0, 7, 7, 7, 0};
  EXPECT_EQ(shrink(clear, 2, 1, 4, true, 1, 1), (std::vector<uint8_t>{0, 0, 0, 0}));
  // Grey and alpha.
  std::vector<uint8_t> ga = {200, 255, 100, 85};
  // Grey (200·255 + 100·85) / 340 = 175; opacity 170.
  EXPECT_EQ(shrink(ga, 2, 1, 2, true, 1, 1), (std::vector<uint8_t>{175, 170}));
}

TEST(BoxFilterTest, SameSizeCopies) {
  std::vector<uint8_t> src = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(shrink(src, 3, 2, 1, false, 3, 2), src);
}

TEST(BoxFilterTest, EveryPixelIsWrittenAndWithinRange) {
  // Odd sizes on both axes, a large factor: nothing left unwritten (the
  // output starts as 0xAB) and each pixel between the extremes.
  const int sw = 97, sh = 61;
  std::vector<uint8_t> src;
  for (int i = 0; i < sw * sh; ++i) src.push_back(static_cast<uint8_t>(i % 7 == 0 ? 10 : 20));
  for (auto [dw, dh] : {std::pair{13, 7}, std::pair{96, 60}, std::pair{1, 1}, std::pair{48, 31}}) {
    std::vector<uint8_t> out = shrink(src, sw, sh, 1, false, dw, dh);
    for (uint8_t c : out) {
      EXPECT_GE(c, 10);
      EXPECT_LE(c, 20);
    }
  }
}

}  // namespace
}  // namespace byline
