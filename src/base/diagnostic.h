// Diagnostics as compilers print them: `path:line:col: error: message`, the
// offending source line and a caret under the column. Every stage reports
// user-facing problems through a DiagnosticSink instead of throwing.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace byline {

enum class Severity { kError, kWarning, kNote };

// A place in a source file. line and column are 1-based; 0 means unknown
// (a diagnostic about a whole file has line 0).
struct SourceLocation {
  std::string path;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string message;
  // The text of the offending line (without its newline), shown under the
  // message with a caret; empty when there is no line to show.
  std::string source_line;
  // The page being rendered when a template failed ("while rendering X"),
  // and how many other pages hit the same error: a broken partial that
  // every page includes is one error, shown once.
  std::string rendering = {};
  size_t rendering_others = 0;
};

// Returns the 1-based line `line` of `text` without its line terminator, or
// "" when the text has fewer lines.
std::string_view line_of(std::string_view text, int line);

// Computes the 1-based line and column of byte `offset` in `text`. Columns
// count characters (UTF-8 code points), not bytes, as editors show them.
void line_and_column(std::string_view text, size_t offset, int* line, int* column);

// Renders a diagnostic: the header line, then the source line and a caret
// line when source_line is set. Ends with a newline.
std::string format_diagnostic(const Diagnostic& d);

// Collects diagnostics from any number of threads. Output order is stable:
// diagnostics are sorted by path, line and column before printing, so the
// report does not depend on thread scheduling.
class DiagnosticSink {
 public:
  // The same diagnostic twice (one broken partial that many pages include,
  // a template shared by three feeds) is reported once.
  void report(Diagnostic d);
  // Convenience: an error at `loc`, showing line loc.line of `source`.
  void error(const SourceLocation& loc, std::string message, std::string_view source = {});
  void warning(const SourceLocation& loc, std::string message, std::string_view source = {});

  bool has_errors() const;
  // Distinct errors: a repeat of one already reported is not counted.
  size_t error_count() const;
  // The diagnostics in printing order, by pointer: a 100,000-post build can
  // hold tens of thousands of warnings, and the report prints fifty. Valid
  // until the next report() or error()/warning().
  std::vector<const Diagnostic*> sorted() const;
  // All diagnostics, formatted and sorted, concatenated.
  std::string format_all() const;
  // What a command shows: every error, and the first `shown_warnings`
  // warnings with a line saying how many more there are.
  std::string format_report(size_t shown_warnings = 50) const;

 private:
  mutable std::mutex mu_;
  std::vector<Diagnostic> diagnostics_;
  // Severity, place and message of each, to its index in diagnostics_;
  // and the pages each one was rendering.
  std::unordered_map<std::string, size_t> seen_;
  std::unordered_map<size_t, std::unordered_set<std::string>> pages_of_;
  size_t errors_ = 0;
};

}  // namespace byline
