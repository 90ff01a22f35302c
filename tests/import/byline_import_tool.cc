// Test driver for the WordPress importer until `byline import wordpress`
// lands in the CLI: byline_import_tool EXPORT.xml [-o DIR] [--uploads DIR] [--force]
#include <cstdio>
#include <cstring>
#include <iostream>

#include "import/wordpress_import.h"

int main(int argc, char** argv) {
  byline::WordPressImportOptions opts;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-o" || a == "--output") && i + 1 < argc) {
      opts.output_dir = argv[++i];
    } else if (a == "--uploads" && i + 1 < argc) {
      opts.uploads_dir = argv[++i];
    } else if (a == "--force") {
      opts.force = true;
    } else if (!a.empty() && a[0] != '-' && opts.export_path.empty()) {
      opts.export_path = a;
    } else {
      std::cerr << "usage: byline_import_tool EXPORT.xml [-o DIR] [--uploads DIR] [--force]\n";
      return 2;
    }
  }
  if (opts.export_path.empty()) {
    std::cerr << "usage: byline_import_tool EXPORT.xml [-o DIR] [--uploads DIR] [--force]\n";
    return 2;
  }
  byline::DiagnosticSink sink;
  byline::ImportReport report;
  int status = byline::import_wordpress(opts, &report, sink);
  std::cerr << sink.format_all();
  if (status == 0) std::cout << report.to_text();
  return status;
}
