// Deciding the outputs, then rendering them in parallel into the publisher.
#include "render/render.h"

#include <atomic>
#include <set>

#include "base/strings.h"
#include "base/thread_pool.h"
#include "render/feeds.h"
#include "render/stopgap_layout.h"
#include "render/urls.h"
#include "site/paginator.h"
#include "templates/embedded_theme.h"

namespace byline {

namespace {

// One file to produce. `make` returns its bytes; `copy_from` is set instead
// for files copied as they are.
struct Output {
  std::string path;
  SourceLocation origin;
  std::function<std::string()> make;
  std::filesystem::path copy_from;
};

std::string title_case(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string term_heading(const Taxonomy& tax, const Term& term) {
  const std::string& n = tax.config->name;
  if (n == "tags") return "Posts Tagged \u2018" + term.name + "\u2019";
  if (n == "categories") return "Posts in \u2018" + term.name + "\u2019";
  return title_case(n) + ": " + term.name;
}

std::string archive_heading(const DateArchive& a) {
  if (a.month == 0) return "Yearly Archives: " + std::to_string(a.year);
  DateTime first;
  first.utc_seconds = days_from_civil(a.year, static_cast<unsigned>(a.month), 1) * 86400;
  return "Monthly Archives: " + format_datetime(first, "%B %Y");
}

class OutputPlan {
 public:
  OutputPlan(const Site& site, RenderStats* stats) : site_(site), stats_(stats) {}

  void emit(std::string path, SourceLocation origin, std::function<std::string()> make) {
    Output& o = outputs.emplace_back();
    o.path = std::move(path);
    o.origin = std::move(origin);
    o.make = std::move(make);
  }
  void copy(std::string path, SourceLocation origin, std::filesystem::path from) {
    Output& o = outputs.emplace_back();
    o.path = std::move(path);
    o.origin = std::move(origin);
    o.copy_from = std::move(from);
  }

  void add_list(std::span<const Page* const> pages, int per_page, const std::string& base,
                std::string heading, const Page* intro, bool feeds) {
    Paginator first(pages, per_page, base);
    for (int n = 1; n <= first.total_pages(); ++n) {
      Paginator pager = first.at(n);
      SourceLocation origin;
      if (intro) origin.path = intro->source_path;
      emit(pager.output_path_of(n), origin, [this, pager, heading, intro, feeds] {
        return layout_list(site_, heading, pager, intro, feeds);
      });
      ++stats_->list_pages;
    }
    sitemap.push_back({base, pages.empty() || !pages[0]->date ? nullptr : &*pages[0]->date});
    if (!feeds) return;
    const FeedsConfig& fc = site_.config->feeds;
    FeedSpec spec;
    spec.title = heading == site_.config->title ? heading : heading + " | " + site_.config->title;
    spec.list_path = base;
    spec.pages = pages;
    auto add_feed = [&](const std::string& name,
                        std::string (*render)(const Site&, const FeedSpec&)) {
      if (name.empty()) return;
      FeedSpec s = spec;
      s.self_path = base + name;
      emit(s.self_path.substr(1), SourceLocation(), [this, s, render] { return render(site_, s); });
      ++stats_->feeds;
    };
    add_feed(fc.rss, render_rss);
    add_feed(fc.atom, render_atom);
    add_feed(fc.json, render_json_feed);
  }

  void plan() {
    const SiteConfig& c = *site_.config;
    for (const Page& p : site_.pages) {
      if (p.kind == PageKind::kHome || p.kind == PageKind::kSection) continue;
      emit(p.output_path, p.url_origin, [this, &p] { return layout_page(site_, p); });
      ++stats_->pages;
      sitemap.push_back({p.permalink, p.lastmod ? &*p.lastmod : (p.date ? &*p.date : nullptr)});
      plan_resources(p);
      plan_aliases(p);
    }
    add_list(site_.posts, c.paginate, "/",
             site_.home && !site_.home->title.empty() ? site_.home->title : c.title, site_.home,
             true);
    for (const Section& s : site_.sections) {
      if (!s.has_list) continue;
      std::string heading =
          s.index && !s.index->title.empty() ? s.index->title : title_case(s.name);
      add_list(s.pages, s.paginate, s.permalink, heading, s.index, true);
    }
    for (const DateArchive& a : site_.date_archives) {
      add_list(a.pages, c.paginate, a.permalink, archive_heading(a), nullptr, false);
    }
    for (const Taxonomy& tax : site_.taxonomies) {
      if (tax.terms.empty()) continue;
      emit(tax.permalink.substr(1) + "index.html", tax.config->location,
           [this, &tax] { return layout_term_list(site_, tax); });
      ++stats_->list_pages;
      sitemap.push_back({tax.permalink, nullptr});
      for (const Term& term : tax.terms) {
        add_list(term.pages, tax.paginate, term.permalink, term_heading(tax, term), nullptr,
                 tax.config->feeds);
      }
    }
    plan_site_files();
  }

  void plan_resources(const Page& p) {
    if (p.resources.empty()) return;
    std::string out_dir = p.output_path.substr(0, p.output_path.rfind('/') + 1);
    for (const std::string& rel : p.resources) {
      std::string inside = rel.substr(p.rel_dir.size() + 1);
      std::filesystem::path src = std::filesystem::path(p.source_path).parent_path() / inside;
      SourceLocation origin;
      origin.path = p.source_path;
      copy(out_dir + inside, origin, src);
      ++stats_->static_files;
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
      emit(file, origin, [this, &p] { return layout_redirect(site_, p.permalink); });
      ++stats_->aliases;
    }
  }

  void plan_site_files() {
    std::set<std::string> taken;
    for (const StaticFile& f : site_.files) {
      SourceLocation origin;
      origin.path = f.display;
      copy(f.output_path, origin, f.source);
      taken.insert(f.output_path);
      ++stats_->static_files;
    }
    for (const EmbeddedFile& f : embedded_theme_files()) {
      if (!f.path.starts_with("static/")) continue;
      std::string path(f.path.substr(7));
      if (taken.count(path)) continue;  // the site's own file wins
      std::string_view data = f.data;
      emit(path, SourceLocation(), [data] { return std::string(data); });
      ++stats_->static_files;
    }
    if (!taken.count("404.html")) {
      emit("404.html", SourceLocation(), [this] { return layout_not_found(site_); });
      ++stats_->other;
    }
    // The sitemap is rendered here, once the plan is complete, because its
    // file names depend on how many URLs there are.
    for (auto& [name, text] : render_sitemaps(site_, sitemap)) {
      std::string body = std::move(text);
      emit(name, SourceLocation(), [body] { return body; });
    }
    if (!taken.count("robots.txt")) {
      emit("robots.txt", SourceLocation(), [this] {
        return "User-agent: *\nAllow: /\nSitemap: " + absolute_url(*site_.config, "/sitemap.xml") +
               "\n";
      });
    }
    if (!redirects.empty() && !taken.count("_redirects")) {
      emit("_redirects", SourceLocation(), [this] {
        std::string o;
        for (const auto& [from, to] : redirects) o += from + " " + to + " 301\n";
        return o;
      });
    }
    stats_->other += 3 + (redirects.empty() ? 0 : 1);
  }

  std::vector<Output> outputs;
  std::vector<SitemapEntry> sitemap;
  std::vector<std::pair<std::string, std::string>> redirects;

 private:
  const Site& site_;
  RenderStats* stats_;
};

}  // namespace

bool render_site(const Site& site, Publisher& publisher, RenderStats* stats, DiagnosticSink& sink,
                 const ProgressFn& progress) {
  const size_t errors_before = sink.error_count();
  OutputPlan plan(site, stats);
  plan.plan();
  std::atomic<size_t> done{0};
  const size_t total = plan.outputs.size();
  parallel_for(total, [&](size_t i) {
    const Output& out = plan.outputs[i];
    if (out.make) {
      publisher.write(out.path, out.make(), sink, out.origin);
    } else {
      publisher.copy(out.path, out.copy_from, sink, out.origin);
    }
    size_t d = ++done;
    if (progress) progress(d, total);
  });
  return sink.error_count() == errors_before;
}

}  // namespace byline
