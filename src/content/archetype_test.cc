#include "content/archetype.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "content/scaffold.h"
#include "frontmatter/front_matter.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

ArchetypeValues values() {
  ArchetypeValues v;
  v.strings = {{"title", "Say \"no\": a, b"},
               {"slug", "say-no"},
               {"section", "posts"},
               {"outlet", "The Ledger"}};
  v.date = "2024-05-06T07:08:09+02:00";
  v.draft = true;
  v.tags = {"Russia", "Energy"};
  return v;
}

// The filled text's front matter, decoded.
Value decoded(const std::string& text) {
  FrontMatter fm;
  DiagnosticSink sink;
  EXPECT_TRUE(parse_front_matter("new.md", text, &fm, sink)) << sink.format_all();
  return fm.fields;
}

TEST(ArchetypeTest, FillsYamlPlaceholdersWithQuotedValues) {
  std::string out, text =
                       "---\ntitle: {{ title }}\ndate: {{date}}\ndraft: {{ draft }}\n"
                       "tags: {{ tags }}\nquoted: \"{{ title }}\"\nnone: {{ original_url }}\n"
                       "---\n\nAbout {{ section }}.\n";
  std::vector<std::string> used;
  DiagnosticSink sink;
  ASSERT_TRUE(fill_archetype("archetypes/posts.md", text, values(), &out, &used, sink))
      << sink.format_all();
  Value fm = decoded(out);
  EXPECT_EQ(fm.find("title")->as_string(), "Say \"no\": a, b");
  EXPECT_EQ(fm.find("quoted")->as_string(), "Say \"no\": a, b");
  EXPECT_EQ(fm.find("date")->as_string(), "2024-05-06T07:08:09+02:00");
  EXPECT_TRUE(fm.find("draft")->as_bool());
  ASSERT_EQ(fm.find("tags")->as_list().size(), 2u);
  EXPECT_EQ(fm.find("tags")->as_list()[1].as_string(), "Energy");
  EXPECT_EQ(fm.find("none")->as_string(), "");
  EXPECT_NE(out.find("About \"posts\"."), std::string::npos) << out;
  EXPECT_EQ(used, (std::vector<std::string>{"title", "date", "draft", "tags", "original_url",
                                            "section"}));
}

TEST(ArchetypeTest, FillsTomlPlaceholders) {
  std::string out, text =
                       "+++\ntitle = {{ title }}\ndate = {{ date }}\ndraft = {{ draft }}\n"
                       "tags = {{ tags }}\n+++\n";
  ArchetypeValues v = values();
  v.draft = false;
  std::vector<std::string> used;
  DiagnosticSink sink;
  ASSERT_TRUE(fill_archetype("a.md", text, v, &out, &used, sink)) << sink.format_all();
  Value fm = decoded(out);
  EXPECT_EQ(fm.find("title")->as_string(), "Say \"no\": a, b");
  EXPECT_EQ(fm.find("date")->as_string(), "2024-05-06T07:08:09+02:00");
  EXPECT_FALSE(fm.find("draft")->as_bool());
}

TEST(ArchetypeTest, UnknownPlaceholderIsALocatedError) {
  std::string out;
  std::vector<std::string> used;
  DiagnosticSink sink;
  EXPECT_FALSE(fill_archetype("archetypes/default.md",
                              "---\ntitle: {{ title }}\nby: {{ .Author }}\n---\n", values(), &out,
                              &used, sink));
  EXPECT_NE(sink.format_all().find(
                "archetypes/default.md:3:5: error: unknown placeholder '{{ .Author }}'"),
            std::string::npos)
      << sink.format_all();
}

TEST(ArchetypeTest, FrontMatterThatDoesNotParseIsAnError) {
  std::string out;
  std::vector<std::string> used;
  DiagnosticSink sink;
  EXPECT_FALSE(
      fill_archetype("a.md", "---\ntitle: [{{ title }}\n---\n", values(), &out, &used, sink));
  EXPECT_NE(sink.format_all().find("a.md:"), std::string::npos) << sink.format_all();
}

class NewPostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = fs::temp_directory_path() /
            ("byline-newpost-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(site_);
    write("byline.toml", "title = \"T\"\nbase_url = \"/\"\ntheme = \"paper\"\n");
    fs::create_directories(site_ / "themes/paper");
    post_.title = "Hello World";
    post_.date = *parse_datetime("2023-02-03T04:05:06Z");
  }
  void TearDown() override { fs::remove_all(site_); }

  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((site_ / rel).parent_path());
    std::ofstream(site_ / rel, std::ios::binary) << text;
  }
  // Creates the post; its text, or "" with the diagnostics in `diags_`.
  std::string create() {
    DiagnosticSink sink;
    fs::path written;
    bool ok = create_post(site_, post_, &written, sink);
    diags_ = sink.format_all();
    if (!ok) return "";
    std::ifstream in(written, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path site_;
  NewPost post_;
  std::string diags_;
};

TEST_F(NewPostTest, WithoutAnArchetypeWritesADraft) {
  post_.original_url = "https://ledger.example/x";
  std::string text = create();
  EXPECT_EQ(text,
            "---\ntitle: \"Hello World\"\ndate: \"2023-02-03T04:05:06Z\"\ndraft: true\n"
            "tags: []\ncategories: []\noriginal_url: \"https://ledger.example/x\"\n---\n\n"
            "Write the post here.\n")
      << diags_;
  EXPECT_TRUE(fs::exists(site_ / "content/posts/2023/hello-world.md"));
}

TEST_F(NewPostTest, PublishSlugAndSection) {
  post_.draft = false;
  post_.slug = "hi";
  post_.section = "notes";
  std::string text = create();
  EXPECT_NE(text.find("draft: false\nslug: \"hi\"\n"), std::string::npos) << text << diags_;
  EXPECT_TRUE(fs::exists(site_ / "content/notes/2023/hi.md"));
}

TEST_F(NewPostTest, ArchetypesAreLookedUpSiteThenThemeSectionThenDefault) {
  write("themes/paper/archetypes/default.md",
        "---\ntitle: {{ title }}\ndraft: {{ draft }}\n---\ntheme default\n");
  EXPECT_NE(create().find("theme default"), std::string::npos) << diags_;
  fs::remove_all(site_ / "content");
  write("themes/paper/archetypes/posts.md",
        "---\ntitle: {{ title }}\ndraft: {{ draft }}\n---\ntheme posts\n");
  EXPECT_NE(create().find("theme posts"), std::string::npos) << diags_;
  fs::remove_all(site_ / "content");
  write("archetypes/default.md",
        "---\ntitle: {{ title }}\ndraft: {{ draft }}\n---\nsite default\n");
  EXPECT_NE(create().find("site default"), std::string::npos) << diags_;
  fs::remove_all(site_ / "content");
  write("archetypes/posts.md", "---\ntitle: {{ title }}\ndraft: {{ draft }}\n---\nsite posts\n");
  EXPECT_NE(create().find("site posts"), std::string::npos) << diags_;
  EXPECT_EQ(diags_, "");
}

TEST_F(NewPostTest, AFlagTheArchetypeDropsIsAWarning) {
  write("archetypes/default.md", "---\ntitle: {{ title }}\n---\n");
  post_.tags = {"a"};
  EXPECT_NE(create(), "");
  EXPECT_NE(diags_.find("archetypes/default.md: warning: has no {{ tags }}, so --tags"),
            std::string::npos)
      << diags_;
  EXPECT_NE(diags_.find("has no {{ draft }}"), std::string::npos) << diags_;
}

TEST_F(NewPostTest, RefusesToOverwrite) {
  EXPECT_NE(create(), "");
  EXPECT_EQ(create(), "");
  EXPECT_NE(diags_.find("content/posts/2023/hello-world.md: error: already exists; refusing to "
                        "overwrite it"),
            std::string::npos)
      << diags_;
}

TEST_F(NewPostTest, RejectsASectionOrSlugThatIsNotOneSegment) {
  post_.section = "../out";
  EXPECT_EQ(create(), "");
  EXPECT_NE(diags_.find("the section '../out' must be one path segment"), std::string::npos);
  post_.section = "posts";
  post_.slug = "a/b";
  EXPECT_EQ(create(), "");
  EXPECT_NE(diags_.find("the slug 'a/b' must be one path segment"), std::string::npos);
}

}  // namespace
}  // namespace byline
