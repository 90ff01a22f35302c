// The incremental build, end to end on a copy of tests/sites/basic: what a
// build after an edit rewrites, that it equals a full build, when it must
// be a full one, what --explain says. The random edit sequences and the
// kill -9 runs are in tests/incremental/.
#include "build/incremental.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "build/build.h"
#include "build/test_sites.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

// Every file under `dir`, by relative path, with its bytes.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).generic_string()] = read(e.path());
  return files;
}

class IncrementalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           ("byline-incremental-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
    site_ = tmp_ / "site";
    copy_fixture_site(fs::path(BYLINE_SOURCE_DIR) / "tests" / "sites" / "basic", site_);
    out_ = tmp_ / "public";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  BuildResult build(const fs::path& dest, bool full = false, bool explain = false) {
    BuildOptions o;
    o.source = site_;
    o.dest = dest;
    o.now = *parse_datetime("2025-01-01T00:00:00Z");
    o.full = full;
    o.explain = explain;
    DiagnosticSink sink;
    BuildResult r;
    EXPECT_TRUE(build_site(o, &r, sink)) << sink.format_all();
    return r;
  }
  BuildResult build(bool explain = false) { return build(out_, false, explain); }

  // The incremental output equals a full build's, file list included.
  void expect_same_as_full() {
    fs::path full = tmp_ / "full";
    fs::remove_all(full);
    build(full, true);
    EXPECT_EQ(tree(out_), tree(full));
  }

  fs::path post(const char* name) { return site_ / "content" / "posts" / "2019" / name; }

  fs::path tmp_, site_, out_;
};

TEST_F(IncrementalTest, FirstBuildIsFullThenNothingToDo) {
  BuildResult first = build();
  EXPECT_FALSE(first.incremental);
  EXPECT_EQ(first.full_reason, "no output folder yet");
  auto before = tree(out_);
  BuildResult again = build();
  EXPECT_TRUE(again.nothing_to_do);
  EXPECT_EQ(tree(out_), before);
  // A file touched but not changed is no change either.
  fs::last_write_time(post("second.md"), fs::file_time_type::clock::now());
  BuildResult touched = build();
  EXPECT_TRUE(touched.incremental);
  EXPECT_EQ(touched.outputs_written, 0u);
  EXPECT_EQ(touched.outputs_made, 0u);
}

TEST_F(IncrementalTest, BodyEditRewritesThePostAndWhatShowsItsText) {
  build();
  std::string text = read(post("second.md"));
  write(post("second.md"), text + "\nA new closing paragraph.\n");
  BuildResult r = build(true);
  ASSERT_TRUE(r.incremental) << r.full_reason;
  EXPECT_GT(r.pages_restored, 0u);
  EXPECT_GT(r.outputs_written, 0u);
  // Not the term list pages of the post's tags, which show its title only.
  // Besides what shows its text: the search index's files its words are
  // in, and the posts whose related posts the new words changed.
  std::map<std::string, std::string> why(r.explanations.begin(), r.explanations.end());
  bool page = false;
  for (const auto& [path, reason] : why) {
    if (path.starts_with("search/")) continue;
    if (reason.starts_with("related:")) {
      EXPECT_TRUE(path.ends_with("/index.html")) << path;
      EXPECT_NE(reason.find(" changed"), std::string::npos) << path << ": " << reason;
      continue;
    }
    EXPECT_EQ(reason.find("content/posts/2019/second.md changed"), 0u) << path << ": " << reason;
    page |= path.ends_with("second-post/index.html");
  }
  EXPECT_TRUE(page);
  EXPECT_EQ(why.count("tags/index.html"), 0u);
  expect_same_as_full();
}

// A post's related posts depend on every post's text: a new post that
// reads like an old one joins the old one's list, which is made again.
TEST_F(IncrementalTest, RelatedPostsFollowAnotherPostsEdit) {
  write(post("third-party.md"),
        "---\ntitle: \"Zanzibar cloves\"\ndate: 2019-10-01\n---\n\nQwxzy plorvik\n");
  build();
  std::string second_page = "2019/09/second-post/index.html";
  // What the page lists under "Related".
  auto related_of = [&](const std::string& html) {
    size_t from = html.find("class=\"related\"");
    return from == std::string::npos ? "" : html.substr(from, html.find("</aside>", from) - from);
  };
  EXPECT_EQ(related_of(read(out_ / second_page)).find("Zanzibar"), std::string::npos);
  // The same words as second.md's body, twice over.
  std::string text = read(post("second.md"));
  std::string body = text.substr(text.rfind("+++") + 3);
  write(post("third-party.md"),
        "---\ntitle: \"Zanzibar cloves\"\ndate: 2019-10-01\n---\n" + body + "\n" + body + "\n");
  BuildResult r = build(true);
  ASSERT_TRUE(r.incremental) << r.full_reason;
  std::map<std::string, std::string> why(r.explanations.begin(), r.explanations.end());
  EXPECT_EQ(why[second_page], "related:posts/2019/second.md changed");
  EXPECT_NE(related_of(read(out_ / second_page)).find("Zanzibar cloves"), std::string::npos);
  expect_same_as_full();
}

// The search analysis is kept beside the state (search.bin): an edit has
// only the edited post analysed again; a kept analysis that cannot be
// vouched for has every document analysed, and either way the index and
// the related posts are a full build's.
TEST_F(IncrementalTest, SearchAnalysisIsKeptAndOnlyAnEditedPostIsAnalysedAgain) {
  BuildResult first = build();
  ASSERT_GT(first.search_documents, 2u);
  EXPECT_EQ(first.search_analysed, first.search_documents);
  fs::path kept = state_folder(site_, out_) / "search.bin";
  ASSERT_TRUE(fs::exists(kept));
  write(post("second.md"), read(post("second.md")) + "\nA plorvik paragraph added.\n");
  BuildResult r = build();
  ASSERT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(r.search_documents, first.search_documents);
  EXPECT_EQ(r.search_analysed, 1u);
  expect_same_as_full();

  // A damaged file: everything analysed, the same site.
  std::string bytes = read(kept);
  bytes[bytes.size() / 2] ^= 0x11;
  write(kept, bytes);
  write(post("second.md"), read(post("second.md")) + "\nAnd another.\n");
  r = build();
  ASSERT_TRUE(r.incremental) << r.full_reason;
  EXPECT_EQ(r.search_analysed, r.search_documents);
  expect_same_as_full();
  // Then kept again.
  write(post("second.md"), read(post("second.md")) + "\nA third.\n");
  r = build();
  EXPECT_EQ(r.search_analysed, 1u);
  expect_same_as_full();
}

TEST_F(IncrementalTest, TitleEditRewritesTheListsThatShowIt) {
  build();
  std::string text = read(post("second.md"));
  size_t at = text.find("Second, in TOML");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 15, "Second, renamed");
  write(post("second.md"), text);
  BuildResult r = build(true);
  ASSERT_TRUE(r.incremental);
  // The home's second page lists it; its first page does not.
  std::map<std::string, std::string> why(r.explanations.begin(), r.explanations.end());
  EXPECT_EQ(why["page/2/index.html"], "content/posts/2019/second.md changed (front matter)");
  EXPECT_EQ(why.count("index.html"), 0u);
  EXPECT_EQ(why.count("about/index.html"), 0u);
  EXPECT_NE(read(out_ / "page" / "2" / "index.html").find("Second, renamed"), std::string::npos);
  expect_same_as_full();
}

// Rewrites `from` in `p` as `to` (of the same length) in place, and puts
// its modification time back: its size, time and inode are as they were,
// as when two saves fall within one tick of the file system's clock.
void edit_keeping_stamp(const fs::path& p, std::string_view from, std::string_view to) {
  ASSERT_EQ(from.size(), to.size());
  struct stat before {};
  ASSERT_EQ(::stat(p.c_str(), &before), 0);
  std::string text = read(p);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << p << ": " << from;
  text.replace(at, from.size(), to);
  write(p, text);
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  struct stat after {};
  ASSERT_EQ(::stat(p.c_str(), &after), 0);
  ASSERT_EQ(after.st_ino, before.st_ino);
  ASSERT_EQ(after.st_size, before.st_size);
  ASSERT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  ASSERT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
}

TEST_F(IncrementalTest, AnEditThatKeepsTheStampOfARecentFileIsSeen) {
  // A site template in front of the theme's footer.
  fs::path footer = site_ / "templates" / "partials" / "footer.html";
  write(footer,
        read(fs::path(BYLINE_SOURCE_DIR) / "themes/default/templates/partials/footer.html") +
            "<!-- MARK-A -->\n");
  build();
  // The post, a static file and a template, each saved again within the
  // same tick as the build that read it.
  edit_keeping_stamp(post("second.md"), "eleven", "ELEVEN");
  edit_keeping_stamp(site_ / "static" / "css" / "site.css", "}", " ");
  edit_keeping_stamp(footer, "MARK-A", "MARK-B");
  BuildResult r = build(true);
  ASSERT_TRUE(r.incremental) << r.full_reason;
  EXPECT_FALSE(r.nothing_to_do);
  EXPECT_NE(read(out_ / "2019" / "09" / "second-post" / "index.html").find("ELEVEN"),
            std::string::npos);
  EXPECT_EQ(read(out_ / "css" / "site.css"), read(site_ / "static" / "css" / "site.css"));
  EXPECT_NE(read(out_ / "index.html").find("MARK-B"), std::string::npos);
  expect_same_as_full();
  // Checked, the same bytes are not a change: the next build has nothing
  // to make.
  BuildResult again = build();
  EXPECT_EQ(again.outputs_made, 0u);
}

TEST_F(IncrementalTest, DeletedAndAddedPostsAndTemplates) {
  build();
  fs::remove(post("second.md"));
  BuildResult removed = build();
  ASSERT_TRUE(removed.incremental);
  EXPECT_GT(removed.outputs_removed, 0u);
  EXPECT_FALSE(fs::exists(out_ / "2019" / "09" / "second-post" / "index.html"));
  expect_same_as_full();

  write(post("new.md"), "---\ntitle: New\ndate: 2019-10-01\ntags: [\"Fresh\"]\n---\nHello.\n");
  ASSERT_TRUE(build().incremental);
  EXPECT_TRUE(fs::exists(out_ / "tags" / "fresh" / "index.html") ||
              fs::exists(out_ / "tag" / "fresh" / "index.html"));
  expect_same_as_full();

  // A template of the site's own in front of the built-in one.
  write(site_ / "templates" / "partials" / "footer.html", "<footer>My own footer</footer>\n");
  ASSERT_TRUE(build().incremental);
  expect_same_as_full();
  fs::remove(site_ / "templates" / "partials" / "footer.html");
  ASSERT_TRUE(build().incremental);
  expect_same_as_full();
}

// A build that changed little leaves the base of the state as it was and
// saves only the difference; an edit undone leaves no output in it, though
// the post added and removed meanwhile moved every page's number.
TEST_F(IncrementalTest, AnEditUndoneLeavesTheStatesBaseAndNoDifferenceInItsOutputs) {
  build();
  const fs::path folder = state_folder(site_, out_);
  auto bases = [&] {
    std::vector<std::pair<fs::path, std::string>> out;
    for (const auto& e : fs::directory_iterator(folder))
      if (e.path().filename().string().starts_with("base-"))
        out.emplace_back(e.path(), read(e.path()));
    return out;
  };
  const auto base = bases();
  ASSERT_EQ(base.size(), 1u);
  write(post("aaa-first.md"), "---\ntitle: First\ndate: 2019-01-02\ntags: [\"Fresh\"]\n---\nHi.\n");
  ASSERT_TRUE(build().incremental);
  {
    SavedState s;
    ASSERT_TRUE(s.load(folder) && s.load_rest());
    EXPECT_GT(s.delta_outputs(), 0u);
  }
  fs::remove(post("aaa-first.md"));
  ASSERT_TRUE(build().incremental);
  expect_same_as_full();
  EXPECT_EQ(bases(), base);
  SavedState s;
  ASSERT_TRUE(s.load(folder) && s.load_rest());
  EXPECT_EQ(s.delta_outputs(), 0u);
}

TEST_F(IncrementalTest, WhatTheStateCannotVouchForIsAFullBuild) {
  build();
  fs::path folder = state_folder(site_, out_);
  ASSERT_TRUE(fs::exists(folder / "state"));

  // Stopped while publishing.
  write(folder / "publishing", "");
  BuildResult stopped = build(true);
  EXPECT_FALSE(stopped.incremental);
  EXPECT_EQ(stopped.full_reason, "the last build was stopped while it published");
  EXPECT_FALSE(fs::exists(folder / "publishing"));
  EXPECT_TRUE(build().nothing_to_do);

  // The configuration changed.
  write(site_ / "byline.toml", read(site_ / "byline.toml") + "\n# a comment\n");
  BuildResult config = build();
  EXPECT_FALSE(config.incremental);
  EXPECT_EQ(config.full_reason, "the configuration or the build's flags changed");

  // A damaged state: a no-op build reads only the state's inputs, so an
  // edit makes this one read the rest.
  std::string state = read(folder / "state");
  state[state.size() - 10] ^= 0x40;
  write(folder / "state", state);
  write(post("second.md"), read(post("second.md")) + "\nMore.\n");
  BuildResult damaged = build();
  EXPECT_FALSE(damaged.incremental);
  EXPECT_EQ(damaged.full_reason, "the saved state is unreadable");
  expect_same_as_full();

  // --full.
  BuildResult full = build(out_, true);
  EXPECT_FALSE(full.incremental);
  EXPECT_EQ(full.full_reason, "--full");
}

TEST_F(IncrementalTest, StatesOfOutputFoldersThatAreGoneAreDeleted) {
  fs::path other = tmp_ / "elsewhere";
  build(other);
  fs::path other_state = state_folder(site_, other);
  ASSERT_TRUE(fs::exists(other_state));
  build();
  EXPECT_TRUE(fs::exists(other_state));  // still there: so is its output
  fs::remove_all(other);
  write(post("second.md"), read(post("second.md")) + "\nMore.\n");
  build();
  EXPECT_FALSE(fs::exists(other_state));
  EXPECT_TRUE(fs::exists(state_folder(site_, out_) / "state"));
}

TEST_F(IncrementalTest, AFuturePostAppearsWhenItsDateComes) {
  build();  // --now 2025-01-01
  write(post("later.md"), "---\ntitle: Later\ndate: 2025-06-01\n---\nNot yet.\n");
  BuildResult before = build();
  ASSERT_TRUE(before.incremental);
  EXPECT_EQ(read(out_ / "index.html").find("Later"), std::string::npos);
  BuildOptions o;
  o.source = site_;
  o.dest = out_;
  o.now = *parse_datetime("2025-07-01T00:00:00Z");
  DiagnosticSink sink;
  BuildResult after;
  ASSERT_TRUE(build_site(o, &after, sink));
  EXPECT_TRUE(after.incremental);
  EXPECT_FALSE(after.nothing_to_do);
  EXPECT_NE(read(out_ / "index.html").find("Later"), std::string::npos);
}

// Found by tests/incremental/property_test.py: site.home read where there
// is no content/_index.md recorded nothing, so adding one later left the
// outputs that showed "no home" as they were.
TEST_F(IncrementalTest, AHomePageAddedLaterIsSeenBySiteHome) {
  std::string home = read(site_ / "content" / "_index.md");
  fs::remove(site_ / "content" / "_index.md");
  write(site_ / "templates" / "404.html",
        "{% if site.home %}home: {{ site.home.title }}{% else %}no home{% endif %}\n");
  build();
  EXPECT_EQ(read(out_ / "404.html"), "no home");
  write(site_ / "content" / "_index.md", home);
  ASSERT_TRUE(build().incremental);
  EXPECT_EQ(read(out_ / "404.html").find("home: "), 0u) << read(out_ / "404.html");
  expect_same_as_full();
}

// Found by tests/incremental/property_test.py: a restored page gave its
// body's warnings again even when the clock had left it out (its expiry
// date had come), which a full build, rendering no body for it, does not.
TEST_F(IncrementalTest, APageLeftOutGivesNoWarningsOfItsBody) {
  write(post("expiring.md"),
        "---\ntitle: Expiring\ndate: 2019-10-01\nexpiry_date: 2025-03-01\n---\n\n"
        "![gone](/images/not-there.png)\n");
  auto warnings_at = [&](const char* now) {
    BuildOptions o;
    o.source = site_;
    o.dest = out_;
    o.now = *parse_datetime(now);
    DiagnosticSink sink;
    BuildResult r;
    EXPECT_TRUE(build_site(o, &r, sink)) << sink.format_all();
    return sink.format_all();
  };
  EXPECT_NE(warnings_at("2025-01-01T00:00:00Z").find("not-there.png"), std::string::npos);
  std::string after = warnings_at("2025-04-01T00:00:00Z");
  EXPECT_EQ(after.find("not-there.png"), std::string::npos) << after;
}

// A page's warnings are kept in its record: a build that restores it gives
// them again, with its line, as the build that read it did, and a page read
// afresh beside restored ones gets only its own.
TEST_F(IncrementalTest, RestoredPagesGiveTheirWarningsAgain) {
  write(post("warned.md"),
        "---\ntitle: Warned\ndate: 2019-10-01\n---\n\n![gone](/images/not-there.png)\n");
  auto warnings = [&] {
    BuildOptions o;
    o.source = site_;
    o.dest = out_;
    o.now = *parse_datetime("2025-01-01T00:00:00Z");
    DiagnosticSink sink;
    BuildResult r;
    EXPECT_TRUE(build_site(o, &r, sink)) << sink.format_all();
    return sink.format_all();
  };
  const std::string full = warnings();
  ASSERT_NE(full.find("warned.md:6:1: warning: image '/images/not-there.png'"), std::string::npos)
      << full;
  // Another page edited: warned.md is restored.
  write(post("second.md"), read(post("second.md")) + "\nMore.\n");
  EXPECT_EQ(warnings(), full);
  // warned.md itself edited: read again, and its record written anew.
  write(post("warned.md"),
        "---\ntitle: Warned\ndate: 2019-10-01\n---\n\nNow.\n\n![gone](/images/not-there.png)\n");
  std::string edited = warnings();
  EXPECT_NE(edited.find("warned.md:8:1: warning"), std::string::npos) << edited;
  write(post("second.md"), read(post("second.md")) + "\nAnd more.\n");
  EXPECT_EQ(warnings(), edited);
  EXPECT_EQ(edited.find("second.md"), std::string::npos) << edited;
}

}  // namespace
}  // namespace byline
