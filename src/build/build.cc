// The build pipeline.
#include "build/build.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "base/hash.h"
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

// The last good build, whole, for edit_live(). Declared in the order its
// parts depend on each other: each refers only to those above it.
struct LiveModel {
  std::unique_ptr<Theme> theme;
  std::unique_ptr<BuildState> state;  // the config and the site model
  std::unique_ptr<ImageSet> images;
  std::unique_ptr<BodyRenderer> bodies;
  // Where the bodies of restored pages, rendered when an output first
  // shows them (Site::render_body), report: the current edit's sink.
  std::shared_ptr<DiagnosticSink*> body_sink;
  std::unique_ptr<IncrementalBuild> inc;  // its state: the kept outputs' saved_deps
  std::vector<OutputResult> results;
  std::unique_ptr<KeptRender> render;
  // Page by path relative to content/.
  std::unordered_map<std::string_view, size_t> page_index;
  ContentOptions content_options;
  int64_t next_change = INT64_MAX;
  BuildResult counts;  // the build's page, list and feed counts
};

BuildSession::BuildSession() = default;
BuildSession::~BuildSession() {
  if (freeing.joinable()) freeing.join();
}
void BuildSession::drop_live() { live.reset(); }
void BuildSession::drop_live_meanwhile() {
  if (!live) return;
  if (freeing.joinable()) freeing.join();
  freeing = std::thread([old = std::move(live)]() mutable { old.reset(); });
}

std::string BuildResult::summary() const {
  char buf[256];
  if (nothing_to_do) {
    std::snprintf(buf, sizeof buf, "Nothing changed since the last build (%.2f s)", seconds);
    return buf;
  }
  if (live_edit) {
    std::snprintf(
        buf, sizeof buf, "Edited in memory in %.3f s: %zu of %zu files written (%zu made again)",
        seconds, outputs_written,
        pages + list_pages + feeds + aliases + static_files + images + other, outputs_made);
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
  auto theme_owned = std::make_unique<Theme>(options.source, config);
  const Theme& theme = *theme_owned;
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
  if (session) {
    settings.own_commit_mark = session->own_mark;
    settings.rewritten = &session->rewritten;
  }
  auto inc_owned = std::make_unique<IncrementalBuild>(settings, config, theme);
  IncrementalBuild& inc = *inc_owned;
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
    if (options.exiting_after) leave_to_exit(std::move(inc_owned));
    return true;
  }
  inc.read_rest();
  result->incremental = inc.incremental();
  result->full_reason = inc.full_reason();
  // A change came while this build worked: it is given up before it
  // writes anything, for one that includes the change.
  // Once it has dropped the kept model (below), a build is no longer given
  // up: the edit it would give way to would find no model to be made in.
  bool dropped_model = false;
  auto give_up = [&] {
    result->cancelled = !dropped_model && options.cancelled && options.cancelled();
    return result->cancelled;
  };
  if (give_up()) return false;
  const bool searching = config.search.enabled || config.search.related > 0;
  // serve's catch-up (the search is all that is stale) analyses the site
  // in the kept model, which is the site as it is now (every change since
  // the model was made was made in it, or was a build that made it anew),
  // before the model is dropped: given up for an edit, the model stays for
  // that edit; done, the rest is a quick build with that analysis, and the
  // analysis is saved for the next build as a full search's would be.
  bool caught_up = false;
  if (search_stale && session->live && options.cancelled && searching) {
    LiveModel& live = *session->live;
    // Bodies the analysis renders (Site::render_body) report to a sink of
    // their own: the build that follows restores every page, and gives
    // their diagnostics with them.
    DiagnosticSink bodies_said;
    *live.body_sink = &bodies_said;
    SearchCacheFiles cache_files;
    cache_files.write = (state_folder(options.source, dest) / "search.bin").string();
    if (inc.incremental()) cache_files.read = cache_files.write;
    SiteSearch made = site_search(live.state->site, cache_files, options.cancelled);
    if (made.cancelled) {
      result->cancelled = true;
      return false;
    }
    session->search = keep_search(live.state->site, made);
    result->search_documents = made.documents;
    result->search_analysed = made.analysed;
    result->t_search_analyse = made.t_analyse;
    result->t_search_related = made.t_related;
    result->t_search_index = made.t_index;
    result->t_search_cpu = made.cpu;
    result->t_search = clock.lap();  // not the content's
    caught_up = true;
  }
  // The kept model of the last build goes before this one makes its own.
  if (session && session->live) {
    dropped_model = true;
    session->drop_live_meanwhile();
  }

  Content content;
  progress.stage("Reading", 0);
  if (!load_content(config, options.source, content_options, &content, sink,
                    inc.incremental() ? &inc : nullptr))
    return false;
  result->t_content = clock.lap();

  progress.stage("Markdown", content.pages.size());
  // Images are processed as the pages that show them are rendered (on the
  // same pool), and the rest (restored pages') after.
  auto images_owned = std::make_unique<ImageSet>(config, options.source, &sink);
  ImageSet& images = *images_owned;
  auto bodies_owned =
      std::make_unique<BodyRenderer>(config, options.source, theme, content.pages, &images);
  BodyRenderer& bodies = *bodies_owned;
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
  // Where those bodies' diagnostics go: this build's sink, and a later
  // edit's when the model is kept (edit_live()).
  auto body_sink = std::make_shared<DiagnosticSink*>(&sink);
  if (result->pages_restored) {
    site.body_once = std::make_unique<std::once_flag[]>(site.pages.size());
    site.render_body = [bodies = &bodies, content_dir = options.source / "content",
                        body_sink](Page& p) {
      bodies->render_restored(p, content_dir / p.rel_path, **body_sink);
    };
  }
  result->t_site = clock.lap();

  PublishOptions publish_options;
  publish_options.in_place = inc.incremental();
  if (!publisher.open(dest, sink, publish_options)) return false;
  RenderStats stats;
  std::vector<OutputResult> results;
  RenderOptions render_options = inc.render_options(&results);
  std::unique_ptr<KeptRender> kept_render;
  if (session) render_options.keep = &kept_render;
  const bool quick = session && (session->quick || caught_up) && session->search && searching;
  if (quick) {
    render_options.search = [kept = session->search.get()](const Site& s) {
      return kept_search(*kept, s);
    };
  } else {
    // The search analysis kept beside the state: read when the state is
    // (a full build analyses everything), saved by every build.
    SearchCacheFiles cache_files;
    cache_files.write = (state_folder(options.source, dest) / "search.bin").string();
    if (inc.incremental()) cache_files.read = cache_files.write;
    // The search catch-up gives way to an edit while it reads the pages.
    std::function<bool()> cancelled;
    if (search_stale && !dropped_model) cancelled = options.cancelled;
    render_options.search = [cache_files, result, cancelled](const Site& s) {
      SiteSearch made = site_search(s, cache_files, cancelled);
      result->search_documents = made.documents;
      result->search_analysed = made.analysed;
      return made;
    };
    if (session)
      render_options.searched = [session](const Site& s, const SiteSearch& made) {
        session->search = keep_search(s, made);
      };
  }
  // The search catch-up gives way to an edit while it reads the pages.
  if (search_stale && !dropped_model) render_options.cancelled = options.cancelled;
  progress.stage("Rendering", 0);
  bool ok = render_site(
      site, theme, publisher, &stats, sink,
      [&](size_t done, size_t total) {
        if (done == 1) progress.stage("Rendering", total);
        progress.set(done);
      },
      render_options);
  result->t_render = clock.lap();
  if (!caught_up) {
    result->t_search = stats.search_seconds;
    result->t_search_analyse = stats.search_analyse;
    result->t_search_related = stats.search_related;
    result->t_search_index = stats.search_index;
    result->t_search_cpu = stats.search_cpu;
  }
  progress.finish();
  if (!ok) {
    publisher.discard();
    result->cancelled = stats.cancelled;
    return false;
  }
  count_outputs(results, result);
  // From here on, the mark in the state's folder is this build's, and the
  // outputs serve's edits rewrote are in its results.
  if (session) {
    session->own_mark = false;
    session->rewritten.clear();
  }
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
  result->images_made = images.processor().made();
  result->images_cached = images.processor().cached();
  result->vips_start = vips_start_seconds();
  result->other = stats.other;
  result->left_out = site.left_out;
  result->search_deferred = quick && !caught_up;
  if (session) {
    session->search_stale = quick && !caught_up;
    session->page_inputs.clear();
    for (const Page& p : site.pages)
      for (const BodyInput& in : p.body_inputs) session->page_inputs.insert(in.path);
  }
  result->seconds = clock.total();
  if (session && kept_render && pages_saved) {
    auto live = std::make_unique<LiveModel>();
    live->page_index.reserve(site.pages.size());
    for (size_t i = 0; i < site.pages.size(); ++i)
      live->page_index.emplace(site.pages[i].rel_path, i);
    // The bodies' HTML is not kept (at 100,000 posts, most of the model
    // after a full build): a body an edit's outputs show is rendered again
    // then, once, as a restored page's is (Site::ensure_body).
    for (Page& p : site.pages) {
      p.body_restored = true;
      std::string().swap(p.content_html);
      std::vector<TocEntry>().swap(p.toc);
    }
    site.body_once = std::make_unique<std::once_flag[]>(site.pages.size());
    site.render_body = [bodies = &bodies, content_dir = options.source / "content",
                        body_sink](Page& p) {
      bodies->render_restored(p, content_dir / p.rel_path, **body_sink);
    };
    live->content_options = content_options;
    live->next_change = next_change;
    live->counts = *result;
    live->theme = std::move(theme_owned);
    live->state = std::move(state);
    live->images = std::move(images_owned);
    live->bodies = std::move(bodies_owned);
    live->body_sink = std::move(body_sink);
    live->inc = std::move(inc_owned);
    live->results = std::move(results);
    live->render = std::move(kept_render);
    session->live = std::move(live);
  }
  if (options.exiting_after) {
    leave_to_exit(std::move(state));
    leave_to_exit(std::move(inc_owned));
    leave_to_exit(std::make_unique<std::vector<OutputResult>>(std::move(results)));
  }
  return true;
}

namespace {

// A page read again for edit_live(), and where it goes.
struct LiveBody {
  size_t index = 0;
  Page page;
  DiagnosticSink warnings;  // what reading and rendering it gave
  // Its front matter changed too, in ways that leave it where it was.
  bool meta = false;
};

bool same_date(const std::optional<DateTime>& a, const std::optional<DateTime>& b) {
  if (!a || !b) return !a && !b;
  return a->utc_seconds == b->utc_seconds && a->offset_minutes == b->offset_minutes &&
         a->has_time == b->has_time && a->has_offset == b->has_offset;
}

bool same_terms(const std::vector<std::vector<TermRef>>& a,
                const std::vector<std::vector<TermRef>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t t = 0; t < a.size(); ++t) {
    if (a[t].size() != b[t].size()) return false;
    for (size_t i = 0; i < a[t].size(); ++i)
      if (a[t][i].name != b[t][i].name || a[t][i].slug != b[t][i].slug) return false;
  }
  return true;
}

// What the site stage and the appearances' key read of them: the same
// entries leave the timeline, the outlets and their anchors as they were.
bool same_appearances(const std::vector<Appearance>& a, const std::vector<Appearance>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Appearance &x = a[i], &y = b[i];
    if (!same_date(x.date, y.date) || x.outlet != y.outlet || x.kind != y.kind ||
        x.topic != y.topic || x.url != y.url || x.language != y.language || x.note != y.note ||
        x.pickups.size() != y.pickups.size())
      return false;
    for (size_t k = 0; k < x.pickups.size(); ++k) {
      const Pickup &p = x.pickups[k], &q = y.pickups[k];
      if (p.outlet != q.outlet || p.url != q.url || p.language != q.language || p.note != q.note)
        return false;
    }
  }
  return true;
}

// Whether the front matter `p` was read with (placed where `old` is)
// leaves the page where the site model has it: the same URL and file, the
// same fate (draft, date, expiry), the same terms, aliases, appearances and
// weight, and the same place in every list (the title breaks ties between
// posts of the same date and weight). Its title, description, params,
// summary, intro and the like may differ: the outputs that read them say
// so in their dependencies (the page's `#meta` key). A page with a social
// card is left to a build: a generated card shows the title.
bool stays_in_place(const LiveModel& live, const Page& old, Page& p, DiagnosticSink& warnings) {
  const SiteConfig& config = live.state->config;
  if (!old.card_path.empty()) return false;
  if (!assign_permalink(config, &p, warnings) || warnings.has_errors()) return false;
  if (p.permalink != old.permalink || p.output_path != old.output_path) return false;
  if (p.draft != old.draft || !same_date(p.date, old.date) ||
      !same_date(p.expiry_date, old.expiry_date) || p.weight != old.weight ||
      p.aliases != old.aliases || !same_appearances(p.appearances, old.appearances))
    return false;
  credit_site_author(config, &p);
  if (!same_terms(p.terms, old.terms)) return false;
  if (p.title == old.title || !p.is_regular()) return true;
  // Another page that sorts by its title against this one.
  const int64_t date = old.date ? old.date->utc_seconds : INT64_MIN;
  for (const Page& q : live.state->site.pages) {
    if (&q == &old || !q.is_regular() || q.weight != old.weight) continue;
    if ((q.date ? q.date->utc_seconds : INT64_MIN) == date) return false;
  }
  return true;
}

// Reads and renders the page at content/REL again, for edit_live(): false
// when the edit would move the page (its place, its fate, its terms, its
// order: stays_in_place()), when the page shows images (their files are
// inputs of its own), or on an error (the build reports it; warnings are
// kept in `out`).
bool read_live_page(const LiveModel& live, const std::filesystem::path& source,
                    const std::string& rel, LiveBody* out) {
  auto at = live.page_index.find(rel);
  if (at == live.page_index.end()) return false;
  const Page& old = live.state->site.pages[at->second];
  // Images it shows that are there are inputs of their own (their sizes,
  // their variants); one it looks for and does not find is none.
  for (const BodyInput& in : old.body_inputs)
    if (in.exists) return false;
  DiagnosticSink& warnings = out->warnings;
  Page& p = out->page;
  if (!read_page(live.state->config, source, rel, &p, warnings) || warnings.has_errors())
    return false;
  // Placed where the old one was: with the same front matter, the content
  // stage would place it there again (its file name and the config are
  // the same), which the metadata's hash, of both, checks.
  const bool dated = p.date.has_value();
  p.kind = old.kind;
  p.section = old.section;
  p.rel_dir = old.rel_dir;
  p.file_slug = old.file_slug;
  p.resources = old.resources;
  p.permalink = old.permalink;
  p.output_path = old.output_path;
  p.url_origin = old.url_origin;
  p.url_line = old.url_line;
  if (!p.date) p.date = old.date;  // from a Jekyll-style file name
  if (page_meta_hash(p) != old.meta_hash) {
    // The front matter changed. A date the file name gave is not told
    // from one the front matter dropped: a build places that page.
    if (dated != old.date.has_value()) return false;
    if (!dated) p.date.reset();
    if (!stays_in_place(live, old, p, warnings)) return false;
    out->meta = true;
    p.meta_hash = page_meta_hash(p);
  }
  live.bodies->render(p, warnings);
  if (warnings.has_errors() || p.body_inputs.size() != old.body_inputs.size()) return false;
  for (size_t i = 0; i < p.body_inputs.size(); ++i) {
    const BodyInput &now = p.body_inputs[i], &then = old.body_inputs[i];
    if (now.exists || now.path != then.path || now.site_path != then.site_path) return false;
  }
  out->index = at->second;
  return true;
}

}  // namespace

LiveEdit edit_live(const BuildOptions& options, const std::vector<std::string>& changed,
                   BuildResult* result, DiagnosticSink& sink) {
  Stopwatch clock;
  BuildSession* session = options.session;
  if (!session || !session->live || changed.empty()) return LiveEdit::kBuild;
  LiveModel& live = *session->live;
  // The clock has reached a post's date or expiry: a build places it.
  const int64_t now = options.now ? options.now->utc_seconds : now_utc().utc_seconds;
  if (now >= live.next_change) return LiveEdit::kBuild;
  // The pages; a file made and gone again since the last build (an
  // editor's or a tool's file saved over a page) is no change.
  std::vector<std::string> pages;
  for (const std::string& path : changed) {
    std::error_code ec;
    if (session->scan && !session->scan->find(path) &&
        !std::filesystem::exists(std::filesystem::symlink_status(options.source / path, ec)))
      continue;
    if (!path.starts_with("content/") || !path.ends_with(".md")) return LiveEdit::kBuild;
    pages.push_back(path.substr(8));
  }
  std::sort(pages.begin(), pages.end());
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  if (pages.empty()) return LiveEdit::kBuild;
  std::vector<LiveBody> edits(pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    if (!read_live_page(live, options.source, pages[i], &edits[i])) return LiveEdit::kBuild;
  }
  result->t_content = clock.lap();

  // Each page's body and summary, in place: every pointer to the page stays
  // good, and its metadata is the same by the check above.
  Site& site = live.state->site;
  KeptRender& render = *live.render;
  std::vector<uint32_t> moved;  // a few: looked through, not hashed
  for (LiveBody& e : edits) {
    Page& p = site.pages[e.index];
    uint64_t before[3] = {0, 0, 0}, after[3] = {0, 0, 0};
    const uint32_t ids[3] = {render.id_of({Dep::kPage, Dep::kSummary, &p}),
                             render.id_of({Dep::kPage, Dep::kContent, &p}),
                             render.id_of({Dep::kPage, Dep::kMeta, &p})};
    for (int k = 0; k < 3; ++k) render.fingerprint(ids[k], &before[k]);
    if (e.meta) {
      // The front matter's fields; what places the page (its URL, date,
      // terms, aliases, appearances, weight) is the same, and its terms
      // and appearances, which the model points into, stay as they are.
      Page& q = e.page;
      p.front_matter_hash = hash_bytes(std::string_view(q.source_text).substr(0, q.body_offset));
      p.front_matter_dropped = true;
      p.meta_hash = q.meta_hash;
      p.body_line = q.body_line;
      p.title = std::move(q.title);
      p.lastmod = q.lastmod;
      p.slug = std::move(q.slug);
      p.url = std::move(q.url);
      p.summary_field = std::move(q.summary_field);
      p.params = std::move(q.params);
      p.canonical = std::move(q.canonical);
      p.correction = std::move(q.correction);
      p.correction_date = q.correction_date;
      p.intro_field = std::move(q.intro_field);
      p.url_origin = q.url_origin;
      p.url_line = std::move(q.url_line);
    }
    p.source_hash = e.page.source_hash;
    p.content_html = std::move(e.page.content_html);
    p.summary_html = std::move(e.page.summary_html);
    p.intro_html = std::move(e.page.intro_html);
    p.article_offset = e.page.article_offset;
    p.correction_html = std::move(e.page.correction_html);
    p.summary_truncated = e.page.summary_truncated;
    p.toc = std::move(e.page.toc);
    p.word_count = e.page.word_count;
    p.body_restored = false;  // its body is here: Site::ensure_body() leaves it
    for (int k = 0; k < 3; ++k) {
      render.fingerprint(ids[k], &after[k]);
      if (before[k] != after[k]) moved.push_back(ids[k]);
    }
    result->pages_read.push_back(p.output_path);
    for (const Diagnostic* d : e.warnings.sorted()) sink.report(*d);
  }

  // The outputs that read what moved, by the dependencies they recorded
  // (in this model's numbers, or in the saved state's for the outputs the
  // build kept).
  // At 100,000 posts that is 7 million numbers: in parallel, by runs.
  const size_t planned = std::min(render.planned(), live.results.size());
  std::vector<uint8_t> reads(planned, 0);
  auto moves = [&](uint32_t id) {
    return std::find(moved.begin(), moved.end(), id) != moved.end();
  };
  constexpr size_t kRun = 1024;
  parallel_for((planned + kRun - 1) / kRun, [&](size_t run) {
    for (size_t i = run * kRun; i < std::min(planned, (run + 1) * kRun); ++i) {
      const OutputResult& r = live.results[i];
      reads[i] = std::any_of(r.deps.begin(), r.deps.end(), moves) ||
                 std::any_of(r.saved_deps.begin(), r.saved_deps.end(),
                             [&](uint32_t k) { return moves(live.inc->current_id(k)); });
    }
  });
  std::vector<size_t> which;
  for (size_t i = 0; i < planned; ++i)
    if (reads[i]) which.push_back(i);
  result->t_site = clock.lap();

  *live.body_sink = &sink;
  Publisher publisher;
  PublishOptions in_place;
  in_place.in_place = true;
  in_place.leave_sweep = true;  // a save waits for no deletion of earlier output
  auto fail = [&] {
    publisher.discard();
    session->live.reset();  // its pages are edited but not published
    return LiveEdit::kFailed;
  };
  if (!publisher.open(options.dest, sink, in_place)) return fail();
  if (!render.remake(which, publisher, sink, &live.results)) return fail();
  result->t_render = clock.lap();
  std::vector<std::string> written;
  for (size_t i : which)
    if (live.results[i].written) written.push_back(live.results[i].path);
  // The state on disk no longer describes DEST: marked so for a process
  // that starts over, and told to this one's next build.
  std::string error;
  if (!written.empty()) {
    if (!live.inc->begin_commit(&error)) {
      sink.error({"", 0, 0}, error);
      return fail();
    }
    session->own_mark = true;
    session->rewritten.insert(written.begin(), written.end());
    if (!publisher.commit_in_place(written, {}, sink)) {
      session->live.reset();
      return LiveEdit::kFailed;
    }
  } else {
    publisher.discard();
  }
  result->t_publish = clock.lap();

  const BuildResult& c = live.counts;
  result->pages = c.pages;
  result->list_pages = c.list_pages;
  result->feeds = c.feeds;
  result->aliases = c.aliases;
  result->static_files = c.static_files;
  result->images = c.images;
  result->other = c.other;
  result->left_out = c.left_out;
  result->incremental = true;
  result->live_edit = true;
  result->pages_restored = site.pages.size() - edits.size();
  result->outputs_made = which.size();
  result->outputs_written = written.size();
  result->written_paths = std::move(written);
  const SiteConfig& config = live.state->config;
  result->search_deferred = config.search.enabled || config.search.related > 0;
  // The next build brings the search and the saved state up to date, even
  // if no file changes meanwhile.
  session->search_stale = true;
  result->seconds = clock.total();
  return LiveEdit::kDone;
}

}  // namespace byline
