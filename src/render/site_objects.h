// How templates see one site's model: Site, Page, Section, Taxonomy, Term,
// DateArchive, Appearance and Paginator exposed as template objects that
// read the model in place. Nothing is copied: a reference is a type pointer
// and the object's address. docs/templates.md lists every attribute.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "site/paginator.h"
#include "site/site.h"
#include "templates/template_value.h"

namespace byline {

// What an appearance reads as in prose ("Interviewed by", the sentence of
// the timeline) is not the model's to write: the render stage, which knows
// the theme, supplies it for `appearance.verb` and `appearance.sentence`.
struct AppearanceProse {
  std::function<TValue(const Appearance&)> verb;
  std::function<TValue(const Appearance&)> sentence;  // safe HTML
};

// The template objects of one site. Each kind of object has a type of its
// own here that knows the site, instead of a process-wide "site being
// rendered": two sites can render in one process, on any threads, each
// through its own SiteObjects. Everything is read-only once constructed
// (but for caches behind locks), so any number of renders may share one.
//
// Template expressions remember the slot of an attribute per object type
// (ObjectType::attribute_slot), by the type's address: a SiteObjects must
// outlive the compiled templates that read its objects, as the render
// stage's SiteTemplates, which owns both, ensures.
class SiteObjects {
 public:
  // `site` must outlive this object.
  SiteObjects(const Site& site, AppearanceProse prose);
  ~SiteObjects();
  SiteObjects(const SiteObjects&) = delete;
  SiteObjects& operator=(const SiteObjects&) = delete;

  const Site& site() const { return site_; }

  TValue site_object() const;
  TValue page(const Page* page) const;  // none for null
  TValue pages(const std::vector<const Page*>& pages) const;
  TValue section(const Section& section) const;
  TValue taxonomy(const Taxonomy& taxonomy) const;
  TValue term(const Term& term) const;
  TValue date_archive(const DateArchive& archive) const;
  TValue appearance(const Appearance& appearance) const;
  // The paginator must outlive the render.
  TValue paginator(const Paginator& paginator) const;

  // The page behind a page object of this site, or null.
  const Page* as_page(const TValue& v) const;

  // page.related: each page's related posts, by its index in site.pages
  // (render/search_outputs). Set before rendering, read-only after.
  void set_related(std::vector<std::vector<const Page*>> related) { related_ = std::move(related); }
  const std::vector<const Page*>& related(const Page& page) const;

  struct Types;  // the object types, each pointing back here

 private:
  const Site& site_;
  std::unique_ptr<Types> types_;
  std::vector<std::vector<const Page*>> related_;
};

}  // namespace byline
