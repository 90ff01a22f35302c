// The engine through its public API: runtime errors as located diagnostics,
// strict undefined, host objects read by reference, loaders and caching.
#include "templates/template_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/value.h"
#include "templates/json_context.h"
#include "templates/template_byline.h"

namespace byline {
namespace {

struct Rendered {
  bool ok;
  std::string out;
  std::string diagnostic;
};

Rendered render(TemplateEngine& engine, std::string_view name, const TemplateContext& ctx = {},
                std::string_view page = {}) {
  Rendered r;
  Diagnostic d;
  r.ok = engine.render(name, ctx, &r.out, &d, page);
  if (!r.ok) r.diagnostic = format_diagnostic(d);
  return r;
}

std::unique_ptr<TemplateEngine> engine_with(std::vector<std::pair<std::string, std::string>> files,
                                            EngineOptions options = {}) {
  auto loader = std::make_unique<MapLoader>();
  for (auto& [n, s] : files) loader->add(n, s);
  auto engine = std::make_unique<TemplateEngine>(std::move(loader), options);
  register_byline_extensions(*engine);
  return engine;
}

TEST(TemplateEngine, RendersWithContext) {
  auto e = engine_with({{"t.html", "<h1>{{ title }}</h1>{{ n + 1 }}"}});
  TemplateContext ctx;
  ctx.set("title", TValue::string("A & B"));
  ctx.set("n", TValue::integer(41));
  Rendered r = render(*e, "t.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  EXPECT_EQ(r.out, "<h1>A &amp; B</h1>42");
}

// trim finds the ends of valid UTF-8 without decoding the middle, and
// falls back to decoding everything (bad bytes become U+FFFD) otherwise.
TEST(TemplateEngine, TrimStripsUnicodeEndsAndKeepsTheMiddle) {
  auto e = engine_with({{"t.html",
                         "[{{ s | trim }}][{{ s | trim(\"\u3000 \u00e9\") }}][{{ blank | trim }}]"
                         "[{{ bad | trim }}][{{ plain | trim }}]"}});
  TemplateContext ctx;
  ctx.set("s", TValue::string("\u3000\u00a0 caf\u00e9 \u2014 na\u00efve\n\u2003"));
  ctx.set("blank", TValue::string("\u2028 \t\u3000"));
  ctx.set("bad", TValue::string(" a\xff b\t"));
  ctx.set("plain", TValue::string("as is"));
  Rendered r = render(*e, "t.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  EXPECT_EQ(r.out,
            "[caf\u00e9 \u2014 na\u00efve]"
            "[\u00a0 caf\u00e9 \u2014 na\u00efve\n\u2003][][a\xef\xbf\xbd b][as is]");
}

// Literal lists, tuples and dicts are built once at parse time and shared by
// every render: a render that builds on one must not change what the next
// render sees, and a repeated dict key still keeps its last value.
TEST(TemplateEngine, LiteralCollectionsAreSharedButNeverChanged) {
  auto e = engine_with({{"t.html",
                         "{% set a = [1, 2] %}{% set b = a + [3] %}{% set ns = namespace(l=[]) %}"
                         "{% for x in a %}{% set ns.l = ns.l + [x] %}{% endfor %}"
                         "{{ a }}{{ b }}{{ ns.l }}{{ {'k': 1, 'k': 2} }}{{ (1, 'x') }}"
                         "{{ 'p' in ['<p>', 'p'] }}"}});
  for (int i = 0; i < 3; ++i) {
    Rendered r = render(*e, "t.html");
    ASSERT_TRUE(r.ok) << r.diagnostic;
    EXPECT_EQ(r.out, "[1, 2][1, 2, 3][1, 2]{&#39;k&#39;: 2}(1, &#39;x&#39;)True");
  }
}

// s[:n] decodes only as far as it reaches; every other slice decodes all.
TEST(TemplateEngine, StringSlicesCountCodePoints) {
  auto e = engine_with({{"t.html",
                         "[{{ s[:3] }}][{{ s[1:3] }}][{{ s[:99] }}][{{ s[3:1] }}][{{ s[-2:] }}]"
                         "[{{ s[::2] }}][{{ bad[:2] }}]"}});
  TemplateContext ctx;
  ctx.set("s", TValue::string("été — ok"));
  ctx.set("bad", TValue::string("\xff"
                                "ab"));
  Rendered r = render(*e, "t.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  EXPECT_EQ(r.out,
            "[été][té][été — ok][][ok][éé—o]"
            "[�a]");
}

TEST(TemplateEngine, UnknownFilterNamesTemplateLineColumnAndPage) {
  auto e = engine_with({{"post.html", "<p>\n  {{ page.title|shout }}\n</p>"}});
  Rendered r = render(*e, "post.html", {}, "content/posts/x.md");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.diagnostic,
            "post.html:2:17: error: no filter named 'shout' (while rendering "
            "content/posts/x.md)\n"
            "    {{ page.title|shout }}\n"
            "                  ^\n");
}

TEST(TemplateEngine, UnknownFilterInUncalledMacroIsACompileError) {
  auto e = engine_with({{"m.html", "{% macro m() %}\n  {{ x|nosuch }}{% endmacro %}"},
                        {"ok.html", "{% if false %}{{ x|nosuch }}{% endif %}ok"}});
  EXPECT_EQ(render(*e, "m.html").diagnostic,
            "m.html:2:8: error: no filter named 'nosuch'\n"
            "    {{ x|nosuch }}{% endmacro %}\n"
            "         ^\n");
  EXPECT_EQ(render(*e, "ok.html").out, "ok");
}

TEST(TemplateEngine, CallingNonCallable) {
  auto e = engine_with({{"t.txt", "{% set x = 3 %}{{ x(1) }}"}});
  EXPECT_EQ(render(*e, "t.txt").diagnostic,
            "t.txt:1:20: error: 'int' object is not callable\n"
            "  {% set x = 3 %}{{ x(1) }}\n"
            "                     ^\n");
}

TEST(TemplateEngine, AddingStringAndList) {
  auto e = engine_with({{"t.txt", "{{ 'a' + [1] }}"}});
  EXPECT_EQ(render(*e, "t.txt").diagnostic,
            "t.txt:1:8: error: can only concatenate str (not \"list\") to str\n"
            "  {{ 'a' + [1] }}\n"
            "         ^\n");
}

TEST(TemplateEngine, DivisionByZero) {
  auto e = engine_with({{"t.txt", "x\n{{ 1 // 0 }}"}});
  EXPECT_EQ(render(*e, "t.txt").diagnostic,
            "t.txt:2:6: error: integer division or modulo by zero\n"
            "  {{ 1 // 0 }}\n"
            "       ^\n");
}

TEST(TemplateEngine, MissingIncludeIsLocatedInTheIncludingTemplate) {
  auto e = engine_with({{"base.html", "a\n{% include 'nav.html' %}"}});
  EXPECT_EQ(render(*e, "base.html", {}, "about.md").diagnostic,
            "base.html:2:12: error: template 'nav.html' not found (while rendering about.md)\n"
            "  {% include 'nav.html' %}\n"
            "             ^\n");
}

TEST(TemplateEngine, MissingTopLevelTemplate) {
  auto e = engine_with({});
  EXPECT_EQ(render(*e, "page.html").diagnostic,
            "page.html: error: template 'page.html' not found\n");
}

TEST(TemplateEngine, SyntaxErrorInIncludedTemplateIsReportedThere) {
  auto e = engine_with({{"a.html", "{% include 'b.html' %}"}, {"b.html", "ok\n{% if %}"}});
  EXPECT_EQ(render(*e, "a.html").diagnostic,
            "b.html:2:7: error: expected an expression, found '%}'\n"
            "  {% if %}\n"
            "        ^\n");
}

TEST(TemplateEngine, ErrorInMacroIsLocatedInTheMacrosTemplate) {
  auto e = engine_with({{"a.html", "{% import 'm.html' as m %}{{ m.f() }}"},
                        {"m.html", "{% macro f() %}\n{{ nope.x }}{% endmacro %}"}});
  EXPECT_EQ(render(*e, "a.html").diagnostic,
            "m.html:2:4: error: 'nope' is undefined\n"
            "  {{ nope.x }}{% endmacro %}\n"
            "     ^\n");
}

TEST(TemplateEngine, UndefinedPrintsEmptyButAttributeAccessFails) {
  auto e = engine_with({{"a.txt", "[{{ missing }}]{% for x in missing %}x{% endfor %}"},
                        {"b.txt", "{{ missing.title }}"}});
  EXPECT_EQ(render(*e, "a.txt").out, "[]");
  EXPECT_EQ(render(*e, "b.txt").diagnostic,
            "b.txt:1:4: error: 'missing' is undefined\n"
            "  {{ missing.title }}\n"
            "     ^\n");
}

TEST(TemplateEngine, StrictModeMakesAnyUseAnError) {
  EngineOptions strict;
  strict.strict_undefined = true;
  auto e = engine_with({{"a.txt", "{{ x is defined }}{{ y|default('d') }}"}, {"b.txt", "{{ y }}"}},
                       strict);
  EXPECT_EQ(render(*e, "a.txt").out, "Falsed");
  EXPECT_EQ(render(*e, "b.txt").diagnostic,
            "b.txt:1:4: error: 'y' is undefined\n"
            "  {{ y }}\n"
            "     ^\n");
}

TEST(TemplateEngine, RecursionIsBounded) {
  auto e = engine_with({{"a.txt", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"}});
  Rendered r = render(*e, "a.txt");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("maximum recursion depth exceeded"), std::string::npos);
}

TEST(TemplateEngine, RenderStringDoesNotCache) {
  auto e = engine_with({});
  std::string out;
  Diagnostic d;
  ASSERT_TRUE(e->render_string("inline.html", "{{ '<' }}", {}, &out, &d));
  EXPECT_EQ(out, "&lt;");
  Diagnostic missing;
  EXPECT_EQ(e->get_template("inline.html", &missing), nullptr);
}

TEST(TemplateEngine, HostFiltersTestsAndFunctions) {
  auto e =
      engine_with({{"t.txt", "{{ 'x'|twice }} {{ 3 is small }} {{ answer() }} {{ site_name }}"}});
  e->add_filter("twice", [](RenderState&, const TValue& v, CallArgs&) {
    return TValue::string(v.str() + v.str());
  });
  e->add_test("small", [](RenderState&, const TValue& v, CallArgs&) { return v.as_int() < 10; });
  e->add_function("answer", [](RenderState&, CallArgs&) { return TValue::integer(42); });
  e->add_global("site_name", TValue::string("S"));
  EXPECT_EQ(render(*e, "t.txt").out, "xx True 42 S");
}

TEST(TemplateEngine, HostFunctionsSeeVariablesAndPage) {
  auto e = engine_with({{"t.txt", "{% for x in [1] %}{{ where() }}{% endfor %}"}});
  e->add_function("where", [](RenderState& st, CallArgs&) {
    return TValue::string(st.variable("url").str() + "#" + st.variable("x").str() + "@" +
                          std::string(st.page()) + (st.variable("nope").is_undefined() ? "" : "!"));
  });
  TemplateContext ctx;
  ctx.set("url", TValue::string("/a/"));
  EXPECT_EQ(render(*e, "t.txt", ctx, "a.md").out, "/a/#1@a.md");
}

TEST(TemplateEngine, HostErrorsBecomeDiagnostics) {
  auto e = engine_with({{"t.txt", "{{ get_page('nope') }}"}});
  e->add_function("get_page", [](RenderState&, CallArgs& a) -> TValue {
    throw TemplateError{"no page at '" + a.positional[0].str() + "'"};
  });
  EXPECT_EQ(render(*e, "t.txt").diagnostic,
            "t.txt:1:12: error: no page at 'nope'\n"
            "  {{ get_page('nope') }}\n"
            "             ^\n");
}

// ---- host objects by reference ----

struct CopyCounted {
  static inline std::atomic<int> copies{0};
  std::string text;
  explicit CopyCounted(std::string t) : text(std::move(t)) {}
  CopyCounted(const CopyCounted& o) : text(o.text) { ++copies; }
  CopyCounted& operator=(const CopyCounted& o) {
    text = o.text;
    ++copies;
    return *this;
  }
  CopyCounted(CopyCounted&&) = default;
};

struct TestPage {
  CopyCounted title;
  CopyCounted content;
  int weight;
};

class TestPageType final : public ObjectType {
 public:
  mutable std::atomic<int> accesses{0};
  std::string_view type_name() const override { return "Page"; }
  TValue attribute(const void* self, std::string_view name) const override {
    ++accesses;
    const auto* p = static_cast<const TestPage*>(self);
    if (name == "title") return TValue::string_ref(p->title.text);
    if (name == "content") return TValue::string_ref(p->content.text, /*safe=*/true);
    if (name == "weight") return TValue::integer(p->weight);
    return TValue::undefined();
  }
};

class TestPageListType final : public ObjectType {
 public:
  explicit TestPageListType(const TestPageType* page) : page_(page) {}
  bool is_sequence(const void*) const override { return true; }
  size_t size(const void* self) const override {
    return static_cast<const std::vector<TestPage>*>(self)->size();
  }
  TValue at(const void* self, size_t i) const override {
    return TValue::object(page_, &(*static_cast<const std::vector<TestPage>*>(self))[i]);
  }

 private:
  const TestPageType* page_;
};

// include_cached renders a template once per key (host objects by identity,
// scalars by value), with the context of that first call, and returns the
// same markup afterwards; clear_cache() forgets it.
TEST(TemplateEngine, IncludeCachedRendersOncePerKey) {
  std::vector<TestPage> pages;
  pages.push_back({CopyCounted("One & only"), CopyCounted(""), 1});
  pages.push_back({CopyCounted("Two"), CopyCounted(""), 2});
  TestPageType page_type;
  TestPageListType list_type(&page_type);
  auto e = engine_with({{"entry.html", "<li>{{ p.title }} {{ label }}</li>"},
                        {"list.html",
                         "{% for p in pages %}{{ include_cached('entry.html', p) }}{% endfor %}"
                         "{% set p = pages[0] %}{{ include_cached('entry.html', p) }}"
                         "{{ include_cached('entry.html', 'x', 1) }}"}});
  TemplateContext ctx;
  ctx.set("pages", TValue::object(&list_type, &pages));
  ctx.set("label", TValue::string("a"));
  Rendered first = render(*e, "list.html", ctx);
  ASSERT_TRUE(first.ok) << first.diagnostic;
  EXPECT_EQ(first.out,
            "<li>One &amp; only a</li><li>Two a</li><li>One &amp; only a</li>"
            "<li>One &amp; only a</li>");
  // A title read per rendering: both pages, then the new key ('x', 1) with
  // p set to pages[0]; pages[0] itself came from the cache.
  EXPECT_EQ(page_type.accesses.load(), 3);

  // Another render with another label still gets the cached entries.
  ctx.set("label", TValue::string("b"));
  Rendered second = render(*e, "list.html", ctx);
  ASSERT_TRUE(second.ok) << second.diagnostic;
  EXPECT_EQ(second.out, first.out);
  e->clear_cache();
  Rendered third = render(*e, "list.html", ctx);
  ASSERT_TRUE(third.ok) << third.diagnostic;
  EXPECT_EQ(third.out,
            "<li>One &amp; only b</li><li>Two b</li><li>One &amp; only b</li>"
            "<li>One &amp; only b</li>");

  auto bad = engine_with({{"t.html", "{{ include_cached('t.html', [1]) }}"},
                          {"u.html", "{{ include_cached() }}"},
                          {"v.html", "x\n  {{ include_cached('nope.html', 1) }}"}});
  Rendered r = render(*bad, "t.html");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("t.html:1:"), std::string::npos) << r.diagnostic;
  EXPECT_NE(r.diagnostic.find("keys must be objects, strings or numbers, not list"),
            std::string::npos)
      << r.diagnostic;
  r = render(*bad, "u.html");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("include_cached() needs a template name"), std::string::npos)
      << r.diagnostic;
  // A missing template is reported at the call, not at the top of the file.
  r = render(*bad, "v.html");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("v.html:2:"), std::string::npos) << r.diagnostic;
  EXPECT_NE(r.diagnostic.find("template 'nope.html' not found"), std::string::npos) << r.diagnostic;
}

// With one object key the cache is keyed by the template's name and the
// object: another name is another entry, and a name built at run time is
// the same name as the literal.
TEST(TemplateEngine, IncludeCachedKeysOnTheNameAndTheObject) {
  std::vector<TestPage> pages;
  pages.push_back({CopyCounted("One"), CopyCounted(""), 1});
  TestPageType page_type;
  TestPageListType list_type(&page_type);
  auto e = engine_with(
      {{"a.html", "[a {{ p.title }}]"},
       {"b.html", "[b {{ p.title }}]"},
       {"list.html",
        "{% set p = pages[0] %}{{ include_cached('a.html', p) }}{{ include_cached('b.html', p) }}"
        "{{ include_cached('a' ~ '.html', p) }}{{ include_cached('b.html', p) }}"},
       {"missing.html", "{% set p = pages[0] %}\n {{ include_cached('nope.html', p) }}"}});
  TemplateContext ctx;
  ctx.set("pages", TValue::object(&list_type, &pages));
  Rendered r = render(*e, "list.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  EXPECT_EQ(r.out, "[a One][b One][a One][b One]");
  EXPECT_EQ(page_type.accesses.load(), 2);  // once for a.html, once for b.html
  r = render(*e, "missing.html", ctx);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("missing.html:2:"), std::string::npos) << r.diagnostic;
  EXPECT_NE(r.diagnostic.find("template 'nope.html' not found"), std::string::npos) << r.diagnostic;
}

// Numbered objects (ObjectType::dense_index), as a site's pages are: their
// include_cached() outputs live in an array per template name, with the
// same results as the hash table's, from any number of threads at once.
class NumberedType final : public ObjectType {
 public:
  explicit NumberedType(const std::vector<int>* all) : all_(all) {}
  mutable std::atomic<int> accesses{0};
  mutable std::atomic<int> numbered{0};  // include_cached() calls that took the array
  TValue attribute(const void* self, std::string_view name) const override {
    ++accesses;
    if (name != "n") return TValue::undefined();
    return TValue::integer(*static_cast<const int*>(self));
  }
  bool dense_index(const void* self, size_t* index, size_t* count) const override {
    const int* p = static_cast<const int*>(self);
    if (p < all_->data() || p >= all_->data() + all_->size()) return false;
    *index = static_cast<size_t>(p - all_->data());
    *count = all_->size();
    ++numbered;
    return true;
  }

 private:
  const std::vector<int>* all_;
};

TEST(TemplateEngine, IncludeCachedKeepsNumberedObjectsInAnArray) {
  std::vector<int> numbers = {10, 20, 30};
  int stray = 99;  // of the type but not numbered: the hash table keeps it
  NumberedType type(&numbers);
  auto e = engine_with({{"a.html", "[a{{ x.n }}{{ tag }}]"},
                        {"b.html", "[b{{ x.n }}]"},
                        {"page.html",
                         "{% set x = obj %}{{ include_cached('a.html', x) }}"
                         "{{ include_cached('b.html', x) }}{{ include_cached('a.html', x) }}"}});
  std::vector<std::thread> threads;
  std::vector<std::string> outs(8 * 4);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        TemplateContext ctx;
        const int* obj = i < 3 ? &numbers[i] : &stray;
        ctx.set("obj", TValue::object(&type, obj));
        ctx.set("tag", TValue::string("!"));
        outs[t * 4 + i] = render(*e, "page.html", ctx).out;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(type.numbered.load(), 8 * 3 * 3);
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(outs[t * 4 + 0], "[a10!][b10][a10!]");
    EXPECT_EQ(outs[t * 4 + 1], "[a20!][b20][a20!]");
    EXPECT_EQ(outs[t * 4 + 2], "[a30!][b30][a30!]");
    EXPECT_EQ(outs[t * 4 + 3], "[a99!][b99][a99!]");
  }
  // Two threads may render one entry at once, but never more than the
  // threads: each of the 8 entries at most 8 times, and the text is one.
  EXPECT_GE(type.accesses.load(), 8);
  EXPECT_LE(type.accesses.load(), 8 * 8);
  // Forgotten by clear_cache(): rendered again, with the new context.
  e->clear_cache();
  int before = type.accesses.load();
  TemplateContext ctx;
  ctx.set("obj", TValue::object(&type, &numbers[1]));
  ctx.set("tag", TValue::string("?"));
  EXPECT_EQ(render(*e, "page.html", ctx).out, "[a20?][b20][a20?]");
  EXPECT_EQ(type.accesses.load(), before + 2);
}

// A host type with attribute slots: `obj.name` asks for the slot once per
// expression and type, then reads through it.
class SlottedType final : public ObjectType {
 public:
  // `swapped`: the slots are numbered the other way round, so a slot
  // remembered for one type is wrong for the other.
  SlottedType(std::string prefix, bool swapped) : prefix_(std::move(prefix)), swapped_(swapped) {}
  mutable std::atomic<int> slot_lookups{0};
  TValue attribute(const void* self, std::string_view name) const override {
    return attribute_at(self, attribute_slot(name), name);
  }
  int attribute_slot(std::string_view name) const override {
    ++slot_lookups;
    int slot = name == "a" ? 0 : name == "b" ? 1 : -1;
    return slot >= 0 && swapped_ ? 1 - slot : slot;
  }
  TValue attribute_at(const void* self, int slot, std::string_view) const override {
    int n = *static_cast<const int*>(self);
    if (slot < 0) return TValue::undefined();
    return TValue::string(prefix_ + ((slot == 0) != swapped_ ? "a" : "b") + std::to_string(n));
  }

 private:
  std::string prefix_;
  bool swapped_;
};

TEST(TemplateEngine, AttributeSlotsAreRememberedPerExpressionAndType) {
  SlottedType x("x", false), y("y", true);
  int one = 1, two = 2;
  auto e = engine_with({{"t.html",
                         "{% for o in objs %}{{ o.a }}{{ o.b }} {% endfor %}"
                         "{{ objs[0].c is defined }}"}});
  TemplateContext ctx;
  ctx.set("objs", TValue::list({TValue::object(&x, &one), TValue::object(&x, &two),
                                TValue::object(&y, &one), TValue::object(&x, &one)}));
  Rendered r = render(*e, "t.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  // Each expression met x, then y (a new type: asked again), then x again.
  EXPECT_EQ(r.out, "xa1xb1 xa2xb2 ya1yb1 xa1xb1 False");
  EXPECT_EQ(x.slot_lookups.load(), 4 + 2);  // o.a, o.b twice each; objs[0].c twice
  EXPECT_EQ(y.slot_lookups.load(), 2);

  auto strict = engine_with({{"u.html", "{{ objs[0].c }}"}});
  r = render(*strict, "u.html", ctx);
  EXPECT_EQ(r.out, "");  // undefined prints as nothing, as in Jinja2
}

TEST(TemplateEngine, HostObjectsAreReadInPlace) {
  std::vector<TestPage> pages;
  pages.reserve(10000);
  for (int i = 0; i < 10000; ++i)
    pages.push_back(
        {CopyCounted("Post <" + std::to_string(i) + ">"), CopyCounted("<p>body</p>"), i % 7});
  TestPageType page_type;
  TestPageListType list_type(&page_type);
  CopyCounted::copies = 0;

  auto e = engine_with(
      {{"list.html",
        "{% for p in pages %}{% if loop.index <= 2 %}<li>{{ p.title }}{{ p.content }}"
        "</li>{% endif %}{% endfor %}{{ pages|length }} "
        "{{ (pages|selectattr('weight', 'eq', 0)|list)|length }} {{ pages[9999].title }}"}});
  TemplateContext ctx;
  ctx.set("pages", TValue::object(&list_type, &pages));
  Rendered r = render(*e, "list.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  EXPECT_EQ(r.out,
            "<li>Post &lt;0&gt;<p>body</p></li><li>Post &lt;1&gt;<p>body</p></li>10000 1429 "
            "Post &lt;9999&gt;");
  EXPECT_EQ(CopyCounted::copies.load(), 0);
  // Two loop items read title and content; selectattr reads 10,000 weights;
  // one last title.
  EXPECT_EQ(page_type.accesses.load(), 4 + 10000 + 1);
}

TEST(TemplateEngine, ValueTreesAreReadByReference) {
  Value data;
  Diagnostic d;
  ASSERT_TRUE(parse_json_value(R"({"params": {"tags": ["a", "b"], "n": 2.5}, "s": "x"})",
                               "ctx.json", &data, &d));
  auto e = engine_with({{"t.txt", "{{ params.tags|join('+') }} {{ params.n }} {{ params }}"}});
  TemplateContext ctx;
  ctx.set("params", TValue::from_value(*data.find("params")));
  EXPECT_EQ(render(*e, "t.txt", ctx).out, "a+b 2.5 {'tags': ['a', 'b'], 'n': 2.5}");
  // Strings are views into the tree, not copies.
  TValue s = TValue::from_value(*data.find("s"));
  EXPECT_EQ(s.as_string().data(), data.find("s")->as_string().data());
}

TEST(TemplateEngine, CompilesOnceAndRendersFromManyThreads) {
  auto e = engine_with({{"t.html", "{% for i in range(n) %}{{ i }}{% endfor %}"}});
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  const Template* first = nullptr;
  Diagnostic d;
  first = e->get_template("t.html", &d);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 50; ++k) {
        TemplateContext ctx;
        ctx.set("n", TValue::integer(t + 1));
        std::string expected;
        for (int i = 0; i <= t; ++i) expected += std::to_string(i);
        Rendered r = render(*e, "t.html", ctx);
        if (r.ok && r.out == expected) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 200);
  EXPECT_EQ(e->get_template("t.html", &d), first);
}

// striptags remembers its last result for host-owned text within one
// render: the same text again is the same answer, other text (a different
// place, or the same place and another length) is worked out anew.
TEST(TemplateEngine, FilterMemoKeysOnTheHostTextItself) {
  static const std::string kText = "<p>one <b>two</b></p>";
  auto e = engine_with({{"t.html",
                         "{{ x|striptags }}|{{ x|striptags }}|{{ y|striptags }}|"
                         "{{ prefix|striptags }}|{{ x|striptags }}|{{ owned|striptags }}|"
                         "{{ (x ~ '<i>3</i>')|striptags }}"}});
  TemplateContext ctx;
  ctx.set("x", TValue::string_ref(kText, true));
  ctx.set("y", TValue::string_ref("<em>other</em>", true));
  ctx.set("prefix", TValue::string_ref(std::string_view(kText).substr(0, 9), true));
  ctx.set("owned", TValue::string("<p>owned</p>", true));
  Rendered r = render(*e, "t.html", ctx);
  ASSERT_TRUE(r.ok) << r.diagnostic;
  // The prefix ends inside a tag, which striptags keeps; `~` escapes the
  // plain literal it joins to the safe text, as Jinja2 does.
  EXPECT_EQ(r.out, "one two|one two|other|one &lt;b|one two|owned|one two&lt;i&gt;3&lt;/i&gt;");
}

TEST(TemplateEngine, ClearCacheRereadsTemplates) {
  std::string root = ::testing::TempDir() + "/byline_cache_test";
  std::filesystem::create_directories(root);
  std::ofstream(root + "/t.txt") << "one";
  // Included and extended by a literal name, which each statement
  // remembers once loaded: forgotten with the templates.
  std::ofstream(root + "/part.txt") << "[part 1]";
  std::ofstream(root + "/base.txt") << "<base 1>{% block b %}{% endblock %}";
  std::ofstream(root + "/page.txt")
      << "{% extends 'base.txt' %}{% block b %}{% include 'part.txt' %}{% endblock %}";
  TemplateEngine e(std::make_unique<DirectoryLoader>(std::vector<std::string>{root}));
  EXPECT_EQ(render(e, "t.txt").out, "one");
  EXPECT_EQ(render(e, "page.txt").out, "<base 1>[part 1]");
  EXPECT_EQ(render(e, "page.txt").out, "<base 1>[part 1]");
  std::ofstream(root + "/t.txt") << "two";
  std::ofstream(root + "/part.txt") << "[part 2]";
  std::ofstream(root + "/base.txt") << "<base 2>{% block b %}{% endblock %}";
  EXPECT_EQ(render(e, "t.txt").out, "one");
  EXPECT_EQ(render(e, "page.txt").out, "<base 1>[part 1]");
  e.clear_cache();
  EXPECT_EQ(render(e, "t.txt").out, "two");
  EXPECT_EQ(render(e, "page.txt").out, "<base 2>[part 2]");
}

// ---- byline extensions ----

TEST(TemplateByline, DateFilter) {
  auto e = engine_with({{"t.txt",
                         "{{ '2019-08-01T09:30:00+02:00'|date('%d %B %Y, %H:%M') }} "
                         "{{ d|date('%a %e %b') }} {{ d|date }} {{ d.year }}"}});
  DateTime dt = *parse_datetime("2020-02-29");
  TemplateContext ctx;
  ctx.set("d", datetime_ref(&dt));
  EXPECT_EQ(render(*e, "t.txt", ctx).out, "01 August 2019, 09:30 Sat 29 Feb 2020-02-29 2020");
  auto e2 = engine_with({{"t.txt", "{{ d.strftime('%Y/%m') }} {{ d.month }} {{ d }}"}});
  EXPECT_EQ(render(*e2, "t.txt", ctx).out, "2020/02 2 " + to_rfc3339(dt));
}

TEST(TemplateByline, DateFilterRejectsBadInput) {
  auto e = engine_with({{"t.txt", "{{ 'yesterday'|date('%Y') }}"}});
  Rendered r = render(*e, "t.txt");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.diagnostic.find("t.txt:1:16: error: date filter: cannot parse 'yesterday'"),
            std::string::npos)
      << r.diagnostic;
}

TEST(TemplateByline, SlugifyXmlEscapeReadingTime) {
  auto e = engine_with({{"t.html",
                         "{{ 'Hong Kong, 1997'|slugify }} {{ \"a<b & 'c'\"|xml_escape }} "
                         "{{ text|reading_time }} {{ 'short'|reading_time }}"}});
  std::string words;
  for (int i = 0; i < 401; ++i) words += "<b>word</b> ";
  TemplateContext ctx;
  ctx.set("text", TValue::string(words));
  EXPECT_EQ(render(*e, "t.html", ctx).out, "hong-kong-1997 a&lt;b &amp; &apos;c&apos; 3 1");
}

// xml_escape is the feeds' escaper: XML 1.0 cannot carry C0 control
// characters, so they are dropped rather than written.
TEST(TemplateByline, XmlEscapeDropsControlCharacters) {
  auto e = engine_with({{"t.xml", "{{ text|xml_escape }}"}});
  TemplateContext ctx;
  ctx.set("text", TValue::string("a\x01"
                                 "b\tc\x1f\"d\""));
  EXPECT_EQ(render(*e, "t.xml", ctx).out, "ab\tc&quot;d&quot;");
}

TEST(TemplateByline, NowIsADate) {
  auto e =
      engine_with({{"t.txt", "{{ now().year >= 2024 }} {{ now().strftime('%Y')|int >= 2024 }}"}});
  EXPECT_EQ(render(*e, "t.txt").out, "True True");
}

TEST(JsonContext, ReportsLocatedErrors) {
  Value v;
  Diagnostic d;
  EXPECT_FALSE(parse_json_value("{\n  \"a\": [1, 2,,]\n}", "ctx.json", &v, &d));
  EXPECT_EQ(d.location.path, "ctx.json");
  EXPECT_EQ(d.location.line, 2);
  EXPECT_EQ(d.location.column, 14);
}

TEST(JsonContext, KeepsKeyOrder) {
  Value v;
  Diagnostic d;
  ASSERT_TRUE(parse_json_value(R"({"z": 1, "a": {"y": true, "b": null}})", "c.json", &v, &d));
  EXPECT_EQ(v.to_json(), R"({"z":1,"a":{"y":true,"b":null}})");
}

}  // namespace
}  // namespace byline
