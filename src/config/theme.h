// Where each file of a site's look comes from: the site's own templates/
// and static/, then its theme's (themes/<theme>/), then the theme built into
// byline. Every stage that needs a template or a static file asks here, so
// the order is written once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace byline {

class Theme {
 public:
  enum class Kind { kTemplates, kStatic };
  // Which layer a file comes from, highest first.
  enum class Layer { kSite, kTheme, kBuiltin };

  struct File {
    Layer layer = Layer::kBuiltin;
    std::filesystem::path path;  // on disk; empty for the built-in theme's
    std::string_view data;       // the built-in theme's bytes
  };

  // The site at `site_dir` with the theme `config.theme` (none when empty).
  // load_config() has checked that the theme's folder exists.
  Theme(const std::filesystem::path& site_dir, const SiteConfig& config);
  // Templates from `templates_dir` before the built-in ones, and no static
  // files of a site: `byline template render --templates DIR`.
  static Theme for_templates(const std::filesystem::path& templates_dir);

  // The file that `templates/<rel>` or `static/<rel>` stands for, if any.
  std::optional<File> find(Kind kind, std::string_view rel) const;
  // Its bytes; false when there is no such file or it cannot be read.
  bool read(Kind kind, std::string_view rel, std::string* out) const;
  // Whether the site or its theme has it (the built-in theme's own feeds,
  // say, are replaced by byline's writers unless a site overrides them).
  bool overridden(Kind kind, std::string_view rel) const;
  // How diagnostics name `rel`: its file on disk, or
  // "(built-in theme)/templates/<rel>".
  std::string display_path(Kind kind, std::string_view rel) const;

  // The folders of the site and its theme, highest first, for `kind`.
  const std::vector<std::filesystem::path>& dirs(Kind kind) const {
    return kind == Kind::kTemplates ? template_dirs_ : static_dirs_;
  }

  struct StaticFile {
    std::string rel;  // '/'-separated, relative to static/
    File file;
  };
  // Every static file of the theme layers below the site (its theme's, then
  // the built-in theme's), each path once, the higher layer's winning, in
  // path order within a layer. The site's own static/ is content, read by
  // the content stage.
  std::vector<StaticFile> theme_static_files() const;

 private:
  Theme() = default;

  // dirs(kind)[0] is the site's own folder, [1] its theme's.
  std::vector<std::filesystem::path> template_dirs_;
  std::vector<std::filesystem::path> static_dirs_;
};

// The names of the folders under SITE/themes/, sorted: what a misspelt
// `theme` could have meant.
std::vector<std::string> installed_themes(const std::filesystem::path& site_dir);

}  // namespace byline
