// byline check: the flags of check/check.h, its report and exit status.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "base/datetime.h"
#include "check/check.h"
#include "cli/command.h"

namespace byline {

namespace {

struct CheckFlags {
  CheckOptions options;
  std::string source = ".", dest, now;
  bool no_build = false, no_cache = false, quiet = false, timings = false;
};

int run_check_command(CheckFlags& f) {
  CheckOptions o = f.options;
  o.site = f.source;
  o.dest = f.dest;
  o.build = !f.no_build;
  if (!f.now.empty()) o.now = parse_datetime(f.now);
  o.progress = !f.quiet && ::isatty(STDERR_FILENO);
  if (f.no_cache) o.external_options.cache_seconds = 0;
  DiagnosticSink sink;
  CheckSummary summary;
  bool ran = run_check(o, &summary, sink);
  std::string all = o.verbose ? sink.format_all() : sink.format_report();
  if (!all.empty()) std::fputs(all.c_str(), stderr);
  if (!ran) {
    size_t n = sink.error_count();
    std::fprintf(stderr, "%zu error%s; nothing was checked.\n", n, n == 1 ? "" : "s");
    return 1;
  }
  if (!f.quiet && !summary.build_summary.empty())
    std::printf("%s\n", summary.build_summary.c_str());
  std::printf("%s\n", summary.to_text().c_str());
  if (f.timings) {
    std::printf(
        "index %.3f s, pages %.3f s, wordpress %.3f s, external %.3f s, report %.3f s; CPU: "
        "internal check %.3f s, all %.3f s\n",
        summary.t_index, summary.t_pages, summary.t_wordpress, summary.t_external, summary.t_report,
        summary.cpu_internal, summary.cpu_total);
  }
  return sink.has_errors() ? 1 : 0;
}

}  // namespace

void add_check_command(CLI::App& app, std::vector<Command>* commands) {
  auto f = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Build the site and check every internal link, #fragment, image, stylesheet, feed and "
      "sitemap entry (--wordpress: the old URLs of an export; --external: links to other sites)");
  cmd->add_option("-s,--source", f->source, "The site's folder (holding byline.toml)")
      ->capture_default_str();
  cmd->add_option("-d,--destination", f->dest,
                  "The built site to check, and where to build it (default: SOURCE/public)");
  cmd->add_flag("--no-build", f->no_build,
                "Check the output as the last build left it instead of building first");
  cmd->add_option("--now", f->now, "Build and decide what is future or expired as if it were DATE")
      ->type_name("DATE")
      ->check(date_validator());
  cmd->add_option("--wordpress", f->options.wordpress_export,
                  "A WordPress export (WXR): check that every published post, page, attachment, "
                  "term archive, ?p= id and /wp-content/uploads/ URL still resolves")
      ->type_name("EXPORT.xml");
  cmd->add_flag("--external", f->options.external,
                "Also request every external link (HEAD, then GET), results cached in "
                "SOURCE/.byline/check-external.tsv");
  cmd->add_option("--per-host", f->options.external_options.per_host,
                  "External links: requests at once to one host")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  cmd->add_option("--timeout", f->options.external_options.timeout_seconds,
                  "External links: seconds to wait for a server")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--retries", f->options.external_options.retries,
                  "External links: tries again after a timeout, a refused connection, 429 or 5xx")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  cmd->add_flag("--no-cache", f->no_cache,
                "External links: ask again about every link, whatever the cache says");
  cmd->add_flag("-q,--quiet", f->quiet, "Print only problems and the summary");
  cmd->add_flag("-v,--verbose", f->options.verbose,
                "Show every place of an upload the WordPress export carried no file for "
                "(otherwise one line for the site)");
  cmd->add_flag("--timings", f->timings, "Print the time each stage of the check took");
  commands->push_back({cmd, [f] { return run_check_command(*f); }});
}

}  // namespace byline
