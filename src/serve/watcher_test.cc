// The watcher on a real folder: what is a change, what is not, and folders
// made, moved and deleted while it watches.
#include "serve/watcher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

namespace byline {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

TEST(ScratchNames, EditorsFilesAreNotChanges) {
  for (const char* name : {".post.md.swp", "post.md~", "#post.md#", ".#post.md", "4913",
                           "post.md.tmp", "Thumbs.db", ".DS_Store"})
    EXPECT_TRUE(is_scratch_name(name)) << name;
  for (const char* name : {"post.md", "index.html", "style.css", "4914", "a#b.md"})
    EXPECT_FALSE(is_scratch_name(name)) << name;
}

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = fs::temp_directory_path() /
            ("byline-watch-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(site_);
    fs::create_directories(site_ / "content" / "posts");
    write("byline.toml", "title = \"x\"\n");
    std::string error;
    ASSERT_TRUE(watcher_.start(site_, {"content", "templates"}, {"byline.toml"}, &error)) << error;
  }
  void TearDown() override { fs::remove_all(site_); }

  void write(const std::string& rel, std::string_view text) {
    fs::create_directories((site_ / rel).parent_path());
    std::ofstream(site_ / rel) << text;
  }
  // The next change; none within 5 s fails the test instead of hanging it.
  std::vector<std::string> next() {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    std::thread timer([&] {
      std::unique_lock lock(mu);
      if (!done_cv.wait_for(lock, std::chrono::seconds(5), [&] { return done; }))
        (void)::write(fds[1], "x", 1);
    });
    std::vector<std::string> changed;
    EXPECT_TRUE(watcher_.wait(fds[0], &changed, milliseconds(30), milliseconds(2000)))
        << "no change seen within 5 s";
    {
      std::lock_guard lock(mu);
      done = true;
    }
    done_cv.notify_one();
    timer.join();
    ::close(fds[0]);
    ::close(fds[1]);
    return changed;
  }
  // Nothing within `ms`: a stop descriptor that becomes readable then.
  bool quiet_for(int ms) {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    std::thread later([&] {
      std::this_thread::sleep_for(milliseconds(ms));
      (void)::write(fds[1], "x", 1);
    });
    std::vector<std::string> changed;
    bool stopped = !watcher_.wait(fds[0], &changed);
    later.join();
    ::close(fds[0]);
    ::close(fds[1]);
    return stopped && changed.empty();
  }

  fs::path site_;
  Watcher watcher_;
};

TEST_F(WatcherTest, SeesFilesWrittenAndIgnoresScratch) {
  write("content/posts/.a.md.swp", "swap");
  write("content/posts/a.md~", "backup");
  EXPECT_TRUE(quiet_for(150));
  write("content/posts/a.md", "one");
  EXPECT_EQ(next(), std::vector<std::string>{"content/posts/a.md"});
  write("byline.toml", "title = \"y\"\n");
  EXPECT_EQ(next(), std::vector<std::string>{"byline.toml"});
  // Not watched: the output and the state.
  write("public/index.html", "x");
  write(".byline/state", "x");
  EXPECT_TRUE(quiet_for(150));
}

TEST_F(WatcherTest, ABurstIsOneChange) {
  for (int i = 0; i < 20; ++i) write("content/posts/p" + std::to_string(i) + ".md", "x");
  std::vector<std::string> changed = next();
  EXPECT_EQ(changed.size(), 20u);
  EXPECT_TRUE(std::is_sorted(changed.begin(), changed.end()));
}

TEST_F(WatcherTest, FoldersMadeMovedAndDeletedWhileWatching) {
  // A folder made, then a file in it: watched from the moment it is made.
  fs::create_directories(site_ / "content" / "posts" / "2031");
  next();
  write("content/posts/2031/new.md", "x");
  std::vector<std::string> changed = next();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "content/posts/2031/new.md"), changed.end());
  // Moved: its files are named by the new path.
  fs::rename(site_ / "content" / "posts" / "2031", site_ / "content" / "posts" / "2032");
  next();
  write("content/posts/2032/new.md", "y");
  EXPECT_EQ(next(), std::vector<std::string>{"content/posts/2032/new.md"});
  // A root made after the start (templates/ did not exist).
  fs::create_directories(site_ / "templates" / "partials");
  next();
  write("templates/partials/footer.html", "x");
  changed = next();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "templates/partials/footer.html"),
            changed.end());
  fs::remove_all(site_ / "content" / "posts" / "2032");
  changed = next();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "content/posts/2032/new.md"), changed.end());
}

// More events than the kernel queues: the overflow reads as "*", and a
// folder made while events were being lost is watched all the same.
TEST_F(WatcherTest, AfterLostEventsFoldersMadeMeanwhileAreWatched) {
  long queued = 16384;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> queued;
  ASSERT_LT(queued, 4'000'000) << "the kernel's queue is too long to overflow in a test";
  write("content/posts/a.md", "a");
  write("content/posts/b.md", "b");
  next();
  // Two files by turns, so that the kernel cannot merge the events.
  const std::string a = (site_ / "content/posts/a.md").string();
  const std::string b = (site_ / "content/posts/b.md").string();
  for (long i = 0; i <= queued; ++i)
    ASSERT_EQ(::chmod((i % 2 ? a : b).c_str(), i % 4 < 2 ? 0644 : 0600), 0);
  fs::create_directories(site_ / "content" / "posts" / "2040" / "deep");
  std::vector<std::string> changed = next();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "*"), changed.end());
  write("content/posts/2040/deep/new.md", "x");
  changed = next();
  EXPECT_NE(std::find(changed.begin(), changed.end(), "content/posts/2040/deep/new.md"),
            changed.end());
}

}  // namespace
}  // namespace byline
