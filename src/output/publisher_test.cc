#include "output/publisher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
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

void write_file(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

ino_t inode(const fs::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
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
  // Every Publisher has joined its sweep by the time it is destroyed, so
  // nothing deletes in here any more.
  void TearDown() override { fs::remove_all(root_); }

  // The names in root_ other than the destination, sorted.
  std::vector<std::string> beside() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_)) {
      if (e.path() != dest_) names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
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
  EXPECT_FALSE(present(dest_ / "index.html"));
  EXPECT_TRUE(present(dest_ / "old" / "stale.html"));
  ASSERT_TRUE(pub.commit(sink));
  EXPECT_EQ(read(dest_ / "index.html"), "<p>home</p>");
  EXPECT_EQ(read(dest_ / "2019/08/post/index.html"), "post");
  EXPECT_FALSE(present(dest_ / "old"));
  EXPECT_EQ(read(dest_ / ".git" / "HEAD"), "ref");  // a deploy checkout survives
  EXPECT_EQ(pub.files_written(), 2u);
  EXPECT_FALSE(sink.has_errors());
  // The previous output, retired beside, is deleted in the background.
  pub.wait_for_sweep();
  EXPECT_EQ(beside(), std::vector<std::string>{});
  EXPECT_EQ(read(dest_ / ".git" / "HEAD"), "ref");
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
  EXPECT_EQ(std::distance(fs::directory_iterator(dest_), fs::directory_iterator()), 1);
  // The staging folder is retired, and gone at the latest after a run that
  // waits for its sweep.
  for (const std::string& name : beside()) EXPECT_TRUE(name.starts_with(".public.byline-old-"));
  {
    Publisher pub;
    ASSERT_TRUE(pub.open(dest_, sink));
    pub.discard();
    pub.wait_for_sweep();
  }
  EXPECT_EQ(beside(), std::vector<std::string>{});
  EXPECT_EQ(read(dest_ / "index.html"), "previous");
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
  EXPECT_FALSE(present(root_ / "x"));
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
  EXPECT_EQ(sink.format_all(),
            "content/about.md:2:1: error: cannot write 'about': Is a directory\n");
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

// A killed run leaves retired trees and its staging folder beside DEST; the
// next run recognises them by name and deletes them, and nothing else: not
// names that only look alike, and not what a symbolic link in them points
// to.
TEST_F(PublisherTest, SweepsWhatAKilledRunLeft) {
  write_file(dest_ / "index.html", "previous");
  write_file(root_ / ".public.byline-old-77-0/2019/08/post/index.html", "retired");
  write_file(root_ / ".public.byline-old-77-1", "a retired file");
  write_file(root_ / ".public.byline-staging/half/written.html", "abandoned");
  write_file(root_ / "outside/keep.txt", "the user's");
  fs::create_directory_symlink(root_ / "outside", root_ / ".public.byline-old-77-0/link");
  write_file(root_ / ".public.byline-oldish/x", "not ours");
  write_file(root_ / ".other.byline-old-1/x", "another destination's");
  write_file(root_ / "public.byline-old-1/x", "not hidden: not ours");

  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write("index.html", "new", sink));
  ASSERT_TRUE(pub.commit(sink)) << sink.format_all();
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / "index.html"), "new");
  EXPECT_FALSE(present(dest_ / "half"));
  EXPECT_EQ(beside(), (std::vector<std::string>{".other.byline-old-1", ".public.byline-oldish",
                                                "outside", "public.byline-old-1"}));
  EXPECT_EQ(read(root_ / "outside/keep.txt"), "the user's");
}

// Hidden entries are carried by hard links made before the swap: the new
// output holds the same files, and the old tree can be deleted (or a run
// killed at any point) without losing them. A hidden folder the run wrote
// into is merged: the run's files win, the user's others stay.
TEST_F(PublisherTest, CarriesHiddenEntriesAsLinks) {
  write_file(dest_ / ".git/HEAD", "ref");
  write_file(dest_ / ".git/objects/ab/cdef", "object");
  fs::create_symlink("objects/ab/cdef", dest_ / ".git/latest");
  write_file(dest_ / ".well-known/old.txt", "old");
  write_file(dest_ / ".well-known/both.txt", "the user's");
  write_file(dest_ / "visible/page.html", "stale");
  fs::permissions(dest_ / ".git/objects", fs::perms(0750));
  fs::permissions(dest_, fs::perms(0750));
  ino_t head = inode(dest_ / ".git/HEAD");

  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write(".well-known/new.txt", "new", sink));
  ASSERT_TRUE(pub.write(".well-known/both.txt", "the run's", sink));
  // Before the swap the staging folder already holds the link.
  ASSERT_TRUE(pub.commit(sink)) << sink.format_all();
  EXPECT_EQ(inode(dest_ / ".git/HEAD"), head);
  EXPECT_EQ(read(dest_ / ".git/objects/ab/cdef"), "object");
  EXPECT_EQ(fs::read_symlink(dest_ / ".git/latest"), "objects/ab/cdef");
  EXPECT_EQ(fs::status(dest_ / ".git/objects").permissions(), fs::perms(0750));
  EXPECT_EQ(fs::status(dest_).permissions(), fs::perms(0750));
  EXPECT_EQ(read(dest_ / ".well-known/old.txt"), "old");
  EXPECT_EQ(read(dest_ / ".well-known/new.txt"), "new");
  EXPECT_EQ(read(dest_ / ".well-known/both.txt"), "the run's");
  EXPECT_FALSE(present(dest_ / "visible"));
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / ".git/HEAD"), "ref");
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

// The swap fails after the hidden entries were carried into the staging
// folder: since they were linked, not moved, the previous output still has
// them when the staging folder is given up.
TEST_F(PublisherTest, AFailedSwapLosesNothing) {
  write_file(dest_ / ".git/HEAD", "ref");
  write_file(dest_ / "index.html", "previous");
  PublishOptions options;
  options.exchange = false;
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink, options));
  ASSERT_TRUE(pub.write("index.html", "new", sink));
  // Something in the fallback's parking place makes its first rename fail.
  write_file(root_ / ".public.byline-previous/x", "in the way");
  EXPECT_FALSE(pub.commit(sink));
  EXPECT_EQ(sink.format_all(), dest_.string() +
                                   ": error: cannot move the previous output aside: Directory "
                                   "not empty\n");
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / "index.html"), "previous");
  EXPECT_EQ(read(dest_ / ".git/HEAD"), "ref");
}

// Killed between the exchange and the retiring rename: DEST is the new
// output (with its links to the kept files) and the staging path holds the
// old one. The next run retires it like any abandoned staging folder, and
// the kept files survive, being in DEST too.
TEST_F(PublisherTest, RecoversFromAKillAfterTheExchange) {
  write_file(root_ / ".public.byline-staging/.git/HEAD", "ref");
  write_file(root_ / ".public.byline-staging/index.html", "old");
  fs::create_directories(dest_ / ".git");
  fs::create_hard_link(root_ / ".public.byline-staging/.git/HEAD", dest_ / ".git/HEAD");
  write_file(dest_ / "index.html", "new");

  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  ASSERT_TRUE(pub.write("index.html", "newer", sink));
  ASSERT_TRUE(pub.commit(sink)) << sink.format_all();
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / "index.html"), "newer");
  EXPECT_EQ(read(dest_ / ".git/HEAD"), "ref");
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

// Without RENAME_EXCHANGE the swap is two renames. Killed between them,
// there is no DEST and the old output is parked: the next run puts it back
// first, so a run that then fails leaves the old output, hidden entries
// and all, where it was.
TEST_F(PublisherTest, RecoversFromAKillBetweenTheFallbackRenames) {
  write_file(root_ / ".public.byline-previous/index.html", "old");
  write_file(root_ / ".public.byline-previous/.git/HEAD", "ref");
  write_file(root_ / ".public.byline-staging/index.html", "unpublished");

  DiagnosticSink sink;
  {
    Publisher pub;
    ASSERT_TRUE(pub.open(dest_, sink));
    EXPECT_EQ(read(dest_ / "index.html"), "old");
    pub.discard();
    pub.wait_for_sweep();
  }
  EXPECT_EQ(read(dest_ / "index.html"), "old");
  EXPECT_EQ(read(dest_ / ".git/HEAD"), "ref");
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

// Killed after both renames: DEST is new, the parked old output is retired.
TEST_F(PublisherTest, RecoversFromAKillAfterTheFallbackRenames) {
  write_file(root_ / ".public.byline-previous/index.html", "old");
  write_file(dest_ / "index.html", "new");
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  EXPECT_EQ(read(dest_ / "index.html"), "new");
  pub.discard();
  pub.wait_for_sweep();
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

// The two-rename swap on its own does what the exchange does.
TEST_F(PublisherTest, FallbackSwapKeepsWhatTheExchangeKeeps) {
  write_file(dest_ / ".git/HEAD", "ref");
  write_file(dest_ / "stale.html", "stale");
  PublishOptions options;
  options.exchange = false;
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink, options));
  ASSERT_TRUE(pub.write("index.html", "new", sink));
  ASSERT_TRUE(pub.commit(sink)) << sink.format_all();
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / "index.html"), "new");
  EXPECT_EQ(read(dest_ / ".git/HEAD"), "ref");
  EXPECT_FALSE(present(dest_ / "stale.html"));
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

// A build leaves at most one old copy of the site behind: its destructor
// lets the sweep finish every older retired tree before it stops it.
TEST_F(PublisherTest, LeavesAtMostOneRetiredTree) {
  for (int t = 0; t < 3; ++t) {
    for (int i = 0; i < 20; ++i) {
      write_file(
          root_ / (".public.byline-old-9-" + std::to_string(t)) / std::to_string(i) / "index.html",
          "old");
    }
  }
  write_file(dest_ / "index.html", "previous");
  DiagnosticSink sink;
  {
    Publisher pub;
    ASSERT_TRUE(pub.open(dest_, sink));
    ASSERT_TRUE(pub.write("index.html", "new", sink));
    ASSERT_TRUE(pub.commit(sink));
  }
  std::vector<std::string> left = beside();
  EXPECT_LE(left.size(), 1u);
  for (const std::string& name : left) {
    EXPECT_TRUE(name.starts_with(".public.byline-old-")) << name;
    EXPECT_FALSE(name.starts_with(".public.byline-old-9-")) << name;
  }
}

// The importer's options: a byline site or an empty folder is accepted,
// and the new output keeps every file of the old one it did not write,
// merged folder by folder.
TEST_F(PublisherTest, KeepsEverythingForAnImport) {
  write_file(dest_ / "byline.toml", "title = 'old'");
  write_file(dest_ / "content/posts/a.md", "old a");
  write_file(dest_ / "content/posts/b.md", "mine");
  write_file(dest_ / "content/notes.md", "notes");
  write_file(dest_ / "static/uploads/x.png", "png");
  PublishOptions options;
  options.accept = PublishOptions::Accept::kSite;
  options.keep = PublishOptions::Keep::kEverything;
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink, options)) << sink.format_all();
  ASSERT_TRUE(pub.write("content/posts/a.md", "new a", sink));
  ASSERT_TRUE(pub.write("content/posts/c.md", "new c", sink));
  ASSERT_TRUE(pub.commit(sink)) << sink.format_all();
  pub.wait_for_sweep();
  EXPECT_EQ(read(dest_ / "byline.toml"), "title = 'old'");
  EXPECT_EQ(read(dest_ / "content/posts/a.md"), "new a");
  EXPECT_EQ(read(dest_ / "content/posts/b.md"), "mine");
  EXPECT_EQ(read(dest_ / "content/posts/c.md"), "new c");
  EXPECT_EQ(read(dest_ / "content/notes.md"), "notes");
  EXPECT_EQ(read(dest_ / "static/uploads/x.png"), "png");
  EXPECT_EQ(beside(), std::vector<std::string>{});
}

TEST_F(PublisherTest, ASiteDestinationMustBeEmptyOrASite) {
  PublishOptions options;
  options.accept = PublishOptions::Accept::kSite;
  fs::create_directories(dest_);
  {
    DiagnosticSink sink;
    Publisher pub;
    EXPECT_TRUE(pub.open(dest_, sink, options));  // empty
  }
  write_file(dest_ / "x.txt", "x");
  {
    DiagnosticSink sink;
    Publisher pub;
    EXPECT_FALSE(pub.open(dest_, sink, options));
    EXPECT_EQ(sink.format_all(), dest_.string() +
                                     ": error: refusing to import into a folder that is neither "
                                     "empty nor a byline site (it has no byline.toml)\n");
  }
  write_file(root_ / "file", "f");
  {
    DiagnosticSink sink;
    Publisher pub;
    EXPECT_FALSE(pub.open(root_ / "file", sink, options));
    EXPECT_EQ(sink.format_all(),
              (root_ / "file").string() + ": error: output path exists and is not a folder\n");
  }
  EXPECT_EQ(read(dest_ / "x.txt"), "x");
}

TEST_F(PublisherTest, AFailedCopyLeavesNothing) {
  DiagnosticSink sink;
  Publisher pub;
  ASSERT_TRUE(pub.open(dest_, sink));
  EXPECT_FALSE(pub.copy("uploads/x.png", root_ / "missing.png", sink));
  EXPECT_TRUE(sink.has_errors());
  ASSERT_TRUE(pub.commit(sink));
  EXPECT_FALSE(present(dest_ / "uploads/x.png"));
}

TEST_F(PublisherTest, InPlaceCommitMovesWhatWasWrittenAndDeletesWhatWasRemoved) {
  write_file(dest_ / "a" / "index.html", "old a");
  write_file(dest_ / "gone" / "b.html", "old b");
  write_file(dest_ / "c" / "d" / "e.html", "untouched");
  // A reader that has the old file open keeps reading the old bytes.
  std::ifstream open_old(dest_ / "a" / "index.html");
  ino_t old_inode = inode(dest_ / "a" / "index.html");
  {
    DiagnosticSink sink;
    Publisher p;
    PublishOptions o;
    o.in_place = true;
    ASSERT_TRUE(p.open(dest_, sink, o));
    ASSERT_TRUE(p.write("a/index.html", "new a", sink));
    ASSERT_TRUE(p.write("new/x/y.html", "new y", sink));
    // Staged flat: no folder is made for them.
    size_t staged_folders = 0;
    for (const auto& e : fs::recursive_directory_iterator(p.staging_dir()))
      staged_folders += e.is_directory();
    EXPECT_EQ(staged_folders, 0u);
    // commit() is for a run opened to swap the whole output.
    EXPECT_FALSE(p.commit(sink));
    ASSERT_TRUE(p.commit_in_place({"a/index.html", "new/x/y.html"}, {"gone/b.html"}, sink))
        << sink.format_all();
  }
  EXPECT_EQ(read(dest_ / "a" / "index.html"), "new a");
  EXPECT_NE(inode(dest_ / "a" / "index.html"), old_inode);
  EXPECT_EQ(read(dest_ / "new" / "x" / "y.html"), "new y");
  EXPECT_FALSE(present(dest_ / "gone" / "b.html"));
  EXPECT_FALSE(present(dest_ / "gone"));  // the folder it left empty
  EXPECT_EQ(read(dest_ / "c" / "d" / "e.html"), "untouched");
  std::string old_bytes((std::istreambuf_iterator<char>(open_old)), {});
  EXPECT_EQ(old_bytes, "old a");
  // The staging folder, with the replaced files, is retired: at most one
  // retired tree is left for the next run's sweep.
  std::vector<std::string> left = beside();
  ASSERT_LE(left.size(), 1u);
  if (!left.empty()) {
    EXPECT_TRUE(left[0].starts_with(".public.byline-old-replaced-")) << left[0];
  }
}

TEST_F(PublisherTest, InPlaceRunRefusesTwoOutputsForOneFile) {
  fs::create_directories(dest_);
  DiagnosticSink sink;
  Publisher p;
  PublishOptions o;
  o.in_place = true;
  ASSERT_TRUE(p.open(dest_, sink, o));
  ASSERT_TRUE(p.write("a/index.html", "one", sink));
  EXPECT_FALSE(p.write("a//./index.html", "two", sink));
  EXPECT_NE(sink.format_all().find("two outputs write the same file 'a/index.html'"),
            std::string::npos)
      << sink.format_all();
}

}  // namespace
}  // namespace byline
