// Image URL to published file, mirroring where the build copies files: a
// bundle's files beside its page, content/ and static/ by their path, then
// the theme's static/ (render/ copies them in the same order).
#include "markdown/local_images.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool has_scheme(std::string_view url) {
  if (url.empty() || !is_alpha(url[0])) return false;
  for (size_t i = 1; i < url.size(); ++i) {
    char c = url[i];
    if (c == ':') return true;
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "%20" to " "; a '%' not followed by two hex digits stays, as browsers keep it.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> local_image_path(std::string_view url, std::string_view permalink,
                                            std::string_view base_path) {
  if (url.empty() || url.starts_with("//") || has_scheme(url)) return std::nullopt;
  url = url.substr(0, url.find_first_of("?#"));
  if (url.empty()) return std::nullopt;
  std::string path = percent_decode(url);
  if (path.find('\0') != std::string::npos) return std::nullopt;
  if (path.front() == '/') {
    if (base_path.size() > 1 && path.starts_with(base_path)) path.erase(0, base_path.size() - 1);
  } else {
    std::string_view dir = permalink.substr(0, permalink.rfind('/') + 1);
    path = (dir.starts_with("/") ? std::string(dir) : "/" + std::string(dir)) + path;
  }
  // Dot segments resolve as a browser resolves them: ".." stops at the root.
  std::vector<std::string_view> segments;
  std::string_view rest = path;
  bool names_folder = false;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    bool last = slash == std::string_view::npos;
    names_folder = last && (seg.empty() || seg == "." || seg == "..");
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  if (path.back() == '/') names_folder = true;
  if (names_folder || segments.empty()) return std::nullopt;
  std::string out;
  for (std::string_view seg : segments) {
    out += '/';
    out.append(seg);
  }
  return out;
}

// The folder a page's bundle files are published in: its output file's.
std::string_view output_dir(const Page& page) {
  return std::string_view(page.output_path).substr(0, page.output_path.rfind('/') + 1);
}

LocalImages::LocalImages(const SiteConfig& config, const fs::path& site_dir, const Theme& theme,
                         const std::vector<Page>& pages)
    : site_dir_(site_dir), base_path_(config.urls.base_path()) {
  roots_.push_back(fs::path("content"));
  for (const fs::path& dir : theme.dirs(Theme::Kind::kStatic))
    roots_.push_back(dir.lexically_relative(site_dir));
  for (const Page& p : pages) {
    if (p.resources.empty()) continue;
    fs::path source_dir = fs::path(p.source_path).parent_path();
    for (const std::string& rel : p.resources) {
      std::string inside = p.rel_dir.empty() ? rel : rel.substr(p.rel_dir.size() + 1);
      bundle_files_.emplace(std::string(output_dir(p)) + inside, source_dir / inside);
    }
  }
}

LocalImages::FileFacts LocalImages::facts(const fs::path& file) {
  std::string key = file.string();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = facts_.find(key);
    if (it != facts_.end()) return it->second;
  }
  // Read outside the lock; two pages racing for one new file both read its
  // header, which costs less than making every other page wait.
  FileFacts f;
  std::error_code ec;
  f.exists = fs::is_regular_file(file, ec);
  if (f.exists) f.size = read_image_size(file);
  std::lock_guard<std::mutex> lock(mu_);
  facts_.emplace(std::move(key), f);
  return f;
}

LocalImage LocalImages::find(const Page& page, std::string_view url) {
  LocalImage result;
  std::optional<std::string> path = local_image_path(url, page.permalink, base_path_);
  if (!path) return result;
  std::string rel = path->substr(1);

  auto found = [&](fs::path file) {
    FileFacts f = facts(file);
    if (!f.exists) return false;
    result.kind = LocalImage::Kind::kFound;
    result.file = std::move(file);
    result.site_path = *path;
    result.size = f.size;
    return true;
  };

  auto bundle_file = bundle_files_.find(rel);
  if (bundle_file != bundle_files_.end() && found(bundle_file->second)) return result;
  // A bundle's writer put the file beside the page: that is the place to name.
  std::string expected;
  if (page.rel_path == "index.md" || page.rel_path.ends_with("/index.md")) {
    std::string_view out_dir = output_dir(page);
    if (rel.starts_with(out_dir)) {
      std::string inside = rel.substr(out_dir.size());
      expected = "content/" + (page.rel_dir.empty() ? inside : page.rel_dir + "/" + inside);
    }
  }
  for (const fs::path& root : roots_) {
    if (found(site_dir_ / root / rel)) return result;
    if (expected.empty()) result.tried.push_back((root / rel).generic_string());
  }
  if (!expected.empty()) result.tried.push_back(std::move(expected));
  result.kind = LocalImage::Kind::kMissing;
  return result;
}

}  // namespace byline
