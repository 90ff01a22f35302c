// What the commands of cli.cc and the files beside it share: a command and
// the code that runs it, the diagnostics report, the date flag's check.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

// A command of the command line and what runs when it is the one given.
// Its flags live in the closure, filled by CLI11 while it parses.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// Prints the diagnostics (every error, the first warnings, or all of
// them with `every_warning`) to stderr;
// returns 1 when there were errors, else 0.
int report(const DiagnosticSink& sink, bool every_warning = false);

// Accepts what parse_datetime() reads (2025-06-01, 2025-06-01T12:00:00Z).
CLI::Validator date_validator();

// byline new site DIR / byline new post TITLE (cli/new_commands.cc)
void add_new_commands(CLI::App& app, std::vector<Command>* commands);

// byline list drafts|future|expired|all, byline config (cli/site_commands.cc)
void add_list_command(CLI::App& app, std::vector<Command>* commands);
void add_config_command(CLI::App& app, std::vector<Command>* commands);
// byline clean [--images] [--state] (cli/site_commands.cc)
void add_clean_command(CLI::App& app, std::vector<Command>* commands);

// byline check (cli/check_command.cc)
void add_check_command(CLI::App& app, std::vector<Command>* commands);

// byline completion bash|zsh (cli/completion.cc)
void add_completion_command(CLI::App& app, std::vector<Command>* commands);

// byline help [COMMAND…] (cli/help.cc): the help of a command or
// subcommand ("byline help new post"); 2 for an unknown one.
int run_help(const CLI::App& app, const std::vector<std::string>& topic);

// When argv names a command `app` does not have ("byline biuld"), prints
// "error: unknown command 'biuld'; did you mean 'build'?" and returns true.
bool report_unknown_command(const CLI::App& app, int argc, char** argv);

}  // namespace byline
