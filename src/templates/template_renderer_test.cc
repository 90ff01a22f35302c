// The renderer's semantics where Jinja2's are subtle: scopes of loops and
// macros, the implicit else of an inline if in strict mode, and lists and
// dicts changed in place by their methods.
#include "templates/template_renderer.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

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

// A list or dict display is a new value each time it is evaluated, as in
// Python, although the parser builds a literal one once: changing it
// changes nothing for the next evaluation, loop iteration or render.
TEST(TemplateRenderer, LiteralsAreNewEachTime) {
  TemplateEngine engine(std::make_unique<MapLoader>());
  const std::string src =
      "{% for i in [1, 2] %}{% set l = [] %}{% set _ = l.append(i) %}{{ l }}{% endfor %}|"
      "{% set m = [[1], {'k': [2]}, (3, [4])] %}{% set _ = m[0].append(9) %}"
      "{% set _ = m[1].k.pop() %}{% set _ = m[2][1].clear() %}{% set _ = m.pop(0) %}{{ m }}|"
      "{% macro f(acc=[]) %}{% set _ = acc.append(1) %}{{ acc }}{% endmacro %}{{ f() }}{{ f() }}";
  for (int i = 0; i < 3; ++i) {
    std::string out;
    Diagnostic d;
    ASSERT_TRUE(engine.render_string("t.txt", src, {}, &out, &d)) << d.message;
    EXPECT_EQ(out, "[1][2]|[{'k': []}, (3, [])]|[1][1]");
  }
}

// The same compiled template, which changes its literals in place, rendered
// on many threads at once: each render sees only its own changes.
TEST(TemplateRenderer, ParallelRendersChangeOnlyTheirOwnValues) {
  auto loader = std::make_unique<MapLoader>();
  loader->add("t.txt",
              "{% set l = [1, 2] %}{% set d = {'k': [0], 'n': 0} %}{% set ns = namespace(c=[]) %}"
              "{% for i in range(n) %}{% set _ = l.append(i) %}{% set _ = d.k.append(i) %}"
              "{% set _ = d.update(n=d.n + 1) %}{% set _ = ns.c.insert(0, i) %}{% endfor %}"
              "{% set _ = l.pop(0) %}{{ l|length }} {{ d.k|length }} {{ d.n }} {{ ns.c[0] }} "
              "{{ l[:2] }}{{ [[1, 2], [3]][0] }}");
  TemplateEngine engine(std::move(loader));
  constexpr int kThreads = 8, kRenders = 100;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&engine, &failures, t] {
      for (int r = 0; r < kRenders; ++r) {
        const int n = 10 + (t * kRenders + r) % 37;  // each render its own length
        TemplateContext ctx;
        ctx.set("n", TValue::integer(n));
        std::string out;
        Diagnostic d;
        const std::string want = std::to_string(n + 1) + " " + std::to_string(n + 1) + " " +
                                 std::to_string(n) + " " + std::to_string(n - 1) + " [2, 0][1, 2]";
        if (!engine.render("t.txt", ctx, &out, &d)) out = d.message;
        if (out != want && failures[t].empty()) failures[t] = out + " != " + want;
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
}

// What a template builds as Python builds a list or dict it may change;
// what Jinja2 gives as a generator, range or view it may not (copy it
// with |list).
TEST(TemplateRenderer, WhichValuesATemplateMayChange) {
  EXPECT_EQ(render("{% set a = [1] + [2] %}{% set _ = a.append(3) %}{{ a }}"
                   "{% set b = [0] * 2 %}{% set _ = b.append(1) %}{{ b }}"
                   "{% set c = a[1:] %}{% set _ = c.append(4) %}{{ c }}{{ a }}"
                   "{% set s = 'x,y'.split(',') %}{% set _ = s.pop() %}{{ s }}"
                   "{% set t = [3, 1]|sort %}{% set _ = t.append(0) %}{{ t }}"
                   "{% set u = {'b': 1}|dictsort %}{% set _ = u.clear() %}{{ u }}"
                   "{% set g = [{'k': 1}]|groupby('k') %}{% set _ = g[0].list.clear() %}{{ g }}"
                   "{% set h = [1, 2, 3]|batch(2)|list %}{% set _ = h[0].pop() %}{{ h }}"
                   "{% set e = dict(a=1) %}{% set _ = e.update(b=2) %}{{ e }}"
                   "{% macro m() %}{% set _ = kwargs.update(z=0) %}{{ kwargs }}{% endmacro %}"
                   "{{ m(y=1) }}"),
            "[1, 2, 3][0, 0, 1][2, 3, 4][1, 2, 3]['x'][1, 3, 0][][(1, [])][[1], [3]]"
            "{'a': 1, 'b': 2}{'y': 1, 'z': 0}");
  for (const char* src :
       {"{{ range(2).append(1) }}", "{{ ([1]|unique).append(1) }}", "{{ ([1]|select).append(1) }}",
        "{{ {'a': 1}.items().append(1) }}", "{{ ([1]|map('string')).append(1) }}"})
    EXPECT_EQ(render(src), "error: 'list' object is read-only: copy it first with |list") << src;
}

// A global is shared by every render: never changed.
TEST(TemplateRenderer, GlobalsAreReadOnly) {
  TemplateEngine engine(std::make_unique<MapLoader>());
  engine.add_global("g", TValue::list({TValue::integer(1)}));
  engine.add_global("gd", TValue::dict({{TValue::string("k"), TValue::integer(1)}}));
  for (const char* src : {"{{ g.append(2) }}", "{{ gd.update(a=1) }}"}) {
    std::string out;
    Diagnostic d;
    EXPECT_FALSE(engine.render_string("t.txt", src, {}, &out, &d));
    EXPECT_NE(d.message.find("is read-only: copy it first with"), std::string::npos) << d.message;
  }
  std::string out;
  Diagnostic d;
  ASSERT_TRUE(engine.render_string(
      "t.txt", "{% set c = g|list %}{% set _ = c.append(2) %}{{ c }}{{ g }}", {}, &out, &d));
  EXPECT_EQ(out, "[1, 2][1]");
}

// include_cached()'s output is reused by renders that would not see a
// change it made to a value from around it, so it may not make one; what
// it builds itself it may change.
TEST(TemplateRenderer, IncludeCachedChangesNothingAroundIt) {
  auto loader = std::make_unique<MapLoader>();
  loader->add("append.txt", "{% set _ = outer.append(1) %}");
  loader->add("ns.txt", "{% set ns.x = 1 %}");
  loader->add("own.txt", "{% set l = [outer|length] %}{% set _ = l.append(2) %}{{ l }}");
  loader->add("t1.txt", "{% set outer = [] %}{{ include_cached('append.txt', 'k') }}");
  loader->add("t2.txt", "{% set ns = namespace(x=0) %}{{ include_cached('ns.txt', 'k') }}");
  loader->add("t3.txt",
              "{% set outer = [7] %}{{ include_cached('own.txt', 'k') }}"
              "{% set _ = outer.append(8) %}{{ outer }}");
  TemplateEngine engine(std::move(loader));
  std::string out;
  Diagnostic d;
  EXPECT_FALSE(engine.render("t1.txt", {}, &out, &d));
  EXPECT_EQ(d.message,
            "'list' object was made outside include_cached() and is read-only inside it: copy it "
            "first with |list");
  EXPECT_FALSE(engine.render("t2.txt", {}, &out, &d));
  EXPECT_EQ(d.message, "a namespace made outside include_cached() cannot be changed inside it");
  out.clear();
  ASSERT_TRUE(engine.render("t3.txt", {}, &out, &d)) << d.message;
  EXPECT_EQ(out, "[1, 2][7, 8]");
}

// A loop over a list its body changes follows Jinja2 (over Python's list
// iterator): it reads the list live, loop.length is the length when first
// asked, and loop.last fetches the next item, with which the loop goes on.
TEST(TemplateRenderer, LoopsOverAListTheyChange) {
  EXPECT_EQ(render("{% set l = [1] %}{% for x in l %}{{ x }}{% if x < 5 %}"
                   "{% set _ = l.append(x + 1) %}{% endif %}{% endfor %}"),
            "12345");
  EXPECT_EQ(render("{% set l = [1, 2, 3, 4] %}{% for x in l %}{{ x }}{{ loop.length }}"
                   "{% set _ = l.pop() %}{% endfor %}"),
            "1424");
  EXPECT_EQ(render("{% set l = [1] %}{% for x in l %}{{ x }}{{ loop.last }}{% if x < 3 %}"
                   "{% set _ = l.append(x + 1) %}{% endif %}{% endfor %}"),
            "1True");
  // Growing a list without end is an error, not a build that never ends.
  EXPECT_EQ(render("{% set l = [1] %}{% for x in l %}{% set _ = l.append(x) %}{% endfor %}"),
            "error: list too long (more than 1000000 items)");
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
