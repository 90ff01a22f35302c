#include "frontmatter/front_matter_writer.h"

#include <gtest/gtest.h>

#include "frontmatter/front_matter.h"

namespace byline {
namespace {

TEST(FrontMatterWriterTest, QuotesEverything) {
  EXPECT_EQ(yaml_quote("a \"b\" \\ c\n\x01"), "\"a \\\"b\\\" \\\\ c\\n\\u0001\"");
  EXPECT_EQ(yaml_quote("x\xE2\x80\xA8y\xEF\xBB\xBF"), "\"x\\u2028y\\uFEFF\"");
  EXPECT_EQ(yaml_quote("Россия"), "\"Россия\"");
}

TEST(FrontMatterWriterTest, WritesBlock) {
  FrontMatterWriter w;
  w.string("title", "Yes: no");
  w.boolean("draft", true);
  w.integer("wordpress_id", 12);
  w.string_list("tags", {"a", "b\"c"});
  w.string_map("category_parents", {{"Child", "Parent"}});
  EXPECT_EQ(w.finish(),
            "---\ntitle: \"Yes: no\"\ndraft: true\nwordpress_id: 12\ntags: [\"a\", \"b\\\"c\"]\n"
            "category_parents:\n  \"Child\": \"Parent\"\n---\n");
}

// Imported comments: a list of maps that byline's own YAML reads back.
TEST(FrontMatterWriterTest, MapListReadsBack) {
  FrontMatterWriter w;
  w.map_list("comments", {{{"author", "Ann"}, {"text", "Hi: \"you\"\nthere"}}, {{"author", "Bo"}}});
  std::string text = w.finish();
  EXPECT_EQ(text,
            "---\ncomments:\n  - author: \"Ann\"\n    text: \"Hi: \\\"you\\\"\\nthere\"\n"
            "  - author: \"Bo\"\n---\n");
  FrontMatter fm;
  DiagnosticSink sink;
  ASSERT_TRUE(parse_front_matter("a.md", text, &fm, sink)) << sink.format_all();
  const Value* list = fm.fields.find("comments");
  ASSERT_TRUE(list && list->is_list());
  ASSERT_EQ(list->as_list().size(), 2u);
  const Value* text0 = list->as_list()[0].find("text");
  ASSERT_TRUE(text0);
  EXPECT_EQ(text0->as_string(), "Hi: \"you\"\nthere");
  const Value* author1 = list->as_list()[1].find("author");
  ASSERT_TRUE(author1);
  EXPECT_EQ(author1->as_string(), "Bo");
}

}  // namespace
}  // namespace byline
