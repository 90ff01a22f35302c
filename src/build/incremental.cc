// Starting a build from the last one's state.
#include "build/incremental.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "base/files.h"
#include "base/hash.h"
#include "base/thread_pool.h"
#include "config/embedded_theme.h"
#include "config/theme.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStateFile = "state";
// Present from the moment a build starts publishing until its state is
// saved: a build stopped in between leaves output the state does not
// describe.
constexpr const char* kCommitMark = "publishing";
// The absolute path of the output folder the state is for.
constexpr const char* kDestFile = "dest";

// A pseudo-hash for files whose bytes are never compared, only whether they
// changed (static files, templates, data): their stamp.
uint64_t stamp_hash(const FileStamp& s) {
  return Hasher().add(s.size).add_signed(s.mtime_ns).add(s.inode).digest();
}

// What the outputs made from a scanned file record of it: its stamp's
// hash, and its bytes' when they changed behind an unchanged stamp.
uint64_t fingerprint_of(const InputEntry& in) {
  if (!in.changed_unseen) return stamp_hash(in.stamp);
  return Hasher().add(stamp_hash(in.stamp)).add(in.hash).digest();
}

bool is_page_source(std::string_view path) {
  return path.starts_with("content/") && path.ends_with(".md");
}

bool exists(const InputEntry* in) { return in && in->stamp.size + in->stamp.inode != 0; }

// How far before the scan a file's modification time makes it racy: the
// file system's clock ticks (and some keep whole seconds, FAT two), and a
// network file system's clock is another machine's.
constexpr int64_t kRacyMarginNs = 2'000'000'000;

int64_t coarse_clock_ns() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// What an output that shows the build's clock is made again for: the day
// (UTC) changing. A template that shows the time of day shows the time of
// the build that last made it.
uint64_t clock_day(int64_t now) { return static_cast<uint64_t>(now / 86400); }

}  // namespace

InputScan scan_inputs(const fs::path& site_dir, const SiteConfig& config) {
  InputScan scan;
  scan.files.push_back({"byline.toml", {}, 0});
  const std::string site = site_dir.string();
  // The same files the stages read: a folder that cannot be read fails
  // the stage that reads it, with its message.
  std::vector<std::string> dirs = {"content", "static", "data", "templates"};
  if (!config.theme.empty()) dirs.push_back("themes/" + config.theme);
  for (const std::string& dir : dirs) {
    std::vector<std::string> files;
    std::string error;
    list_files(site + "/" + dir, &files, &error);
    for (std::string& f : files) scan.files.push_back({dir + "/" + f, {}, 0});
  }
  std::sort(scan.files.begin(), scan.files.end(),
            [](const InputEntry& a, const InputEntry& b) { return a.path < b.path; });
  // stat() in parallel, by runs of files, each relative to its folder held
  // open: at 100,000 posts this is most of a no-op build, and resolving
  // every file's whole path was a third of it.
  constexpr size_t kRun = 256;
  parallel_for((scan.files.size() + kRun - 1) / kRun, [&](size_t run) {
    std::string_view open_dir;
    int fd = -1;
    size_t end = std::min(scan.files.size(), (run + 1) * kRun);
    for (size_t i = run * kRun; i < end; ++i) {
      InputEntry& in = scan.files[i];
      size_t slash = in.path.rfind('/');
      std::string_view dir =
          slash == std::string::npos ? "" : std::string_view(in.path).substr(0, slash);
      if (fd < 0 || dir != open_dir) {
        if (fd >= 0) ::close(fd);
        fd = ::open((site + "/" + std::string(dir)).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        open_dir = dir;
      }
      const char* name = in.path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
      if (fd < 0 || !stamp_at(fd, name, &in.stamp)) in.stamp = FileStamp{};
    }
    if (fd >= 0) ::close(fd);
  });
  return scan;
}

namespace {

// The folders scan_inputs() lists, each with a '/' after it.
std::vector<std::string> scanned_roots(const SiteConfig& config) {
  std::vector<std::string> roots = {"content/", "static/", "data/", "templates/"};
  if (!config.theme.empty()) roots.push_back("themes/" + config.theme + "/");
  return roots;
}

}  // namespace

bool update_scan(InputScan* scan, const std::vector<std::string>& changed, const fs::path& site_dir,
                 const SiteConfig& config) {
  const std::vector<std::string> roots = scanned_roots(config);
  auto less = [](const InputEntry& e, std::string_view p) { return e.path < p; };
  std::vector<InputEntry>& files = scan->files;
  for (const std::string& path : changed) {
    if (path == "*" || path == "byline.toml" || path.empty()) return false;
    const std::string* root = nullptr;
    for (const std::string& r : roots)
      if (path.starts_with(r)) root = &r;
    if (!root) {
      // A root itself (content/ made, moved or deleted), or a folder above
      // the theme's: scanned again whole.
      for (const std::string& r : roots)
        if (r.starts_with(path + "/")) return false;
      continue;  // not read by a build (themes/another/, a file beside the roots)
    }
    // A file list_files() passes over is in no scan, nor is anything below
    // a folder it passes over.
    bool ignored = false;
    for (size_t start = root->size(); start <= path.size();) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      ignored |= is_ignored_name(std::string_view(path).substr(start, end - start));
      start = end + 1;
    }
    if (ignored) continue;
    struct stat st {};
    const bool there = ::stat((site_dir / path).c_str(), &st) == 0;
    if (there && S_ISDIR(st.st_mode)) return false;
    // The entry itself, and whatever was below it when it was a folder.
    auto at = std::lower_bound(files.begin(), files.end(), path, less);
    const std::string below = path + "/";
    auto end = at;
    if (end != files.end() && end->path == path) ++end;
    while (end != files.end() && end->path.starts_with(below)) ++end;
    at = files.erase(at, end);
    if (!there) continue;
    InputEntry entry{path, {}, 0};
    if (!stamp_at(AT_FDCWD, (site_dir / path).c_str(), &entry.stamp)) entry.stamp = FileStamp{};
    files.insert(at, std::move(entry));
  }
  for (InputEntry& in : files) {
    in.hash = 0;
    in.changed_unseen = false;
  }
  return true;
}

const InputEntry* InputScan::find(std::string_view path) const {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const InputEntry& e, std::string_view p) { return e.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

fs::path state_folder(const fs::path& site_dir, const fs::path& dest) {
  std::error_code ec;
  fs::path abs = fs::absolute(dest, ec).lexically_normal();
  std::string text = abs.generic_string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(hash_bytes(text)));
  return site_dir / ".byline" / "builds" / id;
}

uint64_t environment_fingerprint(const fs::path& site_dir, bool drafts, bool future, bool expired,
                                 const std::string& base_url) {
  std::ifstream in(site_dir / "byline.toml", std::ios::binary);
  std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The built-in theme is part of byline: a byline of the same version
  // built with another theme (a developer's build) makes every output again.
  Hasher theme;
  for (const EmbeddedFile& f : embedded_theme_files()) theme.add(f.path).add(f.data);
  return Hasher()
      .add(BYLINE_VERSION)
      .add(theme.digest())
      .add(static_cast<uint64_t>(kStateFormat))
      .add(config)
      .add(static_cast<uint64_t>(drafts))
      .add(static_cast<uint64_t>(future))
      .add(static_cast<uint64_t>(expired))
      .add(base_url)
      .digest();
}

IncrementalBuild::IncrementalBuild(Settings settings, const SiteConfig& config, const Theme& theme)
    : settings_(std::move(settings)),
      config_(config),
      theme_(theme),
      folder_(state_folder(settings_.site_dir, settings_.dest)) {}

IncrementalBuild::~IncrementalBuild() = default;

void IncrementalBuild::begin() {
  // Taken before the scan: a file modified after it has a later time.
  racy_from_ = coarse_clock_ns() - kRacyMarginNs;
  if (settings_.previous_scan && settings_.changed) {
    scan_ = std::move(*settings_.previous_scan);
    scan_reused_ = update_scan(&scan_, *settings_.changed, settings_.site_dir, config_);
  }
  if (!scan_reused_) scan_ = scan_inputs(settings_.site_dir, config_);
  load_state();
  check_racy_files();
}

void IncrementalBuild::load_state() {
  std::error_code ec;
  if (settings_.full) {
    full_reason_ = "--full";
    return;
  }
  if (!fs::is_directory(settings_.dest, ec)) {
    full_reason_ = "no output folder yet";
    return;
  }
  if (!settings_.own_commit_mark && fs::exists(folder_ / kCommitMark, ec)) {
    full_reason_ = "the last build was stopped while it published";
    return;
  }
  auto state = std::make_unique<SavedState>();
  if (!state->load(folder_)) {
    full_reason_ = fs::exists(folder_ / kStateFile, ec)
                       ? "the saved state is unreadable or of another format"
                       : "no saved state";
    return;
  }
  if (state->header().byline_version != BYLINE_VERSION) {
    full_reason_ = "byline changed";
    return;
  }
  if (state->header().environment != settings_.environment) {
    full_reason_ = "the configuration or the build's flags changed";
    return;
  }
  state_ = std::move(state);
}

void IncrementalBuild::check_racy_files() {
  const int64_t racy_before = state_ ? state_->header().racy_from : INT64_MAX;
  parallel_for(scan_.files.size(), [&](size_t i) {
    InputEntry& in = scan_.files[i];
    if (!exists(&in)) return;
    // Racy when the last build saw it: its bytes are checked whatever its
    // stamp says.
    const SavedState::Input* old =
        in.stamp.mtime_ns >= racy_before ? state_->find_input(in.path) : nullptr;
    if (old && old->stamp == in.stamp) {
      hash_file(settings_.site_dir / in.path, &in.hash);
      in.changed_unseen = in.hash != old->hash;
      return;
    }
    // Racy now: the state is to keep the hash of the bytes this build
    // reads (a page's is taken when it is read).
    if (in.stamp.mtime_ns >= racy_from_ && !is_page_source(in.path))
      hash_file(settings_.site_dir / in.path, &in.hash);
  });
}

bool IncrementalBuild::nothing_to_do(int64_t now) const {
  if (!state_) return false;
  if (now >= state_->header().next_change || now < state_->header().now) return false;
  // Both lists are sorted by path.
  const auto& saved = state_->inputs();
  if (saved.size() != scan_.files.size()) return false;
  for (size_t i = 0; i < saved.size(); ++i) {
    if (saved[i].path != scan_.files[i].path || !(saved[i].stamp == scan_.files[i].stamp) ||
        scan_.files[i].changed_unseen)
      return false;
  }
  // The outputs that show the clock show the day.
  return !state_->header().reads_clock || clock_day(state_->header().now) == clock_day(now);
}

void IncrementalBuild::read_rest() {
  if (state_ && !state_->load_rest()) {
    state_.reset();
    full_reason_ = "the saved state is unreadable";
  }
}

uint64_t IncrementalBuild::hash_of(const InputEntry& in) const {
  if (state_) {
    const SavedState::Input* old = state_->find_input(in.path);
    if (old && old->stamp == in.stamp && !in.changed_unseen) return old->hash;
  }
  if (in.hash != 0) return in.hash;
  uint64_t h = 0;
  if (is_page_source(in.path)) {
    hash_file(settings_.site_dir / in.path, &h);
    return h;
  }
  return stamp_hash(in.stamp);
}

namespace {

// What a page's HTML was made from besides its file, as one hash: the same
// for a page rendered afresh and for one restored with the same inputs.
void add_input(Hasher& h, const std::string& path, bool exists, uint64_t stamp) {
  h.add(path).add(static_cast<uint64_t>(exists)).add(stamp);
}

}  // namespace

bool IncrementalBuild::restore(const std::string& rel, const fs::path&, RestoredPage* out) const {
  if (!state_) return false;
  const std::string path = "content/" + rel;
  const InputEntry* now = scan_.find(path);
  const SavedState::Input* old = state_->find_input(path);
  if (!now || !old) return false;
  PageRecord rec;
  // Without its front matter's text: the page is not decoded again, and
  // the diagnostics it gives again were saved with their lines.
  if (!state_->page(rel, &rec, false) || rec.page.source_hash != old->hash) return false;
  if (!(now->stamp == old->stamp) || now->changed_unseen) {
    uint64_t h = 0;
    if (!hash_file(settings_.site_dir / path, &h) || h != rec.page.source_hash) return false;
  }
  // The images its HTML gave sizes to, and the places one was not found.
  for (const PageInput& in : rec.inputs) {
    const InputEntry* file = scan_.find(in.path);
    if (exists(file) != in.exists || (in.exists && fingerprint_of(*file) != in.hash)) return false;
  }
  out->page = std::move(rec.page);
  out->diagnostics = std::move(rec.diagnostics);
  Hasher inputs;
  for (const PageInput& in : rec.inputs) {
    out->body_inputs.push_back({in.path, in.exists, in.site_path});
    add_input(inputs, in.path, in.exists, in.hash);
  }
  out->inputs_hash = inputs.digest();
  return true;
}

void IncrementalBuild::hash_page_inputs(std::vector<Page>& pages) const {
  parallel_for(pages.size(), [&](size_t i) {
    Page& p = pages[i];
    if (p.body_restored) return;
    Hasher h;
    for (const BodyInput& b : p.body_inputs) {
      const InputEntry* in = scan_.find(b.path);
      add_input(h, b.path, exists(in), exists(in) ? fingerprint_of(*in) : 0);
    }
    p.inputs_hash = h.digest();
  });
}

bool IncrementalBuild::named_fingerprint(std::string_view key, uint64_t* out) const {
  if (key.starts_with("file:")) {
    const InputEntry* in = scan_.find(key.substr(5));
    if (!in) return false;
    *out = fingerprint_of(*in);
    return true;
  }
  if (key == "now") {
    *out = clock_day(settings_.now);
    return true;
  }
  if (key.starts_with("template:")) {
    // Which file the name stands for, and that file's stamp: a template a
    // site adds in front of its theme's is a change too.
    std::optional<Theme::File> f = theme_.find(Theme::Kind::kTemplates, key.substr(9));
    if (!f) {
      *out = 0;
      return true;
    }
    if (f->layer == Theme::Layer::kBuiltin) {
      *out = hash_bytes(f->data);
      return true;
    }
    std::string rel = f->path.lexically_relative(settings_.site_dir).generic_string();
    const InputEntry* in = scan_.find(rel);
    *out = Hasher().add(rel).add(in ? fingerprint_of(*in) : 0).digest();
    return true;
  }
  return false;
}

void IncrementalBuild::prepare(DependencyNames& names) {
  if (!state_) return;
  const auto& keys = state_->keys();
  const auto& old = state_->fingerprints();
  renumbered_.assign(keys.size(), DependencyNames::kNone);
  changed_.assign(keys.size(), 1);
  // At 100,000 posts there are ~400,000 keys: numbered and fingerprinted in
  // parallel (a number is given once: keys are distinct).
  parallel_for(keys.size(), [&](size_t k) { renumbered_[k] = names.id_of_key(keys[k]); });
  const uint32_t count = names.count();
  fingerprint_of_.assign(count, 0);
  saved_name_of_.assign(count, {});
  parallel_for(keys.size(), [&](size_t k) {
    uint32_t id = renumbered_[k];
    if (id == DependencyNames::kNone) return;
    uint64_t now = 0;
    if (!names.fingerprint(id, &now)) return;
    fingerprint_of_[id] = now;
    saved_name_of_[id] = keys[k];
    changed_[k] = now != old[k];
  });
}

bool IncrementalBuild::must_make(std::string_view path, std::string_view recipe,
                                 OutputResult* kept) {
  auto made = [&](std::string why) {
    if (settings_.explain) {
      std::lock_guard lock(reasons_mu_);
      reasons_.emplace(std::string(path), std::move(why));
    }
    return true;
  };
  if (!state_) return true;  // a full build: --explain says why once
  if (settings_.rewritten && !settings_.rewritten->empty() &&
      settings_.rewritten->count(std::string(path)))
    return made("rewritten by serve since the last build");
  const SavedState::Output* old = state_->find_output(path);
  if (!old) return made("new");
  if (old->recipe != recipe) return made("made another way");
  for (uint32_t k : old->deps) {
    if (changed_[k]) return made(describe(state_->keys()[k]));
  }
  // Its keys stay as the state numbers them, where the state holds them:
  // at 100,000 posts a copy was 7 million numbers in 176,000 vectors.
  kept->hash = old->hash;
  kept->saved_deps = old->deps;
  return false;
}

void IncrementalBuild::finish(const DependencyNames& names,
                              const std::vector<OutputResult>& results) {
  std::vector<uint8_t> used(names.count(), 0);
  // The kept outputs' keys (7 million numbers at 100,000 posts) are marked
  // in the state's numbering first, and each key of the state once in
  // this build's: one look-up per key instead of one per use.
  std::vector<uint8_t> used_saved(renumbered_.size(), 0);
  for (const OutputResult& r : results) {
    for (uint32_t id : r.deps)
      if (id < used.size()) used[id] = 1;
    for (uint32_t k : r.saved_deps) used_saved[k] = 1;
  }
  // A kept output's keys all have a number in this build (must_make).
  for (size_t k = 0; k < used_saved.size(); ++k)
    if (used_saved[k]) used[renumbered_[k]] = 1;
  position_of_.assign(used.size(), 0);
  new_keys_.clear();

  // The state's keys keep their numbers, so that the new state can be
  // written as its difference from the base (the writer decides), unless
  // the keys no output uses any more, or those added since the base, have
  // grown many: then the keys are numbered afresh, the used ones only, and
  // a new base is written.
  compact_ = true;
  if (state_) {
    const size_t saved = renumbered_.size();
    std::vector<uint32_t> saved_of(used.size(), DependencyNames::kNone);
    for (size_t k = 0; k < saved; ++k)
      if (renumbered_[k] != DependencyNames::kNone)
        saved_of[renumbered_[k]] = static_cast<uint32_t>(k);
    size_t live = 0, added = 0;
    for (uint32_t id = 0; id < used.size(); ++id) {
      if (!used[id]) continue;
      if (saved_of[id] != DependencyNames::kNone)
        ++live;
      else
        ++added;
    }
    const size_t base_keys = state_->base_key_count();
    const size_t keys = saved + added;
    const size_t dead = keys - live - added;
    compact_ = dead > keys / 4 || keys - base_keys > base_keys / 4 + 64;
    if (!compact_) {
      new_keys_.resize(saved);
      for (size_t k = 0; k < saved; ++k) {
        NewKey& key = new_keys_[k];
        key.name = state_->keys()[k];
        const uint32_t id = renumbered_[k];
        if (id != DependencyNames::kNone) {
          key.id = id;
          key.used = used[id];
          position_of_[id] = static_cast<uint32_t>(k);
          // The fingerprint prepare() computed; for a used key it could
          // not, what finish() finds now (0, changed, when nothing).
          if (!saved_name_of_[id].empty())
            key.fingerprint = fingerprint_of_[id];
          else if (!key.used || !names.fingerprint(id, &key.fingerprint))
            key.fingerprint = 0;
        } else {
          key.id = DependencyNames::kNone;
          key.fingerprint = state_->fingerprints()[k];
        }
      }
      for (uint32_t id = 0; id < used.size(); ++id) {
        if (!used[id] || saved_of[id] != DependencyNames::kNone) continue;
        position_of_[id] = static_cast<uint32_t>(new_keys_.size());
        new_keys_.push_back({id, {}, {}, 0, true});
      }
      parallel_for(new_keys_.size() - saved, [&](size_t i) {
        NewKey& k = new_keys_[saved + i];
        if (!names.fingerprint(k.id, &k.fingerprint)) k.fingerprint = 0;
        k.made = names.key(k.id);
        k.name = k.made;
      });
      return;
    }
  }
  for (uint32_t id = 0; id < used.size(); ++id) {
    if (!used[id]) continue;
    position_of_[id] = static_cast<uint32_t>(new_keys_.size());
    new_keys_.push_back({id, {}, {}, 0, true});
  }
  parallel_for(new_keys_.size(), [&](size_t i) {
    NewKey& k = new_keys_[i];
    if (k.id < saved_name_of_.size() && !saved_name_of_[k.id].empty()) {
      k.name = saved_name_of_[k.id];
      k.fingerprint = fingerprint_of_[k.id];
      return;
    }
    if (!names.fingerprint(k.id, &k.fingerprint)) k.fingerprint = 0;
    k.made = names.key(k.id);
    k.name = k.made;
  });
}

bool IncrementalBuild::differs(std::string_view path, uint64_t hash) {
  if (!state_) return true;
  if (settings_.rewritten && !settings_.rewritten->empty() &&
      settings_.rewritten->count(std::string(path)))
    return true;
  const SavedState::Output* old = state_->find_output(path);
  return !old || old->hash != hash;
}

RenderOptions IncrementalBuild::render_options(std::vector<OutputResult>* results) {
  RenderOptions o;
  o.results = results;
  o.selector = this;
  o.site_dir = settings_.site_dir;
  o.named_fingerprint = [this](std::string_view key, uint64_t* out) {
    return named_fingerprint(key, out);
  };
  return o;
}

std::vector<std::string> IncrementalBuild::removed(const std::vector<OutputResult>& results) const {
  std::vector<std::string> gone;
  if (!state_) return gone;
  // Marked by their place in the state's own index of outputs, rather than
  // by a set of this build's paths made for the purpose (176,000 at
  // 100,000 posts).
  const auto& saved = state_->outputs();
  std::vector<uint8_t> made(saved.size(), 0);
  for (const OutputResult& r : results)
    if (const SavedState::Output* o = state_->find_output(r.path)) made[o - saved.data()] = 1;
  for (size_t i = 0; i < saved.size(); ++i)
    if (!made[i]) gone.emplace_back(saved[i].path);
  return gone;
}

bool IncrementalBuild::begin_commit(std::string* error) {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  int fd = ::open((folder_ / kCommitMark).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + (folder_ / kCommitMark).string() + ": " + std::strerror(errno);
    return false;
  }
  ::close(fd);
  return true;
}

bool IncrementalBuild::write_pages(const Site& site, const DiagnosticSink& sink,
                                   std::string* error) {
  // Each page's warnings, to be given again when it is restored; copied
  // only for the pages whose records are written (a restored page keeps
  // its record, and the corpus of the bench has 36,000 warnings).
  std::unordered_map<std::string_view, std::vector<const Diagnostic*>> warnings;
  for (const Diagnostic* d : sink.sorted()) warnings[d->location.path].push_back(d);
  StateWriter& w = writer_;
  w.page_count = site.pages.size();
  w.write_page = [&](size_t i, BinaryWriter& out, const PageRef** kept) -> std::string_view {
    const Page& p = site.pages[i];
    // A restored page's record is the one it was restored from.
    if (p.body_restored && state_) {
      if ((*kept = state_->page_ref(p.rel_path))) return p.rel_path;
    }
    std::vector<PageInput> inputs;
    for (const BodyInput& b : p.body_inputs) {
      const InputEntry* in = scan_.find(b.path);
      inputs.push_back({b.path, exists(in), exists(in) ? fingerprint_of(*in) : 0, b.site_path});
    }
    std::vector<Diagnostic> given;
    if (auto found = warnings.find(p.source_path); found != warnings.end())
      for (const Diagnostic* d : found->second) given.push_back(*d);
    write_page_record(p, inputs, given, out);
    return p.rel_path;
  };
  bool ok = w.write_pages(folder_, state_.get(), error);
  w.write_page = nullptr;
  return ok;
}

bool IncrementalBuild::save(const Site& site, std::vector<OutputResult>& results, int64_t now,
                            int64_t next_change, std::string* error) {
  StateWriter& w = writer_;
  w.header.byline_version = BYLINE_VERSION;
  w.header.environment = settings_.environment;
  w.header.now = now;
  w.header.next_change = next_change;
  w.header.racy_from = racy_from_;

  // By content-relative path, viewed: no string made per page.
  std::unordered_map<std::string_view, uint64_t> page_hashes;
  page_hashes.reserve(site.pages.size());
  for (const Page& p : site.pages) page_hashes.emplace(p.rel_path, p.source_hash);
  constexpr std::string_view kContent = "content/";
  w.inputs.reserve(scan_.files.size());
  for (const InputEntry& in : scan_.files) {
    auto page = std::string_view(in.path).starts_with(kContent)
                    ? page_hashes.find(std::string_view(in.path).substr(kContent.size()))
                    : page_hashes.end();
    uint64_t h = page != page_hashes.end() ? page->second : hash_of(in);
    w.inputs.push_back({in.path, in.stamp, h});
  }
  // The keys, in number order; each output's numbers become positions.
  w.keys.reserve(new_keys_.size());
  w.fingerprints.reserve(new_keys_.size());
  for (const NewKey& k : new_keys_) {
    if (k.used && k.name == "now") w.header.reads_clock = true;
    w.keys.push_back(k.name);
    w.fingerprints.push_back(k.fingerprint);
  }
  w.compact = compact_;
  auto position = [&](uint32_t id) { return id < position_of_.size() ? position_of_[id] : 0; };
  // Every output's keys as positions in the new table, in one array the
  // outputs view. When the state's keys keep their numbers, a kept
  // output's are viewed where the state holds them (7 million numbers at
  // 100,000 posts, not copied).
  const bool keep_numbers = !compact_;
  size_t total = 0;
  for (const OutputResult& r : results)
    total += r.deps.size() + (keep_numbers ? 0 : r.saved_deps.size());
  std::vector<uint32_t> deps;
  deps.reserve(total);
  // A key of the state's numbering → its position in the new table, once
  // per key rather than through two look-ups per use.
  std::vector<uint32_t> saved_position;
  if (!keep_numbers) {
    saved_position.assign(renumbered_.size(), 0);
    for (size_t k = 0; k < renumbered_.size(); ++k)
      if (renumbered_[k] != DependencyNames::kNone) saved_position[k] = position(renumbered_[k]);
  }
  std::vector<std::pair<size_t, size_t>> spans(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const OutputResult& r = results[i];
    const size_t from = deps.size();
    for (uint32_t id : r.deps) deps.push_back(position(id));
    if (!keep_numbers)
      for (uint32_t k : r.saved_deps) deps.push_back(saved_position[k]);
    // In order: an output's keys are a set, and the same set in the same
    // order is an output the base has as it is (a base numbers the keys
    // in this build's order, a later build keeps those numbers while its
    // own order may differ: a post added moves the pages' numbers).
    std::sort(deps.begin() + static_cast<std::ptrdiff_t>(from), deps.end());
    spans[i] = {from, deps.size() - from};
  }
  w.outputs.reserve(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const OutputResult& r = results[i];
    // Kept with the state's numbers: made from saved keys only.
    std::span<const uint32_t> d =
        keep_numbers && !r.saved_deps.empty()
            ? r.saved_deps
            : std::span<const uint32_t>(deps).subspan(spans[i].first, spans[i].second);
    w.outputs.push_back({r.path, r.recipe, r.hash, d});
  }
  bool saved = w.save(folder_, state_.get(), error);
  w.outputs.clear();
  if (!saved) return false;
  std::error_code ec;
  fs::remove(folder_ / kCommitMark, ec);
  forget_gone_outputs();
  return true;
}

void IncrementalBuild::forget_gone_outputs() const {
  // Which output folder each state is for, so that the states of output
  // folders that are gone (a build into a temporary folder, a renamed
  // public/) do not pile up in .byline/.
  std::error_code ec;
  std::string dest = fs::absolute(settings_.dest, ec).lexically_normal().generic_string();
  {
    std::ofstream out(folder_ / kDestFile, std::ios::trunc);
    out << dest << "\n";
  }
  for (const auto& entry : fs::directory_iterator(folder_.parent_path(), ec)) {
    if (entry.path() == folder_) continue;
    std::ifstream in(entry.path() / kDestFile);
    std::string other;
    if (!std::getline(in, other) || other.empty()) continue;  // another byline's: left alone
    if (!fs::exists(other, ec)) fs::remove_all(entry.path(), ec);
  }
}

std::string IncrementalBuild::describe(std::string_view key) const {
  auto part = [](std::string_view aspect) -> std::string {
    if (aspect == "#content") return "body";
    if (aspect == "#summary") return "summary or word count";
    if (aspect == "#nav") return "neighbours";
    return "front matter";
  };
  if (key.starts_with("page:")) {
    size_t mark = key.rfind('#');
    return "content/" + std::string(key.substr(5, mark - 5)) + " changed (" +
           part(key.substr(mark)) + ")";
  }
  if (key.starts_with("list:")) return "the list " + std::string(key.substr(5)) + " changed";
  if (key.starts_with("template:"))
    return "the template " + std::string(key.substr(9)) + " changed";
  if (key.starts_with("file:")) return std::string(key.substr(5)) + " changed";
  if (key == "now") return "the day changed";
  return std::string(key) + " changed";
}

std::vector<std::pair<std::string, std::string>> IncrementalBuild::explanations(
    const std::vector<OutputResult>& results) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const OutputResult& r : results) {
    if (!r.made || !r.written) continue;
    auto it = reasons_.find(r.path);
    out.emplace_back(r.path, it == reasons_.end() ? "made" : it->second);
  }
  return out;
}

}  // namespace byline
