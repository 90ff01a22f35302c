#include "base/strings.h"

#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <memory>
#include <pugixml.hpp>
#include <random>
#include <string>

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

// Past the 64- and 8-byte ASCII skips: a bad byte or a good sequence at
// every offset of a long text, and a sequence cut by the text's end.
TEST(Utf8, EveryOffsetOfLongText) {
  for (size_t at = 0; at < 200; ++at) {
    std::string text(200, 'a');
    text[at] = '\xff';
    EXPECT_EQ(find_invalid_utf8(text), at);
    text[at] = '\xc3';
    EXPECT_EQ(find_invalid_utf8(text), at) << "a lead byte followed by ASCII";
    text.replace(at, 1, "\xe2\x80\x99");  // ’
    EXPECT_EQ(find_invalid_utf8(text), std::string_view::npos) << at;
    EXPECT_EQ(find_invalid_utf8(std::string_view(text).substr(0, at + 2)), at) << "cut at the end";
  }
}

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

// The rule applied a byte at a time, for the tests below.
std::string html_escaped_bytewise(std::string_view in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Every byte value at every offset of a window wider than the escaper's
// 16-byte blocks; control characters and newlines pass through untouched.
TEST(HtmlEscape, EveryByteAtEveryOffsetOfABlock) {
  for (int b = 0; b < 256; ++b) {
    for (size_t at = 0; at < 40; ++at) {
      std::string in(40, 'x');
      in[at] = static_cast<char>(b);
      in += "tail<&>";
      std::string out = "keep:";
      append_html_escaped(out, in);
      ASSERT_EQ(out, "keep:" + html_escaped_bytewise(in)) << "byte " << b << " at " << at;
    }
  }
}

// Inputs longer than the slice the escaper works through at a time: runs
// of nothing but special characters (each becoming its longest entity), and
// specials straddling every slice and block boundary.
TEST(HtmlEscape, LongInputsAcrossSlices) {
  for (size_t n : {511u, 512u, 513u, 1024u, 5000u}) {
    std::string quotes(n, '"');
    EXPECT_EQ(html_escape(quotes), html_escaped_bytewise(quotes)) << n;
    const std::string_view pattern = "a<'\n&\x01>\"bcdefghijklmnop";
    std::string mixed;
    for (size_t i = 0; i < n; ++i) mixed += pattern[i % pattern.size()];
    EXPECT_EQ(html_escape(mixed), html_escaped_bytewise(mixed)) << n;
  }
}

// Two special bytes at every pair of places in texts of 16 to 48 bytes: the
// escaper handles a 16-byte block with a special byte differently when fewer
// than 16 bytes of text follow that byte. The text is copied into a buffer
// of its exact size, so a sanitizer build sees any read past its end.
TEST(HtmlEscape, EveryPairOfSpecialsNearTheEnd) {
  for (size_t n = 16; n <= 48; ++n) {
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = a + 1; b < n; ++b) {
        std::string in(n, 'x');
        in[a] = '<';
        in[b] = (a + b) % 2 ? '&' : '\n';
        std::unique_ptr<char[]> exact(new char[n]);
        std::memcpy(exact.get(), in.data(), n);
        std::string out;
        append_html_escaped(out, std::string_view(exact.get(), n));
        ASSERT_EQ(out, html_escaped_bytewise(in)) << n << " " << a << " " << b;
      }
    }
  }
}

TEST(XmlEscape, LongInputsAcrossSlices) {
  for (size_t n : {511u, 512u, 513u, 1024u, 5000u}) {
    const std::string_view pattern = "'\"<\x02>&\tplain text run";
    std::string in;
    for (size_t i = 0; i < n; ++i) in += pattern[i % pattern.size()];
    std::string expected;
    for (char c : in) {
      if (c == '\'')
        expected += "&apos;";
      else if (c == '"')
        expected += "&quot;";
      else if (c == '<')
        expected += "&lt;";
      else if (c == '>')
        expected += "&gt;";
      else if (c == '&')
        expected += "&amp;";
      else if (c != '\x02')
        expected += c;
    }
    std::string out;
    append_xml_escaped(out, in);
    EXPECT_EQ(out, expected) << n;
    std::string quotes(n, '\'');
    out.clear();
    append_xml_escaped(out, quotes);
    EXPECT_EQ(out.size(), 6 * n);
  }
}

TEST(CountWords, CountsReaderWords) {
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("one two  three"), 3u);
  EXPECT_EQ(count_words("don't stop-gap, ok."), 3u);
}

std::string cdata(std::initializer_list<std::string_view> pieces) {
  std::string out;
  CdataWriter w(out);
  for (std::string_view p : pieces) w.append(p);
  w.close();
  return out;
}

// What an XML parser reads from `<r>` + xml + `</r>`.
std::string parsed_text(const std::string& xml) {
  pugi::xml_document doc;
  std::string wrapped = "<r>" + xml + "</r>";
  pugi::xml_parse_result r =
      doc.load_buffer(wrapped.data(), wrapped.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  EXPECT_TRUE(r) << r.description() << " in " << wrapped;
  std::string text;
  for (pugi::xml_node n : doc.child("r").children()) text += n.value();
  return text;
}

TEST(CdataWriter, MarkupGoesInAsItIs) {
  EXPECT_EQ(cdata({"<p>Tom &amp; \"Jerry\" <a href='x'>here</a></p>\n"}),
            "<![CDATA[<p>Tom &amp; \"Jerry\" <a href='x'>here</a></p>\n]]>");
  EXPECT_EQ(cdata({}), "<![CDATA[]]>");
  EXPECT_EQ(cdata({"a", "", "b"}), "<![CDATA[ab]]>");
}

TEST(CdataWriter, AClosingSequenceIsSplitAcrossTwoSections) {
  EXPECT_EQ(cdata({"x]]>y"}), "<![CDATA[x]]]]><![CDATA[>y]]>");
  EXPECT_EQ(cdata({"x]]]>y"}), "<![CDATA[x]]]]]><![CDATA[>y]]>");
  EXPECT_EQ(cdata({"x] ]>y]>"}), "<![CDATA[x] ]>y]>]]>");
  // In pieces, and with a dropped control character in between.
  EXPECT_EQ(cdata({"x]", "]", ">y"}), "<![CDATA[x]]]]><![CDATA[>y]]>");
  EXPECT_EQ(cdata({"x]\x01]\x02>"}), "<![CDATA[x]]]]><![CDATA[>]]>");
  // A newline is text: "]]\n>" closes nothing.
  EXPECT_EQ(cdata({"]]\n>"}), "<![CDATA[]]\n>]]>");
  // Text ending in "]]" before the section's own end.
  EXPECT_EQ(parsed_text(cdata({"a]]"})), "a]]");
}

TEST(CdataWriter, ControlCharactersAreDroppedLikeTheEscaperDropsThem) {
  EXPECT_EQ(cdata({std::string_view("a\x01"
                                    "b\x00"
                                    "c\td\re\n",
                                    10)}),
            "<![CDATA[abc\td\re\n]]>");
}

// Whatever the text and however it is cut into pieces (some long enough for
// the sixteen-byte scan), a parser reads back what it reads from
// append_xml_escaped()'s output.
TEST(CdataWriter, ParsesToTheSameTextAsTheEscapedForm) {
  const char alphabet[] = {']', ']', '>', '<', '&', 'a', '\n', '\x01', '"', '\t'};
  std::minstd_rand next(12345);  // the same sequence on every platform
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t n = next() % 100;
    for (size_t i = 0; i < n; ++i) text += alphabet[next() % sizeof alphabet];
    std::string out;
    CdataWriter w(out);
    for (size_t at = 0; at < text.size();) {
      size_t len = std::min<size_t>(text.size() - at, next() % 40);
      w.append(std::string_view(text).substr(at, len));
      at += len;
    }
    w.close();
    std::string escaped;
    append_xml_escaped(escaped, text);
    // The line break in a CDATA section and in escaped text normalise alike.
    ASSERT_EQ(parsed_text(out), parsed_text(escaped)) << "text: " << text << "\nout: " << out;
  }
}


TEST(HtmlCharReference, NumbersAndTheCommonNames) {
  EXPECT_EQ(html_char_reference("amp"), uint32_t{'&'});
  EXPECT_EQ(html_char_reference("nbsp"), 0xA0u);
  EXPECT_EQ(html_char_reference("rsquo"), 0x2019u);
  EXPECT_EQ(html_char_reference("#38"), uint32_t{'&'});
  EXPECT_EQ(html_char_reference("#x2014"), 0x2014u);
  EXPECT_EQ(html_char_reference("#X1F600"), 0x1F600u);
  // Not references, or naming no scalar value: left as written.
  EXPECT_EQ(html_char_reference(""), 0u);
  EXPECT_EQ(html_char_reference("#"), 0u);
  EXPECT_EQ(html_char_reference("#x"), 0u);
  EXPECT_EQ(html_char_reference("#0"), 0u);
  EXPECT_EQ(html_char_reference("#12a"), 0u);
  EXPECT_EQ(html_char_reference("#xD800"), 0u);
  EXPECT_EQ(html_char_reference("#x110000"), 0u);
  EXPECT_EQ(html_char_reference("#99999999999999999999"), 0u);
  EXPECT_EQ(html_char_reference("AMP"), 0u);
  EXPECT_EQ(html_char_reference("notaname"), 0u);
}

}  // namespace
}  // namespace byline
