// The incremental build (issue 22): what the last build of this site into
// this output folder left (state/saved_state.h), set against the site as it
// is now. Files are compared by stat() first and by hash only when that
// differs; unchanged pages are restored instead of read and rendered; an
// output is made again only when its recipe or one of the keys it was made
// from changed (render/dependencies.h), and written only when its bytes
// differ. Anything the state cannot vouch for (another byline, another
// config or flags, a build stopped half-way, a missing output folder) makes
// the build a full one, which is always correct.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"
#include "config/theme.h"
#include "content/content.h"
#include "render/render.h"
#include "state/saved_state.h"

namespace byline {

// Every file a build reads (byline.toml, content/, static/, data/,
// templates/, themes/<theme>/), with its stamp, and its hash once known.
struct InputScan {
  std::vector<InputEntry> files;  // sorted by path

  const InputEntry* find(std::string_view path) const;
};
InputScan scan_inputs(const std::filesystem::path& site_dir, const SiteConfig& config);

// Brings `scan` (an earlier scan of the same site) up to date from the paths
// known to have changed since (relative to the site, as the watcher of
// `byline serve` gives them): each is stat()ed again, added, updated or
// removed (with what was under it, for a folder gone); nothing else is
// walked or stat()ed. Returns false, leaving `scan` to be discarded, when
// the paths cannot say what changed: "*" (events lost), byline.toml (the
// theme's folder may be another), a folder that is there now (made or moved
// in: what is in it is unknown), a folder scanned whole that changed (a
// root). The hashes and racy marks of the entries are cleared: the build
// finds them again.
bool update_scan(InputScan* scan, const std::vector<std::string>& changed,
                 const std::filesystem::path& site_dir, const SiteConfig& config);

// Where the state of the build of `site_dir` into `dest` is kept:
// SITE/.byline/builds/<hash of DEST's absolute path>/.
std::filesystem::path state_folder(const std::filesystem::path& site_dir,
                                   const std::filesystem::path& dest);

class IncrementalBuild final : public PageCache, public OutputSelector {
 public:
  struct Settings {
    std::filesystem::path site_dir;
    std::filesystem::path dest;
    uint64_t environment = 0;  // config, flags, byline: see environment_fingerprint()
    bool full = false;         // --full: the state is not read
    bool explain = false;      // keep the reasons outputs are made (--explain)
    int64_t now = 0;           // the build's clock
    // A process that builds again and again (serve): the last build's scan,
    // taken over (moved from) by begin(), and the paths changed since; the
    // scan is brought up to date from them (update_scan()) instead of made
    // anew. Without both, or when they cannot say, the inputs are scanned.
    InputScan* previous_scan = nullptr;
    const std::vector<std::string>* changed = nullptr;
    // The "publishing" mark was left by this process's own edits of DEST
    // since the state was saved (serve's live edits, build/build.h), which
    // keep DEST what the site as it is now makes: it is no reason for a
    // full build. A mark a build left is one, always.
    bool own_commit_mark = false;
    // Outputs to make and write whatever the state says of them: those the
    // same edits rewrote in DEST since the state was saved, which the state
    // does not know (serve's live edits; a page edited and put back as it
    // was would otherwise keep the edited output).
    const std::unordered_set<std::string>* rewritten = nullptr;
  };
  IncrementalBuild(Settings settings, const SiteConfig& config, const Theme& theme);
  ~IncrementalBuild() override;

  // Reads the state and the inputs. After it, incremental() says whether
  // this build starts from the state or is a full one, and why not.
  void begin();
  bool incremental() const { return state_ != nullptr; }
  // Whether begin() reused the previous scan (Settings::previous_scan).
  bool scan_reused() const { return scan_reused_; }
  // The inputs as begin() found them, for the next build to start from
  // (Settings::previous_scan): moved out, the build is over.
  InputScan take_scan() { return std::move(scan_); }
  const std::string& full_reason() const { return full_reason_; }

  // True when no input changed since the last build and its clock-bound
  // outputs would read the same at `now`: there is nothing to do.
  bool nothing_to_do(int64_t now) const;
  // Reads the rest of the state, for a build that has something to do: a
  // damaged one makes the build a full one.
  void read_rest();

  // Sets the inputs_hash of the pages rendered afresh, from the stamps of
  // the files their HTML was made from (restored ones have theirs).
  void hash_page_inputs(std::vector<Page>& pages) const;

  // PageCache: unchanged pages come from the state.
  bool restore(const std::string& rel, const std::filesystem::path& path,
               RestoredPage* out) const override;

  // OutputSelector.
  void prepare(DependencyNames& names) override;
  bool must_make(std::string_view path, std::string_view recipe, OutputResult* kept) override;
  bool differs(std::string_view path, uint64_t hash) override;
  uint32_t current_id(uint32_t saved_key) const override { return renumbered_[saved_key]; }
  void finish(const DependencyNames& names, const std::vector<OutputResult>& results) override;

  // The render's options: records always, selects when incremental.
  RenderOptions render_options(std::vector<OutputResult>* results);

  // The outputs of the last build that this one does not make.
  std::vector<std::string> removed(const std::vector<OutputResult>& results) const;

  // Marks the state as being published over: a build stopped from here on
  // leaves it unusable, so that the next build is a full one.
  bool begin_commit(std::string* error);
  // Writes the pages' records into the state's page log, with the warnings
  // `sink` holds for each: once the site is assembled, its pages are what
  // they will be, and they need not keep their front matter's text.
  bool write_pages(const Site& site, const DiagnosticSink& sink, std::string* error);
  // Saves the state for the next build (after write_pages()) and clears
  // the mark. The state views `results`' strings while it is written.
  bool save(const Site& site, std::vector<OutputResult>& results, int64_t now, int64_t next_change,
            std::string* error);

  // --explain: why each output made was made ("new", "recipe changed",
  // "content/posts/x.md changed (body)"), in plan order.
  std::vector<std::pair<std::string, std::string>> explanations(
      const std::vector<OutputResult>& results) const;

 private:
  // begin()'s parts: the state, when it can be used, and the files whose
  // stamps cannot vouch for them.
  void load_state();
  void check_racy_files();
  // The fingerprint of a key naming a file or a template, from the scan.
  bool named_fingerprint(std::string_view key, uint64_t* out) const;
  // The hash of a scanned input, computed from its bytes when its stamp
  // differs from the state's.
  uint64_t hash_of(const InputEntry& in) const;
  std::string describe(std::string_view key) const;
  // Deletes the states of output folders that no longer exist.
  void forget_gone_outputs() const;

  Settings settings_;
  const SiteConfig& config_;
  const Theme& theme_;
  std::filesystem::path folder_;
  InputScan scan_;
  bool scan_reused_ = false;
  int64_t racy_from_ = 0;  // see StateHeader::racy_from
  std::unique_ptr<SavedState> state_;
  StateWriter writer_;
  std::string full_reason_;
  // prepare(): for each key of the state, its number in this build (or
  // none) and whether it changed.
  std::vector<uint32_t> renumbered_;
  std::vector<uint8_t> changed_;
  // By number in this build: the fingerprint prepare() computed and the
  // key's name in the state, for the keys the state has, so that finish()
  // need not compute them again.
  std::vector<uint64_t> fingerprint_of_;
  std::vector<std::string_view> saved_name_of_;
  // finish(): the keys the new state holds, by number, with their names
  // and fingerprints.
  struct NewKey {
    uint32_t id = 0;
    std::string_view name;  // the state's, or `made`
    std::string made;
    uint64_t fingerprint = 0;
    bool used = false;  // by an output of this build
  };
  // Whether finish() numbered the keys afresh (save() then writes a new
  // base), rather than keeping the state's numbers.
  bool compact_ = true;
  std::vector<NewKey> new_keys_;
  std::vector<uint32_t> position_of_;  // number → index in new_keys_
  mutable std::mutex reasons_mu_;
  std::unordered_map<std::string, std::string> reasons_;  // path → why made
};

// What every output depends on at once: byline's version, the config file,
// the flags that change what is built. A state made under another is not
// used.
uint64_t environment_fingerprint(const std::filesystem::path& site_dir, bool drafts, bool future,
                                 bool expired, const std::string& base_url);

}  // namespace byline
