// Whether a compiled template's list and dict literals can serve every
// render uncopied: whether one of them could reach code that changes it in
// place (see ExprKind::kFreshLiteral).
#pragma once

#include "templates/template_ast.h"

namespace byline {

class TemplateEngine;

// True when nothing in `tpl` could hand one of its literals to code that
// changes it: no method that may change its object is called, and no code
// of another template runs with the template's values in reach (include,
// import, extends, a block a child may override, a call block, a macro or
// `caller` from elsewhere, a namespace attribute set). Then the parser's one
// value serves every evaluation, read-only (TValue::kLiteralOwner): a path
// this misses ends in a "read-only" error, never in a change that another
// render sees. `engine` tells global functions (which run no template code)
// from other names.
bool literals_stay_unchanged(const Template& tpl, const TemplateEngine& engine);

}  // namespace byline
