// The command line (CLI11). Each command turns its flags into the options
// struct of the stage that does the work, runs it, and maps the result to
// an exit status: 0 ok, 1 user error (with diagnostics), 2 usage error.
#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "base/datetime.h"
#include "base/strings.h"
#include "build/build.h"
#include "check/missing_uploads.h"
#include "cli/command.h"
#include "import/wordpress_import.h"
#include "render/template_command.h"
#include "serve/live_site.h"

namespace byline {

namespace {

constexpr const char* kDescription =
    "byline: a static publishing engine for writers' archives.\n"
    "Turns a folder of Markdown posts into a complete site.";

struct BuildFlags {
  std::string source = ".";
  std::string dest;
  bool drafts = false, future = false, expired = false, quiet = false, timings = false;
  bool full = false, explain = false, verbose = false;
  std::string base_url;
  std::string now;

  void add_to(CLI::App* cmd, bool with_dest) {
    cmd->add_option("-s,--source", source, "The site's folder (holding byline.toml)")
        ->capture_default_str();
    if (with_dest) {
      cmd->add_option("-d,--destination", dest, "Where to write the site (default: SOURCE/public)");
    }
    cmd->add_flag("--drafts", drafts, "Include drafts");
    cmd->add_flag("--future", future, "Include posts dated in the future");
    cmd->add_flag("--expired", expired, "Include posts past their expiry_date");
    cmd->add_option("--now", now,
                    "Build as if it were DATE (e.g. 2025-06-01 or 2025-06-01T12:00:00Z): the "
                    "cut-off for --future/--expired and the templates' now()")
        ->type_name("DATE")
        ->check(date_validator());
  }

  BuildOptions options() const {
    BuildOptions o;
    o.source = source;
    o.dest = dest;
    o.drafts = drafts;
    o.future = future;
    o.expired = expired;
    o.base_url = base_url;
    o.full = full;
    o.explain = explain;
    if (!now.empty()) o.now = parse_datetime(now);
    return o;
  }
};

int run_build(const BuildFlags& flags) {
  BuildOptions options = flags.options();
  options.progress = !flags.quiet && ::isatty(STDERR_FILENO);
  options.exiting_after = true;
  DiagnosticSink build_sink, sink;
  BuildResult result;
  bool ok = build_site(options, &result, build_sink);
  // An imported site's uploads the export carried no file for: one
  // warning for the site, not one per image (check/missing_uploads.h).
  MissingUploads missing;
  std::filesystem::path csv = std::filesystem::path(flags.source) / "attachments.csv";
  missing.load(csv);
  fold_missing_upload_warnings(build_sink, missing, csv.lexically_normal().string(), flags.verbose,
                               &sink);
  int status = report(sink, flags.verbose);
  if (!ok) return 1;
  for (const auto& [path, why] : result.explanations)
    std::printf("%s: %s\n",
                (std::filesystem::path(options.dest.empty() ? "public" : options.dest) / path)
                    .lexically_normal()
                    .c_str(),
                why.c_str());
  if (flags.explain && !result.incremental && !result.nothing_to_do)
    std::printf("full build: %s\n", result.full_reason.c_str());
  if (!flags.quiet) std::printf("%s\n", result.summary().c_str());
  if (flags.timings) {
    std::printf(
        "config %.3f s, state %.3f s, content %.3f s, markdown %.3f s, images %.3f s, "
        "site %.3f s, render+write %.3f s, publish %.3f s, save %.3f s\n",
        result.t_config, result.t_state, result.t_content, result.t_markdown, result.t_images,
        result.t_site, result.t_render, result.t_publish, result.t_save);
    // On a line of its own, so that the stages above stay one list.
    std::printf(
        "search %.3f s of render+write: analysis %.3f s, related posts %.3f s, index files "
        "%.3f s; cpu %.3f s; %zu of %zu documents analysed\n",
        result.t_search, result.t_search_analyse, result.t_search_related, result.t_search_index,
        result.t_search_cpu, result.search_analysed, result.search_documents);
    if (result.vips_start < 0) {
      std::printf("images: %zu made, %zu from the cache; libvips not started\n", result.images_made,
                  result.images_cached);
    } else {
      std::printf("images: %zu made, %zu from the cache; libvips started in %.3f s\n",
                  result.images_made, result.images_cached, result.vips_start);
    }
  }
  return status;
}

void add_build_command(CLI::App& app, std::vector<Command>* commands) {
  auto flags = std::make_shared<BuildFlags>();
  CLI::App* cmd = app.add_subcommand("build", "Build the site into DEST (default public/)");
  flags->add_to(cmd, true);
  cmd->add_option("--base-url", flags->base_url, "Override the config's base_url");
  cmd->add_flag("-q,--quiet", flags->quiet, "Print only errors and warnings");
  cmd->add_flag("-v,--verbose", flags->verbose,
                "Show every place of an upload the WordPress export carried no file for "
                "(otherwise one warning for the site)");
  cmd->add_flag("--timings", flags->timings, "Print the time each stage took");
  cmd->add_flag("--full", flags->full,
                "Build everything, ignoring what the last build saved (.byline/)");
  cmd->add_flag("--explain", flags->explain,
                "Say why each file written was made again (or why the build is a full one)");
  commands->push_back({cmd, [flags] { return run_build(*flags); }});
}

void add_serve_command(CLI::App& app, std::vector<Command>* commands) {
  struct ServeFlags {
    BuildFlags build;
    std::string bind = "127.0.0.1";
    int port = 1313;
    std::string render_to_disk;
    bool navigate = false;
    bool timings = false;
  };
  auto f = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Build the site into a preview folder and serve it; rebuild what an edit changes and "
      "reload the open pages");
  f->build.add_to(cmd, false);
  cmd->add_option("-p,--port", f->port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  cmd->add_option("--bind", f->bind,
                  "Address to listen on (another than 127.0.0.1 makes the preview reachable "
                  "from the network)")
      ->capture_default_str();
  cmd->add_option("--render-to-disk,-d", f->render_to_disk,
                  "Build the preview into DIR (default: SOURCE/.byline/serve/public; never "
                  "public/ unless asked)")
      ->type_name("DIR");
  cmd->add_flag("--navigate-to-changed", f->navigate,
                "After a rebuild, take the open pages to the page that was edited");
  cmd->add_flag("--timings", f->timings, "Print the time each stage of each rebuild took");
  commands->push_back({cmd, [f] {
                         LiveSiteOptions o;
                         o.build = f->build.options();
                         o.build.dest = f->render_to_disk;
                         o.bind = f->bind;
                         o.port = f->port;
                         o.navigate_to_changed = f->navigate;
                         o.timings = f->timings;
                         return serve_live(std::move(o));
                       }});
}

// byline template render NAME --templates DIR --context FILE.json
void add_template_commands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* template_cmd = app.add_subcommand("template", "Tools for theme authors");
  template_cmd->require_subcommand(1);
  struct RenderFlags {
    std::string name, dir = "templates", context;
    bool strict = false;
  };
  auto f = std::make_shared<RenderFlags>();
  CLI::App* render = template_cmd->add_subcommand(
      "render", "Render one template against a JSON context and print the result");
  render->add_option("NAME", f->name, "The template, e.g. post.html")->required();
  render
      ->add_option("--templates", f->dir,
                   "Folder to look the template up in (then the built-in theme)")
      ->capture_default_str();
  render->add_option("--context", f->context, "A JSON object: the template's variables");
  render->add_flag("--strict", f->strict, "Make any undefined value an error");
  commands->push_back({render, [f] {
                         std::string out, diagnostics;
                         int rc = run_template_render(f->name, f->dir, f->context, f->strict, &out,
                                                      &diagnostics);
                         std::fwrite(out.data(), 1, out.size(), stdout);
                         std::fputs(diagnostics.c_str(), stderr);
                         return rc;
                       }});
}

// byline import wordpress EXPORT.xml [-o DIR] [--uploads DIR] [--force]
void add_import_commands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* import_cmd = app.add_subcommand("import", "Bring a site across from another engine");
  import_cmd->require_subcommand(1);
  auto wp = std::make_shared<WordPressImportOptions>();
  CLI::App* import_wp = import_cmd->add_subcommand(
      "wordpress", "Turn a WordPress export (WXR) into a byline site that keeps every URL");
  import_wp->add_option("EXPORT", wp->export_path, "The export file (Tools > Export in WordPress)")
      ->required();
  import_wp->add_option("-o,--output", wp->output_dir,
                        "The site folder to write (default: named after the export)");
  import_wp->add_option("--uploads", wp->uploads_dir,
                        "A copy of wp-content/uploads, to copy the media in");
  import_wp->add_flag("--force", wp->force, "Overwrite files edited since the last import");
  commands->push_back({import_wp, [wp] {
                         DiagnosticSink sink;
                         ImportReport summary;
                         int rc = import_wordpress(*wp, &summary, sink);
                         int status = report(sink);
                         if (rc != 0) return rc;
                         std::fputs(summary.to_text().c_str(), stdout);
                         return status;
                       }});
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{kDescription, "byline"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.set_version_flag("--version", std::string("byline ") + BYLINE_VERSION,
                       "Print byline's version and exit");

  std::vector<Command> commands;
  add_new_commands(app, &commands);
  add_build_command(app, &commands);
  add_serve_command(app, &commands);
  add_template_commands(app, &commands);
  add_import_commands(app, &commands);
  add_check_command(app, &commands);
  add_list_command(app, &commands);
  add_config_command(app, &commands);
  add_clean_command(app, &commands);
  add_completion_command(app, &commands);
  CLI::App* version_cmd = app.add_subcommand("version", "Print byline's version");
  commands.push_back({version_cmd, [] {
                        std::printf("byline %s\n", BYLINE_VERSION);
                        return 0;
                      }});
  std::vector<std::string> help_topic;
  CLI::App* help_cmd =
      app.add_subcommand("help", "Show help for byline or one command (byline help new post)");
  help_cmd->add_option("COMMAND", help_topic, "A command and its subcommands, e.g. new post");
  commands.push_back({help_cmd, [&] { return run_help(app, help_topic); }});

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (report_unknown_command(app, argc, argv)) return 2;
    std::fprintf(stderr, "byline: %s\nRun 'byline --help' for usage.\n", e.what());
    return 2;
  }
  for (const Command& c : commands) {
    if (*c.app) return c.run();
  }
  return 2;
}

}  // namespace byline
