#include "markdown/markdown.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "base/strings.h"
#include "markdown/cmark_global_state.h"
#include "markdown/document_arena.h"

namespace byline {
namespace {

// Extensions and byline's additions off: each test turns on what it checks.
MarkdownOptions plain_options() {
  MarkdownOptions o;
  o.smart_punctuation = false;
  o.footnotes = false;
  o.tables = o.strikethrough = o.autolinks = o.tasklists = o.tag_filter = false;
  o.heading_ids = o.figures = o.pull_quotes = false;
  return o;
}

std::string html_of(std::string_view md, const MarkdownOptions& o) {
  return render_markdown(md, o).html;
}

TEST(MarkdownExtensionsTest, SmartPunctuationOnAndOff) {
  MarkdownOptions o = plain_options();
  const char* md = "\"curly\" 'quotes' it's -- --- ...\n";
  o.smart_punctuation = true;
  EXPECT_EQ(html_of(md, o),
            "<p>\xE2\x80\x9C"
            "curly\xE2\x80\x9D \xE2\x80\x98quotes\xE2\x80\x99 it\xE2\x80\x99s \xE2\x80\x93 "
            "\xE2\x80\x94 \xE2\x80\xA6</p>\n");
  o.smart_punctuation = false;
  EXPECT_EQ(html_of(md, o), "<p>&quot;curly&quot; 'quotes' it's -- --- ...</p>\n");
}

TEST(MarkdownExtensionsTest, Tables) {
  MarkdownOptions o = plain_options();
  const char* md = "| a | b |\n|---|--:|\n| 1 | 2 |\n";
  o.tables = true;
  EXPECT_EQ(html_of(md, o),
            "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td>1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>\n");
  o.tables = false;
  EXPECT_EQ(html_of(md, o), "<p>| a | b |\n|---|--:|\n| 1 | 2 |</p>\n");
}

TEST(MarkdownExtensionsTest, Strikethrough) {
  MarkdownOptions o = plain_options();
  o.strikethrough = true;
  EXPECT_EQ(html_of("~~gone~~ and ~this~\n", o), "<p><del>gone</del> and <del>this</del></p>\n");
  o.strikethrough = false;
  EXPECT_EQ(html_of("~~gone~~ and ~this~\n", o), "<p>~~gone~~ and ~this~</p>\n");
}

TEST(MarkdownExtensionsTest, Autolinks) {
  MarkdownOptions o = plain_options();
  const char* md = "See www.example.com and https://example.org/a.\n";
  o.autolinks = true;
  EXPECT_EQ(html_of(md, o),
            "<p>See <a href=\"http://www.example.com\">www.example.com</a> and "
            "<a href=\"https://example.org/a\">https://example.org/a</a>.</p>\n");
  o.autolinks = false;
  EXPECT_EQ(html_of(md, o), "<p>See www.example.com and https://example.org/a.</p>\n");
}

TEST(MarkdownExtensionsTest, Tasklists) {
  MarkdownOptions o = plain_options();
  const char* md = "- [ ] write\n- [x] file\n";
  o.tasklists = true;
  EXPECT_EQ(html_of(md, o),
            "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> write</li>\n"
            "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> file</li>\n</ul>\n");
  o.tasklists = false;
  EXPECT_EQ(html_of(md, o), "<ul>\n<li>[ ] write</li>\n<li>[x] file</li>\n</ul>\n");
}

TEST(MarkdownExtensionsTest, Footnotes) {
  MarkdownOptions o = plain_options();
  const char* md = "Claim[^src] and again[^b].\n\n[^b]: Second.\n[^src]: First.\n";
  o.footnotes = true;
  EXPECT_EQ(html_of(md, o),
            "<p>Claim<sup class=\"footnote-ref\"><a href=\"#fn-src\" id=\"fnref-src\" "
            "data-footnote-ref>1</a></sup> and again<sup class=\"footnote-ref\"><a href=\"#fn-b\" "
            "id=\"fnref-b\" data-footnote-ref>2</a></sup>.</p>\n"
            "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
            "<li id=\"fn-src\">\n<p>First. <a href=\"#fnref-src\" class=\"footnote-backref\" "
            "data-footnote-backref aria-label=\"Back to content\">\xE2\x86\xA9</a></p>\n</li>\n"
            "<li id=\"fn-b\">\n<p>Second. <a href=\"#fnref-b\" class=\"footnote-backref\" "
            "data-footnote-backref aria-label=\"Back to content\">\xE2\x86\xA9</a></p>\n</li>\n"
            "</ol>\n</section>\n");
  o.footnotes = false;
  // Without the extension "[^src]: First." is a link reference definition.
  EXPECT_EQ(html_of(md, o),
            "<p>Claim<a href=\"First.\">^src</a> and again<a href=\"Second.\">^b</a>.</p>\n");
}

TEST(MarkdownExtensionsTest, FootnoteNumberingSurvivesRewrites) {
  MarkdownOptions o = plain_options();
  o.footnotes = o.heading_ids = o.figures = o.pull_quotes = true;
  RenderedMarkdown r = render_markdown(
      "## One[^a]\n\n> [!pullquote]\n> Q[^b]\n\nText[^c].\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n", o);
  EXPECT_NE(r.html.find("<h2 id=\"one\">One<sup class=\"footnote-ref\"><a href=\"#fn-a\" "
                        "id=\"fnref-a\" data-footnote-ref>1</a></sup></h2>"),
            std::string::npos)
      << r.html;
  EXPECT_NE(r.html.find("data-footnote-ref>2</a>"), std::string::npos) << r.html;
  EXPECT_NE(r.html.find("data-footnote-ref>3</a>"), std::string::npos) << r.html;
  EXPECT_NE(r.html.find("<li id=\"fn-c\">"), std::string::npos) << r.html;
}

TEST(MarkdownExtensionsTest, HardWraps) {
  MarkdownOptions o = plain_options();
  EXPECT_EQ(html_of("a\nb\n", o), "<p>a\nb</p>\n");
  o.hard_wraps = true;
  EXPECT_EQ(html_of("a\nb\n", o), "<p>a<br />\nb</p>\n");
}

TEST(MarkdownExtensionsTest, RawHtmlOnAndOff) {
  MarkdownOptions o = plain_options();
  const char* md = "<div class=\"x\">block</div>\n\nA <b>bold</b> claim.\n";
  o.unsafe_html = true;
  EXPECT_EQ(html_of(md, o), "<div class=\"x\">block</div>\n<p>A <b>bold</b> claim.</p>\n");
  o.unsafe_html = false;
  EXPECT_EQ(html_of(md, o),
            "<!-- raw HTML omitted -->\n<p>A <!-- raw HTML omitted -->bold<!-- raw HTML omitted "
            "--> claim.</p>\n");
}

TEST(MarkdownExtensionsTest, TagFilterEscapesDangerousTags) {
  MarkdownOptions o = plain_options();
  o.tag_filter = true;
  EXPECT_EQ(html_of("A <script>x</script> <b>b</b>\n", o),
            "<p>A &lt;script>x&lt;/script> <b>b</b></p>\n");
}

TEST(MarkdownHeadingTest, IdsAreSlugsUniquePerDocument) {
  MarkdownOptions o = plain_options();
  o.heading_ids = true;
  RenderedMarkdown r = render_markdown(
      "# Hello World\n\n## Hello World\n\nHello World\n---\n\n### `Code` & *Ça va?*\n\n#\n\n## "
      "!!!\n\n## Hello World-1\n",
      o);
  EXPECT_EQ(r.html,
            "<h1 id=\"hello-world\">Hello World</h1>\n"
            "<h2 id=\"hello-world-1\">Hello World</h2>\n"
            "<h2 id=\"hello-world-2\">Hello World</h2>\n"
            "<h3 id=\"code-ca-va\"><code>Code</code> &amp; <em>Ça va?</em></h3>\n"
            "<h1 id=\"section\"></h1>\n"
            "<h2 id=\"section-1\">!!!</h2>\n"
            "<h2 id=\"hello-world-1-1\">Hello World-1</h2>\n");
  ASSERT_EQ(r.toc.size(), 7u);
  EXPECT_EQ(r.toc[0].level, 1);
  EXPECT_EQ(r.toc[0].id, "hello-world");
  EXPECT_EQ(r.toc[0].text, "Hello World");
  EXPECT_EQ(r.toc[2].level, 2);
  EXPECT_EQ(r.toc[2].id, "hello-world-2");
  EXPECT_EQ(r.toc[3].level, 3);
  EXPECT_EQ(r.toc[3].id, "code-ca-va");
  EXPECT_EQ(r.toc[3].text, "Code & Ça va?");
  EXPECT_EQ(r.toc[4].id, "section");
  EXPECT_EQ(r.toc[4].text, "");
}

TEST(MarkdownHeadingTest, IdsOffKeepsCmarkHeadingsAndPlainToc) {
  MarkdownOptions o = plain_options();
  RenderedMarkdown r = render_markdown("# Hello *World*\n\n## Next\n", o);
  EXPECT_EQ(r.html, "<h1>Hello <em>World</em></h1>\n<h2>Next</h2>\n");
  ASSERT_EQ(r.toc.size(), 2u);
  EXPECT_EQ(r.toc[0].id, "");
  EXPECT_EQ(r.toc[0].text, "Hello World");
  EXPECT_EQ(r.toc[1].level, 2);
}

// Raw inline HTML points into its heading's buffer; the heading is replaced
// but must stay alive until the render (caught by the sanitizer build).
TEST(MarkdownHeadingTest, RawHtmlInsideRewrittenHeading) {
  MarkdownOptions o = plain_options();
  o.heading_ids = true;
  EXPECT_EQ(html_of("# Big <b>bold</b> move\n", o),
            "<h1 id=\"big-bold-move\">Big <b>bold</b> move</h1>\n");
  EXPECT_EQ(render_markdown_inline("A <b>raw</b> caption", o), "A <b>raw</b> caption");
}

TEST(MarkdownHeadingTest, HeadingsInsideContainersGetIds) {
  MarkdownOptions o = plain_options();
  o.heading_ids = true;
  EXPECT_EQ(html_of("> # Quoted\n\n- ## Listed\n", o),
            "<blockquote>\n<h1 id=\"quoted\">Quoted</h1>\n</blockquote>\n"
            "<ul>\n<li>\n<h2 id=\"listed\">Listed</h2>\n</li>\n</ul>\n");
}

class MarkdownFigureTest : public ::testing::Test {
 protected:
  MarkdownFigureTest() {
    o = plain_options();
    o.figures = true;
  }
  MarkdownOptions o;
};

TEST_F(MarkdownFigureTest, CaptionFromTitle) {
  EXPECT_EQ(html_of("![A harbour](/img/h.jpg \"The harbour at dawn\")\n", o),
            "<figure><img src=\"/img/h.jpg\" alt=\"A harbour\" loading=\"lazy\">"
            "<figcaption>The harbour at dawn</figcaption></figure>\n");
}

TEST_F(MarkdownFigureTest, CreditAfterBar) {
  EXPECT_EQ(html_of("![x](/a.jpg \"Minsk, 2020 | Reuters/Jane Doe\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>Minsk, 2020 "
            "<span class=\"credit\">Reuters/Jane Doe</span></figcaption></figure>\n");
}

TEST_F(MarkdownFigureTest, CreditMarker) {
  EXPECT_EQ(html_of("![x](/a.jpg \"Protesters in Minsk. CREDIT: A. PHOTOGRAPHER/AGENCY\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>Protesters in "
            "Minsk. <span class=\"credit\">CREDIT: A. PHOTOGRAPHER/AGENCY</span></figcaption>"
            "</figure>\n");
}

TEST_F(MarkdownFigureTest, CopyrightAndPhotoMarkers) {
  EXPECT_EQ(html_of("![x](/a.jpg \"The pier \xC2\xA9 Jane Doe\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>The pier "
            "<span class=\"credit\">\xC2\xA9 Jane Doe</span></figcaption></figure>\n");
  EXPECT_EQ(html_of("![x](/a.jpg \"The pier. Photo: Jane Doe\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>The pier. "
            "<span class=\"credit\">Photo: Jane Doe</span></figcaption></figure>\n");
}

TEST_F(MarkdownFigureTest, CreditOnly) {
  EXPECT_EQ(html_of("![x](/a.jpg \"CREDIT: AP\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>"
            "<span class=\"credit\">CREDIT: AP</span></figcaption></figure>\n");
  EXPECT_EQ(html_of("![x](/a.jpg \"\xC2\xA9 AP\")\n", o),
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"><figcaption>"
            "<span class=\"credit\">\xC2\xA9 AP</span></figcaption></figure>\n");
}

TEST_F(MarkdownFigureTest, NoTitleNoCaption) {
  EXPECT_EQ(html_of("![A harbour](/img/h.jpg)\n", o),
            "<figure><img src=\"/img/h.jpg\" alt=\"A harbour\" loading=\"lazy\"></figure>\n");
}

TEST_F(MarkdownFigureTest, InlineImageStaysInline) {
  EXPECT_EQ(html_of("Look ![x](/a.jpg \"t\") here.\n", o),
            "<p>Look <img src=\"/a.jpg\" alt=\"x\" title=\"t\" /> here.</p>\n");
  EXPECT_EQ(html_of("![a](/a.jpg) ![b](/b.jpg)\n", o),
            "<p><img src=\"/a.jpg\" alt=\"a\" /> <img src=\"/b.jpg\" alt=\"b\" /></p>\n");
}

TEST_F(MarkdownFigureTest, EscapingInAltSrcAndCaption) {
  EXPECT_EQ(html_of("![Tom & \"Jerry\" *<3*](/a b.jpg)\n", o),
            "<p>![Tom &amp; &quot;Jerry&quot; <em>&lt;3</em>](/a b.jpg)</p>\n");
  EXPECT_EQ(html_of("![Tom & \"Jerry\" *<3*](</a b.jpg?x=1&y=[2]> \"Fish & <chips>\")\n", o),
            "<figure><img src=\"/a%20b.jpg?x=1&amp;y=%5B2%5D\" alt=\"Tom &amp; &#34;Jerry&#34; "
            "&lt;3\" loading=\"lazy\"><figcaption>Fish &amp; &lt;chips&gt;</figcaption>"
            "</figure>\n");
}

TEST_F(MarkdownFigureTest, DangerousSourceDroppedWithoutUnsafeHtml) {
  o.unsafe_html = false;
  EXPECT_EQ(html_of("![x](javascript:alert(1))\n", o),
            "<figure><img src=\"\" alt=\"x\" loading=\"lazy\"></figure>\n");
  EXPECT_EQ(html_of("![x](data:image/png;base64,AAAA)\n", o),
            "<figure><img src=\"data:image/png;base64,AAAA\" alt=\"x\" loading=\"lazy\">"
            "</figure>\n");
}

TEST_F(MarkdownFigureTest, Disabled) {
  o.figures = false;
  EXPECT_EQ(html_of("![A](/a.jpg \"Cap\")\n", o),
            "<p><img src=\"/a.jpg\" alt=\"A\" title=\"Cap\" /></p>\n");
}

TEST_F(MarkdownFigureTest, CaptionCountsAsTextAltDoesNot) {
  RenderedMarkdown r = render_markdown("![secret alt words](/a.jpg \"Two words\")\n", o);
  EXPECT_EQ(r.plain_text, "Two words");
  EXPECT_EQ(r.word_count, 2u);
}

// The page's images as a build would see them: a few files with sizes, a
// file with none, missing local URLs; everything else not local.
ImageInfo fake_image(std::string_view url, bool) {
  ImageInfo info;
  if (url == "/a.jpg" || url == "photo.jpg") info.size = ImageSize{640, 480};
  if (url == "/wide.png") info.size = ImageSize{1200, 300};
  if (url.starts_with("/gone") || url.starts_with("gone")) info.missing = true;
  return info;
}

class MarkdownImageSizeTest : public ::testing::Test {
 protected:
  MarkdownImageSizeTest() {
    o = plain_options();
    o.figures = true;
  }
  std::string html(std::string_view md) const { return render_markdown(md, o, lookup).html; }
  MarkdownOptions o;
  ImageLookup lookup = fake_image;
};

TEST_F(MarkdownImageSizeTest, FigureGetsWidthAndHeight) {
  EXPECT_EQ(html("![A harbour](/a.jpg \"The harbour | CREDIT: AP\")\n"),
            "<figure><img src=\"/a.jpg\" alt=\"A harbour\" width=\"640\" height=\"480\" "
            "loading=\"lazy\"><figcaption>The harbour <span class=\"credit\">CREDIT: AP</span>"
            "</figcaption></figure>\n");
  EXPECT_EQ(html("![x](https://example.org/a.jpg)\n"),
            "<figure><img src=\"https://example.org/a.jpg\" alt=\"x\" loading=\"lazy\">"
            "</figure>\n");
}

TEST_F(MarkdownImageSizeTest, InlineImagesGetWidthAndHeight) {
  EXPECT_EQ(html("Look ![x](/a.jpg \"t\") and ![y](/other.jpg) here.\n"),
            "<p>Look <img src=\"/a.jpg\" alt=\"x\" title=\"t\" width=\"640\" height=\"480\" /> "
            "and <img src=\"/other.jpg\" alt=\"y\" /> here.</p>\n");
  o.figures = false;
  EXPECT_EQ(html("![Banner](/wide.png)\n"),
            "<p><img src=\"/wide.png\" alt=\"Banner\" width=\"1200\" height=\"300\" /></p>\n");
  // In a link, a heading, a list.
  o.heading_ids = true;
  EXPECT_EQ(html("## Logo ![l](photo.jpg)\n\n- [![b](/a.jpg)](/home/)\n"),
            "<h2 id=\"logo-l\">Logo <img src=\"photo.jpg\" alt=\"l\" width=\"640\" height=\"480\" "
            "/></h2>\n<ul>\n<li><a href=\"/home/\"><img src=\"/a.jpg\" alt=\"b\" width=\"640\" "
            "height=\"480\" /></a></li>\n</ul>\n");
}

TEST_F(MarkdownImageSizeTest, SizedInlineImageIsCmarksMarkupPlusTheSize) {
  // Whatever the alt, title and URL hold, a sized image reads as cmark
  // writes it, with width and height before the end.
  const char* cases[] = {
      "A ![Tom & \"Jerry\" *<3* `c<d` <b>raw</b>\nnext](/a.jpg \"Fish & \\\"chips\\\" <x>\") z\n",
      "A ![![inner](/wide.png) outer **bold**](/a.jpg) z\n",
      "A ![x][ref] z\n\n[ref]: /a.jpg \"It's 'q' & <b>\"\n",
      "A ![x](</a.jpg>) ![&copy; &#42; \\* ~](/a.jpg) z\n",
      "A ![x](/a.jpg \"\") z\n",
  };
  for (bool smart : {false, true}) {
    o.smart_punctuation = smart;
    for (const char* md : cases) {
      std::string plain = render_markdown(md, o).html;
      std::string sized = html(md);
      std::string expected = plain;
      size_t at = 0;
      while ((at = expected.find("src=\"/a.jpg\"", at)) != std::string::npos) {
        size_t end = expected.find(" />", at);
        expected.insert(end, " width=\"640\" height=\"480\"");
        at = end;
      }
      EXPECT_NE(expected, plain) << md;
      EXPECT_EQ(sized, expected) << md;
    }
  }
}

TEST_F(MarkdownImageSizeTest, UnsafeUrlsStayDropped) {
  o.unsafe_html = false;
  ImageLookup any = [](std::string_view, bool) {
    return ImageInfo{ImageSize{2, 3}, false, nullptr, {}, false};
  };
  EXPECT_EQ(render_markdown("A ![x](javascript:alert(1)) z\n", o, any).html,
            "<p>A <img src=\"\" alt=\"x\" width=\"2\" height=\"3\" /> z</p>\n");
}

TEST_F(MarkdownImageSizeTest, AskedOncePerImage) {
  std::vector<std::string> asked;
  ImageLookup record = [&](std::string_view url, bool) {
    asked.emplace_back(url);
    return ImageInfo{};
  };
  render_markdown("![f](/f.jpg)\n\nA ![i](/i.jpg) and ![o ![n](/n.jpg)](/o.jpg)\n", o, record);
  // A nested image is text of its parent's alt, not an image of the page.
  EXPECT_EQ(asked, (std::vector<std::string>{"/f.jpg", "/i.jpg", "/o.jpg"}));
}

TEST_F(MarkdownImageSizeTest, RawHtmlImagesAreSizedAndProcessedKeepingTheirAttributes) {
  o.unsafe_html = true;
  auto photo = std::make_shared<ProcessedImage>();
  photo->status = ProcessedImage::Status::kProcessed;
  photo->format = ImageFormat::kJpeg;
  photo->width = 800;
  photo->height = 400;
  for (const char* f : {"webp", "jpeg"})
    for (int w : {400, 800}) photo->variants.push_back({w, w / 2, f, {}});
  ImageLookup lookup = [&](std::string_view url, bool) {
    ImageInfo info = fake_image(url, true);
    if (url == "/p.jpg") {
      info.size = ImageSize{800, 400};
      info.processed = photo;
    }
    if (info.missing) info.problem = "not found";
    return info;
  };
  RenderedMarkdown r = render_markdown(
      "<div class=\"wp-block-image\"><img src=\"/p.jpg\" class=\"alignleft wp-image-5\" "
      "alt=\"Tom &amp; Jerry\" srcset=\"/p-300x150.jpg 300w\" sizes=\"50vw\" width=\"300\" "
      "data-id=\"5\"></div>\n\n"
      "Text <img src='/a.jpg' alt=\"x\"/> and <IMG SRC=/p.jpg> and <img src=\"/wide.png\" "
      "width=\"10\">.\n\n"
      "<p>\n  <img src=\"/gone.jpg\" alt=\"g\">\n</p>\n",
      o, lookup);
  EXPECT_EQ(r.html,
            "<div class=\"wp-block-image\"><picture><source type=\"image/webp\" "
            "srcset=\"/p-400w.webp 400w, /p-800w.webp 800w\" sizes=\"100vw\"><img "
            "src=\"/p-800w.jpg\" srcset=\"/p-400w.jpg 400w, /p-800w.jpg 800w\" sizes=\"100vw\" "
            "alt=\"Tom &amp; Jerry\" width=\"800\" height=\"400\" class=\"alignleft wp-image-5\" "
            "data-id=\"5\"></picture></div>\n"
            "<p>Text <img src='/a.jpg' alt=\"x\" width=\"640\" height=\"480\"/> and <picture>"
            "<source type=\"image/webp\" srcset=\"/p-400w.webp 400w, /p-800w.webp 800w\" "
            "sizes=\"100vw\"><img src=\"/p-800w.jpg\" srcset=\"/p-400w.jpg 400w, /p-800w.jpg "
            "800w\" sizes=\"100vw\" alt=\"\" width=\"800\" height=\"400\" loading=\"lazy\" "
            "decoding=\"async\"></picture> and <img src=\"/wide.png\" width=\"10\">.</p>\n"
            "<p>\n  <img src=\"/gone.jpg\" alt=\"g\">\n</p>\n");
  ASSERT_EQ(r.missing_images.size(), 1u);
  EXPECT_EQ(r.missing_images[0].url, "/gone.jpg");
  EXPECT_EQ(r.missing_images[0].line, 6);
  EXPECT_EQ(r.missing_images[0].column, 3);
  // Without unsafe_html raw HTML is not written: nothing is asked.
  o.unsafe_html = false;
  bool asked = false;
  ImageLookup none = [&](std::string_view, bool) {
    asked = true;
    return ImageInfo{};
  };
  render_markdown("<img src=\"/p.jpg\">\n", o, none);
  EXPECT_FALSE(asked);
}

TEST_F(MarkdownImageSizeTest, KeepOriginalTokenLeavesTitleAndAsksNotToProcess) {
  std::vector<std::pair<std::string, bool>> asked;
  ImageLookup record = [&](std::string_view url, bool process) {
    asked.emplace_back(std::string(url), process);
    return fake_image(url, process);
  };
  std::string out = render_markdown(
                        "![Chart](/a.jpg \"Q3 results {original} | CREDIT: AP\")\n\n"
                        "Inline ![i](/wide.png \"{original}\") and ![j](/a.jpg \"kept\").\n",
                        o, record)
                        .html;
  EXPECT_EQ(asked, (std::vector<std::pair<std::string, bool>>{
                       {"/a.jpg", false}, {"/wide.png", false}, {"/a.jpg", true}}));
  EXPECT_EQ(out,
            "<figure><img src=\"/a.jpg\" alt=\"Chart\" width=\"640\" height=\"480\" "
            "loading=\"lazy\"><figcaption>Q3 results <span class=\"credit\">CREDIT: AP</span>"
            "</figcaption></figure>\n"
            "<p>Inline <img src=\"/wide.png\" alt=\"i\" width=\"1200\" height=\"300\" /> and "
            "<img src=\"/a.jpg\" alt=\"j\" title=\"kept\" width=\"640\" height=\"480\" />.</p>\n");
}

TEST_F(MarkdownImageSizeTest, KeepOriginalTokenInRawHtmlTitleLeavesItUnprocessed) {
  o.unsafe_html = true;
  auto photo = std::make_shared<ProcessedImage>();
  photo->status = ProcessedImage::Status::kProcessed;
  photo->format = ImageFormat::kJpeg;
  photo->width = 800;
  photo->height = 400;
  for (const char* f : {"webp", "jpeg"})
    for (int w : {400, 800}) photo->variants.push_back({w, w / 2, f, {}});
  std::vector<std::pair<std::string, bool>> asked;
  ImageLookup lookup = [&](std::string_view url, bool process) {
    asked.emplace_back(std::string(url), process);
    ImageInfo info = fake_image(url, process);
    if (url == "/p.jpg") {
      info.size = ImageSize{800, 400};
      // What ImageSet gives: the processed variants only when asked for.
      if (process) info.processed = photo;
    }
    return info;
  };
  std::string out =
      render_markdown(
          "<div><img src=\"/p.jpg\" class=\"chart\" title=\"Q3 &amp; Q4 {original} results\" "
          "alt=\"Q\"></div>\n\n"
          "<p><img src=\"/p.jpg\" title='{original}' width=\"400\" /> and "
          "<img src=\"/p.jpg\"\n  title=\"{original}\"/></p>\n\n"
          "<p><img src=\"/p.jpg\" title=\"original\"></p>\n",
          o, lookup)
          .html;
  EXPECT_EQ(asked, (std::vector<std::pair<std::string, bool>>{
                       {"/p.jpg", false}, {"/p.jpg", false}, {"/p.jpg", false}, {"/p.jpg", true}}));
  // No <picture>: the file as it is, the token out of the title (an empty
  // title gone), the other attributes as written, width and height added
  // where the tag had neither.
  EXPECT_EQ(out,
            "<div><img src=\"/p.jpg\" class=\"chart\" title=\"Q3 &amp; Q4 results\" "
            "alt=\"Q\" width=\"800\" height=\"400\"></div>\n"
            "<p><img src=\"/p.jpg\" width=\"400\" /> and "
            "<img src=\"/p.jpg\" width=\"800\" height=\"400\"/></p>\n"
            "<p><picture><source type=\"image/webp\" srcset=\"/p-400w.webp 400w, /p-800w.webp "
            "800w\" sizes=\"100vw\"><img src=\"/p-800w.jpg\" srcset=\"/p-400w.jpg 400w, "
            "/p-800w.jpg 800w\" sizes=\"100vw\" alt=\"\" title=\"original\" width=\"800\" "
            "height=\"400\"></picture></p>\n");
}

TEST_F(MarkdownImageSizeTest, MissingImagesArePlaced) {
  RenderedMarkdown r = render_markdown(
      "Intro.\n\n![Fig](/gone/a.png \"Cap\")\n\nText \xC3\xA9t\xC3\xA9 ![x](gone.png) and\n"
      "   more \xC3\xA9 ![y](/gone/b.png) end.\n\n> quoted ![q](/gone/c.png)\n\n![ok](/a.jpg)\n",
      o, lookup);
  ASSERT_EQ(r.missing_images.size(), 4u);
  auto at = [&](size_t i) {
    const MissingImage& m = r.missing_images[i];
    return m.url + "@" + std::to_string(m.line) + ":" + std::to_string(m.column);
  };
  // Document order; columns count characters and see past the indentation
  // cmark strips from a paragraph's continuation line.
  EXPECT_EQ(at(0), "/gone/a.png@3:1");
  EXPECT_EQ(at(1), "gone.png@5:10");
  EXPECT_EQ(at(2), "/gone/b.png@6:11");
  EXPECT_EQ(at(3), "/gone/c.png@8:10");
  EXPECT_NE(r.html.find("<img src=\"/gone/a.png\" alt=\"Fig\" loading=\"lazy\">"),
            std::string::npos);
}

TEST_F(MarkdownImageSizeTest, ManyMissingImagesArePlacedInOnePass) {
  // Placing 20,000 missing images must not rescan the text for each one.
  std::string md;
  for (int i = 0; i < 20000; ++i) md += "Line \xC3\xA9 ![x](/gone.png) and more.\n\n";
  auto start = std::chrono::steady_clock::now();
  RenderedMarkdown r = render_markdown(md, o, lookup);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(r.missing_images.size(), 20000u);
  EXPECT_EQ(r.missing_images.back().line, 39999);
  EXPECT_EQ(r.missing_images.back().column, 8);
}

TEST_F(MarkdownImageSizeTest, NoLookupNoSizes) {
  EXPECT_EQ(render_markdown("![x](/a.jpg)\n\nA ![y](/a.jpg) z\n", o).html,
            "<figure><img src=\"/a.jpg\" alt=\"x\" loading=\"lazy\"></figure>\n"
            "<p>A <img src=\"/a.jpg\" alt=\"y\" /> z</p>\n");
  EXPECT_TRUE(render_markdown("![x](/gone.png)\n", o).missing_images.empty());
}

class MarkdownPullQuoteTest : public ::testing::Test {
 protected:
  MarkdownPullQuoteTest() {
    o = plain_options();
    o.pull_quotes = true;
  }
  MarkdownOptions o;
};

TEST_F(MarkdownPullQuoteTest, BecomesAsideWithoutMarker) {
  EXPECT_EQ(html_of("> [!pullquote]\n> Words that *sing*.\n\nBody text here.\n", o),
            "<aside class=\"pullquote\">\n<p>Words that <em>sing</em>.</p>\n</aside>\n"
            "<p>Body text here.</p>\n");
}

TEST_F(MarkdownPullQuoteTest, MarkerIsCaseInsensitiveAndMayStandAlone) {
  EXPECT_EQ(html_of("> [!PullQuote]\n>\n> One.\n>\n> Two.\n", o),
            "<aside class=\"pullquote\">\n<p>One.</p>\n<p>Two.</p>\n</aside>\n");
}

TEST_F(MarkdownPullQuoteTest, OrdinaryQuotesStay) {
  EXPECT_EQ(html_of("> Just a quote.\n", o), "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n");
  // GitHub's alert syntax wants the marker alone on its line.
  EXPECT_EQ(html_of("> [!pullquote] inline\n", o),
            "<blockquote>\n<p>[!pullquote] inline</p>\n</blockquote>\n");
  EXPECT_EQ(html_of("> [!note]\n> Hi.\n", o), "<blockquote>\n<p>[!note]\nHi.</p>\n</blockquote>\n");
}

TEST_F(MarkdownPullQuoteTest, Disabled) {
  o.pull_quotes = false;
  EXPECT_EQ(html_of("> [!pullquote]\n> Words.\n", o),
            "<blockquote>\n<p>[!pullquote]\nWords.</p>\n</blockquote>\n");
}

TEST_F(MarkdownPullQuoteTest, ExcludedFromWordsPlainTextTocAndSummary) {
  o.heading_ids = true;
  RenderedMarkdown r = render_markdown(
      "> [!pullquote]\n> Quoted words here.\n>\n> ## Quote heading\n\nBody has "
      "four words.\n",
      o);
  EXPECT_EQ(r.plain_text, "Body has four words.");
  EXPECT_EQ(r.word_count, 4u);
  EXPECT_EQ(r.summary_html, "Body has four words.");
  EXPECT_FALSE(r.summary_is_truncated);
  EXPECT_TRUE(r.toc.empty());
}

TEST(MarkdownSummaryTest, MoreMarkerCutsRenderedHtml) {
  MarkdownOptions o = plain_options();
  o.heading_ids = true;
  RenderedMarkdown r =
      render_markdown("## Intro\n\nFirst *para*.\n\n<!--  MORE -->\n\nSecond para.\n", o);
  EXPECT_EQ(r.summary_html, "<h2 id=\"intro\">Intro</h2>\n<p>First <em>para</em>.</p>\n");
  EXPECT_TRUE(r.summary_is_truncated);
  // The marker itself leaves no trace in the page.
  EXPECT_EQ(r.html,
            "<h2 id=\"intro\">Intro</h2>\n<p>First <em>para</em>.</p>\n<p>Second "
            "para.</p>\n");
}

TEST(MarkdownSummaryTest, MoreMarkerWithFootnotes) {
  MarkdownOptions o = plain_options();
  o.footnotes = true;
  RenderedMarkdown r = render_markdown("A[^1].\n\n<!--more-->\n\nB.\n\n[^1]: Note.\n", o);
  EXPECT_EQ(r.summary_html,
            "<p>A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" "
            "data-footnote-ref>1</a></sup>.</p>\n");
  EXPECT_NE(r.html.find("<li id=\"fn-1\">"), std::string::npos);
}

TEST(MarkdownSummaryTest, InlineMoreCommentIsNotAMarker) {
  MarkdownOptions o = plain_options();
  RenderedMarkdown r = render_markdown("First <!--more--> para.\n\nSecond.\n", o);
  EXPECT_EQ(r.summary_html, "First  para.");
  EXPECT_FALSE(r.summary_is_truncated);
}

TEST(MarkdownSummaryTest, FirstParagraphSkipsHeadingsFiguresPullQuotes) {
  MarkdownOptions o = plain_options();
  o.figures = o.pull_quotes = true;
  RenderedMarkdown r = render_markdown(
      "# Title\n\n![a](/b.jpg \"Cap\")\n\n> [!pullquote]\n> Quote.\n\nThe first *real* "
      "paragraph.\n\nSecond.\n",
      o);
  EXPECT_EQ(r.summary_html, "The first real paragraph.");
  EXPECT_FALSE(r.summary_is_truncated);
}

TEST(MarkdownSummaryTest, SkipsParagraphsWithoutText) {
  MarkdownOptions o = plain_options();
  RenderedMarkdown r = render_markdown("<img src=\"/x.jpg\"> <br>\n\nReal words.\n", o);
  EXPECT_EQ(r.html, "<p><img src=\"/x.jpg\"> <br></p>\n<p>Real words.</p>\n");
  EXPECT_EQ(r.summary_html, "Real words.");
}

TEST(MarkdownSummaryTest, TruncatesOnWordBoundary) {
  MarkdownOptions o = plain_options();
  o.summary_words = 5;
  RenderedMarkdown r = render_markdown("One, two; three four five, six seven.\n", o);
  EXPECT_EQ(r.summary_html, "One, two; three four five\xE2\x80\xA6");
  EXPECT_TRUE(r.summary_is_truncated);

  r = render_markdown("One two three four five.\n", o);
  EXPECT_EQ(r.summary_html, "One two three four five.");
  EXPECT_FALSE(r.summary_is_truncated);

  r = render_markdown("One two\nthree four fivesix seven\n", o);
  EXPECT_EQ(r.summary_html, "One two three four fivesix\xE2\x80\xA6");
}

TEST(MarkdownSummaryTest, DefaultLengthIsSeventyWords) {
  std::string md;
  for (int i = 0; i < 100; ++i) {
    md += 'w';
    md += std::to_string(i);
    md += ' ';
  }
  RenderedMarkdown r = render_markdown(md, MarkdownOptions{});
  EXPECT_TRUE(r.summary_is_truncated);
  EXPECT_TRUE(r.summary_html.ends_with("w69\xE2\x80\xA6")) << r.summary_html;
  EXPECT_EQ(r.word_count, 100u);
}

TEST(MarkdownSummaryTest, EscapesPlainText) {
  MarkdownOptions o = plain_options();
  RenderedMarkdown r = render_markdown("Fish & \"chips\" <b>bold</b> `a<b`\n", o);
  EXPECT_EQ(r.summary_html, "Fish &amp; &#34;chips&#34; bold a&lt;b");
}

TEST(MarkdownSummaryTest, EmptyDocument) {
  RenderedMarkdown r = render_markdown("", MarkdownOptions{});
  EXPECT_EQ(r.html, "");
  EXPECT_EQ(r.summary_html, "");
  EXPECT_FALSE(r.summary_is_truncated);
  EXPECT_EQ(r.word_count, 0u);
}

TEST(MarkdownTextTest, PlainTextAndWordCount) {
  MarkdownOptions o = plain_options();
  o.tables = true;
  RenderedMarkdown r = render_markdown(
      "Hello *big* [world](/w).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n"
      "```\ncode here\n```\n\n<div>raw</div>\n",
      o);
  EXPECT_EQ(r.plain_text, "Hello big world.\none\ntwo\na\nb\nc\nd\ncode here");
  EXPECT_EQ(r.word_count, 11u);
}

TEST(MarkdownTextTest, WordCountAgreesWithBaseCountWords) {
  MarkdownOptions o;
  for (const char* md :
       {"Don't stop -- now!", "\"It's\" a well-known fact---isn't it...", "Россия и Украина, 2022.",
        "  a  b\tc\n\nd-e f'g ", "x", "", "\xE2\x80\x94 \xC3\xA9t\xC3\xA9 1,000 3.14"}) {
    RenderedMarkdown r = render_markdown(md, o);
    EXPECT_EQ(r.word_count, count_words(r.plain_text)) << md;
  }
}

// The count runs sixteen bytes at a time: words that straddle the blocks,
// blocks that end or start mid-word, and every byte value (a pseudo-random
// mix, so the same text every run) must count as base's byte loop counts.
TEST(MarkdownTextTest, WordCountAgreesAcrossSixteenByteBlocks) {
  MarkdownOptions o;
  const std::string alphabet = "abcXYZ09'- \t.,;:!?@[`{~/\xC3\xA9\xD0\x96\xE2\x80\x94";
  uint32_t seed = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string md;
    size_t length = 1 + round * 3;
    for (size_t k = 0; k < length; ++k) {
      seed = seed * 1103515245u + 12345u;
      md += alphabet[(seed >> 16) % alphabet.size()];
    }
    RenderedMarkdown r = render_markdown(md, o);
    EXPECT_EQ(r.word_count, count_words(r.plain_text)) << md;
  }
  // A 17-byte word over the first block's end, then words at offsets 15/16.
  for (const char* md : {"aaaaaaaaaaaaaaaaa b", "aaaaaaaaaaaaaa b c", "aaaaaaaaaaaaaaa bc",
                         "               abc", "0123456789abcdef0123456789abcdef x"}) {
    RenderedMarkdown r = render_markdown(md, o);
    EXPECT_EQ(r.word_count, count_words(r.plain_text)) << md;
  }
}

TEST(MarkdownTextTest, PathologicalInputsStayFast) {
  auto start = std::chrono::steady_clock::now();
  std::string headings;
  for (int i = 0; i < 20000; ++i) headings += "## Update\n\n";
  RenderedMarkdown r = render_markdown(headings, MarkdownOptions{});
  ASSERT_EQ(r.toc.size(), 20000u);
  EXPECT_EQ(r.toc.back().id, "update-19999");
  std::string quotes(20000, '>');
  render_markdown(quotes + " [!pullquote]\n" + quotes + " deep\n", MarkdownOptions{});
  std::string images;
  for (int i = 0; i < 20000; ++i) images += "![a](b \"c\") ";
  render_markdown(images, MarkdownOptions{});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(MarkdownInlineTest, UnwrapsSingleParagraph) {
  MarkdownOptions o;
  EXPECT_EQ(render_markdown_inline("A *caption* -- here", o),
            "A <em>caption</em> \xE2\x80\x93 here");
  EXPECT_EQ(render_markdown_inline("", o), "");
  EXPECT_EQ(render_markdown_inline("One.\n\nTwo.", o), "<p>One.</p>\n<p>Two.</p>");
  EXPECT_EQ(render_markdown_inline("# Heading", o), "<h1 id=\"heading\">Heading</h1>");
}

// Strikethrough, autolinks and tables depend on a character table cmark-gfm
// keeps in a global (see cmark_global_state.h); concurrent renders must give
// what sequential ones do.
TEST(MarkdownThreadTest, ConcurrentRendersMatchSequential) {
  std::vector<std::string> docs;
  for (int i = 0; i < 200; ++i) {
    std::string n = std::to_string(i);
    docs.push_back("# Post " + n + "\n\nSome ~~struck " + n + "~~ text at www.example.com/" + n +
                   " and \"quotes\"[^1].\n\n| a | b |\n|---|---|\n| " + n + " | x |\n\n" +
                   "![Pic " + n + "](/p" + n + ".jpg \"Cap | Credit\")\n\n> [!pullquote]\n> Q " +
                   n + "\n\n- [x] done ~" + n + "~\n\n[^1]: Note " + n + ".\n" +
                   std::string(static_cast<size_t>(i % 7) * 40, 'w'));
  }
  MarkdownOptions o;
  std::vector<RenderedMarkdown> sequential;
  for (const std::string& d : docs) sequential.push_back(render_markdown(d, o));
  EXPECT_TRUE(cmark_special_chars_guarded());
  ASSERT_NE(sequential[5].html.find("<del>struck 5</del>"), std::string::npos);
  ASSERT_NE(sequential[5].html.find("href=\"http://www.example.com/5\""), std::string::npos);

  for (int round = 0; round < 3; ++round) {
    std::vector<RenderedMarkdown> parallel(docs.size());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = static_cast<size_t>(t); i < docs.size(); i += 4)
          parallel[i] = render_markdown(docs[i], o);
      });
    }
    for (std::thread& th : threads) th.join();
    for (size_t i = 0; i < docs.size(); ++i) {
      ASSERT_EQ(parallel[i].html, sequential[i].html) << "doc " << i;
      ASSERT_EQ(parallel[i].plain_text, sequential[i].plain_text) << "doc " << i;
      ASSERT_EQ(parallel[i].summary_html, sequential[i].summary_html) << "doc " << i;
    }
  }
}

// Every rewrite the walk makes (more marker, pull quote, figures, heading
// ids, footnotes, a table) gives the same HTML, summary and text whether the
// document's memory comes from the thread's arena or, for a document opened
// inside another one's lease, from cmark's default allocator, whose nodes
// are then freed one by one.
TEST(MarkdownArenaTest, SameResultFromTheArenaAndFromTheDefaultAllocator) {
  MarkdownOptions o;
  o.figures = true;
  const std::string md =
      "Intro with a note[^n] and *emphasis*.\n\n<!--more-->\n\n## A heading\n\n"
      "> **Pull:** a quote\n\n![Harbour](/a.jpg \"Caption | CREDIT: AP\")\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~gone~~ www.example.org\n\n"
      "[^n]: The note.\n";
  const ImageLookup images = [](std::string_view, bool) {
    return ImageInfo{ImageSize{4, 3}, false, nullptr, {}, false};
  };
  RenderedMarkdown from_arena;
  std::string inline_from_arena;
  {
    DocumentArenaLease probe;
    ASSERT_TRUE(probe.is_arena());
  }
  from_arena = render_markdown(md, o, images);
  inline_from_arena = render_markdown_inline("*Standfirst* with a [link](/x/)", o);
  RenderedMarkdown from_default;
  std::string inline_from_default;
  {
    DocumentArenaLease outer;  // holds the arena: documents now use malloc
    ASSERT_TRUE(outer.is_arena());
    from_default = render_markdown(md, o, images);
    inline_from_default = render_markdown_inline("*Standfirst* with a [link](/x/)", o);
  }
  EXPECT_NE(from_arena.html.find("<figure>"), std::string::npos);
  EXPECT_NE(from_arena.html.find("footnote"), std::string::npos);
  EXPECT_EQ(from_arena.html, from_default.html);
  EXPECT_EQ(from_arena.summary_html, from_default.summary_html);
  EXPECT_EQ(from_arena.plain_text, from_default.plain_text);
  EXPECT_EQ(from_arena.word_count, from_default.word_count);
  EXPECT_EQ(inline_from_arena, inline_from_default);
}

}  // namespace
}  // namespace byline
