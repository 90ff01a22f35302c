// Which templates share their list and dict literals between renders, and
// what happens when a shared literal meets a method that would change it.
#include "templates/template_sharing.h"

#include <gtest/gtest.h>

#include <string>

#include "templates/template_engine.h"

namespace byline {
namespace {

bool shares(std::string_view source) {
  auto loader = std::make_unique<MapLoader>();
  loader->add("t.html", std::string(source));
  TemplateEngine engine(std::move(loader));
  Diagnostic d;
  const Template* t = engine.get_template("t.html", &d);
  EXPECT_TRUE(t) << d.message;
  return t && t->shares_literals;
}

TEST(TemplateSharing, TemplatesThatOnlyReadTheirLiteralsShareThem) {
  EXPECT_TRUE(shares("{% set labels = {'a': 'A'} %}{{ labels[k] if k in labels }}"));
  EXPECT_TRUE(
      shares("{% set n = (p.authors if p.authors else []) %}{% for a in n %}{{ a }}"
             "{% endfor %}{{ range(3)|list }}{{ 'a,b'.split(',') }}{{ d.items() }}"));
  EXPECT_TRUE(
      shares("{% macro m(x) %}{{ x|length }}{% endmacro %}{{ m([1]) }}"
             "{% for i in [1] %}{{ loop.cycle('a', 'b') }}{% endfor %}"));
}

TEST(TemplateSharing, AnythingThatCouldChangeALiteralCopiesThem) {
  // A method that may change its object, whatever the object.
  EXPECT_FALSE(shares("{% set l = [] %}{% set _ = l.append(1) %}"));
  EXPECT_FALSE(shares("{{ x.update(a=1) }}"));
  EXPECT_FALSE(shares("{{ x.sort() }}"));
  // Code of another template with this one's values in reach.
  EXPECT_FALSE(shares("{% include 'x.html' %}"));
  EXPECT_FALSE(shares("{% import 'x.html' as m %}"));
  EXPECT_FALSE(shares("{% from 'x.html' import m %}"));
  EXPECT_FALSE(shares("{% extends 'x.html' %}"));
  EXPECT_FALSE(shares("{% block b %}{% endblock %}"));
  EXPECT_FALSE(shares("{% macro m() %}{% endmacro %}{% call m() %}{% endcall %}"));
  EXPECT_FALSE(shares("{% macro m() %}{{ caller([1]) }}{% endmacro %}"));
  EXPECT_FALSE(shares("{{ cb([1]) }}"));      // a variable: maybe another template's macro
  EXPECT_FALSE(shares("{{ ns.add([1]) }}"));  // an attribute that is no known method
  EXPECT_FALSE(shares("{% macro range(x) %}{% endmacro %}{% set range = f %}{{ range(1) }}"));
  EXPECT_FALSE(shares("{% set ns = namespace() %}{% set ns.l = [1] %}"));  // kept beyond
  EXPECT_FALSE(shares("{% set ns = namespace() %}{% set ns.l, x = [1], 2 %}"));
}

std::string render(std::vector<std::pair<std::string, std::string>> files) {
  auto loader = std::make_unique<MapLoader>();
  for (auto& [n, s] : files) loader->add(n, s);
  TemplateEngine engine(std::move(loader));
  std::string out;
  Diagnostic d;
  if (!engine.render(files[0].first, {}, &out, &d)) return "error: " + d.message;
  return out;
}

// A module that shares its literals exports them as values the importer
// may change, and the module's macros see the same value, as in Python.
TEST(TemplateSharing, ImportsGetChangeableCopies) {
  EXPECT_EQ(render({{"t.html",
                     "{% import 'cfg.html' as cfg %}{% set _ = cfg.names.append(2) %}"
                     "{% set _ = cfg.both.l.append(3) %}{{ cfg.names }}{{ cfg.show() }}"
                     "{{ cfg.both }}"},
                    {"cfg.html",
                     "{% set names = [1] %}{% set both = {'l': [], 'n': x} %}"
                     "{% macro show() %}{{ names|length }}{% endmacro %}"}}),
            "[1, 2]2{&#39;l&#39;: [3], &#39;n&#39;: Undefined}");
}

// What the analysis cannot see -- a macro of another template smuggled in
// under the name of a method that changes nothing -- meets a read-only
// value: an error, never a change another render would see.
TEST(TemplateSharing, AMissedPathIsAReadOnlyError) {
  EXPECT_EQ(render({{"t.html",
                     "{% import 'lib.html' as lib %}{% set ns = namespace(items=lib.add) %}"
                     "{% include 'inc.html' %}"},
                    {"lib.html", "{% macro add(l) %}{% set _ = l.append(1) %}{% endmacro %}"},
                    {"inc.html", "{% set l = [] %}{{ ns.items(l) }}{{ l }}"}}),
            "error: 'list' object is read-only: copy it first with |list");
}

}  // namespace
}  // namespace byline
