// Template engine micro-benchmarks: a post page (base template with three
// blocks, two includes, 8 KB of content) and a 100-entry list page, both
// reading host objects by reference as the site renderer does.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "templates/template_byline.h"
#include "templates/template_engine.h"

namespace byline {
namespace {

struct BenchPage {
  std::string title, url, summary, content;
  DateTime date;
  std::vector<std::string> tags;
};

class TagListType final : public ObjectType {
 public:
  bool is_sequence(const void*) const override { return true; }
  size_t size(const void* self) const override {
    return static_cast<const std::vector<std::string>*>(self)->size();
  }
  TValue at(const void* self, size_t i) const override {
    return TValue::string_ref((*static_cast<const std::vector<std::string>*>(self))[i]);
  }
};
const TagListType kTagList;

class PageType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "Page"; }
  TValue attribute(const void* self, std::string_view name) const override {
    const auto* p = static_cast<const BenchPage*>(self);
    if (name == "title") return TValue::string_ref(p->title);
    if (name == "url") return TValue::string_ref(p->url);
    if (name == "summary") return TValue::string_ref(p->summary, true);
    if (name == "content") return TValue::string_ref(p->content, true);
    if (name == "date") return datetime_ref(&p->date);
    if (name == "tags") return TValue::object(&kTagList, &p->tags);
    return TValue::undefined();
  }
};
const PageType kPage;

class PageListType final : public ObjectType {
 public:
  bool is_sequence(const void*) const override { return true; }
  size_t size(const void* self) const override {
    return static_cast<const std::vector<BenchPage>*>(self)->size();
  }
  TValue at(const void* self, size_t i) const override {
    return TValue::object(&kPage, &(*static_cast<const std::vector<BenchPage>*>(self))[i]);
  }
};
const PageListType kPageList;

std::unique_ptr<TemplateEngine> make_engine() {
  auto loader = std::make_unique<MapLoader>();
  loader->add("base.html", R"(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{% block title %}{{ site.title }}{% endblock %}</title>
  {% include "head.html" %}
</head>
<body>
  <header><a href="/">{{ site.title }}</a></header>
  <main>{% block content %}{% endblock %}</main>
  {% include "footer.html" %}
  {% block scripts %}{% endblock %}
</body>
</html>
)");
  loader->add("head.html", R"(<meta name="description" content="{{ site.description }}">
  <link rel="stylesheet" href="/style.css">)");
  loader->add("footer.html",
              R"(<footer>&copy; {{ site.author }} &middot; <a href="/feed.xml">Feed</a></footer>)");
  loader->add("post.html", R"({% extends "base.html" %}
{% block title %}{{ page.title }} | {{ super() }}{% endblock %}
{% block content %}
<article>
  <h1>{{ page.title }}</h1>
  <time datetime="{{ page.date|date('%Y-%m-%d') }}">{{ page.date|date('%B %-d, %Y') }}</time>
  {{ page.content }}
  <ul class="tags">{% for t in page.tags %}<li><a href="/tags/{{ t|slugify }}/">{{ t }}</a></li>{% endfor %}</ul>
</article>
{% endblock %}
{% block scripts %}<script src="/app.js"></script>{% endblock %}
)");
  loader->add("list.html", R"({% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<ul class="posts">
{% for p in pages %}
  <li class="{{ loop.cycle('odd', 'even') }}">
    <a href="{{ p.url }}">{{ p.title }}</a>
    <time>{{ p.date|date('%d %b %Y') }}</time>
    <p>{{ p.summary }}</p>
  </li>
{% endfor %}
</ul>
{% endblock %}
)");
  auto engine = std::make_unique<TemplateEngine>(std::move(loader));
  register_byline_extensions(*engine);
  return engine;
}

std::vector<BenchPage> make_pages(size_t n) {
  std::mt19937 rng(42);
  std::vector<BenchPage> pages(n);
  for (size_t i = 0; i < n; ++i) {
    BenchPage& p = pages[i];
    p.title = "Notes on the Black Sea & grain corridor, part " + std::to_string(i);
    p.url = "/posts/2023/notes-" + std::to_string(i) + "/";
    p.summary = "<p>A short summary of the piece, with <em>emphasis</em>.</p>";
    p.date = *parse_datetime("2023-0" + std::to_string(1 + rng() % 9) + "-1" +
                             std::to_string(rng() % 10) + "T09:30:00+02:00");
    p.tags = {"Russia", "Ukraine", "Grain Exports"};
    while (p.content.size() < 8192)
      p.content +=
          "<p>Paragraph of analysis with a <a href=\"https://example.com\">link</a> and "
          "some more words to fill the line, as columns do.</p>\n";
  }
  return pages;
}

struct Site {
  std::string title = "An Analyst's Archive", description = "Columns & commentary",
              author = "A. Writer";
};

class SiteType final : public ObjectType {
 public:
  TValue attribute(const void* self, std::string_view name) const override {
    const auto* s = static_cast<const Site*>(self);
    if (name == "title") return TValue::string_ref(s->title);
    if (name == "description") return TValue::string_ref(s->description);
    if (name == "author") return TValue::string_ref(s->author);
    return TValue::undefined();
  }
};
const SiteType kSite;

void BM_PostPage(benchmark::State& state) {
  auto engine = make_engine();
  auto pages = make_pages(1);
  Site site;
  TemplateContext ctx;
  ctx.set("site", TValue::object(&kSite, &site));
  ctx.set("page", TValue::object(&kPage, &pages[0]));
  std::string out;
  Diagnostic d;
  if (!engine->render("post.html", ctx, &out, &d)) state.SkipWithError(d.message.c_str());
  for (auto _ : state) {
    out.clear();
    engine->render("post.html", ctx, &out, &d);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_PostPage)->Unit(benchmark::kMicrosecond);

void BM_ListPage100(benchmark::State& state) {
  auto engine = make_engine();
  auto pages = make_pages(100);
  Site site;
  TemplateContext ctx;
  ctx.set("site", TValue::object(&kSite, &site));
  ctx.set("title", TValue::string("All posts"));
  ctx.set("pages", TValue::object(&kPageList, &pages));
  std::string out;
  Diagnostic d;
  if (!engine->render("list.html", ctx, &out, &d)) state.SkipWithError(d.message.c_str());
  for (auto _ : state) {
    out.clear();
    engine->render("list.html", ctx, &out, &d);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_ListPage100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace byline

BENCHMARK_MAIN();
