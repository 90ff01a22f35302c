// The development server: an event loop of its own (epoll, one thread)
// serves the built preview over HTTP with the right
// content types, index.html for folders and the site's 404 page, and, for
// `byline serve`, live reload: every HTML page served carries a small script
// that listens on an event stream (Server-Sent Events, /__byline/events)
// and reloads the page when what it shows changed, swaps a stylesheet that
// changed without a reload, and lays a build's error over the page.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace byline {

// The events the open pages receive. Thread-safe.
class LiveReload {
 public:
  // What a rebuild changed: the files written and removed (relative to the
  // output folder), or `all` (a full build). `navigate` is a URL path the
  // open pages go to (--navigate-to-changed), or empty. Clears the error.
  void reload(const std::vector<std::string>& paths, bool all, const std::string& navigate);
  // A build failed: `text` (the diagnostics, as the terminal shows them) is
  // laid over every open page, and every page loaded until the next reload.
  void error(const std::string& text);
  // Ends every stream, for the server to stop.
  void stop();

  // For the server: the events after `*seq` (a new stream starts with the
  // error shown now, if any); waits up to `timeout` for one. False once
  // stopped. An empty `event` means the wait timed out.
  bool next(uint64_t* seq, std::string* event, std::chrono::milliseconds timeout);

 private:
  void publish(std::string event);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<uint64_t, std::string>> events_;  // the last few
  uint64_t seq_ = 0;
  std::string error_event_;  // the error shown now, as an event
  bool stopped_ = false;
};

// The script every HTML page gets in `byline serve`, and where it goes:
// before the last </body>, or at the end.
extern const char kLiveReloadScript[];
void inject_live_reload(std::string* html);

// What one client may take of the server. The defaults suit a writer's
// browser; tests shorten the timeouts.
struct ServeLimits {
  // A request's head (request line and headers) must arrive whole within
  // this, from its first byte: a client trickling bytes is answered 408.
  std::chrono::milliseconds header_timeout{10'000};
  // A kept-alive connection with no request in flight is closed after this.
  std::chrono::milliseconds idle_timeout{30'000};
  // A client that reads nothing of its answer for this long is dropped.
  std::chrono::milliseconds write_timeout{30'000};
  // The largest head (431 beyond it) and request body (413; a GET's body is
  // read and dropped).
  size_t max_header_bytes = 32 * 1024;
  uint64_t max_body_bytes = 1024 * 1024;
  // Open connections at once (more are answered 503), and an open page's
  // event stream's unsent backlog before it is dropped.
  size_t max_connections = 1000;
  size_t max_stream_backlog = 1024 * 1024;
};

struct ServeOptions {
  std::filesystem::path root;  // the built output
  std::string bind = "127.0.0.1";
  int port = 1313;  // 0: any free port
  // Live reload: the script in every page and the event stream. None: the
  // files as they are.
  LiveReload* live = nullptr;
  ServeLimits limits;
  // For tests: called with every accepted socket; and the path check
  // without openat2(), as on a kernel older than 5.6.
  std::function<void(int fd)> on_accept;
  bool no_openat2 = false;
};

class DevServer {
 public:
  DevServer();
  ~DevServer();
  // Listens on options.bind:options.port; false with `error` set when it
  // cannot (a port in use says so and suggests -p). After it, port() is
  // the port listened on (the one picked for -p 0).
  bool listen(const ServeOptions& options, std::string* error);
  int port() const { return port_; }
  // Serves until stop(), called from another thread.
  bool run(std::string* error);
  // Stops run() and waits for it to return; run() must be running or about
  // to (a stop before it begins is not lost).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// The Content-Type for a file name, by extension.
std::string content_type_for(std::string_view path);

}  // namespace byline
