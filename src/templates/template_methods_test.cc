// Python's str and dict methods as templates call them, through the engine:
// the ones the differential cases do not reach, and the bound method's name.
#include "templates/template_methods.h"

#include <gtest/gtest.h>

#include "base/value.h"
#include "templates/json_context.h"
#include "templates/template_engine.h"

namespace byline {
namespace {

std::string render(std::string_view source, const TemplateContext& ctx = {}) {
  TemplateEngine engine(std::make_unique<MapLoader>());
  std::string out;
  Diagnostic d;
  if (!engine.render_string("t.txt", source, ctx, &out, &d)) return format_diagnostic(d);
  return out;
}

TEST(TemplateMethods, StringMethods) {
  EXPECT_EQ(render("{{ 'xxhixx'.lstrip('x') }}|{{ 'xxhixx'.rstrip('x') }}|{{ '  a '.lstrip() }}|"
                   "{{ 'hELLO wORLD'.capitalize() }}|{{ 'a,b,c'.rsplit(',') }}|"
                   "{{ 'one\\ntwo\\n'.splitlines() }}"),
            "hixx|xxhi|a |Hello world|['a', 'b', 'c']|['one', 'two']");
}

TEST(TemplateMethods, DictMethodsKeepOrder) {
  EXPECT_EQ(render("{% set d = {'b': 2, 'a': 1} %}{{ d.keys()|list }}{{ d.items()|list }}"
                   "{{ d.get('z', 0) }}{{ d.get(key='a') }}"),
            "['b', 'a'][('b', 2), ('a', 1)]01");
}

// Data read in place (JSON, front matter) is a Python dict to templates: its
// methods come before its keys, as Jinja2's getattr does, and a key named
// like a method is read by subscript.
TEST(TemplateMethods, DataMappingMethodsComeBeforeKeys) {
  Value data;
  ASSERT_TRUE(
      parse_json_value(R"({"foo": {"items": 42, "title": "T"}})", "c.json", &data, nullptr));
  TemplateContext ctx;
  ctx.set("foo", TValue::from_value(*data.find("foo")));
  EXPECT_EQ(render("{{ foo.items()|list }}|{{ foo|attr('items')()|list }}|{{ foo['items'] }}|"
                   "{{ foo.get('items') }}|{{ foo.title }}",
                   ctx),
            "[('items', 42), ('title', 'T')]|[('items', 42), ('title', 'T')]|42|42|T");
}

TEST(TemplateMethods, BoundMethodsPrintTheirName) {
  EXPECT_EQ(render("{{ 'x'.lstrip }} {{ {}.get }}"), "<function lstrip> <function get>");
}

TEST(TemplateMethods, FormatIsRefused) {
  EXPECT_NE(render("{{ '{}'.format(1) }}").find("str.format is not supported"), std::string::npos);
}

TEST(TemplateMethods, WhatEachTypeHas) {
  EXPECT_TRUE(is_string_method("splitlines"));
  EXPECT_FALSE(is_string_method("items"));
  EXPECT_TRUE(is_dict_method("items"));
  EXPECT_FALSE(is_dict_method("upper"));
}

}  // namespace
}  // namespace byline
