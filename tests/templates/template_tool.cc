// A tiny driver for the template engine used by the differential tests:
// byline_template_tool NAME --templates DIR --context FILE.json [--strict]
#include <cstdio>
#include <cstring>
#include <string>

#include "templates/template_command.h"

int main(int argc, char** argv) {
  std::string name, dir = ".", context;
  bool strict = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--templates") && i + 1 < argc) {
      dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--context") && i + 1 < argc) {
      context = argv[++i];
    } else if (!std::strcmp(argv[i], "--strict")) {
      strict = true;
    } else if (name.empty() && argv[i][0] != '-') {
      name = argv[i];
    } else {
      std::fprintf(stderr, "usage: %s NAME --templates DIR --context FILE.json [--strict]\n",
                   argv[0]);
      return 2;
    }
  }
  if (name.empty()) {
    std::fprintf(stderr, "usage: %s NAME --templates DIR --context FILE.json [--strict]\n",
                 argv[0]);
    return 2;
  }
  std::string out, diagnostics;
  int rc = byline::run_template_render(name, dir, context, strict, &out, &diagnostics);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(diagnostics.data(), 1, diagnostics.size(), stderr);
  return rc;
}
