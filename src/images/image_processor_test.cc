#include "images/image_processor.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "base/files.h"
#include "images/image_size.h"
#include "images/vips_api.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

class ImageProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(ensure_vips(&why)) << why;
    dir_ = fs::temp_directory_path() /
           ("byline-images-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A deterministic test picture (a pattern of sines), `w`×`h`, encoded by
  // libvips as `format` ("jpeg", "png"), optionally with an EXIF orientation.
  static std::string picture(int w, int h, const char* format, int orientation = 0) {
    VipsImage *sines = nullptr, *rgb = nullptr, *u8 = nullptr;
    EXPECT_EQ(vips_sines(&sines, w, h, "hfreq", 3.0, "vfreq", 2.0, nullptr), 0);
    VipsImage* bands[3] = {sines, sines, sines};
    EXPECT_EQ(vips_bandjoin(bands, &rgb, 3, nullptr), 0);
    EXPECT_EQ(vips_linear1(rgb, &u8, 100.0, 128.0, "uchar", TRUE, nullptr), 0);
    u8->Type = VIPS_INTERPRETATION_sRGB;
    if (orientation) vips_image_set_int(u8, VIPS_META_ORIENTATION, orientation);
    void* buf = nullptr;
    size_t len = 0;
    if (std::string_view(format) == "jpeg") {
      EXPECT_EQ(vips_jpegsave_buffer(u8, &buf, &len, "Q", 90, nullptr), 0);
    } else {
      EXPECT_EQ(vips_pngsave_buffer(u8, &buf, &len, nullptr), 0);
    }
    std::string out(static_cast<char*>(buf), len);
    g_free(buf);
    g_object_unref(u8);
    g_object_unref(rgb);
    g_object_unref(sines);
    return out;
  }

  fs::path write(const std::string& name, std::string_view bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  static std::string read(const fs::path& p) {
    std::string s, why;
    EXPECT_TRUE(read_file(p, &s, &why)) << why;
    return s;
  }

  fs::path dir_;
};

TEST_F(ImageProcessorTest, MakesWebpAndJpegAtEachPlannedWidth) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("a.jpg", picture(1000, 600, "jpeg")));
  ASSERT_TRUE(img.processed()) << img.error;
  EXPECT_EQ(img.width, 1000);
  EXPECT_EQ(img.height, 600);
  ASSERT_EQ(img.variants.size(), 6u);
  const int widths[] = {480, 800, 1000};
  for (size_t i = 0; i < 6; ++i) {
    const ImageVariant& v = img.variants[i];
    EXPECT_EQ(v.format, i < 3 ? "webp" : "jpeg");
    EXPECT_EQ(v.width, widths[i % 3]);
    EXPECT_EQ(v.height, scaled_height(1000, 600, v.width));
    std::string bytes = read(v.file);
    EXPECT_EQ(sniff_image_format(bytes, ""), i < 3 ? ImageFormat::kWebp : ImageFormat::kJpeg);
    std::optional<ImageSize> size = image_size_of_bytes(bytes, false);
    ASSERT_TRUE(size);
    EXPECT_EQ(size->width, v.width);
    EXPECT_EQ(size->height, v.height);
    EXPECT_TRUE(v.file.string().starts_with((dir_ / "cache" / img.key).string()));
  }
}

TEST_F(ImageProcessorTest, AvifFirstWhenAskedFor) {
  // Debian 12's libheif writes AV1 itself; Debian 13's through
  // libheif-plugin-aomenc, which scripts/install-deps.sh installs there.
  ASSERT_TRUE(avif_available());
  ImagesConfig config;
  config.widths = {200, 400};
  config.formats = {"avif", "webp"};
  std::string png = picture(300, 100, "png");
  ProcessedImage img = ImageProcessor(config, dir_ / "one").process(write("a.png", png));
  ASSERT_TRUE(img.processed()) << img.error;
  ASSERT_EQ(img.variants.size(), 6u);
  const char* formats[] = {"avif", "avif", "webp", "webp", "png", "png"};
  for (size_t i = 0; i < 6; ++i) {
    const ImageVariant& v = img.variants[i];
    EXPECT_EQ(v.format, formats[i]) << i;
    EXPECT_EQ(v.width, i % 2 ? 300 : 200) << i;
    EXPECT_EQ(v.file.extension(), "." + std::string(formats[i])) << i;
  }
  std::string avif = read(img.variants[1].file);
  EXPECT_EQ(avif.substr(4, 8), "ftypavif");
  VipsImage* back = vips_image_new_from_buffer(avif.data(), avif.size(), "", nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Xsize, 300);
  EXPECT_EQ(back->Ysize, 100);
  g_object_unref(back);
  // Deterministic: another cache, the same bytes.
  ProcessedImage again = ImageProcessor(config, dir_ / "two").process(write("b.png", png));
  ASSERT_TRUE(again.processed());
  EXPECT_EQ(read(again.variants[1].file), avif);
}

TEST_F(ImageProcessorTest, SameBytesAndSettingsGiveTheSameFiles) {
  std::string jpeg = picture(900, 500, "jpeg");
  ImagesConfig config;
  ProcessedImage a = ImageProcessor(config, dir_ / "one").process(write("a.jpg", jpeg));
  ProcessedImage b = ImageProcessor(config, dir_ / "two").process(write("b.jpg", jpeg));
  ASSERT_TRUE(a.processed() && b.processed());
  ASSERT_EQ(a.variants.size(), b.variants.size());
  EXPECT_EQ(a.key, b.key);
  for (size_t i = 0; i < a.variants.size(); ++i)
    EXPECT_EQ(read(a.variants[i].file), read(b.variants[i].file)) << i;
  config.quality = 50;
  ProcessedImage c = ImageProcessor(config, dir_ / "one").process(write("c.jpg", jpeg));
  EXPECT_NE(c.key, a.key);
  EXPECT_NE(read(c.variants[0].file), read(a.variants[0].file));
}

TEST_F(ImageProcessorTest, SecondRunReadsTheCache) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  fs::path file = write("a.png", picture(700, 300, "png"));
  ProcessedImage first = processor.process(file);
  ASSERT_TRUE(first.processed()) << first.error;
  EXPECT_EQ(first.variants.back().format, "png");
  // Mark a cached file: a cache hit hands back the file as it is now.
  std::ofstream(first.variants[0].file, std::ios::binary) << "marked";
  ProcessedImage second = processor.process(file);
  ASSERT_TRUE(second.processed());
  EXPECT_EQ(second.variants[0].file, first.variants[0].file);
  EXPECT_EQ(read(second.variants[0].file), "marked");
  // No temporary folders left behind.
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "cache")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos);
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(ImageProcessorTest, ExifOrientationIsApplied) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("r.jpg", picture(600, 400, "jpeg", 6)));
  ASSERT_TRUE(img.processed()) << img.error;
  EXPECT_EQ(img.width, 400);
  EXPECT_EQ(img.height, 600);
  EXPECT_EQ(img.variants.back().width, 400);
  EXPECT_EQ(img.variants.back().height, 600);
}

TEST_F(ImageProcessorTest, TruncatedJpegFails) {
  std::string jpeg = picture(800, 800, "jpeg");
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("t.jpg", jpeg.substr(0, jpeg.size() / 3)));
  EXPECT_EQ(img.status, ProcessedImage::Status::kFailed);
  EXPECT_NE(img.error.find("cannot decode"), std::string::npos) << img.error;
  EXPECT_TRUE(img.variants.empty());
  // The failure is cached: the same bytes fail the same way without decoding.
  ProcessedImage again = processor.process(dir_ / "t.jpg");
  EXPECT_EQ(again.status, ProcessedImage::Status::kFailed);
  EXPECT_EQ(again.error, img.error);
}

TEST_F(ImageProcessorTest, GarbageAndUnknownFormatsFail) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage junk = processor.process(write("j.jpg", std::string("\xFF\xD8\xFF") + "junk"));
  EXPECT_EQ(junk.status, ProcessedImage::Status::kFailed);
  EXPECT_NE(junk.error.find("cannot read it as jpeg"), std::string::npos) << junk.error;
  ProcessedImage bmp = processor.process(write("b.bmp", "BM\x36\0\0\0"));
  EXPECT_EQ(bmp.status, ProcessedImage::Status::kFailed);
  EXPECT_NE(bmp.error.find("not an image byline can process"), std::string::npos);
  ProcessedImage none = processor.process(dir_ / "absent.jpg");
  EXPECT_EQ(none.status, ProcessedImage::Status::kFailed);
}

TEST_F(ImageProcessorTest, TooManyDeclaredPixelsIsNotDecoded) {
  ImagesConfig config;
  config.max_pixels = 500 * 500;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("big.png", picture(600, 500, "png")));
  EXPECT_EQ(img.status, ProcessedImage::Status::kFailed);
  EXPECT_NE(img.error.find("declares 600×500 pixels"), std::string::npos) << img.error;
  ProcessedImage ok = processor.process(write("ok.png", picture(500, 500, "png")));
  EXPECT_TRUE(ok.processed()) << ok.error;
}

TEST_F(ImageProcessorTest, SvgAndGifPassThrough) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage svg = processor.process(
      write("l.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"/>"));
  EXPECT_EQ(svg.status, ProcessedImage::Status::kPassThrough);
  EXPECT_EQ(svg.width, 40);
  EXPECT_EQ(svg.height, 30);
  EXPECT_FALSE(svg.processed());
  EXPECT_FALSE(fs::exists(dir_ / "cache") && !fs::is_empty(dir_ / "cache"));
}

TEST_F(ImageProcessorTest, SocialCardIs1200By630) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  fs::path file = write("c.jpg", picture(2000, 1500, "jpeg"));
  SocialCard card = processor.card(file);
  ASSERT_TRUE(card.ok) << card.error;
  std::optional<ImageSize> size = image_size_of_bytes(read(card.file), false);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 1200);
  EXPECT_EQ(size->height, 630);
  SocialCard again = processor.card(file);
  EXPECT_EQ(again.file, card.file);
  EXPECT_FALSE(processor.card(write("s.svg", "<svg/>")).ok);
}

// What a variant's file carries, as libvips reads it back.
struct Carried {
  size_t profile = 0;  // ICC bytes
  bool artist = false, copyright = false, make = false, software = false;
  std::string xmp, iptc;
};

Carried carried(const std::string& bytes) {
  Carried c;
  VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  EXPECT_NE(image, nullptr);
  if (!image) return c;
  const void* data = nullptr;
  size_t len = 0;
  if (vips_image_get_typeof(image, VIPS_META_ICC_NAME) &&
      vips_image_get_blob(image, VIPS_META_ICC_NAME, &data, &len) == 0)
    c.profile = len;
  if (vips_image_get_typeof(image, VIPS_META_XMP_NAME) &&
      vips_image_get_blob(image, VIPS_META_XMP_NAME, &data, &len) == 0)
    c.xmp.assign(static_cast<const char*>(data), len);
  if (vips_image_get_typeof(image, VIPS_META_IPTC_NAME) &&
      vips_image_get_blob(image, VIPS_META_IPTC_NAME, &data, &len) == 0)
    c.iptc.assign(static_cast<const char*>(data), len);
  c.artist = vips_image_get_typeof(image, "exif-ifd0-Artist");
  c.copyright = vips_image_get_typeof(image, "exif-ifd0-Copyright");
  c.make = vips_image_get_typeof(image, "exif-ifd0-Make");
  c.software = vips_image_get_typeof(image, "exif-ifd0-Software");
  g_object_unref(image);
  return c;
}

std::string credited_fixture() {
  std::string bytes, why;
  EXPECT_TRUE(
      read_file(std::string(BYLINE_SOURCE_DIR) + "/tests/images/credited.jpg", &bytes, &why))
      << why;
  return bytes;
}

// tests/images/credited.jpg: Display P3 with its profile, EXIF, XMP and
// IPTC credit among camera, GPS and caption fields.
TEST_F(ImageProcessorTest, VariantsKeepTheProfileAndNothingElseByDefault) {
  ImagesConfig config;
  config.widths = {48, 96};
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("credited.jpg", credited_fixture()));
  ASSERT_TRUE(img.processed()) << img.error;
  ASSERT_EQ(img.variants.size(), 4u);
  for (const ImageVariant& v : img.variants) {
    Carried c = carried(read(v.file));
    EXPECT_EQ(c.profile, 736u) << v.file;  // the source's P3 profile, its pixels still P3
    EXPECT_FALSE(c.artist || c.copyright || c.make || c.software) << v.file;
    EXPECT_EQ(c.xmp, "") << v.file;
    EXPECT_EQ(c.iptc, "") << v.file;
  }
}

TEST_F(ImageProcessorTest, KeepCreditKeepsCopyrightAndCreditOnly) {
  ImagesConfig config;
  config.widths = {48, 96};
  config.keep_credit = true;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("credited.jpg", credited_fixture()));
  ASSERT_TRUE(img.processed()) << img.error;
  for (const ImageVariant& v : img.variants) {
    Carried c = carried(read(v.file));
    EXPECT_EQ(c.profile, 736u) << v.file;
    EXPECT_TRUE(c.artist && c.copyright) << v.file;
    EXPECT_FALSE(c.make || c.software) << v.file;
    EXPECT_NE(c.xmp.find("A. PHOTOGRAPHER/AGENCY"), std::string::npos) << v.file;
    EXPECT_EQ(c.xmp.find("GPS"), std::string::npos) << v.file;
    if (v.format == "jpeg") {  // IPTC lives in JPEG files only
      EXPECT_NE(c.iptc.find("(c) 2019 Agency Ltd"), std::string::npos) << v.file;
      EXPECT_EQ(c.iptc.find("Protesters"), std::string::npos) << v.file;
    }
  }
  // Another setting, another cache entry.
  ImagesConfig plain = config;
  plain.keep_credit = false;
  EXPECT_NE(ImageProcessor(plain, dir_ / "cache").process(dir_ / "credited.jpg").key, img.key);
}

// A PNG shrunk by the box filter (images/box_filter.h): a chart of two flat
// colours stays two colours, with their average at most where they meet,
// and keeps its colour profile (the metadata copied over as vips_resize
// would have).
TEST_F(ImageProcessorTest, PngIsShrunkByTheBoxAndKeepsItsProfile) {
  const int w = 1001, h = 400;
  const uint8_t a[3] = {20, 120, 220}, b[3] = {240, 40, 0};
  std::vector<uint8_t> pixels;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < 3; ++k) pixels.push_back((x / 37 + y / 23) % 2 ? a[k] : b[k]);
  VipsImage* flat =
      vips_image_new_from_memory_copy(pixels.data(), pixels.size(), w, h, 3, VIPS_FORMAT_UCHAR);
  ASSERT_NE(flat, nullptr);
  flat->Type = VIPS_INTERPRETATION_sRGB;
  std::string jpeg = credited_fixture();
  VipsImage* credited = vips_image_new_from_buffer(jpeg.data(), jpeg.size(), "", nullptr);
  ASSERT_NE(credited, nullptr);
  const void* icc = nullptr;
  size_t icc_len = 0;
  ASSERT_EQ(vips_image_get_blob(credited, VIPS_META_ICC_NAME, &icc, &icc_len), 0);
  vips_image_set_blob_copy(flat, VIPS_META_ICC_NAME, icc, icc_len);
  void* buf = nullptr;
  size_t len = 0;
  ASSERT_EQ(vips_pngsave_buffer(flat, &buf, &len, nullptr), 0);
  std::string png(static_cast<char*>(buf), len);
  g_free(buf);
  g_object_unref(flat);
  g_object_unref(credited);

  ImagesConfig config;
  config.widths = {333, 480, 800};
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("chart.png", png));
  ASSERT_TRUE(img.processed()) << img.error;
  size_t pngs = 0;
  for (const ImageVariant& v : img.variants) {
    if (v.format != "png") continue;
    ++pngs;
    std::string bytes = read(v.file);
    EXPECT_EQ(carried(bytes).profile, icc_len) << v.file;
    VipsImage* back = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
    ASSERT_NE(back, nullptr);
    ASSERT_EQ(back->Bands, 3);
    EXPECT_EQ(back->Xsize, v.width);
    EXPECT_EQ(back->Ysize, scaled_height(w, h, v.width));
    const uint8_t* p = static_cast<const uint8_t*>(vips_image_get_data(back));
    ASSERT_NE(p, nullptr);
    size_t between = 0, count = static_cast<size_t>(back->Xsize) * static_cast<size_t>(back->Ysize);
    for (size_t i = 0; i < count; ++i, p += 3) {
      bool is_a = std::equal(p, p + 3, a), is_b = std::equal(p, p + 3, b);
      if (is_a || is_b) continue;
      // Where the two meet: their average in each band, from up to four
      // source pixels (two by two), so anything between them.
      ++between;
      for (int k = 0; k < 3; ++k) {
        EXPECT_GE(p[k], std::min(a[k], b[k]));
        EXPECT_LE(p[k], std::max(a[k], b[k]));
      }
    }
    // The box makes at most one column of new colours at each of the 27
    // edges across and one row at each of the 17 down (no output pixel
    // but one straddles an edge); Lanczos and the triangle filter blur an
    // edge over two or more.
    size_t edges = 27 * static_cast<size_t>(back->Ysize) + 17 * static_cast<size_t>(back->Xsize);
    EXPECT_LE(between, edges) << v.file;
    g_object_unref(back);
  }
  EXPECT_EQ(pngs, 3u);
}

TEST_F(ImageProcessorTest, PictureWithoutMetadataIsStripped) {
  ImagesConfig config;
  config.keep_credit = true;
  ImageProcessor processor(config, dir_ / "cache");
  ProcessedImage img = processor.process(write("a.jpg", picture(600, 400, "jpeg")));
  ASSERT_TRUE(img.processed()) << img.error;
  for (const ImageVariant& v : img.variants) {
    std::string bytes = read(v.file);
    Carried c = carried(bytes);
    EXPECT_EQ(c.profile, 0u);
    EXPECT_FALSE(c.artist || c.copyright);
    if (v.format == "jpeg") {
      EXPECT_EQ(bytes.find("Exif"), std::string::npos) << v.file;
    }
  }
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST_F(ImageProcessorTest, TextCardIs1200By630DeterministicAndCached) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  SocialCard card = processor.text_card("Why the sanctions failed <and what & why>",
                                        "The Morning Ledger", "Ann Writer");
  ASSERT_TRUE(card.ok) << card.error;
  std::string bytes = read(card.file);
  std::optional<ImageSize> size = image_size_of_bytes(bytes, false);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 1200);
  EXPECT_EQ(size->height, 630);
  EXPECT_EQ(processor
                .text_card("Why the sanctions failed <and what & why>", "The Morning Ledger",
                           "Ann Writer")
                .file,
            card.file);
  // Made again from nothing: the same bytes.
  ImageProcessor other(config, dir_ / "cache2");
  SocialCard again = other.text_card("Why the sanctions failed <and what & why>",
                                     "The Morning Ledger", "Ann Writer");
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_NE(again.file, card.file);
  EXPECT_EQ(read(again.file), bytes);
  // Other text, another card; a long title is cut, not an error.
  SocialCard plain = processor.text_card("Another piece", "", "Ann Writer");
  ASSERT_TRUE(plain.ok) << plain.error;
  EXPECT_NE(read(plain.file), bytes);
  SocialCard long_title = processor.text_card(std::string(400, 'w') + " end", "", "");
  ASSERT_TRUE(long_title.ok) << long_title.error;
}

// The text is drawn: the card is not the plain background, and where the
// title goes differs from an empty card's.
TEST_F(ImageProcessorTest, TextCardShowsItsText) {
  ImagesConfig config;
  ImageProcessor processor(config, dir_ / "cache");
  SocialCard with = processor.text_card("A title", "An outlet", "A site");
  SocialCard without = processor.text_card("", "", "");
  ASSERT_TRUE(with.ok && without.ok) << with.error << without.error;
  std::string a = read(with.file), b = read(without.file);
  VipsImage* ia = vips_image_new_from_buffer(a.data(), a.size(), "", nullptr);
  VipsImage* ib = vips_image_new_from_buffer(b.data(), b.size(), "", nullptr);
  ASSERT_TRUE(ia && ib);
  double max_a = 0, max_b = 0;
  EXPECT_EQ(vips_max(ia, &max_a, nullptr), 0);
  EXPECT_EQ(vips_max(ib, &max_b, nullptr), 0);
  EXPECT_GT(max_a, 200);  // white title ink
  EXPECT_LT(max_b, 80);   // slate only
  g_object_unref(ia);
  g_object_unref(ib);
}

}  // namespace
}  // namespace byline
