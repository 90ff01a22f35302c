// The byline executable: everything lives in byline_core; this only hands
// the command line to the CLI stage.
#include "cli/cli.h"

int main(int argc, char** argv) { return byline::run_cli(argc, argv); }
