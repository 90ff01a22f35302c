// A theme template rendered against a small fixed context, with byline's
// filters and functions, beside two templates it can extend or include.
#include <memory>
#include <string>

#include "base/diagnostic.h"
#include "base/value.h"
#include "fuzz_input.h"
#include "templates/template_byline.h"
#include "templates/template_engine.h"
#include "templates/template_loader.h"

namespace {

byline::Value fixed_context() {
  byline::Value page = byline::Value::map();
  page.set("title", byline::Value::string("Energy <policy> & \"Kyiv\""));
  page.set("words", byline::Value::integer(1200));
  page.set("ratio", byline::Value::number(0.75));
  page.set("draft", byline::Value::boolean(false));
  byline::Value::List tags;
  tags.push_back(byline::Value::string("Russia"));
  tags.push_back(byline::Value::string("Energy"));
  tags.push_back(byline::Value::integer(3));
  page.set("tags", byline::Value::list(std::move(tags)));
  byline::Value site = byline::Value::map();
  site.set("title", byline::Value::string("A Writer's Archive"));
  site.set("base_url", byline::Value::string("https://example.org/"));
  byline::Value context = byline::Value::map();
  context.set("page", std::move(page));
  context.set("site", std::move(site));
  context.set("content", byline::Value::string("<p>Body</p>"));
  context.set("nothing", byline::Value());
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const byline::Value context_value = fixed_context();
  auto loader = std::make_unique<byline::MapLoader>();
  loader->add("base.html",
              "<title>{% block title %}{{ site.title }}{% endblock %}</title>"
              "{% block body %}{% endblock %}");
  loader->add("part.html", "{% for t in page.tags %}<b>{{ t }}</b>{% endfor %}");
  loader->add("fuzz.html", std::string(byline::fuzz::as_text(data, size)));
  byline::TemplateEngine engine(std::move(loader));
  byline::register_byline_extensions(engine);
  byline::TemplateContext context;
  for (const auto& [name, value] : context_value.as_map())
    context.set(name, byline::TValue::from_value(value));
  std::string out;
  byline::Diagnostic error;
  (void)engine.render("fuzz.html", context, &out, &error, "content/posts/fuzz.md");
  return 0;
}
