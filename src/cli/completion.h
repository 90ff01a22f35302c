// `byline completion bash|zsh`: a shell completion script made from the
// CLI11 definition of the command line, so every command, subcommand and
// flag added there is completed without editing a script by hand.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace byline {

// The script for `shell` ("bash" or "zsh") completing `app`, whose name is
// the program's; empty for another shell.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace byline
