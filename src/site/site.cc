// Assembling sections, taxonomy terms and neighbours; linear in the number of
// pages plus term assignments.
#include "site/site.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>
#include <unordered_map>

#include "base/strings.h"
#include "base/thread_pool.h"

namespace byline {

const Section* Site::find_section(std::string_view name) const {
  for (const auto& s : sections)
    if (s.name == name) return &s;
  return nullptr;
}

const Term* Site::find_term(size_t t, std::string_view name) const {
  if (t >= term_by_key.size()) return nullptr;
  auto it = term_by_key[t].find(slugify(name));
  return it == term_by_key[t].end() ? nullptr : it->second;
}

bool newer_first(const Page* a, const Page* b) {
  int64_t da = a->date ? a->date->utc_seconds : INT64_MIN;
  int64_t db = b->date ? b->date->utc_seconds : INT64_MIN;
  if (da != db) return da > db;
  return std::tie(a->weight, a->title, a->rel_path) < std::tie(b->weight, b->title, b->rel_path);
}

namespace {

// The automatic authors taxonomy's number and the site author's key, or
// false when posts get no author.
bool site_author(const SiteConfig& config, size_t* taxonomy, std::string* key) {
  if (config.author.name.empty()) return false;
  for (size_t t = 0; t < config.taxonomies.size(); ++t) {
    const TaxonomyConfig& tc = config.taxonomies[t];
    if (tc.name != "authors" || !tc.automatic) continue;
    *taxonomy = t;
    *key = slugify(config.author.name);
    return !key->empty();
  }
  return false;
}

void credit(const SiteConfig& config, size_t t, const std::string& key, Page* p) {
  if (p->kind == PageKind::kPost && p->terms.size() > t && p->terms[t].empty())
    p->terms[t].push_back({config.author.name, key, 0, 0});
}

}  // namespace

// A post without `authors` is by the site's author, as on WordPress, so the
// author's page lists everything.
void credit_site_author(const SiteConfig& config, Page* page) {
  size_t t = 0;
  std::string key;
  if (site_author(config, &t, &key)) credit(config, t, key, page);
}

namespace {

std::string expand_term_url(const std::string& pattern, const std::string& slug) {
  std::string out = pattern;
  replace_all(out, ":slug", slug);
  if (out.empty() || out.back() != '/') out += '/';
  return out;
}

// The term list's URL: the pattern up to the segment holding :slug.
std::string term_list_url(const std::string& pattern) {
  size_t pos = pattern.find(":slug");
  std::string prefix = pattern.substr(0, pos);
  size_t slash = prefix.rfind('/');
  return slash == std::string::npos ? "/" : prefix.substr(0, slash + 1);
}

void build_taxonomy(const Site& site, size_t t, Taxonomy* tax, DiagnosticSink& sink) {
  const TaxonomyConfig& tc = site.config->taxonomies[t];
  tax->config = &tc;
  tax->permalink = tc.list_url.empty() ? term_list_url(tc.url_pattern) : tc.list_url;
  tax->paginate = tc.paginate > 0 ? tc.paginate : site.config->paginate;
  // slug → term index; spelling counts decide the display name.
  std::unordered_map<std::string, size_t> by_slug;
  std::vector<std::map<std::string, size_t>> spellings;
  for (const Page& p : site.pages) {
    if (!p.is_regular() || p.terms.size() <= t) continue;
    for (const TermRef& ref : p.terms[t]) {
      const std::string& slug = ref.slug;
      if (slug.empty()) {
        sink.error({p.source_path, ref.line, ref.column},
                   "'" + ref.name + "' gives an empty URL slug; use letters or digits",
                   p.source_text);
        continue;
      }
      auto [it, inserted] = by_slug.try_emplace(slug, tax->terms.size());
      if (inserted) {
        tax->terms.push_back({ref.name, slug, slug, {}, {}, {}, nullptr});
        spellings.emplace_back();
      }
      Term& term = tax->terms[it->second];
      // A post tagged "Russia" twice is listed once.
      if (term.pages.empty() || term.pages.back() != &p) term.pages.push_back(&p);
      ++spellings[it->second][ref.name];
    }
  }
  if (static_cast<int>(t) == site.outlets) {
    // Everything said to an outlet or picked up by it is listed there too.
    auto add = [&](const std::string& name, const Appearance* a) {
      std::string slug = slugify(name);
      if (slug.empty()) {
        sink.error(a->origin, "the outlet '" + name + "' gives an empty URL slug");
        return;
      }
      auto [it, inserted] = by_slug.try_emplace(slug, tax->terms.size());
      if (inserted) {
        tax->terms.push_back({name, slug, slug, {}, {}, {}, nullptr});
        spellings.emplace_back();
      }
      Term& term = tax->terms[it->second];
      if (term.appearances.empty() || term.appearances.back() != a) term.appearances.push_back(a);
      ++spellings[it->second][name];
    };
    for (const Appearance* a : site.appearances) {
      add(a->outlet, a);
      for (const Pickup& p : a->pickups) add(p.outlet, a);
    }
  }
  for (size_t i = 0; i < tax->terms.size(); ++i) {
    Term& term = tax->terms[i];
    size_t best = 0;
    for (const auto& [name, count] : spellings[i]) {
      if (count > best) {  // map order breaks ties alphabetically
        best = count;
        term.name = name;
      }
    }
    std::sort(term.pages.begin(), term.pages.end(), newer_first);
  }
  // Configured slugs (an imported WordPress "mustread" for "Must Read").
  if (!tc.slugs.empty()) {
    std::unordered_map<std::string, const std::string*> custom;
    for (const auto& [name, slug] : tc.slugs) custom.emplace(slugify(name), &slug);
    for (Term& term : tax->terms) {
      auto it = custom.find(term.key);
      if (it != custom.end()) term.slug = *it->second;
    }
  }
  // data/<taxonomy>.toml: display names, home pages, anything else.
  if (t < site.term_data.size()) {
    std::unordered_map<std::string, const TermData*> by_key;
    for (const TermData& d : site.term_data[t]) by_key.emplace(slugify(d.name), &d);
    for (Term& term : tax->terms) {
      auto it = by_key.find(term.key);
      if (it == by_key.end()) continue;
      term.data = it->second;
      if (!it->second->display_name.empty()) term.name = it->second->display_name;
    }
  }
  for (Term& term : tax->terms) term.permalink = expand_term_url(tc.url_pattern, term.slug);
  if (tc.order == TaxonomyConfig::Order::kCount) {
    std::sort(tax->terms.begin(), tax->terms.end(), [](const Term& a, const Term& b) {
      if (a.count() != b.count()) return a.count() > b.count();
      return a.key < b.key;
    });
  } else {
    std::sort(tax->terms.begin(), tax->terms.end(),
              [](const Term& a, const Term& b) { return a.key < b.key; });
  }
}

// Sections: every top-level folder holding pages.
void build_sections(const SiteConfig& config, Site* site) {
  std::map<std::string, size_t> section_index;
  for (const Page& p : site->pages) {
    if (p.kind == PageKind::kHome) site->home = &p;
    if (p.section.empty()) continue;
    auto [it, inserted] = section_index.try_emplace(p.section, site->sections.size());
    if (inserted) {
      Section s;
      s.name = p.section;
      s.permalink = "/" + p.section + "/";
      auto sc = config.sections.find(p.section);
      s.has_list = sc == config.sections.end() || sc->second.list;
      s.paginate = sc != config.sections.end() && sc->second.paginate > 0 ? sc->second.paginate
                                                                          : config.paginate;
      site->sections.push_back(std::move(s));
    }
    Section& s = site->sections[it->second];
    if (p.kind == PageKind::kSection) {
      s.index = &p;
      s.permalink = p.permalink;
    } else if (p.kind == PageKind::kPost) {
      s.pages.push_back(&p);
    }
  }
}

// Each section's posts newest first, their neighbours, and the home's list:
// every post of a listed section.
void order_posts(Site* site) {
  site->prev_in_section.assign(site->pages.size(), nullptr);
  site->next_in_section.assign(site->pages.size(), nullptr);
  for (Section& s : site->sections) {
    std::sort(s.pages.begin(), s.pages.end(), newer_first);
    for (size_t i = 0; i < s.pages.size(); ++i) {
      size_t idx = site->index_of(s.pages[i]);
      if (i + 1 < s.pages.size()) site->prev_in_section[idx] = s.pages[i + 1];
      if (i > 0) site->next_in_section[idx] = s.pages[i - 1];
    }
    if (s.has_list) site->posts.insert(site->posts.end(), s.pages.begin(), s.pages.end());
  }
  std::sort(site->posts.begin(), site->posts.end(), newer_first);
}

// WordPress's /2019/ and /2019/08/ archives, newest first.
void build_date_archives(Site* site) {
  // site->posts is newest first, so each archive fills in order.
  for (const Page* p : site->posts) {
    if (!p->date) continue;
    DateTime::Parts d = p->date->local();
    auto archive = [&](int year, int month) -> DateArchive& {
      for (auto it = site->date_archives.rbegin(); it != site->date_archives.rend(); ++it) {
        if (it->year == year && it->month == month) return *it;
        if (it->year != year) break;
      }
      char url[16];
      if (month == 0) {
        std::snprintf(url, sizeof url, "/%04d/", year);
      } else {
        std::snprintf(url, sizeof url, "/%04d/%02d/", year, month);
      }
      return site->date_archives.emplace_back(DateArchive{year, month, url, {}});
    };
    archive(d.year, 0).pages.push_back(p);
    archive(d.year, d.month).pages.push_back(p);
  }
  for (const DateArchive& a : site->date_archives)
    if (a.month == 0) site->year_archives.push_back(&a);
}

// Media appearances: the log's and those attached to posts, newest first,
// each with an anchor for the timeline.
void gather_appearances(std::vector<Appearance> log, Site* site) {
  site->appearance_log = std::move(log);
  std::vector<Appearance*> all;
  for (Appearance& a : site->appearance_log) all.push_back(&a);
  for (Page& p : site->pages) {
    if (!p.is_regular()) continue;
    for (Appearance& a : p.appearances) {
      a.page = &p;
      all.push_back(&a);
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Appearance* a, const Appearance* b) {
    if (a->date.utc_seconds != b->date.utc_seconds)
      return a->date.utc_seconds > b->date.utc_seconds;
    return a->outlet < b->outlet;
  });
  // Anchors: the date and the outlet, numbered on repeats.
  std::unordered_map<std::string, int> seen;
  for (Appearance* a : all) {
    DateTime::Parts d = a->date.local();
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", d.year, d.month, d.day);
    a->id = std::string(date) + "-" + slugify(a->outlet);
    if (int n = ++seen[a->id]; n > 1) a->id += "-" + std::to_string(n);
  }
  site->appearances.assign(all.begin(), all.end());
}

// Finds the outlets taxonomy, and credits the site's author.
void credit_site_author(const SiteConfig& config, Site* site) {
  for (size_t t = 0; t < config.taxonomies.size(); ++t)
    if (config.taxonomies[t].name == "outlets") site->outlets = static_cast<int>(t);
  size_t t = 0;
  std::string key;
  if (!site_author(config, &t, &key)) return;
  for (Page& p : site->pages) credit(config, t, key, &p);
}

// Each taxonomy is built, and its terms linked to their pages, from the
// pages alone, so the taxonomies are built side by side.
void build_taxonomies(const SiteConfig& config, Site* site, DiagnosticSink& sink) {
  const size_t ntax = config.taxonomies.size();
  site->taxonomies.resize(ntax);
  site->page_terms.assign(site->pages.size() * ntax, {});
  site->term_by_key.assign(ntax, {});
  parallel_for(ntax, [&](size_t t) {
    build_taxonomy(*site, t, &site->taxonomies[t], sink);
    auto& by_slug = site->term_by_key[t];
    for (const Term& term : site->taxonomies[t].terms) by_slug.emplace(term.key, &term);
    for (size_t i = 0; i < site->pages.size(); ++i) {
      const Page& p = site->pages[i];
      if (!p.is_regular() || p.terms.size() <= t) continue;
      auto& list = site->page_terms[i * ntax + t];
      for (const TermRef& ref : p.terms[t]) {
        auto it = by_slug.find(ref.slug);
        if (it != by_slug.end() && std::find(list.begin(), list.end(), it->second) == list.end())
          list.push_back(it->second);
      }
    }
  });
}

}  // namespace

bool assemble_site(const SiteConfig& config, Content&& content, Site* site, DiagnosticSink& sink) {
  const size_t errors_before = sink.error_count();
  site->config = &config;
  site->pages = std::move(content.pages);
  site->files = std::move(content.files);
  site->left_out = content.left_out;
  site->term_data = std::move(content.term_data);
  build_sections(config, site);
  order_posts(site);
  if (config.date_archives) build_date_archives(site);
  gather_appearances(std::move(content.appearances), site);
  credit_site_author(config, site);
  build_taxonomies(config, site, sink);
  return sink.error_count() == errors_before;
}

}  // namespace byline
