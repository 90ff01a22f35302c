// A Page: one content file's metadata and body as the content stage reads
// it, plus what later stages derive (permalink, HTML, summary). The site
// model and the templates read pages by reference; a Page is never copied
// after loading.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/datetime.h"
#include "base/diagnostic.h"
#include "base/toc.h"
#include "base/value.h"
#include "content/appearance.h"

namespace byline {

enum class PageKind {
  kHome,     // content/_index.md (or none: the home exists anyway)
  kSection,  // content/<section>/_index.md
  kPost,     // a file inside a section folder
  kPage,     // a standalone file at the top of content/ (about.md)
};

// A file a page's HTML was made from besides its own: an image whose size
// went into <img width height>, or a place one was looked for in vain.
struct BodyInput {
  std::string path;  // relative to the site
  bool exists = false;
  // An image found: the site path it is published at ("/2019/08/x/a.jpg"),
  // beside which its processed variants are published.
  std::string site_path;
};

struct TermRef {
  std::string name;
  std::string slug;  // slugify(name), computed once
  int line = 0;
  int column = 0;
};

struct Page {
  // Where it came from.
  std::string source_path;  // as diagnostics show it: "site/content/posts/2019/x.md"
  std::string rel_path;     // relative to content/, '/'-separated: "posts/2019/x.md"
  std::string rel_dir;      // folder of the page's output-relevant files: "posts/2019"
  PageKind kind = PageKind::kPost;
  std::string section;                 // first folder under content/ ("posts"); "" at the top
  std::string file_slug;               // the file (or bundle folder) name, slugified
  std::vector<std::string> resources;  // a bundle's other files, relative to content/
  std::string source_text;             // the file; its front matter until assembly
  // A page restored from the last build's state does not keep its front
  // matter's text (no diagnostic can quote it: the page gave the same ones
  // last time, and they were saved with their lines); the hash of that
  // text stands for it in its meta hash (page_meta_hash()).
  bool front_matter_dropped = false;
  uint64_t front_matter_hash = 0;
  int body_line = 1;
  size_t body_offset = 0;  // where the Markdown body starts in source_text

  // Front matter.
  std::string title;
  std::optional<DateTime> date;
  std::optional<DateTime> lastmod;
  std::optional<DateTime> expiry_date;
  bool draft = false;
  std::string slug;  // from front matter, verbatim; empty when not given
  std::string url;   // explicit URL from front matter
  std::vector<std::string> aliases;
  std::vector<std::vector<TermRef>> terms;  // per taxonomy, in SiteConfig::taxonomies order
  std::string summary_field;
  int weight = 0;
  Value params = Value::map();  // every front-matter field, as written
  // The writer's archive.
  std::vector<Appearance> appearances;  // attached to this post
  std::string canonical;                // "original", "self" or a URL; empty: the site's choice
  std::string correction;               // Markdown
  std::optional<DateTime> correction_date;
  std::string intro_field;  // `intro:` Markdown

  // Derived.
  std::string permalink;      // site-relative URL path: "/2019/08/slug/"
  std::string output_path;    // "2019/08/slug/index.html"
  SourceLocation url_origin;  // what decided the URL (the slug or url field, or the file)
  // url_origin's line, kept to quote it: the render checks that no two
  // outputs share a file long after the source text is dropped.
  std::string url_line;
  std::string content_html;
  std::string summary_html;
  // The writer's intro (the `intro` field, or the body before an
  // <!-- article --> marker) and where the article starts in content_html.
  std::string intro_html;
  size_t article_offset = 0;
  std::string correction_html;  // the correction's text, rendered inline
  bool summary_truncated = false;
  std::vector<TocEntry> toc;
  size_t word_count = 0;

  // For the incremental build (render/dependencies.h): the hash of the
  // file's bytes, of the other files its HTML was made from (the images
  // whose sizes it gives), and of its front matter and place.
  uint64_t source_hash = 0;
  uint64_t inputs_hash = 0;
  uint64_t meta_hash = 0;
  std::vector<BodyInput> body_inputs;  // set with the body's HTML
  // The site path of its social card (og:image), cut from its featured
  // image (front matter `image`) or else its first processed image; set by
  // the build's images step, "" for none.
  std::string card_path;
  // Restored from the last build's state: the summary, intro and word count
  // are set, but the body's HTML is rendered only when an output shows it
  // (Site::ensure_body).
  bool body_restored = false;

  std::string_view body() const {
    return std::string_view(source_text).substr(std::min(body_offset, source_text.size()));
  }
  std::string_view article_html() const {
    return std::string_view(content_html).substr(std::min(article_offset, content_html.size()));
  }
  bool is_regular() const { return kind == PageKind::kPost || kind == PageKind::kPage; }
};

}  // namespace byline
