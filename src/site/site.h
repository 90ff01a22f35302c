// The site model: every published page, sorted, grouped into sections and
// taxonomy terms, with previous/next links. The only stage that sees all
// pages at once; later stages read it by reference.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "config/config.h"
#include "content/content.h"

namespace byline {

struct Section {
  std::string name;                // "posts"
  const Page* index = nullptr;     // its _index.md, if any
  std::vector<const Page*> pages;  // newest first
  std::string permalink;           // "/posts/"
  bool has_list = true;
  int paginate = 10;
};

struct Term {
  std::string name;                // display name: the most common spelling
  std::string key;                 // slugify(name): spellings with the same key are one term
  std::string slug;                // in the URL: the key, or the configured slug for the term
  std::string permalink;           // "/tag/russia/"
  std::vector<const Page*> pages;  // newest first
  // Outlets: the appearances there, as the outlet or a pickup; newest first.
  std::vector<const Appearance*> appearances;
  const TermData* data = nullptr;  // from data/<taxonomy>.toml, if it names the term
  size_t count() const { return pages.size() + appearances.size(); }
};

struct Taxonomy {
  const TaxonomyConfig* config = nullptr;
  std::string permalink;    // the term list: "/tag/"
  std::vector<Term> terms;  // in the configured order (name or count)
  int paginate = 10;
};

// A WordPress-style date archive: /2019/ (month 0) or /2019/08/.
struct DateArchive {
  int year = 0;
  int month = 0;
  std::string permalink;
  std::vector<const Page*> pages;  // newest first
};

class ImageSet;

struct Site {
  const SiteConfig* config = nullptr;
  // The build's images (src/images/): their variants are published beside
  // them, and templates' image() reads them (also with [images] process =
  // false, when nothing is processed). Null outside a build.
  ImageSet* images = nullptr;
  std::vector<Page> pages;  // owns every page; pointers below point here
  std::vector<StaticFile> files;
  const Page* home = nullptr;      // content/_index.md, if any
  std::vector<const Page*> posts;  // every dated post in a listed section, newest first
  std::vector<Section> sections;
  std::vector<Taxonomy> taxonomies;               // SiteConfig::taxonomies order
  std::vector<DateArchive> date_archives;         // newest first; years before their months
  std::vector<const DateArchive*> year_archives;  // the years of date_archives, newest first
  std::vector<const Page*> prev_in_section;       // per page index: the older neighbour
  std::vector<const Page*> next_in_section;       // per page index: the newer neighbour
  // The terms of page i in taxonomy t, in front-matter order:
  // page_terms[i * taxonomies.size() + t].
  std::vector<std::vector<const Term*>> page_terms;
  // Per taxonomy: term key (slugify of any spelling) → term.
  std::vector<std::unordered_map<std::string, const Term*>> term_by_key;
  size_t left_out = 0;
  // Media appearances: the log's entries (owned here) and, through
  // `appearances`, those attached to posts too; newest first.
  std::vector<Appearance> appearance_log;
  std::vector<const Appearance*> appearances;
  std::vector<std::vector<TermData>> term_data;  // per taxonomy
  int outlets = -1;                              // index of the outlets taxonomy, if any
  DateTime now;  // the build's clock, one value for the whole build: templates' now()
  // Renders the body of a page restored from the last build (see
  // Page::body_restored), the first time an output shows it; set by the
  // build when it restored pages.
  std::function<void(Page&)> render_body;
  std::unique_ptr<std::once_flag[]> body_once;  // one per page, made with render_body

  size_t index_of(const Page* p) const { return static_cast<size_t>(p - pages.data()); }
  // Makes sure p.content_html and p.toc are there: a restored page's body
  // is rendered now, once, whichever thread asks first.
  void ensure_body(const Page& p) const {
    if (!p.body_restored || !render_body) return;
    std::call_once(body_once[index_of(&p)], [&] { render_body(const_cast<Page&>(p)); });
  }
  const Section* find_section(std::string_view name) const;
  // The term of taxonomy t that `name` (any spelling) belongs to, or null.
  const Term* find_term(size_t t, std::string_view name) const;
  const Term* find_outlet(std::string_view name) const {
    return outlets < 0 ? nullptr : find_term(static_cast<size_t>(outlets), name);
  }
  const std::vector<const Term*>& terms_of(const Page& p, size_t taxonomy) const {
    return page_terms[index_of(&p) * taxonomies.size() + taxonomy];
  }
};

// The order every list uses: newest first, then by weight, title and path,
// so equal dates still sort the same way on every run.
bool newer_first(const Page* a, const Page* b);

// A post without `authors` is by the site's author (the automatic authors
// taxonomy): gives `page` that term, as assemble_site() gives every post.
void credit_site_author(const SiteConfig& config, Page* page);

// Builds the model from the loaded content. Returns false on errors. Two
// pages claiming one URL are left to the render's check of every output
// (render/render.h), which sees the list pages, feeds and files too.
bool assemble_site(const SiteConfig& config, Content&& content, Site* site, DiagnosticSink& sink);

}  // namespace byline
