#include "state/saved_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "content/content.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

fs::path temp_folder(const char* name) {
  fs::path dir =
      fs::temp_directory_path() / ("byline-state-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The page logs in `folder`.
std::vector<fs::path> logs(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().filename().string().starts_with("pages-")) out.push_back(e.path());
  return out;
}

StateWriter sample() {
  StateWriter w;
  w.header.byline_version = "9.9.9";
  w.header.environment = 42;
  w.header.now = 1700000000;
  w.header.next_change = 1800000000;
  w.inputs.push_back({"content/posts/a.md", {100, 1700000000123456789, 77}, 0xabcdef});
  w.inputs.push_back({"byline.toml", {20, 5, 6}, 7});
  PageRecord p;
  p.page.rel_path = "posts/a.md";
  p.page.source_hash = 0xabcdef;
  p.inputs.push_back({"static/images/x.png", true, 99, "/images/x.png"});
  p.inputs.push_back({"content/images/x.png", false, 0, ""});
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.location.path = "site/content/posts/a.md";
  d.location.line = 7;
  d.location.column = 1;
  d.message = "image 'x'";
  d.source_line = "![x](/images/x.png)";
  p.diagnostics.push_back(d);
  p.page.source_text = "---\ntitle: A\ntags: [x, y]\n---\n";
  p.page.body_line = 5;
  p.page.body_offset = p.page.source_text.size();
  p.page.params = Value::map();
  Value title = Value::string("A");
  title.line = 2;
  title.column = 8;
  p.page.params.set("title", title);
  Value tags = Value::list({Value::string("x"), Value::string("y")});
  tags.line = 3;
  p.page.params.set("tags", tags);
  p.page.params.set("n", Value::number(1.5));
  p.page.params.set("i", Value::integer(-3));
  p.page.params.set("b", Value::boolean(true));
  p.page.params.set("z", Value());
  p.page.title = "A";
  p.page.date = DateTime{1565000000, 120, true, true};
  p.page.expiry_date = DateTime{1600000000, 0, false, false};
  p.page.draft = true;
  p.page.slug = "a-slug";
  p.page.aliases = {"/old/a/", "/older/a/"};
  p.page.terms = {{{"Russia", "russia", 3, 8}}, {}};
  Appearance appearance;
  appearance.date = DateTime{1560000000, 0, false, false};
  appearance.outlet = "BBC";
  appearance.kind = "interview";
  appearance.pickups.push_back({"El País", "https://elpais.com/x", "es", "translated"});
  appearance.origin = {"site/content/posts/a.md", 9, 3};
  p.page.appearances.push_back(appearance);
  p.page.canonical = "original";
  p.page.correction = "An *error*.";
  p.page.correction_date = DateTime{1566000000, 0, false, false};
  p.page.weight = -2;
  p.page.permalink = "/2019/08/a-slug/";
  p.page.output_path = "2019/08/a-slug/index.html";
  p.page.url_origin = {"site/content/posts/a.md", 4, 7};
  p.page.url_line = "slug: a-slug";
  p.page.summary_html = "<p>A</p>";
  p.page.summary_truncated = true;
  p.page.intro_html = "<p>intro</p>";
  p.page.article_offset = 12;
  p.page.correction_html = "fixed";
  p.page.word_count = 321;
  w.page_count = 1;
  w.write_page = [p](size_t, BinaryWriter& out, const PageRef**) -> std::string_view {
    write_page_record(p, out);
    return "posts/a.md";
  };
  uint32_t k0 = w.intern("p:posts/a.md");
  uint32_t k1 = w.intern("t:post.html");
  EXPECT_EQ(w.intern("p:posts/a.md"), k0);
  w.fingerprints[k0] = 5;
  w.fingerprints[k1] = 6;
  // The writer views its outputs' keys.
  static std::vector<uint32_t> a_deps;
  a_deps = {k0, k1};
  w.outputs.push_back({"2019/08/a/index.html", "page posts/a.md", 1234, a_deps});
  w.outputs.push_back({"robots.txt", "robots", 5, {}});
  return w;
}

TEST(SavedState, WritesAndReadsBack) {
  fs::path dir = temp_folder("roundtrip");
  std::string error;
  ASSERT_TRUE(sample().save(dir, nullptr, &error)) << error;
  SavedState s;
  ASSERT_TRUE(s.load(dir));
  ASSERT_TRUE(s.load_rest());
  EXPECT_EQ(s.header().byline_version, "9.9.9");
  EXPECT_EQ(s.header().environment, 42u);
  EXPECT_EQ(s.header().now, 1700000000);
  EXPECT_EQ(s.header().next_change, 1800000000);
  ASSERT_EQ(s.inputs().size(), 2u);
  const SavedState::Input* a = s.find_input("content/posts/a.md");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->stamp, (FileStamp{100, 1700000000123456789, 77}));
  EXPECT_EQ(a->hash, 0xabcdefu);
  EXPECT_EQ(s.find_input("nothing"), nullptr);

  PageRecord p;
  ASSERT_TRUE(s.page("posts/a.md", &p));
  EXPECT_FALSE(s.page("posts/b.md", &p));
  ASSERT_TRUE(s.page("posts/a.md", &p));
  EXPECT_EQ(p.page.source_hash, 0xabcdefu);
  ASSERT_EQ(p.inputs.size(), 2u);
  EXPECT_EQ(p.inputs[0].site_path, "/images/x.png");
  EXPECT_EQ(p.inputs[1].path, "content/images/x.png");
  EXPECT_EQ(p.inputs[1].site_path, "");
  EXPECT_FALSE(p.inputs[1].exists);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(p.diagnostics[0]),
            "site/content/posts/a.md:7:1: warning: image 'x'\n  ![x](/images/x.png)\n  ^\n");
  EXPECT_EQ(p.page.source_text, "---\ntitle: A\ntags: [x, y]\n---\n");
  EXPECT_EQ(p.page.body_line, 5);
  EXPECT_EQ(p.page.params.to_json(),
            R"({"title":"A","tags":["x","y"],"n":1.5,"i":-3,"b":true,"z":null})");
  EXPECT_EQ(p.page.params.find("title")->line, 2);
  EXPECT_EQ(p.page.params.find("title")->column, 8);
  EXPECT_EQ(p.page.params.find("tags")->line, 3);
  EXPECT_EQ(p.page.summary_html, "<p>A</p>");
  EXPECT_TRUE(p.page.summary_truncated);
  EXPECT_EQ(p.page.article_offset, 12u);
  EXPECT_EQ(p.page.word_count, 321u);
  // The decoded front matter.
  EXPECT_EQ(p.page.title, "A");
  ASSERT_TRUE(p.page.date.has_value());
  EXPECT_EQ(p.page.date->utc_seconds, 1565000000);
  EXPECT_EQ(p.page.date->offset_minutes, 120);
  EXPECT_TRUE(p.page.date->has_time && p.page.date->has_offset);
  EXPECT_FALSE(p.page.lastmod.has_value());
  ASSERT_TRUE(p.page.expiry_date.has_value());
  EXPECT_FALSE(p.page.expiry_date->has_time);
  EXPECT_TRUE(p.page.draft);
  EXPECT_EQ(p.page.slug, "a-slug");
  EXPECT_EQ(p.page.aliases, (std::vector<std::string>{"/old/a/", "/older/a/"}));
  ASSERT_EQ(p.page.terms.size(), 2u);
  ASSERT_EQ(p.page.terms[0].size(), 1u);
  EXPECT_EQ(p.page.terms[0][0].name, "Russia");
  EXPECT_EQ(p.page.terms[0][0].slug, "russia");
  EXPECT_EQ(p.page.terms[0][0].column, 8);
  EXPECT_TRUE(p.page.terms[1].empty());
  ASSERT_EQ(p.page.appearances.size(), 1u);
  EXPECT_EQ(p.page.appearances[0].outlet, "BBC");
  EXPECT_EQ(p.page.appearances[0].date.utc_seconds, 1560000000);
  ASSERT_EQ(p.page.appearances[0].pickups.size(), 1u);
  EXPECT_EQ(p.page.appearances[0].pickups[0].language, "es");
  EXPECT_EQ(p.page.appearances[0].origin.line, 9);
  EXPECT_EQ(p.page.canonical, "original");
  EXPECT_EQ(p.page.correction, "An *error*.");
  EXPECT_EQ(p.page.correction_date->utc_seconds, 1566000000);
  EXPECT_EQ(p.page.weight, -2);
  EXPECT_EQ(p.page.permalink, "/2019/08/a-slug/");
  EXPECT_EQ(p.page.output_path, "2019/08/a-slug/index.html");
  EXPECT_EQ(p.page.url_origin.line, 4);
  EXPECT_EQ(p.page.url_origin.column, 7);
  EXPECT_EQ(p.page.url_line, "slug: a-slug");

  ASSERT_EQ(s.keys().size(), 2u);
  EXPECT_EQ(s.keys()[0], "p:posts/a.md");
  EXPECT_EQ(s.fingerprints()[1], 6u);
  ASSERT_EQ(s.outputs().size(), 2u);
  const SavedState::Output* o = s.find_output("2019/08/a/index.html");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->recipe, "page posts/a.md");
  EXPECT_EQ(o->hash, 1234u);
  ASSERT_EQ(o->deps.size(), 2u);
  EXPECT_EQ(s.keys()[o->deps[1]], "t:post.html");
  EXPECT_TRUE(s.find_output("robots.txt")->deps.empty());
  fs::remove_all(dir);
}

// A restore reads a record without its front matter's text: none of it is
// copied, and its hash stands for it, so that the page's meta hash is the one
// the page had when it was read from its file.
TEST(SavedState, ARestoredRecordDropsItsFrontMatterTextButKeepsItsMetaHash) {
  fs::path dir = temp_folder("no-text");
  std::string error;
  ASSERT_TRUE(sample().save(dir, nullptr, &error)) << error;
  SavedState s;
  ASSERT_TRUE(s.load(dir));
  ASSERT_TRUE(s.load_rest());
  PageRecord with_text, without;
  ASSERT_TRUE(s.page("posts/a.md", &with_text));
  ASSERT_TRUE(s.page("posts/a.md", &without, false));
  EXPECT_FALSE(with_text.page.front_matter_dropped);
  EXPECT_TRUE(without.page.front_matter_dropped);
  EXPECT_TRUE(without.page.source_text.empty());
  EXPECT_EQ(without.page.body(), "");
  EXPECT_EQ(without.page.title, "A");
  EXPECT_EQ(without.page.body_offset, with_text.page.body_offset);
  EXPECT_EQ(page_meta_hash(without.page), page_meta_hash(with_text.page));
  // The page as read from its file, its body after the front matter.
  Page fresh = with_text.page;
  fresh.source_text += "The body.\n";
  EXPECT_EQ(page_meta_hash(fresh), page_meta_hash(without.page));
  // Another front matter is another meta hash, with the text or without.
  Page edited = with_text.page;
  edited.source_text = "---\ntitle: B\ntags: [x, y]\n---\n";
  EXPECT_NE(page_meta_hash(edited), page_meta_hash(without.page));
  fs::remove_all(dir);
}

// The outputs' keys are read where the state file is mapped, however long
// what comes before them: the writer aligns them.
TEST(SavedState, ViewsTheOutputsKeysInPlace) {
  fs::path dir = temp_folder("aligned");
  for (size_t n = 0; n < 8; ++n) {
    StateWriter w = sample();
    std::vector<uint32_t> deps(n + 1, 1);
    std::vector<std::string> paths;
    for (size_t i = 0; i < n; ++i) paths.push_back(std::string(i + 1, 'x') + ".html");
    for (const std::string& p : paths) w.outputs.push_back({p, "r", 1, std::span(deps).first(1)});
    const std::string recipe(n, 'r');  // viewed by the writer
    w.outputs.push_back({"last.html", recipe, 2, deps});
    std::string error;
    ASSERT_TRUE(w.save(dir, nullptr, &error)) << error;
    SavedState s;
    ASSERT_TRUE(s.load(dir) && s.load_rest()) << n;
    EXPECT_TRUE(s.deps_in_place()) << n;
    const SavedState::Output* last = s.find_output("last.html");
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(std::vector<uint32_t>(last->deps.begin(), last->deps.end()), deps) << n;
    EXPECT_EQ(s.keys()[s.find_output("2019/08/a/index.html")->deps[1]], "t:post.html");
  }
  fs::remove_all(dir);
}

// A state cut short, with a byte changed, or of another format is not read:
// the next build is a full one. The header and inputs are checked by
// load(); the rest, which a no-op build does not read, by load_rest().
TEST(SavedState, RefusesWhatItDidNotWriteWhole) {
  fs::path dir = temp_folder("damaged");
  std::string error;
  ASSERT_TRUE(sample().save(dir, nullptr, &error)) << error;
  fs::path file = dir / "state";
  std::string bytes = read_file(file);
  auto try_load = [&](const std::string& content) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    SavedState s;
    return s.load(dir) && s.load_rest();
  };
  EXPECT_TRUE(try_load(bytes));
  EXPECT_FALSE(try_load(bytes.substr(0, bytes.size() / 2)));
  for (size_t at : {size_t{20}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    std::string flipped = bytes;
    flipped[at] ^= 1;
    EXPECT_FALSE(try_load(flipped)) << "byte " << at;
  }
  std::string other = bytes;
  other[8] = static_cast<char>(kStateFormat + 1);  // the format number
  EXPECT_FALSE(try_load(other));
  EXPECT_FALSE(try_load(""));
  // The page log gone, or a record in it damaged.
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  ASSERT_EQ(logs(dir).size(), 1u);
  fs::path log = logs(dir)[0];
  std::string records = read_file(log);
  std::string damaged = records;
  damaged[damaged.size() / 2] ^= 1;
  std::ofstream(log, std::ios::binary | std::ios::trunc) << damaged;
  SavedState s;
  ASSERT_TRUE(s.load(dir) && s.load_rest());
  PageRecord p;
  EXPECT_FALSE(s.page("posts/a.md", &p));
  fs::remove(log);
  SavedState gone;
  EXPECT_TRUE(gone.load(dir));
  EXPECT_FALSE(gone.load_rest());
  fs::remove_all(dir);
  SavedState none;
  EXPECT_FALSE(none.load(dir));
}

// A build that changed few pages appends their records to the log and
// points to the others where they are; a log mostly of records nothing
// points to is written anew; what a stopped build appended is cut off.
TEST(SavedState, AppendsToThePageLogAndCompactsIt) {
  fs::path dir = temp_folder("log");
  std::string error;
  auto page = [](int i, int version) {
    PageRecord p;
    p.page.rel_path = "posts/" + std::to_string(i) + ".md";
    p.page.source_hash = static_cast<uint64_t>(version);
    p.page.source_text = std::string(100, 'a' + static_cast<char>(version % 26));
    p.page.params = Value::map();
    return p;
  };
  std::vector<std::string> rels;
  for (int i = 0; i < 10; ++i) rels.push_back("posts/" + std::to_string(i) + ".md");
  auto save = [&](const SavedState* previous, int changed, int version) {
    StateWriter w;
    w.header.byline_version = "1";
    w.page_count = 10;
    w.write_page = [&](size_t i, BinaryWriter& out, const PageRef** kept) -> std::string_view {
      const std::string& rel = rels[i];
      if (previous && static_cast<int>(i) >= changed) {
        *kept = previous->page_ref(rel);
        if (*kept) return rel;
      }
      write_page_record(page(static_cast<int>(i), version), out);
      return rel;
    };
    return w.save(dir, previous, &error);
  };
  ASSERT_TRUE(save(nullptr, 10, 1)) << error;
  ASSERT_EQ(logs(dir).size(), 1u);
  fs::path first_log = logs(dir)[0];
  uintmax_t first_size = fs::file_size(first_log);

  auto check = [&](int changed, int version) {
    SavedState s;
    ASSERT_TRUE(s.load(dir));
    ASSERT_TRUE(s.load_rest());
    for (int i = 0; i < 10; ++i) {
      PageRecord p;
      ASSERT_TRUE(s.page("posts/" + std::to_string(i) + ".md", &p)) << i;
      EXPECT_EQ(p.page.source_hash, static_cast<uint64_t>(i < changed ? version : 1)) << i;
    }
  };
  {
    // One page changed: appended, the same log.
    SavedState previous;
    ASSERT_TRUE(previous.load(dir) && previous.load_rest());
    // As if a stopped build had appended after the end.
    std::ofstream(first_log, std::ios::binary | std::ios::app) << "torn record";
    ASSERT_TRUE(save(&previous, 1, 2)) << error;
  }
  ASSERT_EQ(logs(dir), std::vector<fs::path>{first_log});
  EXPECT_EQ(fs::file_size(first_log), first_size + first_size / 10);
  check(1, 2);
  // Most pages changed, twice: appended while at most half of the log is
  // records nothing points to, then a new log of only the records in use.
  for (int version : {3, 4}) {
    SavedState previous;
    ASSERT_TRUE(previous.load(dir) && previous.load_rest());
    ASSERT_TRUE(save(&previous, 8, version)) << error;
    ASSERT_EQ(logs(dir).size(), 1u);
    EXPECT_EQ(logs(dir)[0] == first_log, version == 3);
    check(8, version);
  }
  EXPECT_EQ(fs::file_size(logs(dir)[0]), first_size);
  fs::remove_all(dir);
}

// The files named `prefix`* in `folder`.
std::vector<fs::path> named(const fs::path& folder, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path());
  return out;
}

// A build that changed little writes only the keys' and outputs'
// difference from the base, which it leaves as it is: the state read back
// is the whole of what the build saved. A difference grown past a quarter
// of the base is folded into a new base, and the old one deleted.
TEST(SavedState, WritesTheKeysAndOutputsAsTheirDifferenceFromTheBase) {
  fs::path dir = temp_folder("delta");
  std::string error;
  std::vector<std::string> paths, recipes;
  for (int i = 0; i < 400; ++i) {
    paths.push_back("out/" + std::to_string(i) + ".html");
    recipes.push_back("page " + std::to_string(i));
  }
  std::vector<std::string> names;
  for (int i = 0; i < 300; ++i) names.push_back("key:" + std::to_string(i));
  std::vector<std::vector<uint32_t>> deps(400);
  for (uint32_t i = 0; i < 400; ++i) deps[i] = {i % 300, (i * 7) % 300};
  auto writer = [&](size_t outputs, size_t keys) {
    StateWriter w;
    w.header.byline_version = "1";
    for (size_t k = 0; k < keys; ++k) {
      w.keys.push_back(names[k]);
      w.fingerprints.push_back(k);
    }
    for (size_t i = 0; i < outputs; ++i) w.outputs.push_back({paths[i], recipes[i], i, deps[i]});
    return w;
  };
  StateWriter first = writer(400, 300);
  ASSERT_TRUE(first.save(dir, nullptr, &error)) << error;
  ASSERT_EQ(named(dir, "base-").size(), 1u);
  const fs::path base = named(dir, "base-")[0];
  const std::string base_bytes = read_file(base);

  // One output's bytes changed, one made from other keys, one gone, one
  // new from a key added; a key's fingerprint changed.
  names.push_back("key:new");
  paths.push_back("out/new.html");
  recipes.push_back("page new");
  deps.push_back({300, 1});
  {
    SavedState previous;
    ASSERT_TRUE(previous.load(dir) && previous.load_rest());
    StateWriter w = writer(400, 301);
    w.compact = false;
    w.fingerprints[5] = 555;
    w.outputs[10].hash = 1010;
    std::vector<uint32_t> other = {2, 3, 300};
    w.outputs[11].deps = other;
    w.outputs.erase(w.outputs.begin() + 12);
    w.outputs.push_back({paths[400], recipes[400], 400, deps[400]});
    // A kept output views its keys where the previous state holds them.
    w.outputs[0].deps = previous.find_output(paths[0])->deps;
    ASSERT_TRUE(w.save(dir, &previous, &error)) << error;
  }
  EXPECT_EQ(named(dir, "base-"), std::vector<fs::path>{base});
  EXPECT_EQ(read_file(base), base_bytes);
  EXPECT_LT(fs::file_size(dir / "state"), base_bytes.size() / 8);
  auto check = [&](const SavedState& s) {
    ASSERT_EQ(s.keys().size(), 301u);
    EXPECT_EQ(s.keys()[300], "key:new");
    EXPECT_EQ(s.fingerprints()[5], 555u);
    EXPECT_EQ(s.fingerprints()[6], 6u);
    ASSERT_EQ(s.outputs().size(), 400u);
    EXPECT_EQ(s.find_output(paths[12]), nullptr);
    EXPECT_EQ(s.find_output(paths[10])->hash, 1010u);
    EXPECT_EQ(std::vector<uint32_t>(s.find_output(paths[11])->deps.begin(),
                                    s.find_output(paths[11])->deps.end()),
              (std::vector<uint32_t>{2, 3, 300}));
    const SavedState::Output* added = s.find_output("out/new.html");
    ASSERT_NE(added, nullptr);
    EXPECT_EQ(s.keys()[added->deps[0]], "key:new");
    EXPECT_EQ(s.find_output(paths[399])->hash, 399u);
    EXPECT_EQ(s.keys()[s.find_output(paths[399])->deps[1]], names[(399 * 7) % 300]);
  };
  SavedState second;
  ASSERT_TRUE(second.load(dir) && second.load_rest());
  check(second);
  EXPECT_TRUE(second.find_output(paths[0])->in_base);
  EXPECT_FALSE(second.find_output(paths[10])->in_base);
  EXPECT_EQ(second.base_output(paths[10])->hash, 10u);
  EXPECT_EQ(second.base_output(paths[12])->hash, 12u);
  EXPECT_EQ(second.base_output("out/new.html"), nullptr);

  // The next build puts output 10 back as the base has it and output 12
  // back: the difference from the base shrinks again.
  {
    StateWriter w = writer(400, 301);
    w.compact = false;
    w.fingerprints[5] = 555;
    std::vector<uint32_t> other = {2, 3, 300};
    w.outputs[11].deps = other;
    w.outputs.push_back({paths[400], recipes[400], 400, deps[400]});
    ASSERT_TRUE(w.save(dir, &second, &error)) << error;
  }
  {
    SavedState third;
    ASSERT_TRUE(third.load(dir) && third.load_rest());
    EXPECT_EQ(third.outputs().size(), 401u);
    EXPECT_EQ(third.find_output(paths[10])->hash, 10u);
    EXPECT_TRUE(third.find_output(paths[10])->in_base);
    EXPECT_TRUE(third.find_output(paths[12])->in_base);
    EXPECT_EQ(third.delta_outputs(), 2u);  // output 11 and the new one
    EXPECT_EQ(named(dir, "base-"), std::vector<fs::path>{base});

    // Half the outputs made again: a new base, the old one deleted.
    StateWriter w = writer(401, 301);
    w.compact = false;
    for (size_t i = 0; i < 200; ++i) w.outputs[i].hash = 7;
    ASSERT_TRUE(w.save(dir, &third, &error)) << error;
  }
  ASSERT_EQ(named(dir, "base-").size(), 1u);
  EXPECT_NE(named(dir, "base-")[0], base);
  SavedState fourth;
  ASSERT_TRUE(fourth.load(dir) && fourth.load_rest());
  EXPECT_EQ(fourth.delta_outputs(), 0u);
  EXPECT_EQ(fourth.base_output_count(), 401u);
  EXPECT_EQ(fourth.find_output(paths[100])->hash, 7u);
  EXPECT_EQ(fourth.keys()[300], "key:new");

  // A state whose base is gone is not read.
  fs::remove(named(dir, "base-")[0]);
  SavedState orphan;
  EXPECT_TRUE(orphan.load(dir));
  EXPECT_FALSE(orphan.load_rest());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace byline
