// The loop: watch, rebuild, tell the pages. The HTTP server runs on its own
// threads; the watch and the builds on this one, so a burst of saves during
// a build is the next build's change, never a second build at once.
#include "serve/live_site.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <thread>
#include <unordered_set>

#include "base/diagnostic.h"
#include "serve/server.h"
#include "serve/watcher.h"

namespace byline {

namespace fs = std::filesystem;

fs::path default_preview_folder(const fs::path& site_dir) {
  return site_dir / ".byline" / "serve" / "public";
}

namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

// The address pages link to: the one listened on, or this machine's name
// for it when listening on every address.
std::string url_host(const std::string& bind) {
  if (bind == "0.0.0.0" || bind == "::" || bind.empty()) return "localhost";
  if (bind.find(':') != std::string::npos) return "[" + bind + "]";
  return bind;
}

// "posts/x/index.html" → "/posts/x/".
std::string url_of_output(const std::string& path) {
  std::string url = "/" + path;
  if (url.ends_with("/index.html")) url.resize(url.size() - 10);
  return url;
}

class Loop {
 public:
  Loop(const LiveSiteOptions& options, LiveReload& live) : options_(options), live_(live) {}

  // One build, reported in the terminal and to the open pages.
  void build(const std::vector<std::string>& changed) {
    DiagnosticSink sink;
    BuildResult result;
    bool ok = build_site(options_.build, &result, sink);
    std::string errors = report(sink);
    if (!ok) {
      size_t n = sink.error_count();
      std::fprintf(stderr, "%zu error%s; the preview shows the last good build.\n", n,
                   n == 1 ? "" : "s");
      live_.error(errors);
      failed_ = true;
      return;
    }
    std::printf("%s\n", result.summary().c_str());
    std::fflush(stdout);
    if (result.nothing_to_do && !failed_) return;
    failed_ = false;
    std::vector<std::string> paths = result.written_paths;
    paths.insert(paths.end(), result.removed_paths.begin(), result.removed_paths.end());
    std::string navigate;
    if (options_.navigate_to_changed && !changed.empty()) {
      for (const std::string& page : result.pages_read) {
        if (std::find(result.written_paths.begin(), result.written_paths.end(), page) !=
            result.written_paths.end()) {
          navigate = url_of_output(page);
          break;
        }
      }
    }
    live_.reload(paths, !result.incremental && !result.nothing_to_do, navigate);
  }

 private:
  // Prints the build's errors, and its warnings the build before did not
  // give (a rebuild restores the warnings of every page it did not read
  // again: printed at every save they would bury the new ones). Returns
  // the errors, formatted.
  std::string report(const DiagnosticSink& sink) {
    std::string errors, fresh;
    std::unordered_set<std::string> now;
    size_t shown = 0, old = 0;
    for (const Diagnostic* d : sink.sorted()) {
      std::string text = format_diagnostic(*d);
      if (d->severity != Severity::kWarning) {
        errors += text;
        continue;
      }
      if (warned_.count(text)) {
        ++old;
      } else if (++shown <= kShownWarnings) {
        fresh += text;
      }
      now.insert(std::move(text));
    }
    if (shown > kShownWarnings)
      fresh += "… and " + std::to_string(shown - kShownWarnings) + " more new warnings.\n";
    if (old && !fresh.empty()) fresh += "(and " + std::to_string(old) + " warnings shown before)\n";
    std::fputs((fresh + errors).c_str(), stderr);
    warned_ = std::move(now);
    return errors;
  }

  static constexpr size_t kShownWarnings = 50;
  const LiveSiteOptions& options_;
  LiveReload& live_;
  bool failed_ = false;
  std::unordered_set<std::string> warned_;  // the last build's warnings
};

void print_changes(const std::vector<std::string>& changed) {
  std::string list;
  for (size_t i = 0; i < changed.size() && i < 3; ++i) list += (i ? ", " : "") + changed[i];
  if (changed.size() > 3) list += " and " + std::to_string(changed.size() - 3) + " more";
  std::printf("Changed: %s\n", list.c_str());
  std::fflush(stdout);
}

}  // namespace

int serve_live(LiveSiteOptions options) {
  // SIGINT and SIGTERM are read from a descriptor, by the loop, in every
  // thread started from here on: Ctrl-C stops the loop between builds,
  // then the server.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a tab closed mid-response
  int stop_fd = ::signalfd(-1, &stop_signals, SFD_CLOEXEC);

  if (options.build.dest.empty()) options.build.dest = default_preview_folder(options.build.source);
  LiveReload live;
  ServeOptions serve;
  serve.root = options.build.dest;
  serve.bind = options.bind;
  serve.port = options.port;
  serve.live = &live;
  DevServer server;
  std::string error;
  if (!server.listen(serve, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  if (!is_loopback(options.bind)) {
    std::fprintf(stderr,
                 "warning: listening on %s: the preview is reachable from the network, not "
                 "only from this machine\n",
                 options.bind.c_str());
  }
  const std::string url =
      "http://" + url_host(options.bind) + ":" + std::to_string(server.port()) + "/";
  options.build.base_url = url;
  options.build.progress = false;

  Loop loop(options, live);
  loop.build({});
  std::thread http([&] {
    std::string run_error;
    if (!server.run(&run_error)) std::fprintf(stderr, "error: %s\n", run_error.c_str());
  });
  std::printf("Serving %s at %s (preview in %s; Ctrl+C to stop)\n", options.build.source.c_str(),
              url.c_str(), options.build.dest.c_str());
  std::fflush(stdout);

  Watcher watcher;
  const fs::path site = options.build.source;
  if (!watcher.start(site, {"content", "data", "templates", "static", "themes"}, {"byline.toml"},
                     &error)) {
    std::fprintf(stderr, "warning: %s; edits will not be seen\n", error.c_str());
    // Serve what was built until stopped.
    signalfd_siginfo info;
    while (::read(stop_fd, &info, sizeof info) < 0 && errno == EINTR) {
    }
  } else {
    std::vector<std::string> changed;
    while (watcher.wait(stop_fd, &changed)) {
      print_changes(changed);
      loop.build(changed);
    }
  }
  server.stop();
  http.join();
  if (stop_fd >= 0) ::close(stop_fd);
  std::printf("Stopped.\n");
  return 0;
}

}  // namespace byline
