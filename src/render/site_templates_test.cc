// The site's template lookup as the engine sees it: a missing template
// names the folders it was looked for in.
#include "render/site_templates.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "templates/template_byline.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

class ThemeLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = fs::temp_directory_path() / ("byline-theme-loader-" + std::to_string(getpid()));
    fs::remove_all(site_);
    fs::create_directories(site_ / "templates");
    fs::create_directories(site_ / "themes" / "plain" / "templates");
    std::ofstream(site_ / "templates" / "page.html") << "<p>\n{% include \"partials/x.html\" %}";
  }
  void TearDown() override { fs::remove_all(site_); }

  fs::path site_;
};

TEST_F(ThemeLoaderTest, AMissingIncludeNamesTheFoldersSearched) {
  SiteConfig config;
  config.theme = "plain";
  Theme theme(site_, config);
  TemplateEngine engine(std::make_unique<ThemeLoader>(theme));
  register_byline_extensions(engine);
  std::string out;
  Diagnostic d;
  ASSERT_FALSE(engine.render("page.html", {}, &out, &d, "content/about.md"));
  const std::string s = site_.generic_string();
  EXPECT_EQ(d.message, "template 'partials/x.html' not found (looked in " + s + "/templates/, " +
                           s + "/themes/plain/templates/ and byline's built-in theme)");
  EXPECT_EQ(d.rendering, "content/about.md");
  EXPECT_EQ(d.location.line, 2);
  EXPECT_EQ(d.location.column, 12);

  // The built-in theme's own templates are found.
  std::string source;
  EXPECT_TRUE(ThemeLoader(theme).load("base.html", &source));
}

}  // namespace
}  // namespace byline
