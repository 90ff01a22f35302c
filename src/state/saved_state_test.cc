#include "state/saved_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace byline {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const char* name) {
  return fs::temp_directory_path() / ("byline-state-" + std::to_string(::getpid()) + "-" + name);
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
  p.rel_path = "posts/a.md";
  p.file_hash = 0xabcdef;
  p.inputs.push_back({"static/images/x.png", true, 99});
  p.inputs.push_back({"content/images/x.png", false, 0});
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.location.path = "site/content/posts/a.md";
  d.location.line = 7;
  d.location.column = 1;
  d.message = "image 'x'";
  d.source_line = "![x](/images/x.png)";
  p.diagnostics.push_back(d);
  p.front_matter = "---\ntitle: A\ntags: [x, y]\n---\n";
  p.body_line = 5;
  p.body_offset = p.front_matter.size();
  p.fields = Value::map();
  Value title = Value::string("A");
  title.line = 2;
  title.column = 8;
  p.fields.set("title", title);
  Value tags = Value::list({Value::string("x"), Value::string("y")});
  tags.line = 3;
  p.fields.set("tags", tags);
  p.fields.set("n", Value::number(1.5));
  p.fields.set("i", Value::integer(-3));
  p.fields.set("b", Value::boolean(true));
  p.fields.set("z", Value());
  p.summary_html = "<p>A</p>";
  p.summary_truncated = true;
  p.intro_html = "<p>intro</p>";
  p.article_offset = 12;
  p.correction_html = "fixed";
  p.word_count = 321;
  w.page_count = 1;
  w.write_page = [p](size_t, BinaryWriter& out) { write_page_record(p, out); };
  uint32_t k0 = w.intern("p:posts/a.md");
  uint32_t k1 = w.intern("t:post.html");
  EXPECT_EQ(w.intern("p:posts/a.md"), k0);
  w.fingerprints[k0] = 5;
  w.fingerprints[k1] = 6;
  w.outputs.push_back({"2019/08/a/index.html", "page posts/a.md", 1234, {k0, k1}});
  w.outputs.push_back({"robots.txt", "robots", 5, {}});
  return w;
}

TEST(SavedState, WritesAndReadsBack) {
  fs::path file = temp_file("roundtrip");
  std::string error;
  ASSERT_TRUE(sample().save(file, &error)) << error;
  SavedState s;
  ASSERT_TRUE(s.load(file));
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
  EXPECT_EQ(p.file_hash, 0xabcdefu);
  ASSERT_EQ(p.inputs.size(), 2u);
  EXPECT_EQ(p.inputs[1].path, "content/images/x.png");
  EXPECT_FALSE(p.inputs[1].exists);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(format_diagnostic(p.diagnostics[0]),
            "site/content/posts/a.md:7:1: warning: image 'x'\n  ![x](/images/x.png)\n  ^\n");
  EXPECT_EQ(p.front_matter, "---\ntitle: A\ntags: [x, y]\n---\n");
  EXPECT_EQ(p.body_line, 5);
  EXPECT_EQ(p.fields.to_json(),
            R"({"title":"A","tags":["x","y"],"n":1.5,"i":-3,"b":true,"z":null})");
  EXPECT_EQ(p.fields.find("title")->line, 2);
  EXPECT_EQ(p.fields.find("title")->column, 8);
  EXPECT_EQ(p.fields.find("tags")->line, 3);
  EXPECT_EQ(p.summary_html, "<p>A</p>");
  EXPECT_TRUE(p.summary_truncated);
  EXPECT_EQ(p.article_offset, 12u);
  EXPECT_EQ(p.word_count, 321u);

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
  fs::remove(file);
}

// A state cut short, with a byte changed, or of another format is not read:
// the next build is a full one.
TEST(SavedState, RefusesWhatItDidNotWriteWhole) {
  fs::path file = temp_file("damaged");
  std::string error;
  ASSERT_TRUE(sample().save(file, &error)) << error;
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto try_load = [&](const std::string& content) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    SavedState s;
    return s.load(file);
  };
  EXPECT_TRUE(try_load(bytes));
  EXPECT_FALSE(try_load(bytes.substr(0, bytes.size() / 2)));
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  EXPECT_FALSE(try_load(flipped));
  std::string other = bytes;
  other[8] = static_cast<char>(kStateFormat + 1);  // the format number
  EXPECT_FALSE(try_load(other));
  EXPECT_FALSE(try_load(""));
  fs::remove(file);
  SavedState none;
  EXPECT_FALSE(none.load(file));
}

}  // namespace
}  // namespace byline
