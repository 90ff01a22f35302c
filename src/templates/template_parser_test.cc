// Syntax errors: exact diagnostics (template, line, column, caret, what was
// expected), and the lexer's whitespace control.
#include "templates/template_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace byline {
namespace {

std::string syntax_error(std::string_view source, std::string name = "post.html") {
  Diagnostic d;
  auto tpl = parse_template(name, source, true, &d);
  if (tpl) return "(parsed)";
  return format_diagnostic(d);
}

TEST(TemplateParser, ExpectedBlockEndAfterEndif) {
  EXPECT_EQ(syntax_error("<p>\n{% if x %}\n  y {% endif z %}\n"),
            "post.html:3:14: error: expected '%}' after 'endif'\n"
            "    y {% endif z %}\n"
            "               ^\n");
}

TEST(TemplateParser, UnclosedBlockNamesOpener) {
  EXPECT_EQ(syntax_error("{% for p in pages %}\n{{ p }}"),
            "post.html:2:8: error: unexpected end of template: expected 'endfor' or 'else' to "
            "close 'for' opened at line 1\n"
            "  {{ p }}\n"
            "         ^\n");
}

TEST(TemplateParser, WrongEndTag) {
  EXPECT_EQ(syntax_error("{% if x %}{% endfor %}"),
            "post.html:1:14: error: unexpected 'endfor': expected 'elif', 'else' or 'endif' to "
            "close 'if' opened at line 1\n"
            "  {% if x %}{% endfor %}\n"
            "               ^\n");
}

TEST(TemplateParser, UnknownTag) {
  EXPECT_EQ(syntax_error("a\n  {% frob %}"),
            "post.html:2:6: error: unknown tag 'frob'\n"
            "    {% frob %}\n"
            "       ^\n");
}

TEST(TemplateParser, StrayEndTag) {
  EXPECT_EQ(syntax_error("x{% endblock %}"),
            "post.html:1:5: error: unexpected 'endblock': no open block to close\n"
            "  x{% endblock %}\n"
            "      ^\n");
}

TEST(TemplateParser, MissingExpression) {
  EXPECT_EQ(syntax_error("{{ 1 + }}"),
            "post.html:1:8: error: expected an expression, found '}}'\n"
            "  {{ 1 + }}\n"
            "         ^\n");
}

TEST(TemplateParser, UnclosedVariable) {
  EXPECT_EQ(syntax_error("{{ title "),
            "post.html:1:10: error: expected '}}' after the expression, found end of template\n"
            "  {{ title \n"
            "           ^\n");
}

TEST(TemplateParser, UnterminatedString) {
  EXPECT_EQ(syntax_error("{{ 'abc }}"),
            "post.html:1:4: error: unterminated string literal\n"
            "  {{ 'abc }}\n"
            "     ^\n");
}

TEST(TemplateParser, UnclosedComment) {
  EXPECT_EQ(syntax_error("a {# note"),
            "post.html:1:3: error: unclosed comment: expected '#}'\n"
            "  a {# note\n"
            "    ^\n");
}

TEST(TemplateParser, ColumnsCountCodePoints) {
  EXPECT_EQ(syntax_error("é€ {{ ) }}"),
            "post.html:1:7: error: expected an expression, found ')'\n"
            "  é€ {{ ) }}\n"
            "        ^\n");
}

TEST(TemplateParser, DuplicateBlock) {
  EXPECT_EQ(syntax_error("{% block a %}{% endblock %}\n{% block a %}{% endblock %}"),
            "post.html:2:1: error: block 'a' defined twice\n"
            "  {% block a %}{% endblock %}\n"
            "  ^\n");
}

TEST(TemplateParser, AssignToLiteral) {
  EXPECT_EQ(syntax_error("{% set none = 1 %}"),
            "post.html:1:8: error: cannot assign to 'none'\n"
            "  {% set none = 1 %}\n"
            "         ^\n");
}

TEST(TemplateParser, CollectsBlocks) {
  Diagnostic d;
  auto tpl =
      parse_template("t.html", "{% block a %}{% block b %}{% endblock %}{% endblock %}", true, &d);
  ASSERT_TRUE(tpl);
  EXPECT_EQ(tpl->blocks.size(), 2u);
  EXPECT_TRUE(tpl->blocks.count("b"));
}

TEST(TemplateParser, RemovesOneTrailingNewline) {
  Diagnostic d;
  auto tpl = parse_template("t.txt", "a\n\n", false, &d);
  ASSERT_TRUE(tpl);
  ASSERT_EQ(tpl->body.size(), 1u);
  EXPECT_EQ(tpl->body[0]->text, "a\n");
}

TEST(TemplateParser, NormalisesNewlines) {
  Diagnostic d;
  auto tpl = parse_template("t.txt", "a\r\nb\rc\r\n", false, &d);
  ASSERT_TRUE(tpl);
  ASSERT_EQ(tpl->body.size(), 1u);
  EXPECT_EQ(tpl->body[0]->text, "a\nb\nc");
}

TEST(TemplateParser, WhitespaceControlStripsBothSides) {
  Diagnostic d;
  auto tpl = parse_template("t.txt", "a  \n {%- if x -%} \n b{% endif %}", false, &d);
  ASSERT_TRUE(tpl);
  ASSERT_EQ(tpl->body.size(), 2u);
  EXPECT_EQ(tpl->body[0]->text, "a");
  ASSERT_EQ(tpl->body[1]->body.size(), 1u);
  EXPECT_EQ(tpl->body[1]->body[0]->text, "b");
}

// The parser resolves operators, so the renderer never reads their text.
TEST(TemplateParser, ResolvesOperators) {
  Diagnostic d;
  auto tpl =
      parse_template("t.txt", "{{ -a + b // c ** 2 }}{{ a < b not in c }}{{ x % y }}", false, &d);
  ASSERT_TRUE(tpl);
  ASSERT_EQ(tpl->body.size(), 3u);
  const Expr& sum = *tpl->body[0]->expr;
  ASSERT_EQ(sum.kind, ExprKind::kBinary);
  EXPECT_EQ(sum.binary_op, BinaryOp::kAdd);
  EXPECT_EQ(sum.children[0]->kind, ExprKind::kUnary);
  EXPECT_EQ(sum.children[0]->unary_op, UnaryOp::kNeg);
  EXPECT_EQ(sum.children[1]->binary_op, BinaryOp::kFloorDiv);
  EXPECT_EQ(sum.children[1]->children[1]->binary_op, BinaryOp::kPow);
  const Expr& cmp = *tpl->body[1]->expr;
  ASSERT_EQ(cmp.kind, ExprKind::kCompare);
  EXPECT_EQ(cmp.compare_ops, (std::vector<CompareOp>{CompareOp::kLt, CompareOp::kNotIn}));
  EXPECT_EQ(cmp.children.size(), 3u);
  EXPECT_EQ(tpl->body[2]->expr->binary_op, BinaryOp::kMod);
}

TEST(TemplateParser, AutoescapeByExtension) {
  EXPECT_TRUE(autoescape_for_name("post.html"));
  EXPECT_TRUE(autoescape_for_name("a/b.htm"));
  EXPECT_TRUE(autoescape_for_name("feed.xml"));
  EXPECT_FALSE(autoescape_for_name("robots.txt"));
  EXPECT_FALSE(autoescape_for_name("html"));
}

// The errors Jinja2 raises when it compiles, with its wording.
std::string error_message(std::string_view source) {
  Diagnostic d;
  if (parse_template("t.txt", source, false, &d)) return "(parsed)";
  return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + " " +
         d.message;
}

TEST(TemplateParser, LoopCannotBeAssignedInsideALoop) {
  const std::string msg = "Can't assign to special loop variable in for-loop target";
  EXPECT_EQ(error_message("{% for loop in seq %}{% endfor %}"), "1:8 " + msg);
  EXPECT_EQ(error_message("{% for a, loop in seq %}{% endfor %}"), "1:11 " + msg);
  // Anywhere inside: set, block set, nested for, in else, macros and blocks.
  EXPECT_EQ(error_message("{% for x in s %}{% if 1 %}{% set loop = 1 %}{% endif %}{% endfor %}"),
            "1:34 " + msg);
  EXPECT_EQ(error_message("{% for x in s %}{% else %}{% set loop %}{% endset %}{% endfor %}"),
            "1:34 " + msg);
  EXPECT_EQ(error_message("{% for x in s %}{% macro m() %}{% for loop in s %}{% endfor %}"
                          "{% endmacro %}{% endfor %}"),
            "1:39 " + msg);
  EXPECT_EQ(error_message("{% for x in s %}{% block b %}{% set a, loop = 1, 2 %}{% endblock %}"
                          "{% endfor %}"),
            "1:40 " + msg);
  // Not an assignment of the name: allowed, as in Jinja2.
  EXPECT_EQ(error_message("{% for x in s %}{% with loop = 2 %}{% endwith %}"
                          "{% set ns.loop = 1 %}{% macro m(loop) %}{% endmacro %}{% endfor %}"
                          "{% set loop = 1 %}"),
            "(parsed)");
}

TEST(TemplateParser, SignaturesAsJinja2ReadsThem) {
  EXPECT_EQ(error_message("{% macro m(a, b=1, c) %}{% endmacro %}"),
            "1:20 non-default argument follows default argument");
  EXPECT_EQ(error_message("{% call(x, y=1, z) m() %}{% endcall %}"),
            "1:17 non-default argument follows default argument");
  EXPECT_EQ(error_message("{% macro m(a,) %}{% endmacro %}"),
            "1:14 expected a parameter name, found ')'");
  EXPECT_EQ(error_message("{% call(a,) m() %}{% endcall %}"),
            "1:11 expected a parameter name, found ')'");
  EXPECT_EQ(error_message("{% macro m(a, b=1, c=2) %}{% endmacro %}{% call(a, b=1) m() %}"
                          "{% endcall %}"),
            "(parsed)");
}

TEST(TemplateParser, CallerParameterNeedsADefaultWhenUsed) {
  const std::string msg =
      "When defining macros or call blocks the special \"caller\" argument must be omitted or "
      "be given a default.";
  EXPECT_EQ(error_message("{% macro x(caller) %}[{{ caller() }}]{% endmacro %}"), "1:1 " + msg);
  EXPECT_EQ(error_message("{% macro x(a, caller) %}{% macro y() %}{{ caller }}{% endmacro %}"
                          "{% endmacro %}"),
            "1:1 " + msg);
  EXPECT_EQ(error_message("{% call(caller) m() %}{{ caller|e }}{% endcall %}"), "1:1 " + msg);
  // Unused, used only in a block, or with a default: fine.
  EXPECT_EQ(
      error_message("{% macro x(caller) %}[]{% endmacro %}"
                    "{% macro y(caller) %}{% block b %}{{ caller }}{% endblock %}{% endmacro %}"
                    "{% macro z(caller=none) %}{{ caller }}{% endmacro %}"),
      "(parsed)");
}

TEST(TemplateParser, RequiredBlocksHoldOnlyWhitespace) {
  const std::string msg = "Required blocks can only contain comments or whitespace";
  EXPECT_EQ(error_message("{% block x required %}data {# c #}{% endblock %}"), "1:23 " + msg);
  EXPECT_EQ(error_message("{% block x required %}{{ '' }}{% endblock %}"), "1:23 " + msg);
  EXPECT_EQ(error_message("{% block x required %} {% if 1 %}{% endif %}{% endblock %}"),
            "1:24 " + msg);
  EXPECT_EQ(error_message("{% block x required %}{% block y %}{% endblock %}{% endblock %}"),
            "1:23 " + msg);
  EXPECT_EQ(error_message("{% block x required %} \n {# c #}\t{% endblock %}"), "(parsed)");
}

// `set` assigns namespace attributes alone or in a tuple (Jinja2 3.1.5's
// NSRef), but not inside parentheses, and not in `for` or `with`.
TEST(TemplateParser, NamespaceAttributesInSetTargets) {
  EXPECT_EQ(error_message("{% set ns.a, ns.b = 1, 2 %}{% set ns.a, c = 1, 2 %}"
                          "{% set ns.c %}x{% endset %}"),
            "(parsed)");
  EXPECT_EQ(error_message("{% set (ns.a, ns.b) = 1, 2 %}"),
            "1:11 cannot assign to this expression");
  EXPECT_EQ(error_message("{% for ns.a in s %}{% endfor %}"),
            "1:10 expected 'in' after the loop variable, found '.'");
  EXPECT_EQ(error_message("{% set ns. = 1 %}"), "1:12 expected an attribute name, found '='");
  EXPECT_EQ(error_message("{% set none.a = 1 %}"), "1:8 cannot assign to 'none'");
}

// Which folded literals each evaluation must copy (kFreshLiteral):
// those holding a list or dict, unless the place only reads them.
TEST(TemplateParser, LiteralsCopiedWhereAMethodCouldChangeThem) {
  Diagnostic d;
  auto tpl = parse_template("t.txt",
                            "{{ [1, 2] }}{{ (1, 'a') }}{{ (1, [2]) }}{{ {'a': 1} }}"
                            "{{ x in ['a', 'b'] }}{{ [[1]] == y }}{{ ['a', 'b'][i] }}"
                            "{{ [[1]][0] }}{{ [1, 2][1:] }}{{ [1].0 }}"
                            "{% for a in [1, 2] %}{% endfor %}{% for a in [[1]] %}{% endfor %}",
                            false, &d);
  ASSERT_TRUE(tpl) << d.message;
  std::vector<bool> copied;
  auto literal_of = [](const Expr& e) -> const Expr& {
    if (e.kind == ExprKind::kCompare) return *e.children[e.children[0]->kind == ExprKind::kName];
    if (e.kind == ExprKind::kGetitem) return *e.children[0];
    return e;
  };
  for (const auto& s : tpl->body)
    copied.push_back(literal_of(*s->expr).kind == ExprKind::kFreshLiteral);
  EXPECT_EQ(copied, (std::vector<bool>{true, false, true, true, false, false, false, true, true,
                                       false, false, true}));
}

TEST(TemplateParser, DeepNestingIsAnErrorNotACrash) {
  std::string src = "{{ " + std::string(100000, '(') + "1" + std::string(100000, ')') + " }}";
  EXPECT_NE(syntax_error(src).find("error: expression nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace byline
