#include "check/check.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/files.h"
#include "base/mapped_file.h"
#include "base/strings.h"
#include "build/build.h"
#include "build/incremental.h"
#include "check/missing_uploads.h"
#include "check/output_index.h"
#include "check/site_check.h"
#include "check/urls.h"
#include "check/wordpress_urls.h"
#include "config/config.h"
#include "content/content.h"
#include "import/wxr_reader.h"
#include "import/wxr_terms.h"
#include "state/saved_state.h"

namespace byline {

namespace {

// User and system time of the process so far: what the check costs, apart
// from how busy the machine is.
double process_cpu_seconds() {
  struct rusage u;
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string plural(size_t n, const std::string& one, const std::string& many = "") {
  return std::to_string(n) + " " + (n == 1 ? one : (many.empty() ? one + "s" : many));
}

// Why a page a normal build leaves out is left out; "" when it is published.
std::string left_out_reason(const Page& p, const DateTime& now) {
  if (p.draft) return "a draft (draft: true)";
  if (p.date && p.date->utc_seconds > now.utc_seconds) return "dated in the future";
  if (p.expiry_date && p.expiry_date->utc_seconds <= now.utc_seconds) return "past its expiry_date";
  return "";
}

// The Markdown file each output page was made from, and the pages a
// normal build leaves out. The first comes from the build's own page list,
// its saved state (.byline/builds/…: each output with its recipe, "page
// posts/x.md"), so that only the files of pages with a problem are read; a
// folder built by something else falls back to reading the content. Pages
// left out are known only from the content: it is read, once, when a link
// that could lead to one is broken.
class PageList {
 public:
  PageList(const SiteConfig& config, const CheckOptions& options, const std::filesystem::path& dest)
      : config_(config), options_(options) {
    has_state_ = state_.load(state_folder(options.site, dest)) && state_.load_rest();
  }

  struct Source {
    std::string path;  // as diagnostics show it: "site/content/posts/x.md"
    const std::string* text = nullptr;
  };
  // The Markdown file `output_file` was made from; false when it is not a
  // page (a list, a feed) or unknown.
  bool source_of(const std::string& output_file, Source* out) {
    if (!has_state_) {
      load_content();
      auto it = by_output_.find(output_file);
      if (it == by_output_.end()) return false;
      *out = {it->second->source_path, &it->second->source_text};
      return true;
    }
    const SavedState::Output* o = state_.find_output(output_file);
    if (!o || !o->recipe.starts_with("page ")) return false;
    std::string rel(o->recipe.substr(5));
    auto it = texts_.find(rel);
    if (it == texts_.end()) {
      std::string text, error;
      std::filesystem::path path = options_.site / "content" / rel;
      if (!read_file(path, &text, &error)) return false;
      it = texts_
               .emplace(rel,
                        std::make_pair(path.lexically_normal().generic_string(), std::move(text)))
               .first;
    }
    *out = {it->second.first, &it->second.second};
    return true;
  }

  // The page at `site_path` that is not published, and why.
  const std::pair<const Page*, std::string>* left_out(std::string path) {
    load_content();
    auto it = left_out_.find(path);
    if (it == left_out_.end() && !path.ends_with('/')) it = left_out_.find(path + "/");
    return it == left_out_.end() ? nullptr : &it->second;
  }

 private:
  void load_content() {
    if (loaded_) return;
    loaded_ = true;
    ContentOptions co;
    co.drafts = co.future = co.expired = true;
    if (options_.now) co.now = *options_.now;
    DiagnosticSink ignored;  // the build has reported them already
    load_content_pages(co, ignored);
  }
  void load_content_pages(const ContentOptions& co, DiagnosticSink& ignored) {
    byline::load_content(config_, options_.site, co, &content_, ignored);
    for (const Page& p : content_.pages) {
      std::string reason = left_out_reason(p, co.now);
      if (reason.empty()) {
        if (!p.output_path.empty()) by_output_[p.output_path] = &p;
      } else {
        left_out_[p.permalink] = {&p, reason};
      }
    }
  }

  const SiteConfig& config_;
  const CheckOptions& options_;
  SavedState state_;
  bool has_state_ = false;
  std::unordered_map<std::string, std::pair<std::string, std::string>> texts_;  // rel → path, text
  bool loaded_ = false;
  Content content_;
  std::unordered_map<std::string, const Page*> by_output_;
  std::unordered_map<std::string, std::pair<const Page*, std::string>> left_out_;
};

std::string output_display(const std::filesystem::path& dest, const std::string& file) {
  return (dest / file).lexically_normal().string();
}

// Where `url` is written in a page's Markdown file: the URL itself, or
// without the base URL's path, which byline adds to site paths.
bool find_in_source(const std::string& text, const std::string& url, const std::string& base_path,
                    size_t* at) {
  if (url.empty()) return false;
  std::vector<std::string> candidates = {url};
  if (base_path.size() > 1 && url.starts_with(base_path)) {
    candidates.push_back("/" + url.substr(base_path.size()));
  }
  for (const std::string& c : candidates) {
    size_t pos = text.find(c);
    // Prefer a place where the URL is the whole link: followed by ')', '"',
    // '>' or a space, not the start of a longer URL.
    while (pos != std::string::npos) {
      size_t end = pos + c.size();
      char next = end < text.size() ? text[end] : ' ';
      if (next == ')' || next == '"' || next == '\'' || next == '>' || next == ' ' ||
          next == '\n' || next == '\r' || next == ']') {
        *at = pos;
        return true;
      }
      pos = text.find(c, pos + 1);
    }
  }
  return false;
}

// What `--wordpress` knows of the export, to tell what the migration broke
// from what the export had broken already.
struct ExportFacts {
  ExportLinks links;
  std::unordered_set<std::string> old_paths;  // every URL the check proves, as site paths

  // Why `p` was already broken in the export; "" when the migration broke it.
  std::string already_broken(const LinkProblem& p) const {
    if (p.kind == "fragment") {
      if (!p.url.starts_with('#')) return "";
      std::string id = url_unescape(p.url.substr(1));
      if (!links.fragments.count(id) || links.ids.count(id)) return "";
      return "no element of the export has the id \"" + id +
             "\" (the old theme's pages had it, not the post)";
    }
    if (p.message.starts_with("is outside the site")) {
      return links.urls.count(p.url) ? "the export links outside the blog's own path too" : "";
    }
    std::string path = p.site_path.substr(0, p.site_path.find_first_of("?#"));
    if (path.empty() || !links.paths.count(path) || old_paths.count(path)) return "";
    if (path.starts_with("/wp-admin") || path.starts_with("/wp-login.php")) {
      return "it is WordPress's dashboard, which no export carries and a static site has not";
    }
    if (wordpress_made(path)) return "";  // an archive or feed WordPress made: ours to keep
    return "the export has nothing at " + path +
           ": no post, page, attachment or archive (broken on the old site too, or a file of its "
           "server or theme)";
  }

  // The pages WordPress makes itself (archives, feeds, pagination): a link
  // to one was never broken in WordPress.
  static bool wordpress_made(std::string_view path) {
    std::string_view first = path.substr(1, path.find('/', 1) - 1);
    for (std::string_view prefix :
         {"author", "category", "tag", "feed", "page", "comments", "search"}) {
      if (first == prefix) return true;
    }
    if (path.ends_with("/feed/") || path.ends_with("/feed")) return true;
    // Date archives: /2019/, /2019/08/, /2019/08/05/ (a post's own
    // permalink has its slug after them).
    for (std::string_view segment : split(path, '/')) {
      if (segment.empty()) continue;
      if (segment.size() > 4 || !std::all_of(segment.begin(), segment.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
      }
    }
    return path.size() > 1;
  }
};

struct Reporter {
  const CheckOptions& options;
  const SiteConfig& config;
  std::filesystem::path dest;
  DiagnosticSink& sink;
  CheckSummary* summary;
  const MissingUploads& missing;
  const ExportFacts* wordpress;         // with --wordpress
  std::set<std::string>* missing_seen;  // uploads not in the export, by site path
  std::optional<PageList> pages;

  void report(std::vector<LinkProblem> problems) {
    if (problems.empty()) return;
    if (!pages) pages.emplace(config, options, dest);
    // Problems not traced to a Markdown file are grouped: a broken link in a
    // template is one error, not one per page.
    std::map<std::tuple<bool, std::string, std::string, std::string>,
             std::vector<const LinkProblem*>>
        groups;
    for (LinkProblem& p : problems) {
      // What the export never had is explained, and under --wordpress
      // is no failure of the migration.
      bool warn = false;
      if (missing.has_path(p.site_path)) {
        // One line for the whole site (below), as the import said it once;
        // --verbose adds each place, counted in that line, not again.
        std::string path = p.site_path.substr(0, p.site_path.find_first_of("?#"));
        if (missing_seen->insert(path).second) upload_places.push_back(&p);
        if (!options.verbose) continue;
        p.message +=
            " (an upload the WordPress export carried no file for: attachments.csv "
            "lists it)";
        locate(p, wordpress != nullptr);
        continue;
      }
      // Only a page can be a draft: a broken image is not one.
      bool page_link =
          p.kind == "link" || p.kind == "redirect" || p.kind == "feed" || p.kind == "sitemap";
      if (page_link && !p.site_path.empty()) {
        if (const auto* draft = pages->left_out(p.site_path)) {
          p.kind = "draft";
          p.message = "is " + draft->first->source_path + ", " + draft->second +
                      ", which a build does not publish";
        }
      }
      // A draft is in the site, to publish or unlink: not "already broken".
      if (wordpress && !missing.has_path(p.site_path) && p.kind != "draft") {
        std::string why = wordpress->already_broken(p);
        if (!why.empty()) {
          p.message += "; already broken in the export: " + why;
          ++summary->already_broken;
          warn = true;
        }
      }
      if (!warn) ++summary->broken[p.kind];
      if (locate(p, warn)) continue;
      groups[{warn, p.kind, p.url, p.message}].push_back(&p);
    }
    if (!upload_places.empty() && !wordpress) {
      // Without --wordpress the site is checked, not the move: the files
      // are missing, so they are broken, counted by file.
      summary->broken["upload"] += missing_seen->size();
      std::string list;
      for (size_t i = 0; i < upload_places.size() && i < 3; ++i) {
        const LinkProblem& p = *upload_places[i];
        list += (i ? ", " : "") + p.site_path.substr(0, p.site_path.find_first_of("?#")) + " at " +
                place_of(p);
      }
      if (upload_places.size() > 3) list += ", …";
      std::string message =
          plural(missing_seen->size(), "upload") + " the pages use are not in the output (" + list +
          "): the WordPress export carried no file for them; " + missing_uploads_advice();
      if (!options.verbose) message += " (--verbose shows every place)";
      sink.error({(options.site / "attachments.csv").lexically_normal().string(), 0, 0}, message);
    }
    for (auto& [key, list] : groups) {
      std::sort(list.begin(), list.end(), [](const LinkProblem* a, const LinkProblem* b) {
        return std::tie(a->file, a->offset) < std::tie(b->file, b->offset);
      });
      const LinkProblem& first = *list.front();
      std::string message = headline(first);
      if (list.size() > 1) message += " (and " + plural(list.size() - 1, "other place") + ")";
      at_output(first.file, first.offset, message, std::get<0>(key));
    }
  }

  std::vector<const LinkProblem*> upload_places;  // the first place of each missing upload

  // Reports `p` at the Markdown line it came from; false when it cannot be
  // traced there.
  bool locate(const LinkProblem& p, bool warn) {
    PageList::Source source;
    size_t at = 0;
    if (!pages->source_of(p.file, &source) ||
        !find_in_source(*source.text, p.url, config.urls.base_path(), &at)) {
      if (!options.verbose || !missing.has_path(p.site_path)) return false;
      at_output(p.file, p.offset, headline(p), warn);
      return true;
    }
    SourceLocation loc;
    loc.path = source.path;
    line_and_column(*source.text, at, &loc.line, &loc.column);
    std::string message = headline(p) + " (" + output_display(dest, p.file) + ")";
    if (warn) {
      sink.warning(loc, message, *source.text);
    } else {
      sink.error(loc, message, *source.text);
    }
    return true;
  }

  // "content/posts/x.md:3:5", or the output file's place.
  std::string place_of(const LinkProblem& p) {
    PageList::Source source;
    size_t at = 0;
    if (pages->source_of(p.file, &source) &&
        find_in_source(*source.text, p.url, config.urls.base_path(), &at)) {
      int line = 0, column = 0;
      line_and_column(*source.text, at, &line, &column);
      return source.path + ":" + std::to_string(line) + ":" + std::to_string(column);
    }
    return output_display(dest, p.file);
  }

  static std::string headline(const LinkProblem& p) {
    if (p.url.empty()) return p.kind + " " + p.message;
    if (p.kind == "draft") return "link to a draft: " + p.url + " " + p.message;
    if (p.kind == "feed" || p.kind == "sitemap")
      return p.kind + " entry " + p.url + " " + p.message;
    return "broken " + p.kind + ": " + p.url + " " + p.message;
  }

  void at_output(const std::string& file, uint32_t offset, const std::string& message,
                 bool warn = false) {
    auto say = [&](const SourceLocation& loc, const std::string& m, std::string_view text) {
      if (warn) {
        sink.warning(loc, m, text);
      } else {
        sink.error(loc, m, text);
      }
    };
    SourceLocation loc;
    loc.path = output_display(dest, file);
    MappedFile mapped;
    std::string_view text;
    if (mapped.open((dest / file).string())) text = mapped.text();
    if (offset > 0 && offset <= text.size()) {
      line_and_column(text, offset, &loc.line, &loc.column);
      std::string_view line = line_of(text, loc.line);
      // Minified or generated lines are not worth quoting.
      say(loc, message, line.size() <= 300 ? text : std::string_view());
    } else {
      loc.line = offset == 0 && !text.empty() ? 1 : 0;
      loc.column = loc.line ? 1 : 0;
      say(loc, message, loc.line ? text : std::string_view());
    }
  }
};

// Proves the export's old URLs, and gathers what the report needs to tell
// the migration's failures from the export's own.
void check_wordpress(const CheckOptions& options, const OutputIndex& index,
                     const MissingUploads& missing, CheckSummary* summary, DiagnosticSink& sink,
                     ExportFacts* facts, std::set<std::string>* missing_seen, bool* ok) {
  MappedFile file;
  if (!file.open(options.wordpress_export)) {
    sink.error({options.wordpress_export, 0, 0}, "cannot read the WordPress export");
    *ok = false;
    return;
  }
  WxrChannel channel;
  if (!read_wxr(options.wordpress_export, file.text(), &channel, sink)) {
    *ok = false;
    return;
  }
  std::vector<StaleTermSlug> stale = normalize_wxr_terms(&channel);
  facts->links = export_links(channel);
  std::string_view text = file.text();
  for (const OldUrl& u : wordpress_urls(channel, stale)) {
    ++summary->wordpress_urls;
    facts->old_paths.insert(u.site_path);
    Resolution r = index.resolve_site_path(u.site_path, u.query, u.query_rule);
    if (r.status == Resolution::kFile || r.status == Resolution::kRedirect) continue;
    std::string upload = missing.path_of_url(u.url);
    if (upload.empty() && missing.has_path(u.site_path)) {
      upload = u.site_path.substr(0, u.site_path.find_first_of("?#"));
    }
    if (!upload.empty()) {
      missing_seen->insert(upload);
      continue;
    }
    std::string why =
        r.status == Resolution::kBadRedirect
            ? "is redirected by _redirects to " + r.redirect_to + ", which is not in the output"
        : u.query_rule ? "has no _redirects rule for ?" + u.query
                       : "is not in the output, and no alias or _redirects rule "
                         "covers it";
    std::string message = "old URL " + u.url + " (" + u.what + ") " + why;
    SourceLocation loc{options.wordpress_export, u.line, u.line ? 1 : 0};
    if (u.warning_only) {
      sink.warning(loc, message + "; it was password-protected in WordPress", text);
      continue;
    }
    ++summary->broken["wordpress"];
    sink.error(loc, message, u.line ? text : std::string_view());
  }
}

}  // namespace

size_t CheckSummary::broken_total() const {
  size_t n = 0;
  for (const auto& [kind, count] : broken) n += count;
  return n;
}

std::string CheckSummary::to_text() const {
  std::string s = "Checked " + plural(pages, "page") + ": " + plural(links, "link") + " (" +
                  std::to_string(internal_links) + " internal, " + std::to_string(external_links) +
                  " external), " + plural(fragments, "fragment") + ", " + plural(feeds, "feed") +
                  " (" + plural(feed_items, "item") + "), " + plural(sitemaps, "sitemap") + " (" +
                  plural(sitemap_urls, "URL") + ")";
  if (wordpress_urls) s += ", " + plural(wordpress_urls, "WordPress URL");
  if (external_checked || external_cached) {
    s += ", " + plural(external_checked + external_cached, "external URL") + " requested (" +
         std::to_string(external_cached) + " answered by the cache)";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, " in %.2f s", seconds);
  s += buf;
  size_t total = broken_total();
  std::string aside;
  if (uploads_not_in_export) {
    aside += plural(uploads_not_in_export, "upload") + " not in the export (--uploads DIR)";
  }
  if (already_broken) {
    aside += std::string(aside.empty() ? "" : ", ") + plural(already_broken, "link") +
             " already broken in the export";
  }
  if (!aside.empty()) aside = " Not the migration's: " + aside + ".";
  if (total == 0) return s + ": nothing broken." + aside;
  s += ": " + std::to_string(total) + " broken (";
  bool first = true;
  for (const auto& [kind, count] : broken) {
    s += (first ? "" : ", ") + std::to_string(count) + " " + kind;
    first = false;
  }
  return s + ")." + aside;
}

bool run_check(const CheckOptions& options, CheckSummary* summary, DiagnosticSink& sink) {
  SiteConfig config;
  if (!load_config(options.site, &config, sink)) return false;
  std::filesystem::path dest = options.dest.empty() ? options.site / "public" : options.dest;
  if (options.build) {
    BuildOptions bo;
    bo.source = options.site;
    bo.dest = dest;
    bo.now = options.now;
    bo.progress = options.progress;
    BuildResult result;
    DiagnosticSink build_sink;
    bool built = build_site(bo, &result, build_sink);
    MissingUploads missing;
    missing.load(options.site / "attachments.csv");
    // The check's own line for these uploads (below) says it for both.
    fold_missing_upload_warnings(build_sink, missing, "", options.verbose, &sink);
    if (!built) return false;
    summary->build_summary = result.summary();
  }
  auto start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_seconds();
  auto last = start;
  auto lap = [&last](double* t) {
    auto now = std::chrono::steady_clock::now();
    *t = std::chrono::duration<double>(now - last).count();
    last = now;
  };
  OutputIndex index;
  if (!index.load(dest.string(), config.urls, sink)) return false;
  lap(&summary->t_index);

  SiteCheckOptions so;
  for (const auto& [name, list] : {std::pair{config.feeds.rss, &so.rss},
                                   {config.feeds.atom, &so.atom},
                                   {config.feeds.json, &so.json}}) {
    if (!name.empty()) list->push_back(name);
  }
  so.collect_external = options.external;
  SiteCheckResult result;
  check_output(dest.string(), index, so, &result);
  lap(&summary->t_pages);
  summary->cpu_internal = process_cpu_seconds() - cpu_start;
  summary->pages = result.html_files;
  summary->links = result.links;
  summary->internal_links = result.internal_links;
  summary->external_links = result.external_links;
  summary->fragments = result.fragments;
  summary->feeds = result.feeds;
  summary->feed_items = result.feed_items;
  summary->sitemaps = result.sitemaps;
  summary->sitemap_urls = result.sitemap_urls;

  bool ok = true;
  MissingUploads missing;
  missing.load(options.site / "attachments.csv");
  ExportFacts facts;
  std::set<std::string> missing_seen;
  const bool wordpress = !options.wordpress_export.empty();
  if (wordpress) {
    check_wordpress(options, index, missing, summary, sink, &facts, &missing_seen, &ok);
  }
  lap(&summary->t_wordpress);

  if (options.external && !result.external.empty()) {
    std::vector<std::string> urls;
    for (const ExternalLink& e : result.external) urls.push_back(e.url);
    ExternalOptions eo = options.external_options;
    if (eo.cache_file.empty()) {
      std::filesystem::path dir = options.site / ".byline";
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      eo.cache_file = (dir / "check-external.tsv").string();
    }
    std::vector<ExternalResult> found = check_external(urls, eo);
    for (size_t i = 0; i < found.size(); ++i) {
      const ExternalResult& r = found[i];
      (r.cached ? summary->external_cached : summary->external_checked)++;
      if (r.ok()) continue;
      std::string why = r.error.empty() ? "answered HTTP " + std::to_string(r.status) : r.error;
      if (r.tries > 1) why += " (" + plural(static_cast<size_t>(r.tries), "try", "tries") + ")";
      const ExternalLink& e = result.external[i];
      result.problems.push_back({e.file, e.offset, "external", e.url, why, ""});
    }
  }

  lap(&summary->t_external);
  Reporter reporter{
      options,       config,       dest, sink, summary, missing, wordpress ? &facts : nullptr,
      &missing_seen, std::nullopt, {}};
  reporter.report(std::move(result.problems));
  if (wordpress) summary->uploads_not_in_export = missing_seen.size();
  if (wordpress && !missing_seen.empty()) {
    std::string list;
    size_t shown = 0;
    for (const std::string& path : missing_seen) {
      if (shown++ == 3) {
        list += ", …";
        break;
      }
      list += (list.empty() ? "" : ", ") + path;
    }
    sink.warning(
        {(options.site / "attachments.csv").lexically_normal().string(), 0, 0},
        plural(missing_seen.size(), "upload") +
            " the posts use the WordPress export carried no file for (" + list +
            "): an export holds no media. Not counted as broken: " + missing_uploads_advice() +
            (options.verbose ? "" : " (--verbose shows every place)"));
  }
  lap(&summary->t_report);
  summary->cpu_total = process_cpu_seconds() - cpu_start;
  summary->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return ok;
}

}  // namespace byline
