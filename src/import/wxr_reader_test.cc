#include "import/wxr_reader.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

constexpr const char* kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    " xmlns:wp=\"http://wordpress.org/export/1.2/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "<channel>\n";

TEST(WxrReaderTest, ReadsChannelItemsAndJoinsCdata) {
  std::string xml =
      std::string(kHead) +
      "<title>Site</title><wp:base_blog_url>https://e.com</wp:base_blog_url>\n"
      "<wp:category><wp:category_nicename>child</wp:category_nicename>"
      "<wp:category_parent>parent</wp:category_parent><wp:cat_name>Child</wp:cat_name>"
      "</wp:category>\n"
      "<item><title>T</title><dc:creator>me</dc:creator><wp:post_id>7</wp:post_id>"
      "<content:encoded><![CDATA[a ]]]]><![CDATA[> b]]></content:encoded>"
      "<category domain=\"post_tag\" nicename=\"x\"><![CDATA[X]]></category>"
      "<wp:is_sticky>1</wp:is_sticky></item>\n</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &c, sink)) << sink.format_all();
  EXPECT_EQ(c.title, "Site");
  EXPECT_EQ(c.base_blog_url, "https://e.com");
  ASSERT_EQ(c.terms.size(), 1u);
  EXPECT_EQ(c.terms[0].taxonomy, "category");
  EXPECT_EQ(c.terms[0].parent_slug, "parent");
  ASSERT_EQ(c.items.size(), 1u);
  EXPECT_EQ(c.items[0].id, 7);
  EXPECT_EQ(c.items[0].content, "a ]]> b");
  EXPECT_EQ(c.items[0].creator, "me");
  EXPECT_TRUE(c.items[0].sticky);
  EXPECT_EQ(c.items[0].line, 7);
  ASSERT_EQ(c.items[0].terms.size(), 1u);
  EXPECT_EQ(c.items[0].terms[0].name, "X");
}

// WordPress's theme preview has no wp:post_id: the id is the one its ?p=
// link or guid names, not 0 for every item.
TEST(WxrReaderTest, IdFromLinkOrGuidWhenTheExportHasNone) {
  std::string xml = std::string(kHead) +
                    "<item><link>https://e.com/?p=19</link>"
                    "<pubDate>Tue, 02 Apr 2013 05:16:20 +0000</pubDate></item>\n"
                    "<item><link>https://e.com/about/</link>"
                    "<guid>https://e.com/?page_id=36</guid></item>\n"
                    "<item><wp:post_id>5</wp:post_id><link>https://e.com/?p=9</link></item>\n"
                    "</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &c, sink)) << sink.format_all();
  ASSERT_EQ(c.items.size(), 3u);
  EXPECT_EQ(c.items[0].id, 19);
  EXPECT_EQ(c.items[0].pub_date, "Tue, 02 Apr 2013 05:16:20 +0000");
  EXPECT_EQ(c.items[1].id, 36);
  EXPECT_EQ(c.items[2].id, 5);
}

TEST(WxrReaderTest, MatchesByNamespaceUriNotPrefix) {
  std::string xml =
      std::string(kHead) +
      "<item xmlns:wp=\"http://example.com/fake/\"><wp:post_id>5</wp:post_id></item>\n"
      "<item xmlns:other=\"http://wordpress.org/export/1.0/\"><other:post_id>6"
      "</other:post_id></item>\n"
      "<item><post_id xmlns=\"http://wordpress.org/export/1.1/\">8</post_id></item>\n"
      "</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &c, sink));
  ASSERT_EQ(c.items.size(), 3u);
  EXPECT_EQ(c.items[0].id, 0);
  EXPECT_EQ(c.items[1].id, 6);
  EXPECT_EQ(c.items[2].id, 8);
}

TEST(WxrReaderTest, MalformedXmlIsLocated) {
  std::string xml = std::string(kHead) + "<item><title>x</titel></item>\n</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  EXPECT_FALSE(read_wxr("bad.xml", xml, &c, sink));
  EXPECT_EQ(sink.format_all(),
            "bad.xml:5:17: error: malformed XML: </titel> does not close <title> (opened at "
            "line 5)\n"
            "  <item><title>x</titel></item>\n"
            "                  ^\n");
}

TEST(WxrReaderTest, FileCutShortNamesTheOpenElement) {
  std::string xml = std::string(kHead) + "<item><title>x</title>\n";
  WxrChannel c;
  DiagnosticSink sink;
  EXPECT_FALSE(read_wxr("cut.xml", xml, &c, sink));
  EXPECT_NE(sink.format_all().find("cut.xml:5:23: error: malformed XML: the file ends before "
                                   "<item> (opened at line 5) is closed"),
            std::string::npos)
      << sink.format_all();
}

TEST(WxrReaderTest, StrayCdataEndIsAnError) {
  std::string xml = std::string(kHead) +
                    "<item><content:encoded><![CDATA[a ]]> b]]></content:encoded></item>\n"
                    "</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  EXPECT_FALSE(read_wxr("c.xml", xml, &c, sink));
  EXPECT_NE(sink.format_all().find("c.xml:5:40: error: malformed XML: \"]]>\" outside a CDATA"),
            std::string::npos)
      << sink.format_all();
}

TEST(WxrReaderTest, NotAnExport) {
  WxrChannel c;
  DiagnosticSink sink;
  EXPECT_FALSE(read_wxr("n.xml", "<html><body/></html>", &c, sink));
  EXPECT_NE(sink.format_all().find("n.xml:1:1: error: not a WordPress export"), std::string::npos)
      << sink.format_all();
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(WxrReaderTest, BodiesCanBeLeftForLater) {
  std::string xml = std::string(kHead) +
                    "<item><title>A</title><wp:post_type>post</wp:post_type>"
                    "<content:encoded><![CDATA[one ]]]]><![CDATA[> two]]></content:encoded>"
                    "<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value>"
                    "</wp:postmeta></item>\n"
                    "<item><title>B</title><wp:post_type>attachment</wp:post_type>"
                    "<content:encoded>kept</content:encoded></item>\n</channel></rss>\n";
  WxrChannel c;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &c, sink,
                       [](const WxrItem& item) { return item.post_type != "post"; }));
  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_FALSE(c.items[0].has_body);
  EXPECT_EQ(c.items[0].content, "");
  EXPECT_EQ(c.items[0].title, "A");
  EXPECT_EQ(c.items[1].content, "kept");

  WxrBodyStorage storage;
  ASSERT_TRUE(read_wxr_item_body(xml, c, &c.items[0], &storage));
  EXPECT_EQ(c.items[0].content, "one ]]> two");
  ASSERT_EQ(c.items[0].meta.size(), 1u);
  EXPECT_EQ(c.items[0].meta[0].second, "v");
}

}  // namespace
}  // namespace byline
