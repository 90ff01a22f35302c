// The loaders (see template_loader.h).
#include "templates/template_loader.h"

#include <fstream>
#include <sstream>

namespace byline {

DirectoryLoader::DirectoryLoader(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

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
