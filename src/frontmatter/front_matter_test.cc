// Tests for splitting posts into front matter and body and decoding YAML and
// TOML front matter, including the exact diagnostics for bad input.
#include "frontmatter/front_matter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "base/datetime.h"
#include "base/thread_pool.h"

namespace byline {
namespace {

// Holds the text so the FrontMatter's body view stays valid.
struct Parsed {
  std::string text;
  FrontMatter fm;
  bool ok = false;
  std::string diagnostics;
};

Parsed parse(std::string text, std::string_view path = "content/posts/p.md") {
  Parsed p;
  p.text = std::move(text);
  DiagnosticSink sink;
  p.ok = parse_front_matter(path, p.text, &p.fm, sink);
  for (const Diagnostic* d : sink.sorted()) p.diagnostics += format_diagnostic(*d);
  EXPECT_EQ(p.ok, !sink.has_errors());
  return p;
}

// The value of key `v` in a one-field YAML front matter.
Value yaml_scalar(const std::string& written) {
  Parsed p = parse("---\nv: " + written + "\n---\n");
  EXPECT_TRUE(p.ok) << written << "\n" << p.diagnostics;
  const Value* v = p.fm.fields.find("v");
  EXPECT_NE(v, nullptr) << written;
  return v ? *v : Value();
}

// ---- splitting ----

TEST(FrontMatterSplit, NoFrontMatterIsTheWholeBody) {
  Parsed p = parse("# Hello\n\nText.\n");
  EXPECT_TRUE(p.ok);
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kNone);
  EXPECT_TRUE(p.fm.fields.is_map());
  EXPECT_TRUE(p.fm.fields.as_map().empty());
  EXPECT_EQ(p.fm.body, "# Hello\n\nText.\n");
  EXPECT_EQ(p.fm.body_line, 1);
  EXPECT_EQ(p.diagnostics, "");
}

TEST(FrontMatterSplit, EmptyFileHasNoFrontMatter) {
  Parsed p = parse("");
  EXPECT_TRUE(p.ok);
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kNone);
  EXPECT_EQ(p.fm.body, "");
}

TEST(FrontMatterSplit, LinesThatOnlyLookLikeDelimitersAreBody) {
  for (const char* text : {"----\na: 1\n----\n", "--- a\nb\n---\n", " ---\na: 1\n---\n",
                           "++\na = 1\n++\n", "Text\n---\na: 1\n---\n"}) {
    Parsed p = parse(text);
    EXPECT_TRUE(p.ok);
    EXPECT_EQ(p.fm.format, FrontMatterFormat::kNone) << text;
    EXPECT_EQ(p.fm.body, text);
  }
}

TEST(FrontMatterSplit, BodyViewsIntoTheTextAfterTheClosingLine) {
  Parsed p = parse("---\ntitle: Hi\nweight: 3\n---\nFirst line of body.\n\nMore.\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kYaml);
  EXPECT_EQ(p.fm.body, "First line of body.\n\nMore.\n");
  EXPECT_EQ(p.fm.body.data(), p.text.data() + 28);
  EXPECT_EQ(p.fm.body_line, 5);
}

TEST(FrontMatterSplit, EmptyYamlFrontMatter) {
  Parsed p = parse("---\n---\nBody\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kYaml);
  EXPECT_TRUE(p.fm.fields.is_map());
  EXPECT_TRUE(p.fm.fields.as_map().empty());
  EXPECT_EQ(p.fm.body, "Body\n");
  EXPECT_EQ(p.fm.body_line, 3);
}

TEST(FrontMatterSplit, EmptyTomlFrontMatter) {
  Parsed p = parse("+++\n+++\nBody\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kToml);
  EXPECT_TRUE(p.fm.fields.as_map().empty());
  EXPECT_EQ(p.fm.body, "Body\n");
  EXPECT_EQ(p.fm.body_line, 3);
}

TEST(FrontMatterSplit, CommentsOnlyOrNullIsEmpty) {
  for (const char* text : {"---\n# just a comment\n\n---\n", "---\n~\n---\n"}) {
    Parsed p = parse(text);
    EXPECT_TRUE(p.ok) << p.diagnostics;
    EXPECT_TRUE(p.fm.fields.is_map());
    EXPECT_TRUE(p.fm.fields.as_map().empty()) << text;
  }
}

TEST(FrontMatterSplit, ClosingLineAtEndOfFileWithoutNewline) {
  Parsed p = parse("---\na: 1\n---");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), "{\"a\":1}");
  EXPECT_EQ(p.fm.body, "");
  EXPECT_EQ(p.fm.body_line, 4);
}

TEST(FrontMatterSplit, YamlMayCloseWithDots) {
  Parsed p = parse("---\na: 1\n...\n---\nbody\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), "{\"a\":1}");
  EXPECT_EQ(p.fm.body, "---\nbody\n");
  EXPECT_EQ(p.fm.body_line, 4);
}

TEST(FrontMatterSplit, TomlDoesNotCloseAtDashes) {
  Parsed p = parse("+++\na = \"x\"\n+++\n---\nb: 1\n---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), "{\"a\":\"x\"}");
  EXPECT_EQ(p.fm.body, "---\nb: 1\n---\n");
}

TEST(FrontMatterSplit, TrailingBlanksOnDelimiters) {
  Parsed p = parse("---  \na: 1\n--- \t\nbody");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kYaml);
  EXPECT_EQ(p.fm.fields.to_json(), "{\"a\":1}");
  EXPECT_EQ(p.fm.body, "body");
}

TEST(FrontMatterSplit, CrlfLineEndings) {
  Parsed p = parse(
      "---\r\ntitle: Hi\r\ntags:\r\n  - a\r\n  - b\r\ntext: |\r\n  x\r\n  y\r\n---\r\n"
      "Body\r\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), R"({"title":"Hi","tags":["a","b"],"text":"x\ny\n"})");
  EXPECT_EQ(p.fm.body, "Body\r\n");
  EXPECT_EQ(p.fm.body_line, 10);
  EXPECT_EQ(p.fm.fields.find("tags")->as_list()[1].line, 5);
}

TEST(FrontMatterSplit, CrlfToml) {
  Parsed p = parse("+++\r\ntitle = \"Hi\"\r\ntags = [\"a\"]\r\n+++\r\nBody\r\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), R"({"title":"Hi","tags":["a"]})");
  EXPECT_EQ(p.fm.body, "Body\r\n");
  EXPECT_EQ(p.fm.body_line, 5);
}

TEST(FrontMatterSplit, ByteOrderMarkIsSkipped) {
  Parsed p = parse("\xEF\xBB\xBF---\ntitle: Hi\n---\nBody\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kYaml);
  const Value* title = p.fm.fields.find("title");
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->as_string(), "Hi");
  EXPECT_EQ(title->line, 2);
  EXPECT_EQ(title->column, 8);
  EXPECT_EQ(p.fm.body, "Body\n");

  Parsed none = parse("\xEF\xBB\xBF# Heading\n");
  EXPECT_EQ(none.fm.format, FrontMatterFormat::kNone);
  EXPECT_EQ(none.fm.body, "# Heading\n");
}

TEST(FrontMatterSplit, ByteOrderMarkIsNotAColumnInDiagnostics) {
  Parsed p = parse("\xEF\xBB\xBF---\ntitle: a: b\n---\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics,
            "content/posts/p.md:2:9: error: invalid YAML: mapping values are not allowed in "
            "this context; quote a value that contains a colon: title: \"a: b\"\n"
            "  title: a: b\n"
            "          ^\n");
  Parsed open = parse("\xEF\xBB\xBF+++\n");
  EXPECT_EQ(open.diagnostics,
            "content/posts/p.md:1:1: error: front matter opened here is never closed (expected a "
            "closing '+++' line)\n"
            "  +++\n"
            "  ^\n");
}

// ---- YAML scalars ----

TEST(YamlFrontMatter, NullScalars) {
  for (const char* s : {"", "~", "null", "Null", "NULL"})
    EXPECT_TRUE(yaml_scalar(s).is_null()) << "'" << s << "'";
}

TEST(YamlFrontMatter, BooleanScalars) {
  for (const char* s : {"true", "True", "TRUE"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_bool()) << s;
    EXPECT_TRUE(v.as_bool());
  }
  for (const char* s : {"false", "False", "FALSE"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_bool()) << s;
    EXPECT_FALSE(v.as_bool());
  }
  // YAML 1.1 booleans are plain words in YAML 1.2.
  for (const char* s : {"yes", "no", "on", "off", "y", "tRUE", "nULL"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_string()) << s;
    EXPECT_EQ(v.as_string(), s);
  }
}

TEST(YamlFrontMatter, IntegerScalars) {
  struct Case {
    const char* text;
    int64_t value;
  };
  for (Case c : std::vector<Case>{{"0", 0},
                                  {"42", 42},
                                  {"-17", -17},
                                  {"+5", 5},
                                  {"007", 7},
                                  {"0x1F", 31},
                                  {"0xff", 255},
                                  {"0o17", 15},
                                  {"9223372036854775807", INT64_MAX},
                                  {"-9223372036854775808", INT64_MIN}}) {
    Value v = yaml_scalar(c.text);
    ASSERT_TRUE(v.is_int()) << c.text << " is " << Value::kind_name(v.kind());
    EXPECT_EQ(v.as_int(), c.value) << c.text;
  }
}

TEST(YamlFrontMatter, FloatScalars) {
  struct Case {
    const char* text;
    double value;
  };
  for (Case c : std::vector<Case>{{"1.5", 1.5},
                                  {"-0.25", -0.25},
                                  {".5", 0.5},
                                  {"1.", 1.0},
                                  {"1e3", 1000.0},
                                  {"6.02E+23", 6.02e23},
                                  {"+1.0e-2", 0.01},
                                  {"-.5e1", -5.0}}) {
    Value v = yaml_scalar(c.text);
    ASSERT_TRUE(v.is_float()) << c.text << " is " << Value::kind_name(v.kind());
    EXPECT_DOUBLE_EQ(v.as_float(), c.value) << c.text;
  }
  for (const char* s : {".inf", ".Inf", ".INF", "+.inf"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_float()) << s;
    EXPECT_TRUE(std::isinf(v.as_float()) && v.as_float() > 0) << s;
  }
  for (const char* s : {"-.inf", "-.Inf", "-.INF"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_float()) << s;
    EXPECT_TRUE(std::isinf(v.as_float()) && v.as_float() < 0) << s;
  }
  for (const char* s : {".nan", ".NaN", ".NAN"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_float()) << s;
    EXPECT_TRUE(std::isnan(v.as_float())) << s;
  }
}

TEST(YamlFrontMatter, EverythingElseIsAString) {
  for (const char* s : {"2019-08-01",
                        "2008-01-01T09:00:00",
                        "2019-08-01 09:30:00 +02:00",
                        "12:30",
                        "1.2.3",
                        "hello world",
                        "1_000",
                        "1,000",
                        "0x",
                        "0xG1",
                        "-0x10",
                        "0o8",
                        "0b101",
                        "e5",
                        "1e",
                        "1e+",
                        ".",
                        "+",
                        "-.nan",
                        ".infinity",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "1e999",
                        "3 apples",
                        "Ünïcödé",
                        "https://example.com/a?b=c#d"}) {
    Value v = yaml_scalar(s);
    ASSERT_TRUE(v.is_string()) << s << " is " << Value::kind_name(v.kind());
    EXPECT_EQ(v.as_string(), s);
  }
}

TEST(YamlFrontMatter, QuotedAndTaggedScalarsAreStrings) {
  struct Case {
    const char* written;
    const char* value;
  };
  for (Case c : std::vector<Case>{{"'42'", "42"},
                                  {"\"true\"", "true"},
                                  {"'~'", "~"},
                                  {"\"\"", ""},
                                  {"''", ""},
                                  {"'it''s'", "it's"},
                                  {"\"tab\\there \\u00e9 \\\"q\\\"\"", "tab\there \xC3\xA9 \"q\""},
                                  {"!!str 42", "42"},
                                  {"!!str", ""},
                                  {"! true", "true"}}) {
    Value v = yaml_scalar(c.written);
    ASSERT_TRUE(v.is_string()) << c.written << " is " << Value::kind_name(v.kind());
    EXPECT_EQ(v.as_string(), c.value) << c.written;
  }
}

TEST(YamlFrontMatter, KeysAreNamesWhateverTheyLookLike) {
  Parsed p = parse("---\n1: a\ntrue: b\n~: c\n\"quoted key\": d\n---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), R"({"1":"a","true":"b","~":"c","quoted key":"d"})");
}

// ---- YAML structure ----

TEST(YamlFrontMatter, KeysKeepTheirWrittenOrder) {
  Parsed p = parse("---\nzeta: 1\nalpha: 2\nmid: 3\n---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), R"({"zeta":1,"alpha":2,"mid":3})");
}

TEST(YamlFrontMatter, FlowAndBlockLists) {
  Parsed p = parse(
      "---\n"
      "tags: [Russia, \"Energy policy\", 3]\n"
      "aliases:\n"
      "  - /old/one/\n"
      "  - /old/two/\n"
      "nested:\n"
      "- [a, b]\n"
      "- - c\n"
      "  - {d: 1}\n"
      "empty: []\n"
      "---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"tags":["Russia","Energy policy",3],"aliases":["/old/one/","/old/two/"],)"
            R"("nested":[["a","b"],["c",{"d":1}]],"empty":[]})");
  const Value& tags = *p.fm.fields.find("tags");
  EXPECT_EQ(tags.line, 2);
  EXPECT_EQ(tags.column, 7);
  EXPECT_EQ(tags.as_list()[1].line, 2);
  EXPECT_EQ(tags.as_list()[1].column, 16);
  const Value& aliases = *p.fm.fields.find("aliases");
  EXPECT_EQ(aliases.line, 4);
  EXPECT_EQ(aliases.column, 3);
  EXPECT_EQ(aliases.as_list()[1].line, 5);
  EXPECT_EQ(aliases.as_list()[1].column, 5);
}

TEST(YamlFrontMatter, NestedMaps) {
  Parsed p = parse(
      "---\n"
      "title: Pipelines\n"
      "params:\n"
      "  outlet:\n"
      "    name: The Morning Ledger\n"
      "    page: 7\n"
      "  inline: {a: 1, b: [x]}\n"
      "---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"title":"Pipelines","params":{"outlet":{"name":"The Morning Ledger","page":7},)"
            R"("inline":{"a":1,"b":["x"]}}})");
  EXPECT_EQ(p.fm.fields.line, 2);
  EXPECT_EQ(p.fm.fields.column, 1);
  const Value& outlet = *p.fm.fields.find("params")->find("outlet");
  EXPECT_EQ(outlet.line, 5);
  EXPECT_EQ(outlet.column, 5);
  EXPECT_EQ(outlet.find("page")->line, 6);
  EXPECT_EQ(outlet.find("page")->column, 11);
  const Value& inline_map = *p.fm.fields.find("params")->find("inline");
  EXPECT_EQ(inline_map.line, 7);
  EXPECT_EQ(inline_map.column, 11);
}

TEST(YamlFrontMatter, MultiLineStrings) {
  Parsed p = parse(
      "---\n"
      "literal: |\n"
      "  line one\n"
      "    indented\n"
      "  line three\n"
      "folded: >\n"
      "  folded\n"
      "  text\n"
      "\n"
      "  new paragraph\n"
      "strip: |-\n"
      "  no newline\n"
      "keep: |+\n"
      "  kept\n"
      "\n"
      "plain: a plain\n"
      "  scalar over lines\n"
      "quoted: \"a quoted\n"
      "  scalar\"\n"
      "block_number: |\n"
      "  42\n"
      "---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  const Value& f = p.fm.fields;
  EXPECT_EQ(f.find("literal")->as_string(), "line one\n  indented\nline three\n");
  EXPECT_EQ(f.find("folded")->as_string(), "folded text\nnew paragraph\n");
  EXPECT_EQ(f.find("strip")->as_string(), "no newline");
  EXPECT_EQ(f.find("keep")->as_string(), "kept\n\n");
  EXPECT_EQ(f.find("plain")->as_string(), "a plain scalar over lines");
  EXPECT_EQ(f.find("quoted")->as_string(), "a quoted scalar");
  EXPECT_EQ(f.find("block_number")->as_string(), "42\n");
  EXPECT_EQ(f.find("literal")->line, 2);
  EXPECT_EQ(f.find("literal")->column, 10);
}

TEST(YamlFrontMatter, AnchorsAndAliasesCopyValues) {
  Parsed p = parse(
      "---\n"
      "base: &outlet\n"
      "  name: Harbour Post\n"
      "  tags: [a, b]\n"
      "copy: *outlet\n"
      "who: &me Jane Doe\n"
      "author: *me\n"
      "*me : the key came from an alias\n"
      "list: [&n 5, *n]\n"
      "---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"base":{"name":"Harbour Post","tags":["a","b"]},)"
            R"("copy":{"name":"Harbour Post","tags":["a","b"]},"who":"Jane Doe",)"
            R"("author":"Jane Doe","Jane Doe":"the key came from an alias","list":[5,5]})");
  // A copy sits where the alias is; what it holds is located where written.
  const Value& copy = *p.fm.fields.find("copy");
  EXPECT_EQ(copy.line, 5);
  EXPECT_EQ(copy.column, 7);
  EXPECT_EQ(copy.find("name")->line, 3);
  const Value& author = *p.fm.fields.find("author");
  EXPECT_EQ(author.line, 7);
  EXPECT_EQ(author.column, 9);
  EXPECT_TRUE(p.fm.fields.find("list")->as_list()[1].is_int());
}

TEST(YamlFrontMatter, LaterAnchorWithTheSameNameWins) {
  Parsed p = parse("---\na: &x 1\nb: &x 2\nc: *x\n---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(), R"({"a":1,"b":2,"c":2})");
}

TEST(YamlFrontMatter, MergeKeys) {
  Parsed p = parse(
      "---\n"
      "defaults: &d {outlet: Harbour Post, draft: true, page: 1}\n"
      "more: &m {page: 9, section: World}\n"
      "after:\n"
      "  <<: *d\n"
      "  draft: false\n"
      "before:\n"
      "  page: 2\n"
      "  <<: *d\n"
      "both:\n"
      "  <<: [*d, *m]\n"
      "\"<<\": a quoted key is just a key\n"
      "---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  const Value& f = p.fm.fields;
  EXPECT_EQ(f.find("after")->to_json(), R"({"outlet":"Harbour Post","draft":false,"page":1})");
  EXPECT_EQ(f.find("before")->to_json(), R"({"page":2,"outlet":"Harbour Post","draft":true})");
  EXPECT_EQ(f.find("both")->to_json(),
            R"({"outlet":"Harbour Post","draft":true,"page":1,"section":"World"})");
  EXPECT_EQ(f.find("<<")->as_string(), "a quoted key is just a key");
  EXPECT_EQ(f.find("after")->find("draft")->line, 6);
}

TEST(YamlFrontMatter, ColumnsCountCodePointsAndLinesCountNewlinesOnly) {
  // U+2028 is a line break to libyaml but not to editors or diagnostics.
  Parsed p = parse("---\ntitle: \"é\xE2\x80\xA8ü\"\nnext: x\n---\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.find("title")->as_string(), "é\xE2\x80\xA8ü");
  EXPECT_EQ(p.fm.fields.find("next")->line, 3);
  EXPECT_EQ(p.fm.fields.find("next")->column, 7);

  Parsed bad = parse("---\nélan: \"é\xE2\x80\xA8\"\nb: c: d\n---\n");
  EXPECT_EQ(bad.diagnostics,
            "content/posts/p.md:3:5: error: invalid YAML: mapping values are not allowed in this "
            "context; quote a value that contains a colon: b: \"c: d\"\n"
            "  b: c: d\n"
            "      ^\n");
}

TEST(YamlFrontMatter, CorpusShapedPost) {
  // The shape /work/shared/bench/gen_corpus.py writes for a republished post.
  Parsed p = parse(
      "---\n"
      "title: \"Vekdor sil \\\"murent\\\" kari\"\n"
      "date: 2008-01-01T09:00:00\n"
      "tags: [\"A\", \"B c\"]\n"
      "categories: [\"Analysis\", \"Republished\"]\n"
      "outlet: \"The Morning Ledger\"\n"
      "original_url: https://news.example.com/2008/vekdor-sil-murent-kari-1\n"
      "original_date: 2007-12-28\n"
      "summary: \"Kari tosi vek, [dor](https://example.org/dor) ilk.\"\n"
      "---\n"
      "Body paragraph.\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"title":"Vekdor sil \"murent\" kari","date":"2008-01-01T09:00:00",)"
            R"("tags":["A","B c"],"categories":["Analysis","Republished"],)"
            R"("outlet":"The Morning Ledger",)"
            R"("original_url":"https://news.example.com/2008/vekdor-sil-murent-kari-1",)"
            R"("original_date":"2007-12-28",)"
            R"("summary":"Kari tosi vek, [dor](https://example.org/dor) ilk."})");
  EXPECT_EQ(p.fm.body, "Body paragraph.\n");
  EXPECT_EQ(p.fm.body_line, 11);
  const Value& date = *p.fm.fields.find("date");
  EXPECT_EQ(date.line, 3);
  EXPECT_EQ(date.column, 7);
  std::optional<DateTime> parsed = parse_datetime(date.as_string());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(to_rfc3339(*parsed), "2008-01-01T09:00:00Z");
}

// ---- YAML errors ----

TEST(YamlFrontMatterErrors, NeverClosed) {
  EXPECT_EQ(parse("---\ntitle: x\n\nBody text\n").diagnostics,
            "content/posts/p.md:1:1: error: front matter opened here is never closed (expected a "
            "closing '---' line)\n"
            "  ---\n"
            "  ^\n");
  Parsed only_opening = parse("---");
  EXPECT_FALSE(only_opening.ok);
  EXPECT_EQ(only_opening.diagnostics,
            "content/posts/p.md:1:1: error: front matter opened here is never closed (expected a "
            "closing '---' line)\n"
            "  ---\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, MappingValueInPlainScalar) {
  // An unquoted colon in a title: the message shows the line as it should be.
  Parsed p = parse("---\ntitle: Russia: the view from Kyiv\n---\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics,
            "content/posts/p.md:2:14: error: invalid YAML: mapping values are not allowed in this "
            "context; quote a value that contains a colon: title: \"Russia: the view from "
            "Kyiv\"\n"
            "  title: Russia: the view from Kyiv\n"
            "               ^\n");
  // Quotes and backslashes in the value are escaped, a comment is left out,
  // and so is the indentation; a list item keeps its dash.
  Parsed escaped = parse("---\nx:\n  y: Yes or \"no\": a\\b  # note\n---\n");
  EXPECT_NE(escaped.diagnostics.find("contains a colon: y: \"Yes or \\\"no\\\": a\\\\b\"\n"),
            std::string::npos)
      << escaped.diagnostics;
  Parsed item = parse("---\nx:\n  - a: b: c\n---\n");
  EXPECT_NE(item.diagnostics.find("contains a colon: - a: \"b: c\"\n"), std::string::npos)
      << item.diagnostics;
  // A value that starts with a quote or bracket gets the advice alone.
  Parsed flow = parse("---\nx: [a]: b\n---\n");
  EXPECT_EQ(flow.diagnostics.find("contains a colon:"), std::string::npos) << flow.diagnostics;
}

TEST(YamlFrontMatterErrors, UnclosedFlowList) {
  EXPECT_EQ(parse("---\ntags: [a, b\ndate: 2019-01-01\n---\n").diagnostics,
            "content/posts/p.md:3:5: error: invalid YAML: did not find expected ',' or ']' (while "
            "parsing a flow sequence started at line 2)\n"
            "  date: 2019-01-01\n"
            "      ^\n");
}

TEST(YamlFrontMatterErrors, UnterminatedQuotePointsAtTheQuote) {
  EXPECT_EQ(parse("---\ntitle: \"abc\ndate: 2019\n---\n").diagnostics,
            "content/posts/p.md:2:8: error: invalid YAML: found unexpected end of the front "
            "matter while scanning a quoted scalar\n"
            "  title: \"abc\n"
            "         ^\n");
}

TEST(YamlFrontMatterErrors, MissingColonPointsAtTheKey) {
  EXPECT_EQ(parse("---\ntitle: x\n[draft]\nweight: 1\n---\n").diagnostics,
            "content/posts/p.md:3:1: error: invalid YAML: could not find expected ':' while "
            "scanning a simple key\n"
            "  [draft]\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, TabIndentation) {
  EXPECT_EQ(parse("---\ntags:\n\t- a\n---\n").diagnostics,
            "content/posts/p.md:3:1: error: invalid YAML: tabs cannot indent YAML; use spaces\n"
            "  \t- a\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, ControlCharacter) {
  EXPECT_EQ(parse("---\ntitle: a\x01z\n---\n").diagnostics,
            "content/posts/p.md:2:9: error: invalid YAML: control characters are not allowed\n"
            "  title: a\x01z\n"
            "          ^\n");
}

TEST(YamlFrontMatterErrors, TopLevelMustBeAMapping) {
  EXPECT_EQ(parse("---\n- a\n- b\n---\n").diagnostics,
            "content/posts/p.md:2:1: error: front matter must be a mapping of keys to values, not "
            "a list\n"
            "  - a\n"
            "  ^\n");
  EXPECT_EQ(parse("---\nJust a sentence.\n---\n").diagnostics,
            "content/posts/p.md:2:1: error: front matter must be a mapping of keys to values, not "
            "a string\n"
            "  Just a sentence.\n"
            "  ^\n");
  EXPECT_EQ(parse("---\n  42\n---\n").diagnostics,
            "content/posts/p.md:2:3: error: front matter must be a mapping of keys to values, not "
            "an integer\n"
            "    42\n"
            "    ^\n");
}

TEST(YamlFrontMatterErrors, KeysMustBeScalars) {
  EXPECT_EQ(parse("---\ntitle: x\n[a, b]: 1\n---\n").diagnostics,
            "content/posts/p.md:3:1: error: a key must be a string, not a list\n"
            "  [a, b]: 1\n"
            "  ^\n");
  EXPECT_EQ(parse("---\n? {a: 1}\n: x\n---\n").diagnostics,
            "content/posts/p.md:2:3: error: a key must be a string, not a mapping\n"
            "  ? {a: 1}\n"
            "    ^\n");
  EXPECT_EQ(parse("---\nl: &l [1]\n*l : x\n---\n").diagnostics,
            "content/posts/p.md:3:1: error: a key must be a string, not a list\n"
            "  *l : x\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, DuplicateKeysAreAllReported) {
  Parsed p = parse(
      "---\n"
      "title: First\n"
      "date: 2019-08-01\n"
      "params:\n"
      "  a: 1\n"
      "  a: 2\n"
      "title: Second\n"
      "---\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics,
            "content/posts/p.md:6:3: error: duplicate key 'a' (first defined at line 5)\n"
            "    a: 2\n"
            "    ^\n"
            "content/posts/p.md:7:1: error: duplicate key 'title' (first defined at line 2)\n"
            "  title: Second\n"
            "  ^\n");
  // The first definition is kept.
  EXPECT_EQ(p.fm.fields.find("title")->as_string(), "First");
}

TEST(YamlFrontMatterErrors, DuplicateKeysInALargeMap) {
  std::string text = "---\n";
  for (int i = 0; i < 100; ++i) {
    std::string n = std::to_string(i);
    text.append("k").append(n).append(": ").append(n).append("\n");
  }
  text += "k42: again\n---\n";
  EXPECT_EQ(parse(text).diagnostics,
            "content/posts/p.md:102:1: error: duplicate key 'k42' (first defined at line 44)\n"
            "  k42: again\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, MergeKeys) {
  EXPECT_EQ(parse("---\nd: &d {a: 1}\nm:\n  <<: *d\n  a: 2\n  a: 3\n---\n").diagnostics,
            "content/posts/p.md:6:3: error: duplicate key 'a' (first defined at line 5)\n"
            "    a: 3\n"
            "    ^\n");
  EXPECT_EQ(parse("---\nm:\n  <<: just text\n---\n").diagnostics,
            "content/posts/p.md:3:7: error: a merge key '<<' takes a mapping or a list of "
            "mappings, not a string\n"
            "    <<: just text\n"
            "        ^\n");
  EXPECT_EQ(parse("---\nd: &d {a: 1}\nm:\n  <<: [*d, 5]\n---\n").diagnostics,
            "content/posts/p.md:4:12: error: a merge key '<<' takes a mapping or a list of "
            "mappings, not a list holding an integer\n"
            "    <<: [*d, 5]\n"
            "             ^\n");
}

TEST(YamlFrontMatterErrors, SecondDocument) {
  EXPECT_EQ(parse("---\ntitle: x\n--- # another\ny: 1\n---\n").diagnostics,
            "content/posts/p.md:3:1: error: front matter must be one YAML document (a second one "
            "starts here)\n"
            "  --- # another\n"
            "  ^\n");
}

TEST(YamlFrontMatterErrors, UnknownAndSelfReferringAliases) {
  EXPECT_EQ(parse("---\nauthor: *me\nwho: &me Jane\n---\n").diagnostics,
            "content/posts/p.md:2:9: error: alias '*me' has no anchor '&me' before it\n"
            "  author: *me\n"
            "          ^\n");
  EXPECT_EQ(parse("---\nloop: &l [1, *l]\n---\n").diagnostics,
            "content/posts/p.md:2:14: error: alias '*l' refers to a value that contains it\n"
            "  loop: &l [1, *l]\n"
            "               ^\n");
}

TEST(YamlFrontMatterErrors, AliasExpansionIsBounded) {
  // Each level doubles the copies: 2^22 values from a few short lines. The
  // copies made so far pass the limit at the second alias of level 14.
  std::string text = "---\nl0: &l0 [x, x]\n";
  for (int i = 1; i <= 20; ++i) {
    std::string n = std::to_string(i), prev = std::to_string(i - 1);
    text.append("l").append(n).append(": &l").append(n);
    text.append(" [*l").append(prev).append(", *l").append(prev).append("]\n");
  }
  text += "---\n";
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics,
            "content/posts/p.md:16:18: error: aliases expand to more than 100000 values\n"
            "  l14: &l14 [*l13, *l13]\n"
            "                   ^\n");
}

TEST(YamlFrontMatterErrors, AliasCopiesAreBudgetedByBytes) {
  // A 1 MiB string aliased 5,000 times took 5.2 GB: few values, big copies.
  // 64 KiB copied 300 times passes 16 MiB at the 256th alias (line 259).
  std::string text = "---\nbig: &a " + std::string(64 << 10, 'x') + "\nlist:\n";
  for (int i = 0; i < 300; ++i) text += "  - *a\n";
  text += "---\n";
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok);
  const std::string first = p.diagnostics.substr(0, p.diagnostics.find('\n'));
  EXPECT_EQ(first,
            "content/posts/p.md:259:5: error: aliases expand to more than 16 MiB of copies "
            "(this one copies " +
                std::to_string((64 << 10) + sizeof(Value)) +
                " bytes); write the value out where it is needed, or shorten it");

  // Under the budget, every alias is a copy.
  std::string fine = "---\nbig: &a " + std::string(64 << 10, 'x') + "\nlist:\n";
  for (int i = 0; i < 200; ++i) fine += "  - *a\n";
  fine += "---\n";
  Parsed ok = parse(fine);
  ASSERT_TRUE(ok.ok) << ok.diagnostics;
  ASSERT_EQ(ok.fm.fields.find("list")->as_list().size(), 200u);
  EXPECT_EQ(ok.fm.fields.find("list")->as_list()[199].as_string().size(), size_t{64} << 10);
}

TEST(YamlFrontMatterErrors, AliasKeysCountTowardTheBudget) {
  // An anchored 1 MiB scalar used as a key through aliases copies its text:
  // the 17th copy (line 19) passes 16 MiB.
  std::string text = "---\nk: &a " + std::string(1 << 20, 'k') + "\n";
  for (int i = 0; i < 20; ++i) text += "m" + std::to_string(i) + ": {*a : 1}\n";
  text += "---\n";
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.diagnostics.find("content/posts/p.md:19:7: error: aliases expand to more than 16 "
                               "MiB of copies (this one copies 1048576 bytes)"),
            std::string::npos)
      << p.diagnostics.substr(0, 200);
}

TEST(YamlFrontMatterErrors, NestingIsBounded) {
  std::string text = "---\ndeep: " + std::string(300, '[') + std::string(300, ']') + "\n---\n";
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics.substr(0, p.diagnostics.find('\n')),
            "content/posts/p.md:2:262: error: front matter nests more than 256 levels deep");

  std::string fine = "---\ndeep: " + std::string(255, '[') + std::string(255, ']') + "\n---\n";
  EXPECT_TRUE(parse(fine).ok);
}

// ---- TOML ----

TEST(TomlFrontMatter, AllKinds) {
  Parsed p = parse(
      "+++\n"
      "title = \"Pipelines\"\n"
      "literal = 'C:\\path'\n"
      "weight = -3\n"
      "hex = 0xff\n"
      "ratio = 0.5\n"
      "draft = true\n"
      "tags = [\"Russia\", \"Energy policy\"]\n"
      "mixed = [[1, 2], [\"a\"]]\n"
      "inline = { outlet = \"Harbour Post\", page = 7 }\n"
      "multi = \"\"\"\n"
      "two\n"
      "lines\"\"\"\n"
      "+++\n"
      "Body\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.format, FrontMatterFormat::kToml);
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"title":"Pipelines","literal":"C:\\path","weight":-3,"hex":255,"ratio":0.5,)"
            R"("draft":true,"tags":["Russia","Energy policy"],)"
            R"("mixed":[[1,2],["a"]],"inline":{"outlet":"Harbour Post","page":7},)"
            R"("multi":"two\nlines"})");
  EXPECT_EQ(p.fm.body, "Body\n");
  EXPECT_EQ(p.fm.body_line, 15);
  EXPECT_TRUE(p.fm.fields.find("ratio")->is_float());
  EXPECT_TRUE(p.fm.fields.find("weight")->is_int());
  const Value& tags = *p.fm.fields.find("tags");
  EXPECT_EQ(tags.line, 8);
  EXPECT_EQ(tags.column, 8);
  EXPECT_EQ(tags.as_list()[1].line, 8);
  EXPECT_EQ(tags.as_list()[1].column, 19);
  EXPECT_EQ(p.fm.fields.find("title")->line, 2);
  EXPECT_EQ(p.fm.fields.find("title")->column, 9);
}

TEST(TomlFrontMatter, SpecialFloats) {
  Parsed p = parse("+++\na = inf\nb = -inf\nc = nan\nd = 6.02e23\ne = 1e-3\n+++\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_TRUE(std::isinf(p.fm.fields.find("a")->as_float()));
  EXPECT_LT(p.fm.fields.find("b")->as_float(), 0);
  EXPECT_TRUE(std::isnan(p.fm.fields.find("c")->as_float()));
  EXPECT_DOUBLE_EQ(p.fm.fields.find("d")->as_float(), 6.02e23);
  EXPECT_DOUBLE_EQ(p.fm.fields.find("e")->as_float(), 0.001);
}

TEST(TomlFrontMatter, DatesAndTimesBecomeIsoStrings) {
  Parsed p = parse(
      "+++\n"
      "date = 2019-08-01\n"
      "offset = 2019-08-01T09:30:00+02:00\n"
      "negative = 2019-08-01T09:30:00-05:30\n"
      "utc = 2019-08-01T09:30:00Z\n"
      "local = 2019-08-01T09:30:00\n"
      "space = 2019-08-01 09:30:00\n"
      "fraction = 1979-05-27T00:32:00.999999-07:00\n"
      "time = 07:32:00\n"
      "+++\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"date":"2019-08-01","offset":"2019-08-01T09:30:00+02:00",)"
            R"("negative":"2019-08-01T09:30:00-05:30","utc":"2019-08-01T09:30:00Z",)"
            R"("local":"2019-08-01T09:30:00","space":"2019-08-01T09:30:00",)"
            R"("fraction":"1979-05-27T00:32:00.999999-07:00","time":"07:32:00"})");
  // Later stages read them as dates.
  for (const char* key : {"date", "offset", "negative", "utc", "local", "fraction"}) {
    std::string error;
    EXPECT_TRUE(parse_datetime(p.fm.fields.find(key)->as_string(), &error).has_value())
        << key << ": " << error;
  }
  EXPECT_EQ(to_rfc3339(*parse_datetime(p.fm.fields.find("offset")->as_string())),
            "2019-08-01T09:30:00+02:00");
  EXPECT_EQ(p.fm.fields.find("offset")->line, 3);
  EXPECT_EQ(p.fm.fields.find("offset")->column, 10);
}

TEST(TomlFrontMatter, TablesAndArraysOfTablesInWrittenOrder) {
  Parsed p = parse(
      "+++\n"
      "title = \"Z first\"\n"
      "author.name = \"Jane\"\n"
      "author.email = \"j@example.com\"\n"
      "\n"
      "[params]\n"
      "zeta = 1\n"
      "alpha = 2\n"
      "\n"
      "[[appearances]]\n"
      "outlet = \"Radio Meridian\"\n"
      "date = 2019-08-01\n"
      "\n"
      "[[appearances]]\n"
      "outlet = \"City Standard\"\n"
      "\n"
      "[params.deeper]\n"
      "x = [1]\n"
      "+++\n");
  ASSERT_TRUE(p.ok) << p.diagnostics;
  EXPECT_EQ(p.fm.fields.to_json(),
            R"({"title":"Z first","author":{"name":"Jane","email":"j@example.com"},)"
            R"("params":{"zeta":1,"alpha":2,"deeper":{"x":[1]}},)"
            R"("appearances":[{"outlet":"Radio Meridian","date":"2019-08-01"},)"
            R"({"outlet":"City Standard"}]})");
  const Value& appearances = *p.fm.fields.find("appearances");
  ASSERT_TRUE(appearances.is_list());
  EXPECT_EQ(appearances.as_list()[1].find("outlet")->line, 15);
  EXPECT_EQ(appearances.as_list()[1].find("outlet")->column, 10);
  EXPECT_EQ(p.fm.fields.find("params")->find("alpha")->line, 8);
}

TEST(TomlFrontMatter, NeverClosed) {
  EXPECT_EQ(parse("+++\ntitle = \"x\"\n---\n").diagnostics,
            "content/posts/p.md:1:1: error: front matter opened here is never closed (expected a "
            "closing '+++' line)\n"
            "  +++\n"
            "  ^\n");
}

TEST(TomlFrontMatter, SyntaxErrors) {
  EXPECT_EQ(parse("+++\ntitle = \"x\"\ndate =\n+++\n").diagnostics,
            "content/posts/p.md:3:7: error: invalid TOML: error while parsing key-value pair: "
            "expected value, saw '\\n'\n"
            "  date =\n"
            "        ^\n");
  EXPECT_EQ(parse("+++\ntitle = \"Kyiv\" later\n+++\n").diagnostics,
            "content/posts/p.md:2:16: error: invalid TOML: error while parsing key-value pair: "
            "expected a comment or whitespace, saw 'l'\n"
            "  title = \"Kyiv\" later\n"
            "                 ^\n");
  EXPECT_EQ(parse("+++\nweight = 1\nweight = 2\n+++\n").diagnostics,
            "content/posts/p.md:3:10: error: invalid TOML: error while parsing key-value pair: "
            "cannot redefine existing integer 'weight'\n"
            "  weight = 2\n"
            "           ^\n");
}

TEST(TomlFrontMatter, ColumnsCountCodePoints) {
  EXPECT_EQ(parse("\xEF\xBB\xBF+++\ntitle = \"Ünïcödé\" x\n+++\n").diagnostics,
            "content/posts/p.md:2:19: error: invalid TOML: error while parsing key-value pair: "
            "expected a comment or whitespace, saw 'x'\n"
            "  title = \"Ünïcödé\" x\n"
            "                    ^\n");
}

TEST(TomlFrontMatter, DottedKeysAndNestingAreBoundedBeforeTomlxx) {
  // 20,000 parts overflowed the stack inside toml++.
  std::string key;
  for (int i = 0; i < 20000; ++i) key += (i ? ".k" : "k") + std::to_string(i);
  Parsed p = parse("+++\ntitle = \"x\"\n" + key + " = 1\n+++\n");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.diagnostics.substr(0, p.diagnostics.find('\n')),
            "content/posts/p.md:3:1: error: this key nests tables more than 128 levels deep "
            "(each part of a dotted key and each array is a level)");

  // A table header's parts count with the keys under it.
  std::string header = "[t";
  for (int i = 0; i < 100; ++i) header += ".t" + std::to_string(i);
  std::string under = "k";
  for (int i = 0; i < 40; ++i) under += ".k" + std::to_string(i);
  EXPECT_EQ(
      parse("+++\n" + header + "]\nok = 1\n" + under + " = 2\n+++\n").diagnostics.substr(0, 50),
      "content/posts/p.md:4:1: error: this key nests tabl");

  // Arrays and inline tables, located at the bracket that goes too deep.
  const std::string arrays =
      parse("+++\nx = " + std::string(500, '[') + std::string(500, ']') + "\n+++\n").diagnostics;
  EXPECT_EQ(arrays.substr(0, arrays.find(" nests")), "content/posts/p.md:2:132: error: this array");
  std::string inline_tables;
  for (int i = 0; i < 200; ++i) inline_tables += "{a = ";
  // Each inline table's key is a level: the 128th key, on column 641.
  const std::string tables =
      parse("+++\nx = " + inline_tables + "1" + std::string(200, '}') + "\n+++\n").diagnostics;
  EXPECT_EQ(tables.substr(0, tables.find(" nests")), "content/posts/p.md:2:641: error: this key");

  // Dots and brackets inside strings and comments are not structure.
  Parsed quoted = parse("+++\n\"a.b.c\" = '[[[.'\ns = \"\"\"\n" + std::string(300, '[') +
                        "\"\"\"\n# " + key.substr(0, 3000) + "\n+++\n");
  EXPECT_TRUE(quoted.ok) << quoted.diagnostics;

  // Deep but within the limit still reads.
  std::string deep = "k";
  for (int i = 0; i < 120; ++i) deep += ".k" + std::to_string(i);
  Parsed fine = parse("+++\n" + deep + " = 1\n+++\n");
  ASSERT_TRUE(fine.ok) << fine.diagnostics;
  const Value* v = &fine.fm.fields;
  for (int i = 0; i < 121 && v; ++i) v = v->find(i ? "k" + std::to_string(i - 1) : "k");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->as_int(), 1);
}

// ---- concurrency ----

TEST(FrontMatterThreads, ManyPostsAtOnce) {
  std::vector<std::string> texts(400);
  for (size_t i = 0; i < texts.size(); ++i) {
    texts[i] = i % 2 ? "---\ntitle: \"Post " + std::to_string(i) +
                           "\"\nweight: " + std::to_string(i) + "\ntags: [a, b]\n---\nBody\n"
                     : "+++\ntitle = \"Post " + std::to_string(i) +
                           "\"\nweight = " + std::to_string(i) +
                           "\ntags = [\"a\", \"b\"]\n+++\nBody\n";
  }
  std::vector<std::string> json(texts.size());
  DiagnosticSink sink;
  parallel_for(
      texts.size(),
      [&](size_t i) {
        FrontMatter fm;
        if (parse_front_matter("p.md", texts[i], &fm, sink)) json[i] = fm.fields.to_json();
      },
      4);
  EXPECT_FALSE(sink.has_errors()) << sink.format_all();
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(json[i], "{\"title\":\"Post " + std::to_string(i) +
                           "\",\"weight\":" + std::to_string(i) + ",\"tags\":[\"a\",\"b\"]}");
  }
}

}  // namespace
}  // namespace byline
