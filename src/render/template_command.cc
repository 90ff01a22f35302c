// The template render command (see template_command.h).
#include "render/template_command.h"

#include "base/value.h"
#include "config/theme.h"
#include "render/site_templates.h"
#include "templates/json_context.h"
#include "templates/template_byline.h"
#include "templates/template_engine.h"

namespace byline {

int run_template_render(std::string_view name, const std::string& templates_dir,
                        const std::string& context_json_path, bool strict, std::string* out,
                        std::string* diagnostics) {
  Value context_value;
  if (!context_json_path.empty()) {
    Diagnostic d;
    if (!load_json_file(context_json_path, &context_value, &d)) {
      *diagnostics += format_diagnostic(d);
      return 1;
    }
    if (!context_value.is_map()) {
      d.location.path = context_json_path;
      d.message = "the context must be a JSON object";
      *diagnostics += format_diagnostic(d);
      return 1;
    }
  }
  EngineOptions options;
  options.strict_undefined = strict;
  const Theme theme = Theme::for_templates(templates_dir);
  TemplateEngine engine(std::make_unique<ThemeLoader>(theme), options);
  register_byline_extensions(engine);
  TemplateContext context;
  if (context_value.is_map())
    for (const auto& [k, v] : context_value.as_map()) context.set(k, TValue::from_value(v));
  Diagnostic error;
  if (!engine.render(name, context, out, &error)) {
    *diagnostics += format_diagnostic(error);
    return 1;
  }
  return 0;
}

}  // namespace byline
