// cpp-httplib serves the files; byline adds folder redirects, the 404 page
// and content types for the files a site has.
#include "serve/server.h"

#include <httplib.h>

#include <fstream>
#include <sstream>

namespace byline {

namespace fs = std::filesystem;

std::string content_type_for(std::string_view path) {
  size_t dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"xml", "application/xml; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"pdf", "application/pdf"},
      {"mp3", "audio/mpeg"},
      {"mp4", "video/mp4"},
      {"webmanifest", "application/manifest+json"},
  };
  for (const auto& [e, type] : kTypes)
    if (e == ext) return std::string(type);
  return "application/octet-stream";
}

namespace {

bool read_whole(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

// Maps a request path to a file under root, refusing anything that would
// leave it. Returns an empty path when there is no such file.
fs::path resolve(const fs::path& root, const std::string& url_path, bool* is_dir) {
  *is_dir = false;
  fs::path rel = fs::path(url_path).relative_path().lexically_normal();
  if (!rel.empty() && *rel.begin() == "..") return {};
  fs::path full = root / rel;
  std::error_code ec;
  if (fs::is_directory(full, ec)) {
    *is_dir = true;
    full /= "index.html";
  }
  if (!fs::is_regular_file(full, ec)) return {};
  return full;
}

}  // namespace

bool serve_directory(const ServeOptions& options, const std::function<void()>& on_ready,
                     std::string* error) {
  httplib::Server server;
  const fs::path root = options.root;
  server.Get(".*", [root](const httplib::Request& req, httplib::Response& res) {
    bool is_dir = false;
    fs::path file = resolve(root, req.path, &is_dir);
    if (!file.empty() && is_dir && (req.path.empty() || req.path.back() != '/')) {
      res.status = 301;  // relative links inside the page need the slash
      res.set_header("Location", req.path + "/");
      return;
    }
    std::string body;
    if (!file.empty() && read_whole(file, &body)) {
      res.set_content(body, content_type_for(file.string()));
      res.set_header("Cache-Control", "no-cache");
      return;
    }
    res.status = 404;
    std::string page;
    if (read_whole(root / "404.html", &page)) {
      res.set_content(page, "text/html; charset=utf-8");
    } else {
      res.set_content("404 page not found\n", "text/plain; charset=utf-8");
    }
  });
  if (!server.bind_to_port(options.bind, options.port)) {
    *error = "cannot listen on " + options.bind + ":" + std::to_string(options.port) +
             " (is another server using the port? try -p)";
    return false;
  }
  if (on_ready) on_ready();
  if (!server.listen_after_bind()) {
    *error = "the server stopped unexpectedly";
    return false;
  }
  return true;
}

}  // namespace byline
