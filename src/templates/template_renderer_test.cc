// The renderer's semantics where Jinja2's are subtle: scopes of loops and
// macros, the implicit else of an inline if in strict mode, and lists and
// dicts changed in place by their methods.
#include "templates/template_renderer.h"

#include <gtest/gtest.h>

#include <string>

#include "templates/template_engine.h"

namespace byline {
namespace {

std::string render(std::string_view source, const TemplateContext& ctx = {},
                   EngineOptions options = {}) {
  TemplateEngine engine(std::make_unique<MapLoader>(), options);
  std::string out;
  Diagnostic d;
  if (!engine.render_string("t.txt", source, ctx, &out, &d)) return "error: " + d.message;
  return out;
}

// Each iteration of a loop starts from the scope around the loop: what the
// body set in one iteration is gone in the next, and after the loop.
TEST(TemplateRenderer, LoopBodiesDoNotLeakIntoTheNextIteration) {
  TemplateContext ctx;
  ctx.set("x", TValue::integer(0));
  EXPECT_EQ(
      render("{% for i in [1, 2, 3] %}{{ x }}{% set x = i %}{{ x }}{% endfor %}[{{ x }}]", ctx),
      "010203[0]");
  EXPECT_EQ(render("{% for i in [1, 2, 3] %}{% if loop.first %}{% set x = 1 %}{% endif %}{{ x }}"
                   "{% endfor %}",
                   ctx),
            "100");
  EXPECT_EQ(render("{% for i in [1, 2] %}{% for j in [1, 2] %}{% set k = (k or 0) + 1 %}{{ k }}"
                   "{% endfor %}{% endfor %}"),
            "1111");
  EXPECT_EQ(render("{% for i in [[1, 2], [3]] recursive %}{% set z = (z or 0) + 1 %}{{ z }}"
                   "{% if i is iterable %}{{ loop(i) }}{% endif %}{% endfor %}"),
            "11111");
  // The target and `loop` are set afresh each time, also after a body that
  // assigned them, and a filtered loop keeps its own names.
  EXPECT_EQ(render("{% for a, b in [(1, 2), (3, 4)] if a %}{{ a }}{{ b }}{{ loop.index }}"
                   "{% set a = 9 %}{% endfor %}"),
            "121342");
}

TEST(TemplateRenderer, LoopElseHasItsOwnScope) {
  EXPECT_EQ(render("{% set y = 5 %}{% for x in [] %}{% else %}{% set y = 1 %}{{ y }}{% endfor %}"
                   "[{{ y }}]"),
            "1[5]");
}

// A macro that declares `caller` with a default gets the call block's body
// through it, and its default otherwise; Jinja2 never overwrites it.
TEST(TemplateRenderer, ExplicitCallerParameter) {
  EXPECT_EQ(render("{% macro x(caller=none) %}[{{ caller }}]{% endmacro %}"
                   "{% call x(1) %}C{% endcall %}"),
            "error: macro 'x' got multiple values for argument 'caller'");
  EXPECT_EQ(
      render("{% macro x(caller=none) %}[{{ caller }}]{% endmacro %}{{ x() }}{{ x(caller=5) }}"),
      "[None][5]");
  EXPECT_EQ(render("{% macro x(a, caller=none) %}[{{ a }}{{ caller() if caller }}]{% endmacro %}"
                   "{% call x(1) %}C{% endcall %}"),
            "[1C]");
  // Without the parameter, `caller` is the block as always.
  EXPECT_EQ(render("{% macro y() %}<{{ caller() }}>{% endmacro %}{% call y() %}B{% endcall %}"),
            "<B>");
}

// Jinja2 evaluates the missing else of `a if cond` to its default
// Undefined whatever the environment's: strict mode lets it print as
// nothing, concatenate, filter, test and assign; taking an attribute of it,
// calling it or doing arithmetic stay errors, as for any undefined value.
TEST(TemplateRenderer, StrictModeAcceptsTheImplicitElse) {
  EngineOptions strict;
  strict.strict_undefined = true;
  EXPECT_EQ(render("{{ 'foo' if false }}|{{ ('foo' if false) ~ 'x' }}|{{ ('foo' if false)|upper }}|"
                   "{% if ('a' if false) %}y{% endif %}|{% set v = 'a' if false %}{{ v }}|"
                   "{{ ('a' if false) == none }}|{% for c in ('a' if false) %}{{ c }}{% endfor %}|",
                   {}, strict),
            "|x||||False||");
  EXPECT_EQ(render("{{ ('foo' if false).x }}", {}, strict),
            "error: the inline if-expression evaluated to false and no else section was defined.");
  EXPECT_EQ(render("{{ ('foo' if false) + 1 }}", {}, strict),
            "error: the inline if-expression evaluated to false and no else section was defined.");
  // Any other undefined value is still refused.
  EXPECT_EQ(render("{{ missing }}", {}, strict), "error: 'missing' is undefined");
}

// A macro defined inside a loop (or another macro) can call itself, as at
// the top level.
TEST(TemplateRenderer, MacrosInLoopBodiesRecurse) {
  EXPECT_EQ(render("{% for n in [3, 2] %}{% macro down(i) %}{{ i }}{% if i > 1 %}{{ down(i - 1) }}"
                   "{% endif %}{% endmacro %}{{ down(n) }}|{% endfor %}"),
            "321|21|");
}

}  // namespace
}  // namespace byline
