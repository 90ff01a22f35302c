// cpp-httplib serves the files; byline adds folder redirects, the 404 page,
// content types for the files a site has, and live reload.
#include "serve/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

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

const char kLiveReloadScript[] = R"js(<script>
/* byline serve: reloads this page when what it shows changes. */
(() => {
  const here = () => {
    let p = decodeURIComponent(location.pathname).replace(/^\/+/, '');
    if (p === '' || p.endsWith('/')) p += 'index.html';
    return p;
  };
  let overlay = null;
  const showError = (text) => {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'byline-error';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;margin:0;' +
        'padding:2em;overflow:auto;background:rgba(24,24,24,.94);color:#f5f5f5;' +
        'font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap';
      document.documentElement.appendChild(overlay);
    }
    overlay.textContent = 'byline serve: the site did not build; showing the last good one.\n\n' + text;
  };
  const uses = (path) => {
    const url = new URL('/' + path, location.href).href;
    return [...document.querySelectorAll('[src],link[href]')].some((e) => (e.src || e.href) === url);
  };
  const swapStylesheet = (path) => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href);
      if (url.origin !== location.origin || url.pathname !== '/' + path) continue;
      url.searchParams.set('byline-reload', Date.now());
      link.href = url.href;
    }
  };
  const events = new EventSource('/__byline/events');
  events.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.type === 'error') return showError(e.text);
    if (e.type !== 'reload') return;
    if (e.navigate && e.navigate !== location.pathname) {
      location.href = e.navigate;
      return;
    }
    if (e.all || overlay || e.paths.includes(here())) {
      location.reload();
      return;
    }
    let reload = false;
    for (const path of e.paths) {
      if (path.endsWith('.css')) swapStylesheet(path);
      else if (uses(path)) reload = true;
    }
    if (reload) location.reload();
  };
})();
</script>
)js";

void inject_live_reload(std::string* html) {
  size_t at = std::string::npos;
  for (size_t i = html->size(); i >= 7; --i) {
    if (html->compare(i - 7, 7, "</body>") == 0 || html->compare(i - 7, 7, "</BODY>") == 0) {
      at = i - 7;
      break;
    }
  }
  if (at == std::string::npos) at = html->size();
  html->insert(at, kLiveReloadScript);
}

// How many events a stream that fell behind can catch up on.
constexpr size_t kEventsKept = 32;

void LiveReload::publish(std::string event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    events_.emplace_back(++seq_, std::move(event));
    if (events_.size() > kEventsKept) events_.pop_front();
  }
  cv_.notify_all();
}

void LiveReload::reload(const std::vector<std::string>& paths, bool all,
                        const std::string& navigate) {
  nlohmann::json e = {{"type", "reload"}, {"all", all}, {"paths", paths}};
  if (!navigate.empty()) e["navigate"] = navigate;
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_event_.clear();
  }
  publish(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LiveReload::error(const std::string& text) {
  nlohmann::json e = {{"type", "error"}, {"text", text}};
  std::string event = e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_event_ = event;
  }
  publish(std::move(event));
}

void LiveReload::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

bool LiveReload::next(uint64_t* seq, std::string* event, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  event->clear();
  if (*seq == UINT64_MAX) {  // a new stream: the error shown now, then what comes
    *seq = seq_;
    if (!error_event_.empty()) {
      *event = error_event_;
      return !stopped_;
    }
  }
  cv_.wait_for(lock, timeout, [&] { return stopped_ || seq_ > *seq; });
  if (stopped_) return false;
  for (const auto& [n, e] : events_) {
    if (n > *seq) {
      *seq = n;
      *event = e;
      break;
    }
  }
  if (event->empty() && seq_ > *seq) *seq = seq_;  // fell too far behind
  return true;
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
  if (url_path.find('\0') != std::string::npos) return {};
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

bool is_html(const std::string& type) { return type.starts_with("text/html"); }

}  // namespace

struct DevServer::Impl {
  httplib::Server server;
  ServeOptions options;
  std::atomic<bool> stopping{false};
  std::atomic<bool> returned{false};
};

DevServer::DevServer() : impl_(std::make_unique<Impl>()) {}
DevServer::~DevServer() = default;

bool DevServer::listen(const ServeOptions& options, std::string* error) {
  impl_->options = options;
  httplib::Server& server = impl_->server;
  const fs::path root = options.root;
  LiveReload* live = options.live;
  // Open pages each hold a stream: more threads than cpp-httplib's default
  // (eight on two cores), so a few tabs do not starve the files.
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which let a
  // second server share the port and take every other request.
  server.set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  if (live) {
    server.Get("/__byline/events", [live](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      auto seq = std::make_shared<uint64_t>(UINT64_MAX);
      res.set_chunked_content_provider(
          "text/event-stream", [live, seq](size_t, httplib::DataSink& sink) {
            std::string event;
            if (!live->next(seq.get(), &event, std::chrono::seconds(10))) {
              sink.done();
              return false;
            }
            // A comment keeps the connection open through proxies' timeouts.
            std::string message = event.empty() ? ": ping\n\n" : "data: " + event + "\n\n";
            return sink.write(message.data(), message.size());
          });
    });
  }
  server.Get(".*", [root, live](const httplib::Request& req, httplib::Response& res) {
    bool is_dir = false;
    fs::path file = resolve(root, req.path, &is_dir);
    if (!file.empty() && is_dir && (req.path.empty() || req.path.back() != '/')) {
      res.status = 301;  // relative links inside the page need the slash
      res.set_header("Location", req.path + "/");
      return;
    }
    std::string body, type;
    res.set_header("Cache-Control", "no-cache");
    if (!file.empty() && read_whole(file, &body)) {
      type = content_type_for(file.string());
    } else {
      res.status = 404;
      if (read_whole(root / "404.html", &body)) {
        type = "text/html; charset=utf-8";
      } else {
        body = "<!doctype html><title>Not found</title><p>404 page not found</p>\n";
        type = "text/html; charset=utf-8";
      }
    }
    if (live && is_html(type)) inject_live_reload(&body);
    res.set_content(body, type);
  });
  if (options.port == 0) {
    port_ = server.bind_to_any_port(options.bind);
    if (port_ > 0) return true;
  } else if (server.bind_to_port(options.bind, options.port)) {
    port_ = options.port;
    return true;
  }
  int saved = errno;
  if (options.port != 0 && saved == EADDRINUSE) {
    *error = "port " + std::to_string(options.port) + " on " + options.bind +
             " is in use (another byline serve?); choose another with -p PORT, or -p 0 for "
             "any free port";
  } else {
    *error = "cannot listen on " + options.bind + ":" + std::to_string(options.port) +
             (saved ? std::string(": ") + std::strerror(saved) : std::string());
  }
  return false;
}

bool DevServer::run(std::string* error) {
  bool ok = impl_->stopping || impl_->server.listen_after_bind();
  impl_->returned = true;
  if (!ok && !impl_->stopping) {
    *error = "the server stopped unexpectedly";
    return false;
  }
  return true;
}

void DevServer::stop() {
  impl_->stopping = true;
  if (impl_->options.live) impl_->options.live->stop();
  // cpp-httplib's stop() does nothing until listen_after_bind() has begun,
  // and a stop asked for just before it would be lost: asked again until
  // run() returns.
  while (!impl_->returned) {
    impl_->server.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace byline
