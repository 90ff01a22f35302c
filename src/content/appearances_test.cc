// Appearance decoding details the whole-site tests in build_test.cc do not
// reach: link shapes, pickups given as bare names, unknown keys.
#include "content/appearances.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace byline {
namespace {

TEST(Appearances, AcceptableLinks) {
  EXPECT_TRUE(is_acceptable_link("https://radio.example/x?y=1#z"));
  EXPECT_TRUE(is_acceptable_link("http://radio.example"));
  EXPECT_TRUE(is_acceptable_link("https://例え.jp/x"));
  EXPECT_TRUE(is_acceptable_link("/talks/2020/"));
  EXPECT_FALSE(is_acceptable_link("//radio.example/x"));
  EXPECT_FALSE(is_acceptable_link("radio.example/x"));
  EXPECT_FALSE(is_acceptable_link("https://"));
  EXPECT_FALSE(is_acceptable_link("https://radio example/x"));
  EXPECT_FALSE(is_acceptable_link("ftp://radio.example/x"));
  EXPECT_FALSE(is_acceptable_link("javascript:alert(1)"));
}

Value entry(Value::Map fields) {
  Value v = Value::map(std::move(fields));
  v.line = 1;
  v.column = 3;
  return v;
}

TEST(Appearances, PickupsByNameAndUnknownKeysWarn) {
  Value list = Value::list({entry({{"date", Value::string("2020-02-03")},
                                   {"outlet", Value::string("Radio X")},
                                   {"host", Value::string("Someone")},
                                   {"pickups", Value::list({Value::string("Gazette")})}})});
  std::vector<Appearance> out;
  DiagnosticSink sink;
  ASSERT_TRUE(decode_appearances(list, "log.yaml", "", &out, sink)) << sink.format_all();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].outlet, "Radio X");
  EXPECT_EQ(out[0].kind, "");
  ASSERT_EQ(out[0].pickups.size(), 1u);
  EXPECT_EQ(out[0].pickups[0].outlet, "Gazette");
  EXPECT_EQ(sink.error_count(), 0u);
  EXPECT_NE(sink.format_all().find("warning: unknown key 'host' in an appearance"),
            std::string::npos);
}

TEST(Appearances, DeepTomlLogIsALocatedErrorNotACrash) {
  // content/appearances.toml with a dotted key of 20,000 parts crashed
  // inside toml++.
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "appearances-deep-toml";
  std::filesystem::create_directories(dir);
  std::string key = "x";
  for (int i = 0; i < 20000; ++i) key += ".x" + std::to_string(i);
  {
    std::ofstream out(dir / "appearances.toml", std::ios::binary);
    out << "[[appearances]]\noutlet = \"Radio X\"\n" << key << " = 1\n";
  }
  std::vector<Appearance> out;
  DiagnosticSink sink;
  EXPECT_FALSE(load_appearance_log(dir, "content", &out, sink));
  const std::string d = sink.format_all();
  EXPECT_EQ(d.substr(0, d.find('\n')),
            "content/appearances.toml:3:1: error: this key nests tables more than 128 levels deep "
            "(each part of a dotted key and each array is a level)");
  std::filesystem::remove_all(dir);
}

TEST(Appearances, AnEntryMustBeAMapping) {
  Value item = Value::string("Radio X, 2020");
  item.line = 2;
  item.column = 3;
  std::vector<Appearance> out;
  DiagnosticSink sink;
  EXPECT_FALSE(decode_appearances(Value::list({item}), "log.yaml", "", &out, sink));
  EXPECT_NE(sink.format_all().find("log.yaml:2:3: error: an appearance must be a mapping with "
                                   "date, outlet, kind, topic and url, not a string"),
            std::string::npos)
      << sink.format_all();
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace byline
