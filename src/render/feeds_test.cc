#include "render/feeds.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <string>

namespace byline {
namespace {

SiteConfig config() {
  SiteConfig c;
  c.title = "T";
  c.urls = SiteUrls("https://example.org/blog/");
  return c;
}

TEST(AbsolutizeLinks, RewritesRootRelativeOnly) {
  SiteConfig c = config();
  EXPECT_EQ(
      absolutize_links("<a href=\"/x/\">x</a> <img src=\"/i.jpg\" alt=\"\"> "
                       "<a href=\"//cdn.example/y\">y</a> <a href=\"https://o.example/\">o</a> "
                       "<a href=\"#fn-1\">1</a> <a data-href=\"/no\">n</a>",
                       c),
      "<a href=\"https://example.org/blog/x/\">x</a> <img "
      "src=\"https://example.org/blog/i.jpg\" alt=\"\"> <a href=\"//cdn.example/y\">y</a> "
      "<a href=\"https://o.example/\">o</a> <a href=\"#fn-1\">1</a> <a "
      "data-href=\"/no\">n</a>");
}

TEST(AbsolutizeLinks, PageRelativeAgainstThePage) {
  SiteConfig c = config();
  EXPECT_EQ(
      absolutize_links("<img src=\"chart.svg\" alt=\"c\"> <a href=\"mailto:a@b.example\">m</a> "
                       "<a href=\"../x/\">x</a>",
                       c, "/2020/05/bundle/"),
      "<img src=\"https://example.org/blog/2020/05/bundle/chart.svg\" alt=\"c\"> <a "
      "href=\"mailto:a@b.example\">m</a> <a "
      "href=\"https://example.org/blog/2020/05/bundle/../x/\">x</a>");
}

// The rule absolutize_links() implements, spelled out slowly: every
// href=" and src=" that starts an attribute (after a space or a newline)
// and holds a root-relative URL gets the site's base, a page-relative one
// the page's.
std::string absolutize_reference(const std::string& html, const std::string& site_base,
                                 const std::string& page_base) {
  std::string out;
  size_t i = 0;
  while (i < html.size()) {
    size_t len = html.compare(i, 6, "href=\"") == 0 ? 6 : html.compare(i, 5, "src=\"") == 0 ? 5 : 0;
    if (len == 0) {
      out += html[i++];
      continue;
    }
    out += html.substr(i, len);
    size_t value = i + len;
    i = value;
    bool start = value - len > 0 && (html[value - len - 1] == ' ' || html[value - len - 1] == '\n');
    size_t end = html.find('"', value);
    std::string url = end == std::string::npos ? "" : html.substr(value, end - value);
    if (!start || url.empty() || url.starts_with("//") || url[0] == '#') continue;
    if (url[0] == '/') {
      out += site_base;
      ++i;  // the base ends in '/'
      continue;
    }
    size_t colon = url.find(':'), stop = url.find_first_of("/?#");
    if (colon != std::string::npos && (stop == std::string::npos || colon < stop)) continue;
    out += page_base;
  }
  return out;
}

TEST(AbsolutizeLinks, AgreesWithTheRuleOnScrambledMarkup) {
  SiteConfig c = config();
  const char* pieces[] = {"href=\"", "src=\"", "=\"", "data-src=\"", "hre",     "f", "sr",
                          "c",       "/",      "//",  "#",           "mailto:", "x", " ",
                          "\n",      "\"",     "=",   "<a ",         ">",       "?q"};
  std::minstd_rand next(7);  // the same sequence on every platform
  for (int round = 0; round < 3000; ++round) {
    std::string html;
    for (size_t n = next() % 24; n > 0; --n) html += pieces[next() % std::size(pieces)];
    ASSERT_EQ(
        absolutize_links(html, c, "/p/"),
        absolutize_reference(html, "https://example.org/blog/", "https://example.org/blog/p/"))
        << html;
  }
}

TEST(XmlEscape, EscapesMarkupAndQuotesAndDropsControlCharacters) {
  std::string out;
  append_xml_escaped(out, "a<b>&\"c'\x01\td");
  EXPECT_EQ(out, "a&lt;b&gt;&amp;&quot;c&apos;\td");
}

// Every byte value at every offset of a window wider than the escaper's
// 16-byte blocks, against the rule applied a byte at a time.
TEST(XmlEscape, EveryByteAtEveryOffsetOfABlock) {
  for (int b = 0; b < 256; ++b) {
    for (size_t at = 0; at < 40; ++at) {
      std::string in(40, 'x');
      in[at] = static_cast<char>(b);
      in += "tail<&>";
      std::string expected;
      for (char c : in) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '&')
          expected += "&amp;";
        else if (c == '<')
          expected += "&lt;";
        else if (c == '>')
          expected += "&gt;";
        else if (c == '"')
          expected += "&quot;";
        else if (c == '\'')
          expected += "&apos;";
        else if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r')
          expected += c;
      }
      std::string out = "keep:";
      append_xml_escaped(out, in);
      ASSERT_EQ(out, "keep:" + expected) << "byte " << b << " at " << at;
    }
  }
}

TEST(JsonFeed, EscapesBodiesAsJsonStringsAndMakesLinksAbsolute) {
  SiteConfig c = config();
  Site site;
  site.config = &c;
  Page p;
  p.title = "Quote \" and \\ and \x01 and caf\xc3\xa9";
  p.permalink = "/2020/05/post/";
  p.content_html =
      std::string(20, 'y') + "<a href=\"/x/\">\"q\"</a>\n\t\r\x1f" + "<img src=\"c.svg\">";
  const Page* pages[] = {&p};
  FeedSpec spec;
  spec.title = "T";
  spec.list_path = "/";
  spec.self_path = "/feed.json";
  spec.pages = pages;
  std::string feed = render_json_feed(site, spec);
  EXPECT_NE(feed.find("\"title\":\"Quote \\\" and \\\\ and \\u0001 and caf\xc3\xa9\""),
            std::string::npos)
      << feed;
  EXPECT_NE(feed.find("\"content_html\":\"" + std::string(20, 'y') +
                      "<a href=\\\"https://example.org/blog/x/\\\">\\\"q\\\"</a>\\n\\t\\r\\u001f"
                      "<img src=\\\"https://example.org/blog/2020/05/post/c.svg\\\">\"}"),
            std::string::npos)
      << feed;
}

TEST(Feeds, AnEnclosureIsInEveryFormat) {
  SiteConfig c = config();
  Site site;
  site.config = &c;
  Page episode, plain, odd;
  episode.title = "Episode";
  episode.permalink = "/ep/";
  // As the WordPress importer writes it: every field a string.
  episode.params.set("enclosure", Value::map({{"url", Value::string("/media/ep 1.mp3")},
                                              {"length", Value::string("12345")},
                                              {"type", Value::string("audio/mpeg")}}));
  plain.title = "Plain";
  plain.permalink = "/plain/";
  odd.title = "Odd";
  odd.permalink = "/odd/";
  odd.params.set("enclosure", Value::map({{"url", Value::string("https://cdn.example/a?x=1&y=2")},
                                          {"length", Value::string("-5")}}));
  const Page* pages[] = {&episode, &plain, &odd};
  FeedSpec spec;
  spec.title = "T";
  spec.list_path = "/";
  spec.self_path = "/feed";
  spec.pages = pages;
  std::string rss = render_rss(site, spec);
  EXPECT_NE(rss.find("<enclosure url=\"https://example.org/blog/media/ep%201.mp3\" length=\"12345\" "
                     "type=\"audio/mpeg\"/>"),
            std::string::npos)
      << rss;
  // RSS needs a length and a type: 0 and a generic type when unknown.
  EXPECT_NE(rss.find("<enclosure url=\"https://cdn.example/a?x=1&amp;y=2\" length=\"0\" "
                     "type=\"application/octet-stream\"/>"),
            std::string::npos)
      << rss;
  size_t items = 0;
  for (size_t at = rss.find("<enclosure "); at != std::string::npos;
       at = rss.find("<enclosure ", at + 1))
    ++items;
  EXPECT_EQ(items, 2u);
  std::string atom = render_atom(site, spec);
  EXPECT_NE(atom.find("<link rel=\"enclosure\" href=\"https://example.org/blog/media/ep%201.mp3\" "
                      "type=\"audio/mpeg\" length=\"12345\"/>"),
            std::string::npos)
      << atom;
  std::string json = render_json_feed(site, spec);
  EXPECT_NE(json.find("\"attachments\":[{\"url\":\"https://example.org/blog/media/ep%201.mp3\","
                      "\"mime_type\":\"audio/mpeg\",\"size_in_bytes\":12345}]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"attachments\":[{\"url\":\"https://cdn.example/a?x=1&y=2\","
                      "\"mime_type\":\"application/octet-stream\"}]"),
            std::string::npos)
      << json;
}

TEST(PercentEncodeUrl, EncodesNonAscii) {
  EXPECT_EQ(percent_encode_url("https://e.org/tag/россия/?a=b c"),
            "https://e.org/tag/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/?a=b%20c");
}

TEST(Sitemap, SplitsIntoAnIndexPastTheLimit) {
  SiteConfig c = config();
  Site site;
  site.config = &c;
  std::vector<SitemapEntry> entries = {{"/a/", nullptr}, {"/b/", nullptr}, {"/c/", nullptr}};
  auto one = render_sitemaps(site, entries, 3);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].first, "sitemap.xml");
  EXPECT_NE(one[0].second.find("<loc>https://example.org/blog/c/</loc>"), std::string::npos);

  auto split = render_sitemaps(site, entries, 2);
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].first, "sitemap.xml");
  EXPECT_NE(split[0].second.find("<sitemapindex"), std::string::npos);
  EXPECT_NE(split[0].second.find("<loc>https://example.org/blog/sitemap-2.xml</loc>"),
            std::string::npos);
  EXPECT_EQ(split[1].first, "sitemap-1.xml");
  EXPECT_NE(split[1].second.find("/a/"), std::string::npos);
  EXPECT_NE(split[1].second.find("/b/"), std::string::npos);
  EXPECT_EQ(split[2].first, "sitemap-2.xml");
  EXPECT_NE(split[2].second.find("/c/"), std::string::npos);
  EXPECT_EQ(split[2].second.find("/a/"), std::string::npos);
}

}  // namespace
}  // namespace byline
