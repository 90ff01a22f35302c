// Site-aware template extensions.
#include "render/site_templates.h"

#include "markdown/page_bodies.h"
#include "render/appearance_text.h"
#include "render/dependencies.h"
#include "render/feeds.h"
#include "templates/template_byline.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

// A theme's own wording for appearances replaces byline's English.
constexpr std::string_view kAppearanceSentence = "partials/appearance_sentence.html";

// Whether this thread is rendering that template: a sentence it reads,
// its own or another appearance's, would render it again without end (a
// new render each time, so the engine's own bound on nesting never trips).
thread_local bool writing_sentence = false;

}  // namespace

SiteTemplates::SiteTemplates(const Site& site, const Theme& theme) : site_(site), theme_(theme) {
  AppearanceProse prose;
  prose.verb = [](const Appearance& a) { return TValue::string_ref(appearance_verb(a.kind)); };
  prose.sentence = [this](const Appearance& a) {
    if (writing_sentence)
      throw TemplateError{"an appearance's sentence is read in " +
                          std::string(kAppearanceSentence) + ", which writes it"};
    std::string html;
    Diagnostic error;
    if (!appearance_sentence(a, /*absolute_links=*/false, &html, &error))
      throw LocatedTemplateError{std::move(error)};
    return TValue::safe(std::move(html));
  };
  objects_ = std::make_unique<SiteObjects>(site, std::move(prose));
  const SiteObjects* objects = objects_.get();
  EngineOptions options;
  options.strict_undefined = site.config->strict_templates;
  options.limits = site.config->render_limits;
  engine_ = std::make_unique<TemplateEngine>(std::make_unique<ThemeLoader>(theme), options);
  TemplateEngine& e = *engine_;
  e.set_observer(&observer_);
  register_byline_extensions(e);
  images_ = std::make_unique<TemplateImages>(site, theme);
  images_->register_functions(e);
  const Site* s = &site_;
  // One clock for the whole build (and pinned by --now), so every page
  // agrees on the year in its footer.
  e.add_function("now", [s](RenderState&, CallArgs&) {
    record_named_dep("now");
    return datetime_ref(&s->now);
  });

  e.add_filter("absolute_url", [s](RenderState&, const TValue& v, CallArgs&) {
    return TValue::string(s->config->urls.absolute(v.str()));
  });
  e.add_filter("relative_url", [s](RenderState&, const TValue& v, CallArgs&) {
    return TValue::string(s->config->urls.relative(v.str()));
  });
  MarkdownOptions md = markdown_options(*site.config);
  e.add_filter("markdownify", [md](RenderState&, const TValue& v, CallArgs&) {
    return TValue::safe(render_markdown_inline(v.str(), md));
  });
  FilterFunction text_reading_time = *e.find_filter("reading_time");
  e.add_filter("reading_time",
               [objects, text_reading_time](RenderState& st, const TValue& v, CallArgs& a) {
                 if (const Page* p = objects->as_page(v)) {
                   return TValue::integer(
                       static_cast<int64_t>(std::max<size_t>(1, (p->word_count + 199) / 200)));
                 }
                 return text_reading_time(st, v, a);
               });
  pages_by_path_built_ = std::async(std::launch::async, [this] {
                           pages_by_path_.reserve(site_.pages.size() * 2);
                           for (const Page& p : site_.pages) {
                             pages_by_path_.emplace(p.rel_path, &p);
                             pages_by_path_.emplace(p.permalink, &p);
                           }
                         }).share();
  e.add_function("get_page", [this, objects](RenderState&, CallArgs& a) {
    if (a.positional.empty()) throw TemplateError{"get_page() needs a path"};
    std::string path = a.positional[0].str();
    record_named_dep("lookup:" + path);
    return objects->page(page_by_path(path));
  });
  e.add_function("get_section", [s, objects](RenderState&, CallArgs& a) {
    if (a.positional.empty()) throw TemplateError{"get_section() needs a name"};
    record_dep(Dep::kSections, nullptr, Dep::kMembers);
    if (const Section* sec = s->find_section(a.positional[0].str())) return objects->section(*sec);
    return TValue::none();
  });
  e.add_function("get_taxonomy", [s, objects](RenderState&, CallArgs& a) {
    if (a.positional.empty()) throw TemplateError{"get_taxonomy() needs a name"};
    std::string name = a.positional[0].str();
    for (const Taxonomy& t : s->taxonomies) {
      if (t.config->name == name) return objects->taxonomy(t);
    }
    return TValue::none();
  });
}

bool SiteTemplates::appearance_sentence(const Appearance& a, bool absolute_links, std::string* out,
                                        Diagnostic* error) {
  if (!overridden(kAppearanceSentence)) {
    // Made without the template, and so from its absence: one added later
    // changes every sentence.
    record_named_dep("template:" + std::string(kAppearanceSentence));
    *out = byline::appearance_sentence(site_, a, absolute_links);
    return true;
  }
  TemplateContext ctx;
  ctx.set("site", objects_->site_object());
  ctx.set("appearance", objects_->appearance(a));
  std::string html;
  writing_sentence = true;
  bool ok = engine_->render(kAppearanceSentence, ctx, &html, error);
  writing_sentence = false;
  if (!ok) return false;
  // The template writes links as pages carry them; a feed's must be whole.
  *out = absolute_links ? absolutize_links(html, *site_.config, "") : std::move(html);
  return true;
}

const Page* SiteTemplates::page_by_path(const std::string& path) {
  pages_by_path_built_.wait();
  auto it = pages_by_path_.find(path);
  return it == pages_by_path_.end() ? nullptr : it->second;
}

bool SiteTemplates::overridden(std::string_view name) const {
  std::lock_guard lock(overridden_mu_);
  auto known = overridden_.find(name);
  if (known != overridden_.end()) return known->second;
  bool found = theme_.overridden(Theme::Kind::kTemplates, name);
  overridden_.emplace(std::string(name), found);
  return found;
}

std::string ThemeLoader::searched(std::string_view name) const {
  (void)name;  // every name is looked for in the same folders
  std::vector<std::string> places;
  for (const std::filesystem::path& dir : theme_.dirs(Theme::Kind::kTemplates))
    places.push_back(dir.lexically_normal().generic_string() + "/");
  places.push_back("byline's built-in theme");
  std::string out = "looked in ";
  for (size_t i = 0; i < places.size(); ++i)
    out += (i == 0 ? "" : i + 1 == places.size() ? " and " : ", ") + places[i];
  return out;
}

std::string SiteTemplates::display_path(std::string_view name) const {
  return theme_.display_path(Theme::Kind::kTemplates, name);
}

}  // namespace byline
