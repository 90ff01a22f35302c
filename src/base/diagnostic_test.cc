#include "base/diagnostic.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

Diagnostic make(std::string path, int line, int col, std::string msg, std::string src) {
  Diagnostic d;
  d.location.path = std::move(path);
  d.location.line = line;
  d.location.column = col;
  d.message = std::move(msg);
  d.source_line = std::move(src);
  return d;
}

TEST(Diagnostic, FormatsLikeACompiler) {
  Diagnostic d = make("content/posts/x.md", 4, 7, "expected ':' after key", "title \"x\"");
  EXPECT_EQ(format_diagnostic(d),
            "content/posts/x.md:4:7: error: expected ':' after key\n"
            "  title \"x\"\n"
            "        ^\n");
}

TEST(Diagnostic, CaretCountsCodePointsAndKeepsTabs) {
  Diagnostic d = make("a.toml", 1, 4, "m", "\té: x");
  d.severity = Severity::kWarning;
  EXPECT_EQ(format_diagnostic(d), "a.toml:1:4: warning: m\n  \té: x\n  \t  ^\n");
}

TEST(Diagnostic, WholeFile) {
  Diagnostic d = make("byline.toml", 0, 0, "cannot read file", "");
  EXPECT_EQ(format_diagnostic(d), "byline.toml: error: cannot read file\n");
}

TEST(LineAndColumn, CountsCodePoints) {
  int line, col;
  line_and_column("ab\ncé d", 6, &line, &col);
  EXPECT_EQ(line, 2);
  EXPECT_EQ(col, 3);
  EXPECT_EQ(line_of("a\nb\r\nc", 2), "b");
  EXPECT_EQ(line_of("a", 3), "");
}

TEST(DiagnosticSink, ReportsTheSameDiagnosticOnce) {
  DiagnosticSink sink;
  for (int i = 0; i < 3; ++i) sink.error({"t/a.html", 1, 4}, "no filter named 'x'", "{{ y|x }}");
  sink.error({"t/a.html", 1, 5}, "no filter named 'x'", "{{ y|x }}");
  sink.warning({"t/a.html", 1, 4}, "no filter named 'x'", "{{ y|x }}");
  EXPECT_EQ(sink.error_count(), 2u);
  EXPECT_EQ(sink.sorted().size(), 3u);
}

TEST(DiagnosticSink, SortsByPlace) {
  DiagnosticSink sink;
  sink.error({"b.md", 1, 1}, "second");
  sink.warning({"a.md", 9, 1}, "first");
  EXPECT_EQ(sink.error_count(), 1u);
  auto all = sink.sorted();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->message, "first");
  EXPECT_EQ(all[1]->message, "second");
}

}  // namespace
}  // namespace byline
