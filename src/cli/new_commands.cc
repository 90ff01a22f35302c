// byline new site DIR / byline new post TITLE [flags]
#include <cstdio>
#include <memory>
#include <string>

#include "base/datetime.h"
#include "base/strings.h"
#include "cli/command.h"
#include "content/scaffold.h"

namespace byline {

namespace {

void add_new_site(CLI::App* new_cmd, std::vector<Command>* commands) {
  auto site_dir = std::make_shared<std::string>();
  CLI::App* new_site = new_cmd->add_subcommand(
      "site", "Create a ready-to-build site in DIR: byline.toml, content/, static/, .gitignore");
  new_site->add_option("DIR", *site_dir, "The folder to create")->required();
  commands->push_back({new_site, [site_dir] {
                         DiagnosticSink sink;
                         if (!create_site(*site_dir, sink)) return report(sink);
                         std::printf(
                             "Created a byline site in %s\nNext: cd %s && byline new post "
                             "\"Title\" && byline serve\n",
                             site_dir->c_str(), site_dir->c_str());
                         return 0;
                       }});
}

struct PostFlags {
  std::string title, date, slug, outlet, original_url, section = "posts", site = ".";
  std::vector<std::string> tags;
  bool draft = false, publish = false;
};

int run_new_post(const PostFlags& f) {
  NewPost post;
  post.title = std::string(trim(f.title));
  for (const std::string& tag : f.tags) {
    if (!trim(tag).empty()) post.tags.emplace_back(trim(tag));
  }
  post.outlet = std::string(trim(f.outlet));
  post.original_url = std::string(trim(f.original_url));
  post.slug = std::string(trim(f.slug));
  post.section = f.section;
  post.draft = !f.publish;
  if (!f.date.empty()) post.date = *parse_datetime(f.date);
  DiagnosticSink sink;
  std::filesystem::path written;
  bool ok = create_post(f.site, post, &written, sink);
  int status = report(sink);
  if (!ok) return 1;
  std::printf("Created %s%s\n", written.lexically_normal().c_str(),
              post.draft ? " (a draft: build with --drafts to see it, or set draft: false)" : "");
  return status;
}

void add_new_post(CLI::App* new_cmd, std::vector<Command>* commands) {
  auto f = std::make_shared<PostFlags>();
  CLI::App* cmd = new_cmd->add_subcommand(
      "post",
      "Write content/SECTION/YYYY/slug.md with front matter, from archetypes/SECTION.md or "
      "archetypes/default.md (in the site, then its theme) when there is one; a draft unless "
      "--publish");
  cmd->add_option("TITLE", f->title, "The post's title")->required();
  cmd->add_option("--date", f->date, "The post's date (default: now), e.g. 2025-06-01T09:30:00Z")
      ->type_name("DATE")
      ->check(date_validator());
  auto* draft = cmd->add_flag("--draft", f->draft, "Make it a draft (the default)");
  cmd->add_flag("--publish", f->publish, "Make it published (draft: false)")->excludes(draft);
  cmd->add_option("--slug", f->slug, "The URL slug and file name (default: from the title)");
  cmd->add_option("--tags", f->tags, "Comma-separated tags, e.g. --tags Russia,Energy")
      ->delimiter(',');
  cmd->add_option("--outlet", f->outlet, "Where the piece first ran");
  cmd->add_option("--original-url", f->original_url, "The piece's address at the outlet")
      ->type_name("URL")
      ->check(CLI::Validator(
          [](std::string& url) {
            return url.starts_with("http://") || url.starts_with("https://")
                       ? std::string()
                       : "not a full URL (http:// or https://): " + url;
          },
          ""));
  cmd->add_option("--section", f->section, "The content folder to write it in")
      ->capture_default_str();
  cmd->add_option("-s,--source", f->site, "The site's folder")->capture_default_str();
  commands->push_back({cmd, [f] { return run_new_post(*f); }});
}

}  // namespace

void add_new_commands(CLI::App& app, std::vector<Command>* commands) {
  CLI::App* new_cmd = app.add_subcommand("new", "Create a new site or a new post");
  new_cmd->require_subcommand(1);
  add_new_site(new_cmd, commands);
  add_new_post(new_cmd, commands);
}

}  // namespace byline
