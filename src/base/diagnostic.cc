// Formatting and collection of located diagnostics.
#include "base/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace byline {

std::string_view line_of(std::string_view text, int line) {
  if (line < 1) return {};
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  if (start > text.size()) return {};
  size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  std::string_view l = text.substr(start, end - start);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

void line_and_column(std::string_view text, size_t offset, int* line, int* column) {
  offset = std::min(offset, text.size());
  int l = 1, c = 1;
  for (size_t i = 0; i < offset; ++i) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch == '\n') {
      ++l;
      c = 1;
    } else if ((ch & 0xC0) != 0x80) {  // count code points, not continuation bytes
      ++c;
    }
  }
  *line = l;
  *column = c;
}

static const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.location.path;
  if (d.location.line > 0) {
    out += ':' + std::to_string(d.location.line);
    if (d.location.column > 0) out += ':' + std::to_string(d.location.column);
  }
  if (!out.empty()) out += ": ";
  out += severity_name(d.severity);
  out += ": ";
  out += d.message;
  if (!d.rendering.empty()) {
    out += " (while rendering " + d.rendering;
    if (d.rendering_others)
      out += " and " + std::to_string(d.rendering_others) + " other page" +
             (d.rendering_others == 1 ? "" : "s");
    out += ')';
  }
  out += '\n';
  if (!d.source_line.empty()) {
    out += "  ";
    out += d.source_line;
    out += '\n';
    if (d.location.column > 0) {
      // Tabs in the source line are kept in the caret line so the caret
      // lines up whatever the terminal's tab width.
      std::string pad = "  ";
      int col = 1;
      for (size_t i = 0; i < d.source_line.size() && col < d.location.column; ++i) {
        unsigned char ch = static_cast<unsigned char>(d.source_line[i]);
        if ((ch & 0xC0) == 0x80) continue;
        pad += ch == '\t' ? '\t' : ' ';
        ++col;
      }
      out += pad;
      out += "^\n";
    }
  }
  return out;
}

void DiagnosticSink::report(Diagnostic d) {
  std::string key = std::to_string(static_cast<int>(d.severity)) + '\0' + d.location.path + '\0' +
                    std::to_string(d.location.line) + ':' + std::to_string(d.location.column) +
                    '\0' + d.message;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = seen_.try_emplace(std::move(key), diagnostics_.size());
  if (!added) {
    // The same error from another page: counted, and the first page in
    // path order named, so the report does not depend on the threads.
    if (d.rendering.empty() || !pages_of_[it->second].insert(d.rendering).second) return;
    Diagnostic& kept = diagnostics_[it->second];
    ++kept.rendering_others;
    if (d.rendering < kept.rendering) kept.rendering = std::move(d.rendering);
    return;
  }
  if (!d.rendering.empty()) pages_of_[it->second].insert(d.rendering);
  if (d.severity == Severity::kError) ++errors_;
  diagnostics_.push_back(std::move(d));
}

void DiagnosticSink::error(const SourceLocation& loc, std::string message,
                           std::string_view source) {
  report({Severity::kError, loc, std::move(message), std::string(line_of(source, loc.line))});
}

void DiagnosticSink::warning(const SourceLocation& loc, std::string message,
                             std::string_view source) {
  report({Severity::kWarning, loc, std::move(message), std::string(line_of(source, loc.line))});
}

bool DiagnosticSink::has_errors() const { return error_count() > 0; }

size_t DiagnosticSink::error_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return errors_;
}

std::vector<const Diagnostic*> DiagnosticSink::sorted() const {
  std::vector<const Diagnostic*> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out.reserve(diagnostics_.size());
    for (const Diagnostic& d : diagnostics_) out.push_back(&d);
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->location.path, a->location.line, a->location.column) <
           std::tie(b->location.path, b->location.line, b->location.column);
  });
  return out;
}

std::string DiagnosticSink::format_report(size_t shown_warnings) const {
  std::string all;
  size_t warnings = 0;
  for (const Diagnostic* d : sorted()) {
    if (d->severity == Severity::kWarning && ++warnings > shown_warnings) continue;
    all += format_diagnostic(*d);
  }
  if (warnings > shown_warnings) {
    size_t more = warnings - shown_warnings;
    all += "… and " + std::to_string(more) + " more warning" + (more == 1 ? "" : "s") +
           " not shown (" + std::to_string(warnings) + " in all).\n";
  }
  return all;
}

std::string DiagnosticSink::format_all() const {
  std::string out;
  for (const Diagnostic* d : sorted()) out += format_diagnostic(*d);
  return out;
}

}  // namespace byline
