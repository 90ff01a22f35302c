#include "frontmatter/front_matter_writer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace byline
