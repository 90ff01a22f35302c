#include "check/output_index.h"

#include <algorithm>
#include <filesystem>

#include "base/files.h"
#include "base/mapped_file.h"
#include "check/urls.h"

namespace byline {

namespace {

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

bool OutputIndex::load(const std::string& dest, const SiteUrls& urls, DiagnosticSink& sink) {
  std::string error;
  std::vector<std::string> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dest, ec)) {
    sink.error({dest, 0, 0}, "no built site here: build it first, or drop --no-build");
    return false;
  }
  if (!list_files(dest, &files, &error)) {
    sink.error({dest, 0, 0}, "cannot read the output folder: " + error);
    return false;
  }
  std::string redirects;
  MappedFile file;
  if (file.open(dest + "/_redirects")) redirects = std::string(file.text());
  assign(std::move(files), {}, urls);
  redirects_.parse(redirects, (std::filesystem::path(dest) / "_redirects").string(), &sink);
  return true;
}

void OutputIndex::assign(std::vector<std::string> files, std::string_view redirects,
                         const SiteUrls& urls) {
  urls_ = urls;
  UrlParts base = split_url(urls.base_url());
  origin_ = base.has_authority ? normal_origin(base.scheme, base.authority) : "";
  files_ = std::move(files);
  std::sort(files_.begin(), files_.end());
  index_files();
  redirects_ = Redirects();
  redirects_.parse(redirects, "_redirects", nullptr);
}

void OutputIndex::index_files() {
  by_path_.clear();
  by_path_.reserve(files_.size());
  for (size_t i = 0; i < files_.size(); ++i) by_path_.emplace(files_[i], static_cast<uint32_t>(i));
}

int64_t OutputIndex::find(std::string_view file) const {
  auto it = by_path_.find(file);
  return it == by_path_.end() ? -1 : static_cast<int64_t>(it->second);
}

std::string OutputIndex::folder_url(std::string_view file) const {
  size_t slash = file.rfind('/');
  std::string dir = slash == std::string_view::npos ? "" : std::string(file.substr(0, slash + 1));
  return urls_.base_path() + dir;
}

Resolution OutputIndex::resolve(std::string_view from, std::string_view url) const {
  Resolution r;
  if (url.empty()) {
    r.status = Resolution::kIgnored;
    return r;
  }
  UrlParts parts = split_url(url);
  r.has_fragment = parts.has_fragment;
  r.fragment = url_unescape(parts.fragment);
  if (!parts.scheme.empty() && !ascii_iequals(parts.scheme, "http") &&
      !ascii_iequals(parts.scheme, "https")) {
    r.status = Resolution::kIgnored;
    return r;
  }
  std::string path;
  if (parts.has_authority) {
    if (origin_.empty() ||
        normal_origin(parts.scheme.empty() ? split_url(urls_.base_url()).scheme : parts.scheme,
                      parts.authority) != origin_) {
      r.status = Resolution::kExternal;
      return r;
    }
    path = parts.path.empty() ? "/" : std::string(parts.path);
  } else if (!parts.scheme.empty()) {
    r.status = Resolution::kIgnored;  // "http:foo": nothing a browser follows
    return r;
  } else if (parts.path.empty()) {
    // "#id" or "?q": the page itself.
    r.status = Resolution::kFile;
    r.file = from;
    r.site_path = folder_url(from);
    return r;
  } else {
    path = join_url_path(folder_url(from), parts.path);
  }
  std::string decoded = url_unescape(path);
  const std::string& base = urls_.base_path();
  if (!decoded.starts_with(base)) {
    if (decoded + "/" == base) {
      decoded = base;
    } else {
      r.status = Resolution::kOutsideBase;
      r.site_path = decoded;
      return r;
    }
  }
  Resolution found = resolve_site_path("/" + decoded.substr(base.size()), parts.query);
  found.has_fragment = r.has_fragment;
  found.fragment = std::move(r.fragment);
  return found;
}

Resolution OutputIndex::resolve_site_path(std::string_view site_path, std::string_view query,
                                          bool query_rule) const {
  Resolution r;
  r.site_path = site_path;
  std::string current(site_path);
  std::string current_query(query);
  for (int hop = 0; hop < 8; ++hop) {
    bool need_rule = hop == 0 && query_rule;
    if (!need_rule) {
      std::string rel = current.substr(1);
      if (rel.empty() || rel.back() == '/') rel += "index.html";
      if (find(rel) >= 0) {
        r.file = rel;
        r.status = hop == 0 ? Resolution::kFile : Resolution::kRedirect;
        return r;
      }
      if (find(rel + "/index.html") >= 0) {
        r.file = rel + "/index.html";
        r.status = hop == 0 ? Resolution::kFile : Resolution::kRedirect;
        return r;
      }
    }
    const RedirectRule* rule = nullptr;
    std::optional<std::string> to = redirects_.match(current, current_query, &rule);
    if (!to || (need_rule && rule->query.empty())) {
      r.status = hop == 0 ? Resolution::kMissing : Resolution::kBadRedirect;
      return r;
    }
    r.redirect_to = *to;
    UrlParts parts = split_url(*to);
    if (parts.has_authority) {
      if (origin_.empty() || normal_origin(parts.scheme, parts.authority) != origin_) {
        // A rule sending readers to another site: taken on trust.
        r.status = Resolution::kRedirect;
        return r;
      }
    }
    current = url_unescape(parts.path.empty() ? "/" : parts.path);
    if (!current.starts_with('/')) current = "/" + current;
    current_query = parts.query;
  }
  r.status = Resolution::kBadRedirect;  // a loop
  return r;
}

}  // namespace byline
