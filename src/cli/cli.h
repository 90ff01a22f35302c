// The command line: parses arguments into options and calls the stage that
// does the work. Returns the process exit status (0 ok, 1 user error,
// 2 usage error).
#pragma once

namespace byline {

int run_cli(int argc, char** argv);

}  // namespace byline
