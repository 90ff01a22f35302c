// A process that builds one site again and again (`byline serve`): the
// scan of the inputs brought up to date from the changed paths
// (update_scan()) must be the scan a walk would make, and a session's
// builds after a sequence of edits must equal full builds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "build/build.h"
#include "build/incremental.h"
#include "build/test_sites.h"
#include "config/config.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written as a new file renamed over the old, as editors save: a new inode,
// so the stamp differs even within one tick of the clock.
void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  fs::path tmp = p;
  tmp += ".tmp~";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
  fs::rename(tmp, p);
}

std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).generic_string()] = read(e.path());
  return files;
}

// A scan as (path, size, mtime, inode), to compare two.
std::vector<std::tuple<std::string, uint64_t, int64_t, uint64_t>> listing(const InputScan& s) {
  std::vector<std::tuple<std::string, uint64_t, int64_t, uint64_t>> out;
  for (const InputEntry& e : s.files)
    out.emplace_back(e.path, e.stamp.size, e.stamp.mtime_ns, e.stamp.inode);
  return out;
}

class BuildSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("byline-session-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    site_ = tmp_ / "site";
    copy_fixture_site(fs::path(BYLINE_SOURCE_DIR) / "tests" / "sites" / "basic", site_);
    DiagnosticSink sink;
    ASSERT_TRUE(load_config(site_, &config_, sink)) << sink.format_all();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  BuildResult build(const fs::path& dest, BuildSession* session, bool full = false) {
    BuildOptions o;
    o.source = site_;
    o.dest = dest;
    o.now = *parse_datetime("2025-01-01T00:00:00Z");
    o.full = full;
    o.session = session;
    DiagnosticSink sink;
    BuildResult r;
    EXPECT_TRUE(build_site(o, &r, sink)) << sink.format_all();
    return r;
  }

  fs::path tmp_, site_;
  SiteConfig config_;
};

TEST_F(BuildSessionTest, UpdatedScanEqualsAFreshScan) {
  InputScan scan = scan_inputs(site_, config_);
  ASSERT_NE(scan.find("content/posts/2019/second.md"), nullptr);
  write(site_ / "content/posts/2019/second.md", "---\ntitle: Edited\n---\n\nNew text.\n");
  write(site_ / "content/posts/2021/new.md", "---\ntitle: New\n---\n\nBody.\n");
  fs::remove(site_ / "content/about.md");
  fs::remove_all(site_ / "content/posts/2020/bundle-post");  // a folder gone, with its files
  write(site_ / "static/css/.hidden.css", "x");              // passed over by every scan
  write(site_ / "data/people.yaml", "a: 1\n");               // data/ made since, with a file
  write(site_ / "themes/other/templates/x.html", "x");       // not the site's theme: not read
  std::vector<std::string> changed = {
      "content/posts/2019/second.md",   "content/posts/2021/new.md", "content/about.md",
      "content/posts/2020/bundle-post", "static/css/.hidden.css",    "data/people.yaml",
      "themes/other/templates/x.html"};
  ASSERT_TRUE(update_scan(&scan, changed, site_, config_));
  EXPECT_EQ(listing(scan), listing(scan_inputs(site_, config_)));
  EXPECT_EQ(scan.find("content/posts/2020/bundle-post/index.md"), nullptr);
  EXPECT_NE(scan.find("content/posts/2021/new.md"), nullptr);
}

TEST_F(BuildSessionTest, UpdateRefusesWhatThePathsCannotSay) {
  InputScan scan = scan_inputs(site_, config_);
  EXPECT_FALSE(update_scan(&scan, {"*"}, site_, config_));  // events lost
  scan = scan_inputs(site_, config_);
  EXPECT_FALSE(update_scan(&scan, {"byline.toml"}, site_, config_));
  scan = scan_inputs(site_, config_);
  write(site_ / "content/moved-in/a.md", "---\ntitle: A\n---\n");
  EXPECT_FALSE(
      update_scan(&scan, {"content/moved-in"}, site_, config_));  // a folder: what is in it?
  scan = scan_inputs(site_, config_);
  EXPECT_FALSE(update_scan(&scan, {"content"}, site_, config_));  // a root
  scan = scan_inputs(site_, config_);
  EXPECT_TRUE(update_scan(&scan, {}, site_, config_));
  EXPECT_EQ(listing(scan), listing(scan_inputs(site_, config_)));
}

// The builds of a session, told what changed, equal full builds after each
// edit, and after the first they do not scan the inputs.
TEST_F(BuildSessionTest, SessionBuildsEqualFullBuilds) {
  BuildSession session;
  const fs::path out = tmp_ / "preview", full = tmp_ / "full";
  BuildResult first = build(out, &session);
  EXPECT_FALSE(first.scan_reused);
  ASSERT_NE(session.scan, nullptr);
  EXPECT_EQ(session.page_inputs.count("content/posts/2020/bundle-post/chart.svg"), 1u);

  struct Edit {
    std::vector<std::string> changed;
    std::function<void()> apply;
  };
  const std::string second = read(site_ / "content/posts/2019/second.md");
  std::vector<Edit> edits = {
      {{"content/posts/2019/second.md"},
       [&] { write(site_ / "content/posts/2019/second.md", second + "\nAn added paragraph.\n"); }},
      {{"content/posts/2021/new.md"},
       [&] {
         write(site_ / "content/posts/2021/new.md",
               "---\ntitle: A new post\ndate: 2021-03-04T10:00:00Z\ntags: [fresh]\n---\n\nNew.\n");
       }},
      {{"static/css/site.css"}, [&] { write(site_ / "static/css/site.css", "body{color:red}\n"); }},
      {{"content/posts/2021/new.md"}, [&] { fs::remove(site_ / "content/posts/2021/new.md"); }},
      {{"content/posts/2019/second.md"},
       [&] { write(site_ / "content/posts/2019/second.md", second); }},
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    SCOPED_TRACE("edit " + std::to_string(i));
    edits[i].apply();
    session.changed = edits[i].changed;
    BuildResult r = build(out, &session);
    EXPECT_TRUE(r.scan_reused);
    EXPECT_TRUE(r.incremental) << r.full_reason;
    EXPECT_TRUE(session.changed.empty());
    fs::remove_all(full);
    build(full, nullptr, true);
    EXPECT_EQ(tree(out), tree(full));
  }
}

// serve's two steps per change: a quick build with the last analysis's
// search index and related posts, then one that analyses the site again
// though no file changed; after it, the output is a full build's.
TEST_F(BuildSessionTest, QuickBuildThenTheSearchEqualsAFullBuild) {
  BuildSession session;
  const fs::path out = tmp_ / "preview", full = tmp_ / "full";
  build(out, &session);
  ASSERT_NE(session.search, nullptr);
  const std::string second = read(site_ / "content/posts/2019/second.md");
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"content/posts/2019/second.md", second + "\nZebra quagga okapi, the words of the edit.\n"},
      {"content/posts/2021/new.md",
       "---\ntitle: Okapi and zebra\ndate: 2021-03-04T10:00:00Z\n---\n\nZebra quagga okapi.\n"},
      {"content/posts/2019/second.md", second},
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    SCOPED_TRACE("edit " + std::to_string(i));
    write(site_ / edits[i].first, edits[i].second);
    session.changed = {edits[i].first};
    session.quick = true;
    BuildResult quick = build(out, &session);
    session.quick = false;
    EXPECT_TRUE(quick.search_deferred);
    EXPECT_TRUE(session.search_stale);
    BuildResult rest = build(out, &session);
    EXPECT_FALSE(rest.nothing_to_do);
    EXPECT_FALSE(rest.search_deferred);
    EXPECT_FALSE(session.search_stale);
    fs::remove_all(full);
    build(full, nullptr, true);
    EXPECT_EQ(tree(out), tree(full));
  }
  // With the search up to date and nothing changed, there is nothing to do.
  session.changed.clear();
  EXPECT_TRUE(build(out, &session).nothing_to_do);
}

}  // namespace
}  // namespace byline
