#include "check/wordpress_urls.h"

#include <gtest/gtest.h>

#include <map>

namespace byline {
namespace {

constexpr const char* kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    " xmlns:wp=\"http://wordpress.org/export/1.2/\">\n"
    "<channel>\n"
    "<wp:base_blog_url>http://example.org/blog</wp:base_blog_url>\n"
    "<wp:category><wp:category_nicename>child</wp:category_nicename>"
    "<wp:category_parent>parent</wp:category_parent></wp:category>\n";

std::string item(const std::string& fields) { return "<item>" + fields + "</item>\n"; }

TEST(WordPressUrls, PostsPagesAttachmentsTermsAndUploads) {
  std::string xml =
      std::string(kHead) +
      item(
          "<link>https://example.org/blog/2019/08/hello/</link><wp:post_id>7</wp:post_id>"
          "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><title>Hello</title>"
          "<category domain=\"category\" nicename=\"child\">Child</category>"
          "<category domain=\"post_tag\" nicename=\"caf%c3%a9\">Café</category>"
          "<content:encoded><![CDATA[<img src=\"http://example.org/blog/wp-content/uploads/"
          "2019/08/a-300x200.jpg\"> and <a href='/blog/wp-content/uploads/b.pdf'>b</a>]]>"
          "</content:encoded>") +
      item(
          "<link>http://example.org/blog//about/</link><wp:post_id>2</wp:post_id>"
          "<wp:status>publish</wp:status><wp:post_type>page</wp:post_type><title>About</title>") +
      item(
          "<link>http://example.org/blog/2019/08/hello/photo/</link><wp:post_id>9</wp:post_id>"
          "<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>"
          "<wp:post_parent>7</wp:post_parent><title>photo</title>"
          "<wp:attachment_url>http://example.org/blog/wp-content/uploads/2019/08/photo.jpg"
          "</wp:attachment_url>") +
      item(
          "<link>http://example.org/blog/?p=11</link><wp:post_id>11</wp:post_id>"
          "<wp:status>draft</wp:status><wp:post_type>post</wp:post_type><title>Draft</title>"
          "<category domain=\"post_tag\" nicename=\"unused\">Unused</category>") +
      item(
          "<link>http://example.org/blog/2019/09/secret/</link><wp:post_id>12</wp:post_id>"
          "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
          "<wp:post_password>pw</wp:post_password><title>Secret</title>") +
      item(
          "<link>http://other.example/x/</link><wp:post_id>13</wp:post_id>"
          "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><title>X</title>") +
      "</channel></rss>\n";
  WxrChannel channel;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &channel, sink)) << sink.format_all();
  std::map<std::string, OldUrl> by_path;
  for (const OldUrl& u : wordpress_urls(channel)) {
    by_path[u.site_path + (u.query.empty() ? "" : "?" + u.query)] = u;
  }
  std::vector<std::string> paths;
  for (const auto& [path, u] : by_path) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "/2019/08/hello/",
                       "/2019/08/hello/photo/",
                       "/2019/09/secret/",
                       "/?p=12",
                       "/?p=13",  // its link is on another host, but the blog answered its id
                       "/?p=2",
                       "/?p=7",
                       "/?page_id=2",
                       "/about/",  // "//about/" in the export
                       "/category/parent/child/",
                       "/tag/caf\xC3\xA9/",
                       "/wp-content/uploads/2019/08/a-300x200.jpg",
                       "/wp-content/uploads/2019/08/photo.jpg",
                       "/wp-content/uploads/b.pdf",
                   }));
  EXPECT_TRUE(by_path["/?p=7"].query_rule);
  EXPECT_FALSE(by_path["/2019/08/hello/"].query_rule);
  EXPECT_EQ(by_path["/2019/08/hello/"].what, "post 'Hello' (id 7)");
  EXPECT_EQ(by_path["/2019/08/hello/"].line, 7);
  EXPECT_EQ(by_path["/wp-content/uploads/2019/08/photo.jpg"].what,
            "the file of attachment 'photo' (id 9)");
  // A password-protected post is published in WordPress but kept as a
  // draft by the import: reported, but not as an error.
  EXPECT_TRUE(by_path["/2019/09/secret/"].warning_only);
  EXPECT_TRUE(by_path["/?p=12"].warning_only);
  EXPECT_FALSE(by_path["/about/"].warning_only);
}

// What the posts link to, for telling links the export had broken already:
// paths on the blog (below its base path), every URL as written with &amp;
// decoded, same-page #fragments and the ids the posts have.
TEST(WordPressUrls, ExportLinks) {
  std::string xml =
      std::string(kHead) +
      item(
          "<link>https://example.org/blog/2019/08/hello/</link><wp:post_id>7</wp:post_id>"
          "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><title>Hello</title>"
          "<content:encoded><![CDATA[<a href=\"http://example.org/blog/wp-admin/\">d</a> "
          "<a href='/blog/gone/?a=1&amp;b=2'>g</a> <a href=\"#top-x\">t</a> "
          "<h2 id=\"here\">h</h2><a name=\"old\"></a><img src=\"https://else.example/i.png\">"
          "<p style=\"background: url(&quot;http://example.org/blog/wp-content/uploads/"
          "bg.jpg&quot;)\">p</p>]]></content:encoded>") +
      item(
          "<link>http://example.org/blog/?p=11</link><wp:post_id>11</wp:post_id>"
          "<wp:status>draft</wp:status><wp:post_type>post</wp:post_type><title>Draft</title>"
          "<content:encoded><![CDATA[<a href=\"/blog/only-in-a-draft/\">x</a>]]>"
          "</content:encoded>") +
      "</channel></rss>\n";
  WxrChannel channel;
  DiagnosticSink sink;
  ASSERT_TRUE(read_wxr("e.xml", xml, &channel, sink)) << sink.format_all();
  ExportLinks links = export_links(channel);
  // Drafts were never on the site: their links count for nothing.
  EXPECT_EQ(links.paths, (std::set<std::string>{"/gone/", "/wp-admin/"}));
  EXPECT_TRUE(links.urls.count("/blog/gone/?a=1&b=2"));
  EXPECT_TRUE(links.urls.count("https://else.example/i.png"));
  EXPECT_EQ(links.fragments, (std::set<std::string>{"top-x"}));
  EXPECT_EQ(links.ids, (std::set<std::string>{"here", "old"}));
  // url(&quot;…&quot;) in a style: the upload without the entity quotes.
  std::map<std::string, OldUrl> by_path;
  for (const OldUrl& u : wordpress_urls(channel)) by_path[u.site_path] = u;
  EXPECT_TRUE(by_path.count("/wp-content/uploads/bg.jpg")) << by_path.size();
}

}  // namespace
}  // namespace byline
