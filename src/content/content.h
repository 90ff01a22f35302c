// The content stage: walks content/, reads each file once, decodes its front
// matter into a Page, decides its URL, and lists the files that are copied
// as they are (static/, bundle resources, other files under content/).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/datetime.h"
#include "base/diagnostic.h"
#include "config/config.h"
#include "content/page.h"

namespace byline {

struct ContentOptions {
  bool drafts = false;   // include drafts
  bool future = false;   // include pages dated in the future
  bool expired = false;  // include pages past their expiry_date
  DateTime now = now_utc();
};

// A file published as it is.
struct StaticFile {
  std::string output_path;  // relative to the output folder
  std::filesystem::path source;
  std::string display;  // for diagnostics
};

// What data/<taxonomy>.toml (or .yaml) says about one term: an outlet's
// home page and display name, a co-author's bio.
struct TermData {
  std::string name;          // the key: the term's name as posts write it
  std::string display_name;  // empty: the name
  std::string url;           // the term's own home page, if any
  Value fields = Value::map();
};

struct Content {
  std::vector<Page> pages;  // in content-path order, published pages only
  std::vector<StaticFile> files;
  size_t left_out = 0;                  // drafts, future and expired pages not built
  std::vector<Appearance> appearances;  // the log file's entries, as written
  // Per taxonomy, in SiteConfig::taxonomies order.
  std::vector<std::vector<TermData>> term_data;
  // The first moment after ContentOptions::now at which the clock alone
  // changes what is built: a future post's date comes, a page expires.
  int64_t next_change = INT64_MAX;
};

// A page as the last build read and rendered it (build/incremental.h).
struct RestoredPage {
  // As the last build left it: its front matter decoded, the Markdown
  // stage's summary, intro and word count (see state/page_record.h).
  Page page;
  std::vector<Diagnostic> diagnostics;  // what reading and rendering it reported
  std::vector<BodyInput> body_inputs;
  uint64_t inputs_hash = 0;
};

// Where the content stage finds pages it need not read again.
class PageCache {
 public:
  virtual ~PageCache() = default;
  // The page at `rel` (relative to content/, read from `path`) as the last
  // build made it, when its file and everything its HTML was made from are
  // unchanged.
  virtual bool restore(const std::string& rel, const std::filesystem::path& path,
                       RestoredPage* out) const = 0;
};

// Reads SITE_DIR/content and SITE_DIR/static. Reading and front-matter
// decoding run in parallel; the result does not depend on the thread count.
// Pages `cache` restores are not read (Page::body_restored). Returns false
// when any error was reported.
bool load_content(const SiteConfig& config, const std::filesystem::path& site_dir,
                  const ContentOptions& options, Content* out, DiagnosticSink& sink,
                  const PageCache* cache = nullptr);

// Reads and decodes one page's file, SITE_DIR/content/REL, as load_content()
// does, but does not place it (kind, slug, permalink: see load_content());
// for `byline serve`, which reads again only the pages a save changed.
// Returns false when errors were reported.
bool read_page(const SiteConfig& config, const std::filesystem::path& site_dir,
               const std::string& rel, Page* page, DiagnosticSink& sink);

// The hash the incremental build keys a page's metadata by: its front
// matter's text and where the content stage placed it.
uint64_t page_meta_hash(const Page& page);

// Decodes the front-matter fields every page understands (title, date,
// tags, …) from `fields` into `page`. Exposed for tests.
bool decode_page_fields(const SiteConfig& config, Value fields, Page* page, DiagnosticSink& sink);

// Decides page->permalink and page->output_path from the url field, the
// section's permalink pattern or the page's place. Exposed for tests.
bool assign_permalink(const SiteConfig& config, Page* page, DiagnosticSink& sink);

// Expands a permalink pattern's tokens for a page; empty with `error` set
// when a token cannot be filled.
std::string expand_permalink(std::string_view pattern, const Page& page, std::string* error);

}  // namespace byline
