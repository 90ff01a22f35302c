// Jinja2's global functions: range, dict, namespace, cycler and joiner.
#include <memory>

#include "templates/template_filter_support.h"
#include "templates/template_operations.h"

namespace byline {
namespace {

TValue g_range(RenderState&, CallArgs& a) {
  int64_t start = 0, stop = 0, step = 1;
  if (a.positional.size() == 1) {
    stop = int_arg(a.positional[0], "stop");
  } else if (a.positional.size() >= 2) {
    start = int_arg(a.positional[0], "start");
    stop = int_arg(a.positional[1], "stop");
    if (a.positional.size() >= 3) step = int_arg(a.positional[2], "step");
  } else {
    throw TemplateError{"range expected at least 1 argument, got 0"};
  }
  if (step == 0) throw TemplateError{"range() arg 3 must not be zero"};
  TValue::List out;
  // The last step may go beyond 64 bits: the range ends there.
  for (int64_t i = start; step > 0 ? i < stop : i > stop;) {
    if (out.size() >= 100000)
      throw TemplateError{"range too big, maximum size for range is 100000"};
    out.push_back(TValue::integer(i));
    if (__builtin_add_overflow(i, step, &i)) break;
  }
  return TValue::list(std::move(out));
}

// dict() and namespace() build values this render may change (see
// TValue::owner); dict(d) is how a template copies a read-only mapping.
// A keyword replaces a key of the mapping given first, as in Python.
// The arguments are the call's own: their values move.
void add_keywords(TValue::Dict& d, CallArgs& a) {
  const bool had_items = !d.empty();
  if (!had_items) d.reserve(a.keyword.size());
  for (auto& [k, v] : a.keyword) {
    if (had_items)
      dict_assign(d, TValue::string(k), std::move(v));
    else
      d.emplace_back(TValue::string(k), std::move(v));  // keywords are distinct
  }
}

TValue g_dict(RenderState& st, CallArgs& a) {
  TValue::Dict d;
  if (!a.positional.empty() && is_mapping(a.positional[0])) d = mapping_items(a.positional[0]);
  add_keywords(d, a);
  return TValue::dict(std::move(d)).owned_by(st.mutation_token());
}

TValue g_namespace(RenderState& st, CallArgs& a) {
  TValue::Dict d;
  if (!a.positional.empty() && is_mapping(a.positional[0])) d = mapping_items(a.positional[0]);
  add_keywords(d, a);
  return TValue::namespace_dict(std::move(d)).owned_by(st.mutation_token());
}

class Joiner final : public Callable {
 public:
  explicit Joiner(TValue sep) : sep_(std::move(sep)) {}
  std::string_view name() const override { return "joiner"; }
  TValue call(RenderState&, CallArgs&) const override {
    if (!used_) {
      used_ = true;
      return TValue::string_ref("");
    }
    return sep_;
  }

 private:
  TValue sep_;
  mutable bool used_ = false;
};

struct CyclerState : std::enable_shared_from_this<CyclerState> {
  TValue::List items;
  size_t pos = 0;
};

class CyclerMethod final : public Callable {
 public:
  CyclerMethod(std::shared_ptr<CyclerState> s, bool reset) : s_(std::move(s)), reset_(reset) {}
  std::string_view name() const override { return reset_ ? "reset" : "next"; }
  TValue call(RenderState&, CallArgs&) const override {
    if (reset_) {
      s_->pos = 0;
      return TValue::none();
    }
    TValue v = s_->items[s_->pos];
    s_->pos = (s_->pos + 1) % s_->items.size();
    return v;
  }

 private:
  std::shared_ptr<CyclerState> s_;
  bool reset_;
};

class CyclerType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "Cycler"; }
  TValue attribute(const void* self, std::string_view name) const override {
    auto* s = const_cast<CyclerState*>(static_cast<const CyclerState*>(self));
    std::shared_ptr<CyclerState> keep = s->shared_from_this();
    if (name == "current") return s->items[s->pos];
    if (name == "next" || name == "reset")
      return TValue::callable(std::make_shared<CyclerMethod>(keep, name == "reset"));
    return TValue::undefined();
  }
};

const CyclerType kCyclerType;

TValue g_cycler(RenderState&, CallArgs& a) {
  if (a.positional.empty()) throw TemplateError{"at least one item has to be provided"};
  auto s = std::make_shared<CyclerState>();
  s->items = a.positional;
  return TValue::object(&kCyclerType, s.get(), s);
}

TValue g_joiner(RenderState&, CallArgs& a) {
  static const TValue kComma = TValue::string_ref(", ");
  return TValue::callable(std::make_shared<Joiner>(argument(a, 0, "sep", kComma)));
}

}  // namespace

void register_builtin_globals(TemplateEngine& e) {
  e.add_function("range", g_range);
  e.add_function("dict", g_dict);
  e.add_function("namespace", g_namespace);
  e.add_function("cycler", g_cycler);
  e.add_function("joiner", g_joiner);
}

}  // namespace byline
