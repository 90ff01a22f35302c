// Hostile templates and contexts: each ends quickly with an error located in
// the template (or JSON file) and naming what was exceeded, instead of
// hanging, exhausting memory or overflowing the stack.
#include <gtest/gtest.h>

#include <pthread.h>

#include <functional>
#include <string>

#include "base/value.h"
#include "templates/json_context.h"
#include "templates/template_byline.h"
#include "templates/template_engine.h"

namespace byline {
namespace {

struct Result {
  bool ok = false;
  std::string out;
  Diagnostic d;
};

std::unique_ptr<TemplateEngine> engine_of(std::vector<std::pair<std::string, std::string>> files,
                                          RenderLimits limits = {}) {
  auto loader = std::make_unique<MapLoader>();
  for (auto& [n, s] : files) loader->add(n, s);
  EngineOptions options;
  options.limits = limits;
  auto e = std::make_unique<TemplateEngine>(std::move(loader), options);
  register_byline_extensions(*e);
  return e;
}

Result render(TemplateEngine& e, std::string_view name, const TemplateContext& ctx = {}) {
  Result r;
  r.ok = e.render(name, ctx, &r.out, &r.d);
  return r;
}

Result render_one(const std::string& source, RenderLimits limits = {}) {
  auto e = engine_of({{"t.txt", source}}, limits);
  return render(*e, "t.txt");
}

// ---- extends cycles ----

TEST(TemplateLimits, ExtendsOfItselfIsALocatedError) {
  auto e =
      engine_of({{"post.html", "<p>\n  {% extends \"post.html\" %}{% block b %}{% endblock %}"}});
  Result r = render(*e, "post.html");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "post.html");
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_EQ(r.d.location.column, 3);
  EXPECT_EQ(r.d.message, "{% extends %} cycle: 'post.html' extends 'post.html'");
}

TEST(TemplateLimits, ExtendsCycleThroughOthersNamesTheCycle) {
  auto e = engine_of({{"a.html", "{% extends 'b.html' %}"},
                      {"b.html", "{% extends 'c.html' %}"},
                      {"c.html", "x\n{% extends 'a.html' %}"}});
  Result r = render(*e, "a.html");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "c.html");
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_EQ(r.d.message,
            "{% extends %} cycle: 'a.html' extends 'b.html' extends 'c.html' extends 'a.html'");
}

// A chain that only looks like a cycle by name: a dynamic extends of a
// different template each time is fine.
TEST(TemplateLimits, ExtendsChainWithoutCycleStillRenders) {
  auto e = engine_of({{"a.html", "{% extends 'b.html' %}{% block x %}A{{ super() }}{% endblock %}"},
                      {"b.html", "{% extends 'c.html' %}{% block x %}B{{ super() }}{% endblock %}"},
                      {"c.html", "[{% block x %}C{% endblock %}]"}});
  Result r = render(*e, "a.html");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "[ABC]");
}

TEST(TemplateLimits, IncludeOfItselfIsBoundedAndLocated) {
  auto e = engine_of({{"a.html", "x{% include 'a.html' %}"}});
  Result r = render(*e, "a.html");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "a.html");
  EXPECT_EQ(r.d.location.column, 2);
  EXPECT_NE(r.d.message.find("maximum recursion depth exceeded"), std::string::npos);
}

TEST(TemplateLimits, ImportCycleIsBoundedAndLocated) {
  auto e = engine_of(
      {{"a.html", "{% import 'b.html' as b %}"}, {"b.html", "{% import 'a.html' as a %}"}});
  Result r = render(*e, "a.html");
  ASSERT_FALSE(r.ok);
  EXPECT_FALSE(r.d.location.path.empty());
  EXPECT_NE(r.d.message.find("maximum recursion depth exceeded"), std::string::npos);
}

// ---- nesting depth ----

std::string chained(const std::string& head, const std::string& link, int n) {
  std::string s = "{{ " + head;
  for (int i = 0; i < n; ++i) s += link;
  return s + " }}";
}

TEST(TemplateLimits, TwentyThousandChainedFiltersAreASyntaxError) {
  Result r = render_one(chained("'a'", "|upper", 20000));
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "t.txt");
  EXPECT_EQ(r.d.location.line, 1);
  // The first filter beyond the limit.
  EXPECT_EQ(r.d.location.column, 8 + 6 * 399);
  EXPECT_EQ(r.d.message, "expression nested too deeply (more than 400 levels)");
}

TEST(TemplateLimits, DeepChainsOfEveryKindAreRefused) {
  for (const char* link :
       {" + 1", " - 1", " * 1", " ** 1", " and 1", " or 1", ".a", "[0]", "()", " if 1 else 2"}) {
    Result r = render_one(chained("x", link, 20000));
    ASSERT_FALSE(r.ok) << link;
    EXPECT_EQ(r.d.message, "expression nested too deeply (more than 400 levels)") << link;
    EXPECT_EQ(r.d.location.line, 1) << link;
  }
  // Recursion: parentheses, unary minus, `not`, lists, nested statements.
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"(", ")"}, {"-", ""}, {"not ", ""}, {"[", "]"}}) {
    std::string s = "{{ ";
    for (int i = 0; i < 20000; ++i) s += open;
    s += "1";
    for (int i = 0; i < 20000; ++i) s += close;
    Result r = render_one(s + " }}");
    ASSERT_FALSE(r.ok) << open;
    EXPECT_EQ(r.d.message, "expression nested too deeply (more than 400 levels)") << open;
  }
  std::string ifs;
  for (int i = 0; i < 20000; ++i) ifs += "{% if 1 %}";
  for (int i = 0; i < 20000; ++i) ifs += "{% endif %}";
  Result r = render_one(ifs);
  ASSERT_FALSE(r.ok);
  // The 400th `if` reaches the limit with its own expression.
  EXPECT_TRUE(r.d.message.ends_with("nested too deeply (more than 400 levels)")) << r.d.message;
}

TEST(TemplateLimits, NestingWithinTheLimitRenders) {
  Result r = render_one(chained("'a'", "|upper", 390) + chained("1", " + 1", 390));
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "A391");
}

// A macro whose body nests as deep as allowed, calling itself as deep as
// allowed: the stack check stops it before the stack runs out, at a call.
TEST(TemplateLimits, DeepBodiesInDeepCallsStopAtACall) {
  std::string body;
  for (int i = 0; i < 380; ++i) body += "{% if 1 %}";
  body += "{{ m(n + 1) }}";
  for (int i = 0; i < 380; ++i) body += "{% endif %}";
  RenderLimits limits;
  limits.max_call_depth = 10000;
  Result r = render_one("{% macro m(n) %}" + body + "{% endmacro %}{{ m(0) }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("maximum recursion depth exceeded"), std::string::npos) << r.d.message;
}

TEST(TemplateLimits, JsonNestedAMillionDeepIsALocatedError) {
  std::string json = "{\"a\":\n" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  Value v;
  Diagnostic d;
  ASSERT_FALSE(parse_json_value(json, "ctx.json", &v, &d));
  EXPECT_EQ(d.location.path, "ctx.json");
  EXPECT_EQ(d.location.line, 2);
  EXPECT_EQ(d.location.column, 1000);  // the 1,000th '[' is the 1,001st level
  EXPECT_EQ(d.message, "JSON nested too deeply (more than 1000 arrays and objects)");
}

TEST(TemplateLimits, JsonWithinTheLimitAndBracketsInStringsAreFine) {
  std::string json = std::string(999, '[') + "\"[[[[\\\"{{{{\"" + std::string(999, ']');
  Value v;
  Diagnostic d;
  ASSERT_TRUE(parse_json_value(json, "ctx.json", &v, &d)) << d.message;
  const Value* inner = &v;
  for (int i = 0; i < 999; ++i) {
    ASSERT_TRUE(inner->is_list());
    inner = &inner->as_list()[0];
  }
  EXPECT_EQ(inner->as_string(), "[[[[\"{{{{");
}

// ---- the render budget ----

TEST(TemplateLimits, MacroFanOutStopsAtTheIterationBudget) {
  RenderLimits limits;
  limits.max_iterations = 100000;
  Result r = render_one(
      "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n"
      "{{ f(40) }}",
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "t.txt");
  EXPECT_EQ(r.d.location.line, 1);
  EXPECT_EQ(r.d.message,
            "render budget exceeded: more than 100000 loop iterations and calls ([limits] "
            "max_iterations)");
}

TEST(TemplateLimits, NestedLoopsStopAtTheIterationBudget) {
  RenderLimits limits;
  limits.max_iterations = 1000000;
  Result r = render_one(
      "{% for a in range(100000) %}\n{% for b in range(100000) %}{% endfor %}{% endfor %}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_NE(r.d.message.find("max_iterations"), std::string::npos);
}

// The default budget ends them too, in seconds rather than never.
TEST(TemplateLimits, DefaultBudgetEndsNestedLoops) {
  Result r = render_one(
      "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("more than 20000000 loop iterations"), std::string::npos);
}

TEST(TemplateLimits, IncludeFanOutStopsAtTheBudget) {
  RenderLimits limits;
  limits.max_iterations = 50000;
  auto e = engine_of({{"a.html",
                       "{% if depth < 40 %}{% with depth = depth + 1 %}"
                       "{% include 'a.html' %}{% include 'a.html' %}"
                       "{% endwith %}{% endif %}"}},
                     limits);
  TemplateContext ctx;
  ctx.set("depth", TValue::integer(0));
  Result r = render(*e, "a.html", ctx);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "a.html");
  EXPECT_NE(r.d.message.find("max_iterations"), std::string::npos);
}

TEST(TemplateLimits, OutputBytesAreBudgeted) {
  RenderLimits limits;
  limits.max_output_bytes = 1 << 20;
  // (range() lists count against the same limit as held values: two
  // small ones here.)
  Result r = render_one(
      "{% for i in range(1000) %}{% for j in range(100) %}\n0123456789abcdef{% endfor %}"
      "{% endfor %}",
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.line, 1);
  EXPECT_EQ(r.d.message,
            "render budget exceeded: more than 1048576 bytes of output produced ([limits] "
            "max_output_bytes)");
  // Text captured in a set block counts as it is produced.
  r = render_one(
      "{% set s %}{% for i in range(1000) %}{% for j in range(100) %}0123456789abcdef{% endfor %}"
      "{% endfor %}{% endset %}",
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("max_output_bytes"), std::string::npos);
}

TEST(TemplateLimits, DoublingAStringStopsBeforeTheLimit) {
  RenderLimits limits;
  limits.max_output_bytes = 4 << 20;
  for (const char* doubling :
       {"ns.s ~ ns.s", "ns.s + ns.s", "ns.s * 2", "[ns.s, ns.s]|join", "ns.s.replace('a', 'aa')",
        "ns.s|replace('a', 'aa')", "''.join([ns.s, ns.s])"}) {
    Result r = render_one(std::string("{% set ns = namespace(s='a' * 1000) %}\n"
                                      "{% for i in range(40) %}{% set ns.s = ") +
                              doubling + " %}{% endfor %}{{ ns.s|length }}",
                          limits);
    ASSERT_FALSE(r.ok) << doubling;
    EXPECT_EQ(r.d.location.line, 2) << doubling;
    // The new string, or it with the old one still held, is too large.
    EXPECT_NE(r.d.message.find("max_output_bytes"), std::string::npos)
        << doubling << ": " << r.d.message;
  }
}

TEST(TemplateLimits, ValuesHeldAtOnceAreBudgeted) {
  RenderLimits limits;
  limits.max_output_bytes = 4 << 20;
  // Each string is small, but the list keeps them all: 10 MB.
  Result r = render_one(
      "{% set s = 'x' * 1000 %}{% set ns = namespace(k=[]) %}\n"
      "{% for i in range(10000) %}{% set _ = ns.k.append(s ~ i) %}{% endfor %}{{ ns.k|length }}",
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_EQ(r.d.message,
            "render budget exceeded: the strings and lists this render holds would pass 4194304 "
            "bytes ([limits] max_output_bytes)");
  // Lists count too: a thousand lists of a thousand items are ~50 MB.
  r = render_one(
      "{% set ns = namespace(k=[]) %}\n"
      "{% for i in range(1000) %}{% set _ = ns.k.append([i] * 1000) %}{% endfor %}",
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_NE(r.d.message.find("this render holds"), std::string::npos) << r.d.message;
  // What is freed is given back: 100 MB built one 100 KB string at a time.
  r = render_one(
      "{% set ns = namespace(s='') %}{% for i in range(1000) %}"
      "{% set ns.s = ('x' * 100000) ~ i %}{% endfor %}{{ ns.s|length }}",
      limits);
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "100003");
  // And each render starts from nothing.
  auto e = engine_of({{"t.txt", "{% set s = 'x' * 3000000 %}{{ s|length }}"}}, limits);
  for (int i = 0; i < 3; ++i) {
    r = render(*e, "t.txt");
    ASSERT_TRUE(r.ok) << i << ": " << r.d.message;
  }
}

TEST(TemplateLimits, ReplaceAmplificationIsCheckedBeforeBuilding) {
  RenderLimits limits;
  limits.max_output_bytes = 1 << 20;
  Result r = render_one("{{ ('x' * 100000)|replace('x', 'y' * 100) }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("result too large"), std::string::npos);
  r = render_one("{{ ('x' * 100000)|replace('', 'y' * 100) }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("result too large"), std::string::npos);
  // indent() multiplies its width by the number of lines.
  r = render_one("{{ ('\n' * 100000)|indent(1000) }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.d.message.find("result too large"), std::string::npos);
}

TEST(TemplateLimits, EscapingIsCheckedAsItGrows) {
  // Each string is within the 1 MiB limit; escaped (up to six times as
  // long), each would be over it.
  RenderLimits limits;
  limits.max_output_bytes = 1 << 20;
  for (const char* grow :
       {"('\"' * 300000)|e", "('\"' * 300000)", "('\"' * 400000)|urlencode",
        "('<' * 300000)|tojson", "('\u00e9' * 200000)|tojson", "['\"' * 300000]|e"}) {
    // .html: printing escapes.
    auto e = engine_of({{"t.html", std::string("\n{{ ") + grow + " }}"}}, limits);
    Result r = render(*e, "t.html");
    ASSERT_FALSE(r.ok) << grow;
    EXPECT_EQ(r.d.location.line, 2) << grow;
    // Checked before or while escaping ("result too large"), not found
    // after the escaped text was built and held or written.
    EXPECT_TRUE(r.d.message.starts_with("result too large: ")) << grow << ": " << r.d.message;
  }
  // Within it, the same filters work.
  Result r =
      render_one("{{ (('\"' * 1000)|e)|length }} {{ (('\u00e9' * 1000)|tojson)|length }}", limits);
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "5000 6002");
}

TEST(TemplateLimits, CallDepthIsConfigurable) {
  RenderLimits limits;
  limits.max_call_depth = 5;
  const std::string t = "{% macro m(n) %}{% if n %}{{ m(n - 1) }}{% endif %}.{% endmacro %}";
  Result ok = render_one(t + "{{ m(4) }}", limits);
  ASSERT_TRUE(ok.ok) << ok.d.message;
  EXPECT_EQ(ok.out, ".....");
  Result r = render_one(t + "{{ m(5) }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.message,
            "maximum recursion depth exceeded: more than 5 nested macro, include or block calls "
            "([limits] max_call_depth)");
}

// ---- lists and dicts built by a render ----

// Runs `f` on a thread with a 1 MiB stack, as a worker of a build might
// have: what overflows it overflows a bigger stack at a larger size.
void on_small_stack(const std::function<void()>& f) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 1 << 20), 0);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&f)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(TemplateLimits, AListNestedDeeplyIsFreedWithoutOverflow) {
  // Each iteration wraps the list in a new one; destroying the result used
  // to recurse once per level and overflow the stack (at two million levels
  // on an 8 MiB stack).
  Result list, dict;
  on_small_stack([&] {
    list = render_one(
        "{% set ns = namespace(x=[]) %}{% for j in range(2) %}{% for i in range(100000) %}"
        "{% set ns.x = [ns.x] %}{% endfor %}{% endfor %}{{ ns.x|length }}");
    // A deep dict, and lists inside dicts, are freed alike.
    dict = render_one(
        "{% set ns = namespace(x={}) %}{% for i in range(100000) %}"
        "{% set ns.x = {'k': [ns.x]} %}{% endfor %}{{ ns.x.k|length }}");
  });
  ASSERT_TRUE(list.ok) << list.d.message;
  EXPECT_EQ(list.out, "1");
  ASSERT_TRUE(dict.ok) << dict.d.message;
  EXPECT_EQ(dict.out, "1");
}

TEST(TemplateLimits, WalkingADeepListIsALocatedError) {
  const std::string deep =
      "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}"
      "{% endfor %}\n";
  for (const char* use : {"{{ ns.x }}", "{{ ns.x|string }}", "{{ ns.x == [ns.x] }}",
                          "{{ ns.x < [ns.x] }}", "{{ ns.x|tojson }}", "{{ ns.x in [[ns.x]] }}"}) {
    Result r = render_one(deep + "  " + use);
    ASSERT_FALSE(r.ok) << use;
    EXPECT_EQ(r.d.location.line, 2) << use;
    EXPECT_GT(r.d.location.column, 2) << use;
    EXPECT_EQ(r.d.message,
              "value nested too deeply (more than 1000 lists and dicts), or holding itself")
        << use;
  }
  // 999 levels inside one more are within the limit.
  Result r = render_one(
      "{% set ns = namespace(x=[]) %}{% for i in range(999) %}{% set ns.x = [ns.x] %}"
      "{% endfor %}{{ (ns.x|string)|length }} {{ ns.x == ns.x }} {{ (ns.x|tojson)|length }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "2000 True 2000");
}

TEST(TemplateLimits, AListHoldingItselfIsALocatedError) {
  const std::string cycle = "{% set l = [1] %}{% set _ = l.append(l) %}";
  Result r = render_one(cycle + "{{ l is sameas l }} {{ l == l }} {{ l|length }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "True True 2");
  // Two lists holding themselves are compared without end in Python too.
  for (const char* use :
       {"{{ l }}", "{{ l|tojson }}", "{% set m = [1] %}{% set _ = m.append(m) %}{{ l == m }}"}) {
    r = render_one(cycle + "\n" + use);
    ASSERT_FALSE(r.ok) << use;
    EXPECT_EQ(r.d.location.line, 2) << use;
    EXPECT_NE(r.d.message.find("holding itself"), std::string::npos) << use << r.d.message;
  }
  // A module exporting one: its values are copied for the importer.
  auto e = engine_of({{"m.html", cycle}, {"t.html", "x\n{% import 'm.html' as m %}"}});
  r = render(*e, "t.html");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.path, "t.html");
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_NE(r.d.message.find("holding itself"), std::string::npos) << r.d.message;
}

TEST(TemplateLimits, ListsDoublingInALoopStopAtAMillionItems) {
  for (const char* doubling : {"ns.l + ns.l", "ns.l * 2", "ns.l + [0] * (ns.l|length)"}) {
    Result r = render_one(std::string("{% set ns = namespace(l=[1]) %}\n"
                                      "{% for i in range(40) %}{% set ns.l = ") +
                          doubling + " %}{% endfor %}{{ ns.l|length }}");
    ASSERT_FALSE(r.ok) << doubling;
    EXPECT_EQ(r.d.location.line, 2) << doubling;
    EXPECT_EQ(r.d.message, "list too long (more than 1000000 items)") << doubling;
  }
  Result r = render_one(
      "{% set ns = namespace(l=[1]) %}{% for i in range(16) %}"
      "{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "65536");
}

TEST(TemplateLimits, StringsSplitIntoListsAreBounded) {
  for (const char* split : {"(',' * 1000000).split(',')", "('\\n' * 1000001).splitlines()",
                            "(' x' * 1000001).split()", "('x' * 1000001)|list"}) {
    Result r = render_one(std::string("\n {{ ") + split + "|length }}");
    ASSERT_FALSE(r.ok) << split;
    EXPECT_EQ(r.d.location.line, 2) << split;
    EXPECT_EQ(r.d.message, "list too long (more than 1000000 items)") << split;
  }
  Result r = render_one("{{ (',' * 999999).split(',')|length }} {{ 'a\\nb\\n'.splitlines() }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "1000000 ['a', 'b']");
}

TEST(TemplateLimits, PrintingARepeatedStringIsBudgeted) {
  // The list holds one string 1,000 times without copying it; printing it
  // would copy it 1,000 times.
  RenderLimits limits;
  limits.max_output_bytes = 1 << 20;
  Result r = render_one("{% set s = 'x' * 100000 %}{% set l = [s] * 1000 %}\n{{ l }}", limits);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.d.location.line, 2);
  EXPECT_NE(r.d.message.find("result too large"), std::string::npos) << r.d.message;
}

TEST(TemplateLimits, FormatWidthsArebounded) {
  for (const char* f : {"'%1000000000s' % 'x'", "'%.1000000000f' % 1.5", "'%-1000001d'|format(3)",
                        "[[1]]|tojson(indent=100000000)"}) {
    Result r = render_one(std::string("\n {{ ") + f + " }}");
    ASSERT_FALSE(r.ok) << f;
    EXPECT_EQ(r.d.location.line, 2) << f;
    EXPECT_NE(r.d.message.find("too large"), std::string::npos) << f << ": " << r.d.message;
  }
  // Wide numbers are whole, not cut at a fixed buffer.
  Result r = render_one(
      "{{ ('%600d' % 7)|length }} {{ ('%.400f' % 1e300)|length }} {{ '%05.1f' % 2.25 }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out, "600 702 002.2");
}

// ---- integer overflow ----

TEST(TemplateLimits, IntegerOverflowIsALocatedError) {
  for (const char* expr : {"2**63", "9223372036854775807 + 1", "2**1000", "3037000500 * 3037000500",
                           "-9223372036854775807 - 2", "-(-9223372036854775807 - 1)",
                           "(-9223372036854775807 - 1) // -1", "(-9223372036854775807 - 1)|abs",
                           "[9223372036854775807, 1]|sum"}) {
    Result r = render_one(std::string("x\n  {{ ") + expr + " }}");
    ASSERT_FALSE(r.ok) << expr << " gave " << r.out;
    EXPECT_EQ(r.d.location.line, 2) << expr;
    EXPECT_NE(r.d.message.find("integer overflow"), std::string::npos) << expr << r.d.message;
  }
}

TEST(TemplateLimits, IntegersAtTheEdgesStillWork) {
  Result r = render_one(
      "{{ 2**62 }} {{ 2**63 - 1 if false else 9223372036854775807 }} "
      "{{ -9223372036854775807 - 1 }} {{ (-9223372036854775807 - 1) % -1 }} "
      "{{ (-2)**63 }} {{ [9223372036854775806, 1]|sum }} {{ range(9223372036854775800, "
      "9223372036854775807, 5)|list }} {{ 1**100000 }}");
  ASSERT_TRUE(r.ok) << r.d.message;
  EXPECT_EQ(r.out,
            "4611686018427387904 9223372036854775807 -9223372036854775808 0 "
            "-9223372036854775808 9223372036854775807 [9223372036854775800, 9223372036854775805] "
            "1");
}

}  // namespace
}  // namespace byline
