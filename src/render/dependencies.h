// What an output is made from, recorded while it renders, so that the next
// build renders it again only when one of those things changed (issue 22).
//
// The template objects of render/site_objects record each read into the
// recorder of the output rendering on that thread: which page and which
// part of it (its metadata, its summary, its body, its neighbours), which
// list and whether its members or only its length, which term, section,
// taxonomy or archive, the appearances, get_page()'s lookups, the clock,
// the templates used. Recording stores the object's address; names (keys)
// are made once per output when it is done, and a key's fingerprint, the
// hash of what a read of it can see, is computed from the site model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "site/site.h"

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
    kNamed,        // `name` is the whole key ("lookup:about.md", "template:post.html", …)
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
  std::string name;  // kNamed only

  bool operator==(const Dep&) const = default;
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

  void add(Dep d);
  // include_cached(): what rendering the cached text reads is captured, to
  // be added again to every output that reuses the text.
  void begin_capture();
  std::shared_ptr<const std::vector<Dep>> end_capture();
  void replay(const std::vector<Dep>& deps);

  // The recorded dependencies, each once.
  std::vector<Dep> take();

 private:
  static thread_local DependencyRecorder* current_;
  std::vector<Dep> deps_;
  std::vector<size_t> captures_;  // where each open capture started in deps_
};

inline void record_dep(Dep::Kind kind, const void* object, Dep::Aspect aspect) {
  if (DependencyRecorder* r = DependencyRecorder::current()) r->add({kind, aspect, object, {}});
}
inline void record_named_dep(std::string name) {
  if (DependencyRecorder* r = DependencyRecorder::current())
    r->add({Dep::kNamed, Dep::kMeta, nullptr, std::move(name)});
}

// Names of the site's things, and what a read of each can see. Keys are
// strings that stay the same from one build to the next for the same thing
// ("page:posts/2019/x.md#meta", "list:term/tags/russia#members",
// "term:tags/russia"); a key's fingerprint changes exactly when what a
// template could read through it does.
class DependencyNames {
 public:
  // Extra fingerprints for named keys the site model alone cannot compute
  // (templates, copied files, the clock): set by the build before keys are
  // compared.
  using NamedFingerprint = std::function<bool(std::string_view key, uint64_t* out)>;

  DependencyNames(const Site& site, NamedFingerprint named);

  std::string key_of(const Dep& d) const;
  // The fingerprint of `key` in this site; false when the key names
  // nothing here (a page that is gone): it has changed, then.
  bool fingerprint(std::string_view key, uint64_t* out) const;

  // Fingerprints of one page's parts, as the keys of kPage name them.
  static uint64_t page_meta(const Page& p);
  static uint64_t page_summary(const Page& p);
  static uint64_t page_content(const Page& p);

 private:
  const Site& site_;
  NamedFingerprint named_;
  std::unordered_map<const void*, std::string> list_names_;  // page lists → "posts", …
  std::unordered_map<std::string_view, const std::vector<const Page*>*> lists_;
  std::unordered_map<std::string_view, const Page*> pages_;
  std::unordered_map<const Term*, std::string> term_names_;
  std::unordered_map<std::string, const Term*> terms_;
};

}  // namespace byline
