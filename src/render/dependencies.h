// What an output is made from, recorded while it renders, so that the next
// build renders it again only when one of those things changed (issue 22).
//
// The template objects of render/site_objects record each read into the
// recorder of the output rendering on that thread: which page and which
// part of it (its metadata, its summary, its body, its neighbours), which
// list and whether its members or only its length, which term, section,
// taxonomy or archive, the appearances, get_page()'s lookups, the clock,
// the templates used. Recording stores the object's address; each thing
// has a number in DependencyNames, and a name (its key) that stays the same
// from one build to the next: "page:posts/2019/x.md#meta",
// "list:term/tags/russia#members". A key's fingerprint is the hash of what
// a read of it can see, computed from the site model.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "site/site.h"
#include "templates/template_engine.h"

namespace byline {

struct Dep {
  enum Kind : uint8_t {
    kPage,         // object: const Page*
    kPageList,     // object: a std::vector<const Page*> of the site (posts, a section's, …)
    kTerm,         // object: const Term*
    kSection,      // object: const Section*
    kTaxonomy,     // object: const Taxonomy*
    kArchive,      // object: const DateArchive*
    kAppearances,  // every appearance: the log's and the posts'
    kSections,     // site.sections
    kArchives,     // site.date_archives and site.year_archives
  };
  enum Aspect : uint8_t {
    kMeta,        // a page's front matter and place; an object's own fields
    kSummary,     // a page's summary, intro and word count
    kContent,     // a page's body
    kNeighbours,  // a page's previous and next in its section
    kMembers,     // a list's members, in order
    kSize,        // a list's length (or a term's count) only
  };
  Kind kind;
  Aspect aspect;
  const void* object = nullptr;

  bool operator==(const Dep&) const = default;
};

// What one output read: things of the site model, and named keys
// ("lookup:about.md", "template:post.html", "now") for the rest.
struct DepList {
  std::vector<Dep> deps;
  std::vector<std::string> named;
  void append(const DepList& other);
};

// The dependencies of the output rendering on this thread. Each output is
// rendered from start to end on one thread, so the recorder is that
// thread's for as long as a Scope lives; with none, reads record nothing
// (a build without saved state need not pay for it).
class DependencyRecorder {
 public:
  static DependencyRecorder* current() { return current_; }

  // Makes `r` the thread's recorder for this scope.
  class Scope {
   public:
    explicit Scope(DependencyRecorder* r) : saved_(current_) { current_ = r; }
    ~Scope() { current_ = saved_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DependencyRecorder* saved_;
  };

  void add(Dep d) {
    // The same read is often repeated within a render (a post's title for
    // <title>, og:title and the heading): a repeat of the last one is
    // skipped cheaply; take() removes the rest.
    if (!list_.deps.empty() && list_.deps.back() == d) return;
    list_.deps.push_back(d);
  }
  void add_named(std::string key) { list_.named.push_back(std::move(key)); }
  // include_cached(): what rendering the cached text reads is captured, to
  // be added again to every output that reuses the text.
  void begin_capture();
  std::shared_ptr<const DepList> end_capture();
  void replay(const DepList& list) { list_.append(list); }

  // The recorded dependencies, each once.
  DepList take();

 private:
  static thread_local DependencyRecorder* current_;
  DepList list_;
  std::vector<std::pair<size_t, size_t>> captures_;  // where each open capture started
};

// Tells the recorder of the rendering thread which templates a render runs
// and what include_cached() texts it reuses (templates/template_engine.h).
class DependencyObserver final : public RenderObserver {
 public:
  void template_used(std::string_view name) override;
  void begin_cached() override;
  std::shared_ptr<const void> end_cached() override;
  void reuse_cached(const std::shared_ptr<const void>& note) override;
};

inline void record_dep(Dep::Kind kind, const void* object, Dep::Aspect aspect) {
  if (DependencyRecorder* r = DependencyRecorder::current()) r->add({kind, aspect, object});
}
inline void record_named_dep(std::string key) {
  if (DependencyRecorder* r = DependencyRecorder::current()) r->add_named(std::move(key));
}

// The numbers, names and fingerprints of one site's things. Numbers are
// dense for the model's objects (a page's part is its index times four plus
// the part), so recording and comparing need no strings; named keys are
// numbered as they come, from any thread.
class DependencyNames {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  // Fingerprints of the named keys the site model alone cannot compute
  // (templates, copied files, the clock, what only the render plan knows).
  using NamedFingerprint = std::function<bool(std::string_view key, uint64_t* out)>;

  DependencyNames(const Site& site, NamedFingerprint named);

  // The number of a recorded thing; kNone for a list of the plan's own
  // (which the plan records as a dependency of its own).
  uint32_t id_of(const Dep& d) const;
  uint32_t id_of_named(std::string_view key);
  // The number of a key saved by an earlier build; kNone when it names
  // nothing in this site (a page that is gone).
  uint32_t id_of_key(std::string_view key);

  std::string key(uint32_t id) const;
  // The numbers of the named keys given so far that start with `prefix`.
  std::vector<uint32_t> named_with_prefix(std::string_view prefix) const;
  // One more than the largest number given so far.
  uint32_t count() const {
    std::lock_guard lock(named_mu_);
    return named_base_ + static_cast<uint32_t>(named_keys_.size());
  }
  // What a read of it can see now; false when it cannot be known (it then
  // counts as changed).
  bool fingerprint(uint32_t id, uint64_t* out) const;

 private:
  bool named_fingerprint(std::string_view key, uint64_t* out) const;

  const Site& site_;
  NamedFingerprint named_;
  // Where each kind's numbers start.
  uint32_t lists_ = 0, terms_ = 0, sections_ = 0, taxonomies_ = 0, archives_ = 0, singles_ = 0,
           named_base_ = 0;
  std::vector<const std::vector<const Page*>*> list_of_;  // list number → list
  std::vector<std::string> list_names_;  // "posts", "section/x", "term/tags/y", …
  std::unordered_map<const void*, uint32_t> list_index_;
  std::vector<const Term*> term_of_;
  std::vector<std::string> term_names_;  // "tags/russia"
  std::unordered_map<const Term*, uint32_t> term_index_;
  // By name, for the keys an earlier build saved.
  std::unordered_map<std::string_view, uint32_t> page_by_rel_, list_by_name_, term_by_name_;
  // Named keys are looked up for every output the render makes (its
  // templates, copied files, …): in shards by the key's hash, each with its
  // own lock, and looked up by view, so that a key already numbered costs
  // neither an allocation nor a lock other threads want. A key is numbered
  // under its shard's lock, then added to `named_keys_` (a deque: the names
  // given out stay where they are) under `named_mu_`.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct NamedShard {
    std::mutex mu;
    std::unordered_map<std::string, uint32_t, ViewHash, std::equal_to<>> index;
  };
  static constexpr size_t kNamedShards = 16;
  std::array<NamedShard, kNamedShards> named_shards_;
  mutable std::mutex named_mu_;
  std::deque<std::string> named_keys_;
  // The name of named key `i`, viewed (it stays where it is).
  std::string_view named_key(size_t i) const;
};

}  // namespace byline
