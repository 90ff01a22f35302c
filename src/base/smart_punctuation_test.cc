#include "base/smart_punctuation.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(SmartPunctuation, QuotesDashesAndEllipses) {
  EXPECT_EQ(smart_punctuation("\"Russia\" -- the view from Kyiv..."),
            "\u201CRussia\u201D \u2013 the view from Kyiv\u2026");
  EXPECT_EQ(smart_punctuation("Don't say 'never' --- ever"),
            "Don\u2019t say \u2018never\u2019 \u2014 ever");
  EXPECT_EQ(smart_punctuation("The '90s"), "The \u201990s");
  EXPECT_EQ(smart_punctuation("1990-2000, a-b"), "1990-2000, a-b");
  EXPECT_EQ(smart_punctuation("No punctuation at all"), "No punctuation at all");
  EXPECT_EQ(smart_punctuation(""), "");
  EXPECT_EQ(smart_punctuation("\u00C9t\u00E9 \"\u00E0 Kyiv\""),
            "\u00C9t\u00E9 \u201C\u00E0 Kyiv\u201D");
}

}  // namespace
}  // namespace byline
