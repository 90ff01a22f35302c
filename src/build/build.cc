// The build pipeline.
#include "build/build.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "base/progress.h"
#include "base/thread_pool.h"
#include "build/incremental.h"
#include "config/config.h"
#include "config/theme.h"
#include "content/content.h"
#include "images/image_set.h"
#include "images/size_plan.h"
#include "markdown/page_bodies.h"
#include "output/publisher.h"
#include "render/render.h"
#include "site/site.h"

namespace byline {

namespace {

class Stopwatch {
 public:
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }
  double total() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

// What a build holds until it is published: the config and the site the
// content is moved into. The publisher is not part of it: its destructor
// joins the thread deleting earlier output, which must happen even when the
// state is left to the process exit.
struct BuildState {
  SiteConfig config;
  Site site;
};

// Hands the state over to the process exit (BuildOptions::exiting_after):
// freeing it piece by piece (at 100,000 posts the site, the saved state's
// tables and every output's keys) took a tenth of an incremental build.
template <typename T>
void leave_to_exit(std::unique_ptr<T> state) {
  T* kept = state.release();
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(kept);
#else
  (void)kept;
#endif
}

}  // namespace

// The last analysis's results, by page path, for the quick build.
struct KeptSearch {
  std::unordered_map<std::string, std::vector<std::string>> related;
  std::vector<SearchFile> files;
};

BuildSession::BuildSession() = default;
BuildSession::~BuildSession() = default;

std::string BuildResult::summary() const {
  char buf[256];
  if (nothing_to_do) {
    std::snprintf(buf, sizeof buf, "Nothing changed since the last build (%.2f s)", seconds);
    return buf;
  }
  std::string image_files =
      images ? ", " + std::to_string(images) + " image files (sizes, cards)" : std::string();
  std::snprintf(buf, sizeof buf,
                "Built %zu pages, %zu list pages, %zu feeds, %zu redirects, %zu static files%s "
                "in %.2f s",
                pages, list_pages, feeds, aliases, static_files, image_files.c_str(), seconds);
  std::string s = buf;
  if (incremental) {
    s += "; " + std::to_string(outputs_written) + " of " +
         std::to_string(pages + list_pages + feeds + aliases + static_files + images + other) +
         " files written (" + std::to_string(outputs_made) + " made again";
    if (outputs_removed) s += ", " + std::to_string(outputs_removed) + " removed";
    s += ")";
  }
  if (left_out > 0) {
    s += " (" + std::to_string(left_out) +
         " drafts, future or expired pages left out; --drafts/--future/--expired include them)";
  }
  return s;
}

namespace {

std::unique_ptr<KeptSearch> keep_search(const Site& site, const SiteSearch& made) {
  auto kept = std::make_unique<KeptSearch>();
  kept->files = made.files;
  for (size_t i = 0; i < made.related.size() && i < site.pages.size(); ++i) {
    if (made.related[i].empty()) continue;
    std::vector<std::string>& list = kept->related[site.pages[i].rel_path];
    for (const Page* p : made.related[i]) list.push_back(p->rel_path);
  }
  return kept;
}

// The kept results, on this build's pages: a page gone is left out of the
// lists, a new one has none yet.
SiteSearch kept_search(const KeptSearch& kept, const Site& site) {
  SiteSearch out;
  out.files = kept.files;
  if (kept.related.empty()) return out;
  std::unordered_map<std::string_view, const Page*> by_path;
  by_path.reserve(site.pages.size());
  for (const Page& p : site.pages) by_path.emplace(p.rel_path, &p);
  out.related.resize(site.pages.size());
  for (size_t i = 0; i < site.pages.size(); ++i) {
    auto list = kept.related.find(site.pages[i].rel_path);
    if (list == kept.related.end()) continue;
    for (const std::string& path : list->second)
      if (auto p = by_path.find(path); p != by_path.end()) out.related[i].push_back(p->second);
  }
  return out;
}

// Publishes what the render made: a full build swaps the new output in
// whole; an incremental one moves the files it wrote into place and deletes
// the outputs it no longer makes. Either way the saved state is marked as
// out of date first, and saved anew after.
bool publish(Publisher& publisher, IncrementalBuild& inc, const std::vector<OutputResult>& results,
             BuildResult* result, DiagnosticSink& sink) {
  std::string error;
  if (!inc.begin_commit(&error)) {
    sink.error({"", 0, 0}, error);
    publisher.discard();
    return false;
  }
  if (!inc.incremental()) return publisher.commit(sink);
  std::vector<std::string> written;
  for (const OutputResult& r : results)
    if (r.written) written.push_back(r.path);
  std::vector<std::string> removed = inc.removed(results);
  result->outputs_removed = removed.size();
  if (!publisher.commit_in_place(written, removed, sink)) return false;
  result->written_paths = std::move(written);
  result->removed_paths = std::move(removed);
  return true;
}

void count_outputs(const std::vector<OutputResult>& results, BuildResult* result) {
  for (const OutputResult& r : results) {
    result->outputs_made += r.made;
    result->outputs_written += r.written;
  }
}

// Every image a page shows, restored pages' too (from their records), is
// published with its variants; those no page rendered this build are
// processed (or found in the cache) now, on the pool.
void process_images(std::vector<Page>& pages, const std::filesystem::path& site_dir,
                    const std::string& site_name, ImageSet& images) {
  std::vector<std::filesystem::path> files;
  std::unordered_set<std::string> seen;
  for (const Page& p : pages) {
    for (const BodyInput& in : p.body_inputs) {
      if (in.site_path.empty() || !in.exists) continue;
      std::filesystem::path file = site_dir / in.path;
      images.publish(in.site_path, file);
      if (seen.insert(in.path).second) files.push_back(std::move(file));
    }
  }
  images.process_all(files);
  if (!images.config().cards) return;
  // Each page's card: from its first input that was processed (its
  // featured image comes first), cut once per file.
  parallel_for(pages.size(), [&](size_t i) {
    Page& p = pages[i];
    p.card_path.clear();
    for (const BodyInput& in : p.body_inputs) {
      if (in.site_path.empty() || !in.exists) continue;
      std::filesystem::path file = site_dir / in.path;
      if (!images.get(file)->processed()) continue;
      std::shared_ptr<const SocialCard> card = images.card(file);
      if (!card->ok) continue;
      p.card_path = card_path(in.site_path);
      images.publish_card(p.card_path, card->file);
      break;
    }
    // A post or page without an image gets a generated card, beside its
    // index.html.
    if (!p.card_path.empty() || !images.config().text_cards || !p.is_regular() ||
        p.permalink.empty() || p.permalink.back() != '/')
      return;
    std::string outlet;
    if (const Value* o = p.params.find("outlet"); o && o->is_string()) outlet = o->as_string();
    SocialCard card = images.processor().text_card(p.title, outlet, site_name);
    if (!card.ok) return;
    p.card_path = p.permalink + "card-1200x630.jpg";
    images.publish_card(p.card_path, card.file);
  });
}

}  // namespace

bool build_site(const BuildOptions& options, BuildResult* result, DiagnosticSink& sink) {
  Stopwatch clock;
  Progress progress(options.progress);

  // Declared before the state so that, when the state is freed here, the
  // deletion of earlier output goes on while it is.
  std::filesystem::path dest = options.dest.empty() ? options.source / "public" : options.dest;
  Publisher publisher;
  // What earlier builds retired beside DEST is deleted while this one reads
  // and renders, instead of after it.
  publisher.sweep_leftovers(dest);

  auto state = std::make_unique<BuildState>();
  SiteConfig& config = state->config;
  if (!load_config(options.source, &config, sink)) return false;
  if (!options.base_url.empty()) {
    config.urls = SiteUrls(options.base_url);
  }
  // Where templates and static files come from, for every stage after.
  const Theme theme(options.source, config);
  result->t_config = clock.lap();

  ContentOptions content_options;
  content_options.now = options.now ? *options.now : now_utc();
  content_options.drafts = options.drafts;
  content_options.future = options.future;
  content_options.expired = options.expired;

  IncrementalBuild::Settings settings;
  settings.site_dir = options.source;
  settings.dest = dest;
  settings.environment = environment_fingerprint(options.source, options.drafts, options.future,
                                                 options.expired, options.base_url);
  settings.full = options.full;
  settings.explain = options.explain;
  settings.now = content_options.now.utc_seconds;
  BuildSession* session = options.session;
  if (session && session->scan) {
    settings.previous_scan = session->scan.get();
    settings.changed = &session->changed;
  }
  auto inc_owner = std::make_unique<IncrementalBuild>(settings, config, theme);
  IncrementalBuild& inc = *inc_owner;
  inc.begin();
  // However this build ends, the next starts from its scan, brought up to
  // date with what changes from now on.
  struct HandBack {
    BuildSession* session;
    IncrementalBuild& inc;
    ~HandBack() {
      if (session) session->scan = std::make_unique<InputScan>(inc.take_scan());
    }
  } hand_back{session, inc};
  if (session) session->changed.clear();
  result->scan_reused = inc.scan_reused();
  result->incremental = inc.incremental();
  result->full_reason = inc.full_reason();
  result->t_state = clock.lap();
  const bool search_stale = session && session->search_stale;
  if (!search_stale && inc.nothing_to_do(content_options.now.utc_seconds)) {
    result->nothing_to_do = true;
    result->seconds = clock.total();
    if (options.exiting_after) leave_to_exit(std::move(inc_owner));
    return true;
  }
  inc.read_rest();
  result->incremental = inc.incremental();
  result->full_reason = inc.full_reason();
  // A change came while this build worked: it is given up before it
  // writes anything, for one that includes the change.
  auto give_up = [&] {
    result->cancelled = options.cancelled && options.cancelled();
    return result->cancelled;
  };
  if (give_up()) return false;

  Content content;
  progress.stage("Reading", 0);
  if (!load_content(config, options.source, content_options, &content, sink,
                    inc.incremental() ? &inc : nullptr))
    return false;
  result->t_content = clock.lap();

  progress.stage("Markdown", content.pages.size());
  // Images are processed as the pages that show them are rendered (on the
  // same pool), and the rest (restored pages') after.
  ImageSet images(config, options.source, &sink);
  BodyRenderer bodies(config, options.source, theme, content.pages, &images);
  render_page_bodies(bodies, content.pages, sink);
  inc.hash_page_inputs(content.pages);
  for (const Page& p : content.pages) {
    result->pages_restored += p.body_restored;
    if (inc.incremental() && !p.body_restored && !p.output_path.empty())
      result->pages_read.push_back(p.output_path);
  }
  result->t_markdown = clock.lap();
  if (images.enabled()) {
    progress.stage("Images", 0);
    process_images(content.pages, options.source, config.title, images);
    // With strict_images, an image that could not be processed was an
    // error where a page shows it; nothing is published.
    if (config.strict_images && sink.has_errors()) return false;
  }
  result->t_images = clock.lap();

  Site& site = state->site;
  const int64_t next_change = content.next_change;
  if (!assemble_site(config, std::move(content), &site, sink)) return false;
  if (give_up()) return false;
  site.now = content_options.now;
  site.images = &images;
  // The pages are final: their records go into the state's page log now
  // (a stopped build leaves the log as the last state knows it), and the
  // front matter's text they kept for them and for diagnostics goes, as
  // assembly is the last stage that quotes it (~40 MB at 100,000 posts).
  std::string state_error;
  bool pages_saved = inc.write_pages(site, sink, &state_error);
  for (Page& p : site.pages) std::string().swap(p.source_text);
  // A restored page's body is rendered when an output first shows it.
  if (result->pages_restored) {
    site.body_once = std::make_unique<std::once_flag[]>(site.pages.size());
    site.render_body = [&](Page& p) {
      bodies.render_restored(p, options.source / "content" / p.rel_path, sink);
    };
  }
  result->t_site = clock.lap();

  PublishOptions publish_options;
  publish_options.in_place = inc.incremental();
  if (!publisher.open(dest, sink, publish_options)) return false;
  RenderStats stats;
  std::vector<OutputResult> results;
  RenderOptions render_options = inc.render_options(&results);
  const bool quick = session && session->quick && session->search &&
                     (config.search.enabled || config.search.related > 0);
  if (quick) {
    render_options.search = [kept = session->search.get()](const Site& s) {
      return kept_search(*kept, s);
    };
  } else if (session) {
    render_options.searched = [session](const Site& s, const SiteSearch& made) {
      session->search = keep_search(s, made);
    };
  }
  progress.stage("Rendering", 0);
  bool ok = render_site(
      site, theme, publisher, &stats, sink,
      [&](size_t done, size_t total) {
        if (done == 1) progress.stage("Rendering", total);
        progress.set(done);
      },
      render_options);
  result->t_render = clock.lap();
  result->t_search = stats.search_seconds;
  result->t_search_analyse = stats.search_analyse;
  result->t_search_related = stats.search_related;
  result->t_search_index = stats.search_index;
  result->t_search_cpu = stats.search_cpu;
  progress.finish();
  if (!ok) {
    publisher.discard();
    return false;
  }
  count_outputs(results, result);
  if (!publish(publisher, inc, results, result, sink)) return false;
  result->t_publish = clock.lap();
  if (options.explain) result->explanations = inc.explanations(results);
  if (!pages_saved ||
      !inc.save(site, results, content_options.now.utc_seconds, next_change, &state_error)) {
    // The site is built; only the next build loses its head start.
    sink.warning({"", 0, 0}, "cannot save the build's state for the next build: " + state_error);
  }
  result->t_save = clock.lap();

  result->pages = stats.pages;
  result->list_pages = stats.list_pages;
  result->feeds = stats.feeds;
  result->aliases = stats.aliases;
  result->static_files = stats.static_files;
  result->images = stats.images;
  result->other = stats.other;
  result->left_out = site.left_out;
  result->search_deferred = quick;
  if (session) {
    session->search_stale = quick;
    session->page_inputs.clear();
    for (const Page& p : site.pages)
      for (const BodyInput& in : p.body_inputs) session->page_inputs.insert(in.path);
  }
  result->seconds = clock.total();
  if (options.exiting_after) {
    leave_to_exit(std::move(state));
    leave_to_exit(std::move(inc_owner));
    leave_to_exit(std::make_unique<std::vector<OutputResult>>(std::move(results)));
  }
  return true;
}

}  // namespace byline
