// How templates see the site model: Site, Page, Section, Taxonomy, Term,
// DateArchive and Paginator exposed as template objects that read the model
// in place. Nothing is copied: a reference is a type pointer and the
// object's address. docs/templates.md lists every attribute.
#pragma once

#include <string>
#include <vector>

#include "site/paginator.h"
#include "site/site.h"
#include "templates/template_value.h"

namespace byline {

// The site being rendered. Page and term objects need it (for URLs,
// neighbours and terms), so it is set once per build, before rendering, and
// cleared after; rendering threads only read it.
class SiteScope {
 public:
  explicit SiteScope(const Site& site);
  ~SiteScope();
  SiteScope(const SiteScope&) = delete;
  SiteScope& operator=(const SiteScope&) = delete;
};

TValue site_object(const Site& site);
TValue page_object(const Page* page);  // none for null
TValue pages_object(const std::vector<const Page*>& pages);
TValue section_object(const Section& section);
TValue taxonomy_object(const Taxonomy& taxonomy);
TValue term_object(const Term& term);
TValue date_archive_object(const DateArchive& archive);
// The paginator must outlive the render.
TValue paginator_object(const Paginator& paginator);

// The page behind a page object, or null.
const Page* as_page(const TValue& v);

}  // namespace byline
