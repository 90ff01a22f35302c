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

// serve's catch-up gives way to an edit while the search analysis reads
// the pages, not only between stages: nothing is published, the search
// stays to be caught up, and the next build ends equal to a full build.
TEST_F(BuildSessionTest, TheSearchCatchUpGivesWayWhileItReadsThePages) {
  BuildSession session;
  const fs::path out = tmp_ / "preview", full = tmp_ / "full";
  build(out, &session);
  const std::string path = "content/posts/2019/second.md";
  write(site_ / path, read(site_ / path) + "\nZebra quagga okapi.\n");
  session.changed = {path};
  session.quick = true;
  build(out, &session);
  session.quick = false;
  ASSERT_TRUE(session.search_stale);
  // Without the model the quick build kept (a catch-up with one analyses
  // that first: LiveEditTest.ACatchUpGivenUpKeepsTheModel).
  session.drop_live();
  const std::map<std::string, std::string> before = tree(out);
  // The stages' own checks say go on; the search's first says stop.
  BuildOptions o;
  o.source = site_;
  o.dest = out;
  o.now = *parse_datetime("2025-01-01T00:00:00Z");
  o.session = &session;
  int asked = 0, asked_by_search = 0;
  o.cancelled = [&] {
    if (++asked <= 2) return false;
    ++asked_by_search;
    return true;
  };
  DiagnosticSink sink;
  BuildResult r;
  EXPECT_FALSE(build_site(o, &r, sink));
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(sink.has_errors()) << sink.format_all();
  EXPECT_GE(asked_by_search, 1);
  EXPECT_EQ(tree(out), before);
  EXPECT_TRUE(session.search_stale);
  BuildResult rest = build(out, &session);
  EXPECT_FALSE(rest.search_deferred);
  EXPECT_FALSE(session.search_stale);
  fs::remove_all(full);
  build(full, nullptr, true);
  EXPECT_EQ(tree(out), tree(full));
}

// edit_live(): a save that changes a page's body, or front matter that
// leaves the page where it was, is made in the kept model, and the preview
// is then a full build's but for the search and related posts, which the
// next build (serve's catch-up) brings up to date. Anything that moves a
// page, adds one or is not a page is left to a build.
class LiveEditTest : public BuildSessionTest {
 protected:
  BuildOptions options(const fs::path& dest, BuildSession* session) {
    BuildOptions o;
    o.source = site_;
    o.dest = dest;
    o.now = *parse_datetime("2025-01-01T00:00:00Z");
    o.session = session;
    return o;
  }
  LiveEdit edit(const fs::path& dest, BuildSession* session, const std::string& path,
                BuildResult* result = nullptr) {
    session->changed.push_back(path);
    DiagnosticSink sink;
    BuildResult r;
    LiveEdit done = edit_live(options(dest, session), {path}, &r, sink);
    EXPECT_FALSE(sink.has_errors()) << sink.format_all();
    if (result) *result = r;
    return done;
  }
  std::map<std::string, std::string> full_build() {
    const fs::path full = tmp_ / "full";
    fs::remove_all(full);
    build(full, nullptr, true);
    return tree(full);
  }
  // The site without the search and related posts, whose catch-up comes
  // with the next build: the preview after an edit is then a full build.
  void without_search() {
    std::string config = read(site_ / "byline.toml");
    write(site_ / "byline.toml", config + "\n[search]\nenabled = false\nrelated = 0\n");
  }
};

TEST_F(LiveEditTest, BodyEditsAreMadeInTheKeptModelAndEqualAFullBuild) {
  without_search();
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  ASSERT_NE(session.live, nullptr);
  const std::string second = read(site_ / "content/posts/2019/second.md");
  const std::string path = "content/posts/2019/second.md";
  // A paragraph added (the word count moves: lists showing it too), one
  // word changed in the summary, the page as it was.
  const std::vector<std::string> bodies = {
      second + "\nAn added paragraph with zebra words.\n",
      [&] {
        std::string s = second;
        s.replace(s.find("three"), 5, "THREE");
        return s;
      }(),
      second,
  };
  for (size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE("edit " + std::to_string(i));
    write(site_ / path, bodies[i]);
    BuildResult r;
    ASSERT_EQ(edit(out, &session, path, &r), LiveEdit::kDone);
    EXPECT_TRUE(r.incremental);
    EXPECT_GT(r.outputs_made, 0u);
    EXPECT_LT(r.outputs_made, tree(out).size() / 2);  // not the whole site
    ASSERT_EQ(r.pages_read.size(), 1u);
    EXPECT_EQ(r.pages_read[0], "2019/09/second-post/index.html");
    EXPECT_EQ(tree(out), full_build());
  }
  // The outputs an edit rewrote are the next build's to make and write
  // too: after the edits put the page back as it was, and a build from the
  // saved state (which never saw them), the preview is still a full build.
  EXPECT_TRUE(session.own_mark);
  EXPECT_FALSE(session.rewritten.empty());
  write(site_ / path, bodies[0]);
  ASSERT_EQ(edit(out, &session, path), LiveEdit::kDone);
  session.drop_live();  // as when serve's catch-up was given up
  write(site_ / path, second);
  session.changed.push_back(path);
  BuildResult r = build(out, &session);
  EXPECT_TRUE(r.incremental) << r.full_reason;  // the mark is the session's own
  EXPECT_EQ(tree(out), full_build());
  EXPECT_FALSE(session.own_mark);
  EXPECT_TRUE(session.rewritten.empty());
  EXPECT_FALSE(fs::exists(state_folder(site_, out) / "publishing"));
}

TEST_F(LiveEditTest, WhatMovesAPageOrIsNoPageIsLeftToABuild) {
  without_search();
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  const std::map<std::string, std::string> before = tree(out);
  const std::string path = "content/posts/2019/second.md";
  const std::string second = read(site_ / path);
  // Front matter that moves the page (its terms, its date, its URL), a
  // new page, a template.
  for (auto [from, to] : {std::pair<std::string, std::string>{"\"Hong Kong\"", "\"Taiwan\""},
                          {"2019-09-15T12:00:00Z", "2019-09-16T12:00:00Z"},
                          {"second-post", "second-moved"}}) {
    SCOPED_TRACE(to);
    std::string moved = second;
    moved.replace(moved.find(from), from.size(), to);
    write(site_ / path, moved);
    EXPECT_EQ(edit(out, &session, path), LiveEdit::kBuild);
  }
  write(site_ / path, second);
  write(site_ / "content/posts/2021/new.md", "---\ntitle: New\n---\n\nBody.\n");
  EXPECT_EQ(edit(out, &session, "content/posts/2021/new.md"), LiveEdit::kBuild);
  fs::remove(site_ / "content/posts/2021/new.md");
  write(site_ / "templates/post.html", "{{ page.title }}\n");
  EXPECT_EQ(edit(out, &session, "templates/post.html"), LiveEdit::kBuild);
  EXPECT_EQ(tree(out), before);  // nothing was touched
  // The build the edits were left to gives the full build's site.
  BuildResult r = build(out, &session);
  EXPECT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(tree(out), full_build());
}

// Front matter that leaves the page where it is (its title, a field the
// theme reads, a new one) is made in the kept model too: the outputs that
// read the page's metadata are made again, and the preview is a full
// build's.
TEST_F(LiveEditTest, FrontMatterEditsThatMoveNothingAreMadeInTheKeptModel) {
  without_search();
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  ASSERT_NE(session.live, nullptr);
  const std::string path = "content/posts/2019/second.md";
  const std::string second = read(site_ / path);
  auto with = [&](std::string from, std::string to) {
    std::string s = second;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<std::string> versions = {
      with("Second, in TOML", "Second -- retitled"),
      with("slug = ", "description = \"What the second says\"\nslug = "),
      with("Second, in TOML", "Zzz, a title that sorts last"),
      second,
  };
  for (size_t i = 0; i < versions.size(); ++i) {
    SCOPED_TRACE("edit " + std::to_string(i));
    write(site_ / path, versions[i]);
    BuildResult r;
    ASSERT_EQ(edit(out, &session, path, &r), LiveEdit::kDone);
    EXPECT_GT(r.outputs_made, 0u);
    EXPECT_LT(r.outputs_made, tree(out).size() / 2);  // not the whole site
    EXPECT_EQ(tree(out), full_build());
  }
  // The retitled page shows its new title, and so do the lists.
  write(site_ / path, versions[0]);
  ASSERT_EQ(edit(out, &session, path), LiveEdit::kDone);
  EXPECT_NE(read(out / "2019/09/second-post/index.html").find("retitled"), std::string::npos);
  size_t showing = 0;
  for (const auto& [file, bytes] : tree(out))
    showing += bytes.find("retitled") != std::string::npos;
  EXPECT_GT(showing, 3u);  // the page, its neighbour, its lists, the feeds
  // A build from the saved state after it (serve's catch-up) ends equal
  // to a full build too.
  BuildResult r = build(out, &session);
  EXPECT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(tree(out), full_build());
}

// The title breaks ties between posts of one date: a retitled post that
// shares its date with another is left to a build, which orders them.
TEST_F(LiveEditTest, ATitleThatOrdersPostsOfOneDateIsLeftToABuild) {
  without_search();
  write(site_ / "content/posts/2019/twin.md",
        "---\ntitle: \"Twin\"\ndate: 2019-09-15T12:00:00Z\n---\n\nThe twin.\n");
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  const std::string path = "content/posts/2019/second.md";
  std::string retitled = read(site_ / path);
  retitled.replace(retitled.find("Second, in TOML"), 15, "Zzz second");
  write(site_ / path, retitled);
  EXPECT_EQ(edit(out, &session, path), LiveEdit::kBuild);
  // The twin's body alone is still an edit in memory.
  write(site_ / "content/posts/2019/twin.md",
        "---\ntitle: \"Twin\"\ndate: 2019-09-15T12:00:00Z\n---\n\nThe twin, edited.\n");
  session.changed.push_back(path);
  build(out, &session);
  EXPECT_EQ(edit(out, &session, "content/posts/2019/twin.md"), LiveEdit::kDone);
  EXPECT_EQ(tree(out), full_build());
}

// With the search on, a body edit leaves the index and related posts to
// the next build, which ends equal to a full build.
TEST_F(LiveEditTest, WithTheSearchTheNextBuildCatchesUp) {
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  const std::string path = "content/posts/2019/second.md";
  write(site_ / path, read(site_ / path) + "\nZebra quagga okapi, the words of the edit.\n");
  BuildResult r;
  ASSERT_EQ(edit(out, &session, path, &r), LiveEdit::kDone);
  EXPECT_TRUE(r.search_deferred);
  EXPECT_TRUE(session.search_stale);
  EXPECT_NE(read(out / "2019/09/second-post/index.html").find("Zebra quagga okapi"),
            std::string::npos);
  BuildResult rest = build(out, &session);
  EXPECT_FALSE(rest.nothing_to_do);
  EXPECT_FALSE(session.search_stale);
  EXPECT_EQ(tree(out), full_build());
}

// serve's catch-up analyses the kept model before it drops it: given up
// for an edit, the model stays, and the edit is made in it; let run, the
// catch-up ends equal to a full build.
TEST_F(LiveEditTest, ACatchUpGivenUpKeepsTheModel) {
  BuildSession session;
  const fs::path out = tmp_ / "preview";
  build(out, &session);
  const std::string path = "content/posts/2019/second.md";
  const std::string second = read(site_ / path);
  write(site_ / path, second + "\nZebra quagga okapi.\n");
  ASSERT_EQ(edit(out, &session, path), LiveEdit::kDone);
  ASSERT_TRUE(session.search_stale);
  const std::map<std::string, std::string> before = tree(out);
  // The catch-up: its first question (before it reads the content) says
  // go on, the analysis's first says stop.
  BuildOptions o = options(out, &session);
  int asked = 0;
  o.cancelled = [&] { return ++asked > 1; };
  DiagnosticSink sink;
  BuildResult r;
  EXPECT_FALSE(build_site(o, &r, sink));
  EXPECT_TRUE(r.cancelled);
  EXPECT_GT(asked, 1);
  EXPECT_FALSE(sink.has_errors()) << sink.format_all();
  EXPECT_EQ(tree(out), before);
  EXPECT_TRUE(session.search_stale);
  ASSERT_NE(session.live, nullptr);
  // The next edit, a title, is made in the model that stayed.
  std::string retitled = second;
  retitled.replace(retitled.find("Second, in TOML"), 15, "Second, retitled");
  write(site_ / path, retitled);
  ASSERT_EQ(edit(out, &session, path), LiveEdit::kDone);
  EXPECT_NE(read(out / "2019/09/second-post/index.html").find("Second, retitled"),
            std::string::npos);
  // A catch-up no edit interrupts.
  asked = 0;
  o.cancelled = [&] { return false; };
  DiagnosticSink sink2;
  BuildResult rest;
  ASSERT_TRUE(build_site(o, &rest, sink2)) << sink2.format_all();
  EXPECT_FALSE(rest.search_deferred);
  EXPECT_TRUE(rest.incremental) << rest.full_reason;
  EXPECT_FALSE(session.search_stale);
  EXPECT_NE(session.live, nullptr);
  EXPECT_EQ(tree(out), full_build());
  // And the search is then up to date: with nothing changed, nothing to do.
  session.changed.clear();
  EXPECT_TRUE(build(out, &session).nothing_to_do);
}

}  // namespace
}  // namespace byline
