#include "markdown/local_images.h"

#include <gtest/gtest.h>

#include <fstream>

namespace byline {
namespace {

namespace fs = std::filesystem;

TEST(LocalImagePathTest, RelativeUrlsResolveAgainstThePermalink) {
  EXPECT_EQ(local_image_path("photo.jpg", "/2019/08/x/", "/"), "/2019/08/x/photo.jpg");
  EXPECT_EQ(local_image_path("./img/photo.jpg", "/2019/08/x/", "/"), "/2019/08/x/img/photo.jpg");
  EXPECT_EQ(local_image_path("../y/p.png", "/2019/08/x/", "/"), "/2019/08/y/p.png");
  EXPECT_EQ(local_image_path("p.png", "/about.html", "/"), "/p.png");
  // ".." stops at the root, as in a browser: nothing resolves outside the site.
  EXPECT_EQ(local_image_path("../../../../etc/passwd", "/a/b/", "/"), "/etc/passwd");
}

TEST(LocalImagePathTest, SiteAbsoluteUrls) {
  EXPECT_EQ(local_image_path("/images/a.jpg", "/2019/08/x/", "/"), "/images/a.jpg");
  EXPECT_EQ(local_image_path("/images//./a.jpg", "/x/", "/"), "/images/a.jpg");
  // A site under /blog/ is written either way.
  EXPECT_EQ(local_image_path("/blog/images/a.jpg", "/x/", "/blog/"), "/images/a.jpg");
  EXPECT_EQ(local_image_path("/images/a.jpg", "/x/", "/blog/"), "/images/a.jpg");
}

TEST(LocalImagePathTest, QueryFragmentAndEscapes) {
  EXPECT_EQ(local_image_path("/a%20b.jpg?v=2#top", "/", "/"), "/a b.jpg");
  EXPECT_EQ(local_image_path("caf%C3%A9.png", "/x/", "/"), "/x/caf\xC3\xA9.png");
  EXPECT_EQ(local_image_path("100%.png", "/", "/"), "/100%.png");
  EXPECT_EQ(local_image_path("a%00.png", "/", "/"), std::nullopt);
}

TEST(LocalImagePathTest, NotLocal) {
  for (const char* url :
       {"http://example.org/a.jpg", "https://example.org/a.jpg", "//cdn.example.org/a.jpg",
        "data:image/png;base64,AAAA", "HTTPS://EXAMPLE.ORG/A.JPG", "mailto:x@example.org", "#fig",
        "?x=1", "", "/images/", "images/..", "."}) {
    EXPECT_EQ(local_image_path(url, "/2019/x/", "/"), std::nullopt) << url;
  }
  // A colon after a slash is part of a path, not a scheme.
  EXPECT_EQ(local_image_path("./a:b.png", "/", "/"), "/a:b.png");
}

class LocalImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = fs::temp_directory_path() /
            ("byline_local_images_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(site_);
    config_.urls = SiteUrls("https://example.org/");
    config_.theme = "paper";
    // A GIF header is all the size reader needs.
    write("content/posts/bundle/photo.gif", gif_header(40, 30));
    write("content/posts/bundle/sub/inner.gif", gif_header(4, 3));
    write("content/posts/loose.gif", gif_header(1, 2));
    write("static/images/chart.gif", gif_header(640, 360));
    write("static/images/notes.txt", "not an image");
    write("themes/paper/static/images/logo.gif", gif_header(16, 16));
    write("themes/paper/static/images/chart.gif", gif_header(1, 1));  // the site's wins

    bundle_.source_path = (site_ / "content/posts/bundle/index.md").string();
    bundle_.rel_path = "posts/bundle/index.md";
    bundle_.rel_dir = "posts/bundle";
    bundle_.resources = {"posts/bundle/photo.gif", "posts/bundle/sub/inner.gif"};
    bundle_.permalink = "/2019/08/bundle/";
    bundle_.output_path = "2019/08/bundle/index.html";

    loose_.source_path = (site_ / "content/posts/loose.md").string();
    loose_.rel_path = "posts/loose.md";
    loose_.rel_dir = "posts";
    loose_.permalink = "/2019/08/loose/";
    loose_.output_path = "2019/08/loose/index.html";
  }
  void TearDown() override { fs::remove_all(site_); }

  static std::string gif_header(int w, int h) {
    std::string g = "GIF89a";
    g += static_cast<char>(w & 0xFF);
    g += static_cast<char>(w >> 8);
    g += static_cast<char>(h & 0xFF);
    g += static_cast<char>(h >> 8);
    g += std::string("\x00\x00\x00", 3);
    return g;
  }

  void write(const std::string& rel, const std::string& bytes) {
    fs::path p = site_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }

  std::vector<Page> pages() const { return {bundle_, loose_}; }

  fs::path site_;
  SiteConfig config_;
  Page bundle_;
  Page loose_;
};

TEST_F(LocalImagesTest, BundleFiles) {
  LocalImages images(config_, site_, Theme(site_, config_), pages());
  LocalImage a = images.find(bundle_, "photo.gif");
  EXPECT_EQ(a.kind, LocalImage::Kind::kFound);
  EXPECT_EQ(a.file, site_ / "content/posts/bundle/photo.gif");
  EXPECT_EQ(a.size, (ImageSize{40, 30}));
  EXPECT_EQ(images.find(bundle_, "sub/inner.gif").size, (ImageSize{4, 3}));
  // Written as the page's own URL, it is still the bundle's file.
  EXPECT_EQ(images.find(bundle_, "/2019/08/bundle/photo.gif").size, (ImageSize{40, 30}));
  // Another page reaches a bundle's file by its published URL.
  EXPECT_EQ(images.find(loose_, "../bundle/photo.gif").size, (ImageSize{40, 30}));
}

TEST_F(LocalImagesTest, StaticContentAndThemeFiles) {
  LocalImages images(config_, site_, Theme(site_, config_), pages());
  EXPECT_EQ(images.find(loose_, "/images/chart.gif").size, (ImageSize{640, 360}));
  EXPECT_EQ(images.find(bundle_, "/images/logo.gif").size, (ImageSize{16, 16}));
  EXPECT_EQ(images.find(loose_, "/posts/loose.gif").size, (ImageSize{1, 2}));
  // A file that is there but is no image: found, without a size.
  LocalImage notes = images.find(loose_, "/images/notes.txt");
  EXPECT_EQ(notes.kind, LocalImage::Kind::kFound);
  EXPECT_EQ(notes.size, std::nullopt);
}

TEST_F(LocalImagesTest, MissingFilesSayWhereTheyWereLookedFor) {
  LocalImages images(config_, site_, Theme(site_, config_), pages());
  LocalImage m = images.find(loose_, "/images/gone.png");
  EXPECT_EQ(m.kind, LocalImage::Kind::kMissing);
  EXPECT_EQ(m.size, std::nullopt);
  EXPECT_EQ(m.tried, (std::vector<std::string>{"content/images/gone.png", "static/images/gone.png",
                                               "themes/paper/static/images/gone.png"}));
  LocalImage b = images.find(bundle_, "gone.png");
  EXPECT_EQ(b.kind, LocalImage::Kind::kMissing);
  EXPECT_EQ(b.tried, (std::vector<std::string>{"content/posts/bundle/gone.png"}));
  // A non-bundle page's relative URL points below its own URL, as published.
  LocalImage loose = images.find(loose_, "loose.gif");
  EXPECT_EQ(loose.kind, LocalImage::Kind::kMissing);
  EXPECT_EQ(loose.tried.front(), "content/2019/08/loose/loose.gif");
}

TEST_F(LocalImagesTest, RemoteAndDataUrlsAreNotLooked) {
  LocalImages images(config_, site_, Theme(site_, config_), pages());
  for (const char* url : {"https://example.org/images/chart.gif", "//example.org/a.gif",
                          "data:image/gif;base64,R0lGODlh"}) {
    LocalImage r = images.find(loose_, url);
    EXPECT_EQ(r.kind, LocalImage::Kind::kNotLocal) << url;
    EXPECT_TRUE(r.tried.empty());
  }
}

TEST_F(LocalImagesTest, SizesAreRememberedPerFile) {
  LocalImages images(config_, site_, Theme(site_, config_), pages());
  EXPECT_EQ(images.find(loose_, "/images/chart.gif").size, (ImageSize{640, 360}));
  // The build reads each file once: a change during the build is not seen.
  write("static/images/chart.gif", gif_header(2, 2));
  EXPECT_EQ(images.find(bundle_, "/images/chart.gif").size, (ImageSize{640, 360}));
  EXPECT_EQ(LocalImages(config_, site_, Theme(site_, config_), pages())
                .find(loose_, "/images/chart.gif")
                .size,
            (ImageSize{2, 2}));
}

}  // namespace
}  // namespace byline
