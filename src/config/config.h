// byline.toml, read into a typed SiteConfig. The keys of
// ../shared/bench/byline.toml are the format; everything else extends it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/render_limits.h"
#include "base/value.h"
#include "config/site_urls.h"

namespace byline {

struct TaxonomyConfig {
  TaxonomyConfig() = default;
  TaxonomyConfig(std::string n, std::string pattern)
      : name(n), field(std::move(n)), url_pattern(std::move(pattern)) {}

  std::string name;         // "tags"
  std::string field;        // front-matter field its terms come from (default: name)
  std::string url_pattern;  // "/tag/:slug/"
  std::string list_url;     // the term list; empty: the pattern up to :slug ("/tag/")
  int paginate = 0;         // 0: the site's paginate
  bool feeds = true;
  enum class Order { kName, kCount } order = Order::kName;  // of the term list page
  // Term name → the slug its URL uses instead of slugify(name), e.g. to keep
  // WordPress's "mustread" or "parent/child"; `[taxonomies.tags.slugs]`.
  std::map<std::string, std::string> slugs;
  SourceLocation location;
  // Added by byline rather than the config (outlets, authors): written only
  // when some page has terms in it.
  bool automatic = false;
};

struct SectionConfig {
  bool list = true;  // whether the section gets list pages and feeds
  int paginate = 0;  // 0: the site's paginate
};

struct MarkdownConfig {
  bool smart_punctuation = true;
  // Page titles get the body's curly quotes, dashes and ellipses wherever
  // they are shown (pages, lists, feeds, <title>).
  bool smart_titles = true;
  bool footnotes = true;
  bool tables = true;
  bool strikethrough = true;
  bool autolinks = true;
  bool tasklists = true;
  bool unsafe_html = true;  // raw HTML in Markdown is passed through
  bool heading_ids = true;
  bool figures = true;
  bool pull_quotes = true;
  bool hard_wraps = false;
};

// Local images in posts and front matter: the responsive sizes and formats
// byline makes of each (src/images/).
struct ImagesConfig {
  bool process = true;  // false: images are published as they are
  // Widths made of each image, narrowest first; none wider than the source.
  std::vector<int> widths = {480, 800, 1200, 1600};
  int quality = 75;  // JPEG and WebP, as Hugo's default
  // The <img sizes> attribute: how wide the theme shows a body image.
  std::string sizes = "(max-width: 40rem) 100vw, 40rem";
  // An image whose header declares more pixels than this is not decoded
  // (a decompression bomb), and is published as it is.
  int64_t max_pixels = 100'000'000;
  // A social card (og:image) cropped from the featured or first image
  // (`cards = "images"`, the default, or true)...
  bool cards = true;
  // ...and a generated one (title, outlet, site name) for a post or page
  // without an image (`cards = true`).
  bool text_cards = false;
  // Variants keep the source's copyright and credit (EXIF Artist and
  // Copyright, XMP dc:creator, dc:rights, photoshop:Credit, IPTC By-line,
  // Credit, Source, Copyright Notice); other metadata is stripped, the
  // colour profile kept.
  bool keep_credit = false;
  // The formats offered before the image's own, best first ("avif",
  // "webp"); empty: the image's own format only.
  std::vector<std::string> formats = {"webp"};
  SourceLocation formats_location;  // where byline.toml sets them, for warnings
};

struct AuthorConfig {
  std::string name;
  std::string bio;
  std::string email;
  std::string photo;
  std::vector<std::pair<std::string, std::string>> links;  // label → URL
};

// The media-appearances timeline.
struct AppearancesConfig {
  std::string url = "/appearances/";
  std::string title = "Appearances";
  int paginate = 0;  // 0: the site's paginate
  bool feeds = true;
};

// Which feeds each list gets, and their file names (empty: not written).
// RSS only by default, as Hugo does; Atom and JSON Feed are one line each.
struct FeedsConfig {
  std::string rss = "rss.xml";
  std::string atom;  // "atom.xml" turns it on
  std::string json;  // "feed.json" turns it on
  int limit = 20;    // items per feed
};

// Built-in full-text search (`[search]`): the index render/search_outputs
// writes, and the /search/ page.
struct SearchConfig {
  bool enabled = true;
  std::string url = "/search/";  // the search page
  // The fields indexed, of "title", "standfirst", "body", "tags", "outlet",
  // "authors"; their BM25F weights, where a site changes them.
  std::vector<std::string> fields = {"title", "standfirst", "body", "tags", "outlet", "authors"};
  std::map<std::string, double> weights;
  // Left out of the index: pages of these sections, pages with these tags
  // (any spelling of the term), and any page whose front matter says
  // `search: false`.
  std::vector<std::string> exclude_sections;
  std::vector<std::string> exclude_tags;
  bool appearances = true;  // index the appearances log
  // How many related posts each post's `page.related` lists (0: none);
  // computed from the same analysed terms, whether or not the index is
  // written.
  int related = 5;
};

// The field names [search] accepts, in the index's order.
const std::vector<std::string>& search_field_names_config();

struct SiteConfig {
  std::string title;
  SiteUrls urls;  // base_url, and the links joined onto it
  std::string language = "en";
  std::string description;
  // The site's icon, linked from every page by the default theme; the
  // built-in theme ships a /favicon.svg that a site's own static/ replaces.
  // "" links none.
  std::string favicon = "/favicon.svg";
  std::string theme;                     // a folder of SITE/themes/, checked by load_config()
  int theme_line = 0, theme_column = 0;  // where the config names it
  int paginate = 10;
  int summary_length = 70;     // words in an automatic summary
  bool date_archives = false;  // `byline new site` and the WordPress importer turn them on
  bool strict_templates = false;
  // [limits]: what one render of a template may spend.
  RenderLimits render_limits;
  // An image byline cannot process (corrupt, truncated, unsupported, a
  // bomb) is an error rather than a warning.
  bool strict_images = false;
  // Where a republished post's <link rel="canonical"> points: its original
  // (true) or this site. A post's `canonical` field overrides it.
  bool canonical_original = true;
  // How lists (home, sections, terms, archives) show each post: "summary" or
  // "full", as WordPress tag archives do.
  std::string archive_content = "summary";
  std::map<std::string, std::string> permalinks;  // section → pattern
  std::vector<TaxonomyConfig> taxonomies;
  std::map<std::string, SectionConfig> sections;
  MarkdownConfig markdown;
  ImagesConfig images;
  FeedsConfig feeds;
  AuthorConfig author;
  AppearancesConfig appearances;
  SearchConfig search;
  Value params = Value::map();  // [params], free for templates

  // The path the config was read from, as diagnostics show it.
  std::string path;
  const TaxonomyConfig* find_taxonomy(std::string_view name) const;
};

// The tokens a permalink pattern may use.
bool is_permalink_token(std::string_view token);

// Reads SITE_DIR/byline.toml. Unknown keys are warnings, wrong types and
// missing required keys errors; returns false when there were errors.
bool load_config(const std::filesystem::path& site_dir, SiteConfig* out, DiagnosticSink& sink);

// Parses TOML text (for tests and for `byline new`); `path` is for
// diagnostics only.
bool parse_config(std::string_view text, const std::string& path, SiteConfig* out,
                  DiagnosticSink& sink);

}  // namespace byline
