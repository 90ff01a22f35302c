// byline list drafts|future|expired|all, byline config: what the site's
// content and configuration are, as a build would read them.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/page_list.h"
#include "config/config_writer.h"

namespace byline {

std::string format_page_list(const SiteConfig& config, const Content& content, PageListKind kind,
                             const DateTime& now) {
  std::string out;
  for (const Page& p : content.pages) {
    if (!p.is_regular()) continue;
    bool future = p.date && p.date->utc_seconds > now.utc_seconds;
    bool expired = p.expiry_date && p.expiry_date->utc_seconds <= now.utc_seconds;
    bool listed = kind == PageListKind::kAll || (kind == PageListKind::kDrafts && p.draft) ||
                  (kind == PageListKind::kFuture && future) ||
                  (kind == PageListKind::kExpired && expired);
    if (!listed) continue;
    std::string title = p.title;
    for (char& c : title) {
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    out += "content/" + p.rel_path + "\t" + (p.date ? to_rfc3339(*p.date) : "") + "\t" + title +
           "\t" + config.urls.absolute(p.permalink) + "\n";
  }
  return out;
}

namespace {

struct ListFlags {
  std::string site = ".";
  std::string now;
};

int run_list(const ListFlags& f, PageListKind kind) {
  DiagnosticSink sink;
  SiteConfig config;
  if (!load_config(f.site, &config, sink)) return report(sink);
  ContentOptions options;
  options.drafts = options.future = options.expired = true;
  if (!f.now.empty()) options.now = *parse_datetime(f.now);
  Content content;
  bool ok = load_content(config, f.site, options, &content, sink);
  int status = report(sink);
  if (!ok) return 1;
  std::fputs(format_page_list(config, content, kind, options.now).c_str(), stdout);
  return status;
}

}  // namespace

void add_list_command(CLI::App& app, std::vector<Command>* commands) {
  auto f = std::make_shared<ListFlags>();
  CLI::App* list = app.add_subcommand(
      "list", "List posts and pages, one a line: path, date, title and URL, separated by tabs");
  list->require_subcommand(1);
  list->add_option("-s,--source", f->site, "The site's folder")->capture_default_str();
  list->add_option("--now", f->now, "Decide what is future or expired as if it were DATE")
      ->type_name("DATE")
      ->check(date_validator());
  const std::pair<const char*, const char*> kinds[] = {
      {"drafts", "The drafts (draft: true), which build leaves out without --drafts"},
      {"future", "The posts dated after now, left out without --future"},
      {"expired", "The posts past their expiry_date, left out without --expired"},
      {"all", "Every post and page, drafts, future and expired ones included"},
  };
  for (size_t i = 0; i < std::size(kinds); ++i) {
    CLI::App* cmd = list->add_subcommand(kinds[i].first, kinds[i].second);
    cmd->fallthrough();  // `byline list drafts -s SITE`
    PageListKind kind = static_cast<PageListKind>(i);
    commands->push_back({cmd, [f, kind] { return run_list(*f, kind); }});
  }
}

void add_config_command(CLI::App& app, std::vector<Command>* commands) {
  auto site = std::make_shared<std::string>(".");
  CLI::App* cmd = app.add_subcommand(
      "config",
      "Print the effective configuration as TOML: byline.toml with every default filled in");
  cmd->add_option("-s,--source", *site, "The site's folder")->capture_default_str();
  commands->push_back({cmd, [site] {
                         DiagnosticSink sink;
                         SiteConfig config;
                         bool ok = load_config(*site, &config, sink);
                         int status = report(sink);
                         if (!ok) return 1;
                         std::fputs(config_to_toml(config).c_str(), stdout);
                         return status;
                       }});
}

void add_clean_command(CLI::App& app, std::vector<Command>* commands) {
  struct Flags {
    std::string site = ".";
    bool images = false;
    bool state = false;
  };
  auto f = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "clean", "Empty byline's caches in SOURCE/.byline: processed images, build states");
  cmd->add_option("-s,--source", f->site, "The site's folder")->capture_default_str();
  cmd->add_flag("--images", f->images, "Only the processed images (.byline/images)");
  cmd->add_flag("--state", f->state,
                "Only the incremental builds' states (.byline/builds): the next build is full");
  commands->push_back({cmd, [f] {
                         namespace fs = std::filesystem;
                         DiagnosticSink sink;
                         fs::path site = f->site;
                         std::error_code ec;
                         if (!fs::is_regular_file(site / "byline.toml", ec)) {
                           sink.error({(site / "byline.toml").string(), 0, 0},
                                      "not a byline site (no byline.toml); nothing was removed");
                           return report(sink);
                         }
                         bool both = !f->images && !f->state;
                         std::vector<fs::path> dirs;
                         if (f->images || both) dirs.push_back(site / ".byline" / "images");
                         if (f->state || both) dirs.push_back(site / ".byline" / "builds");
                         for (const fs::path& dir : dirs) {
                           size_t entries = 0;
                           for (auto it = fs::directory_iterator(dir, ec);
                                !ec && it != fs::directory_iterator(); it.increment(ec))
                             ++entries;
                           fs::remove_all(dir, ec);
                           if (ec) {
                             sink.error({dir.string(), 0, 0}, "cannot remove: " + ec.message());
                             continue;
                           }
                           std::printf("Removed %s (%zu entries)\n", dir.string().c_str(), entries);
                         }
                         return report(sink);
                       }});
}

}  // namespace byline
