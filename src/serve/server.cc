// A small event loop of byline's own serves the files (see "The dev server"
// in docs/architecture.md for why not cpp-httplib): folder redirects, the
// 404 page, content types for the files a site has, one byte range, and
// live reload's event streams, with every client held to the limits in
// ServeLimits.
#include "serve/server.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "serve/http.h"

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

using Clock = std::chrono::steady_clock;

bool is_html(const std::string& type) { return type.starts_with("text/html"); }

// Answers at most this big are read into memory and sent with the head in
// one write; larger ones go by sendfile() from the open file.
constexpr off_t kInMemoryFile = 256 * 1024;
// Requests answered for one connection before the others get a turn.
constexpr int kRequestsPerTurn = 16;
// After an answer that closes the connection, how long its remaining input
// is read and dropped (so the answer is not lost to a reset).
constexpr auto kDrainTime = std::chrono::seconds(2);
// An open page's stream gets a comment this often, to stay open through
// proxies' timeouts.
constexpr auto kPingInterval = std::chrono::seconds(10);

struct Conn {
  int fd = -1;
  enum Phase { kRead, kWrite, kStream, kDrain } phase = kRead;
  std::string in;
  std::string out;
  size_t out_pos = 0;
  int file = -1;  // the rest of the answer, sent from here by sendfile()
  off_t file_pos = 0, file_end = 0;
  bool close_after = false;
  bool head_started = false;
  uint64_t discard = 0;       // a request body's bytes still to drop
  uint64_t seq = UINT64_MAX;  // a stream's place in LiveReload's events
  Clock::time_point deadline;
  Clock::time_point next_ping;
  uint32_t events = 0;  // what epoll watches for
  bool eof = false;     // the client sends no more
  bool dead = false;
  bool queued = false;  // in the ready list: input left to answer
};

// A file found under the root: open, with its size and the name its type
// is taken from.
struct Found {
  int fd = -1;
  off_t size = 0;
  std::string name;
};

// The canonical form of `p` when it is `root` or inside it; empty when it
// is not, or does not exist. Symbolic links are resolved first, so a link
// that points outside the root is refused wherever it is.
std::string inside(const std::string& root, const std::string& p) {
  char buf[PATH_MAX];
  if (!::realpath(p.c_str(), buf)) return {};
  std::string real = buf;
  if (real == root) return real;
  if (root == "/" || (real.size() > root.size() && real.compare(0, root.size(), root) == 0 &&
                      real[root.size()] == '/'))
    return real;
  return {};
}

}  // namespace

struct DevServer::Impl {
  ServeOptions options;
  int listen_fd = -1;
  int epoll_fd = -1;
  int wake_fd = -1;  // an eventfd: stop, or live reload has news
  std::atomic<bool> stopping{false};
  std::atomic<bool> returned{false};
  std::vector<Conn*> conns;  // every open connection
  std::vector<Conn*> ready;  // connections with requests left in their input
  std::unordered_set<Conn*> streams;
  size_t open = 0;
  bool use_openat2 = true;
  int held_root = -1;
  dev_t held_dev = 0;
  ino_t held_ino = 0;
  char listen_tag = 0, wake_tag = 0;  // epoll data for the two fds that are not connections

  ~Impl() {
    for (Conn* c : conns) {
      if (c->fd >= 0) ::close(c->fd);
      if (c->file >= 0) ::close(c->file);
      delete c;
    }
    for (int fd : {listen_fd, epoll_fd, wake_fd, held_root})
      if (fd >= 0) ::close(fd);
  }

  void watch(Conn* c, uint32_t events) {
    if (c->events == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = c;
    ::epoll_ctl(epoll_fd, c->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &ev);
    c->events = events;
  }

  void close_conn(Conn* c) {
    if (c->dead) return;
    c->dead = true;
    ::close(c->fd);  // also leaves the epoll set
    if (c->file >= 0) ::close(c->file);
    c->file = -1;
    streams.erase(c);
    --open;
  }

  void accept_all() {
    for (;;) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or out of descriptors until one closes
      if (open >= options.limits.max_connections) {
        static const char kBusy[] =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)!::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        ::close(fd);
        continue;
      }
      int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      if (options.on_accept) options.on_accept(fd);
      Conn* c = new Conn;
      c->fd = fd;
      c->deadline = Clock::now() + options.limits.idle_timeout;
      conns.push_back(c);
      ++open;
      watch(c, EPOLLIN | EPOLLRDHUP);
    }
  }

  // Reads what has arrived. False at the end of the input or an error.
  bool read_in(Conn* c) {
    char buf[16384];
    for (;;) {
      // In a head, no more than the limit (and a little) is kept.
      // Requests (the next ones, while one is answered) are kept; a
      // stream's or a closing connection's input is dropped.
      const bool keep = c->phase == Conn::kRead || c->phase == Conn::kWrite;
      if (keep && c->discard == 0 && c->in.size() > options.limits.max_header_bytes + sizeof buf)
        return true;
      ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
      if (n > 0) {
        if (keep) c->in.append(buf, static_cast<size_t>(n));
        // Less than asked for: nothing more is waiting now (the loop is
        // told again when there is), so no read just to hear EAGAIN.
        if (static_cast<size_t>(n) < sizeof buf) return true;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      if (n < 0 && errno == EINTR) continue;
      c->eof = true;
      return false;
    }
  }

  // Sends what is pending. True when all of it went; false when the socket
  // is full (or the connection was closed).
  bool flush(Conn* c) {
    bool progress = false;
    while (c->out_pos < c->out.size()) {
      ssize_t n =
          ::send(c->fd, c->out.data() + c->out_pos, c->out.size() - c->out_pos, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) close_conn(c);
        break;
      }
      c->out_pos += static_cast<size_t>(n);
      progress = true;
    }
    if (c->out_pos == c->out.size()) {
      c->out.clear();
      c->out_pos = 0;
      while (!c->dead && c->file >= 0 && c->file_pos < c->file_end) {
        size_t chunk = static_cast<size_t>(std::min<off_t>(c->file_end - c->file_pos, 1 << 20));
        ssize_t n = ::sendfile(c->fd, c->file, &c->file_pos, chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) {  // an error, or the file shrank under us
          close_conn(c);
          break;
        }
        progress = true;
      }
      if (!c->dead && c->file >= 0 && c->file_pos >= c->file_end) {
        ::close(c->file);
        c->file = -1;
      }
    }
    if (c->dead) return false;
    if (progress) c->deadline = Clock::now() + options.limits.write_timeout;
    return c->out.empty() && c->file < 0;
  }

  void respond(Conn* c, int status, std::string_view type, std::string_view extra_headers,
               std::string_view body, uint64_t length, bool head_only) {
    std::string& o = c->out;
    o += "HTTP/1.1 ";
    o += std::to_string(status);
    o += ' ';
    o += http::reason(status);
    o += "\r\n";
    if (!type.empty()) {
      o += "Content-Type: ";
      o += type;
      o += "\r\n";
    }
    o += "Content-Length: ";
    o += std::to_string(length);
    o += "\r\nCache-Control: no-cache\r\n";
    o += extra_headers;
    if (c->close_after) o += "Connection: close\r\n";
    o += "\r\n";
    if (!head_only) o += body;
    c->phase = Conn::kWrite;
  }

  void respond_error(Conn* c, int status, std::string_view extra = {}) {
    c->close_after = true;
    std::string body = std::to_string(status) + " " + http::reason(status) + "\n";
    respond(c, status, "text/plain; charset=utf-8", extra, body, body.size(), false);
  }

  // Finds `rel` (a decoded path of plain segments) under the root: 0 with
  // `found` open; 301 for a folder named without its slash; 404. A file
  // whose real path is outside the root (through a symbolic link anywhere
  // on the way) is not found.
  int find(const std::string& rel, bool trailing_slash, Found* found) {
    std::string name = rel;
    struct stat st;
    // A folder's URL (most pages) is tried as its index.html first.
    if (trailing_slash) {
      std::string index = rel.empty() ? "index.html" : rel + "/index.html";
      int fd = open_beneath(index);
      if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        found->fd = fd;
        found->size = st.st_size;
        found->name = std::move(index);
        return 0;
      }
      if (fd >= 0) ::close(fd);
    }
    int fd = open_beneath(rel);
    if (fd < 0) return 404;
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return 404;
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      if (!trailing_slash && !rel.empty()) return 301;
      name = rel.empty() ? "index.html" : rel + "/index.html";
      fd = open_beneath(name);
      if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (fd >= 0) ::close(fd);
        return 404;
      }
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      return 404;
    }
    found->fd = fd;
    found->size = st.st_size;
    found->name = std::move(name);
    return 0;
  }

  // The root folder, held open while the path names the same folder (a
  // build may put a new one in its place).
  int root_fd() {
    struct stat st;
    if (::stat(options.root.c_str(), &st) != 0) return -1;
    if (held_root >= 0 && st.st_dev == held_dev && st.st_ino == held_ino) return held_root;
    if (held_root >= 0) ::close(held_root);
    held_root = ::open(options.root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    struct stat now;
    if (held_root >= 0 && ::fstat(held_root, &now) == 0) {
      held_dev = now.st_dev;
      held_ino = now.st_ino;
    }
    return held_root;
  }

  // Opens `rel` for reading if it resolves to a path inside the root; -1
  // if not. openat2(RESOLVE_BENEATH) has the kernel check every step in one
  // call (absolute links are refused even when they point inside); where
  // it is missing, the real path is compared with the root's. O_NONBLOCK:
  // a FIFO in the output must not block the loop.
  int open_beneath(const std::string& rel) {
    const char* path = rel.empty() ? "." : rel.c_str();
    if (use_openat2) {
      int root = root_fd();
      if (root < 0) return -1;
      open_how how{};
      how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
      int fd = static_cast<int>(::syscall(SYS_openat2, root, path, &how, sizeof how));
      if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return fd;
      use_openat2 = false;  // an old kernel, or a sandbox that forbids it
    }
    char buf[PATH_MAX];
    if (!::realpath(options.root.c_str(), buf)) return -1;
    std::string real = inside(buf, std::string(buf) + "/" + path);
    if (real.empty()) return -1;
    return ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
  }

  static bool read_fd(int fd, off_t size, std::string* out) {
    out->resize(static_cast<size_t>(size));
    off_t got = 0;
    while (got < size) {
      ssize_t n = ::pread(fd, out->data() + got, static_cast<size_t>(size - got), got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += n;
    }
    out->resize(static_cast<size_t>(got));
    return got == size;
  }

  // Answers with the file at `rel`, or the 404 page (`missing`: a path
  // above the root).
  void serve_file(Conn* c, const http::Request& r, const std::string& rel, bool trailing_slash,
                  bool missing) {
    const bool head_only = r.method == "HEAD";
    Found f;
    int st = missing ? 404 : find(rel, trailing_slash, &f);
    if (st == 301) {
      // The target as sent, with the slash added before the query.
      std::string target = r.target;
      size_t q = target.find_first_of("?#");
      std::string location =
          target.substr(0, q) + "/" + (q == std::string::npos ? std::string() : target.substr(q));
      respond(c, 301, {}, "Location: " + location + "\r\n", {}, 0, head_only);
      return;
    }
    std::string body, type;
    int status = 200;
    if (st == 0) {
      type = content_type_for(f.name);
      bool in_memory = f.size <= kInMemoryFile || (options.live && is_html(type));
      if (in_memory) {
        bool ok = read_fd(f.fd, f.size, &body);
        ::close(f.fd);
        f.fd = -1;
        if (!ok) {
          respond_error(c, 500);
          return;
        }
        if (options.live && is_html(type)) inject_live_reload(&body);
      }
      const uint64_t size = in_memory ? body.size() : static_cast<uint64_t>(f.size);
      uint64_t first = 0, last = size ? size - 1 : 0;
      http::RangeResult range = http::RangeResult::kWhole;
      if (const std::string* h = r.header("range"); h && !r.header("if-range"))
        range = http::parse_range(*h, size, &first, &last);
      std::string extra = "Accept-Ranges: bytes\r\n";
      if (range == http::RangeResult::kUnsatisfiable) {
        if (f.fd >= 0) ::close(f.fd);
        respond(c, 416, {}, extra + "Content-Range: bytes */" + std::to_string(size) + "\r\n", {},
                0, head_only);
        return;
      }
      if (range == http::RangeResult::kPartial) {
        status = 206;
        extra += "Content-Range: bytes " + std::to_string(first) + "-" + std::to_string(last) +
                 "/" + std::to_string(size) + "\r\n";
      }
      const uint64_t length = range == http::RangeResult::kPartial ? last - first + 1 : size;
      if (in_memory) {
        respond(c, status, type, extra, std::string_view(body).substr(first, length), length,
                head_only);
      } else {
        respond(c, status, type, extra, {}, length, head_only);
        if (head_only) {
          ::close(f.fd);
        } else {
          c->file = f.fd;
          c->file_pos = static_cast<off_t>(first);
          c->file_end = static_cast<off_t>(first + length);
        }
      }
      return;
    }
    // Not found: the site's 404 page, or a plain one.
    status = 404;
    type = "text/html; charset=utf-8";
    Found page;
    if (find("404.html", false, &page) == 0) {
      bool ok = read_fd(page.fd, page.size, &body);
      ::close(page.fd);
      if (!ok) body.clear();
    }
    if (body.empty()) body = "<!doctype html><title>Not found</title><p>404 page not found</p>\n";
    if (options.live) inject_live_reload(&body);
    respond(c, status, type, {}, body, body.size(), head_only);
  }

  // A stream's messages go as chunks: the answer stays well framed, and
  // clients keep the connection theirs.
  static void add_chunk(Conn* c, const std::string& message) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", message.size());
    c->out += size;
    c->out += message;
    c->out += "\r\n";
  }

  // The events `c` has not had yet, queued to send.
  void pump(Conn* c) {
    std::string event;
    for (;;) {
      if (!options.live->next(&c->seq, &event, std::chrono::milliseconds(0))) {
        close_conn(c);  // stopping
        return;
      }
      if (event.empty()) break;
      if (c->out.empty()) c->deadline = Clock::now() + options.limits.write_timeout;
      add_chunk(c, "data: " + event + "\n\n");
    }
    if (c->out.size() - c->out_pos > options.limits.max_stream_backlog) close_conn(c);
  }

  void start_stream(Conn* c) {
    c->out +=
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    c->phase = Conn::kStream;
    c->in.clear();
    c->deadline = Clock::now() + options.limits.write_timeout;
    c->next_ping = Clock::now() + kPingInterval;
    streams.insert(c);
    pump(c);
  }

  // Answers the head at the start of c->in.
  void answer(Conn* c, size_t head_size) {
    http::Request r;
    int st = http::parse_head(std::string_view(c->in).substr(0, head_size), &r);
    c->in.erase(0, head_size);
    c->head_started = false;
    if (st != 0) return respond_error(c, st);
    c->close_after = !r.keep_alive;
    if (r.content_length > options.limits.max_body_bytes) return respond_error(c, 413);
    c->discard = r.content_length;
    if (r.method != "GET" && r.method != "HEAD") {
      if (r.content_length) c->close_after = true;
      std::string body = "405 Method Not Allowed\n";
      return respond(c, 405, "text/plain; charset=utf-8", "Allow: GET, HEAD\r\n", body, body.size(),
                     false);
    }
    std::string rel;
    bool trailing_slash = false;
    st = http::decode_path(r.target, &rel, &trailing_slash);
    if (st == 400) return respond_error(c, 400);
    if (st == 0 && options.live && r.method == "GET" && rel == "__byline/events")
      return start_stream(c);
    serve_file(c, r, rel, trailing_slash, st == 404);
  }

  // Moves `c` as far as it can go without waiting.
  void advance(Conn* c) {
    int answered = 0;
    while (!c->dead) {
      if (c->phase == Conn::kWrite) {
        if (!flush(c)) break;
        if (c->close_after) {
          ::shutdown(c->fd, SHUT_WR);
          c->phase = Conn::kDrain;
          c->in.clear();
          c->deadline = Clock::now() + kDrainTime;
          break;
        }
        c->phase = Conn::kRead;
        c->deadline = Clock::now() + options.limits.idle_timeout;
        continue;
      }
      if (c->phase == Conn::kStream) {
        flush(c);
        break;
      }
      if (c->phase == Conn::kDrain) {
        c->in.clear();
        if (c->eof) close_conn(c);
        break;
      }
      // kRead: a request body to drop first, then the next head.
      if (c->discard) {
        size_t n = static_cast<size_t>(std::min<uint64_t>(c->discard, c->in.size()));
        c->in.erase(0, n);
        c->discard -= n;
        if (c->discard) break;
      }
      size_t skip = 0;  // blank lines before a request line are allowed
      while (skip < c->in.size() && (c->in[skip] == '\r' || c->in[skip] == '\n')) ++skip;
      if (skip) c->in.erase(0, skip);
      size_t end = http::head_end(c->in);
      if (end == 0) {
        if (c->in.size() > options.limits.max_header_bytes) {
          respond_error(c, 431);
          continue;
        }
        if (c->eof) {  // nothing more will come
          close_conn(c);
          break;
        }
        if (!c->in.empty() && !c->head_started) {
          c->head_started = true;
          c->deadline = Clock::now() + options.limits.header_timeout;
        }
        break;
      }
      if (end > options.limits.max_header_bytes) {
        respond_error(c, 431);
        continue;
      }
      if (answered == kRequestsPerTurn) {  // let the others have a turn
        if (!c->queued) {
          c->queued = true;
          ready.push_back(c);
        }
        break;
      }
      answer(c, end);
      ++answered;
    }
    if (c->dead) return;
    // Input is watched for until the client's end (after which it would be
    // reported again and again).
    uint32_t want = c->eof ? 0u : static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP);
    if (c->phase == Conn::kWrite || (c->phase == Conn::kStream && !c->out.empty()))
      want |= EPOLLOUT;
    if (c->phase == Conn::kWrite) want &= ~static_cast<uint32_t>(EPOLLIN);  // one answer at a time
    if (want == 0) want = EPOLLRDHUP;  // only hang-ups and errors
    watch(c, want);
  }

  void on_event(Conn* c, uint32_t events) {
    if (events & EPOLLERR) return close_conn(c);
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) && !c->eof) {
      // At the client's end of input, a stream has no one to read it; a
      // request in flight is still answered (the client may only have shut
      // its sending half).
      if (!read_in(c) && c->phase == Conn::kStream) return close_conn(c);
    }
    advance(c);
  }

  // Deadlines and pings, looked at a few times a second.
  void sweep() {
    Clock::time_point now = Clock::now();
    for (Conn* c : conns) {
      if (c->dead) continue;
      if (c->phase == Conn::kStream) {
        if (!c->out.empty() && now >= c->deadline) {
          close_conn(c);  // reads nothing
        } else if (now >= c->next_ping) {
          if (c->out.empty()) c->deadline = now + options.limits.write_timeout;
          add_chunk(c, ": ping\n\n");
          c->next_ping = now + kPingInterval;
          advance(c);
        }
        continue;
      }
      if (now < c->deadline) continue;
      if (c->phase == Conn::kRead && c->head_started) {
        respond_error(c, 408);  // trickled: the head did not arrive in time
        c->deadline = now + options.limits.write_timeout;
        advance(c);
      } else {
        close_conn(c);
      }
    }
    // The dead go once nothing refers to them.
    size_t kept = 0;
    for (Conn* c : conns) {
      if (c->dead && !c->queued) {
        delete c;
      } else {
        conns[kept++] = c;
      }
    }
    conns.resize(kept);
  }

  void loop() {
    std::vector<epoll_event> events(256);
    Clock::time_point last_sweep = Clock::now();
    while (!stopping) {
      int timeout = ready.empty() ? 50 : 0;
      int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), timeout);
      for (int i = 0; i < n; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &listen_tag) {
          accept_all();
        } else if (tag == &wake_tag) {
          uint64_t v;
          (void)!::read(wake_fd, &v, sizeof v);
          if (stopping) break;
          for (Conn* c : std::vector<Conn*>(streams.begin(), streams.end())) {
            pump(c);
            if (!c->dead) advance(c);
          }
        } else {
          Conn* c = static_cast<Conn*>(tag);
          if (!c->dead) on_event(c, events[i].events);
        }
      }
      std::vector<Conn*> turn;
      turn.swap(ready);
      for (Conn* c : turn) {
        c->queued = false;
        if (!c->dead) advance(c);
      }
      Clock::time_point now = Clock::now();
      if (now - last_sweep >= std::chrono::milliseconds(50) || n == 0) {
        sweep();
        last_sweep = now;
      }
    }
  }
};

DevServer::DevServer() : impl_(std::make_unique<Impl>()) {}
DevServer::~DevServer() = default;

bool DevServer::listen(const ServeOptions& options, std::string* error) {
  Impl& s = *impl_;
  s.options = options;
  s.use_openat2 = !options.no_openat2;
  ::signal(SIGPIPE, SIG_IGN);  // sendfile() to a tab closed mid-answer
  // No more connections than descriptors.
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY &&
      nofile.rlim_cur > 64)
    s.options.limits.max_connections =
        std::min<size_t>(s.options.limits.max_connections, nofile.rlim_cur - 32);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(options.port);
  int saved = 0;
  if (int rc = ::getaddrinfo(options.bind.c_str(), port.c_str(), &hints, &found); rc != 0) {
    *error = "cannot listen on " + options.bind + ":" + port + ": " + ::gai_strerror(rc);
    return false;
  }
  for (addrinfo* a = found; a && s.listen_fd < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      saved = errno;
      continue;
    }
    // SO_REUSEADDR only: with SO_REUSEPORT a second server would share the
    // port and take every other request.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      saved = errno;
      ::close(fd);
      continue;
    }
    s.listen_fd = fd;
  }
  ::freeaddrinfo(found);
  if (s.listen_fd < 0) {
    if (options.port != 0 && saved == EADDRINUSE) {
      *error = "port " + port + " on " + options.bind +
               " is in use (another byline serve?); choose another with -p PORT, or -p 0 for "
               "any free port";
    } else {
      *error = "cannot listen on " + options.bind + ":" + port +
               (saved ? std::string(": ") + std::strerror(saved) : std::string());
    }
    return false;
  }
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                           : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);

  s.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  s.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.epoll_fd < 0 || s.wake_fd < 0) {
    *error = std::string("cannot start the server: ") + std::strerror(errno);
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &s.listen_tag;
  ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.listen_fd, &ev);
  ev.data.ptr = &s.wake_tag;
  ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.wake_fd, &ev);
  return true;
}

bool DevServer::run(std::string* error) {
  Impl& s = *impl_;
  if (s.epoll_fd < 0) {
    *error = "the server is not listening";
    s.returned = true;
    return false;
  }
  // Live reload's news wakes the loop, which passes it to the open pages.
  std::thread notifier;
  if (s.options.live && !s.stopping) {
    // Its place in the events is taken now, before any page can open a
    // stream: an event after it always wakes the loop.
    uint64_t start = UINT64_MAX;
    std::string first;
    s.options.live->next(&start, &first, std::chrono::milliseconds(0));
    notifier = std::thread([&s, start] {
      uint64_t seq = start;
      std::string event;
      while (s.options.live->next(&seq, &event, std::chrono::hours(1))) {
        uint64_t one = 1;
        (void)!::write(s.wake_fd, &one, sizeof one);
      }
    });
  }
  s.loop();
  if (s.options.live) s.options.live->stop();
  if (notifier.joinable()) notifier.join();
  for (Conn* c : s.conns) s.close_conn(c);
  s.returned = true;
  return true;
}

void DevServer::stop() {
  impl_->stopping = true;
  if (impl_->options.live) impl_->options.live->stop();
  // Woken until run() returns (a stop asked for just before it began is
  // seen at its start).
  while (!impl_->returned) {
    uint64_t one = 1;
    if (impl_->wake_fd >= 0) (void)!::write(impl_->wake_fd, &one, sizeof one);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace byline
