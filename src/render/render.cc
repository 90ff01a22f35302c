// Deciding the outputs, then rendering them in parallel into the publisher.
#include "render/render.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/hash.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "images/image_set.h"
#include "images/size_plan.h"
#include "render/appearance_feeds.h"
#include "render/feeds.h"
#include "render/search_outputs.h"
#include "render/site_templates.h"
#include "site/paginator.h"
#include "templates/template_byline.h"
#include "templates/template_output_cache.h"

namespace byline {

namespace {

// One file to produce: `make` renders its bytes (false on error, reported);
// for files copied as they are, `copy_from` is set instead. A content
// page's own output holds only the page: its path and origin are the
// page's, and the plan renders it from the page alone. Those are most of a
// site's outputs, and the plan holds them all until each is written (at
// 100,000 posts a closure, path and origin per page were ~50 MB).
struct Output {
  std::string what;            // for collisions: "the date archive", "a feed", …
  const Page* page = nullptr;  // the content page this output is (its `what` is made from it)
  // Renders the output; it is handed its Output, so that what an output
  // already holds (its origin) is not copied into the closure as well.
  std::function<bool(const Output&, std::string*)> make;
  std::filesystem::path copy_from;
  std::string own_path;       // when not a page's
  SourceLocation own_origin;  // when not a page's
  // For the incremental build: how the output is made (an output whose
  // recipe changed is made again), and what it is made from that the plan
  // knows (the list a paginated page shows); its render records the rest.
  std::string own_recipe;  // when not a page's
  DepList deps;

  std::string_view path() const { return page ? page->output_path : own_path; }
  const SourceLocation& origin() const { return page ? page->url_origin : own_origin; }
  std::string recipe() const { return page ? "page " + page->rel_path : own_recipe; }
};

// A list's alternate feeds, for <link rel="alternate"> in its pages.
TValue feed_links(const Site& site, const std::string& base, const std::string& title) {
  const FeedsConfig& f = site.config->feeds;
  TValue::List links;
  const std::pair<const std::string*, const char*> kinds[] = {{&f.rss, "application/rss+xml"},
                                                              {&f.atom, "application/atom+xml"},
                                                              {&f.json, "application/feed+json"}};
  for (const auto& [name, type] : kinds) {
    if (name->empty()) continue;
    links.push_back(TValue::dict(
        {{TValue::string_ref("type"), TValue::string_ref(type)},
         {TValue::string_ref("url"), TValue::string(site.config->urls.absolute(base + *name))},
         {TValue::string_ref("title"), TValue::string(title)}}));
  }
  return TValue::list(std::move(links));
}

}  // namespace

std::string redirects_file(const std::vector<std::pair<std::string, std::string>>& redirects) {
  std::string out;
  for (const auto& [from, to] : redirects) {
    size_t q = from.find('?');
    if (q == std::string::npos) {
      out += from + " " + to + " 301\n";
      continue;
    }
    // Netlify matches query parameters written after the path as key=value
    // words, and needs "!" because a page exists at the path itself.
    // Cloudflare cannot match queries and skips such lines.
    out += from.substr(0, q);
    for (std::string_view param : split(std::string_view(from).substr(q + 1), '&')) {
      if (!param.empty()) out += " " + std::string(param);
    }
    out += " " + to + " 301!\n";
  }
  return out;
}

namespace {

class OutputPlan {
 public:
  OutputPlan(const Site& site, const Theme& theme, const std::filesystem::path& site_dir,
             SiteTemplates& templates, DiagnosticSink& sink, RenderStats* stats)
      : site_(site),
        theme_(theme),
        site_dir_(site_dir),
        templates_(templates),
        objects_(templates.objects()),
        sink_(&sink),
        stats_(stats) {}

  std::vector<Output> outputs;
  std::vector<SitemapEntry> sitemap;
  const Site& site() const { return site_; }
  // Where the outputs' errors go: the build's sink, or a later one's
  // (KeptRender::remake()).
  void set_sink(DiagnosticSink* sink) { sink_ = sink; }
  // The search index's files not written (see plan_search()).
  void release_search_files() {
    std::vector<SearchFile>().swap(search_files_);
    search_taken_.assign(search_taken_.size(), 1);
  }
  std::vector<std::pair<std::string, std::string>> redirects;
  // Fingerprints of the keys only the plan can compute (plan_key).
  std::unordered_map<std::string, uint64_t> plan_fingerprints;
  // RenderOptions::search and searched.
  std::function<SiteSearch(const Site&)> search;
  std::function<void(const Site&, const SiteSearch&)> searched;
  std::function<bool()> cancelled;  // RenderOptions::cancelled
  bool gave_up = false;             // the search analysis was cancelled

  void plan() {
    const SiteConfig& c = *site_.config;
    // The search's analysis comes first: it is a full build's height of
    // memory, and the outputs' plan (~190 MB at 100,000 posts) need not
    // be beside it. Its files take their place among the outputs below.
    if (c.search.enabled || c.search.related > 0) {
      search_site();
      if (gave_up) return;
    }
    // Every page links the site's feeds, as WordPress pages do.
    home_feeds_ = feed_links(site_, "/", c.title);
    for (const Page& p : site_.pages) {
      if (!p.is_regular()) continue;
      outputs.emplace_back().page = &p;  // labelled "the page <file>" only if it collides
      ++stats_->pages;
      sitemap.push_back({p.permalink, p.lastmod ? &*p.lastmod : (p.date ? &*p.date : nullptr)});
      plan_resources(p);
      plan_aliases(p);
    }
    // The home page's and sections' own text may carry aliases too (an
    // imported static front page keeps its ?page_id=).
    if (site_.home) plan_aliases(*site_.home);
    for (const Section& s : site_.sections) {
      if (s.index && s.has_list) plan_aliases(*s.index);
    }
    std::string home_title = site_.home && !site_.home->title.empty() ? site_.home->title : c.title;
    add_list(site_.posts, c.paginate, "/", home_title, "index.html", "home", true,
             [this](TemplateContext& ctx) { ctx.set("page", objects_.page(site_.home)); });
    for (const Section& s : site_.sections) {
      if (!s.has_list) continue;
      std::string title = s.index && !s.index->title.empty() ? s.index->title : s.name;
      add_list(s.pages, s.paginate, s.permalink, title, "section.html", "section", true,
               [this, &s](TemplateContext& ctx) {
                 ctx.set("section", objects_.section(s));
                 ctx.set("page", objects_.page(s.index));
               });
    }
    for (const DateArchive& a : site_.date_archives) {
      add_list(a.pages, c.paginate, a.permalink, a.permalink, "archive.html", "archive", false,
               [this, &a](TemplateContext& ctx) { ctx.set("archive", objects_.date_archive(a)); });
    }
    for (const Taxonomy& tax : site_.taxonomies) {
      if (tax.terms.empty()) continue;
      emit_template(tax.permalink.substr(1) + "index.html", tax.config->location, "taxonomy.html",
                    "taxonomy", tax.permalink, [this, &tax](TemplateContext& ctx) {
                      ctx.set("taxonomy", objects_.taxonomy(tax));
                    });
      label("the " + tax.config->name + " list " + tax.permalink);
      made_by("taxonomy " + tax.config->name);
      ++stats_->list_pages;
      sitemap.push_back({tax.permalink, nullptr});
      for (const Term& term : tax.terms) {
        add_list(term.pages, tax.paginate, term.permalink, term.name, "term.html", "term",
                 tax.config->feeds, [this, &tax, &term](TemplateContext& ctx) {
                   ctx.set("taxonomy", objects_.taxonomy(tax));
                   ctx.set("term", objects_.term(term));
                 });
      }
    }
    if (!site_.appearances.empty()) plan_appearances();
    plan_images();
    if (c.search.enabled || c.search.related > 0) plan_search();
    plan_site_files();
  }

 private:
  using ContextFill = std::function<void(TemplateContext&)>;

  void emit(std::string path, SourceLocation origin,
            std::function<bool(const Output&, std::string*)> make) {
    Output& o = outputs.emplace_back();
    o.own_path = std::move(path);
    o.own_origin = std::move(origin);
    o.make = std::move(make);
  }
  void copy(std::string path, SourceLocation origin, std::filesystem::path from) {
    Output& o = outputs.emplace_back();
    o.own_path = std::move(path);
    o.own_origin = std::move(origin);
    o.copy_from = std::move(from);
  }

  // Renders template `name` for the output at site path `url_path`. The
  // context is filled when the output is rendered, on a worker thread.
  void emit_template(std::string out_path, SourceLocation origin, const char* name,
                     const char* kind, std::string url_path, ContextFill fill,
                     TValue feeds = TValue::list({})) {
    emit(std::move(out_path), std::move(origin),
         [this, name, kind, url_path, fill, feeds](const Output& o, std::string* out) {
           return render_template(name, kind, url_path, fill, feeds, o, out);
         });
  }

 public:
  // Renders a content page's own output (Output::page).
  bool render_page(const Output& o, std::string* out) const {
    const Page& p = *o.page;
    bool post = p.kind == PageKind::kPost;
    return render_template(
        post ? "post.html" : "page.html", post ? "post" : "page", p.permalink,
        [this, &p](TemplateContext& ctx) { ctx.set("page", objects_.page(&p)); }, home_feeds_, o,
        out);
  }

 private:
  bool render_template(const char* name, const char* kind, std::string_view url_path,
                       const ContextFill& fill, const TValue& feeds, const Output& o,
                       std::string* out) const {
    TemplateContext ctx;
    ctx.set("site", objects_.site_object());
    ctx.set("kind", TValue::string_ref(kind));
    ctx.set("feeds", feeds);
    ctx.set("current_url", TValue::string(site_.config->urls.absolute(url_path)));
    ctx.set("page", TValue::none());
    fill(ctx);
    Diagnostic error;
    // An error is said to happen while rendering the page's file, or, for
    // a list page, a feed or an alias, the address it is rendered for.
    std::string_view rendering =
        o.page || url_path.empty() ? std::string_view(o.origin().path) : url_path;
    if (templates_.engine().render(name, ctx, out, &error, rendering)) return true;
    if (!error.location.path.empty()) {
      error.location.path = templates_.display_path(error.location.path);
    }
    sink_->report(std::move(error));
    return false;
  }

  void add_list(const std::vector<const Page*>& pages, int per_page, const std::string& base,
                const std::string& title, const char* tpl, const char* kind, bool feeds,
                ContextFill fill) {
    Paginator first(pages, per_page, base);
    std::string feed_title =
        title == site_.config->title ? title : title + " | " + site_.config->title;
    TValue links = feeds ? feed_links(site_, base, feed_title) : TValue::list({});
    for (int n = 1; n <= first.total_pages(); ++n) {
      auto pager = std::make_shared<Paginator>(first.at(n));
      emit_template(
          pager->output_path_of(n), SourceLocation(), tpl, kind, pager->url_of(n),
          [this, fill, pager](TemplateContext& ctx) {
            fill(ctx);
            ctx.set("paginator", objects_.paginator(*pager));
          },
          links);
      std::string_view k = kind;
      label((k == "archive" ? std::string("the date archive")
             : k == "home"  ? std::string("the home page")
                            : "the " + std::string(k) + " page") +
            " " + pager->url_of(n));
      made_by("list " + std::string(tpl) + " " + base + " " + std::to_string(n) + " " +
                  std::to_string(per_page) + " " + feed_title,
              {{Dep::kPageList, Dep::kMembers, &pages}});
      ++stats_->list_pages;
    }
    sitemap.push_back({base, pages.empty() || !pages[0]->date ? nullptr : &*pages[0]->date});
    if (!feeds) return;
    const FeedsConfig& fc = site_.config->feeds;
    const std::pair<const std::string*, std::string (*)(const Site&, const FeedSpec&)> kinds[] = {
        {&fc.rss, render_rss}, {&fc.atom, render_atom}, {&fc.json, render_json_feed}};
    static const char* const kTemplates[] = {"rss.xml", "atom.xml", "feed.json"};
    for (size_t k = 0; k < 3; ++k) {
      const std::string& name = *kinds[k].first;
      if (name.empty()) continue;
      FeedSpec spec;
      spec.title = feed_title;
      spec.list_path = base;
      spec.self_path = base + name;
      spec.pages = pages;
      ++stats_->feeds;
      if (!templates_.overridden(kTemplates[k])) {
        auto render = kinds[k].second;
        emit(spec.self_path.substr(1), SourceLocation(),
             [this, spec, render](const Output&, std::string* out) {
               *out = render(site_, spec);
               return true;
             });
        label("the feed " + spec.self_path);
        std::vector<Dep> deps = {{Dep::kPageList, Dep::kMembers, &pages}};
        add_items(&deps, std::span(pages).first(std::min<size_t>(pages.size(), fc.limit)));
        // And on the template's absence: one added later replaces this feed.
        made_by("feed " + std::string(kTemplates[k]) + " " + spec.self_path + " " + feed_title,
                std::move(deps), {"template:" + std::string(kTemplates[k])});
        continue;
      }
      // A site or theme template replaces the built-in feed.
      auto items = std::make_shared<std::vector<const Page*>>(
          pages.begin(), pages.begin() + std::min<size_t>(pages.size(), fc.limit));
      const DateTime* updated = nullptr;
      for (const Page* p : *items) {
        const DateTime* d = p->lastmod ? &*p->lastmod : (p->date ? &*p->date : nullptr);
        if (d && (!updated || *updated < *d)) updated = d;
      }
      std::string list_url = site_.config->urls.absolute(base);
      std::string feed_url = site_.config->urls.absolute(spec.self_path);
      emit_template(
          spec.self_path.substr(1), SourceLocation(), kTemplates[k], "feed", spec.self_path,
          [this, items, updated, feed_title, list_url, feed_url](TemplateContext& ctx) {
            ctx.set("feed",
                    TValue::dict({{TValue::string_ref("title"), TValue::string(feed_title)},
                                  {TValue::string_ref("url"), TValue::string(list_url)},
                                  {TValue::string_ref("feed_url"), TValue::string(feed_url)},
                                  {TValue::string_ref("pages"), objects_.pages(*items)},
                                  {TValue::string_ref("updated"),
                                   updated ? datetime_ref(updated) : TValue::none()}}));
          });
      // Its items and their dates are the list's; the template's reads of
      // them are recorded as it renders.
      std::vector<Dep> deps = {{Dep::kPageList, Dep::kMembers, &pages}};
      for (const Page* p : *items) deps.push_back({Dep::kPage, Dep::kMeta, p});
      made_by("feed " + std::string(kTemplates[k]) + " " + spec.self_path + " " + feed_title,
              std::move(deps));
    }
  }

  // The appearances timeline, paginated, and its feeds.
  void plan_appearances() {
    const SiteConfig& c = *site_.config;
    const AppearancesConfig& ac = c.appearances;
    Paginator first(std::span<const Appearance* const>(site_.appearances),
                    ac.paginate > 0 ? ac.paginate : c.paginate, ac.url);
    std::string feed_title = ac.title + " | " + c.title;
    TValue links = ac.feeds ? feed_links(site_, ac.url, feed_title) : TValue::list({});
    for (int n = 1; n <= first.total_pages(); ++n) {
      auto pager = std::make_shared<Paginator>(first.at(n));
      emit_template(
          pager->output_path_of(n), SourceLocation(), "appearances.html", "appearances",
          pager->url_of(n),
          [this, pager](TemplateContext& ctx) { ctx.set("paginator", objects_.paginator(*pager)); },
          links);
      label("the appearances page " + pager->url_of(n));
      made_by("appearances " + std::to_string(n) + " " + std::to_string(first.per_page()),
              {{Dep::kAppearances, Dep::kMembers, nullptr}});
      ++stats_->list_pages;
    }
    sitemap.push_back({ac.url, &site_.appearances.front()->date});
    if (!ac.feeds) return;
    const std::pair<const std::string*, FeedFormat> kinds[] = {{&c.feeds.rss, FeedFormat::kRss},
                                                               {&c.feeds.atom, FeedFormat::kAtom},
                                                               {&c.feeds.json, FeedFormat::kJson}};
    for (const auto& kind : kinds) {
      if (kind.first->empty()) continue;
      // Named, not a structured binding: clang 14 cannot capture those.
      const FeedFormat format = kind.second;
      std::string self = ac.url + *kind.first;
      emit(self.substr(1), SourceLocation(), [this, format, self](const Output&, std::string* out) {
        auto sentence = [this](const Appearance& a, std::string* html, Diagnostic* error) {
          return templates_.appearance_sentence(a, /*absolute_links=*/true, html, error);
        };
        Diagnostic error;
        if (render_appearance_feed(site_, format, self, sentence, out, &error)) return true;
        error.location.path = templates_.display_path(error.location.path);
        sink_->report(std::move(error));
        return false;
      });
      label("the feed " + self);
      // What a feed's items show of the appearances' posts and outlets.
      std::vector<Dep> deps = {{Dep::kAppearances, Dep::kMembers, nullptr}};
      for (const Appearance* a : site_.appearances) {
        if (a->page) deps.push_back({Dep::kPage, Dep::kMeta, a->page});
        if (const Term* t = site_.find_outlet(a->outlet))
          deps.push_back({Dep::kTerm, Dep::kMeta, t});
        for (const Pickup& p : a->pickups)
          if (const Term* t = site_.find_outlet(p.outlet))
            deps.push_back({Dep::kTerm, Dep::kMeta, t});
      }
      made_by("appearance-feed " + self, std::move(deps));
      ++stats_->feeds;
    }
  }

  // The search page and the index's files, and the related posts, made
  // from one analysis of the searchable text. The index is made here, at
  // plan time, because its files are named by their content: a chunk whose
  // bytes are unchanged keeps its name and is not made again; one that
  // changed is a new file, and the old one goes with the last build.
  void search_site() {
    auto start = std::chrono::steady_clock::now();
    SiteSearch made = search ? search(site_) : site_search(site_, {}, cancelled);
    if (made.cancelled) {
      gave_up = true;
      return;
    }
    if (searched) searched(site_, made);
    search_files_ = std::move(made.files);
    search_taken_.assign(search_files_.size(), 0);
    related_ = made.related;
    templates_.objects().set_related(std::move(made.related));
    stats_->search_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats_->search_analyse = made.t_analyse;
    stats_->search_related = made.t_related;
    stats_->search_index = made.t_index;
    stats_->search_cpu = made.cpu;
  }
  // The outputs of the search made by search_site().
  void plan_search() {
    const SearchConfig& sc = site_.config->search;
    if (!sc.enabled) return;
    for (size_t i = 0; i < search_files_.size(); ++i) {
      const SearchFile& f = search_files_[i];
      std::string key = plan_key("search:" + f.path, hash_bytes(f.bytes));
      emit(f.path, SourceLocation(), [this, i](const Output& o, std::string* out) {
        // Made once: its bytes go as they are written (the plan outlives
        // the render in `byline serve`, which never makes one again: a
        // changed index is a build's).
        if (search_taken_[i]) {
          sink_->error({"", 0, 0}, "the search index's " + o.own_path + " was already written");
          return false;
        }
        search_taken_[i] = 1;
        SearchFile file = std::move(search_files_[i]);
        *out = std::move(file).file_bytes();
        return true;
      });
      label("the search index's " + f.path);
      made_by("search " + f.path, {}, {std::move(key)});
      ++stats_->other;
    }
    // A page of the site's own at the search page's URL (a WordPress
    // blog's "Search" page, imported) keeps its place: nothing is lost,
    // and the box's form lands there.
    const std::string page_path = sc.url.substr(1) + "index.html";
    for (const Page& p : site_.pages) {
      if (p.is_regular() && p.output_path == page_path) {
        sink_->report({Severity::kWarning, p.url_origin,
                       "this page's URL " + p.permalink +
                           " is the search page's: the page is kept and the built-in search page "
                           "left out (set [search] url to put it elsewhere)",
                       p.url_line});
        return;
      }
    }
    emit_template(page_path, SourceLocation(), "search.html", "search", sc.url,
                  [](TemplateContext&) {});
    label("the search page " + sc.url);
    made_by("search page " + sc.url);
    ++stats_->other;
  }

 public:
  // The fingerprint of "related:<page's rel_path>", which page.related
  // records: the related posts, in order.
  bool related_fingerprint(std::string_view key, uint64_t* out) {
    if (!key.starts_with("related:")) return false;
    std::call_once(related_index_once_, [this] {
      for (size_t i = 0; i < site_.pages.size(); ++i)
        related_index_.emplace(site_.pages[i].rel_path, i);
    });
    Hasher h;
    auto it = related_index_.find(key.substr(8));
    if (it != related_index_.end() && it->second < related_.size())
      for (const Page* p : related_[it->second]) h.add(p->rel_path);
    *out = h.digest();
    return true;
  }

 private:
  void plan_resources(const Page& p) {
    if (p.resources.empty()) return;
    std::string out_dir = p.output_path.substr(0, p.output_path.rfind('/') + 1);
    for (const std::string& rel : p.resources) {
      std::string inside = rel.substr(p.rel_dir.size() + 1);
      std::filesystem::path src = std::filesystem::path(p.source_path).parent_path() / inside;
      SourceLocation origin;
      origin.path = p.source_path;
      copy(out_dir + inside, origin, src);
      label("a file of the bundle " + p.rel_path);
      made_by("copy " + src.generic_string(), {}, {file_key(src)});
      ++stats_->static_files;
    }
  }

  // The variants of every processed image, beside the image. Their cache
  // file's name holds the hash of the source's bytes and the settings, so
  // the recipe changes whenever what they are made from does.
  void plan_images() {
    if (!site_.images) return;
    for (const ImageSet::Published& img : site_.images->published()) {
      if (!img.image->processed()) continue;
      SourceLocation origin;
      origin.path = img.file.string();
      for (const ImageVariant& v : img.image->variants) {
        copy(variant_path(img.site_path, v.width, v.format).substr(1), origin, v.file);
        label("a size of the image " + img.site_path);
        made_by("image " + v.file.generic_string());
        ++stats_->images;
      }
    }
    for (const auto& [site_path, file] : site_.images->cards()) {
      copy(site_path.substr(1), SourceLocation(), file);
      label("the social card " + site_path);
      made_by("image " + file.generic_string());
      ++stats_->images;
    }
  }

  void plan_aliases(const Page& p) {
    const Value* field = p.params.find("aliases");
    if (!field) field = p.params.find("redirect_from");
    for (size_t i = 0; i < p.aliases.size(); ++i) {
      std::string alias = p.aliases[i];
      SourceLocation origin;
      origin.path = p.source_path;
      if (field && field->is_list() && i < field->as_list().size()) {
        origin.line = field->as_list()[i].line;
        origin.column = field->as_list()[i].column;
      }
      if (alias.empty()) continue;
      if (alias.front() != '/') alias.insert(alias.begin(), '/');
      redirects.push_back({alias, p.permalink});
      if (alias.find('?') != std::string::npos) continue;  // only a server can redirect queries
      std::string last = alias.substr(alias.rfind('/') + 1);
      std::string file = !last.empty() && last.find('.') != std::string::npos
                             ? alias.substr(1)
                             : (alias.back() == '/' ? alias : alias + "/").substr(1) + "index.html";
      std::string target = site_.config->urls.absolute(p.permalink);
      emit_template(file, origin, "alias.html", "alias", alias,
                    [this, &p, target](TemplateContext& ctx) {
                      ctx.set("page", objects_.page(&p));
                      ctx.set("target", TValue::string(target));
                    });
      label("an alias of " + p.rel_path);
      made_by("alias " + alias + " " + p.rel_path + " " + target, {{Dep::kPage, Dep::kMeta, &p}});
      ++stats_->aliases;
    }
  }

  void plan_site_files() {
    std::set<std::string> taken;
    for (const StaticFile& f : site_.files) {
      SourceLocation origin;
      origin.path = f.display;
      copy(f.output_path, origin, f.source);
      label("the file " + f.display);
      made_by("copy " + f.source.generic_string(), {}, {file_key(f.source)});
      taken.insert(f.output_path);
      ++stats_->static_files;
    }
    // Then the theme's static files, then the built-in theme's; the site's
    // own file of the same name wins.
    for (Theme::StaticFile& f : theme_.theme_static_files()) {
      if (!taken.insert(f.rel).second) continue;
      if (f.file.layer == Theme::Layer::kBuiltin) {
        std::string_view data = f.file.data;
        std::string recipe = "builtin " + f.rel;
        emit(std::move(f.rel), SourceLocation(), [data](const Output&, std::string* out) {
          out->assign(data);
          return true;
        });
        made_by(std::move(recipe));
      } else {
        SourceLocation origin;
        origin.path = f.file.path.string();
        std::string what = "the theme's file " + f.rel;
        std::string source = file_key(f.file.path);
        std::string recipe = "copy " + f.file.path.generic_string();
        copy(std::move(f.rel), origin, std::move(f.file.path));
        label(std::move(what));
        made_by(std::move(recipe), {}, {std::move(source)});
      }
      ++stats_->static_files;
    }
    if (!taken.count("404.html")) {
      emit_template("404.html", SourceLocation(), "404.html", "404", "/404.html",
                    [](TemplateContext&) {});
      made_by("404");
      ++stats_->other;
    }
    // The sitemap's files are planned once the plan is complete, because
    // their names depend on how many URLs there are, and each is rendered
    // with the other outputs, on whichever thread takes it.
    std::vector<std::string> names = sitemap_names(sitemap.size());
    Hasher entries;
    for (const SitemapEntry& e : sitemap)
      entries.add(e.path).add_signed(e.lastmod ? e.lastmod->utc_seconds : INT64_MIN);
    const uint64_t sitemap_hash = entries.digest();
    for (size_t n = 0; n < names.size(); ++n) {
      std::string recipe = "sitemap " + names[n] + " " + std::to_string(names.size());
      emit(std::move(names[n]), SourceLocation(), [this, n](const Output&, std::string* out) {
        *out = render_sitemap(site_, sitemap, n);
        return true;
      });
      made_by(std::move(recipe), {}, {plan_key("sitemap", sitemap_hash)});
      ++stats_->other;
    }
    if (!taken.count("robots.txt")) {
      emit("robots.txt", SourceLocation(), [this](const Output&, std::string* out) {
        *out = "User-agent: *\nAllow: /\nSitemap: " + site_.config->urls.absolute("/sitemap.xml") +
               "\n";
        return true;
      });
      made_by("robots");
      ++stats_->other;
    }
    if (!redirects.empty() && !taken.count("_redirects")) {
      emit("_redirects", SourceLocation(), [this](const Output&, std::string* out) {
        *out = redirects_file(redirects);
        return true;
      });
      made_by("redirects", {}, {plan_key("redirects", hash_bytes(redirects_file(redirects)))});
      ++stats_->other;
    }
  }

  // Names what the last output is, for collision diagnostics.
  void label(std::string what) { outputs.back().what = std::move(what); }
  // Says how the last output is made and what the plan knows it is made
  // from (see Output::own_recipe).
  void made_by(std::string recipe, std::vector<Dep> deps = {},
               std::vector<std::string> named = {}) {
    outputs.back().own_recipe = std::move(recipe);
    outputs.back().deps.deps = std::move(deps);
    outputs.back().deps.named = std::move(named);
  }
  // A dependency on a key only the plan can fingerprint.
  std::string plan_key(std::string key, uint64_t fingerprint) {
    plan_fingerprints[key] = fingerprint;
    return key;
  }
  // The dependencies of a feed on the pages it shows, whole.
  static void add_items(std::vector<Dep>* deps, std::span<const Page* const> items) {
    for (const Page* p : items) {
      for (Dep::Aspect a : {Dep::kMeta, Dep::kSummary, Dep::kContent})
        deps->push_back({Dep::kPage, a, p});
    }
  }
  // A copied file's: its source, by its place in the site.
  std::string file_key(const std::filesystem::path& source) const {
    std::string rel = source.lexically_relative(site_dir_).generic_string();
    if (rel.empty() || rel.starts_with("..")) rel = source.generic_string();
    return "file:" + rel;
  }

  TValue home_feeds_;
  std::vector<SearchFile> search_files_;
  std::vector<uint8_t> search_taken_;  // by file: written (its bytes gone)
  std::vector<std::vector<const Page*>> related_;
  std::once_flag related_index_once_;
  std::unordered_map<std::string_view, size_t> related_index_;
  const Site& site_;
  const Theme& theme_;
  std::filesystem::path site_dir_;
  SiteTemplates& templates_;
  const SiteObjects& objects_;
  DiagnosticSink* sink_;
  RenderStats* stats_;
};

}  // namespace

// Two outputs for one file: point at the content page involved (its url or
// slug field) when there is one, since that is what the writer can change.
bool check_collisions(const std::vector<Output>& outputs, DiagnosticSink& sink) {
  std::unordered_map<std::string_view, size_t> first;
  first.reserve(outputs.size());
  bool ok = true;
  for (size_t i = 0; i < outputs.size(); ++i) {
    auto [it, inserted] = first.try_emplace(outputs[i].path(), i);
    if (inserted) continue;
    ok = false;
    const Output* a = &outputs[it->second];
    const Output* b = &outputs[i];
    if (!b->page && a->page) std::swap(a, b);
    if (a->page && b->page) {
      // The second page, in content order, is the one in the way.
      sink.report({Severity::kError, b->page->url_origin,
                   "two pages map to the URL " + b->page->permalink + ": this one and " +
                       a->page->source_path,
                   b->page->url_line});
    } else if (b->page) {
      // The other output by name: "the date archive's" when its label ends
      // in the URL (the same as this page's), else "an alias of posts/a.md".
      std::string whose = a->what;
      size_t last = whose.rfind(' ');
      if (last != std::string::npos && whose.compare(last + 1, 1, "/") == 0)
        whose = whose.substr(0, last) + "'s";
      sink.report({Severity::kError, b->page->url_origin,
                   "this page's URL " + b->page->permalink + " is also " + whose +
                       ": choose another url or slug",
                   b->page->url_line});
    } else {
      sink.report({Severity::kError, b->origin(),
                   "two outputs write the same file '" + std::string(b->path()) + "': " + a->what +
                       " and " + b->what,
                   ""});
    }
  }
  return ok;
}

namespace {

// Makes one planned output and writes it, and records it in `result` when
// the build keeps records.
void make_output(OutputPlan& plan, Output& out, Publisher& publisher, DiagnosticSink& sink,
                 const RenderOptions& options, DependencyNames* names, OutputResult* result) {
  if (result) {
    result->path = out.path();
    result->recipe = out.recipe();
    if (options.selector && !options.selector->must_make(result->path, result->recipe, result))
      return;
    result->made = true;
  }
  DependencyRecorder recorder;
  DependencyRecorder::Scope scope(result ? &recorder : nullptr);
  if (out.page || out.make) {
    std::string bytes;
    if (out.page ? plan.render_page(out, &bytes) : out.make(out, &bytes)) {
      uint64_t hash = result ? hash_bytes(bytes) : 0;
      if (!options.selector || options.selector->differs(out.path(), hash)) {
        publisher.write(out.path(), bytes, sink, out.origin());
        if (result) result->written = true;
      }
      if (result) result->hash = hash;
    }
  } else {
    publisher.copy(out.path(), out.copy_from, sink, out.origin());
    if (result) result->written = true;
  }
  if (!result) return;
  recorder.replay(out.deps);
  DepList all = recorder.take();
  result->deps.reserve(all.deps.size() + all.named.size());
  for (const Dep& d : all.deps)
    if (uint32_t id = names->id_of(d); id != DependencyNames::kNone) result->deps.push_back(id);
  for (const std::string& key : all.named) result->deps.push_back(names->id_of_named(key));
}

// The files templates' image() asked for, copied once every output is
// made: those of the outputs rendered now, and, made again from the keys
// they recorded, those of the outputs the incremental build kept. A file
// the Markdown stage already publishes (the same variant) is left to it.
void publish_template_images(OutputPlan& plan, SiteTemplates& templates, Publisher& publisher,
                             DiagnosticSink& sink, const RenderOptions& options,
                             DependencyNames* names, RenderStats* stats) {
  std::vector<std::string> kept_keys;
  // Only image() keys are looked for: a site whose templates never call it
  // has none, and the walk ends at once.
  std::vector<uint32_t> image_keys =
      names ? names->named_with_prefix(TemplateImages::output_key_prefix())
            : std::vector<uint32_t>();
  if (options.results && !image_keys.empty()) {
    std::unordered_set<uint32_t> wanted(image_keys.begin(), image_keys.end());
    for (const OutputResult& r : *options.results) {
      if (r.made) continue;
      for (uint32_t id : r.deps) {
        if (wanted.erase(id)) kept_keys.push_back(names->key(id));
      }
      if (options.selector) {
        for (uint32_t k : r.saved_deps) {
          uint32_t id = options.selector->current_id(k);
          if (wanted.erase(id)) kept_keys.push_back(names->key(id));
        }
      }
    }
  }
  std::vector<std::pair<std::string, std::filesystem::path>> files =
      templates.images().outputs(kept_keys);
  if (files.empty()) return;
  std::unordered_set<std::string> planned;
  if (plan.site().images) {
    for (const ImageSet::Published& img : plan.site().images->published())
      for (const ImageVariant& v : img.image->variants)
        planned.insert(variant_path(img.site_path, v.width, v.format));
  }
  std::erase_if(files, [&](const auto& f) { return planned.count(f.first) > 0; });
  size_t first = 0;
  if (options.results) {
    first = options.results->size();
    options.results->resize(first + files.size());
  }
  std::vector<Output> outputs(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    outputs[i].own_path = files[i].first.substr(1);
    outputs[i].own_origin.path = files[i].second.string();
    outputs[i].copy_from = files[i].second;
    outputs[i].own_recipe = "image " + files[i].second.generic_string();
    outputs[i].what = "an image a template sized, " + files[i].first;
  }
  parallel_for(files.size(), [&](size_t i) {
    make_output(plan, outputs[i], publisher, sink, options, names,
                options.results ? &(*options.results)[first + i] : nullptr);
  });
  stats->images += files.size();
}

}  // namespace

// What one render planned, with the names of the site's things: the
// render's own, or kept for later remakes (RenderOptions::keep).
struct KeptRender::Impl {
  Impl(const Site& site, const Theme& theme, const RenderOptions& options, DiagnosticSink& sink,
       RenderStats* stats)
      : templates(site, theme),
        plan(site, theme, options.site_dir, templates, sink, stats),
        named_fingerprint(options.named_fingerprint) {}
  SiteTemplates templates;
  OutputPlan plan;
  DependencyNames::NamedFingerprint named_fingerprint;
  std::unique_ptr<DependencyNames> names;
};

KeptRender::KeptRender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KeptRender::~KeptRender() = default;

uint32_t KeptRender::id_of(const Dep& d) const { return impl_->names->id_of(d); }

bool KeptRender::fingerprint(uint32_t id, uint64_t* out) const {
  return impl_->names->fingerprint(id, out);
}

size_t KeptRender::planned() const { return impl_->plan.outputs.size(); }

namespace {

// A remake's selector: every output asked for is made, and written only
// when its bytes differ from the ones it replaces.
class RemakeSelector final : public OutputSelector {
 public:
  explicit RemakeSelector(std::unordered_map<std::string_view, uint64_t> hashes)
      : hashes_(std::move(hashes)) {}
  void prepare(DependencyNames&) override {}
  bool must_make(std::string_view, std::string_view, OutputResult*) override { return true; }
  bool differs(std::string_view path, uint64_t hash) override {
    auto it = hashes_.find(path);
    return it == hashes_.end() || it->second != hash;
  }
  uint32_t current_id(uint32_t saved_key) const override { return saved_key; }
  void finish(const DependencyNames&, const std::vector<OutputResult>&) override {}

 private:
  std::unordered_map<std::string_view, uint64_t> hashes_;
};

}  // namespace

bool KeptRender::remake(const std::vector<size_t>& which, Publisher& publisher,
                        DiagnosticSink& sink, std::vector<OutputResult>* results) {
  const size_t errors_before = sink.error_count();
  impl_->plan.set_sink(&sink);
  // include_cached() texts may show what changed.
  impl_->templates.engine().output_cache().clear();
  std::unordered_map<std::string_view, uint64_t> hashes;
  for (size_t i : which) hashes.emplace((*results)[i].path, (*results)[i].hash);
  RemakeSelector selector(std::move(hashes));
  RenderOptions options;
  options.results = results;
  options.selector = &selector;
  std::vector<OutputResult> made(which.size());
  parallel_for(which.size(), [&](size_t k) {
    make_output(impl_->plan, impl_->plan.outputs[which[k]], publisher, sink, options,
                impl_->names.get(), &made[k]);
  });
  for (size_t k = 0; k < which.size(); ++k) (*results)[which[k]] = std::move(made[k]);
  return sink.error_count() == errors_before;
}

bool render_site(const Site& site, const Theme& theme, Publisher& publisher, RenderStats* stats,
                 DiagnosticSink& sink, const ProgressFn& progress, const RenderOptions& options) {
  const size_t errors_before = sink.error_count();
  auto kept = std::make_unique<KeptRender::Impl>(site, theme, options, sink, stats);
  OutputPlan& plan = kept->plan;
  plan.search = options.search;
  plan.searched = options.searched;
  plan.cancelled = options.cancelled;
  plan.plan();
  if (plan.gave_up) {
    stats->cancelled = true;
    return false;
  }
  if (!check_collisions(plan.outputs, sink)) return false;
  std::unique_ptr<DependencyNames>& names = kept->names;
  if (options.results) {
    names = std::make_unique<DependencyNames>(
        site, [&plan, impl = kept.get()](std::string_view key, uint64_t* out) {
          auto it = plan.plan_fingerprints.find(std::string(key));
          if (it != plan.plan_fingerprints.end()) {
            *out = it->second;
            return true;
          }
          if (plan.related_fingerprint(key, out)) return true;
          // What an image() key publishes is named in the key; its source's
          // bytes are a "file:" key of their own.
          if (TemplateImages::is_output_key(key)) {
            *out = hash_bytes(key);
            return true;
          }
          return impl->named_fingerprint && impl->named_fingerprint(key, out);
        });
    options.results->assign(plan.outputs.size(), OutputResult());
    if (options.selector) options.selector->prepare(*names);
  }
  std::atomic<size_t> done{0};
  const size_t total = plan.outputs.size();
  const bool keep = options.keep && options.results;
  auto write_one = [&](size_t i) {
    make_output(plan, plan.outputs[i], publisher, sink, options, names.get(),
                options.results ? &(*options.results)[i] : nullptr);
    // A planned output holds a closure, paths and labels (~1 KB); freed as
    // soon as it is written, that memory serves the rest of the render (at
    // 100,000 posts the plan is ~190 MB), unless the plan is kept.
    if (!keep) plan.outputs[i] = Output();
    size_t d = ++done;
    if (progress) progress(d, total);
  };
  // A worker spends much of its time in the kernel creating files, some of
  // it asleep: one worker more than cores keeps the cores busy meanwhile.
  parallel_for(total, write_one, writer_thread_count());
  publish_template_images(plan, kept->templates, publisher, sink, options, names.get(), stats);
  bool ok = sink.error_count() == errors_before;
  if (ok && options.selector) options.selector->finish(*names, *options.results);
  if (ok && keep) {
    // What the render did not write (unchanged files) is not kept either.
    plan.release_search_files();
    *options.keep = std::unique_ptr<KeptRender>(new KeptRender(std::move(kept)));
  }
  return ok;
}

}  // namespace byline
