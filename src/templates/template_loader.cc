// The loaders (see template_loader.h).
#include "templates/template_loader.h"

#include <fstream>
#include <sstream>

#include "templates/embedded_theme.h"

namespace byline {

DirectoryLoader::DirectoryLoader(std::vector<std::string> dirs, bool use_embedded_theme)
    : dirs_(std::move(dirs)), use_embedded_theme_(use_embedded_theme) {}

bool DirectoryLoader::load(std::string_view name, std::string* source) const {
  // Refuse names that climb out of the template directories.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos)
    return false;
  for (const std::string& dir : dirs_) {
    std::ifstream in(dir + "/" + std::string(name), std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) continue;
    *source = ss.str();
    return true;
  }
  if (use_embedded_theme_) {
    std::string path = "templates/" + std::string(name);
    for (const EmbeddedFile& f : embedded_theme_files()) {
      if (f.path == path) {
        *source = std::string(f.data);
        return true;
      }
    }
  }
  return false;
}

void MapLoader::add(std::string name, std::string source) {
  files_.emplace_back(std::move(name), std::move(source));
}

bool MapLoader::load(std::string_view name, std::string* source) const {
  for (const auto& [n, s] : files_)
    if (n == name) {
      *source = s;
      return true;
    }
  return false;
}

}  // namespace byline
