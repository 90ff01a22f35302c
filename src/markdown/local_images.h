// Finding the file behind an image URL a page uses (a bundle's own file, a
// file under content/ or static/, or the theme's static/) and its size, remembered
// for the whole build because many pages show the same picture.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "config/theme.h"
#include "content/page.h"
#include "images/image_size.h"

namespace byline {

struct LocalImage {
  enum class Kind {
    kNotLocal,  // remote (http:, //host), data:, an anchor or a folder: nothing to read
    kFound,     // a published file; `size` is set when its header could be read
    kMissing,   // a local URL that no file of the site publishes
  };
  Kind kind = Kind::kNotLocal;
  std::filesystem::path file;     // kFound: the file read
  std::string site_path;          // kFound: where it is published ("/a/b.jpg")
  std::optional<ImageSize> size;  // kFound: its size, when readable
  // kMissing: where it was looked for, relative to the site; for a URL
  // inside a bundle's folder only the place beside the page.
  std::vector<std::string> tried;
};

// Thread-safe: pages render in parallel and share one instance.
class LocalImages {
 public:
  // `pages`: the site's pages, for where their bundles' files are published.
  // Static files are looked up in the theme's order (config/theme.h).
  LocalImages(const SiteConfig& config, const std::filesystem::path& site_dir, const Theme& theme,
              const std::vector<Page>& pages);

  // `url` as written in the page's Markdown. A relative URL resolves against
  // the page's permalink, as the browser will resolve it; a "/..." URL
  // against the site root (after the base URL's path, when it starts with
  // it). The result is the file that the build publishes at that place: a
  // bundle's file (this page's or another's), else content/PATH, else
  // static/PATH, else the theme's static/PATH.
  LocalImage find(const Page& page, std::string_view url);

 private:
  // Whether `file` is a regular file, and its size; read once per path.
  struct FileFacts {
    bool exists = false;
    std::optional<ImageSize> size;
  };
  FileFacts facts(const std::filesystem::path& file);

  std::filesystem::path site_dir_;
  std::vector<std::filesystem::path> roots_;  // content/, static/, the theme's static/
  std::string base_path_;                     // "/" or "/blog/"
  // Bundle files by the output path they are published at, as render/ copies them.
  std::unordered_map<std::string, std::filesystem::path> bundle_files_;
  std::mutex mu_;
  std::unordered_map<std::string, FileFacts> facts_;
};

// The site path ("/2019/08/x/photo.jpg", percent-decoded, without query or
// fragment, dot segments resolved) an image URL on a page at `permalink`
// names; nullopt when the URL is not local or names no file. Exposed for tests.
std::optional<std::string> local_image_path(std::string_view url, std::string_view permalink,
                                            std::string_view base_path);

}  // namespace byline
