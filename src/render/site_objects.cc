// Template object types for the site model. Each type belongs to one
// SiteObjects and reaches its site through it; `self` points at the model
// object.
#include "render/site_objects.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>

#include "base/strings.h"
#include "images/image_set.h"
#include "images/size_plan.h"
#include "render/dependencies.h"
#include "templates/template_byline.h"

namespace byline {

namespace {

TValue str_ref(const std::string& s) { return TValue::string_ref(s); }
TValue safe_ref(const std::string& s) { return TValue::string_ref(s, /*safe=*/true); }

// A model path as the relative URL templates print. When the site lives at
// the root of its host (base_url "https://example.org/"), the path is its own
// relative URL: the value is a view of it, and nothing is allocated. Pages
// read url dozens of times each (lists, navigation, archives).
TValue relative_url_value(const Site& site, const std::string& path) {
  const SiteUrls& urls = site.config->urls;
  if (urls.at_root() && !path.empty() && path.front() == '/') return str_ref(path);
  return TValue::string(urls.relative(path));
}

TValue absolute_url_value(const Site& site, const std::string& path) {
  return TValue::string(site.config->urls.absolute(path));
}

TValue date_or_none(const std::optional<DateTime>& d) {
  return d ? datetime_ref(&*d) : TValue::none();
}

const char* kind_name(PageKind k) {
  switch (k) {
    case PageKind::kHome:
      return "home";
    case PageKind::kSection:
      return "section";
    case PageKind::kPost:
      return "post";
    case PageKind::kPage:
      return "page";
  }
  return "page";
}

// Shared behaviour of read-only sequences.
class SequenceType : public ObjectType {
 public:
  bool is_sequence(const void*) const override { return true; }
  bool truthy(const void* self) const override { return size(self) > 0; }
  void append_str(const void* self, std::string& out) const override {
    out += '[';
    for (size_t i = 0; i < size(self); ++i) {
      if (i) out += ", ";
      at(self, i).append_repr(out);
    }
    out += ']';
  }
};

using Types = SiteObjects::Types;

// A type of this site: it reaches the site, and the other types, through
// the SiteObjects it belongs to.
class SiteBound {
 public:
  explicit SiteBound(const Types& types) : types_(types) {}

 protected:
  const Types& types_;
};

// A std::vector<T> of model objects, each made into a template object by
// MAKE.
// `list_kind` (Dep::kPageList, say) makes reading the list a dependency of
// the output: its length, or its members once one is read.
template <typename T>
class ModelVectorType final : public SequenceType, SiteBound {
 public:
  using Make = TValue (*)(const Types&, const T&);
  ModelVectorType(const Types& types, std::string_view name, Make make,
                  std::optional<Dep::Kind> list_kind = std::nullopt)
      : SiteBound(types), name_(name), make_(make), list_kind_(list_kind) {}
  std::string_view type_name() const override { return name_; }
  size_t size(const void* self) const override {
    if (list_kind_) record_dep(*list_kind_, self, Dep::kSize);
    return static_cast<const std::vector<T>*>(self)->size();
  }
  TValue at(const void* self, size_t i) const override {
    if (list_kind_) record_dep(*list_kind_, self, Dep::kMembers);
    return make_(types_, (*static_cast<const std::vector<T>*>(self))[i]);
  }

 private:
  std::string_view name_;
  Make make_;
  std::optional<Dep::Kind> list_kind_;
};

// page.toc needs no site: one type serves every site.
class TocVectorType final : public SequenceType {
 public:
  std::string_view type_name() const override { return "toc"; }
  size_t size(const void* self) const override {
    return static_cast<const std::vector<TocEntry>*>(self)->size();
  }
  TValue at(const void* self, size_t i) const override {
    const TocEntry& e = (*static_cast<const std::vector<TocEntry>*>(self))[i];
    return TValue::dict({{TValue::string_ref("level"), TValue::integer(e.level)},
                         {TValue::string_ref("id"), TValue::string_ref(e.id)},
                         {TValue::string_ref("text"), TValue::string_ref(e.text)}});
  }
};
const TocVectorType kTocVector;

class AppearanceType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "appearance"; }
  TValue attribute(const void* self, std::string_view n) const override;
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const Appearance*>(self)->topic;
  }
  bool truthy(const void*) const override { return true; }
};

// page.taxonomies: a mapping from taxonomy name to the page's terms in it.
class PageTaxonomiesType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "taxonomies"; }
  TValue attribute(const void* self, std::string_view name) const override;
  bool is_mapping(const void*) const override { return true; }
  std::vector<TValue> keys(const void*) const override;
  size_t size(const void*) const override;
};

// An object type whose attributes are numbered (see ObjectType::attribute_slot):
// attribute() is the lookup of the slot and the read through it together.
class SlottedObjectType : public ObjectType {
 public:
  TValue attribute(const void* self, std::string_view n) const final {
    return attribute_at(self, attribute_slot(n), n);
  }
};

// The slot of `n` in a name-to-attribute table, or -1.
template <typename Attr>
int slot_of(const std::unordered_map<std::string_view, Attr>& attrs, std::string_view n) {
  auto found = attrs.find(n);
  return found == attrs.end() ? -1 : static_cast<int>(found->second);
}

// Page attributes by name, looked up once per access instead of through a
// chain of ~40 comparisons: post pages read a few dozen attributes each.
enum class PageAttr {
  kTitle,
  kContent,
  kSummary,
  kSummaryTruncated,
  kIntro,
  kArticle,
  kAppearances,
  kCanonical,
  kCorrection,
  kDate,
  kLastmod,
  kUpdated,
  kExpiryDate,
  kDraft,
  kSlug,
  kPath,
  kUrl,
  kPermalink,
  kKind,
  kSection,
  kParams,
  kToc,
  kWordCount,
  kReadingTime,
  kWeight,
  kSourcePath,
  kTaxonomies,
  kAliases,
  kPrev,
  kNext,
  kRelated,
  kWriterField,
  kCard,
  kImages,
};

const std::unordered_map<std::string_view, PageAttr>& page_attrs() {
  static const std::unordered_map<std::string_view, PageAttr> m = {
      {"title", PageAttr::kTitle},
      {"content", PageAttr::kContent},
      {"summary", PageAttr::kSummary},
      {"summary_truncated", PageAttr::kSummaryTruncated},
      {"intro", PageAttr::kIntro},
      {"article", PageAttr::kArticle},
      {"appearances", PageAttr::kAppearances},
      {"canonical", PageAttr::kCanonical},
      {"correction", PageAttr::kCorrection},
      {"date", PageAttr::kDate},
      {"lastmod", PageAttr::kLastmod},
      {"updated", PageAttr::kUpdated},
      {"expiry_date", PageAttr::kExpiryDate},
      {"draft", PageAttr::kDraft},
      {"slug", PageAttr::kSlug},
      {"path", PageAttr::kPath},
      {"url", PageAttr::kUrl},
      {"relative_url", PageAttr::kUrl},
      {"permalink", PageAttr::kPermalink},
      {"kind", PageAttr::kKind},
      {"section", PageAttr::kSection},
      {"params", PageAttr::kParams},
      {"extra", PageAttr::kParams},
      {"toc", PageAttr::kToc},
      {"word_count", PageAttr::kWordCount},
      {"card", PageAttr::kCard},
      {"images", PageAttr::kImages},
      {"reading_time", PageAttr::kReadingTime},
      {"weight", PageAttr::kWeight},
      {"source_path", PageAttr::kSourcePath},
      {"taxonomies", PageAttr::kTaxonomies},
      {"aliases", PageAttr::kAliases},
      {"prev", PageAttr::kPrev},
      {"older", PageAttr::kPrev},
      {"next", PageAttr::kNext},
      {"newer", PageAttr::kNext},
      {"related", PageAttr::kRelated},
      // The writer's fields read as attributes too.
      {"outlet", PageAttr::kWriterField},
      {"original_url", PageAttr::kWriterField},
      {"original_date", PageAttr::kWriterField},
      {"original_title", PageAttr::kWriterField},
      {"standfirst", PageAttr::kWriterField},
      {"description", PageAttr::kWriterField},
  };
  return m;
}

class PageType final : public SlottedObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "page"; }
  bool dense_index(const void* self, size_t* index, size_t* count) const override;
  // The slot is the PageAttr, or -1 for a name that is none.
  int attribute_slot(std::string_view n) const override { return slot_of(page_attrs(), n); }
  TValue attribute_at(const void* self, int slot, std::string_view n) const override;
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const Page*>(self)->title;
  }
  bool truthy(const void*) const override { return true; }

 private:
  TValue canonical(const Page& p) const;
  TValue writer_field_or_taxonomy(const Page& p, int slot, std::string_view n) const;
};

class SectionType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "section"; }
  TValue attribute(const void* self, std::string_view n) const override;
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const Section*>(self)->name;
  }
  bool truthy(const void*) const override { return true; }
};

class TermType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "term"; }
  TValue attribute(const void* self, std::string_view n) const override;
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const Term*>(self)->name;
  }
  bool truthy(const void*) const override { return true; }
};

class TaxonomyType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "taxonomy"; }
  TValue attribute(const void* self, std::string_view n) const override;
  void append_str(const void* self, std::string& out) const override {
    out += static_cast<const Taxonomy*>(self)->config->name;
  }
  bool truthy(const void*) const override { return true; }
};

// site.taxonomies: name → taxonomy.
class TaxonomyMapType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "taxonomies"; }
  TValue attribute(const void* self, std::string_view n) const override;
  bool is_mapping(const void*) const override { return true; }
  std::vector<TValue> keys(const void* self) const override {
    std::vector<TValue> out;
    for (const Taxonomy& t : *static_cast<const std::vector<Taxonomy>*>(self))
      out.push_back(str_ref(t.config->name));
    return out;
  }
  size_t size(const void* self) const override {
    return static_cast<const std::vector<Taxonomy>*>(self)->size();
  }
};

class DateArchiveType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "archive"; }
  TValue attribute(const void* self, std::string_view n) const override;
  bool truthy(const void*) const override { return true; }
};

class PaginatorItemsType final : public SequenceType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "page list"; }
  size_t size(const void* self) const override {
    const Paginator& p = *static_cast<const Paginator*>(self);
    return p.of_appearances() ? p.appearance_items().size() : p.items().size();
  }
  TValue at(const void* self, size_t i) const override;
};

class PaginatorType final : public ObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "paginator"; }
  TValue attribute(const void* self, std::string_view n) const override;
  bool truthy(const void*) const override { return true; }

 private:
  TValue years(const Paginator& p) const;
  TValue urls(const Paginator& p) const;
};

enum class SiteAttr {
  kTitle,
  kBaseUrl,
  kBasePath,
  kLanguage,
  kDescription,
  kPosts,
  kHome,
  kSections,
  kTaxonomies,
  kDateArchives,
  kYearArchives,
  kParams,
  kAppearances,
  kAppearancesUrl,
  kArchiveContent,
  kAuthor,
  kFeeds,
  kFavicon,
  kSearch,
};

const std::unordered_map<std::string_view, SiteAttr>& site_attrs() {
  static const std::unordered_map<std::string_view, SiteAttr> m = {
      {"title", SiteAttr::kTitle},
      {"base_url", SiteAttr::kBaseUrl},
      {"url", SiteAttr::kBaseUrl},
      {"base_path", SiteAttr::kBasePath},
      {"language", SiteAttr::kLanguage},
      {"description", SiteAttr::kDescription},
      {"posts", SiteAttr::kPosts},
      {"home", SiteAttr::kHome},
      {"sections", SiteAttr::kSections},
      {"taxonomies", SiteAttr::kTaxonomies},
      {"date_archives", SiteAttr::kDateArchives},
      {"year_archives", SiteAttr::kYearArchives},
      {"params", SiteAttr::kParams},
      {"extra", SiteAttr::kParams},
      {"appearances", SiteAttr::kAppearances},
      {"appearances_url", SiteAttr::kAppearancesUrl},
      {"archive_content", SiteAttr::kArchiveContent},
      {"author", SiteAttr::kAuthor},
      {"feeds", SiteAttr::kFeeds},
      {"favicon", SiteAttr::kFavicon},
      {"search", SiteAttr::kSearch},
  };
  return m;
}

class SiteType final : public SlottedObjectType, SiteBound {
 public:
  using SiteBound::SiteBound;
  std::string_view type_name() const override { return "site"; }
  // The slot is the SiteAttr, or -1 for a name that is none.
  int attribute_slot(std::string_view n) const override { return slot_of(site_attrs(), n); }
  TValue attribute_at(const void* self, int slot, std::string_view n) const override;
  bool truthy(const void*) const override { return true; }
};

TValue author_dict(const SiteConfig& c) {
  TValue::Dict links;
  for (const auto& [label, url] : c.author.links) links.emplace_back(str_ref(label), str_ref(url));
  return TValue::dict({{TValue::string_ref("name"), str_ref(c.author.name)},
                       {TValue::string_ref("bio"), str_ref(c.author.bio)},
                       {TValue::string_ref("email"), str_ref(c.author.email)},
                       {TValue::string_ref("photo"), str_ref(c.author.photo)},
                       {TValue::string_ref("links"), TValue::dict(std::move(links))}});
}

TValue feeds_dict(const SiteConfig& c) {
  return TValue::dict({{TValue::string_ref("rss"), str_ref(c.feeds.rss)},
                       {TValue::string_ref("atom"), str_ref(c.feeds.atom)},
                       {TValue::string_ref("json"), str_ref(c.feeds.json)},
                       {TValue::string_ref("limit"), TValue::integer(c.feeds.limit)}});
}

}  // namespace

// Every type of one site, and what its objects share.
struct SiteObjects::Types {
  Types(const SiteObjects& objects, AppearanceProse prose)
      : objects(objects),
        site(objects.site()),
        prose(std::move(prose)),
        author(author_dict(*site.config)),
        feeds(feeds_dict(*site.config)) {}

  const SiteObjects& objects;
  const Site& site;
  AppearanceProse prose;
  // site.author and site.feeds, built once instead of on every read (a
  // post page reads site.author five times). Templates cannot change a
  // dict, so every page can share them.
  TValue author;
  TValue feeds;
  // paginator.urls is the same list for every page of one list; built once
  // per list (keyed by its base URL and page count) instead of once per
  // page, which made a list of P pages cost P * P URLs (10,000 home pages
  // at 100,000 posts). Template lists are immutable, so sharing one is safe.
  mutable std::mutex urls_mu;
  mutable std::map<std::pair<std::string, int>, TValue> urls;

  SiteType site_type{*this};
  PageType page{*this};
  PageTaxonomiesType page_taxonomies{*this};
  SectionType section{*this};
  TermType term{*this};
  TaxonomyType taxonomy{*this};
  TaxonomyMapType taxonomy_map{*this};
  DateArchiveType date_archive{*this};
  AppearanceType appearance{*this};
  PaginatorType paginator{*this};
  PaginatorItemsType paginator_items{*this};
  ModelVectorType<const Page*> page_vector{
      *this, "page list", [](const Types& t, const Page* const& p) { return t.objects.page(p); },
      Dep::kPageList};
  ModelVectorType<const Term*> term_vector{
      *this, "term list", [](const Types& t, const Term* const& p) { return t.objects.term(*p); }};
  ModelVectorType<Term> term_list{
      *this, "term list", [](const Types& t, const Term& term) { return t.objects.term(term); }};
  ModelVectorType<Section> section_vector{
      *this, "section list", [](const Types& t, const Section& s) { return t.objects.section(s); }};
  ModelVectorType<DateArchive> archive_vector{
      *this, "archive list",
      [](const Types& t, const DateArchive& a) { return t.objects.date_archive(a); }};
  ModelVectorType<const DateArchive*> archive_ptr_vector{
      *this, "archive list",
      [](const Types& t, const DateArchive* const& a) { return t.objects.date_archive(*a); }};
  ModelVectorType<Appearance> appearance_list{
      *this, "appearance list",
      [](const Types& t, const Appearance& a) { return t.objects.appearance(a); }};
  ModelVectorType<const Appearance*> appearance_ptr_list{
      *this, "appearance list",
      [](const Types& t, const Appearance* const& a) { return t.objects.appearance(*a); }};
  // site.appearances: the navigation asks only whether there are any.
  ModelVectorType<const Appearance*> site_appearances{
      *this, "appearance list",
      [](const Types& t, const Appearance* const& a) { return t.objects.appearance(*a); },
      Dep::kAppearances};
};

namespace {

TValue AppearanceType::attribute(const void* self, std::string_view n) const {
  const Appearance& a = *static_cast<const Appearance*>(self);
  const Site& site = types_.site;
  const SiteObjects& o = types_.objects;
  record_dep(Dep::kAppearances, nullptr, Dep::kMeta);
  if (n == "date") return datetime_ref(&a.date);
  if (n == "year") return TValue::integer(a.date.local().year);
  if (n == "outlet") {
    const Term* t = site.find_outlet(a.outlet);
    return str_ref(t ? t->name : a.outlet);
  }
  if (n == "outlet_term") {
    const Term* t = site.find_outlet(a.outlet);
    return t ? o.term(*t) : TValue::none();
  }
  if (n == "kind") return str_ref(a.kind);
  if (n == "verb") return types_.prose.verb(a);
  if (n == "topic") return str_ref(a.topic);
  if (n == "url") return str_ref(a.url);
  if (n == "language") return str_ref(a.language);
  if (n == "note") return str_ref(a.note);
  if (n == "id") return str_ref(a.id);
  if (n == "page") return o.page(a.page);
  if (n == "sentence") return types_.prose.sentence(a);
  if (n == "pickups") {
    TValue::List l;
    for (const Pickup& p : a.pickups) {
      const Term* t = site.find_outlet(p.outlet);
      l.push_back(
          TValue::dict({{TValue::string_ref("outlet"), str_ref(t ? t->name : p.outlet)},
                        {TValue::string_ref("outlet_term"), t ? o.term(*t) : TValue::none()},
                        {TValue::string_ref("url"), str_ref(p.url)},
                        {TValue::string_ref("language"), str_ref(p.language)},
                        {TValue::string_ref("note"), str_ref(p.note)}}));
    }
    return TValue::list(std::move(l));
  }
  return TValue::undefined("'appearance' has no attribute '" + std::string(n) + "'");
}

TValue PageTaxonomiesType::attribute(const void* self, std::string_view name) const {
  const Page* p = static_cast<const Page*>(self);
  record_dep(Dep::kPage, p, Dep::kMeta);
  const Site& site = types_.site;
  for (size_t t = 0; t < site.taxonomies.size(); ++t) {
    if (site.taxonomies[t].config->name == name)
      return TValue::object(&types_.term_vector, &site.terms_of(*p, t));
  }
  return TValue::undefined("taxonomy '" + std::string(name) + "' is not configured");
}

std::vector<TValue> PageTaxonomiesType::keys(const void*) const {
  std::vector<TValue> out;
  for (const Taxonomy& t : types_.site.taxonomies) out.push_back(str_ref(t.config->name));
  return out;
}

size_t PageTaxonomiesType::size(const void*) const { return types_.site.taxonomies.size(); }

// The site's pages by their place in it; a page object from elsewhere
// (a test's) is not numbered.
bool PageType::dense_index(const void* self, size_t* index, size_t* count) const {
  const std::vector<Page>& pages = types_.site.pages;
  const Page* p = static_cast<const Page*>(self);
  if (pages.empty() || p < pages.data() || p >= pages.data() + pages.size()) return false;
  *index = static_cast<size_t>(p - pages.data());
  *count = pages.size();
  return true;
}

// Where <link rel="canonical"> points: the original of a republished piece
// unless the site or the post says "self".
TValue PageType::canonical(const Page& p) const {
  const Site& site = types_.site;
  const Value* orig = p.params.find("original_url");
  bool original = p.canonical.empty() ? site.config->canonical_original : p.canonical == "original";
  if (!p.canonical.empty() && p.canonical != "original" && p.canonical != "self")
    return str_ref(p.canonical);
  if (original && orig && orig->is_string() && !orig->as_string().empty())
    return str_ref(orig->as_string());
  return absolute_url_value(site, p.permalink);
}

// Taxonomies by name (page.tags, page.categories, page.outlets), then the
// writer's fields from the front matter. A taxonomy named like a built-in
// attribute loses, as it always has.
TValue PageType::writer_field_or_taxonomy(const Page& p, int slot, std::string_view n) const {
  const Site& site = types_.site;
  for (size_t t = 0; t < site.taxonomies.size(); ++t) {
    if (site.taxonomies[t].config->name == n)
      return TValue::object(&types_.term_vector, &site.terms_of(p, t));
  }
  if (slot < 0) return TValue::undefined("'page' has no attribute '" + std::string(n) + "'");
  const Value* v = p.params.find(n);
  return v ? TValue::from_value(*v) : TValue::none();
}

// Which part of a page an attribute shows, for the incremental build: an
// edit to a post's body rebuilds what shows its body, not every list that
// shows its title.
Dep::Aspect aspect_of(PageAttr attr) {
  switch (attr) {
    case PageAttr::kCard:  // cut from the body's first image
    case PageAttr::kImages:
    case PageAttr::kContent:
    case PageAttr::kArticle:
    case PageAttr::kToc:
      return Dep::kContent;
    case PageAttr::kSummary:
    case PageAttr::kSummaryTruncated:
    case PageAttr::kIntro:
    case PageAttr::kWordCount:
    case PageAttr::kReadingTime:
      return Dep::kSummary;
    case PageAttr::kPrev:
    case PageAttr::kNext:
      return Dep::kNeighbours;
    default:
      return Dep::kMeta;
  }
}

// The images a page shows (its featured image first), as the build
// published them: each with its variants, for themes that lay pictures out
// themselves.
TValue page_images(const Site& site, const Page& p) {
  TValue::List list;
  if (!site.images) return TValue::list(std::move(list));
  std::vector<std::string_view> seen;
  for (const BodyInput& in : p.body_inputs) {
    if (in.site_path.empty() || !in.exists) continue;
    if (std::find(seen.begin(), seen.end(), in.site_path) != seen.end()) continue;
    seen.push_back(in.site_path);
    std::shared_ptr<const ProcessedImage> img = site.images->find(in.site_path);
    if (!img) continue;
    TValue::List variants;
    for (const ImageVariant& v : img->variants) {
      variants.push_back(TValue::dict(
          {{TValue::string_ref("url"), TValue::string(site.config->urls.relative(
                                           variant_path(in.site_path, v.width, v.format)))},
           {TValue::string_ref("width"), TValue::integer(v.width)},
           {TValue::string_ref("height"), TValue::integer(v.height)},
           {TValue::string_ref("format"), TValue::string(v.format)}}));
    }
    list.push_back(TValue::dict(
        {{TValue::string_ref("url"), TValue::string(site.config->urls.relative(in.site_path))},
         {TValue::string_ref("path"), TValue::string(in.site_path)},
         {TValue::string_ref("width"), img->width ? TValue::integer(img->width) : TValue::none()},
         {TValue::string_ref("height"),
          img->height ? TValue::integer(img->height) : TValue::none()},
         {TValue::string_ref("format"), TValue::string(std::string(format_name(img->format)))},
         {TValue::string_ref("processed"), TValue::boolean(img->processed())},
         {TValue::string_ref("variants"), TValue::list(std::move(variants))}}));
  }
  return TValue::list(std::move(list));
}

TValue PageType::attribute_at(const void* self, int slot, std::string_view n) const {
  const Page& p = *static_cast<const Page*>(self);
  const Site& site = types_.site;
  if (slot == static_cast<int>(PageAttr::kContent) ||
      slot == static_cast<int>(PageAttr::kArticle) || slot == static_cast<int>(PageAttr::kToc))
    site.ensure_body(p);
  if (DependencyRecorder::current()) {
    PageAttr attr = slot < 0 ? PageAttr::kWriterField : static_cast<PageAttr>(slot);
    record_dep(Dep::kPage, &p, aspect_of(attr));
    // The correction's text is front matter, its HTML is rendered with the
    // summary; the appearances are the site's, numbered across all pages.
    if (attr == PageAttr::kCorrection) record_dep(Dep::kPage, &p, Dep::kSummary);
    if (attr == PageAttr::kAppearances) record_dep(Dep::kAppearances, nullptr, Dep::kMeta);
    // Which posts are related depends on every post's text; the key's
    // fingerprint is the list's (render/render.cc), and what the template
    // shows of each post it records as it reads it.
    if (attr == PageAttr::kRelated) record_named_dep("related:" + p.rel_path);
  }
  if (slot < 0 || static_cast<PageAttr>(slot) == PageAttr::kWriterField)
    return writer_field_or_taxonomy(p, slot, n);
  switch (static_cast<PageAttr>(slot)) {
    case PageAttr::kTitle:
      return str_ref(p.title);
    case PageAttr::kContent:
      return safe_ref(p.content_html);
    case PageAttr::kSummary:
      return safe_ref(p.summary_html);
    case PageAttr::kSummaryTruncated:
      return TValue::boolean(p.summary_truncated);
    case PageAttr::kIntro:
      return p.intro_html.empty() ? TValue::none() : safe_ref(p.intro_html);
    case PageAttr::kArticle:
      if (p.article_offset == 0) return safe_ref(p.content_html);
      return TValue::safe(std::string(p.article_html()));
    case PageAttr::kAppearances:
      return TValue::object(&types_.appearance_list, &p.appearances);
    case PageAttr::kCanonical:
      return canonical(p);
    case PageAttr::kCorrection:
      if (p.correction.empty()) return TValue::none();
      return TValue::dict({{TValue::string_ref("text"), str_ref(p.correction)},
                           {TValue::string_ref("html"), safe_ref(p.correction_html)},
                           {TValue::string_ref("date"), date_or_none(p.correction_date)}});
    case PageAttr::kDate:
      return date_or_none(p.date);
    case PageAttr::kLastmod:
      return date_or_none(p.lastmod);
    case PageAttr::kUpdated:
      return p.lastmod ? datetime_ref(&*p.lastmod) : date_or_none(p.date);
    case PageAttr::kExpiryDate:
      return date_or_none(p.expiry_date);
    case PageAttr::kDraft:
      return TValue::boolean(p.draft);
    case PageAttr::kSlug:
      return str_ref(p.slug.empty() ? p.file_slug : p.slug);
    case PageAttr::kPath:
      return str_ref(p.permalink);
    case PageAttr::kUrl:
      return relative_url_value(site, p.permalink);
    case PageAttr::kPermalink:
      return absolute_url_value(site, p.permalink);
    case PageAttr::kKind:
      return TValue::string_ref(kind_name(p.kind));
    case PageAttr::kSection:
      return str_ref(p.section);
    case PageAttr::kParams:
      return TValue::from_value(p.params);
    case PageAttr::kToc:
      return TValue::object(&kTocVector, &p.toc);
    case PageAttr::kWordCount:
      return TValue::integer(static_cast<int64_t>(p.word_count));
    case PageAttr::kReadingTime:
      return TValue::integer(static_cast<int64_t>(std::max<size_t>(1, (p.word_count + 199) / 200)));
    case PageAttr::kWeight:
      return TValue::integer(p.weight);
    case PageAttr::kSourcePath:
      return str_ref(p.rel_path);
    case PageAttr::kTaxonomies:
      return TValue::object(&types_.page_taxonomies, &p);
    case PageAttr::kAliases: {
      TValue::List l;
      for (const std::string& a : p.aliases) l.push_back(str_ref(a));
      return TValue::list(std::move(l));
    }
    case PageAttr::kPrev:
      return types_.objects.page(site.prev_in_section[site.index_of(&p)]);
    case PageAttr::kNext:
      return types_.objects.page(site.next_in_section[site.index_of(&p)]);
    case PageAttr::kRelated:
      return types_.objects.pages(types_.objects.related(p));
    case PageAttr::kCard:
      if (p.card_path.empty()) return TValue::none();
      return absolute_url_value(site, p.card_path);
    case PageAttr::kImages:
      return page_images(site, p);
    case PageAttr::kWriterField:
      break;
  }
  return TValue::none();
}

TValue SectionType::attribute(const void* self, std::string_view n) const {
  const Section& s = *static_cast<const Section*>(self);
  const Site& site = types_.site;
  const SiteObjects& o = types_.objects;
  record_dep(Dep::kSection, &s, Dep::kMeta);
  // Its title and text are its _index.md's.
  if (s.index && (n == "title" || n == "content"))
    record_dep(Dep::kPage, s.index, n == "title" ? Dep::kMeta : Dep::kContent);
  if (n == "name") return str_ref(s.name);
  if (n == "title") {
    if (s.index && !s.index->title.empty()) return str_ref(s.index->title);
    std::string t = s.name;
    if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    return TValue::string(std::move(t));
  }
  if (n == "pages") return o.pages(s.pages);
  if (n == "content") {
    if (!s.index) return TValue::safe("");
    site.ensure_body(*s.index);
    return safe_ref(s.index->content_html);
  }
  if (n == "page") return o.page(s.index);
  if (n == "path") return str_ref(s.permalink);
  if (n == "url") return relative_url_value(site, s.permalink);
  if (n == "permalink") return absolute_url_value(site, s.permalink);
  if (n == "has_list") return TValue::boolean(s.has_list);
  return TValue::undefined("'section' has no attribute '" + std::string(n) + "'");
}

TValue TermType::attribute(const void* self, std::string_view n) const {
  const Term& t = *static_cast<const Term*>(self);
  const Site& site = types_.site;
  if (n == "count" || n == "post_count") {
    record_dep(Dep::kTerm, &t, Dep::kSize);
  } else if (n == "appearances") {
    record_dep(Dep::kAppearances, nullptr, Dep::kMeta);
  } else if (n != "pages") {  // the list records itself as it is read
    record_dep(Dep::kTerm, &t, Dep::kMeta);
  }
  if (n == "name") return str_ref(t.name);
  if (n == "slug") return str_ref(t.slug);
  if (n == "pages") return types_.objects.pages(t.pages);
  if (n == "count") return TValue::integer(static_cast<int64_t>(t.count()));
  if (n == "post_count") return TValue::integer(static_cast<int64_t>(t.pages.size()));
  if (n == "appearances") return TValue::object(&types_.appearance_ptr_list, &t.appearances);
  if (n == "home") return t.data && !t.data->url.empty() ? str_ref(t.data->url) : TValue::none();
  if (n == "data") return t.data ? TValue::from_value(t.data->fields) : TValue::dict({});
  if (n == "path") return str_ref(t.permalink);
  if (n == "url") return relative_url_value(site, t.permalink);
  if (n == "permalink") return absolute_url_value(site, t.permalink);
  return TValue::undefined("'term' has no attribute '" + std::string(n) + "'");
}

TValue TaxonomyType::attribute(const void* self, std::string_view n) const {
  const Taxonomy& t = *static_cast<const Taxonomy*>(self);
  const Site& site = types_.site;
  record_dep(Dep::kTaxonomy, &t, n == "terms" ? Dep::kMembers : Dep::kMeta);
  if (n == "name") return str_ref(t.config->name);
  if (n == "terms") return TValue::object(&types_.term_list, &t.terms);
  if (n == "path") return str_ref(t.permalink);
  if (n == "url") return relative_url_value(site, t.permalink);
  if (n == "permalink") return absolute_url_value(site, t.permalink);
  if (n == "feeds") return TValue::boolean(t.config->feeds);
  return TValue::undefined("'taxonomy' has no attribute '" + std::string(n) + "'");
}

TValue TaxonomyMapType::attribute(const void* self, std::string_view n) const {
  for (const Taxonomy& t : *static_cast<const std::vector<Taxonomy>*>(self))
    if (t.config->name == n) return types_.objects.taxonomy(t);
  return TValue::undefined("taxonomy '" + std::string(n) + "' is not configured");
}

TValue DateArchiveType::attribute(const void* self, std::string_view n) const {
  const DateArchive& a = *static_cast<const DateArchive*>(self);
  const Site& site = types_.site;
  if (n == "count") {
    record_dep(Dep::kPageList, &a.pages, Dep::kSize);
  } else if (n != "pages") {
    record_dep(Dep::kArchive, &a, Dep::kMeta);
  }
  if (n == "year") return TValue::integer(a.year);
  if (n == "month") return a.month ? TValue::integer(a.month) : TValue::none();
  if (n == "pages") return types_.objects.pages(a.pages);
  if (n == "count") return TValue::integer(static_cast<int64_t>(a.pages.size()));
  if (n == "path") return str_ref(a.permalink);
  if (n == "url") return relative_url_value(site, a.permalink);
  if (n == "permalink") return absolute_url_value(site, a.permalink);
  return TValue::undefined("'archive' has no attribute '" + std::string(n) + "'");
}

TValue PaginatorItemsType::at(const void* self, size_t i) const {
  const Paginator& p = *static_cast<const Paginator*>(self);
  return p.of_appearances() ? types_.objects.appearance(*p.appearance_items()[i])
                            : types_.objects.page(p.items()[i]);
}

TValue PaginatorType::attribute(const void* self, std::string_view n) const {
  const Paginator& p = *static_cast<const Paginator*>(self);
  const SiteUrls& site_urls = types_.site.config->urls;
  auto url = [&](int page) { return TValue::string(site_urls.relative(p.url_of(page))); };
  if (n == "pages" || n == "items") return TValue::object(&types_.paginator_items, &p);
  if (n == "number" || n == "current_index") return TValue::integer(p.number());
  if (n == "total_pages" || n == "number_pagers") return TValue::integer(p.total_pages());
  if (n == "per_page" || n == "paginate_by") return TValue::integer(p.per_page());
  if (n == "total_items") return TValue::integer(static_cast<int64_t>(p.total_items()));
  if (n == "has_prev") return TValue::boolean(p.has_prev());
  if (n == "has_next") return TValue::boolean(p.has_next());
  if (n == "prev_url" || n == "previous")
    return p.has_prev() ? url(p.number() - 1) : TValue::none();
  if (n == "next_url" || n == "next") return p.has_next() ? url(p.number() + 1) : TValue::none();
  if (n == "first_url" || n == "first") return url(1);
  if (n == "last_url" || n == "last") return url(p.total_pages());
  if (n == "base_url") return TValue::string(site_urls.relative(p.base()));
  if (n == "years") return years(p);
  if (n == "urls") return urls(p);
  return TValue::undefined("'paginator' has no attribute '" + std::string(n) + "'");
}

// The page's items grouped by year, newest first, for timelines.
TValue PaginatorType::years(const Paginator& p) const {
  const SiteObjects& o = types_.objects;
  std::vector<std::pair<int, TValue::List>> groups;
  auto add = [&](int year, TValue item) {
    if (groups.empty() || groups.back().first != year) groups.emplace_back(year, TValue::List{});
    groups.back().second.push_back(std::move(item));
  };
  if (p.of_appearances()) {
    for (const Appearance* a : p.appearance_items()) add(a->date.local().year, o.appearance(*a));
  } else {
    for (const Page* pg : p.items()) add(pg->date ? pg->date->local().year : 0, o.page(pg));
  }
  TValue::List l;
  for (auto& [year, items] : groups) {
    l.push_back(TValue::dict({{TValue::string_ref("year"), TValue::integer(year)},
                              {TValue::string_ref("items"), TValue::list(std::move(items))}}));
  }
  return TValue::list(std::move(l));
}

TValue PaginatorType::urls(const Paginator& p) const {
  std::lock_guard<std::mutex> lock(types_.urls_mu);
  TValue& cached = types_.urls[{p.base(), p.total_pages()}];
  if (cached.is_undefined()) {
    const SiteUrls& urls = types_.site.config->urls;
    TValue::List l;
    for (int i = 1; i <= p.total_pages(); ++i)
      l.push_back(TValue::string(urls.relative(p.url_of(i))));
    cached = TValue::list(std::move(l));
  }
  return cached;
}

TValue SiteType::attribute_at(const void* self, int slot, std::string_view n) const {
  const Site& s = *static_cast<const Site*>(self);
  const SiteConfig& c = *s.config;
  const SiteObjects& o = types_.objects;
  if (slot < 0) return TValue::undefined("'site' has no attribute '" + std::string(n) + "'");
  switch (static_cast<SiteAttr>(slot)) {
    case SiteAttr::kTitle:
      return str_ref(c.title);
    case SiteAttr::kBaseUrl:
      return str_ref(c.urls.base_url());
    case SiteAttr::kBasePath:
      return str_ref(c.urls.base_path());
    case SiteAttr::kLanguage:
      return str_ref(c.language);
    case SiteAttr::kDescription:
      return str_ref(c.description);
    case SiteAttr::kPosts:
      return o.pages(s.posts);
    case SiteAttr::kHome:
      // Which page it is, or that there is none, as get_page() records
      // its lookups: a content/_index.md added later is a change too.
      record_named_dep("lookup:_index.md");
      return o.page(s.home);
    case SiteAttr::kSections:
      record_dep(Dep::kSections, nullptr, Dep::kMembers);
      return TValue::object(&types_.section_vector, &s.sections);
    case SiteAttr::kTaxonomies:
      return TValue::object(&types_.taxonomy_map, &s.taxonomies);
    case SiteAttr::kDateArchives:
      record_dep(Dep::kArchives, nullptr, Dep::kMembers);
      return TValue::object(&types_.archive_vector, &s.date_archives);
    case SiteAttr::kYearArchives:
      record_dep(Dep::kArchives, nullptr, Dep::kMembers);
      return TValue::object(&types_.archive_ptr_vector, &s.year_archives);
    case SiteAttr::kParams:
      return TValue::from_value(c.params);
    case SiteAttr::kAppearances:
      return TValue::object(&types_.site_appearances, &s.appearances);
    case SiteAttr::kAppearancesUrl:
      return TValue::string(c.urls.relative(c.appearances.url));
    case SiteAttr::kArchiveContent:
      return str_ref(c.archive_content);
    case SiteAttr::kAuthor:
      return types_.author;
    case SiteAttr::kFeeds:
      return types_.feeds;
    case SiteAttr::kFavicon:
      return str_ref(c.favicon);
    case SiteAttr::kSearch:
      // The search page and the index's manifest, or none when [search]
      // is off (config is part of every output's environment).
      if (!c.search.enabled) return TValue::none();
      return TValue::dict(
          {{TValue::string_ref("url"), TValue::string(c.urls.relative(c.search.url))},
           {TValue::string_ref("index"),
            TValue::string(c.urls.relative(c.search.url + "index.json"))},
           {TValue::string_ref("script"), TValue::string(c.urls.relative("/search.js"))}});
  }
  return TValue::undefined("'site' has no attribute '" + std::string(n) + "'");
}

}  // namespace

SiteObjects::SiteObjects(const Site& site, AppearanceProse prose)
    : site_(site), types_(std::make_unique<Types>(*this, std::move(prose))) {}
SiteObjects::~SiteObjects() = default;

TValue SiteObjects::site_object() const { return TValue::object(&types_->site_type, &site_); }
TValue SiteObjects::page(const Page* page) const {
  return page ? TValue::object(&types_->page, page) : TValue::none();
}
const std::vector<const Page*>& SiteObjects::related(const Page& page) const {
  static const std::vector<const Page*> kNone;
  size_t i = site_.index_of(&page);
  return i < related_.size() ? related_[i] : kNone;
}
TValue SiteObjects::pages(const std::vector<const Page*>& pages) const {
  return TValue::object(&types_->page_vector, &pages);
}
TValue SiteObjects::section(const Section& section) const {
  return TValue::object(&types_->section, &section);
}
TValue SiteObjects::taxonomy(const Taxonomy& taxonomy) const {
  return TValue::object(&types_->taxonomy, &taxonomy);
}
TValue SiteObjects::term(const Term& term) const { return TValue::object(&types_->term, &term); }
TValue SiteObjects::date_archive(const DateArchive& a) const {
  return TValue::object(&types_->date_archive, &a);
}
TValue SiteObjects::appearance(const Appearance& a) const {
  return TValue::object(&types_->appearance, &a);
}
TValue SiteObjects::paginator(const Paginator& p) const {
  return TValue::object(&types_->paginator, &p);
}

const Page* SiteObjects::as_page(const TValue& v) const {
  if (!v.is_object() || v.object_type() != &types_->page) return nullptr;
  return static_cast<const Page*>(v.object_self());
}

}  // namespace byline
