// Jinja2 syntax to a Template tree over template_lexer.h's tokens, reporting
// the first syntax error with its template, line, column and what was expected.
#pragma once

#include <memory>
#include <string>

#include "base/diagnostic.h"
#include "templates/template_ast.h"

namespace byline {

// Parses `source` (the text of template `name`). Applies Jinja2's default
// trimming: a single trailing newline is removed. Returns nullptr and fills
// `error` on a syntax error.
std::unique_ptr<Template> parse_template(std::string name, std::string_view source, bool autoescape,
                                         Diagnostic* error);

// Whether a template name gets autoescaping (.html, .htm, .xml), as Jinja2's
// select_autoescape(['html', 'htm', 'xml']).
bool autoescape_for_name(std::string_view name);

}  // namespace byline
