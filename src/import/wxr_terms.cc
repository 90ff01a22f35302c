#include "import/wxr_terms.h"

#include <map>
#include <set>
#include <utility>

#include "base/strings.h"
#include "import/permalink_inference.h"

namespace byline {

namespace {

// sanitize_title's slug where it differs from the one written (compared
// decoded: WordPress writes non-ASCII slugs percent-encoded).
void clean_slug(std::string& slug, const std::string& name) {
  std::string clean = sanitize_title(slug.empty() ? name : slug);
  if (clean != percent_decode(slug)) slug = clean;
}

using Key = std::pair<std::string, std::string>;  // (taxonomy, decoded slug or name)

}  // namespace

std::vector<StaleTermSlug> normalize_wxr_terms(WxrChannel* channel) {
  std::set<Key> known;                                 // (taxonomy, decoded slug)
  std::map<Key, std::vector<const WxrTerm*>> by_name;  // (taxonomy, name)
  for (WxrTerm& t : channel->terms) {
    clean_slug(t.slug, t.name);
    if (!t.parent_slug.empty()) clean_slug(t.parent_slug, t.parent_slug);
    known.insert({t.taxonomy, percent_decode(t.slug)});
    by_name[{t.taxonomy, t.name}].push_back(&t);
  }
  // (taxonomy, stale slug) → the term it was taken for; "" once it names two.
  std::map<Key, const WxrTerm*> stale;
  std::set<Key> conflicting;
  for (WxrItem& item : channel->items) {
    for (WxrItemTerm& t : item.terms) {
      clean_slug(t.slug, t.name);
      if (known.count({t.domain, percent_decode(t.slug)})) continue;
      auto it = by_name.find({t.domain, t.name});
      if (it != by_name.end() && it->second.size() == 1) {
        Key key{t.domain, percent_decode(t.slug)};
        auto [at, added] = stale.emplace(key, it->second.front());
        if (!added && at->second != it->second.front()) conflicting.insert(key);
        t.slug = it->second.front()->slug;
      }
    }
  }
  // A slug some item's term keeps (one the list lacks) is that term's.
  for (const WxrItem& item : channel->items) {
    for (const WxrItemTerm& t : item.terms) {
      Key key{t.domain, percent_decode(t.slug)};
      if (stale.count(key)) conflicting.insert(key);
    }
  }
  std::vector<StaleTermSlug> out;
  for (const auto& [key, term] : stale) {
    if (conflicting.count(key)) continue;
    out.push_back({key.first, key.second, percent_decode(term->slug), term->name});
  }
  return out;
}

std::vector<TermRename> disambiguate_wxr_term_names(WxrChannel* channel) {
  std::vector<TermRename> renames;
  std::map<Key, std::string> name_of;   // (taxonomy, slug) → byline's name for it
  std::set<Key> taken;                  // (taxonomy, slugify(name)): byline's term keys
  std::map<Key, std::string> original;  // (taxonomy, slug) → the export's name, for parents
  for (const WxrTerm& t : channel->terms) {
    original.emplace(Key{t.taxonomy, percent_decode(t.slug)}, t.name);
  }

  auto claim = [&](const std::string& taxonomy, const std::string& slug, const std::string& name,
                   const std::string& parent_slug) -> const std::string& {
    const Key key{taxonomy, percent_decode(slug)};
    auto done = name_of.find(key);
    if (done != name_of.end()) return done->second;
    std::string chosen = name;
    if (!taken.insert({taxonomy, slugify(chosen)}).second) {
      std::vector<std::string> candidates;
      auto parent = original.find({taxonomy, percent_decode(parent_slug)});
      if (!parent_slug.empty()) {
        candidates.push_back(name + " (" +
                             (parent != original.end() ? parent->second : parent_slug) + ")");
      }
      candidates.push_back(name + " (" + key.second + ")");
      for (int n = 2; n < 100; ++n) {
        candidates.push_back(name + " (" + key.second + " " + std::to_string(n) + ")");
      }
      for (const std::string& c : candidates) {
        if (taken.insert({taxonomy, slugify(c)}).second) {
          chosen = c;
          break;
        }
      }
      renames.push_back({taxonomy, slug, name, chosen});
    }
    return name_of.emplace(key, chosen).first->second;
  };

  for (WxrTerm& t : channel->terms) t.name = claim(t.taxonomy, t.slug, t.name, t.parent_slug);
  for (WxrItem& item : channel->items) {
    for (WxrItemTerm& t : item.terms) t.name = claim(t.domain, t.slug, t.name, "");
  }
  return renames;
}

}  // namespace byline
