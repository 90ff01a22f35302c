// The template engine set up for one site: the lookup order (site
// templates/, the theme's, the built-in default theme), the site's template
// objects, and byline's site-aware filters and functions (absolute_url,
// get_page, …).
#pragma once

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/diagnostic.h"
#include "config/theme.h"
#include "render/dependencies.h"
#include "render/site_objects.h"
#include "render/template_images.h"
#include "site/site.h"
#include "templates/template_engine.h"

namespace byline {

// Templates as the theme finds them (config/theme.h): the site's, its
// theme's, then the built-in theme's.
class ThemeLoader final : public TemplateLoader {
 public:
  explicit ThemeLoader(const Theme& theme) : theme_(theme) {}
  bool load(std::string_view name, std::string* source) const override {
    return theme_.read(Theme::Kind::kTemplates, name, source);
  }
  std::string searched(std::string_view name) const override;

 private:
  const Theme& theme_;
};

class SiteTemplates {
 public:
  // `site` and `theme` must outlive this object.
  SiteTemplates(const Site& site, const Theme& theme);

  TemplateEngine& engine() { return *engine_; }
  // How templates see this site's model.
  const SiteObjects& objects() const { return *objects_; }
  SiteObjects& objects() { return *objects_; }
  // The sentence an appearance reads as (appearance.sentence, the
  // appearances feed): the site's or theme's partials/appearance_sentence.html
  // when there is one, else byline's own (render/appearance_text.h). Links
  // are relative, or absolute for feeds. Returns false and fills `error`
  // when the template fails, located by template name as render() does.
  bool appearance_sentence(const Appearance& a, bool absolute_links, std::string* out,
                           Diagnostic* error);
  // What templates' image() asked for.
  TemplateImages& images() { return *images_; }
  // Whether the site or its theme (not the built-in theme) has `name`:
  // the feeds use byline's built-in writers unless overridden.
  bool overridden(std::string_view name) const;
  // Where template `name` comes from, as diagnostics show it: its file in
  // the site or theme, or "(built-in theme)/templates/NAME".
  std::string display_path(std::string_view name) const;

 private:
  const Site& site_;
  const Theme& theme_;
  // get_page() looks pages up by source path and by URL path. The index is
  // built on a thread of its own from the constructor on: at 100,000 posts
  // that takes 0.2 s, which the render's single-threaded planning leaves a
  // core free for; the first get_page() waits for it.
  const Page* page_by_path(const std::string& path);
  std::unordered_map<std::string_view, const Page*> pages_by_path_;
  std::shared_future<void> pages_by_path_built_;
  // overridden()'s answers: each feed asks, and a stat per feed added up.
  mutable std::mutex overridden_mu_;
  mutable std::map<std::string, bool, std::less<>> overridden_;
  // Declared last: the engine's compiled templates remember the objects'
  // types, so the engine goes first.
  std::unique_ptr<SiteObjects> objects_;
  std::unique_ptr<TemplateImages> images_;
  DependencyObserver observer_;
  std::unique_ptr<TemplateEngine> engine_;
};

}  // namespace byline
