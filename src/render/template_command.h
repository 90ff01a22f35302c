// `byline template render NAME --templates DIR --context FILE.json`: renders
// one template against a JSON context, for theme authors and the
// differential tests against Jinja2.
#pragma once

#include <string>
#include <string_view>

namespace byline {

// Renders template `name` from `templates_dir` (then the embedded default
// theme) with the JSON object in `context_json_path` as its variables.
// Returns 0 and fills `out` on success; returns 1 and fills `diagnostics`
// with formatted diagnostics on error.
int run_template_render(std::string_view name, const std::string& templates_dir,
                        const std::string& context_json_path, bool strict, std::string* out,
                        std::string* diagnostics);

}  // namespace byline
