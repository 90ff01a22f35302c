#include "output/publisher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace byline {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("byline-publisher-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    dest_ = root_ / "public";
  }
  void TearDown() override {
    // The publisher deletes old output in a background process; retry
    // until it is done with the folder.
    std::error_code ec;
    for (int i = 0; i < 100 && fs::exists(root_); ++i) fs::remove_all(root_, ec);
  }
  fs::path root_, dest_;
};

TEST(NormalizeOutputPath, AcceptsAndCleans) {
  std::string out, err;
  ASSERT_TRUE(normalize_output_path("a//b/./c/index.html", &out, &err));
  EXPECT_EQ(out, "a/b/c/index.html");
}

TEST(NormalizeOutputPath, RefusesEscapes) {
  std::string out, err;
  EXPECT_FALSE(normalize_output_path("../../x/index.html", &out, &err));
  EXPECT_EQ(err, "output path '../../x/index.html' would leave the output folder");
  EXPECT_FALSE(normalize_output_path("a/../../x", &out, &err));
  EXPECT_FALSE(normalize_output_path("/etc/passwd", &out, &err));
  EXPECT_EQ(err, "output path '/etc/passwd' is absolute");
  EXPECT_FALSE(normalize_output_path("./", &out, &err));
  EXPECT_FALSE(normalize_output_path("a\\..\\b", &out, &err));
}

TEST_F(PublisherTest, StagesThenSwapsInWhole) {
  fs::create_directories(dest_ / "old");
  std::ofstream(dest_ / "old" / "stale.html") << "stale";
  fs::create_directories(dest_ / ".git");
  std::ofstream(dest_ / ".git" / "HEAD") << "ref";

  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write("index.html", "<p>home</p>", sink));
  ASSERT_TRUE(pub.write("2019/08/post/index.html", "post", sink));
  // Nothing visible before commit.
  EXPECT_FALSE(fs::exists(dest_ / "index.html"));
  EXPECT_TRUE(fs::exists(dest_ / "old" / "stale.html"));
  ASSERT_TRUE(pub.commit(sink));
  EXPECT_EQ(read(dest_ / "index.html"), "<p>home</p>");
  EXPECT_EQ(read(dest_ / "2019/08/post/index.html"), "post");
  EXPECT_FALSE(fs::exists(dest_ / "old"));
  EXPECT_EQ(read(dest_ / ".git" / "HEAD"), "ref");  // a deploy checkout survives
  EXPECT_EQ(pub.files_written(), 2u);
  EXPECT_FALSE(sink.has_errors());
  // The previous output, moved aside, is deleted in the background.
  auto leftovers = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(root_))
      n += e.path().filename().string().starts_with(".public.byline-old-");
    return n;
  };
  for (int i = 0; i < 500 && leftovers() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(leftovers(), 0);
}

TEST_F(PublisherTest, DiscardLeavesPreviousOutput) {
  fs::create_directories(dest_);
  std::ofstream(dest_ / "index.html") << "previous";
  DiagnosticSink sink;
  {
    Publisher pub;
    ASSERT_TRUE(pub.open(dest_, sink));
    ASSERT_TRUE(pub.write("index.html", "new", sink));
  }  // destroyed without commit
  EXPECT_EQ(read(dest_ / "index.html"), "previous");
  EXPECT_EQ(std::distance(fs::directory_iterator(root_), fs::directory_iterator()), 1);
}

TEST_F(PublisherTest, RefusesEscapingAndDuplicatePaths) {
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  SourceLocation origin{"content/posts/x.md", 3, 7};
  EXPECT_FALSE(pub.write("../../x/index.html", "evil", sink, origin));
  EXPECT_TRUE(pub.write("a/index.html", "1", sink));
  EXPECT_FALSE(pub.write("a//index.html", "2", sink));
  EXPECT_EQ(sink.format_all(),
            "error: two outputs write the same file 'a/index.html'\n"
            "content/posts/x.md:3:7: error: output path '../../x/index.html' would leave the "
            "output folder\n");
  EXPECT_FALSE(fs::exists(root_ / "x"));
}

// Folders are made on demand, deepest first, whatever order outputs come in
// and however many threads write at once.
TEST_F(PublisherTest, MakesFoldersInAnyOrderFromManyThreads) {
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  // Deep before shallow, a file beside a folder's index, siblings.
  ASSERT_TRUE(pub.write("tag/x/page/2/index.html", "p2", sink));
  ASSERT_TRUE(pub.write("tag/x/index.html", "x", sink));
  ASSERT_TRUE(pub.write("tag/x/rss.xml", "feed", sink));
  ASSERT_TRUE(pub.write("tag/index.html", "tags", sink));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&pub, &sink, t] {
      for (int i = 0; i < 50; ++i) {
        std::string month = std::to_string(1 + i % 12);
        pub.write("2019/" + month + "/post-" + std::to_string(t) + "-" + std::to_string(i) +
                      "/index.html",
                  "post", sink);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(sink.format_all(), "");
  ASSERT_TRUE(pub.commit(sink));
  EXPECT_EQ(read(dest_ / "tag/x/page/2/index.html"), "p2");
  EXPECT_EQ(read(dest_ / "tag/x/rss.xml"), "feed");
  EXPECT_EQ(read(dest_ / "tag/index.html"), "tags");
  EXPECT_EQ(read(dest_ / "2019/12/post-3-47/index.html"), "post");
  EXPECT_EQ(pub.files_written(), 204u);
}

// A file where a folder has to go is reported against the output's source.
TEST_F(PublisherTest, ReportsAFileInTheWayOfAFolder) {
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write("about", "a file", sink));
  SourceLocation origin{"content/about/team.md", 1, 1};
  EXPECT_FALSE(pub.write("about/team/index.html", "team", sink, origin));
  EXPECT_EQ(sink.format_all(),
            "content/about/team.md:1:1: error: cannot create output folder 'about/team': Not a "
            "directory\n");
}

// And a folder where a file has to go.
TEST_F(PublisherTest, ReportsAFolderInTheWayOfAFile) {
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write("about/index.html", "about", sink));
  SourceLocation origin{"content/about.md", 2, 1};
  EXPECT_FALSE(pub.write("about", "a file", sink, origin));
  EXPECT_EQ(sink.format_all(), "content/about.md:2:1: error: cannot write 'about': Is a directory\n");
  DiagnosticSink copy_sink;
  EXPECT_FALSE(pub.copy("about", root_ / "none", copy_sink, origin));
  EXPECT_EQ(copy_sink.format_all(),
            "content/about.md:2:1: error: cannot write 'about': Is a directory\n");
}

// Two outputs for one file, written and copied from many threads at once:
// exactly one of them is written, and the others are reported (the seven
// failed claims of one file read alike, and the sink shows them once).
TEST_F(PublisherTest, OneFileClaimedOnceAcrossThreads) {
  fs::path source = root_ / "source.txt";
  std::ofstream(source) << "copied";
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  std::atomic<int> written{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string path = "f" + std::to_string(i) + "/index.html";
        bool ok = t % 2 ? pub.copy(path, source, sink) : pub.write(path, "written", sink);
        if (ok) ++written;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(written.load(), 50);
  EXPECT_EQ(sink.error_count(), 50u);
  ASSERT_TRUE(pub.commit(sink));
  for (int i = 0; i < 50; ++i) {
    std::string got = read(dest_ / ("f" + std::to_string(i)) / "index.html");
    EXPECT_TRUE(got == "copied" || got == "written") << got;
  }
  EXPECT_NE(sink.format_all().find("error: two outputs write the same file 'f0/index.html'"),
            std::string::npos);
}

TEST_F(PublisherTest, RefusesASourceFolder) {
  fs::create_directories(root_ / "site");
  std::ofstream(root_ / "site" / "byline.toml") << "title = 'x'";
  DiagnosticSink sink;
  Publisher pub;
  EXPECT_FALSE(pub.open(root_ / "site", sink));
  EXPECT_NE(sink.format_all().find("holds a site's sources"), std::string::npos);
}

}  // namespace
}  // namespace byline
