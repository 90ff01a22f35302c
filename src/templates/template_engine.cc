// The engine's public face: registration, the compiled-template cache (with
// the check of filter and test names that compiling adds to parsing), and
// render(), which hands the tree to the renderer.
#include "templates/template_engine.h"

#include <atomic>
#include <mutex>

#include "base/strings.h"
#include "templates/template_output_cache.h"
#include "templates/template_parser.h"
#include "templates/template_renderer.h"
#include "templates/template_sharing.h"

namespace byline {

// ---- context ----

void TemplateContext::set(std::string name, TValue value) {
  const VarName key(name);
  for (ScopeVar& v : vars_)
    if (key.matches(v.tag, v.name)) {
      v.value = std::move(value);
      return;
    }
  const uint32_t tag = key.tag;
  vars_.push_back({std::move(name), tag, false, std::move(value)});
}

TValue argument(const CallArgs& args, size_t index, std::string_view name, const TValue& fallback) {
  if (index < args.positional.size()) return args.positional[index];
  if (const TValue* v = args.find_keyword(name)) return *v;
  return fallback;
}

uint64_t RenderState::new_mutation_token() {
  static std::atomic<uint64_t> next{TValue::kLiteralOwner + 1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

TValue RenderState::apply_filter(std::string_view name, const TValue& value, CallArgs& args) {
  const FilterFunction* f = engine_->find_filter(name);
  if (!f) throw TemplateError{"no filter named '" + std::string(name) + "'"};
  return (*f)(*this, value, args);
}

bool RenderState::apply_test(std::string_view name, const TValue& value, CallArgs& args) {
  const TestFunction* t = engine_->find_test(name);
  if (!t) throw TemplateError{"no test named '" + std::string(name) + "'"};
  return (*t)(*this, value, args);
}

// ---- the engine ----

namespace {

class FunctionCallable final : public Callable {
 public:
  FunctionCallable(std::string name, GlobalFunction f) : name_(std::move(name)), f_(std::move(f)) {}
  std::string_view name() const override { return name_; }
  TValue call(RenderState& state, CallArgs& args) const override { return f_(state, args); }

 private:
  std::string name_;
  GlobalFunction f_;
};

}  // namespace

TemplateEngine::TemplateEngine(std::unique_ptr<TemplateLoader> loader, EngineOptions options)
    : loader_(std::move(loader)), options_(options), outputs_(std::make_unique<OutputCache>()) {
  register_builtin_filters(*this);
  add_function("include_cached", include_cached);
}

TemplateEngine::~TemplateEngine() = default;

void TemplateEngine::add_filter(std::string name, FilterFunction f) {
  filters_[std::move(name)] = std::move(f);
}
void TemplateEngine::add_test(std::string name, TestFunction f) {
  tests_[std::move(name)] = std::move(f);
}
void TemplateEngine::add_function(std::string name, GlobalFunction f) {
  TValue v = TValue::callable(std::make_shared<FunctionCallable>(name, std::move(f)));
  globals_[std::move(name)] = std::move(v);
}
void TemplateEngine::add_global(std::string name, TValue value) {
  globals_[std::move(name)] = std::move(value);
}

const FilterFunction* TemplateEngine::find_filter(std::string_view name) const {
  auto it = filters_.find(name);
  return it == filters_.end() ? nullptr : &it->second;
}
const TestFunction* TemplateEngine::find_test(std::string_view name) const {
  auto it = tests_.find(name);
  return it == tests_.end() ? nullptr : &it->second;
}
const TValue* TemplateEngine::find_global(std::string_view name) const {
  auto it = globals_.find(name);
  return it == globals_.end() ? nullptr : &it->second;
}

const Template* TemplateEngine::get_template(std::string_view name, Diagnostic* error) {
  {
    std::shared_lock lock(cache_mu_);
    auto it = cache_.find(name);
    if (it != cache_.end()) {
      if (!it->second->tpl && error) *error = it->second->error;
      return it->second->tpl.get();
    }
  }
  std::unique_lock lock(cache_mu_);
  auto it = cache_.find(name);
  if (it == cache_.end()) {
    auto compiled = std::make_unique<Compiled>();
    std::string source;
    if (!loader_->load(name, &source)) {
      compiled->error.location.path = std::string(name);
      compiled->error.message = "template '" + std::string(name) + "' not found";
      if (std::string where = loader_->searched(name); !where.empty())
        compiled->error.message += " (" + where + ")";
    } else {
      compiled->tpl = compile(name, source, &compiled->error);
    }
    it = cache_.emplace(std::string(name), std::move(compiled)).first;
  }
  if (!it->second->tpl && error) *error = it->second->error;
  return it->second->tpl.get();
}

namespace {

// Jinja2 rejects unknown filters and tests when compiling, except inside
// {% if %} branches and inline if-expressions, where they are only an error
// when reached. Returns the offset and message of the first one, if any.
class NameCheck {
 public:
  explicit NameCheck(const TemplateEngine& engine) : engine_(engine) {}

  // Binds each filter and test node to the engine's function as it goes.
  bool body(const std::vector<std::unique_ptr<Stmt>>& b, bool soft) {
    for (const auto& s : b)
      if (!stmt(*s, soft)) return false;
    return true;
  }

  size_t offset = 0;
  std::string message;

 private:
  bool stmt(Stmt& s, bool soft) {
    bool branch_soft = soft || s.kind == StmtKind::kIf;
    for (Expr* e : {s.expr.get(), s.expr2.get(), s.target.get(), s.filter.get()})
      if (e && !expr(*e, soft)) return false;
    for (const auto& e : s.values)
      if (!expr(*e, soft)) return false;
    for (const auto& e : s.defaults)
      if (e && !expr(*e, soft)) return false;
    return body(s.body, branch_soft) && body(s.else_body, branch_soft);
  }

  bool expr(Expr& e, bool soft) {
    if (e.kind == ExprKind::kFilter) e.bound = engine_.find_filter(e.name);
    if (e.kind == ExprKind::kTest) e.bound = engine_.find_test(e.name);
    if (!soft && e.kind == ExprKind::kFilter && !e.bound)
      return fail(e.offset, "no filter named '" + e.name + "'");
    if (!soft && e.kind == ExprKind::kTest && !e.bound)
      return fail(e.offset, "no test named '" + e.name + "'");
    bool inner_soft = soft || e.kind == ExprKind::kCondExpr;
    for (const auto& c : e.children)
      if (c && !expr(*c, inner_soft)) return false;
    for (const auto& [k, v] : e.kwargs)
      if (!expr(*v, inner_soft)) return false;
    if (e.star_args && !expr(*e.star_args, inner_soft)) return false;
    if (e.star_kwargs && !expr(*e.star_kwargs, inner_soft)) return false;
    return true;
  }

  bool fail(size_t at, std::string msg) {
    offset = at;
    message = std::move(msg);
    return false;
  }

  const TemplateEngine& engine_;
};

}  // namespace

std::unique_ptr<Template> TemplateEngine::compile(std::string_view name, std::string_view source,
                                                  Diagnostic* error) const {
  auto tpl = parse_template(std::string(name), source, autoescape_for_name(name), error);
  if (!tpl) return nullptr;
  NameCheck check(*this);
  if (check.body(tpl->body, false)) {
    tpl->shares_literals = literals_stay_unchanged(*tpl, *this);
    return tpl;
  }
  if (error) {
    error->severity = Severity::kError;
    error->location.path = std::string(name);
    line_and_column(tpl->source, check.offset, &error->location.line, &error->location.column);
    error->message = check.message;
    error->source_line = std::string(line_of(tpl->source, error->location.line));
  }
  return nullptr;
}

void TemplateEngine::clear_cache() {
  {
    std::unique_lock lock(cache_mu_);
    cache_.clear();
  }
  outputs_->clear();
}

bool TemplateEngine::render_template(const Template* tpl, const TemplateContext& context,
                                     std::string* out, Diagnostic* error, std::string_view page) {
  std::string buf;
  buf.reserve(tpl->size_hint.load(std::memory_order_relaxed));
  if (!render_compiled(*this, tpl, context, page, &buf, error)) return false;
  tpl->size_hint.store(buf.size() + buf.size() / 8, std::memory_order_relaxed);
  if (out->empty())
    out->swap(buf);
  else
    out->append(buf);
  return true;
}

bool TemplateEngine::render(std::string_view name, const TemplateContext& context, std::string* out,
                            Diagnostic* error, std::string_view page) {
  Diagnostic d;
  const Template* tpl = get_template(name, &d);
  if (!tpl) {
    if (error) {
      *error = d;
      error->rendering = std::string(page);
    }
    return false;
  }
  return render_template(tpl, context, out, error, page);
}

bool TemplateEngine::render_string(std::string_view name, std::string_view source,
                                   const TemplateContext& context, std::string* out,
                                   Diagnostic* error, std::string_view page) {
  Diagnostic d;
  auto tpl = compile(name, source, &d);
  if (!tpl) {
    if (error) *error = d;
    return false;
  }
  return render_template(tpl.get(), context, out, error, page);
}

}  // namespace byline
