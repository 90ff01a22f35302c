// Recording dependencies, naming them and fingerprinting them.
#include "render/dependencies.h"

#include <algorithm>

#include "base/hash.h"

namespace byline {

thread_local DependencyRecorder* DependencyRecorder::current_ = nullptr;

void DependencyRecorder::add(Dep d) {
  // The same read is often repeated within a render (a post's title is read
  // for <title>, og:title and the heading): skip a repeat of the last one
  // cheaply; take() removes the rest.
  if (!deps_.empty() && deps_.back() == d) return;
  deps_.push_back(std::move(d));
}

void DependencyRecorder::begin_capture() { captures_.push_back(deps_.size()); }

std::shared_ptr<const std::vector<Dep>> DependencyRecorder::end_capture() {
  size_t from = captures_.back();
  captures_.pop_back();
  // The captured reads stay in this output's list too: it is the one that
  // rendered the text.
  return std::make_shared<const std::vector<Dep>>(deps_.begin() + static_cast<long>(from),
                                                  deps_.end());
}

void DependencyRecorder::replay(const std::vector<Dep>& deps) {
  deps_.insert(deps_.end(), deps.begin(), deps.end());
}

std::vector<Dep> DependencyRecorder::take() {
  auto less = [](const Dep& a, const Dep& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.object != b.object) return a.object < b.object;
    if (a.aspect != b.aspect) return a.aspect < b.aspect;
    return a.name < b.name;
  };
  std::sort(deps_.begin(), deps_.end(), less);
  deps_.erase(std::unique(deps_.begin(), deps_.end()), deps_.end());
  return std::move(deps_);
}

namespace {

const char* page_aspect(Dep::Aspect a) {
  switch (a) {
    case Dep::kSummary:
      return "#summary";
    case Dep::kContent:
      return "#content";
    case Dep::kNeighbours:
      return "#nav";
    default:
      return "#meta";
  }
}

uint64_t hash_pages(const std::vector<const Page*>& pages) {
  Hasher h;
  h.add(static_cast<uint64_t>(pages.size()));
  for (const Page* p : pages) h.add(p->rel_path);
  return h.digest();
}

uint64_t hash_appearances(const Site& site) {
  Hasher h;
  for (const Appearance* a : site.appearances) {
    h.add_signed(a->date.utc_seconds).add_signed(a->date.offset_minutes);
    h.add(a->outlet).add(a->kind).add(a->topic).add(a->url).add(a->language).add(a->note);
    h.add(a->id).add(a->page ? a->page->rel_path : std::string_view());
    for (const Pickup& p : a->pickups) h.add(p.outlet).add(p.url).add(p.language).add(p.note);
    h.add(static_cast<uint64_t>(a->pickups.size()));
  }
  return h.add(static_cast<uint64_t>(site.appearances.size())).digest();
}

}  // namespace

DependencyNames::DependencyNames(const Site& site, NamedFingerprint named)
    : site_(site), named_(std::move(named)) {
  pages_.reserve(site.pages.size());
  for (const Page& p : site.pages) pages_.emplace(p.rel_path, &p);
  auto list = [&](const std::vector<const Page*>& v, std::string name) {
    auto [it, inserted] = list_names_.emplace(&v, std::move(name));
    if (inserted) lists_.emplace(it->second, &v);
  };
  list(site.posts, "posts");
  for (const Section& s : site.sections) list(s.pages, "section/" + s.name);
  for (const DateArchive& a : site.date_archives) list(a.pages, "archive" + a.permalink);
  for (const Taxonomy& t : site.taxonomies) {
    for (const Term& term : t.terms) {
      std::string name = t.config->name + "/" + term.key;
      list(term.pages, "term/" + name);
      term_names_.emplace(&term, name);
      terms_.emplace(std::move(name), &term);
    }
  }
}

std::string DependencyNames::key_of(const Dep& d) const {
  switch (d.kind) {
    case Dep::kPage:
      return "page:" + static_cast<const Page*>(d.object)->rel_path + page_aspect(d.aspect);
    case Dep::kPageList: {
      auto it = list_names_.find(d.object);
      if (it == list_names_.end()) return {};  // a list of the plan's own: a static dependency
      return "list:" + it->second + (d.aspect == Dep::kSize ? "#size" : "#members");
    }
    case Dep::kTerm: {
      auto it = term_names_.find(static_cast<const Term*>(d.object));
      if (it == term_names_.end()) return {};
      return "term:" + it->second + (d.aspect == Dep::kSize ? "#size" : "#meta");
    }
    case Dep::kSection:
      return "section:" + static_cast<const Section*>(d.object)->name;
    case Dep::kTaxonomy:
      return "taxonomy:" + static_cast<const Taxonomy*>(d.object)->config->name +
             (d.aspect == Dep::kMembers ? "#members" : "#meta");
    case Dep::kArchive:
      return "archive:" + static_cast<const DateArchive*>(d.object)->permalink;
    case Dep::kAppearances:
      return d.aspect == Dep::kSize ? "appearances#size" : "appearances";
    case Dep::kSections:
      return "list:sections#members";
    case Dep::kArchives:
      return "list:archives#members";
    case Dep::kNamed:
      return d.name;
  }
  return {};
}

uint64_t DependencyNames::page_meta(const Page& p) { return p.meta_hash; }

uint64_t DependencyNames::page_summary(const Page& p) {
  return Hasher()
      .add(p.summary_html)
      .add(static_cast<uint64_t>(p.summary_truncated))
      .add(p.intro_html)
      .add(static_cast<uint64_t>(p.word_count))
      .add(p.correction_html)
      .digest();
}

uint64_t DependencyNames::page_content(const Page& p) {
  return Hasher().add(p.source_hash).add(p.inputs_hash).digest();
}

bool DependencyNames::fingerprint(std::string_view key, uint64_t* out) const {
  // "kind:name#aspect"; the aspect, when the kind has one, is always last,
  // so a name may hold '#' (a file "c#.md").
  size_t colon = key.find(':');
  std::string_view kind = key.substr(0, std::min(colon, key.find('#')));
  std::string_view rest = colon == std::string_view::npos ? "" : key.substr(colon + 1);
  size_t hash_mark = key.rfind('#');
  std::string_view aspect = hash_mark == std::string_view::npos ? "" : key.substr(hash_mark);
  std::string_view name = hash_mark == std::string_view::npos || hash_mark < colon + 1
                              ? rest
                              : key.substr(colon + 1, hash_mark - colon - 1);
  if (kind == "page") {
    auto it = pages_.find(name);
    if (it == pages_.end()) return false;
    const Page& p = *it->second;
    if (aspect == "#meta") {
      *out = page_meta(p);
    } else if (aspect == "#summary") {
      *out = page_summary(p);
    } else if (aspect == "#content") {
      *out = page_content(p);
    } else if (aspect == "#nav") {
      size_t i = site_.index_of(&p);
      const Page* prev = site_.prev_in_section.empty() ? nullptr : site_.prev_in_section[i];
      const Page* next = site_.next_in_section.empty() ? nullptr : site_.next_in_section[i];
      *out = Hasher()
                 .add(prev ? std::string_view(prev->rel_path) : "")
                 .add(next ? std::string_view(next->rel_path) : "")
                 .digest();
    } else {
      return false;
    }
    return true;
  }
  if (kind == "list") {
    if (name == "sections") {
      Hasher h;
      for (const Section& s : site_.sections) h.add(s.name);
      *out = h.digest();
      return true;
    }
    if (name == "archives") {
      Hasher h;
      for (const DateArchive& a : site_.date_archives) h.add(a.permalink);
      for (const DateArchive* a : site_.year_archives) h.add(a->permalink);
      *out = h.digest();
      return true;
    }
    auto it = lists_.find(name);
    if (it == lists_.end()) return false;
    *out = aspect == "#size" ? it->second->size() : hash_pages(*it->second);
    return true;
  }
  if (kind == "term") {
    auto it = terms_.find(std::string(name));
    if (it == terms_.end()) return false;
    const Term& t = *it->second;
    if (aspect == "#size") {
      *out = Hasher().add(static_cast<uint64_t>(t.count())).add(t.pages.size()).digest();
    } else {
      Hasher h;
      h.add(t.name).add(t.slug).add(t.permalink);
      if (t.data) h.add(t.data->url).add(t.data->display_name).add(t.data->fields.to_json());
      *out = h.digest();
    }
    return true;
  }
  if (kind == "section") {
    const Section* s = site_.find_section(name);
    if (!s) return false;
    *out = Hasher()
               .add(s->name)
               .add(s->permalink)
               .add(static_cast<uint64_t>(s->has_list))
               .add(static_cast<uint64_t>(s->paginate))
               .add(s->index ? std::string_view(s->index->rel_path) : "")
               .digest();
    return true;
  }
  if (kind == "taxonomy") {
    for (const Taxonomy& t : site_.taxonomies) {
      if (t.config->name != name) continue;
      Hasher h;
      if (aspect == "#members") {
        for (const Term& term : t.terms) h.add(term.key);
      } else {
        h.add(t.config->name).add(t.permalink).add(static_cast<uint64_t>(t.config->feeds));
        h.add(static_cast<uint64_t>(t.paginate));
      }
      *out = h.digest();
      return true;
    }
    return false;
  }
  if (kind == "archive") {
    for (const DateArchive& a : site_.date_archives) {
      if (a.permalink != name) continue;
      *out = Hasher().add(a.permalink).add_signed(a.year).add_signed(a.month).digest();
      return true;
    }
    return false;
  }
  if (kind == "appearances") {
    *out = aspect == "#size" ? site_.appearances.size() : hash_appearances(site_);
    return true;
  }
  if (kind == "lookup") {
    auto it = pages_.find(rest);
    const Page* found = it == pages_.end() ? nullptr : it->second;
    if (!found) {
      for (const Page& p : site_.pages)
        if (p.permalink == rest) found = &p;
    }
    *out = hash_bytes(found ? std::string_view(found->rel_path) : "");
    return true;
  }
  return named_ && named_(key, out);
}

}  // namespace byline
