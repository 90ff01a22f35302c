#include "check/output_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/files.h"
#include "base/mapped_file.h"
#include "base/thread_pool.h"
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

// The entries of the open folder `fd`: files (as `rel` + name) into
// `files`, folders into `folders`. getdents64 on a descriptor opened with
// openat() from its parent's: opendir() adds an fstat() to each of a built
// site's thousands of folders, and opening by the whole path walks it again.
bool read_level(int fd, const std::string& rel, std::vector<std::string>* files,
                std::vector<std::string>* folders) {
  alignas(8) char buf[32768];
  for (;;) {
    long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    for (long at = 0; at < n;) {
      // struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name.
      unsigned short reclen;
      std::memcpy(&reclen, buf + at + 16, sizeof reclen);
      unsigned char type = static_cast<unsigned char>(buf[at + 18]);
      const char* name = buf + at + 19;
      at += reclen;
      std::string_view n_view = name;
      if (n_view == "." || n_view == ".." || is_ignored_name(n_view)) continue;
      bool folder = type == DT_DIR;
      if (type == DT_LNK || type == DT_UNKNOWN) {
        struct stat st {};
        folder = ::fstatat(fd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
      }
      (folder ? folders : files)->push_back(rel + name);
    }
  }
}

int open_folder(int parent, const char* path) {
  return ::openat(parent, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

// Every file below the open folder `fd` (whose path from the output is
// `rel`, ending in '/'), into `files`.
bool list_tree(int fd, const std::string& rel, std::vector<std::string>* files, std::string* error,
               int depth) {
  if (depth > 64) {  // a loop of links
    *error = rel + ": too many levels of folders (a link to a folder above it?)";
    return false;
  }
  std::vector<std::string> folders;
  if (!read_level(fd, rel, files, &folders)) {
    *error = rel + ": " + std::strerror(errno);
    return false;
  }
  for (const std::string& folder : folders) {
    int sub = open_folder(fd, folder.c_str() + rel.size());
    if (sub < 0) {
      *error = folder + ": " + std::strerror(errno);
      return false;
    }
    bool ok = list_tree(sub, folder + "/", files, error, depth + 1);
    ::close(sub);
    if (!ok) return false;
  }
  return true;
}

// Every file under `root`, relative to it. The first two levels are read
// here and the folders below them listed on the pool: a built site is
// thousands of small folders (one per page), and listing them one after
// the other was half of the check's time on one core.
bool list_output(const std::string& root, std::vector<std::string>* out, std::string* error) {
  int root_fd = open_folder(AT_FDCWD, root.c_str());
  std::vector<std::string> top;
  if (root_fd < 0 || !read_level(root_fd, "", out, &top)) {
    *error = root + ": " + std::strerror(errno);
    if (root_fd >= 0) ::close(root_fd);
    return false;
  }
  std::vector<std::string> below;
  for (const std::string& folder : top) {
    int fd = open_folder(root_fd, folder.c_str());
    bool ok = fd >= 0 && read_level(fd, folder + "/", out, &below);
    if (fd >= 0) ::close(fd);
    if (!ok) {
      *error = root + "/" + folder + ": " + std::strerror(errno);
      ::close(root_fd);
      return false;
    }
  }
  std::vector<std::vector<std::string>> found(below.size());
  std::vector<std::string> errors(below.size());
  std::vector<char> ok(below.size(), 1);
  parallel_for(below.size(), [&](size_t i) {
    int fd = open_folder(root_fd, below[i].c_str());
    if (fd < 0) {
      errors[i] = root + "/" + below[i] + ": " + std::strerror(errno);
      ok[i] = 0;
      return;
    }
    ok[i] = list_tree(fd, below[i] + "/", &found[i], &errors[i], 0);
    ::close(fd);
    if (!ok[i]) errors[i] = root + "/" + errors[i];
  });
  ::close(root_fd);
  for (size_t i = 0; i < below.size(); ++i) {
    if (!ok[i]) {
      *error = errors[i];
      return false;
    }
    for (std::string& f : found[i]) out->push_back(std::move(f));
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
  if (!list_output(dest, &files, &error)) {
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
