// The renderer's entry points: walking a compiled template to its output,
// and include_cached(), which renders from inside a render.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostic.h"
#include "templates/template_engine.h"

namespace byline {

// Renders `tpl` against `context` into `out` (appending). On failure returns
// false and fills `error` with a diagnostic located in the template that
// failed, naming `page` when there is one. Thread-safe: each call has its
// own state.
bool render_compiled(TemplateEngine& engine, const Template* tpl, const TemplateContext& context,
                     std::string_view page, std::string* out, Diagnostic* error);

// include_cached(name, key...), the global function (template_output_cache.h
// says what it keeps). `state` must be the renderer's.
TValue include_cached(RenderState& state, CallArgs& args);

}  // namespace byline
