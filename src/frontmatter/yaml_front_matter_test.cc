// The one-line `key: value` reader against libyaml: whatever the plain
// reader accepts must decode to the same values at the same positions, and
// it must accept the shapes real front matter has (or the fast path would
// quietly stop applying).
#include "frontmatter/yaml_front_matter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "frontmatter/front_matter_writer.h"

namespace byline {
namespace {

// Describes the first difference between two decoded trees, or "".
std::string difference(const Value& a, const Value& b, const std::string& where) {
  auto at = [&](const Value& v) { return std::to_string(v.line) + ":" + std::to_string(v.column); };
  if (a.kind() != b.kind()) return where + ": kinds differ";
  if (a.line != b.line || a.column != b.column)
    return where + ": position " + at(a) + " against " + at(b);
  switch (a.kind()) {
    case Value::Kind::kNull:
      return "";
    case Value::Kind::kBool:
      return a.as_bool() == b.as_bool() ? "" : where + ": booleans differ";
    case Value::Kind::kInt:
      return a.as_int() == b.as_int() ? "" : where + ": integers differ";
    case Value::Kind::kFloat: {
      double x = a.as_float(), y = b.as_float();
      bool same = (std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0;
      return same ? "" : where + ": floats differ";
    }
    case Value::Kind::kString:
      return a.as_string() == b.as_string()
                 ? ""
                 : where + ": '" + a.as_string() + "' against '" + b.as_string() + "'";
    case Value::Kind::kList: {
      if (a.as_list().size() != b.as_list().size()) return where + ": list sizes differ";
      for (size_t i = 0; i < a.as_list().size(); ++i) {
        std::string d =
            difference(a.as_list()[i], b.as_list()[i], where + "[" + std::to_string(i) + "]");
        if (!d.empty()) return d;
      }
      return "";
    }
    case Value::Kind::kMap: {
      if (a.as_map().size() != b.as_map().size()) return where + ": map sizes differ";
      for (size_t i = 0; i < a.as_map().size(); ++i) {
        if (a.as_map()[i].first != b.as_map()[i].first) return where + ": keys differ";
        std::string d = difference(a.as_map()[i].second, b.as_map()[i].second,
                                   where + "." + a.as_map()[i].first);
        if (!d.empty()) return d;
      }
      return "";
    }
  }
  return "";
}

struct Outcome {
  bool plain = false;  // the plain reader took it
  std::string difference;
};

// Reads `text` (the lines between the delimiters) both ways.
Outcome compare(const std::string& text) {
  FrontMatterBlock block;
  block.path = "content/posts/p.md";
  block.file_text = text;
  block.text = text;
  Outcome o;
  Value plain;
  o.plain = decode_plain_yaml_front_matter(block, &plain);
  if (!o.plain) {
    EXPECT_TRUE(plain.is_null()) << "a refused block must leave its output alone:\n" << text;
    return o;
  }
  Value full;
  DiagnosticSink sink;
  if (!decode_yaml_front_matter_with_libyaml(block, &full, sink)) {
    o.difference = "libyaml refused what the plain reader took";
    return o;
  }
  o.difference = difference(plain, full, "$");
  return o;
}

void expect_same(const std::string& text, bool plain_expected) {
  Outcome o = compare(text);
  EXPECT_EQ(o.plain, plain_expected) << text;
  EXPECT_EQ(o.difference, "") << text;
}

TEST(PlainYamlReaderTest, ReadsTheCommonShapeAsLibyamlDoes) {
  // The bench corpus's and a typical post's front matter.
  expect_same(
      "title: \"Toqua corilkli vekka navek meni vigope\"\n"
      "date: 2019-07-09T15:24:36\n"
      "tags: [\"Tanso\", \"Quaqua\", \"Ostmur\", \"Penari\", \"Zoilk entgo\"]\n"
      "categories: [\"Analysis\", \"Commentary\"]\n"
      "outlet: \"The Weekly Observer\"\n"
      "original_url: https://news.example.com/2019/toqua-corilkli-vekka-6780\n"
      "original_date: 2019-07-01\n"
      "summary: \"[vekzoto](https://example.org/vekzoto) mosope: dorme # not a comment\"\n",
      true);
  expect_same(
      "title: Why the sanctions failed\n"
      "draft: false\n"
      "weight: 3\n"
      "ratio: 2.5\n"
      "nothing: null\n"
      "tilde: ~\n"
      "tags: [Russia, Energy policy, 2024]\n"
      "empty: []\n"
      "slug: 'why-the-sanctions-failed'\n",
      true);
  // Blank lines, extra spaces, trailing spaces, non-ASCII before list items
  // (columns count code points, as libyaml's do).
  expect_same(
      "\n"
      "title:    «Ça va» — déjà vu   \n"
      "\n"
      "tags: [\"Ünïcødé\",   \"日本語\" , Ωmega ]   \n"
      "author: \"Zoë Ŝmith\"\n",
      true);
  // The importer's own writing: every string double-quoted and escaped.
  FrontMatterWriter w;
  w.string("title", "She said \"no\" \\ then\tleft\nagain");
  w.string("excerpt", "Quotes ‘curly’ and ’apostrophes’, colons: and #hashes");
  w.string_list("tags", {"Foreign \"policy\"", "C:\\path", "plain"});
  w.boolean("draft", true);
  w.integer("wp_id", 4512);
  std::string written = w.finish();
  std::string inner = written.substr(4, written.size() - 8);  // between the --- lines
  expect_same(inner, true);
}

TEST(PlainYamlReaderTest, ResolvesScalarsAsTheCoreSchema) {
  for (const char* s : {"true",
                        "True",
                        "FALSE",
                        "null",
                        "NULL",
                        "~",
                        "0",
                        "-17",
                        "+3",
                        "0x1F",
                        "0o17",
                        "1e3",
                        "1.5E-2",
                        ".5",
                        "1.",
                        ".inf",
                        "-.Inf",
                        ".nan",
                        "9223372036854775808",
                        "2024-01-31",
                        "2024-01-31 10:00",
                        "yes",
                        "no",
                        "on",
                        "1_000",
                        "0b101",
                        "3.14.15",
                        "v1.2"})
    expect_same(std::string("v: ") + s + "\n", s[0] != '-');
  // In flow lists too.
  expect_same("v: [true, 0x1F, 1.5, null, ~, word]\n", true);
}

TEST(PlainYamlReaderTest, LeavesEverythingElseToLibyaml) {
  const char* refused[] = {
      // nesting and block lists
      "author:\n  name: A\n",
      "tags:\n- a\n- b\n",
      "tags:\n  - a\n",
      // multi-line scalars
      "summary: >\n  folded\n",
      "summary: |\n  literal\n",
      "title: first\n  continued\n",
      "title: \"open\n  quote\"\n",
      // comments
      "# a comment\ntitle: x\n",
      "title: x # trailing comment\n",
      "title: \"x\" # trailing comment\n",
      // anchors, aliases, tags, merge keys
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "<<: {a: 1}\n",
      // flow mappings and nested flow
      "a: {b: 1}\n",
      "a: [[1, 2]]\n",
      "a: [x: 1]\n",
      "a: [1, ]\n",
      "a: [1\n",
      // escapes beyond the simple ones, '' inside single quotes
      "a: \"\\u00e9\"\n",
      "a: \"\\x41\"\n",
      "a: \"\\/\"\n",
      "a: 'it''s'\n",
      // empty values, odd keys, document markers, directives
      "a:\n",
      "a: \n",
      "\"quoted key\": 1\n",
      "-a: 1\n",
      "a.b: 1\n",
      "---\na: 1\n",
      "%YAML 1.2\n",
      "...\n",
      // characters YAML treats specially
      "a: x\tb\n",
      "a: x\r\n",
      "a: line\xC2\x85"
      "break\n",
      "a: line\xE2\x80\xA8"
      "break\n",
      "a: \xEF\xBB\xBF"
      "bom\n",
      // mapping-looking and indicator-led plain scalars
      "a: b: c\n",
      "a: b:\n",
      "a: -5\n",
      "a: - x\n",
      "a: @x\n",
      "a: `x`\n",
      "a: |x\n",
      "a: %x\n",
      // duplicate keys (libyaml's path reports them)
      "a: 1\na: 2\n",
      // nothing at all
      "",
      "\n\n",
  };
  for (const char* text : refused) {
    Outcome o = compare(text);
    EXPECT_FALSE(o.plain) << text;
  }
}

// Every YAML front matter in the repository's sites and examples: each one
// the plain reader takes must match libyaml.
TEST(PlainYamlReaderTest, AgreesWithLibyamlOnTheRepositorysSites) {
  namespace fs = std::filesystem;
  size_t files = 0, plain = 0;
  for (const char* dir : {"examples", "tests/sites"}) {
    fs::path root = fs::path(BYLINE_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().extension() != ".md") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string text = ss.str();
      if (!text.starts_with("---\n")) continue;
      size_t end = text.find("\n---\n", 3);
      if (end == std::string::npos) continue;
      std::string inner = text.substr(4, end - 3);
      ++files;
      Outcome o = compare(inner);
      plain += o.plain;
      EXPECT_EQ(o.difference, "") << e.path();
    }
  }
  EXPECT_GT(files, 20u);
  // Most real front matter is the plain shape.
  EXPECT_GT(plain * 2, files) << plain << " of " << files;
}

}  // namespace
}  // namespace byline
