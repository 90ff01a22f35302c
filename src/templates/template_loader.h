// Where template sources come from: the interface the engine reads names
// through, the site's and theme's directories, and in-memory maps.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace byline {

// Finds template sources by name.
class TemplateLoader {
 public:
  virtual ~TemplateLoader() = default;
  // Returns true and fills `source` when a template called `name` exists.
  virtual bool load(std::string_view name, std::string* source) const = 0;
  // Where `name` was looked for, for the message when it is not found:
  // "looked in templates/ and …", or "" when there is nothing to say.
  virtual std::string searched(std::string_view name) const {
    (void)name;
    return {};
  }
};

// Looks a name up in an ordered list of directories. (A site's templates
// come through its Theme, render/site_templates.h, which adds the theme
// built into byline.)
class DirectoryLoader final : public TemplateLoader {
 public:
  explicit DirectoryLoader(std::vector<std::string> dirs);
  bool load(std::string_view name, std::string* source) const override;

 private:
  std::vector<std::string> dirs_;
};

// In-memory templates, for tests and hosts that generate templates.
class MapLoader final : public TemplateLoader {
 public:
  void add(std::string name, std::string source);
  bool load(std::string_view name, std::string* source) const override;

 private:
  std::vector<std::pair<std::string, std::string>> files_;
};

}  // namespace byline
