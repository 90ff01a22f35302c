#include "config/theme.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "base/diagnostic.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

class ThemeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = fs::temp_directory_path() /
            ("byline-theme-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(site_);
    config_.theme = "paper";
    write("templates/page.html", "site page");
    write("themes/paper/templates/page.html", "theme page");
    write("themes/paper/templates/post.html", "theme post");
    write("static/style.css", "site css");
    write("themes/paper/static/style.css", "theme css");
    write("themes/paper/static/img/b.png", "b");
    write("themes/paper/static/img/a.png", "a");
  }
  void TearDown() override { fs::remove_all(site_); }

  void write(const std::string& rel, const std::string& bytes) {
    fs::path p = site_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
  std::string read(Theme::Kind kind, std::string_view rel) const {
    std::string out;
    EXPECT_TRUE(Theme(site_, config_).read(kind, rel, &out)) << rel;
    return out;
  }

  fs::path site_;
  SiteConfig config_;
};

TEST_F(ThemeTest, TheSiteThenItsThemeThenTheBuiltInTheme) {
  Theme theme(site_, config_);
  EXPECT_EQ(read(Theme::Kind::kTemplates, "page.html"), "site page");
  EXPECT_EQ(read(Theme::Kind::kTemplates, "post.html"), "theme post");
  std::string builtin = read(Theme::Kind::kTemplates, "base.html");
  EXPECT_NE(builtin.find("<html"), std::string::npos);

  EXPECT_EQ(theme.find(Theme::Kind::kTemplates, "page.html")->layer, Theme::Layer::kSite);
  EXPECT_EQ(theme.find(Theme::Kind::kTemplates, "post.html")->layer, Theme::Layer::kTheme);
  EXPECT_EQ(theme.find(Theme::Kind::kTemplates, "base.html")->layer, Theme::Layer::kBuiltin);
  EXPECT_FALSE(theme.find(Theme::Kind::kTemplates, "nothing.html"));

  EXPECT_TRUE(theme.overridden(Theme::Kind::kTemplates, "post.html"));
  EXPECT_FALSE(theme.overridden(Theme::Kind::kTemplates, "base.html"));
  EXPECT_EQ(theme.display_path(Theme::Kind::kTemplates, "post.html"),
            (site_ / "themes/paper/templates/post.html").string());
  EXPECT_EQ(theme.display_path(Theme::Kind::kTemplates, "base.html"),
            "(built-in theme)/templates/base.html");
  EXPECT_EQ(read(Theme::Kind::kStatic, "style.css"), "site css");
}

TEST_F(ThemeTest, WithoutAThemeOnlyTheSiteAndTheBuiltInTheme) {
  config_.theme.clear();
  Theme theme(site_, config_);
  EXPECT_EQ(theme.dirs(Theme::Kind::kTemplates), std::vector<fs::path>{site_ / "templates"});
  EXPECT_FALSE(theme.find(Theme::Kind::kTemplates, "post.html")->layer != Theme::Layer::kBuiltin);
}

TEST_F(ThemeTest, NamesCannotClimbOutOfTheFolders) {
  write("secret.txt", "secret");
  Theme theme(site_, config_);
  std::string out;
  for (const char* name : {"../secret.txt", "/etc/passwd", "a/../../secret.txt", ""}) {
    EXPECT_FALSE(theme.find(Theme::Kind::kTemplates, name)) << name;
    EXPECT_FALSE(theme.read(Theme::Kind::kTemplates, name, &out)) << name;
  }
}

TEST_F(ThemeTest, ThemeStaticFilesEachOnceInOrder) {
  // The built-in theme's static/ holds favicon.svg, search.js and
  // style.css; the theme's style.css shadows the built-in one.
  std::vector<Theme::StaticFile> files = Theme(site_, config_).theme_static_files();
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].rel, "img/a.png");
  EXPECT_EQ(files[1].rel, "img/b.png");
  EXPECT_EQ(files[2].rel, "style.css");
  EXPECT_EQ(files[2].file.layer, Theme::Layer::kTheme);
  EXPECT_EQ(files[2].file.path, site_ / "themes/paper/static/style.css");
  EXPECT_EQ(files[3].rel, "favicon.svg");
  EXPECT_EQ(files[3].file.layer, Theme::Layer::kBuiltin);
  EXPECT_EQ(files[4].rel, "search.js");
  EXPECT_EQ(files[4].file.layer, Theme::Layer::kBuiltin);

  config_.theme.clear();
  files = Theme(site_, config_).theme_static_files();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].rel, "favicon.svg");
  EXPECT_EQ(files[0].file.layer, Theme::Layer::kBuiltin);
  EXPECT_NE(files[0].file.data.find("<svg"), std::string_view::npos);
  EXPECT_EQ(files[1].rel, "search.js");
  EXPECT_NE(files[1].file.data.find("bylineSearch"), std::string_view::npos);
  EXPECT_EQ(files[2].rel, "style.css");
  EXPECT_EQ(files[2].file.layer, Theme::Layer::kBuiltin);
  EXPECT_NE(files[2].file.data.find("body"), std::string_view::npos);
}

TEST_F(ThemeTest, TemplatesOfOneFolderBeforeTheBuiltInOnes) {
  Theme theme = Theme::for_templates(site_ / "themes/paper/templates");
  EXPECT_EQ(theme.find(Theme::Kind::kTemplates, "page.html")->layer, Theme::Layer::kSite);
  EXPECT_EQ(theme.find(Theme::Kind::kTemplates, "base.html")->layer, Theme::Layer::kBuiltin);
  EXPECT_TRUE(theme.dirs(Theme::Kind::kStatic).empty());
}

TEST_F(ThemeTest, AThemeThatIsNotThereIsAnErrorAtTheKey) {
  write("byline.toml", "title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"papr\"\n");
  SiteConfig c;
  DiagnosticSink sink;
  EXPECT_FALSE(load_config(site_, &c, sink));
  std::string shown = sink.format_all();
  std::string prefix = (site_ / "byline.toml").string();
  ASSERT_EQ(shown.compare(0, prefix.size(), prefix), 0) << shown;
  EXPECT_EQ(shown.substr(prefix.size()),
            ":3:9: error: theme 'papr' not found: there is no folder themes/papr/ in the site "
            "(themes/ has 'paper')\n"
            "  theme = \"papr\"\n"
            "          ^\n");

  fs::remove_all(site_ / "themes");
  DiagnosticSink none;
  EXPECT_FALSE(load_config(site_, &c, none));
  EXPECT_NE(none.format_all().find("(the site has no themes/ folder)"), std::string::npos);

  write("byline.toml", "title = \"T\"\nbase_url = \"https://e.org/\"\ntheme = \"../..\"\n");
  DiagnosticSink climb;
  EXPECT_FALSE(load_config(site_, &c, climb));
}

}  // namespace
}  // namespace byline
