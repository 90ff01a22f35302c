// The template engine's public face: host filters, tests and functions, the
// compiled-template cache, and render(), which never throws (errors are diagnostics).
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostic.h"
#include "base/render_limits.h"
#include "templates/template_ast.h"
#include "templates/template_loader.h"
#include "templates/template_value.h"

namespace byline {

// A variable's name with a tag made of its length and three of its bytes,
// so that scanning a scope rejects most other names with one comparison
// and no call to memcmp. Made afresh for each lookup: it costs a few loads.
struct VarName {
  explicit VarName(std::string_view s) : text(s), tag(tag_of(s)) {}
  static uint32_t tag_of(std::string_view s) {
    if (s.empty()) return 0;
    auto byte = [&s](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
    return static_cast<uint32_t>(s.size() & 0xff) | byte(0) << 8 | byte(s.size() / 2) << 16 |
           byte(s.size() - 1) << 24;
  }
  // memcmp rather than ==, whose string_view::compare GCC may leave out of
  // line in a large caller (the renderer's eval), costing a call per lookup.
  bool matches(uint32_t other_tag, std::string_view other) const {
    return tag == other_tag && text.size() == other.size() &&
           std::memcmp(text.data(), other.data(), text.size()) == 0;
  }
  std::string_view text;
  uint32_t tag;
};

// One variable in a scope.
struct ScopeVar {
  std::string name;
  uint32_t tag;  // VarName::tag_of(name), inverted while forgotten
  // The renderer's loops forget what a body set before the next
  // iteration, keeping the slot (and the name's storage) for reuse.
  bool forgotten = false;
  TValue value;
};

// The variables one render sees. Holds references, not copies: put host
// objects in as TValue::object(...) or TValue::from_value(...).
class TemplateContext {
 public:
  void set(std::string name, TValue value);
  const TValue* find(std::string_view name) const { return find(VarName(name)); }
  const TValue* find(const VarName& name) const {
    for (const ScopeVar& v : vars_)
      if (name.matches(v.tag, v.name)) return &v.value;
    return nullptr;
  }

 private:
  std::vector<ScopeVar> vars_;
};

class OutputCache;
class RenderState;

// Host extensions. Arguments after the filtered value arrive in `args`;
// errors are reported by throwing TemplateError{message}.
using FilterFunction = std::function<TValue(RenderState&, const TValue& value, CallArgs& args)>;
using TestFunction = std::function<bool(RenderState&, const TValue& value, CallArgs& args)>;
using GlobalFunction = std::function<TValue(RenderState&, CallArgs& args)>;

struct EngineOptions {
  // Any use of an undefined value (printing, iterating, testing truth,
  // comparing) is an error, not only attribute access on it.
  bool strict_undefined = false;
  RenderLimits limits;
};

// What a host learns of each render as it runs (the incremental build
// records what an output is made from). Called on the rendering thread.
class RenderObserver {
 public:
  virtual ~RenderObserver() = default;
  // A template's top level is run: the one rendered, one it extends,
  // includes or imports.
  virtual void template_used(std::string_view name) = 0;
  // include_cached(): around the render of a text later renders reuse; what
  // end_cached() returns is handed to reuse_cached() on each reuse.
  virtual void begin_cached() = 0;
  virtual std::shared_ptr<const void> end_cached() = 0;
  virtual void reuse_cached(const std::shared_ptr<const void>& note) = 0;
};

class TemplateEngine {
 public:
  explicit TemplateEngine(std::unique_ptr<TemplateLoader> loader, EngineOptions options = {});
  ~TemplateEngine();
  TemplateEngine(const TemplateEngine&) = delete;
  TemplateEngine& operator=(const TemplateEngine&) = delete;

  // Registration is not thread-safe: register everything before rendering.
  void add_filter(std::string name, FilterFunction f);
  void add_test(std::string name, TestFunction f);
  void add_function(std::string name, GlobalFunction f);
  void add_global(std::string name, TValue value);
  void set_observer(RenderObserver* observer) { observer_ = observer; }
  RenderObserver* observer() const { return observer_; }

  // Compiles (once; cached, thread-safe) the template called `name`.
  // Returns nullptr and fills `error` when it is missing or has a syntax
  // error.
  const Template* get_template(std::string_view name, Diagnostic* error);

  // Forgets every compiled template, so edited files are read again (the
  // development server, between builds). Must not run during a render.
  void clear_cache();

  // Renders template `name` against `context` into `out`. On failure returns
  // false and fills `error` with a diagnostic located in the template that
  // failed; `page` (e.g. "content/posts/x.md") is named in it. Thread-safe.
  bool render(std::string_view name, const TemplateContext& context, std::string* out,
              Diagnostic* error, std::string_view page = {});
  // Renders a template given as text (not cached), for tests and one-offs.
  bool render_string(std::string_view name, std::string_view source, const TemplateContext& context,
                     std::string* out, Diagnostic* error, std::string_view page = {});

  // include_cached()'s outputs (template_output_cache.h), for the
  // renderer; emptied by clear_cache().
  OutputCache& output_cache() { return *outputs_; }

  const EngineOptions& options() const { return options_; }
  const FilterFunction* find_filter(std::string_view name) const;
  const TestFunction* find_test(std::string_view name) const;
  const TValue* find_global(std::string_view name) const;

 private:
  struct Compiled {
    std::unique_ptr<Template> tpl;
    Diagnostic error;  // when tpl is null
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename T>
  using NameMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

  // Parses and checks filter/test names (see NameCheck).
  std::unique_ptr<Template> compile(std::string_view name, std::string_view source,
                                    Diagnostic* error) const;
  bool render_template(const Template* tpl, const TemplateContext& context, std::string* out,
                       Diagnostic* error, std::string_view page);

  std::unique_ptr<TemplateLoader> loader_;
  EngineOptions options_;
  NameMap<FilterFunction> filters_;
  NameMap<TestFunction> tests_;
  NameMap<TValue> globals_;
  std::shared_mutex cache_mu_;
  NameMap<std::unique_ptr<Compiled>> cache_;
  std::unique_ptr<OutputCache> outputs_;
  RenderObserver* observer_ = nullptr;
};

// What filters and functions can ask about the render they run in.
class RenderState {
 public:
  TemplateEngine& engine() const { return *engine_; }
  // Whether output is being autoescaped at this point of the template.
  bool autoescape() const { return autoescape_; }
  bool strict() const { return engine_->options().strict_undefined; }
  // The page named in render() ("" when none was given).
  std::string_view page() const { return page_; }
  // What this render may change in place (see TValue::owner): a filter or
  // function that returns a list or dict it has just built, as Python
  // would, marks it `std::move(v).owned_by(state.mutation_token())`. Each
  // include_cached() render has a token of its own, so it cannot change
  // what the render around it built: its output is reused by other renders,
  // which would not see the change.
  uint64_t mutation_token() const { return mutation_token_; }
  // Whether a value of `owner`'s, which this render may not change, comes
  // from around the include_cached() render running now (for error
  // messages): tokens only grow, a value this render built cannot reach
  // another include_cached() render, and a literal a template shares with
  // every render (TValue::kLiteralOwner) is one that template never changes.
  bool made_outside_cached_include(uint64_t owner) const {
    return mutation_token_ != first_token_ && owner != mutation_token_ &&
           (owner >= first_token_ || owner == TValue::kLiteralOwner);
  }
  // A variable as the template sees it where the filter or function is
  // called (locals, then the render's context, then globals); undefined
  // when there is none. Lets host functions such as relative_url read
  // `page` without a per-render registration.
  virtual TValue variable(std::string_view name) const = 0;
  // Applies a registered filter or test (used by map/select and hosts).
  TValue apply_filter(std::string_view name, const TValue& value, CallArgs& args);
  bool apply_test(std::string_view name, const TValue& value, CallArgs& args);

  // A costly filter's last result for one input, kept for the rest of this
  // render: a theme often applies it twice to the same text (striptags to
  // a page's summary, for the description and again for JSON-LD). Only
  // for text the host owns (TValue::is_host_string), which cannot change
  // while a render runs; `filter` tells the filters apart.
  const TValue* recall(const void* filter, const TValue& input) const {
    const Memo& m = memo_;
    if (m.filter != filter || !input.is_host_string()) return nullptr;
    std::string_view s = input.as_string();
    return s.data() == m.data && s.size() == m.size ? &m.result : nullptr;
  }
  void remember(const void* filter, const TValue& input, const TValue& result) {
    if (!input.is_host_string()) return;
    memo_ = {filter, input.as_string().data(), input.as_string().size(), result};
  }

 protected:
  RenderState(TemplateEngine* engine, std::string_view page)
      : engine_(engine),
        page_(page),
        mutation_token_(new_mutation_token()),
        first_token_(mutation_token_) {}
  ~RenderState() = default;
  // A token no render has had (never 0).
  static uint64_t new_mutation_token();
  TemplateEngine* engine_;
  std::string_view page_;
  bool autoescape_ = false;
  uint64_t mutation_token_;
  uint64_t first_token_;  // the render's own, before any include_cached()

 private:
  struct Memo {
    const void* filter = nullptr;
    const char* data = nullptr;
    size_t size = 0;
    TValue result;
  };
  Memo memo_;
};

// Argument helpers for filter and function implementations: positional
// argument `index` or keyword `name`, else `fallback`. Returns a copy (a
// reference count, not the data) so a temporary fallback cannot dangle.
TValue argument(const CallArgs& args, size_t index, std::string_view name, const TValue& fallback);

// Registers Jinja2's built-in filters, tests and globals (done by the
// TemplateEngine constructor) and byline's base-only extensions (date,
// slugify, xml_escape, reading_time, now).
void register_builtin_filters(TemplateEngine& engine);
void register_byline_extensions(TemplateEngine& engine);

}  // namespace byline
