// One build, start to finish: config → content → Markdown → site model →
// render → publish, each stage timed. The data flow of byline lives here.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/datetime.h"
#include "base/diagnostic.h"

namespace byline {

struct InputScan;
struct KeptSearch;
struct LiveModel;

// What a process that builds one site again and again (`byline serve`)
// keeps between its builds, so that a build after a change does what the
// change needs and not what the size of the site does: the last build's
// scan of the inputs, brought up to date from the paths its watcher saw
// change (instead of a walk and a stat() of every file), and what the
// pages read besides their own files.
struct BuildSession {
  BuildSession();
  ~BuildSession();
  // The last build's scan (none before the first, or after a build that
  // could not hand it back: the next one scans).
  std::unique_ptr<InputScan> scan;
  // The paths (relative to the site) changed since `scan` was taken; "*"
  // when that is unknown. The build that takes the scan clears it.
  std::vector<std::string> changed;
  // Of the last build that succeeded: every file a page's HTML was made
  // from besides the page's own (images, for their sizes and variants),
  // relative to the site. A change to a static file in it is not a copy
  // alone (`serve`'s fast path for stylesheets, serve/live_site.cc).
  std::unordered_set<std::string> page_inputs;

  // The quick build, for a change to be seen at once: the search index's
  // files and the related posts are the ones the last analysis made (kept
  // here, by page path), not those of an analysis of the site as it is
  // now, which grows with the site (1.4 s of a 1.7 s rebuild at 1,000
  // posts). Set `quick` for the next build; one that used the kept search
  // sets `search_stale`, and the next build analyses the site again even
  // if no file changed (as serve's does straight after), and so ends equal
  // to a full build.
  bool quick = false;
  bool search_stale = false;
  std::unique_ptr<KeptSearch> search;

  // The last build that succeeded, kept whole (its site model, the plan of
  // its render with every output's dependencies, the state it started
  // from), for edit_live(): none before the first build, and a build
  // drops it once it starts reading the content (it makes its own).
  std::unique_ptr<LiveModel> live;
  void drop_live();  // frees it
  // Frees `live` on a thread of its own (a site model is many small
  // allocations: at 10,000 posts tens of milliseconds a save would wait
  // for), joined before the next or when the session ends.
  void drop_live_meanwhile();
  std::thread freeing;
  // What edit_live() changed in DEST since the state was last saved: the
  // outputs it rewrote, which the next build makes and writes whatever the
  // state says, and the "publishing" mark it left (own_mark), which tells
  // a process killed meanwhile that DEST is not what the state describes,
  // but is no reason for this session's next build to be a full one.
  std::unordered_set<std::string> rewritten;
  bool own_mark = false;
};

struct BuildOptions {
  std::filesystem::path source = ".";
  std::filesystem::path dest;  // empty: SOURCE/public
  bool drafts = false;
  bool future = false;
  bool expired = false;
  // The build's "now": the cut-off for future and expired pages and what
  // templates' now() returns. Empty: the clock when the build starts. Pinned,
  // the output no longer depends on the day it is built (golden tests).
  std::optional<DateTime> now;
  std::string base_url;  // overrides the config's when set
  // Ignore the last build's saved state and build everything (--full).
  bool full = false;
  // Keep why each output written was made (--explain).
  bool explain = false;
  bool progress = false;  // draw a progress bar (a terminal, not --quiet)
  // The process exits as soon as the build returns (`byline build`): the
  // site model is left for the exit to reclaim instead of being freed
  // allocation by allocation, a third of a second at 100,000 posts. Never
  // for a process that builds again (`serve`).
  bool exiting_after = false;
  // Kept by a process that builds again (serve); see BuildSession.
  BuildSession* session = nullptr;
  // Asked between stages: true gives the build up (BuildResult::cancelled)
  // before it has changed anything, for a change that came meanwhile.
  std::function<bool()> cancelled;
};

struct BuildResult {
  size_t pages = 0;
  size_t list_pages = 0;
  size_t feeds = 0;
  size_t aliases = 0;
  size_t static_files = 0;
  size_t images = 0;  // processed images' variants and social cards written
  size_t other = 0;
  size_t left_out = 0;
  double seconds = 0;
  // Seconds per stage, for `--timings`: reading the saved state and the
  // inputs' stamps (t_state), and saving the state for the next build
  // (t_save) too.
  double t_config = 0, t_state = 0, t_content = 0, t_markdown = 0, t_images = 0, t_site = 0,
         t_render = 0, t_publish = 0, t_save = 0;
  double t_search = 0;  // the search index and related posts, part of t_render
  double t_search_analyse = 0, t_search_related = 0, t_search_index = 0;  // its parts
  // Searchable documents, and of them those analysed afresh (the others'
  // analysis was kept from the last build).
  size_t search_documents = 0, search_analysed = 0;
  double t_search_cpu = 0;  // CPU seconds of all threads while it ran
  // Images (JPEG, PNG, WebP) made by this build and found in the image
  // cache, and how long libvips took to start (negative: it was not
  // started, every image came from the cache; in a `serve`, it may have
  // been by an earlier build).
  size_t images_made = 0, images_cached = 0;
  double vips_start = -1;
  // The incremental build: whether this one started from the last one's
  // state, why not, and what it did.
  bool incremental = false;
  std::string full_reason;
  bool scan_reused = false;  // the inputs were not scanned: BuildSession
  // A quick build (BuildSession::quick): the search index and the related
  // posts are the last analysis's, to be brought up to date by the next.
  bool search_deferred = false;
  bool cancelled = false;      // BuildOptions::cancelled said so: nothing was published
  bool nothing_to_do = false;  // no input changed: nothing was rendered or written
  bool live_edit = false;      // made by edit_live() in the kept model, not built
  size_t pages_restored = 0;   // pages not read or rendered again
  size_t outputs_made = 0;     // rendered or copied
  size_t outputs_written = 0;  // whose bytes changed
  size_t outputs_removed = 0;  // of the last build, no longer made
  // --explain: (output path, why it was made), for each output written.
  std::vector<std::pair<std::string, std::string>> explanations;
  // For a live preview (byline serve), of an incremental build: the files
  // written and removed, relative to DEST, and the outputs of the pages
  // read afresh rather than restored (the ones edited).
  std::vector<std::string> written_paths;
  std::vector<std::string> removed_paths;
  std::vector<std::string> pages_read;

  std::string summary() const;  // the one-line report
};

// Builds the site. On any error nothing is published: the previous output
// stays as it was. Returns false when errors were reported to `sink`, or
// when the build was given up (BuildResult::cancelled).
bool build_site(const BuildOptions& options, BuildResult* result, DiagnosticSink& sink);

// What edit_live() did with a change.
enum class LiveEdit {
  kBuild,   // it cannot make this change alone: build_site() is to
  kDone,    // made and published
  kFailed,  // errors, reported to the sink; nothing was published
};

// `byline serve`'s fast path (BuildSession::live): a change to published
// pages (content/ files showing no image and giving no error) that leaves
// each where it was is made in the kept site model. A page is left where
// it was when its front matter is the same, or differs only in fields that
// do not place it: its URL, date, expiry, draft flag, weight, terms,
// aliases and appearances are as they were, it has no social card, and
// its title (which orders posts of one date) is no tie-breaker. Each page
// is read and rendered again, its body, summary and front-matter fields
// replace the old ones in place, and only the outputs whose recorded
// dependencies include that page's metadata, body or summary are made
// again and the changed ones published; the rest of the site is neither
// read nor planned. The search index and related posts stay the last
// analysis's (BuildSession::search_stale is set, as by a quick build).
// `changed` are the paths (relative to the site) of this change; they stay
// in BuildSession::changed for the next build. Anything else is kBuild,
// with nothing changed.
LiveEdit edit_live(const BuildOptions& options, const std::vector<std::string>& changed,
                   BuildResult* result, DiagnosticSink& sink);

}  // namespace byline
