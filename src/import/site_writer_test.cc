#include "import/site_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace byline {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

class SiteWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("byline-site-writer-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  bool import(const std::map<std::string, std::string>& files, bool force = false) {
    SiteWriter w;
    DiagnosticSink sink;
    if (!w.begin(root_ / "site", force, sink)) {
      last_error_ = sink.format_all();
      return false;
    }
    for (const auto& [k, v] : files) w.write(k, v);
    kept_ = w.kept();
    return w.commit(sink);
  }

  fs::path root_;
  std::vector<std::string> kept_;
  std::string last_error_;
};

TEST_F(SiteWriterTest, NewSiteAppearsWholeWithManifest) {
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"content/a.md", "A"}}));
  EXPECT_EQ(slurp(root_ / "site/content/a.md"), "A");
  EXPECT_NE(slurp(root_ / "site/.byline-import.json").find(content_hash("A")), std::string::npos);
  for (const auto& e : fs::directory_iterator(root_)) EXPECT_EQ(e.path().filename(), "site");
}

TEST_F(SiteWriterTest, UnfinishedImportLeavesNothing) {
  {
    SiteWriter w;
    DiagnosticSink sink;
    ASSERT_TRUE(w.begin(root_ / "site", false, sink));
    w.write("byline.toml", "t");
  }  // no commit
  EXPECT_TRUE(fs::is_empty(root_));
}

TEST_F(SiteWriterTest, UserEditsAndDeletionsSurviveUnlessForced) {
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"a.md", "A"}, {"b.md", "B"}, {"c.md", "C"}}));
  std::ofstream(root_ / "site/a.md") << "mine";
  fs::remove(root_ / "site/b.md");
  std::ofstream(root_ / "site/notes.md") << "notes";
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"a.md", "A2"}, {"b.md", "B2"}, {"c.md", "C2"}}));
  EXPECT_EQ(slurp(root_ / "site/a.md"), "mine");
  EXPECT_FALSE(present(root_ / "site/b.md"));
  EXPECT_EQ(slurp(root_ / "site/c.md"), "C2");
  EXPECT_EQ(slurp(root_ / "site/notes.md"), "notes");
  EXPECT_EQ(kept_, (std::vector<std::string>{"a.md", "b.md"}));
  // Still protected on the next import: the manifest keeps the old hashes.
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"a.md", "A3"}}));
  EXPECT_EQ(slurp(root_ / "site/a.md"), "mine");
  // c.md was not part of that import but is still known as imported.
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"c.md", "C3"}}));
  EXPECT_EQ(slurp(root_ / "site/c.md"), "C3");
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"a.md", "A4"}, {"b.md", "B4"}}, true));
  EXPECT_EQ(slurp(root_ / "site/a.md"), "A4");
  EXPECT_EQ(slurp(root_ / "site/b.md"), "B4");
}

TEST_F(SiteWriterTest, AFailedWriteFailsTheCommitAndLeavesNothing) {
  SiteWriter w;
  DiagnosticSink sink;
  ASSERT_TRUE(w.begin(root_ / "site", false, sink));
  w.write("content/a.md", "A");
  EXPECT_FALSE(w.write("content", "a folder is already there"));
  EXPECT_FALSE(w.commit(sink));
  EXPECT_EQ(sink.format_all(), (root_ / "site").string() +
                                   ": error: cannot write 1 file(s), the first being content "
                                   "(cannot write 'content': Is a directory)\n");
  EXPECT_FALSE(present(root_ / "site"));
}

TEST_F(SiteWriterTest, RefusesFoldersThatAreNotSites) {
  fs::create_directories(root_ / "site");
  std::ofstream(root_ / "site/x.txt") << "x";
  EXPECT_FALSE(import({{"byline.toml", "t"}}));
  EXPECT_EQ(last_error_, (root_ / "site").string() +
                             ": error: refusing to import into a folder that is neither empty "
                             "nor a byline site (it has no byline.toml)\n");
  EXPECT_EQ(slurp(root_ / "site/x.txt"), "x");
}

// Every write goes through the publisher, so a path that would leave the
// site is refused like a built page's, and the import fails whole.
TEST_F(SiteWriterTest, RefusesPathsOutsideTheSite) {
  SiteWriter w;
  DiagnosticSink sink;
  ASSERT_TRUE(w.begin(root_ / "site", false, sink));
  EXPECT_TRUE(w.write("byline.toml", "t"));
  EXPECT_FALSE(w.write("../escaped.md", "x"));
  EXPECT_FALSE(w.commit(sink));
  EXPECT_NE(sink.format_all().find("'../escaped.md' would leave the output folder"),
            std::string::npos)
      << sink.format_all();
  EXPECT_FALSE(present(root_ / "escaped.md"));
  EXPECT_FALSE(present(root_ / "site"));
}

// A re-import keeps what is not its own (a deploy checkout, the user's
// files) and, once it returns, leaves nothing beside the site: the old
// site it replaced is deleted by then.
TEST_F(SiteWriterTest, AReimportKeepsTheUsersFilesAndLeavesNothingBeside) {
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"content/a.md", "A"}}));
  fs::create_directories(root_ / "site/.git");
  std::ofstream(root_ / "site/.git/HEAD") << "ref";
  fs::create_directories(root_ / "site/static");
  std::ofstream(root_ / "site/static/logo.svg") << "svg";
  ASSERT_TRUE(import({{"byline.toml", "t"}, {"content/a.md", "A2"}}));
  EXPECT_EQ(slurp(root_ / "site/content/a.md"), "A2");
  EXPECT_EQ(slurp(root_ / "site/.git/HEAD"), "ref");
  EXPECT_EQ(slurp(root_ / "site/static/logo.svg"), "svg");
  for (const auto& e : fs::directory_iterator(root_)) EXPECT_EQ(e.path().filename(), "site");
}

// An upload that cannot be copied is listed to fetch by the importer; it
// must not also appear as an empty file.
TEST_F(SiteWriterTest, AFailedCopyLeavesNoEmptyFile) {
  SiteWriter w;
  DiagnosticSink sink;
  ASSERT_TRUE(w.begin(root_ / "site", false, sink));
  w.write("byline.toml", "t");
  EXPECT_FALSE(w.copy(root_ / "missing.jpg", "static/uploads/missing.jpg"));
  ASSERT_TRUE(w.commit(sink)) << sink.format_all();
  EXPECT_FALSE(present(root_ / "site/static/uploads/missing.jpg"));
}

}  // namespace
}  // namespace byline
