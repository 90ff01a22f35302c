// byline help [COMMAND…] and the "did you mean" of an unknown command.
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "base/suggest.h"
#include "cli/command.h"

namespace byline {

namespace {

const CLI::App* find_subcommand(const CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// Whether `word` is a flag of `app` that takes the next word as its value.
bool takes_value(const CLI::App& app, std::string_view word) {
  if (word.find('=') != std::string_view::npos) return false;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->nonpositional() && opt->get_expected_max() > 0 && opt->check_name(std::string(word))) {
      return true;
    }
  }
  return false;
}

// Prints "error: unknown command 'PATH WORD'" with the nearest known one.
void unknown_command(const CLI::App& at, const std::string& path, const std::string& word) {
  std::vector<std::string> names = subcommand_names(at);
  std::vector<std::string_view> known(names.begin(), names.end());
  std::string suggestion = nearest_name(word, known);
  std::string prefix = path.empty() ? "" : path + " ";
  std::fprintf(stderr, "error: unknown command '%s%s'", prefix.c_str(), word.c_str());
  if (!suggestion.empty())
    std::fprintf(stderr, "; did you mean '%s%s'?", prefix.c_str(), suggestion.c_str());
  std::fprintf(stderr, "\nRun 'byline %s--help' for usage.\n", prefix.c_str());
}

}  // namespace

bool report_unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* at = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.starts_with("-")) {
      if (takes_value(*at, word)) ++i;
      continue;
    }
    if (const CLI::App* sub = find_subcommand(*at, word)) {
      at = sub;
      path += (path.empty() ? "" : " ") + word;
      continue;
    }
    // A word where a command has positional arguments may be one of them.
    bool has_positionals =
        !at->get_options([](const CLI::Option* o) { return !o->nonpositional(); }).empty();
    if (subcommand_names(*at).empty() || has_positionals) return false;
    unknown_command(*at, path, word);
    return true;
  }
  return false;
}

int run_help(const CLI::App& app, const std::vector<std::string>& topic) {
  const CLI::App* at = &app;
  std::string path;
  for (const std::string& word : topic) {
    const CLI::App* sub = find_subcommand(*at, word);
    if (!sub) {
      unknown_command(*at, path, word);
      return 2;
    }
    at = sub;
    path += (path.empty() ? "" : " ") + word;
  }
  // App::help() would describe the parsed subcommand (help itself), so the
  // formatter is asked for the topic directly.
  std::string usage_name = path.empty() ? "byline" : "byline " + path;
  std::cout << app.get_formatter()->make_help(at, usage_name, CLI::AppFormatMode::Normal);
  return 0;
}

}  // namespace byline
