// The loop: watch, rebuild, tell the pages. The HTTP server runs on its own
// threads; the watch and the builds on this one, so a burst of saves during
// a build is the next build's change, never a second build at once.
#include "serve/live_site.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>
#include <unordered_set>

#include "base/allocator.h"
#include "base/diagnostic.h"
#include "build/incremental.h"
#include "output/publisher.h"
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

// A change to the site's static files alone, where each is copied into the
// output as it is and nothing else reads it (a stylesheet, a script): the
// outputs to copy, by the files they come from. Empty when the change needs
// a build: any other file, a static file added or removed (it may take a
// path from the theme, a page or robots.txt, or collide with a page), one a
// page reads (an image: its size is in the page's HTML), one the last build
// did not see. A build of the same sources copies the same bytes to the
// same place: the site's own static files come first, and the plan never
// renders a file over one.
std::vector<std::pair<std::string, fs::path>> static_copies(const BuildSession& session,
                                                            const std::vector<std::string>& changed,
                                                            const fs::path& site) {
  std::vector<std::pair<std::string, fs::path>> copies;
  if (!session.scan) return {};
  for (const std::string& path : changed) {
    if (!path.starts_with("static/") || session.page_inputs.count(path)) return {};
    const InputEntry* seen = session.scan->find(path);
    if (!seen || seen->stamp.inode == 0) return {};
    std::error_code ec;
    fs::path source = site / path;
    if (!fs::is_regular_file(source, ec)) return {};
    copies.emplace_back(path.substr(7), std::move(source));
  }
  return copies;
}

class Loop {
 public:
  Loop(const LiveSiteOptions& options, LiveReload& live, BuildSession& session)
      : options_(options), live_(live), session_(session) {}

  // The change, made in the preview and told to the open pages: copied
  // when it is static files alone (see static_copies()), else built.
  void change(const std::vector<std::string>& changed) {
    session_.changed.insert(session_.changed.end(), changed.begin(), changed.end());
    if (!failed_ && copy(static_copies(session_, changed, options_.build.source))) return;
    // A change to pages' bodies alone is made in the kept model.
    if (!failed_ && edit(changed)) return;
    // What the change touched, with the search index and related posts of
    // the last analysis (BuildSession::quick): catch_up() brings them up
    // to date once the writer pauses.
    session_.quick = true;
    build(changed, options_.build);
    session_.quick = false;
  }

  // Whether the search index and related posts wait for catch_up().
  bool search_pending() const { return session_.search_stale && !failed_; }

  // Analyses the site again (a build with nothing changed but the search),
  // given up before it writes anything if the watcher has a change waiting.
  void catch_up(const Watcher& watcher) {
    BuildOptions build_options = options_.build;
    build_options.cancelled = [&watcher] { return watcher.pending(); };
    build({}, build_options);
  }

  // One build, reported in the terminal and to the open pages.
  void build(const std::vector<std::string>& changed, const BuildOptions& build_options) {
    DiagnosticSink sink;
    BuildResult result;
    bool ok = build_site(build_options, &result, sink);
    if (result.cancelled) return;  // the change that came meanwhile is built next
    told(changed, ok, result, sink, false);
  }

  // The change made in the site model the last build kept (edit_live()),
  // when it can be; false when it is for a build.
  bool edit(const std::vector<std::string>& changed) {
    DiagnosticSink sink;
    BuildResult result;
    LiveEdit done = edit_live(options_.build, changed, &result, sink);
    if (done == LiveEdit::kBuild) return false;
    told(changed, done == LiveEdit::kDone, result, sink, true);
    return true;
  }

 private:
  // Reports a build or an edit in the terminal and to the open pages. An
  // edit's warnings are those of the pages it read only.
  void told(const std::vector<std::string>& changed, bool ok, const BuildResult& result,
            const DiagnosticSink& sink, bool edit) {
    std::string errors = report(sink, edit);
    if (!ok) {
      size_t n = sink.error_count();
      std::fprintf(stderr, "%zu error%s; the preview shows the last good build.\n", n,
                   n == 1 ? "" : "s");
      live_.error(errors);
      failed_ = true;
      return;
    }
    std::printf("%s%s\n", result.summary().c_str(),
                result.search_deferred ? "; the search index and related posts follow" : "");
    if (options_.timings) {
      std::printf(
          "  config %.1f ms, state %.1f ms, content %.1f ms, markdown %.1f ms, images %.1f ms, "
          "site %.1f ms, render+write %.1f ms (search %.1f ms), publish %.1f ms, save %.1f ms\n",
          result.t_config * 1e3, result.t_state * 1e3, result.t_content * 1e3,
          result.t_markdown * 1e3, result.t_images * 1e3, result.t_site * 1e3,
          result.t_render * 1e3, result.t_search * 1e3, result.t_publish * 1e3,
          result.t_save * 1e3);
    }
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

  // Prints the build's errors, and its warnings the build before did not
  // give (a rebuild restores the warnings of every page it did not read
  // again: printed at every save they would bury the new ones). Returns
  // the errors, formatted. An edit (`partial`) gives the warnings of the
  // pages it read only: they join the ones known.
  std::string report(const DiagnosticSink& sink, bool partial = false) {
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
    if (partial) {
      warned_.insert(now.begin(), now.end());
    } else {
      warned_ = std::move(now);
    }
    return errors;
  }

  // Copies the files into the preview through a publisher, each replaced in
  // one rename, without a build: the saved state still has the files' old
  // stamps, so the next build copies them again (the same bytes). False,
  // with nothing changed, when a build is needed.
  bool copy(const std::vector<std::pair<std::string, fs::path>>& copies) {
    if (copies.empty()) return false;
    auto start = std::chrono::steady_clock::now();
    DiagnosticSink sink;
    Publisher publisher;
    PublishOptions in_place;
    in_place.in_place = true;
    in_place.leave_sweep = true;  // a save waits for no deletion of earlier output
    if (!publisher.open(options_.build.dest, sink, in_place)) return false;
    std::vector<std::string> written;
    for (const auto& [output, source] : copies) {
      if (!publisher.copy(output, source, sink)) {
        publisher.discard();
        return false;
      }
      written.push_back(output);
    }
    if (!publisher.commit_in_place(written, {}, sink)) {
      std::fputs(report(sink).c_str(), stderr);
      return false;
    }
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("Copied %zu static file%s in %.1f ms\n", written.size(),
                written.size() == 1 ? "" : "s", ms);
    std::fflush(stdout);
    live_.reload(written, false, "");
    return true;
  }

  static constexpr size_t kShownWarnings = 50;
  const LiveSiteOptions& options_;
  LiveReload& live_;
  BuildSession& session_;
  bool failed_ = false;
  std::unordered_set<std::string> warned_;  // the last build's warnings
};

// How long the writer must pause (no save) before the search index and
// the related posts are brought up to date after quick builds.
constexpr int kCatchUpAfterMs = 2000;

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
  // A server lives for hours with one site in memory: what a build frees
  // goes back to the kernel rather than being kept for the next, and no
  // memory comes in 2 MiB pages, which stay resident whole for a few small
  // objects (docs/architecture.md, Memory).
  return_freed_memory_promptly();

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

  // Watching from before the first build: a save made while it runs, or
  // as soon as the server answers, is the next build's change (started
  // after, the watcher missed a save made at once on a busy machine).
  Watcher watcher;
  const fs::path site = options.build.source;
  const bool watching = watcher.start(site, {"content", "data", "templates", "static", "themes"},
                                      {"byline.toml"}, &error);

  BuildSession session;
  options.build.session = &session;
  Loop loop(options, live, session);
  loop.build({}, options.build);
  std::thread http([&] {
    std::string run_error;
    if (!server.run(&run_error)) std::fprintf(stderr, "error: %s\n", run_error.c_str());
  });
  std::printf("Serving %s at %s (preview in %s; Ctrl+C to stop)\n", options.build.source.c_str(),
              url.c_str(), options.build.dest.c_str());
  std::fflush(stdout);

  if (!watching) {
    std::fprintf(stderr, "warning: %s; edits will not be seen\n", error.c_str());
    // Serve what was built until stopped.
    signalfd_siginfo info;
    while (::read(stop_fd, &info, sizeof info) < 0 && errno == EINTR) {
    }
  } else {
    std::vector<std::string> changed;
    for (;;) {
      // The search catches up once the writer has paused: analysing every
      // page's text is what grows with the site, and a save should not
      // wait for it.
      const std::chrono::milliseconds idle(loop.search_pending() ? kCatchUpAfterMs : -1);
      if (!watcher.wait(stop_fd, &changed, std::chrono::milliseconds(8),
                        std::chrono::milliseconds(500), idle))
        break;
      if (changed.empty()) {
        loop.catch_up(watcher);
        continue;
      }
      print_changes(changed);
      loop.change(changed);
    }
  }
  server.stop();
  http.join();
  if (stop_fd >= 0) ::close(stop_fd);
  std::printf("Stopped.\n");
  return 0;
}

}  // namespace byline
