// The links and ids of an HTML page, found by a small tag and attribute
// scanner: `byline check` reads every page of a built site, and a full
// HTML5 parse of 300 MB would take most of its second. The scanner knows
// what byline's own output (and hand-written HTML in Markdown) looks like:
// tags, quoted and bare attribute values, comments, and the raw text of
// <script>, <style> and <textarea>, which it skips.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// What a link loads, which decides how a broken one is reported.
enum class LinkKind : uint8_t {
  kLink,        // <a href>, <area href>, <link> other than the kinds below
  kImage,       // <img src|srcset>, <source srcset> in <picture>, <link rel=icon>, poster
  kStylesheet,  // <link rel=stylesheet>
  kScript,      // <script src>
  kMedia,       // <iframe>, <audio>, <video>, <source src>, <track>, <embed>
  kRefresh,     // <meta http-equiv=refresh content="0; url=…">: an alias page
};

const char* link_kind_name(LinkKind kind);

struct HtmlLink {
  std::string url;      // entities decoded, surrounding spaces trimmed
  uint32_t offset = 0;  // of the attribute value in the page, for its line
  LinkKind kind = LinkKind::kLink;
};

struct HtmlScan {
  std::vector<HtmlLink> links;
  std::vector<std::string> ids;  // id="…" of any element, name="…" of <a>
};

// Appends the links and ids of `html` to `out`.
void scan_html(std::string_view html, HtmlScan* out);

// Decodes character references (&amp; &#39; &#x2F; and the common named
// ones) in an attribute value.
std::string decode_entities(std::string_view text);

// The URLs of a srcset value ("a.jpg 1x, b.jpg 2x"), without descriptors.
std::vector<std::string_view> srcset_urls(std::string_view srcset);

}  // namespace byline
