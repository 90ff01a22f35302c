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

// Python's list methods, with Python's results and errors, on lists the
// template built.
TEST(TemplateMethods, ListMethods) {
  EXPECT_EQ(
      render("{% set l = [3, 1, 2] %}{{ l.append(4) }}{{ l }}|{{ l.pop() }}{{ l.pop(0) }}"
             "{{ l.pop(-1) }}{{ l }}|{% set _ = l.extend([5, 6]) %}{% set _ = l.extend(l) %}"
             "{{ l }}|{% set _ = l.insert(-1, 0) %}{% set _ = l.insert(99, 9) %}"
             "{% set _ = l.insert(-99, 8) %}{{ l }}|{% set _ = l.remove(1) %}{{ l }}|"
             "{{ l.count(1) }}{{ l.index(1) }}{{ l.index(6, 3) }}|{% set _ = l.reverse() %}{{ l }}|"
             "{% set c = l.copy() %}{% set _ = l.clear() %}{{ l }}{{ c|length }}"),
      "None[3, 1, 2, 4]|432[1]|[1, 5, 6, 1, 5, 6]|[8, 1, 5, 6, 1, 5, 0, 6, 9]|"
      "[8, 5, 6, 1, 5, 0, 6, 9]|136|[9, 6, 0, 5, 1, 6, 5, 8]|[]8");
}

TEST(TemplateMethods, ListSort) {
  EXPECT_EQ(
      render("{% set l = [3, 1, 2] %}{% set _ = l.sort() %}{{ l }}"
             "{% set _ = l.sort(reverse=true) %}{{ l }}"
             "{% set w = ['bb', 'a', 'ccc', 'dd'] %}{% macro size(s) %}{{ s|length }}{% endmacro %}"
             "{% set _ = w.sort(key=size) %}{{ w }}{% set _ = w.sort(key=size, reverse=true) %}"
             "{{ w }}"),
      "[1, 2, 3][3, 2, 1]['a', 'bb', 'dd', 'ccc']['ccc', 'bb', 'dd', 'a']");
  EXPECT_EQ(render("{{ [1, 'a'].sort() }}"),
            "t.txt:1:17: error: '<' not supported between instances of 'str' and 'int'\n"
            "  {{ [1, 'a'].sort() }}\n"
            "                  ^\n");
}

// Python's messages for wrong calls, each located at the call.
TEST(TemplateMethods, ListMethodErrors) {
  auto error = [](std::string_view src) {
    std::string r = render(src);
    size_t b = r.find("error: ");
    return b == std::string::npos ? r : r.substr(b + 7, r.find('\n') - b - 7);
  };
  EXPECT_EQ(error("{{ [].append() }}"), "list.append() takes exactly one argument (0 given)");
  EXPECT_EQ(error("{{ [].append(1, 2) }}"), "list.append() takes exactly one argument (2 given)");
  EXPECT_EQ(error("{{ [].append(x=1) }}"), "list.append() takes no keyword arguments");
  EXPECT_EQ(error("{{ [].extend(5) }}"), "'int' object is not iterable");
  EXPECT_EQ(error("{{ [].insert(1) }}"), "insert expected 2 arguments, got 1");
  EXPECT_EQ(error("{{ [].insert('a', 1) }}"), "'str' object cannot be interpreted as an integer");
  EXPECT_EQ(error("{{ [].pop() }}"), "pop from empty list");
  EXPECT_EQ(error("{{ [1].pop(5) }}"), "pop index out of range");
  EXPECT_EQ(error("{{ [].pop(1, 2) }}"), "pop expected at most 1 argument, got 2");
  EXPECT_EQ(error("{{ [1].remove(2) }}"), "list.remove(x): x not in list");
  EXPECT_EQ(error("{{ [].clear(1) }}"), "list.clear() takes no arguments (1 given)");
  EXPECT_EQ(error("{{ [].reverse(1) }}"), "list.reverse() takes no arguments (1 given)");
  EXPECT_EQ(error("{{ [].sort(1) }}"), "sort() takes no positional arguments");
  EXPECT_EQ(error("{{ [].sort(foo=1) }}"), "'foo' is an invalid keyword argument for sort()");
  EXPECT_EQ(error("{{ [1].index(2) }}"), "2 is not in list");
  EXPECT_EQ(error("{{ [1].index() }}"), "index expected at least 1 argument, got 0");
  EXPECT_EQ(error("{{ [].count() }}"), "list.count() takes exactly one argument (0 given)");
  EXPECT_EQ(error("{{ (1, 2).append(3) }}"), "'tuple object' has no attribute 'append'");
}

TEST(TemplateMethods, DictMethodsThatChangeTheDict) {
  EXPECT_EQ(render("{% set d = {'a': 1} %}{{ d.update({'b': 2}, c=3) }}{{ d }}|"
                   "{% set _ = d.update([('a', 9), ['d', 4]]) %}{{ d }}|{{ d.pop('a') }}"
                   "{{ d.pop('zz', 0) }}{{ d }}|{{ d.setdefault('b', 7) }}{{ d.setdefault('e') }}"
                   "{{ d }}|{{ d.popitem() }}{{ d }}|{% set c = d.copy() %}{% set _ = d.clear() %}"
                   "{{ d }}{{ c }}|{% set _ = c.update(c) %}{{ c }}"),
            "None{'a': 1, 'b': 2, 'c': 3}|{'a': 9, 'b': 2, 'c': 3, 'd': 4}|90"
            "{'b': 2, 'c': 3, 'd': 4}|2None{'b': 2, 'c': 3, 'd': 4, 'e': None}|"
            "('e', None){'b': 2, 'c': 3, 'd': 4}|{}{'b': 2, 'c': 3, 'd': 4}|"
            "{'b': 2, 'c': 3, 'd': 4}");
  auto error = [](std::string_view src) {
    std::string r = render(src);
    size_t b = r.find("error: ");
    return b == std::string::npos ? r : r.substr(b + 7, r.find('\n') - b - 7);
  };
  EXPECT_EQ(error("{{ {}.pop('k') }}"), "KeyError: 'k'");
  EXPECT_EQ(error("{{ {}.pop() }}"), "pop expected at least 1 argument, got 0");
  EXPECT_EQ(error("{{ {}.popitem() }}"), "KeyError: 'popitem(): dictionary is empty'");
  EXPECT_EQ(error("{{ {}.setdefault() }}"), "setdefault expected at least 1 argument, got 0");
  EXPECT_EQ(error("{{ {}.update(1) }}"), "'int' object is not iterable");
  EXPECT_EQ(error("{{ {}.update([1]) }}"),
            "cannot convert dictionary update sequence element #0 to a sequence");
  EXPECT_EQ(error("{{ {}.update([(1,)]) }}"),
            "dictionary update sequence element #0 has length 1; 2 is required");
  EXPECT_EQ(error("{{ {}.update({}, {}) }}"), "update expected at most 1 argument, got 2");
  EXPECT_EQ(error("{{ {}.clear(1) }}"), "dict.clear() takes no arguments (1 given)");
  EXPECT_EQ(error("{{ {}.get() }}"), "get expected at least 1 argument, got 0");
}

// Host data (here JSON read in place) is never changed: the methods that
// would change it say so, and how to copy it; the others work.
TEST(TemplateMethods, HostDataIsReadOnly) {
  Value data;
  ASSERT_TRUE(parse_json_value(R"({"l": [2, 1], "m": {"k": 1}})", "c.json", &data, nullptr));
  TemplateContext ctx;
  ctx.set("l", TValue::from_value(*data.find("l")));
  ctx.set("m", TValue::from_value(*data.find("m")));
  ctx.set("own", TValue::list({TValue::integer(1)}));  // built by the host: read-only too
  auto error = [&ctx](std::string_view src) {
    std::string r = render(src, ctx);
    size_t b = r.find("error: ");
    return b == std::string::npos ? r : r.substr(b + 7, r.find('\n') - b - 7);
  };
  EXPECT_EQ(error("{{ l.append(3) }}"), "'list object' is read-only: copy it first with |list");
  EXPECT_EQ(error("{{ l.sort() }}"), "'list object' is read-only: copy it first with |list");
  EXPECT_EQ(error("{{ m.update(a=1) }}"),
            "'dict object' is read-only: copy it first with dict(...)");
  EXPECT_EQ(error("{{ m.pop('k') }}"), "'dict object' is read-only: copy it first with dict(...)");
  EXPECT_EQ(error("{{ own.append(2) }}"), "'list' object is read-only: copy it first with |list");
  EXPECT_EQ(error("{{ range(3).append(2) }}"),
            "'list' object is read-only: copy it first with |list");
  EXPECT_EQ(render("{% set c = l|list %}{% set _ = c.append(3) %}{% set _ = c.sort() %}{{ c }}"
                   "{% set k = l.copy() %}{% set _ = k.pop() %}{{ k }}{{ l.count(1) }}"
                   "{{ l.index(1) }}{% set d = dict(m) %}{% set _ = d.update(a=1) %}{{ d }}"
                   "{% set e = m.copy() %}{% set _ = e.clear() %}{{ e }}|{{ l }}{{ m }}",
                   ctx),
            "[1, 2, 3][2]11{'k': 1, 'a': 1}{}|[2, 1]{'k': 1}");
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
  EXPECT_TRUE(is_dict_method("setdefault"));
  EXPECT_FALSE(is_dict_method("upper"));
  EXPECT_TRUE(is_list_method("append"));
  EXPECT_FALSE(is_list_method("items"));
}

}  // namespace
}  // namespace byline
