// The render stage: decides every output of the site (pages, paginated
// lists, term pages, feeds, sitemap, redirects, copied files) and renders
// each one on the thread pool straight into the publisher.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "config/theme.h"
#include "output/publisher.h"
#include "render/dependencies.h"
#include "render/search_outputs.h"
#include "site/site.h"

namespace byline {

struct RenderStats {
  size_t pages = 0;       // content pages
  size_t list_pages = 0;  // home, section, term and term-list pages
  size_t feeds = 0;
  size_t aliases = 0;
  size_t static_files = 0;
  size_t images = 0;          // processed images' variants and social cards
  size_t other = 0;           // sitemap, robots.txt, 404, _redirects, the search index
  double search_seconds = 0;  // making the search index and related posts (at plan time)
  double search_analyse = 0, search_related = 0, search_index = 0;  // its parts
  double search_cpu = 0;   // CPU seconds of the process while it ran (every thread)
  bool cancelled = false;  // RenderOptions::cancelled said so: nothing was made
};

// The _redirects file (Netlify and Cloudflare Pages) for (alias, target)
// pairs of site paths.
std::string redirects_file(const std::vector<std::pair<std::string, std::string>>& redirects);

// Called after each output; total is fixed for the build.
using ProgressFn = std::function<void(size_t done, size_t total)>;

// One output as the incremental build records it for the next build
// (state/saved_state.h).
struct OutputResult {
  std::string path;
  std::string recipe;  // how it is made: "page posts/x.md", "list term tags/x 2 Russia", …
  uint64_t hash = 0;   // of its bytes; 0 for a copied file
  std::vector<uint32_t> deps;  // numbers of keys (DependencyNames)
  // An output not made again: its keys as the selector's saved state
  // numbers them (deps is then empty), viewed where the state holds them.
  std::span<const uint32_t> saved_deps;
  bool made = false;     // rendered or copied in this build
  bool written = false;  // and its bytes differed from the last build's
};

// The incremental build's part in the render (build/incremental.h).
class OutputSelector {
 public:
  virtual ~OutputSelector() = default;
  // Called once the plan is made and before anything is rendered, with the
  // names of the site's things (which also know the fingerprints of keys
  // only the plan knows: the sitemap's entries, the redirects).
  virtual void prepare(DependencyNames& names) = 0;
  // Whether the output at `path`, made by `recipe`, must be made again.
  // When it need not, `kept` is filled with the last build's hash and
  // dependencies (saved_deps). Called from many threads at once.
  virtual bool must_make(std::string_view path, std::string_view recipe, OutputResult* kept) = 0;
  // Whether bytes with `hash` differ from what the last build left at
  // `path`: unchanged bytes are not written again.
  virtual bool differs(std::string_view path, uint64_t hash) = 0;
  // The number `names` (given to prepare()) has for a key of a kept
  // output's saved_deps.
  virtual uint32_t current_id(uint32_t saved_key) const = 0;
  // Called once every output is made, while `names` still stands: the
  // fingerprints of the keys in `results` are to be taken now.
  virtual void finish(const DependencyNames& names, const std::vector<OutputResult>& results) = 0;
};

class KeptRender;

struct RenderOptions {
  // Record every output's dependencies and hash into `results` (indexed
  // in plan order, one per output), and ask `selector`, when set, which
  // outputs to make.
  std::vector<OutputResult>* results = nullptr;
  OutputSelector* selector = nullptr;
  // The site's folder, to name copied files relative to it in keys.
  std::filesystem::path site_dir;
  // Fingerprints of the named keys the site model cannot compute: the
  // templates' and the copied files' ("template:post.html",
  // "file:static/style.css").
  DependencyNames::NamedFingerprint named_fingerprint;
  // For `byline serve`'s quick build (build/build.h, BuildSession): the
  // search index's files and the related posts come from `search` instead
  // of an analysis of the site (site_search()); `searched`, when set, is
  // shown the ones the plan used, before they are rendered.
  std::function<SiteSearch(const Site&)> search;
  std::function<void(const Site&, const SiteSearch&)> searched;
  // For `byline serve`: when set (with `results`), a render that succeeds
  // keeps its plan here, to make some outputs again after an edit that
  // moves nothing (KeptRender::remake()).
  std::unique_ptr<KeptRender>* keep = nullptr;
  // Asked while the search analysis reads the pages (site_search()): true
  // gives the render up before any output is made (RenderStats::cancelled).
  std::function<bool()> cancelled;
};

// A render's plan, templates and the numbers of the site's things, kept
// after it (RenderOptions::keep) while the site model it was made from
// stays as it was but for pages' bodies, summaries and other parts that
// move no output: `byline serve` makes again, after a save, only the
// outputs that read what the save changed. Everything the render was given
// (the site, the theme, the named fingerprints' owner) must outlive it.
class KeptRender {
 public:
  struct Impl;
  explicit KeptRender(std::unique_ptr<Impl> impl);
  ~KeptRender();
  KeptRender(const KeptRender&) = delete;
  KeptRender& operator=(const KeptRender&) = delete;

  // The number of a recorded thing (DependencyNames::id_of), as the
  // results' deps hold it.
  uint32_t id_of(const Dep& d) const;
  // What a read of the thing numbered `id` sees now.
  bool fingerprint(uint32_t id, uint64_t* out) const;
  // How many outputs the plan has (the first results; the images
  // templates sized follow).
  size_t planned() const;
  // Makes again the planned outputs at `which` (plan order), against the
  // site model as it is now, into `publisher` (those whose bytes changed),
  // and records each into `results` (the render's, kept by the caller),
  // replacing what the render or an earlier remake recorded. Errors go to
  // `sink`; false when there were any.
  bool remake(const std::vector<size_t>& which, Publisher& publisher, DiagnosticSink& sink,
              std::vector<OutputResult>* results);

 private:
  std::unique_ptr<Impl> impl_;
};

// Templates and the theme's static files come from `theme`.
bool render_site(const Site& site, const Theme& theme, Publisher& publisher, RenderStats* stats,
                 DiagnosticSink& sink, const ProgressFn& progress = {},
                 const RenderOptions& options = {});

}  // namespace byline
