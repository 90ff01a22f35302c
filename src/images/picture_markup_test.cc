#include "images/picture_markup.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

ProcessedImage jpeg_with(std::vector<int> widths, int source_w, int source_h) {
  ProcessedImage img;
  img.status = ProcessedImage::Status::kProcessed;
  img.format = ImageFormat::kJpeg;
  img.width = source_w;
  img.height = source_h;
  for (const char* format : {"webp", "jpeg"}) {
    for (int w : widths) {
      ImageVariant v;
      v.width = w;
      v.height = scaled_height(source_w, source_h, w);
      v.format = format;
      img.variants.push_back(v);
    }
  }
  return img;
}

TEST(PictureMarkupTest, SrcsetListsEveryWidthOfAFormat) {
  ProcessedImage img = jpeg_with({480, 800, 1000}, 1000, 500);
  EXPECT_EQ(srcset(img, "pics/a%20b.jpg", "webp"),
            "pics/a%20b-480w.webp 480w, pics/a%20b-800w.webp 800w, pics/a%20b-1000w.webp 1000w");
  EXPECT_EQ(srcset(img, "pics/a%20b.jpg", "jpeg"),
            "pics/a%20b-480w.jpg 480w, pics/a%20b-800w.jpg 800w, pics/a%20b-1000w.jpg 1000w");
  EXPECT_EQ(srcset(img, "a.jpg", "png"), "");
}

TEST(PictureMarkupTest, PictureWithWebpSourceAndLazyImg) {
  ProcessedImage img = jpeg_with({480, 800}, 800, 600);
  PictureAttributes a;
  a.src = "/img/p.jpg";
  a.alt = "A &quot;match&quot;";
  a.sizes = "(max-width: 40rem) 100vw, 40rem";
  EXPECT_EQ(picture_html(img, a),
            "<picture><source type=\"image/webp\" srcset=\"/img/p-480w.webp 480w, "
            "/img/p-800w.webp 800w\" sizes=\"(max-width: 40rem) 100vw, 40rem\">"
            "<img src=\"/img/p-800w.jpg\" srcset=\"/img/p-480w.jpg 480w, /img/p-800w.jpg 800w\" "
            "sizes=\"(max-width: 40rem) 100vw, 40rem\" alt=\"A &quot;match&quot;\" width=\"800\" "
            "height=\"600\" loading=\"lazy\" decoding=\"async\"></picture>");
}

TEST(PictureMarkupTest, FirstImageIsEagerAndTitleKept) {
  ProcessedImage img = jpeg_with({300}, 300, 200);
  PictureAttributes a;
  a.src = "p.jpg";
  a.alt = "x";
  a.title = "T";
  a.sizes = "a\"b";
  a.eager = true;
  std::string html = picture_html(img, a);
  EXPECT_EQ(html.find("loading="), std::string::npos);
  EXPECT_EQ(html.find("decoding="), std::string::npos);
  EXPECT_NE(html.find(" title=\"T\" width=\"300\" height=\"200\">"), std::string::npos) << html;
  EXPECT_NE(html.find("sizes=\"a&#34;b\""), std::string::npos) << html;
}

TEST(PictureMarkupTest, WebpSourceIsAPlainImg) {
  ProcessedImage img;
  img.status = ProcessedImage::Status::kProcessed;
  img.format = ImageFormat::kWebp;
  for (int w : {480, 700}) img.variants.push_back({w, w / 2, "webp", {}});
  PictureAttributes a;
  a.src = "w.webp";
  a.alt = "";
  a.sizes = "100vw";
  EXPECT_EQ(picture_html(img, a),
            "<img src=\"w-700w.webp\" srcset=\"w-480w.webp 480w, w-700w.webp 700w\" "
            "sizes=\"100vw\" alt=\"\" width=\"700\" height=\"350\" loading=\"lazy\" "
            "decoding=\"async\">");
}

}  // namespace
}  // namespace byline
