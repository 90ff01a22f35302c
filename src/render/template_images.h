// Templates' image(path): a local image's responsive variants and, through
// its resize(), fit() and fill(), explicit sizes as Hugo's .Resize, .Fit
// and .Fill, processed by the build's ImageSet (its cache and thread pool)
// and published after the pages.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/theme.h"
#include "site/site.h"
#include "templates/template_engine.h"

namespace byline {

class LocalImages;

class TemplateImages {
 public:
  // `site` (with its images set) and `theme` must outlive this object.
  TemplateImages(const Site& site, const Theme& theme);
  ~TemplateImages();

  // Adds image() to `engine`. This object must outlive the engine's renders.
  void register_functions(TemplateEngine& engine);

  // Every file templates asked for in this build, by site path, with the
  // file to copy there; and those a kept output (one the incremental build
  // did not render again) asked for when it was made, from the keys it
  // recorded ("image-out:…"), made again now. Sorted, no duplicates.
  std::vector<std::pair<std::string, std::filesystem::path>> outputs(
      const std::vector<std::string>& kept_keys);

  // Whether `key` is one of the keys image() records for the incremental
  // build; its fingerprint is then constant (what it names is in the key).
  static bool is_output_key(std::string_view key);
  static std::string_view output_key_prefix();

  struct Impl;  // what image()'s objects share (template_images.cc)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace byline
