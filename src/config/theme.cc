// The lookup order of templates and static files, in one place.
#include "config/theme.h"

#include <algorithm>
#include <set>

#include "base/files.h"
#include "config/embedded_theme.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

const char* folder_of(Theme::Kind kind) {
  return kind == Theme::Kind::kTemplates ? "templates" : "static";
}

// A name that stays inside the folders it is looked up in: relative, and
// no ".." (an include of "../../etc/passwd" must find nothing).
bool is_inside(std::string_view rel) {
  return !rel.empty() && rel.front() != '/' && rel.find("..") == std::string_view::npos &&
         rel.find('\0') == std::string_view::npos;
}

std::optional<std::string_view> builtin(Theme::Kind kind, std::string_view rel) {
  std::string path = std::string(folder_of(kind)) + "/" + std::string(rel);
  for (const EmbeddedFile& f : embedded_theme_files())
    if (f.path == path) return f.data;
  return std::nullopt;
}

}  // namespace

Theme::Theme(const fs::path& site_dir, const SiteConfig& config) {
  for (Kind kind : {Kind::kTemplates, Kind::kStatic}) {
    std::vector<fs::path>& dirs = kind == Kind::kTemplates ? template_dirs_ : static_dirs_;
    dirs.push_back(site_dir / folder_of(kind));
    if (!config.theme.empty()) dirs.push_back(site_dir / "themes" / config.theme / folder_of(kind));
  }
}

Theme Theme::for_templates(const fs::path& templates_dir) {
  Theme t;
  t.template_dirs_.push_back(templates_dir);
  return t;
}

std::optional<Theme::File> Theme::find(Kind kind, std::string_view rel) const {
  if (!is_inside(rel)) return std::nullopt;
  const std::vector<fs::path>& folders = dirs(kind);
  for (size_t i = 0; i < folders.size(); ++i) {
    fs::path path = folders[i] / rel;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return File{i == 0 ? Layer::kSite : Layer::kTheme, path, {}};
  }
  if (std::optional<std::string_view> data = builtin(kind, rel))
    return File{Layer::kBuiltin, {}, *data};
  return std::nullopt;
}

bool Theme::read(Kind kind, std::string_view rel, std::string* out) const {
  std::optional<File> f = find(kind, rel);
  if (!f) return false;
  if (f->layer == Layer::kBuiltin) {
    out->assign(f->data);
    return true;
  }
  std::string error;
  return read_file(f->path, out, &error);
}

bool Theme::overridden(Kind kind, std::string_view rel) const {
  std::optional<File> f = find(kind, rel);
  return f && f->layer != Layer::kBuiltin;
}

std::string Theme::display_path(Kind kind, std::string_view rel) const {
  std::optional<File> f = find(kind, rel);
  if (f && f->layer != Layer::kBuiltin) return f->path.lexically_normal().string();
  return "(built-in theme)/" + std::string(folder_of(kind)) + "/" + std::string(rel);
}

std::vector<Theme::StaticFile> Theme::theme_static_files() const {
  std::vector<StaticFile> out;
  std::set<std::string, std::less<>> taken;
  for (size_t d = 1; d < static_dirs_.size(); ++d) {
    std::error_code ec;
    if (!fs::is_directory(static_dirs_[d], ec)) continue;
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(static_dirs_[d], ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    for (fs::path& f : found) {
      std::string rel = f.lexically_relative(static_dirs_[d]).generic_string();
      if (taken.insert(rel).second) out.push_back({rel, {Layer::kTheme, std::move(f), {}}});
    }
  }
  for (const EmbeddedFile& f : embedded_theme_files()) {
    if (!f.path.starts_with("static/")) continue;
    std::string rel(f.path.substr(7));
    if (taken.insert(rel).second) out.push_back({rel, {Layer::kBuiltin, {}, f.data}});
  }
  return out;
}

std::vector<std::string> installed_themes(const fs::path& site_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto it = fs::directory_iterator(site_dir / "themes", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace byline
