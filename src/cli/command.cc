#include "cli/command.h"

#include <cstdio>
#include <string>

#include "base/datetime.h"

namespace byline {

// Every error is shown; warnings stop after fifty, so a site with thousands
// of missing images still shows its errors on one screen (`every_warning`,
// from --verbose, shows them all).
int report(const DiagnosticSink& sink, bool every_warning) {
  std::string all = every_warning ? sink.format_all() : sink.format_report();
  if (!all.empty()) std::fputs(all.c_str(), stderr);
  if (sink.has_errors()) {
    size_t n = sink.error_count();
    std::fprintf(stderr, "%zu error%s; nothing was written.\n", n, n == 1 ? "" : "s");
    return 1;
  }
  return 0;
}

CLI::Validator date_validator() {
  return CLI::Validator(
      [](std::string& text) {
        std::string error;
        return parse_datetime(text, &error) ? std::string() : "not a date: " + error;
      },
      "");
}

}  // namespace byline
