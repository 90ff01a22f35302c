// Recording dependencies, numbering, naming and fingerprinting them.
#include "render/dependencies.h"

#include <algorithm>

#include "base/hash.h"

namespace byline {

thread_local DependencyRecorder* DependencyRecorder::current_ = nullptr;

void DepList::append(const DepList& other) {
  deps.insert(deps.end(), other.deps.begin(), other.deps.end());
  named.insert(named.end(), other.named.begin(), other.named.end());
}

void DependencyRecorder::begin_capture() {
  captures_.emplace_back(list_.deps.size(), list_.named.size());
}

std::shared_ptr<const DepList> DependencyRecorder::end_capture() {
  auto [deps, named] = captures_.back();
  captures_.pop_back();
  // The captured reads stay in this output's list too: it is the one that
  // rendered the text.
  auto captured = std::make_shared<DepList>();
  captured->deps.assign(list_.deps.begin() + static_cast<long>(deps), list_.deps.end());
  captured->named.assign(list_.named.begin() + static_cast<long>(named), list_.named.end());
  return captured;
}

DepList DependencyRecorder::take() {
  auto less = [](const Dep& a, const Dep& b) {
    if (a.object != b.object) return a.object < b.object;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.aspect < b.aspect;
  };
  std::sort(list_.deps.begin(), list_.deps.end(), less);
  list_.deps.erase(std::unique(list_.deps.begin(), list_.deps.end()), list_.deps.end());
  std::sort(list_.named.begin(), list_.named.end());
  list_.named.erase(std::unique(list_.named.begin(), list_.named.end()), list_.named.end());
  return std::move(list_);
}

void DependencyObserver::template_used(std::string_view name) {
  if (DependencyRecorder* r = DependencyRecorder::current())
    r->add_named("template:" + std::string(name));
}

void DependencyObserver::begin_cached() {
  if (DependencyRecorder* r = DependencyRecorder::current()) r->begin_capture();
}

std::shared_ptr<const void> DependencyObserver::end_cached() {
  DependencyRecorder* r = DependencyRecorder::current();
  return r ? r->end_capture() : nullptr;
}

void DependencyObserver::reuse_cached(const std::shared_ptr<const void>& note) {
  if (DependencyRecorder* r = DependencyRecorder::current())
    r->replay(*static_cast<const DepList*>(note.get()));
}

namespace {

// The parts of a page, as their numbers' last two bits and their keys' ends.
constexpr const char* kPageParts[] = {"#meta", "#summary", "#content", "#nav"};
// The kinds of one thing each.
enum Single : uint32_t { kAppearancesAll, kAppearancesSize, kSectionList, kArchiveList, kSingles };
constexpr const char* kSingleKeys[] = {"appearances", "appearances#size", "list:sections#members",
                                       "list:archives#members"};

uint32_t page_part(Dep::Aspect a) {
  switch (a) {
    case Dep::kSummary:
      return 1;
    case Dep::kContent:
      return 2;
    case Dep::kNeighbours:
      return 3;
    default:
      return 0;
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
  // What an appearance shows of an outlet it names: its term's name (a
  // display_name from data/outlets.toml, or the most common spelling) and
  // page, which its sentence and its `outlet` attributes read.
  auto add_outlet = [&](const std::string& name) {
    const Term* t = site.find_outlet(name);
    h.add(name)
        .add(t ? std::string_view(t->name) : "")
        .add(t ? std::string_view(t->permalink) : "");
  };
  for (const Appearance* a : site.appearances) {
    h.add_signed(a->date.utc_seconds).add_signed(a->date.offset_minutes);
    add_outlet(a->outlet);
    h.add(a->kind).add(a->topic).add(a->url).add(a->language).add(a->note);
    h.add(a->id).add(a->page ? a->page->rel_path : std::string_view());
    for (const Pickup& p : a->pickups) {
      add_outlet(p.outlet);
      h.add(p.url).add(p.language).add(p.note);
    }
    h.add(static_cast<uint64_t>(a->pickups.size()));
  }
  return h.add(static_cast<uint64_t>(site.appearances.size())).digest();
}

uint64_t page_summary(const Page& p) {
  return Hasher()
      .add(p.summary_html)
      .add(static_cast<uint64_t>(p.summary_truncated))
      .add(p.intro_html)
      .add(static_cast<uint64_t>(p.word_count))
      .add(p.correction_html)
      .digest();
}

// "kind:name#aspect" split; the aspect, where a kind has one, is last, so a
// name may hold '#' (a file "c#.md").
struct KeyParts {
  std::string_view kind, name, aspect;
};
KeyParts split_key(std::string_view key) {
  KeyParts k;
  size_t colon = key.find(':');
  if (colon == std::string_view::npos) {
    k.kind = key;
    return k;
  }
  k.kind = key.substr(0, colon);
  k.name = key.substr(colon + 1);
  size_t mark = k.name.rfind('#');
  if (mark != std::string_view::npos) {
    k.aspect = k.name.substr(mark);
    k.name = k.name.substr(0, mark);
  }
  return k;
}

}  // namespace

DependencyNames::DependencyNames(const Site& site, NamedFingerprint named)
    : site_(site), named_(std::move(named)) {
  page_by_rel_.reserve(site.pages.size());
  for (size_t i = 0; i < site.pages.size(); ++i)
    page_by_rel_.emplace(site.pages[i].rel_path, static_cast<uint32_t>(i));
  auto list = [&](const std::vector<const Page*>& v, std::string name) {
    if (list_index_.count(&v)) return;
    list_index_.emplace(&v, static_cast<uint32_t>(list_of_.size()));
    list_of_.push_back(&v);
    list_names_.push_back(std::move(name));
  };
  list(site.posts, "posts");
  for (const Section& s : site.sections) list(s.pages, "section/" + s.name);
  for (const DateArchive& a : site.date_archives) list(a.pages, "archive" + a.permalink);
  for (const Taxonomy& t : site.taxonomies) {
    for (const Term& term : t.terms) {
      std::string name = t.config->name + "/" + term.key;
      list(term.pages, "term/" + name);
      term_index_.emplace(&term, static_cast<uint32_t>(term_of_.size()));
      term_of_.push_back(&term);
      term_names_.push_back(std::move(name));
    }
  }
  for (size_t i = 0; i < list_names_.size(); ++i)
    list_by_name_.emplace(list_names_[i], static_cast<uint32_t>(i));
  for (size_t i = 0; i < term_names_.size(); ++i)
    term_by_name_.emplace(term_names_[i], static_cast<uint32_t>(i));
  lists_ = static_cast<uint32_t>(site.pages.size() * 4);
  terms_ = lists_ + static_cast<uint32_t>(list_of_.size() * 2);
  sections_ = terms_ + static_cast<uint32_t>(term_of_.size() * 2);
  taxonomies_ = sections_ + static_cast<uint32_t>(site.sections.size());
  archives_ = taxonomies_ + static_cast<uint32_t>(site.taxonomies.size() * 2);
  singles_ = archives_ + static_cast<uint32_t>(site.date_archives.size());
  named_base_ = singles_ + kSingles;
}

uint32_t DependencyNames::id_of(const Dep& d) const {
  const bool size = d.aspect == Dep::kSize;
  switch (d.kind) {
    case Dep::kPage:
      return static_cast<uint32_t>(site_.index_of(static_cast<const Page*>(d.object))) * 4 +
             page_part(d.aspect);
    case Dep::kPageList: {
      auto it = list_index_.find(d.object);
      return it == list_index_.end() ? kNone : lists_ + it->second * 2 + size;
    }
    case Dep::kTerm: {
      auto it = term_index_.find(static_cast<const Term*>(d.object));
      return it == term_index_.end() ? kNone : terms_ + it->second * 2 + size;
    }
    case Dep::kSection:
      return sections_ +
             static_cast<uint32_t>(static_cast<const Section*>(d.object) - site_.sections.data());
    case Dep::kTaxonomy:
      return taxonomies_ +
             static_cast<uint32_t>(static_cast<const Taxonomy*>(d.object) -
                                   site_.taxonomies.data()) *
                 2 +
             (d.aspect == Dep::kMembers);
    case Dep::kArchive:
      return archives_ + static_cast<uint32_t>(static_cast<const DateArchive*>(d.object) -
                                               site_.date_archives.data());
    case Dep::kAppearances:
      return singles_ + (size ? kAppearancesSize : kAppearancesAll);
    case Dep::kSections:
      return singles_ + kSectionList;
    case Dep::kArchives:
      return singles_ + kArchiveList;
  }
  return kNone;
}

uint32_t DependencyNames::id_of_named(std::string_view key) {
  const size_t hash = ViewHash()(key);
  NamedShard& shard = named_shards_[(hash >> 7) % kNamedShards];
  std::lock_guard lock(shard.mu);
  if (auto it = shard.index.find(key); it != shard.index.end()) return named_base_ + it->second;
  uint32_t number = 0;
  {
    std::lock_guard names(named_mu_);
    number = static_cast<uint32_t>(named_keys_.size());
    named_keys_.emplace_back(key);
  }
  shard.index.emplace(std::string(key), number);
  return named_base_ + number;
}

std::string_view DependencyNames::named_key(size_t i) const {
  std::lock_guard lock(named_mu_);
  return named_keys_[i];
}

std::vector<uint32_t> DependencyNames::named_with_prefix(std::string_view prefix) const {
  std::lock_guard lock(named_mu_);
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < named_keys_.size(); ++i)
    if (named_keys_[i].starts_with(prefix)) ids.push_back(named_base_ + static_cast<uint32_t>(i));
  return ids;
}

uint32_t DependencyNames::id_of_key(std::string_view key) {
  KeyParts k = split_key(key);
  if (k.kind == "page") {
    auto it = page_by_rel_.find(k.name);
    if (it == page_by_rel_.end()) return kNone;
    for (uint32_t part = 0; part < 4; ++part)
      if (k.aspect == kPageParts[part]) return it->second * 4 + part;
    return kNone;
  }
  if (k.kind == "list" && k.name != "sections" && k.name != "archives") {
    auto it = list_by_name_.find(k.name);
    return it == list_by_name_.end() ? kNone : lists_ + it->second * 2 + (k.aspect == "#size");
  }
  if (k.kind == "term") {
    auto it = term_by_name_.find(k.name);
    return it == term_by_name_.end() ? kNone : terms_ + it->second * 2 + (k.aspect == "#size");
  }
  if (k.kind == "section") {
    for (size_t i = 0; i < site_.sections.size(); ++i)
      if (site_.sections[i].name == k.name) return sections_ + static_cast<uint32_t>(i);
    return kNone;
  }
  if (k.kind == "taxonomy") {
    for (size_t i = 0; i < site_.taxonomies.size(); ++i)
      if (site_.taxonomies[i].config->name == k.name)
        return taxonomies_ + static_cast<uint32_t>(i) * 2 + (k.aspect == "#members");
    return kNone;
  }
  if (k.kind == "archive") {
    for (size_t i = 0; i < site_.date_archives.size(); ++i)
      if (site_.date_archives[i].permalink == k.name) return archives_ + static_cast<uint32_t>(i);
    return kNone;
  }
  for (uint32_t s = 0; s < kSingles; ++s)
    if (key == kSingleKeys[s]) return singles_ + s;
  return id_of_named(key);
}

std::string DependencyNames::key(uint32_t id) const {
  if (id < lists_) return "page:" + site_.pages[id / 4].rel_path + kPageParts[id % 4];
  if (id < terms_) {
    uint32_t i = id - lists_;
    return "list:" + list_names_[i / 2] + (i % 2 ? "#size" : "#members");
  }
  if (id < sections_) {
    uint32_t i = id - terms_;
    return "term:" + term_names_[i / 2] + (i % 2 ? "#size" : "#meta");
  }
  if (id < taxonomies_) return "section:" + site_.sections[id - sections_].name;
  if (id < archives_) {
    uint32_t i = id - taxonomies_;
    return "taxonomy:" + site_.taxonomies[i / 2].config->name + (i % 2 ? "#members" : "#meta");
  }
  if (id < singles_) return "archive:" + site_.date_archives[id - archives_].permalink;
  if (id < named_base_) return kSingleKeys[id - singles_];
  return std::string(named_key(id - named_base_));
}

bool DependencyNames::fingerprint(uint32_t id, uint64_t* out) const {
  if (id < lists_) {
    const Page& p = site_.pages[id / 4];
    switch (id % 4) {
      case 0:
        *out = p.meta_hash;
        break;
      case 1:
        *out = page_summary(p);
        break;
      case 2:
        *out = Hasher().add(p.source_hash).add(p.inputs_hash).digest();
        break;
      default: {
        size_t i = id / 4;
        const Page* prev = site_.prev_in_section.empty() ? nullptr : site_.prev_in_section[i];
        const Page* next = site_.next_in_section.empty() ? nullptr : site_.next_in_section[i];
        *out = Hasher()
                   .add(prev ? std::string_view(prev->rel_path) : "")
                   .add(next ? std::string_view(next->rel_path) : "")
                   .digest();
      }
    }
    return true;
  }
  if (id < terms_) {
    uint32_t i = id - lists_;
    const std::vector<const Page*>& list = *list_of_[i / 2];
    *out = i % 2 ? list.size() : hash_pages(list);
    return true;
  }
  if (id < sections_) {
    uint32_t i = id - terms_;
    const Term& t = *term_of_[i / 2];
    if (i % 2) {
      *out = Hasher().add(static_cast<uint64_t>(t.count())).add(t.pages.size()).digest();
    } else {
      Hasher h;
      h.add(t.name).add(t.slug).add(t.permalink);
      if (t.data) h.add(t.data->url).add(t.data->display_name).add(t.data->fields.to_json());
      *out = h.digest();
    }
    return true;
  }
  if (id < taxonomies_) {
    const Section& s = site_.sections[id - sections_];
    *out = Hasher()
               .add(s.name)
               .add(s.permalink)
               .add(static_cast<uint64_t>(s.has_list))
               .add(static_cast<uint64_t>(s.paginate))
               .add(s.index ? std::string_view(s.index->rel_path) : "")
               .digest();
    return true;
  }
  if (id < archives_) {
    uint32_t i = id - taxonomies_;
    const Taxonomy& t = site_.taxonomies[i / 2];
    Hasher h;
    if (i % 2) {
      for (const Term& term : t.terms) h.add(term.key);
    } else {
      h.add(t.config->name).add(t.permalink).add(static_cast<uint64_t>(t.config->feeds));
      h.add(static_cast<uint64_t>(t.paginate));
    }
    *out = h.digest();
    return true;
  }
  if (id < singles_) {
    const DateArchive& a = site_.date_archives[id - archives_];
    *out = Hasher().add(a.permalink).add_signed(a.year).add_signed(a.month).digest();
    return true;
  }
  if (id < named_base_) {
    switch (id - singles_) {
      case kAppearancesAll:
        *out = hash_appearances(site_);
        return true;
      case kAppearancesSize:
        *out = site_.appearances.size();
        return true;
      case kSectionList: {
        Hasher h;
        for (const Section& s : site_.sections) h.add(s.name);
        *out = h.digest();
        return true;
      }
      default: {
        Hasher h;
        for (const DateArchive& a : site_.date_archives) h.add(a.permalink);
        for (const DateArchive* a : site_.year_archives) h.add(a->permalink);
        *out = h.digest();
        return true;
      }
    }
  }
  return named_fingerprint(named_key(id - named_base_), out);
}

bool DependencyNames::named_fingerprint(std::string_view key, uint64_t* out) const {
  if (key.starts_with("lookup:")) {
    std::string_view path = key.substr(7);
    auto it = page_by_rel_.find(path);
    const Page* found = it == page_by_rel_.end() ? nullptr : &site_.pages[it->second];
    if (!found) {
      for (const Page& p : site_.pages)
        if (p.permalink == path) found = &p;
    }
    *out = hash_bytes(found ? std::string_view(found->rel_path) : "");
    return true;
  }
  return named_ && named_(key, out);
}

}  // namespace byline
