// Which templates may share their literals (see template_sharing.h).
#include "templates/template_sharing.h"

#include <set>
#include <string>

#include "templates/template_engine.h"
#include "templates/template_methods.h"

namespace byline {
namespace {

using Body = std::vector<std::unique_ptr<Stmt>>;

class LiteralReach {
 public:
  explicit LiteralReach(const TemplateEngine& engine) : engine_(engine) {}

  bool stays_unchanged(const Template& tpl) {
    collect_names(tpl.body);
    return body_ok(tpl.body);
  }

 private:
  // The macros the template defines, and every other name it binds (a
  // variable may hold a macro from elsewhere).
  void collect_names(const Body& body) {
    for (const auto& s : body) {
      if (s->kind == StmtKind::kMacro) macros_.insert(s->text);
      for (const std::string& p : s->params) bound_.insert(p);
      if (s->target) bind_target(*s->target);
      for (const auto& t : s->targets) bind_target(*t);
      for (const auto& [name, alias] : s->names) bound_.insert(alias);
      if (s->kind == StmtKind::kImport) bound_.insert(s->text);
      collect_names(s->body);
      collect_names(s->else_body);
    }
  }
  void bind_target(const Expr& t) {
    if (t.kind == ExprKind::kName) bound_.insert(t.name);
    for (const auto& c : t.children) bind_target(*c);
  }

  bool body_ok(const Body& body) {
    for (const auto& s : body)
      if (!stmt_ok(*s)) return false;
    return true;
  }

  bool stmt_ok(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::kInclude:
      case StmtKind::kImport:
      case StmtKind::kFromImport:
      case StmtKind::kExtends:
      case StmtKind::kBlock:
      case StmtKind::kCallBlock:
        return false;  // another template's code sees this one's values
      default:
        break;
    }
    if (s.target && sets_attribute(*s.target)) return false;  // set ns.a = ...
    for (const Expr* e : {s.expr.get(), s.expr2.get(), s.filter.get()})
      if (e && !expr_ok(*e)) return false;
    for (const auto* list : {&s.defaults, &s.values})
      for (const auto& e : *list)
        if (e && !expr_ok(*e)) return false;
    return body_ok(s.body) && body_ok(s.else_body);
  }

  static bool sets_attribute(const Expr& target) {
    if (target.kind == ExprKind::kGetattr) return true;
    for (const auto& c : target.children)
      if (sets_attribute(*c)) return true;
    return false;
  }

  bool expr_ok(const Expr& e) {
    if (e.kind == ExprKind::kCall && !call_ok(e)) return false;
    for (const auto& c : e.children)
      if (c && !expr_ok(*c)) return false;
    for (const auto& [k, v] : e.kwargs)
      if (!expr_ok(*v)) return false;
    return (!e.star_args || expr_ok(*e.star_args)) && (!e.star_kwargs || expr_ok(*e.star_kwargs));
  }

  // A call that runs only this template's code, host code, or a method
  // that changes nothing.
  bool call_ok(const Expr& call) const {
    const Expr& callee = *call.children[0];
    if (callee.kind == ExprKind::kName) {
      const std::string& n = callee.name;
      if (bound_.count(n)) return false;
      if (n == "loop" || macros_.count(n)) return true;
      const TValue* g = engine_.find_global(n);
      return g && g->is_callable();
    }
    if (callee.kind == ExprKind::kGetattr)
      return changes_nothing(callee.name) || callee.name == "cycle" || callee.name == "changed";
    return false;
  }

  const TemplateEngine& engine_;
  std::set<std::string, std::less<>> macros_, bound_;
};

}  // namespace

bool literals_stay_unchanged(const Template& tpl, const TemplateEngine& engine) {
  return LiteralReach(engine).stays_unchanged(tpl);
}

}  // namespace byline
