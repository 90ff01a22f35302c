#include "base/strings.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(Slugify, AsciiTitles) {
  EXPECT_EQ(slugify("Hello, World!"), "hello-world");
  EXPECT_EQ(slugify("  Hong Kong  "), "hong-kong");
  EXPECT_EQ(slugify("hong-kong"), "hong-kong");
  EXPECT_EQ(slugify("Don't panic"), "dont-panic");
  EXPECT_EQ(slugify("2019: a year"), "2019-a-year");
  EXPECT_EQ(slugify("---"), "");
}

TEST(Slugify, LatinAccentsAreStripped) {
  EXPECT_EQ(slugify("Ça va? Ünïcode!"), "ca-va-unicode");
  EXPECT_EQ(slugify("Straße"), "strasse");
  EXPECT_EQ(slugify("Łódź"), "lodz");
  EXPECT_EQ(slugify("Ærø"), "aero");
  EXPECT_EQ(slugify("São Paulo"), "sao-paulo");
}

TEST(Slugify, OtherScriptsAreKeptAndLowercased) {
  EXPECT_EQ(slugify("Россия"), "россия");
  EXPECT_EQ(slugify("ΕΛΛΆΔΑ"), "ελλάδα");
  EXPECT_EQ(slugify("日本 政治"), "日本-政治");
  EXPECT_EQ(slugify("हिन्दी"), "हिन्दी");
}

TEST(Slugify, CurlyApostrophesJoin) { EXPECT_EQ(slugify("Writer’s notes"), "writers-notes"); }

TEST(Utf8, FindsFirstInvalidByte) {
  EXPECT_EQ(find_invalid_utf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("caf\xc3\xa9"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(find_invalid_utf8("ab\xc3"), 2u);  // truncated sequence
}

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(CountWords, CountsReaderWords) {
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("one two  three"), 3u);
  EXPECT_EQ(count_words("don't stop-gap, ok."), 3u);
}

}  // namespace
}  // namespace byline
