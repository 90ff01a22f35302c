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

TEST(DiagnosticSink, OneTemplateErrorFromManyPagesIsOneError) {
  DiagnosticSink sink;
  auto from = [&](const char* page) {
    Diagnostic d;
    d.location.path = "templates/footer.html";
    d.location.line = 2;
    d.location.column = 7;
    d.message = "expected an expression";
    d.source_line = "{% if %}";
    d.rendering = page;
    sink.report(std::move(d));
  };
  from("content/posts/b.md");
  from("content/posts/c.md");
  from("content/about.md");    // first in path order, whatever thread came first
  from("content/posts/b.md");  // the same page again is not another page
  EXPECT_EQ(sink.error_count(), 1u);
  ASSERT_EQ(sink.sorted().size(), 1u);
  EXPECT_EQ(format_diagnostic(*sink.sorted()[0]),
            "templates/footer.html:2:7: error: expected an expression (while rendering "
            "content/about.md and 2 other pages)\n"
            "  {% if %}\n"
            "        ^\n");
  DiagnosticSink one;
  Diagnostic d;
  d.location.path = "t.html";
  d.location.line = 1;
  d.location.column = 1;
  d.message = "bad";
  d.rendering = "x.md";
  one.report(d);
  EXPECT_EQ(format_diagnostic(*one.sorted()[0]), "t.html:1:1: error: bad (while rendering x.md)\n");
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
