// Reads a WordPress export (WXR 1.0, 1.1, 1.2) into plain records. Elements
// are matched by namespace URI, so a prefix rebound to another URI is not
// mistaken for WordPress data; an undeclared prefix falls back to its name.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

struct WxrAuthor {
  std::string login;
  std::string display_name;
  std::string email;
};

// A term declared at channel level (wp:category, wp:tag, wp:term).
struct WxrTerm {
  std::string taxonomy;  // "category", "post_tag", or a custom taxonomy
  std::string slug;
  std::string name;
  std::string parent_slug;  // categories and hierarchical terms only
  std::string description;
};

// A term attached to an item: <category domain="post_tag" nicename="x">Name</category>.
struct WxrItemTerm {
  std::string domain;
  std::string slug;
  std::string name;
};

// A comment on an item (wp:comment). The commenter's e-mail address and IP
// are never read: nothing can publish them by mistake.
struct WxrComment {
  int64_t id = 0;
  int64_t parent = 0;
  std::string author;
  std::string author_url;
  std::string date;      // site-local, as wp:post_date
  std::string date_gmt;  // UTC
  std::string approved;  // "1" approved, "0" pending, "spam", "trash"
  std::string type;      // "" or "comment", "pingback", "trackback"
  std::string_view content;
};

struct WxrItem {
  int line = 0;  // where the <item> starts, for the report
  // Where the item lies in the export, so its body can be read again later
  // (see read_wxr_item_body); 0/0 when the file could not be split.
  size_t source_begin = 0;
  size_t source_end = 0;
  bool has_body = true;  // false when read_wxr was told to leave it for later
  std::string title;
  std::string link;
  std::string guid;
  std::string pub_date;  // RFC 822, as <pubDate> has it
  std::string creator;
  // Post bodies stay where the parser left them, in the channel's storage,
  // so a 100 MB export is not held twice.
  std::string_view content;
  std::string_view excerpt;
  // wp:post_id, or when the export has none, the id in a ?p= link or guid.
  int64_t id = 0;
  std::string post_date;      // "YYYY-MM-DD HH:MM:SS", site-local
  std::string post_date_gmt;  // UTC, or "0000-00-00 00:00:00" when never published
  std::string post_modified;
  std::string post_modified_gmt;
  std::string post_name;  // percent-encoded as WordPress stores it
  std::string status;
  std::string post_type;
  std::string password;
  int64_t parent = 0;
  int64_t menu_order = 0;
  bool sticky = false;
  std::string attachment_url;
  std::vector<WxrItemTerm> terms;
  std::vector<std::pair<std::string, std::string_view>> meta;
  std::vector<WxrComment> comments;  // with the body: see read_wxr_item_body
};

struct WxrChannel {
  std::string title;
  std::string link;
  std::string description;
  std::string language;
  std::string wxr_version;
  std::string base_site_url;
  std::string base_blog_url;
  std::vector<WxrAuthor> authors;
  std::vector<WxrTerm> terms;
  std::vector<WxrItem> items;

  // What the string_views above point into: the parsed copies of the
  // export's parts, and the text of elements split over several CDATA
  // sections, joined.
  std::vector<std::unique_ptr<char[]>> buffers;
  std::vector<std::unique_ptr<std::string>> joined;
  // The <rss><channel> opening (with namespace declarations) items are
  // parsed inside.
  std::string item_prefix;
};

// Parses `text` (the file's bytes; `path` is only used in diagnostics; `text`
// need not outlive the call).
// Malformed XML, invalid UTF-8 or a document that is not an RSS channel is
// reported at its line and column and makes the call return false.
//
// `keep_body`, when set, is asked about each item once its fields are read;
// an item it declines keeps its fields but not its content, excerpt and
// meta, which read_wxr_item_body brings back on demand. That keeps memory
// flat on huge exports: bodies are read again batch by batch.
bool read_wxr(std::string_view path, std::string_view text, WxrChannel* out, DiagnosticSink& sink,
              const std::function<bool(const WxrItem&)>& keep_body = nullptr);

// Holds what re-read item bodies point into.
struct WxrBodyStorage {
  std::vector<std::unique_ptr<char[]>> buffers;
  std::vector<std::unique_ptr<std::string>> joined;
};

// Fills a body-less item's content, excerpt and meta from `text` (the same
// export read_wxr saw); the views point into `storage`, which the caller
// keeps for as long as it uses them. Returns false if the item cannot be
// re-read.
bool read_wxr_item_body(std::string_view text, const WxrChannel& channel, WxrItem* item,
                        WxrBodyStorage* storage);

}  // namespace byline
