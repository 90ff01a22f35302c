#include "cli/cli.h"
namespace byline {
int run_cli(int, char**) { return 0; }
}  // namespace byline
