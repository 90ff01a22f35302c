#include "cli/command.h"

#include <cstdio>
#include <string>

#include "base/datetime.h"

namespace byline {

namespace {

// Every error is shown; warnings stop after kShownWarnings, so a site with
// thousands of missing images still shows its errors on one screen.
constexpr size_t kShownWarnings = 50;

}  // namespace

int report(const DiagnosticSink& sink) {
  std::string all;
  size_t warnings = 0;
  for (const Diagnostic* d : sink.sorted()) {
    if (d->severity == Severity::kWarning && ++warnings > kShownWarnings) continue;
    all += format_diagnostic(*d);
  }
  if (warnings > kShownWarnings) {
    size_t more = warnings - kShownWarnings;
    all += "… and " + std::to_string(more) + " more warning" + (more == 1 ? "" : "s") +
           " not shown (" + std::to_string(warnings) + " in all).\n";
  }
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
