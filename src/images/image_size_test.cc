#include "images/image_size.h"

#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace byline {
namespace {

namespace fs = std::filesystem;

void append_to(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             static_cast<size_t>(size));
}

std::vector<unsigned char> pixels(int w, int h) {
  std::vector<unsigned char> p(static_cast<size_t>(w * h * 3));
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<unsigned char>(i * 37);
  return p;
}

std::string png(int w, int h) {
  std::string out;
  std::vector<unsigned char> p = pixels(w, h);
  EXPECT_TRUE(stbi_write_png_to_func(append_to, &out, w, h, 3, p.data(), w * 3));
  return out;
}

std::string jpeg(int w, int h) {
  std::string out;
  std::vector<unsigned char> p = pixels(w, h);
  EXPECT_TRUE(stbi_write_jpg_to_func(append_to, &out, w, h, 3, p.data(), 90));
  return out;
}

std::string bmp(int w, int h) {
  std::string out;
  std::vector<unsigned char> p = pixels(w, h);
  EXPECT_TRUE(stbi_write_bmp_to_func(append_to, &out, w, h, 3, p.data()));
  return out;
}

// A one-colour GIF89a: header, logical screen, a 2-entry colour table, one
// image descriptor and its LZW data, the trailer.
std::string gif(int w, int h) {
  std::string g = "GIF89a";
  auto le16 = [&g](int v) {
    g += static_cast<char>(v & 0xFF);
    g += static_cast<char>((v >> 8) & 0xFF);
  };
  le16(w);
  le16(h);
  g += std::string("\x80\x00\x00", 3);              // global table of 2 colours
  g += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);  // black, white
  g += ',';
  le16(0);
  le16(0);
  le16(w);
  le16(h);
  g += '\0';
  g += std::string("\x02\x02\x44\x01\x00", 5);  // min code size 2, one sub-block, end
  g += ';';
  return g;
}

// A JPEG with an EXIF segment saying `orientation`, in big- or little-endian
// TIFF, placed right after SOI as cameras write it.
std::string jpeg_with_orientation(int w, int h, int orientation, bool big_endian) {
  std::string tiff;
  auto u16 = [&](int v) {
    char a = static_cast<char>((v >> 8) & 0xFF), b = static_cast<char>(v & 0xFF);
    tiff += big_endian ? a : b;
    tiff += big_endian ? b : a;
  };
  auto u32 = [&](int v) {
    if (big_endian) {
      u16(v >> 16);
      u16(v & 0xFFFF);
    } else {
      u16(v & 0xFFFF);
      u16(v >> 16);
    }
  };
  tiff += big_endian ? "MM" : "II";
  u16(42);
  u32(8);  // IFD0 right after the header
  u16(2);  // two entries: a resolution unit, then the orientation
  u16(0x0128);
  u16(3);
  u32(1);
  u16(2);
  u16(0);
  u16(0x0112);
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  u32(0);  // no next IFD
  std::string app1 = std::string("Exif\0\0", 6) + tiff;
  size_t length = app1.size() + 2;
  std::string segment = "\xFF\xE1";
  segment += static_cast<char>(length >> 8);
  segment += static_cast<char>(length & 0xFF);
  segment += app1;
  std::string j = jpeg(w, h);
  return j.substr(0, 2) + segment + j.substr(2);
}

class ImageFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("byline_image_size_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  fs::path dir_;
};

std::optional<ImageSize> size(int w, int h) { return ImageSize{w, h}; }

TEST(ImageSizeTest, RasterFormatsFromMemory) {
  EXPECT_EQ(image_size_of_bytes(png(7, 3), false), size(7, 3));
  EXPECT_EQ(image_size_of_bytes(jpeg(9, 5), false), size(9, 5));
  EXPECT_EQ(image_size_of_bytes(bmp(4, 6), false), size(4, 6));
  EXPECT_EQ(image_size_of_bytes(gif(300, 2), false), size(300, 2));
}

TEST(ImageSizeTest, HeaderAloneIsEnough) {
  // Signature and IHDR only: the pixels are never read.
  EXPECT_EQ(image_size_of_bytes(png(640, 480).substr(0, 33), false), size(640, 480));
  EXPECT_EQ(image_size_of_bytes(gif(12, 34).substr(0, 13), false), size(12, 34));
}

TEST(ImageSizeTest, JpegExifOrientation) {
  // 5-8 turn the picture a quarter, so the browser shows it 3 wide, 8 high.
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 6, true), false), size(3, 8));
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 8, false), false), size(3, 8));
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 5, false), false), size(3, 8));
  // 1-4 keep it as stored (3 is upside down).
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 3, true), false), size(8, 3));
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 1, false), false), size(8, 3));
  // A value out of range is ignored.
  EXPECT_EQ(image_size_of_bytes(jpeg_with_orientation(8, 3, 9, false), false), size(8, 3));
}

TEST(ImageSizeTest, WebpChunks) {
  // RIFF header, then the first chunk as the WebP container spec lays it out.
  std::string riff = std::string("RIFF\x40\x00\x00\x00WEBP", 12);
  std::string vp8x = riff + std::string("VP8X\x0a\x00\x00\x00\x10\x00\x00\x00", 12) +
                     std::string("\x1f\x03\x00\x57\x02\x00", 6);  // 799+1, 599+1
  EXPECT_EQ(image_size_of_bytes(vp8x, false), size(800, 600));

  // Lossless: signature 0x2f, then 14 bits of width-1 and 14 of height-1.
  uint32_t bits = (99u) | (49u << 14);
  std::string vp8l = riff + std::string("VP8L\x20\x00\x00\x00\x2f", 9);
  for (int i = 0; i < 4; ++i) vp8l += static_cast<char>((bits >> (8 * i)) & 0xFF);
  vp8l += std::string(8, '\0');
  EXPECT_EQ(image_size_of_bytes(vp8l, false), size(100, 50));

  // Lossy: frame tag, start code 9d 01 2a, 14-bit sizes with a scale on top.
  std::string vp8 = riff + std::string("VP8 \x20\x00\x00\x00\x10\x02\x00\x9d\x01\x2a", 14) +
                    std::string("\x40\xC1\xF0\x00", 4);  // 320 (scale bits set), 240
  vp8 += std::string(4, '\0');
  EXPECT_EQ(image_size_of_bytes(vp8, false), size(320, 240));

  std::string bad_start = vp8;
  bad_start[23] = 0;
  EXPECT_EQ(image_size_of_bytes(bad_start, false), std::nullopt);
  EXPECT_EQ(image_size_of_bytes(riff + "ALPH" + std::string(20, '\0'), false), std::nullopt);
}

TEST(ImageSizeTest, SvgRootWidthAndHeight) {
  EXPECT_EQ(
      image_size_of_bytes(
          "<?xml version=\"1.0\"?>\n<!-- a chart -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "width=\"640\" height=\"360\" viewBox=\"0 0 640 360\"><rect/></svg>",
          true),
      size(640, 360));
  EXPECT_EQ(image_size_of_bytes("<svg width=\" 120.6px \" height=\"80px\"/>", true), size(121, 80));
  EXPECT_EQ(image_size_of_bytes("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\" width=\"5\" "
                                "height=\"6\"/>",
                                true),
            size(5, 6));
  // A ratio or a relative size leaves the size to the browser.
  EXPECT_EQ(image_size_of_bytes("<svg viewBox=\"0 0 640 360\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"100%\" height=\"200\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"10em\" height=\"2\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"0\" height=\"2\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"-3\" height=\"2\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"1e3\" height=\"2\"/>", true), std::nullopt);
  // Not an SVG, or not well-formed: a browser would not show it either.
  EXPECT_EQ(image_size_of_bytes("<html width=\"5\" height=\"6\"/>", true), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("<svg width=\"5\" height=\"6\"><g></svg>", true), std::nullopt);
  // Only a file named .svg is read as one.
  EXPECT_EQ(image_size_of_bytes("<svg width=\"5\" height=\"6\"/>", false), std::nullopt);
}

TEST(ImageSizeTest, UnknownBytes) {
  EXPECT_EQ(image_size_of_bytes("", false), std::nullopt);
  EXPECT_EQ(image_size_of_bytes("plain text, which stb_image might take for a TGA", false),
            std::nullopt);
  EXPECT_EQ(image_size_of_bytes(png(3, 3).substr(0, 20), false), std::nullopt);  // cut in IHDR
}

TEST_F(ImageFiles, ReadsFiles) {
  EXPECT_EQ(read_image_size(write("a.png", png(11, 13))), size(11, 13));
  EXPECT_EQ(read_image_size(write("b.JPG", jpeg_with_orientation(20, 10, 6, false))), size(10, 20));
  EXPECT_EQ(read_image_size(write("c.gif", gif(2, 1))), size(2, 1));
  EXPECT_EQ(read_image_size(write("d.bmp", bmp(5, 4))), size(5, 4));
  EXPECT_EQ(read_image_size(write("e.SVG", "<svg width=\"30\" height=\"40\"/>")), size(30, 40));
  // The name does not decide the format, the bytes do.
  EXPECT_EQ(read_image_size(write("really-a-png.jpg", png(6, 2))), size(6, 2));
  EXPECT_EQ(read_image_size(write("f.svg.txt", "<svg width=\"30\" height=\"40\"/>")), std::nullopt);
  EXPECT_EQ(read_image_size(write("g.png", "not an image")), std::nullopt);
  EXPECT_EQ(read_image_size(dir_ / "missing.png"), std::nullopt);
  EXPECT_EQ(read_image_size(dir_), std::nullopt);  // a folder
}

TEST_F(ImageFiles, BigSvgIsReadOnlyToItsRootElement) {
  // 1 MiB of shapes after the root start tag: the first 256 KiB say it all.
  std::string shapes;
  while (shapes.size() < (1u << 20)) shapes += "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\"/>\n";
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"700\">\n" +
                    shapes + "</svg>\n";
  EXPECT_EQ(read_image_size(write("big.svg", svg)), size(900, 700));
  // A start tag that does not end within the prefix gives nothing.
  std::string endless = "<svg width=\"900\" height=\"700\" data-x=\"" + shapes + "\"></svg>";
  EXPECT_EQ(read_image_size(write("endless.svg", endless)), std::nullopt);
}

}  // namespace
}  // namespace byline
