// The import proper: classify items, decide every item's file and URL first
// (internal links need the whole map), then convert and write each item.
#include "import/wordpress_import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "base/datetime.h"
#include "base/mapped_file.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "frontmatter/front_matter_writer.h"
#include "import/autoembed.h"
#include "import/block_markup.h"
#include "import/html_to_markdown.h"
#include "import/permalink_inference.h"
#include "import/shortcodes.h"
#include "import/site_writer.h"
#include "import/wpautop.h"
#include "import/wxr_reader.h"
#include "import/wxr_terms.h"

namespace byline {

// Where uploads go in the site: where WordPress had them.
constexpr std::string_view kUploads = "/wp-content/uploads/";

namespace fs = std::filesystem;

namespace {

struct ItemDate {
  DateTime time;
  bool valid = false;
};

// WordPress writes "0000-00-00 00:00:00" for "never".
bool parse_wp_time(std::string_view s, int64_t* seconds) {
  if (s.size() < 10 || starts_with(s, "0000")) return false;
  std::string iso(s);
  if (iso.size() > 10 && iso[10] == ' ') iso[10] = 'T';
  if (iso.size() == 10) iso += "T00:00:00";
  iso += "Z";
  auto t = parse_datetime(iso);
  if (!t) return false;
  *seconds = t->utc_seconds;
  return true;
}

// Local time from `local`, zone from the gap to `gmt` (or the site's usual
// offset when the item was never published).
ItemDate item_date(std::string_view local, std::string_view gmt, int site_offset_minutes) {
  ItemDate d;
  int64_t l = 0, g = 0;
  if (!parse_wp_time(local, &l)) {
    if (!parse_wp_time(gmt, &g)) return d;
    l = g + site_offset_minutes * 60;
  }
  int offset = site_offset_minutes;
  if (parse_wp_time(gmt, &g)) {
    // Offsets are whole quarter hours; rounding absorbs a stray second.
    long diff = static_cast<long>(l - g);
    offset = static_cast<int>(((diff / 60) + (diff >= 0 ? 7 : -7)) / 15 * 15);
  }
  d.time.utc_seconds = l - static_cast<int64_t>(offset) * 60;
  d.time.offset_minutes = offset;
  d.time.has_time = true;
  d.time.has_offset = true;
  d.valid = true;
  return d;
}

// <pubDate>, "Tue, 02 Apr 2013 05:16:20 +0000": the date of items that
// have no wp:post_date. WordPress writes "-0001" years for "never".
ItemDate rfc822_date(std::string_view s, int site_offset_minutes) {
  ItemDate d;
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  size_t comma = s.find(',');
  if (comma != std::string_view::npos) s.remove_prefix(comma + 1);
  std::vector<std::string_view> parts;
  for (std::string_view part : split(trim(s), ' ')) {
    if (!part.empty()) parts.push_back(part);
  }
  if (parts.size() < 4) return d;
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    if (parts[1] == kMonths[m]) month = m + 1;
  }
  int day = std::atoi(std::string(parts[0]).c_str());
  int year = std::atoi(std::string(parts[2]).c_str());
  if (month == 0 || day < 1 || day > 31 || year < 1000 || parts[3].size() < 5) return d;
  char iso[64];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%.8s", year, month, day,
                std::string(parts[3]).c_str());
  std::string text = iso;
  std::string zone = parts.size() > 4 ? std::string(parts[4]) : "+0000";
  if (zone == "GMT" || zone == "UT" || zone == "Z") zone = "+0000";
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    text += zone.substr(0, 3) + ":" + zone.substr(3);
  } else {
    text += "Z";
  }
  auto t = parse_datetime(text);
  if (!t) return d;
  d.time.utc_seconds = t->utc_seconds;
  d.time.offset_minutes = site_offset_minutes;
  d.time.has_time = true;
  d.time.has_offset = true;
  d.valid = true;
  return d;
}

// A slug that cannot be a file or URL segment as it is: a path separator,
// a dot segment, a control character.
bool unsafe_slug(std::string_view slug) {
  if (slug.empty() || slug[0] == '.') return true;
  for (char c : slug) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

// An old path with a ".." or "." segment would leave the site's folder.
bool has_dot_segment(std::string_view path) {
  for (std::string_view seg : split(path, '/')) {
    if (seg == ".." || seg == ".") return true;
  }
  return false;
}

// The file an attachment's <link> names when WordPress had no attachment
// page for it (the link is the upload itself).
bool looks_like_file(std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  if (path.find("/wp-content/") != std::string_view::npos) return true;
  size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = last.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(last.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext != "html" && ext != "htm" && ext != "php";
}

// An absolute http(s) URL with a host, as byline's base_url must be.
bool usable_base_url(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (starts_with(url, scheme)) {
      std::string_view rest = url.substr(scheme.size());
      return !rest.empty() && rest[0] != '/';
    }
  }
  return false;
}

// A file name for a slug: no separators, no control characters, no dot
// files; the slug itself stays exact in front matter.
std::string file_stem(std::string_view slug, int64_t id) {
  std::string out;
  for (char c : slug) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7F || c == ':' || c == '*' || c == '?' ||
        c == '"' || c == '<' || c == '>' || c == '|') {
      out += '-';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out[0] == '.') out.erase(0, 1);
  if (out.size() > 200) out.resize(200);
  if (out.empty()) out = "item-" + std::to_string(id);
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Imported {
  const WxrItem* item = nullptr;
  bool is_page = false;
  std::string slug;
  ItemDate date;
  std::string old_path;  // site-relative old link path, "" when the link was ?p=
  std::string new_path;  // the URL byline will give it
  bool explicit_url = false;
  std::string file;  // content/... relative to the site
  bool draft = false;
  // The static front page (old link "/") is the home page's _index.md; a
  // page at a section's URL ("/posts/") is that section's _index.md.
  bool list_text = false;
  // The old link's own query (?p=1 on an item whose id is now 10).
  std::string old_query;
};

class WordPressImporter {
 public:
  WordPressImporter(const WordPressImportOptions& opts, ImportReport* report, DiagnosticSink& sink)
      : opts_(opts), report_(*report), sink_(sink) {}

  int run();

 private:
  std::string term_archive(const std::string& taxonomy, const std::string& slug) const;
  void write_stale_term_redirects(SiteWriter& writer);
  // Item nicenames the channel's term list does not have (import/wxr_terms.h),
  // each kept as a redirect page to its term's archive.
  std::vector<StaleTermSlug> stale_terms_;

  const WordPressImportOptions& opts_;
  ImportReport& report_;
  DiagnosticSink& sink_;
  MappedFile file_;
  WxrChannel channel_;
  std::string base_url_;
  std::string base_path_;  // the base URL's path without its last '/': "/wordpress", or ""
  int site_offset_ = 0;
  std::vector<Imported> items_;
  std::unordered_map<int64_t, const WxrItem*> by_id_;
  std::unordered_map<int64_t, size_t> imported_index_;       // post id → items_ index
  std::unordered_map<std::string, std::string> old_to_new_;  // old path → new path
  // old URL → path under uploads/; each is copied to the same path it
  // had, static/wp-content/uploads/…, so its old URL keeps working on any
  // host (a redirect would need the host's _redirects support).
  std::map<std::string, std::string> uploads_;
  std::map<std::string, std::string> category_parent_;  // slug → parent slug
  std::map<std::string, std::string> category_name_;    // slug → name
  std::unordered_map<std::string, std::string> author_names_;
  // WordPress.com file hosts (NAME.files.wordpress.com) the export's
  // attachments are on.
  std::set<std::string> own_upload_hosts_;
  // Attachment pages (/2010/09/10/post/image/) redirect to their post.
  std::unordered_map<int64_t, std::vector<std::string>> attachment_aliases_;
  std::unordered_map<int64_t, std::vector<const WxrItem*>> attachments_by_parent_;

  std::vector<GalleryImage> gallery_images(const WxrItem& post, const ShortcodeAttributes& attrs,
                                           std::vector<std::string>* notes);

  std::string review_note(const WxrItem& item, const std::string& what) const {
    return opts_.export_path + ":" + std::to_string(item.line) + ": \"" + item.title + "\" (id " +
           std::to_string(item.id) + "): " + what;
  }
  void review(const WxrItem& item, const std::string& what) {
    report_.needs_review.push_back(review_note(item, what));
  }

  // The site path of an old URL: under the base URL, or relative ("/x/",
  // as Playground and Ghost exports write links). False for other sites.
  bool old_site_path(std::string_view url, std::string* path) const;
  std::string rewrite_url(std::string_view url);
  // rewrite_url for a link in a post's HTML: byline writes such links as
  // they are, so a site path gets the base URL's path in front
  // ("/wordpress/2020/01/x/"); front matter paths do not need it.
  std::string rewrite_content_url(std::string_view url) {
    std::string out = rewrite_url(url);
    if (!base_path_.empty() && out.starts_with('/') && !out.starts_with("//")) {
      out.insert(0, base_path_);
    }
    return out;
  }
  bool upload_path(std::string_view url, std::string* rel);
  void classify();
  void assign_paths();
  // Pure apart from uploads_ (guarded by uploads_mu_): items render in
  // parallel, each collecting its review notes in `notes`.
  // `kept_comments` and `withheld` count the item's comments.
  std::string render(const Imported& it, std::vector<std::string>* notes, size_t* kept_comments,
                     size_t* withheld);
  std::mutex uploads_mu_;
  std::string site_config() const;
};

bool WordPressImporter::old_site_path(std::string_view url, std::string* path) const {
  url = trim(url);
  if (site_relative_path(url, base_url_, path)) return true;
  if (url.empty() || url[0] != '/' || starts_with(url, "//")) return false;
  // A relative link is a path on the old site, its base path included.
  std::string_view base_path;
  size_t scheme = base_url_.find("://");
  if (scheme != std::string::npos) {
    size_t slash = base_url_.find('/', scheme + 3);
    if (slash != std::string::npos) base_path = std::string_view(base_url_).substr(slash);
  }
  while (!base_path.empty() && base_path.back() == '/') base_path.remove_suffix(1);
  if (!base_path.empty() && starts_with(url, base_path) &&
      (url.size() == base_path.size() || url[base_path.size()] == '/' ||
       url[base_path.size()] == '?')) {
    url.remove_prefix(base_path.size());
  }
  size_t hash = url.find('#');
  std::string out = percent_decode(url.substr(0, hash));
  if (out.empty() || out[0] != '/') out = "/" + out;
  if (hash != std::string_view::npos) out += url.substr(hash);
  *path = std::move(out);
  return true;
}

bool WordPressImporter::upload_path(std::string_view url, std::string* rel) {
  std::string_view u = trim(url);
  std::string_view no_query = u.substr(0, u.find_first_of("?#"));
  size_t at = no_query.find("/wp-content/uploads/");
  std::string path;
  if (at != std::string_view::npos) {
    // Only the old site's own uploads (or a relative URL) are ours to move.
    std::string_view origin = no_query.substr(0, at);
    std::string dummy;
    if (!origin.empty() && !site_relative_path(origin, base_url_, &dummy) &&
        !site_relative_path(origin, channel_.base_site_url, &dummy)) {
      return false;
    }
    path = std::string(no_query.substr(at + std::strlen("/wp-content/uploads/")));
  } else {
    // WordPress.com serves uploads from NAME.files.wordpress.com/YYYY/MM/file.
    std::string_view h = no_query;
    for (std::string_view scheme : {"https://", "http://", "//"}) {
      if (starts_with(h, scheme)) {
        h.remove_prefix(scheme.size());
        break;
      }
    }
    size_t slash = h.find('/');
    if (slash == std::string_view::npos) return false;
    // Only this blog's file host: one its own attachments live on.
    if (!own_upload_hosts_.count(std::string(h.substr(0, slash)))) return false;
    path = std::string(h.substr(slash + 1));
  }
  path = percent_decode(path);
  if (path.empty() || path.find("..") != std::string::npos) return false;
  *rel = path;
  return true;
}

std::string WordPressImporter::rewrite_url(std::string_view url) {
  std::string rel;
  if (upload_path(url, &rel)) {
    std::string clean(trim(url));
    clean = clean.substr(0, clean.find_first_of("?#"));
    std::lock_guard<std::mutex> lock(uploads_mu_);
    uploads_.emplace(clean, rel);
    return std::string(kUploads) + rel;
  }
  std::string path;
  if (!old_site_path(url, &path)) return std::string(url);
  // ?p=123 and ?page_id=123 lead to the item's new home.
  size_t q = path.find('?');
  if (q != std::string::npos) {
    std::string_view query = std::string_view(path).substr(q + 1);
    for (std::string_view part : split(query, '&')) {
      for (std::string_view key : {"p=", "page_id=", "attachment_id="}) {
        if (starts_with(part, key)) {
          int64_t id = std::strtoll(std::string(part.substr(key.size())).c_str(), nullptr, 10);
          auto it = imported_index_.find(id);
          if (it != imported_index_.end()) return items_[it->second].new_path;
        }
      }
    }
    return path;
  }
  std::string bare = path.substr(0, path.find('#'));
  auto it = old_to_new_.find(bare);
  if (it != old_to_new_.end()) return it->second + path.substr(bare.size());
  return path;
}

void WordPressImporter::classify() {
  std::map<int, size_t> offsets;
  for (const WxrItem& item : channel_.items) {
    by_id_[item.id] = &item;
    int64_t l, g;
    if (parse_wp_time(item.post_date, &l) && parse_wp_time(item.post_date_gmt, &g)) {
      ++offsets[static_cast<int>((l - g) / 60)];
    }
  }
  size_t best = 0;
  for (const auto& [off, n] : offsets) {
    if (n > best) {
      best = n;
      site_offset_ = off;
    }
  }
  for (const WxrItem& item : channel_.items) {
    const std::string& type = item.post_type;
    auto skip = [&](const std::string& key, const std::string& why) {
      ++report_.skipped[key];
      report_.skip_reasons[key] = why;
    };
    if (type == "attachment") {
      ++report_.attachments;
      attachments_by_parent_[item.parent].push_back(&item);
      // An attachment page leads to its post. A link that is the file
      // itself (exports from other tools) is the upload's URL: no page and
      // no redirect may take its place.
      std::string page;
      if (item.parent != 0 && !item.link.empty() && old_site_path(item.link, &page) &&
          page.find('?') == std::string::npos && !looks_like_file(page) && !has_dot_segment(page) &&
          item.link != item.attachment_url) {
        attachment_aliases_[item.parent].push_back(page.substr(0, page.find('#')));
      }
      std::string rel;
      if (!item.attachment_url.empty() && upload_path(item.attachment_url, &rel)) {
        std::string clean = item.attachment_url.substr(0, item.attachment_url.find_first_of("?#"));
        uploads_.emplace(clean, rel);
      }
      continue;
    }
    if (type.empty()) {
      skip("(no post type)", "no wp:post_type in the WordPress namespace");
      review(item, "skipped: it has no wp:post_type in the WordPress export namespace");
      continue;
    }
    if (type != "post" && type != "page") {
      std::string why = "not content byline renders";
      if (type == "nav_menu_item") why = "menus belong to the theme";
      if (type == "revision") why = "old revisions of other items";
      if (type == "wp_block" || type == "wp_template" || type == "wp_template_part" ||
          type == "wp_global_styles" || type == "wp_navigation" || type == "custom_css") {
        why = "block-theme and editor data";
      }
      skip(type, why);
      continue;
    }
    const std::string& status = item.status.empty() ? std::string("publish") : item.status;
    if (status == "trash" || status == "auto-draft" || status == "inherit") {
      skip("status " + status, "not a live item in WordPress");
      continue;
    }
    Imported it;
    it.item = &item;
    it.is_page = type == "page";
    bool password = !item.password.empty();
    if (password) {
      ++report_.password_protected;
      it.draft = true;
      review(item, "password-protected: imported as a draft");
    } else if (status == "publish") {
      ++(it.is_page ? report_.published_pages : report_.published_posts);
    } else if (status == "future") {
      ++report_.scheduled;
    } else if (status == "private") {
      ++report_.private_items;
      it.draft = true;
    } else {
      ++report_.drafts;  // draft, pending, and anything unknown
      it.draft = true;
    }
    it.slug = percent_decode(item.post_name);
    // Ghost's WordPress exports name posts "basic-post.html"; the URL keeps
    // the suffix (the old link is kept as it is), the slug does not.
    for (std::string_view suffix : {".html", ".htm"}) {
      if (ends_with(it.slug, suffix) && it.slug.size() > suffix.size()) {
        it.slug.resize(it.slug.size() - suffix.size());
        break;
      }
    }
    if (!it.slug.empty() && unsafe_slug(it.slug)) {
      std::string clean = sanitize_title(it.slug);
      if (clean.empty()) clean = slugify(item.title);
      if (clean.empty()) clean = std::to_string(item.id);
      review(item, "the slug \"" + item.post_name + "\" is not a safe URL segment: imported as \"" +
                       clean + "\"");
      it.slug = clean;
    }
    if (it.slug.empty()) it.slug = slugify(item.title);
    if (it.slug.empty()) it.slug = std::to_string(item.id);
    it.date = item_date(item.post_date, item.post_date_gmt, site_offset_);
    if (!it.date.valid && !item.pub_date.empty()) {
      it.date = rfc822_date(item.pub_date, site_offset_);
    }
    imported_index_[item.id] = items_.size();
    items_.push_back(std::move(it));
  }
}

void WordPressImporter::assign_paths() {
  std::vector<PermalinkSample> samples;
  for (Imported& it : items_) {
    std::string path;
    if (!it.item->link.empty() && old_site_path(it.item->link, &path)) {
      path = path.substr(0, path.find('#'));
      size_t q = path.find('?');
      if (q != std::string::npos) {
        // "/?p=1": kept as an alias when it is not the item's own ?p=ID.
        it.old_query = path;
      } else if (has_dot_segment(path)) {
        review(*it.item, "the link " + it.item->link + " leaves the site: not kept as a URL");
      } else {
        it.old_path = path;
      }
    }
    if (!it.is_page && !it.old_path.empty() && it.date.valid) {
      DateTime::Parts p = it.date.time.local();
      samples.push_back({it.old_path, p.year, p.month, p.day, it.slug});
    }
  }
  report_.permalink_pattern = infer_permalink_pattern(samples);
  std::set<std::string> files;
  for (Imported& it : items_) {
    DateTime::Parts p{};
    if (it.date.valid) p = it.date.time.local();
    if (it.is_page) {
      // Pages nest by parent as folders, as their URLs do.
      std::vector<std::string> chain;
      std::set<int64_t> seen{it.item->id};
      for (int64_t parent = it.item->parent; parent != 0 && !seen.count(parent);) {
        seen.insert(parent);
        auto found = imported_index_.find(parent);
        if (found == imported_index_.end()) break;
        const Imported& up = items_[found->second];
        chain.insert(chain.begin(), file_stem(up.slug, up.item->id));
        parent = up.item->parent;
      }
      std::string dir = "content/pages/";
      for (const std::string& c : chain) dir += c + "/";
      it.file = dir + file_stem(it.slug, it.item->id);
      it.new_path = it.old_path.empty() ? "/" + it.slug + "/" : it.old_path;
      if (it.old_path.empty()) {
        std::string joined;
        for (const std::string& c : chain) joined += "/" + c;
        it.new_path = joined + "/" + it.slug + "/";
      }
      it.explicit_url = true;
      // The URLs the site's own lists have: the static front page becomes
      // the home page's text, a page at /posts/ (WordPress's page for
      // posts) the posts section's. The first published one wins.
      bool published = !it.draft && it.item->status != "future";
      if (published && (it.new_path == "/" || it.new_path == "/posts/")) {
        std::string index = it.new_path == "/" ? "content/_index" : "content/posts/_index";
        if (files.insert(index).second) {
          it.file = index;
          it.list_text = true;
          it.explicit_url = false;
          if (it.new_path == "/") {
            review(*it.item, "the static front page: its text is the home page's (" + index +
                                 ".md), above the latest posts");
          } else {
            review(*it.item,
                   "its URL /posts/ is the posts section's: it takes over the section's "
                   "list page (" +
                       index + ".md), its text above the posts");
          }
        }
      }
      // The list pages byline makes itself: the posts section, the tag,
      // category and author indexes. A page there moves aside.
      for (std::string_view list : {"/posts/", "/tag/", "/category/", "/authors/"}) {
        if (!it.list_text && it.new_path == list) {
          std::string moved = std::string(list.substr(0, list.size() - 1)) + "-page/";
          it.new_path = moved;
          // The old URL is the list's now: no alias there.
          it.old_path.clear();
          review(*it.item, "its URL " + std::string(list) +
                               " is one of byline's own list pages: moved to " + moved);
        }
      }
      if (!it.list_text && it.new_path == "/") {
        it.new_path = "/" + it.slug + "/";
        review(*it.item, "its URL / is the home page's: moved to " + it.new_path);
      }
    } else {
      std::string year = it.date.valid ? std::to_string(p.year) : "undated";
      it.file = "content/posts/" + year + "/" + file_stem(it.slug, it.item->id);
      PermalinkSample s{it.old_path, p.year, p.month, p.day, it.slug};
      std::string generated = expand_permalink(report_.permalink_pattern, s);
      if (!it.date.valid) {
        // No date anywhere in the export: the pattern cannot place the post.
        it.new_path = it.old_path.empty() ? "/" + it.slug + "/" : it.old_path;
        it.explicit_url = true;
        review(*it.item,
               "no date in the export (no wp:post_date, no pubDate): imported at " + it.new_path);
      } else if (!it.old_path.empty() && it.old_path != generated) {
        it.new_path = it.old_path;
        it.explicit_url = true;
      } else {
        it.new_path = generated;
      }
    }
    if (!it.list_text && !files.insert(it.file).second) {
      it.file += "-" + std::to_string(it.item->id);
      files.insert(it.file);
    }
    it.file += ".md";
    if (!it.old_path.empty()) old_to_new_[it.old_path] = it.new_path;
  }
}

std::string WordPressImporter::render(const Imported& it, std::vector<std::string>* notes,
                                      size_t* kept_comments, size_t* withheld) {
  const WxrItem& item = *it.item;
  // Content, in WordPress's own order: embeds, paragraphs, shortcodes; block
  // content has its paragraphs already. WordPress splits the text at its
  // first <!--more--> before any of that, so each side is converted alone.
  std::string html(item.content);
  bool blocks = has_block_markup(html);
  if (blocks) html = strip_block_comments(html);
  bool noteaser = false;
  for (size_t at; (at = html.find("<!--noteaser-->")) != std::string::npos;) {
    html.erase(at, std::strlen("<!--noteaser-->"));
    noteaser = true;
  }
  std::string teaser_html = html, rest_html;
  bool has_more = false;
  size_t more = html.find("<!--more");
  size_t more_end = more == std::string::npos ? more : html.find("-->", more);
  if (more_end != std::string::npos) {
    has_more = true;
    std::string more_text(trim(std::string_view(html).substr(more + 8, more_end - more - 8)));
    if (!more_text.empty()) {
      notes->push_back(review_note(item, "the \"more\" link's own text (\"" + more_text +
                                             "\") is dropped: the theme writes its own"));
    }
    teaser_html = html.substr(0, more);
    rest_html = html.substr(more_end + 3);
  }
  std::vector<std::string> unknown;
  auto convert = [&](const std::string& part) {
    ShortcodeExpansion expanded = expand_shortcodes(
        part, [&](const ShortcodeAttributes& attrs) { return gallery_images(item, attrs, notes); });
    for (const std::string& name : expanded.unknown) {
      if (std::find(unknown.begin(), unknown.end(), name) != unknown.end()) continue;
      unknown.push_back(name);
      notes->push_back(review_note(item, "unknown shortcode [" + name + "] kept as text"));
    }
    std::string h = link_standalone_urls(expanded.html);
    if (!blocks) h = wpautop(h);
    HtmlToMarkdownOptions options;
    options.rewrite_url = [this](std::string_view u) { return rewrite_content_url(u); };
    MarkdownConversion md = html_to_markdown(h, options);
    for (const std::string& problem : md.problems) {
      notes->push_back(review_note(item, "HTML: " + problem));
    }
    return md.markdown;
  };
  std::string teaser = convert(teaser_html);
  std::string body = teaser;
  std::string teaser_summary;
  if (has_more) {
    std::string rest = convert(rest_html);
    if (noteaser) {
      // <!--noteaser-->: the post's page starts after the more tag; lists
      // still show the teaser.
      body = rest;
      teaser_summary = html_to_plain_text(teaser_html);
    } else if (teaser.empty()) {
      body = rest;
    } else {
      body = teaser + "\n\n<!--more-->\n\n" + rest;
      while (ends_with(body, "\n")) body.pop_back();
    }
  }

  FrontMatterWriter fm;
  fm.string("title", item.title);
  if (it.date.valid) fm.string("date", to_rfc3339(it.date.time));
  ItemDate modified = item_date(item.post_modified, item.post_modified_gmt, site_offset_);
  if (modified.valid) fm.string("lastmod", to_rfc3339(modified.time));
  fm.string("slug", it.slug);
  if (it.draft) fm.boolean("draft", true);
  auto author = author_names_.find(item.creator);
  if (!item.creator.empty()) {
    // byline's authors taxonomy: /author/SLUG/, as WordPress's archives.
    fm.string_list("authors", {author != author_names_.end() ? author->second : item.creator});
  }
  std::vector<std::string> tags, categories;
  std::vector<std::pair<std::string, std::string>> parents;
  for (const WxrItemTerm& t : item.terms) {
    if (t.domain == "post_tag") {
      if (std::find(tags.begin(), tags.end(), t.name) == tags.end()) tags.push_back(t.name);
    } else if (t.domain == "category") {
      if (std::find(categories.begin(), categories.end(), t.name) != categories.end()) continue;
      categories.push_back(t.name);
      // The chain up to the root, so a theme can show "Parent › Child".
      std::string slug = t.slug;
      std::set<std::string> seen;
      while (category_parent_.count(slug) && !category_parent_[slug].empty() &&
             seen.insert(slug).second) {
        const std::string& parent = category_parent_[slug];
        std::string child_name = category_name_.count(slug) ? category_name_[slug] : t.name;
        std::string parent_name = category_name_.count(parent) ? category_name_[parent] : parent;
        std::pair<std::string, std::string> entry{child_name, parent_name};
        if (std::find(parents.begin(), parents.end(), entry) == parents.end()) {
          parents.push_back(entry);
        }
        slug = parent;
      }
    }
  }
  if (!tags.empty()) fm.string_list("tags", tags);
  if (!categories.empty()) fm.string_list("categories", categories);
  if (!parents.empty()) fm.string_map("category_parents", parents);
  std::string summary = html_to_plain_text(item.excerpt);
  if (summary.empty()) summary = teaser_summary;
  if (!summary.empty()) fm.string("summary", summary);
  if (item.sticky) fm.boolean("pinned", true);
  // The featured image (_thumbnail_id names its attachment) and a podcast's
  // enclosure ("URL\nlength\ntype" in the enclosure meta), kept as data.
  for (const auto& [key, value] : item.meta) {
    if (key == "_thumbnail_id") {
      int64_t id = std::strtoll(std::string(trim(value)).c_str(), nullptr, 10);
      auto found = by_id_.find(id);
      if (found != by_id_.end() && !found->second->attachment_url.empty()) {
        fm.string("image", rewrite_url(found->second->attachment_url));
      }
    }
  }
  for (const auto& [key, value] : item.meta) {
    if (key != "enclosure") continue;
    std::vector<std::string_view> lines;
    for (std::string_view line : split(value, '\n')) lines.push_back(trim(line));
    if (lines.empty() || lines[0].empty()) continue;
    std::vector<std::pair<std::string, std::string>> enclosure{{"url", std::string(lines[0])}};
    if (lines.size() > 1 && !lines[1].empty())
      enclosure.push_back({"length", std::string(lines[1])});
    if (lines.size() > 2 && !lines[2].empty()) enclosure.push_back({"type", std::string(lines[2])});
    fm.string_map("enclosure", enclosure);
    break;  // one per item, as RSS allows
  }
  // Approved comments, read-only: who, when, what (never an e-mail address,
  // which the reader does not even keep). Pending, spam and trashed
  // comments, pingbacks and trackbacks are left out.
  std::vector<std::vector<std::pair<std::string, std::string>>> comments;
  for (const WxrComment& c : item.comments) {
    bool comment = c.type.empty() || c.type == "comment";
    if (c.approved != "1" || !comment) {
      if (comment) ++*withheld;
      continue;
    }
    std::vector<std::pair<std::string, std::string>> entry;
    entry.push_back({"id", std::to_string(c.id)});
    if (c.parent != 0) entry.push_back({"parent", std::to_string(c.parent)});
    entry.push_back({"author", c.author.empty() ? std::string("Anonymous") : c.author});
    if (starts_with(c.author_url, "http://") || starts_with(c.author_url, "https://")) {
      entry.push_back({"url", c.author_url});
    }
    ItemDate when = item_date(c.date, c.date_gmt, site_offset_);
    if (when.valid) entry.push_back({"date", to_rfc3339(when.time)});
    HtmlToMarkdownOptions options;
    options.rewrite_url = [this](std::string_view u) { return rewrite_content_url(u); };
    entry.push_back({"text", html_to_markdown(wpautop(c.content), options).markdown});
    comments.push_back(std::move(entry));
  }
  if (!comments.empty()) {
    *kept_comments += comments.size();
    fm.map_list("comments", comments);
  }
  if (it.explicit_url) fm.string("url", it.new_path);
  std::vector<std::string> aliases;
  if (item.id > 0) {
    aliases.push_back((it.is_page ? "/?page_id=" : "/?p=") + std::to_string(item.id));
    if (it.is_page) aliases.push_back("/?p=" + std::to_string(item.id));
  }
  if (!it.old_query.empty() &&
      std::find(aliases.begin(), aliases.end(), it.old_query) == aliases.end()) {
    aliases.push_back(it.old_query);
  }
  if (!it.old_path.empty() && it.old_path != it.new_path) aliases.push_back(it.old_path);
  auto extra = attachment_aliases_.find(item.id);
  if (extra != attachment_aliases_.end()) {
    for (const std::string& a : extra->second) {
      if (a != it.new_path && std::find(aliases.begin(), aliases.end(), a) == aliases.end()) {
        aliases.push_back(a);
      }
    }
  }
  fm.string_list("aliases", aliases);
  if (it.is_page && item.menu_order != 0) fm.integer("weight", item.menu_order);
  fm.integer("wordpress_id", item.id);

  std::string out = fm.finish();
  if (!body.empty()) {
    out += "\n";
    out += body;
    out += "\n";
  }
  return out;
}

std::vector<GalleryImage> WordPressImporter::gallery_images(const WxrItem& post,
                                                            const ShortcodeAttributes& attrs,
                                                            std::vector<std::string>* notes) {
  std::vector<const WxrItem*> chosen;
  std::string ids = shortcode_attribute(attrs, "ids");
  if (ids.empty()) ids = shortcode_attribute(attrs, "include");
  if (!ids.empty()) {
    for (std::string_view id : split(ids, ',')) {
      int64_t n = std::strtoll(std::string(trim(id)).c_str(), nullptr, 10);
      auto found = by_id_.find(n);
      if (found != by_id_.end() && found->second->post_type == "attachment") {
        chosen.push_back(found->second);
      }
    }
  } else {
    // WordPress's default: the post's attached images, in menu order.
    auto found = attachments_by_parent_.find(post.id);
    if (found != attachments_by_parent_.end()) chosen = found->second;
    std::stable_sort(chosen.begin(), chosen.end(), [](const WxrItem* a, const WxrItem* b) {
      return a->menu_order != b->menu_order ? a->menu_order < b->menu_order : a->id < b->id;
    });
  }
  std::vector<GalleryImage> images;
  for (const WxrItem* a : chosen) {
    GalleryImage img;
    img.url = a->attachment_url;
    for (const auto& [k, v] : a->meta) {
      if (k == "_wp_attachment_image_alt") img.alt = v;
    }
    img.caption = html_to_plain_text(a->excerpt);
    if (!img.url.empty()) images.push_back(std::move(img));
  }
  if (images.empty()) notes->push_back(review_note(post, "[gallery] has no images in the export"));
  return images;
}

std::string WordPressImporter::site_config() const {
  // The author with the most items is the site's author.
  std::map<std::string, size_t> counts;
  for (const Imported& it : items_) ++counts[it.item->creator];
  std::string main_login;
  size_t best = 0;
  for (const WxrAuthor& a : channel_.authors) {
    size_t n = counts.count(a.login) ? counts.at(a.login) : 0;
    if (main_login.empty() || n > best) {
      main_login = a.login;
      best = n;
    }
  }
  if (main_login.empty()) {
    for (const auto& [login, n] : counts) {
      if (n > best || main_login.empty()) {
        main_login = login;
        best = n;
      }
    }
  }
  std::string author_name = main_login;
  auto found = author_names_.find(main_login);
  if (found != author_names_.end()) author_name = found->second;

  std::string out = "# Imported from a WordPress export by `byline import wordpress`.\n";
  out += "title = " + toml_quote(channel_.title) + "\n";
  out += "description = " + toml_quote(channel_.description) + "\n";
  out += "base_url = " + toml_quote(base_url_) + "\n";
  out += "language = " + toml_quote(channel_.language.empty() ? "en" : channel_.language) + "\n";
  // WordPress has year and month archives and RSS and Atom feeds.
  out += "date_archives = true\n";
  out += "\n[feeds]\nrss = \"rss.xml\"\natom = \"atom.xml\"\n";
  out += "\n[author]\nname = " + toml_quote(author_name) + "\n";
  out += "\n[permalinks]\nposts = " + toml_quote(report_.permalink_pattern) + "\n";
  // WordPress's own term slugs ("mustread" for "Must Read", "parent/child"
  // for a child category) are kept wherever byline's slug would differ, so
  // old tag and category archive URLs keep working.
  std::map<std::string, std::string> tag_slugs, category_slugs;
  auto category_path = [&](const std::string& slug) {
    std::string path = percent_decode(slug);
    std::set<std::string> seen{slug};
    for (auto it = category_parent_.find(slug);
         it != category_parent_.end() && !it->second.empty() && seen.insert(it->second).second;
         it = category_parent_.find(it->second)) {
      path = percent_decode(it->second) + "/" + path;
    }
    return path;
  };
  // A term is its name in byline and its slug in WordPress. The export's
  // own term list is authoritative; an item's <category> only adds terms the
  // list lacks (items can carry stale names or slugs). One slug gets one
  // name, and a name keeps the first slug it was given.
  auto note = [](std::map<std::string, std::string>& m, std::set<std::string>& used,
                 const std::string& name, const std::string& slug) {
    if (name.empty() || slug.empty() || m.count(name) || !used.insert(slug).second) return;
    m.emplace(name, slug);
  };
  std::set<std::string> used_tags, used_categories;
  for (const WxrTerm& t : channel_.terms) {
    if (t.taxonomy == "post_tag") note(tag_slugs, used_tags, t.name, percent_decode(t.slug));
    if (t.taxonomy == "category") {
      note(category_slugs, used_categories, t.name, category_path(t.slug));
    }
  }
  for (const Imported& it : items_) {
    for (const WxrItemTerm& t : it.item->terms) {
      if (t.domain == "post_tag") note(tag_slugs, used_tags, t.name, percent_decode(t.slug));
      if (t.domain == "category") {
        note(category_slugs, used_categories, t.name, category_path(t.slug));
      }
    }
  }
  // Only the slugs byline would not derive itself need writing down.
  for (auto* m : {&tag_slugs, &category_slugs}) {
    std::erase_if(*m, [](const auto& entry) { return slugify(entry.first) == entry.second; });
  }
  auto taxonomy = [&](const char* name, const char* url,
                      const std::map<std::string, std::string>& slugs) {
    std::string t = "\n[taxonomies." + std::string(name) + "]\nurl = \"" + url + "\"\n";
    if (!slugs.empty()) {
      t += "[taxonomies." + std::string(name) + ".slugs]\n";
      for (const auto& [term, slug] : slugs)
        t += toml_quote(term) + " = " + toml_quote(slug) + "\n";
    }
    return t;
  };
  out += taxonomy("tags", "/tag/:slug/", tag_slugs);
  out += taxonomy("categories", "/category/:slug/", category_slugs);
  out += "\n[sections.pages]\nlist = false\n";
  return out;
}

// The archive URL of a term WordPress served at `slug` (decoded), below
// the base path: "/tag/content-2/", "/category/parent/child/".
std::string WordPressImporter::term_archive(const std::string& taxonomy,
                                            const std::string& slug) const {
  if (taxonomy == "post_tag") return "/tag/" + slug + "/";
  std::string raw = slug;
  for (const auto& [s, parent] : category_parent_) {
    if (percent_decode(s) == slug) raw = s;
  }
  std::string path = slug;
  std::set<std::string> seen{raw};
  for (auto it = category_parent_.find(raw);
       it != category_parent_.end() && !it->second.empty() && seen.insert(it->second).second;
       it = category_parent_.find(it->second)) {
    path = percent_decode(it->second) + "/" + path;
  }
  return "/category/" + path + "/";
}

// An item's stale nicename ("content" where the export's term list says
// "content-2"): WordPress answered at the list's slug, but the posts and
// links elsewhere may name the other, so its archive URL becomes a redirect
// page to the term's (a file in static/, like an alias page), unless a
// term or an item already has that URL.
void WordPressImporter::write_stale_term_redirects(SiteWriter& writer) {
  if (stale_terms_.empty()) return;
  // A term's own archive never has a stale slug's URL (normalize_wxr_terms
  // leaves those out), so only the items' URLs can take one.
  std::set<std::string> taken;
  for (const Imported& it : items_) taken.insert(it.new_path);
  for (const StaleTermSlug& s : stale_terms_) {
    if (s.taxonomy != "post_tag" && s.taxonomy != "category") continue;
    std::string from =
        s.taxonomy == "post_tag" ? "/tag/" + s.stale + "/" : "/category/" + s.stale + "/";
    std::string to = term_archive(s.taxonomy, s.slug);
    std::string kind = s.taxonomy == "post_tag" ? "tag" : "category";
    if (taken.count(from) || s.stale.empty() || s.stale.find("..") != std::string::npos) {
      report_.needs_review.push_back(opts_.export_path + ": " + kind + " '" + s.name +
                                     "': its posts name it '" + s.stale + "', but " + from +
                                     " is another page's URL, so it does not redirect to " + to);
      continue;
    }
    std::string target = html_escape(base_path_ + to);
    std::string page =
        "<!doctype html>\n<html lang=\"" +
        html_escape(channel_.language.empty() ? "en" : channel_.language) +
        "\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to " + html_escape(s.name) +
        "</title>\n<link rel=\"canonical\" href=\"" + target +
        "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" "
        "content=\"0; url=" +
        target + "\">\n</head>\n<body>\n<p>This page has moved to <a href=\"" + target + "\">" +
        html_escape(s.name) + "</a>.</p>\n</body>\n</html>\n";
    writer.write("static" + from + "index.html", page);
    ++report_.term_redirects;
  }
}

int WordPressImporter::run() {
  // Mapped, not read: the pages belong to the page cache. Post and page
  // bodies are read again from it batch by batch, so the importer's own
  // memory holds only item fields and one batch.
  if (!file_.open(opts_.export_path)) {
    sink_.error({opts_.export_path, 0, 0}, "cannot read the export file");
    return 1;
  }
  auto keep_body = [](const WxrItem& item) {
    return item.post_type != "post" && item.post_type != "page";
  };
  if (!read_wxr(opts_.export_path, file_.text(), &channel_, sink_, keep_body)) return 1;

  // The blog's URL, path included ("https://e.com/wordpress/"): the first
  // of base_blog_url, the channel's link and base_site_url that is an
  // absolute URL ("http:" alone is not).
  for (const std::string* url :
       {&channel_.base_blog_url, &channel_.link, &channel_.base_site_url}) {
    if (usable_base_url(trim(*url))) {
      base_url_ = std::string(trim(*url));
      break;
    }
  }
  if (base_url_.empty()) {
    base_url_ = "https://example.com/";
    std::string named = !channel_.base_blog_url.empty() ? channel_.base_blog_url : channel_.link;
    report_.needs_review.push_back(
        opts_.export_path +
        (named.empty() ? std::string(": the export names no site URL")
                       : ": the site URL \"" + named + "\" is not an absolute URL") +
        "; base_url is a placeholder");
  }
  if (!ends_with(base_url_, "/")) base_url_ += "/";
  if (size_t scheme = base_url_.find("://"); scheme != std::string::npos) {
    size_t slash = base_url_.find('/', scheme + 3);
    if (slash != std::string::npos)
      base_path_ = base_url_.substr(slash, base_url_.size() - slash - 1);
  }

  // Term slugs as WordPress served them (import/wxr_terms.h), and a name of
  // its own for each term byline would otherwise merge with another.
  stale_terms_ = normalize_wxr_terms(&channel_);
  for (const TermRename& r : disambiguate_wxr_term_names(&channel_)) {
    report_.needs_review.push_back(opts_.export_path + ": " +
                                   (r.taxonomy == "post_tag" ? "tag" : r.taxonomy) + " '" + r.from +
                                   "' (" + percent_decode(r.slug) + ") is named '" + r.to +
                                   "': another term has its name, and byline knows terms by name");
  }

  for (const WxrAuthor& a : channel_.authors) {
    author_names_[a.login] = a.display_name.empty() ? a.login : a.display_name;
  }
  report_.authors = channel_.authors.size();
  std::set<std::string> tag_slugs, category_slugs;
  for (const WxrTerm& t : channel_.terms) {
    if (t.taxonomy == "category") {
      category_slugs.insert(t.slug);
      category_parent_[t.slug] = t.parent_slug;
      category_name_[t.slug] = t.name;
    } else if (t.taxonomy == "post_tag") {
      tag_slugs.insert(t.slug);
    }
  }

  for (const WxrItem& item : channel_.items) {
    if (item.post_type != "attachment") continue;
    std::string_view host = item.attachment_url;
    for (std::string_view scheme : {"https://", "http://", "//"}) {
      if (starts_with(host, scheme)) {
        host.remove_prefix(scheme.size());
        break;
      }
    }
    host = host.substr(0, host.find('/'));
    if (ends_with(host, ".files.wordpress.com")) own_upload_hosts_.insert(std::string(host));
  }
  classify();
  for (const Imported& it : items_) {
    for (const WxrItemTerm& t : it.item->terms) {
      if (t.domain == "post_tag") tag_slugs.insert(t.slug);
      if (t.domain == "category") {
        category_slugs.insert(t.slug);
        category_name_.emplace(t.slug, t.name);
      }
    }
  }
  report_.tags = tag_slugs.size();
  report_.categories = category_slugs.size();
  assign_paths();

  fs::path dest = opts_.output_dir;
  if (dest.empty()) {
    std::string stem = fs::path(opts_.export_path).filename().string();
    if (ends_with(stem, ".xml")) stem.resize(stem.size() - 4);
    dest = stem.empty() ? "site" : stem;
  }
  report_.output_dir = dest.string();
  SiteWriter writer;
  if (!writer.begin(dest, opts_.force, sink_)) return 1;

  // Items convert in parallel, a batch at a time so memory stays bounded,
  // and are written in export order from this thread: parallel file
  // creation measured three times slower on ext4, and the order keeps the
  // report independent of timing.
  constexpr size_t kBatch = 512;
  for (size_t start = 0; start < items_.size(); start += kBatch) {
    size_t n = std::min(kBatch, items_.size() - start);
    std::vector<std::string> pages(n);
    std::vector<std::vector<std::string>> notes(n);
    std::vector<size_t> kept(n, 0), withheld(n, 0);
    parallel_for(n, [&](size_t i) {
      const Imported& it = items_[start + i];
      WxrBodyStorage body;
      WxrItem item = *it.item;  // a copy: the shared record stays body-less
      if (!read_wxr_item_body(file_.text(), channel_, &item, &body)) {
        notes[i].push_back(review_note(item, "could not read the item's content again"));
      }
      Imported local = it;
      local.item = &item;
      pages[i] = render(local, &notes[i], &kept[i], &withheld[i]);
    });
    for (size_t i = 0; i < n; ++i) {
      writer.write(items_[start + i].file, pages[i]);
      for (std::string& note : notes[i]) report_.needs_review.push_back(std::move(note));
      // Drafts publish nothing, their comments included.
      if (items_[start + i].draft) {
        report_.comments_withheld += kept[i] + withheld[i];
      } else {
        report_.comments += kept[i];
        report_.comments_withheld += withheld[i];
      }
    }
  }
  writer.write("byline.toml", site_config());
  write_stale_term_redirects(writer);

  std::string missing_csv;
  for (const auto& [url, rel] : uploads_) {
    bool copied = false;
    if (!opts_.uploads_dir.empty()) {
      fs::path source = fs::path(opts_.uploads_dir) / rel;
      std::error_code ec;
      if (fs::is_regular_file(source, ec) &&
          writer.copy(source, "static" + std::string(kUploads) + rel)) {
        copied = true;
        ++report_.uploads_copied;
      }
    }
    if (!copied) {
      ++report_.uploads_missing;
      missing_csv +=
          csv_field(url) + "," + csv_field("static" + std::string(kUploads) + rel) + "\n";
    }
  }
  if (!missing_csv.empty()) {
    writer.write("attachments.csv", "url,path\n" + missing_csv);
    if (!opts_.uploads_dir.empty()) {
      report_.needs_review.push_back(std::to_string(report_.uploads_missing) +
                                     " uploads were not in " + opts_.uploads_dir +
                                     "; attachments.csv lists them");
    }
  }
  for (const std::string& kept : writer.kept()) {
    report_.needs_review.push_back(kept +
                                   ": edited or deleted since the last import, left as it is "
                                   "(--force overwrites)");
  }
  report_.files_kept = writer.kept().size();
  report_.files_written = writer.written();
  if (!writer.commit(sink_)) return 1;
  return 0;
}

}  // namespace

std::string ImportReport::to_text() const {
  std::string out;
  char line[160];
  auto row = [&](const char* label, size_t n) {
    std::snprintf(line, sizeof line, "  %-22s %8zu\n", label, n);
    out += line;
  };
  out += "Imported into " + output_dir + "\n";
  row("published posts", published_posts);
  row("published pages", published_pages);
  row("drafts", drafts);
  row("scheduled", scheduled);
  row("private (as drafts)", private_items);
  row("password-protected", password_protected);
  row("attachments", attachments);
  row("tags", tags);
  row("categories", categories);
  // Only when there are any: most exports have none.
  if (term_redirects) row("term redirects", term_redirects);
  row("authors", authors);
  row("comments", comments);
  row("comments withheld", comments_withheld);
  row("uploads copied", uploads_copied);
  row("uploads to fetch", uploads_missing);
  row("files written", files_written);
  row("files kept (edited)", files_kept);
  if (!skipped.empty()) {
    out += "Skipped:\n";
    for (const auto& [kind, n] : skipped) {
      auto why = skip_reasons.find(kind);
      std::snprintf(line, sizeof line, "  %-22s %8zu  ", kind.c_str(), n);
      out += line;
      out += why != skip_reasons.end() ? why->second : "";
      out += "\n";
    }
  }
  out += "Permalinks: " + permalink_pattern + "\n";
  if (!needs_review.empty()) {
    out += "Needs a human look (" + std::to_string(needs_review.size()) + "):\n";
    for (const std::string& r : needs_review) out += "  " + r + "\n";
  }
  return out;
}

int import_wordpress(const WordPressImportOptions& opts, ImportReport* report,
                     DiagnosticSink& sink) {
  ImportReport local;
  ImportReport& r = report ? *report : local;
  WordPressImporter importer(opts, &r, sink);
  return importer.run();
}

}  // namespace byline
