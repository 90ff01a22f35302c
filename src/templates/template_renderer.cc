// The renderer: a tree walker over the compiled Template that writes
// straight into the output string. Errors inside are C++ exceptions that
// never leave this file: render_compiled() turns them into diagnostics.
#include "templates/template_renderer.h"

#include <pthread.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <memory>

#include "base/strings.h"
#include "templates/template_operations.h"
#include "templates/template_output_cache.h"

namespace byline {

namespace {

// A located error, thrown once the place is known.
struct RenderFailure {
  Diagnostic diagnostic;
};

struct Frame {
  const Frame* parent = nullptr;
  const TemplateContext* host = nullptr;
  bool persistent = false;  // owned by the Renderer, not a C++ stack frame
  bool forgot = false;      // forget_from() forgot a variable
  std::vector<ScopeVar> vars;

  const TValue* find_here(const VarName& name) const {
    for (const ScopeVar& v : vars)
      if (name.matches(v.tag, v.name)) return &v.value;
    if (host) return host->find(name);
    return nullptr;
  }
  const TValue* find_here(std::string_view name) const { return find_here(VarName(name)); }
  const TValue* find(std::string_view name) const {
    const VarName key(name);
    for (const Frame* f = this; f; f = f->parent)
      if (const TValue* v = f->find_here(key)) return v;
    return nullptr;
  }
  void set(std::string_view name, TValue value) {
    const VarName key(name);
    for (ScopeVar& v : vars)
      if (key.matches(v.tag, v.name)) {
        v.value = std::move(value);
        return;
      }
    // A forgotten variable of that name gets its slot back, and its name's
    // storage: no allocation per loop iteration.
    if (forgot)
      for (ScopeVar& v : vars)
        if (v.tag == ~key.tag && v.forgotten && v.name == name) {
          v.tag = key.tag;
          v.forgotten = false;
          v.value = std::move(value);
          return;
        }
    // Scopes hold a few names: one allocation for the first four, not three.
    if (vars.empty()) vars.reserve(4);
    vars.push_back({std::string(name), key.tag, false, std::move(value)});
  }
  // Forgets the variables from the `first`-th on (what a loop's body set,
  // before its next iteration). Their slots stay, under the inverted tag:
  // a lookup compares the tag and then the name, so it never finds them.
  void forget_from(size_t first) {
    for (auto it = vars.begin() + static_cast<ptrdiff_t>(first); it < vars.end(); ++it) {
      if (it->forgotten) continue;
      it->tag = ~it->tag;
      it->forgotten = true;
      it->value = TValue();
      forgot = true;
    }
  }
};

struct BlockEntry {
  std::string_view name;
  const Stmt* stmt;
  const Template* tpl;
};

// The blocks of an {% extends %} chain, child first: a block's n-th entry
// is its definition n levels up (what super() renders). A chain has a
// dozen blocks or so, so a flat list scanned by name beats a hash map that
// allocated per block on every page.
class BlockTable {
 public:
  void add(const Template* tpl) {
    for (const auto& [name, stmt] : tpl->blocks) entries_.push_back({name, stmt, tpl});
  }
  // The n-th definition of `name`, or null.
  const BlockEntry* find(std::string_view name, size_t n) const {
    for (const BlockEntry& e : entries_)
      if (e.name == name && n-- == 0) return &e;
    return nullptr;
  }

 private:
  std::vector<BlockEntry> entries_;
};

class Renderer;

class MacroCallable final : public Callable {
 public:
  MacroCallable(const Stmt* stmt, const Template* tpl, const Frame* scope)
      : stmt_(stmt), tpl_(tpl), scope_(scope) {}
  std::string_view name() const override { return stmt_->text; }
  TValue call(RenderState& state, CallArgs& args) const override;

  const Stmt* stmt_;
  const Template* tpl_;
  const Frame* scope_;
};

// The body of a {% call %} block, passed to the macro as `caller`.
class CallerCallable final : public Callable {
 public:
  CallerCallable(const Stmt* stmt, const Template* tpl, const Frame* scope)
      : stmt_(stmt), tpl_(tpl), scope_(scope) {}
  std::string_view name() const override { return "caller"; }
  TValue call(RenderState& state, CallArgs& args) const override;

  const Stmt* stmt_;
  const Template* tpl_;
  const Frame* scope_;
};

// Shared so that loop.cycle / loop.changed, which may outlive the loop in a
// namespace, keep it alive.
struct LoopState : std::enable_shared_from_this<LoopState> {
  const Stmt* stmt = nullptr;
  const Frame* outer = nullptr;
  Sequence seq{TValue::undefined()};
  size_t index0 = 0;
  int depth0 = 0;
  bool changed_seen = false;
  TValue last_changed;

  // A body may change the list it loops over; then this follows Jinja2's
  // LoopContext over Python's list iterator. The loop reads the list
  // live, item by item; loop.length is the length when first asked.
  size_t length() {
    if (length_ == kUnknown) length_ = seq.live_size();
    return length_;
  }
  int64_t items_after() {
    return static_cast<int64_t>(length()) - static_cast<int64_t>(index0) - 1;
  }
  // loop.last and loop.nextitem look ahead once, as Jinja2 fetches the next
  // item then: whether there was one decides whether the loop goes on,
  // whatever the body does to the list afterwards.
  bool peek_next() {
    if (!peeked_) {
      peeked_ = true;
      peeked_end_ = index0 + 1 >= seq.live_size();
    }
    return !peeked_end_;
  }
  // Whether the loop has an item i (then seq[i]).
  bool has_item(size_t i) {
    if (!peeked_) return i < seq.live_size();
    peeked_ = false;
    return !peeked_end_;
  }

 private:
  static constexpr size_t kUnknown = ~size_t{0};
  bool peeked_ = false, peeked_end_ = false;
  size_t length_ = kUnknown;
};

// `loop`: its attributes are slots, so `loop.index` in a template is
// looked up by name once per expression, not on every iteration.
class LoopObjectType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "LoopContext"; }
  TValue attribute(const void* self, std::string_view name) const override {
    return attribute_at(self, attribute_slot(name), name);
  }
  int attribute_slot(std::string_view name) const override;
  TValue attribute_at(const void* self, int slot, std::string_view name) const override;
  void append_str(const void* self, std::string& out) const override {
    auto* s = const_cast<LoopState*>(static_cast<const LoopState*>(self));
    out +=
        "<LoopContext " + std::to_string(s->index0 + 1) + "/" + std::to_string(s->length()) + ">";
  }
};

const LoopObjectType kLoopType;

// loop.cycle, loop.changed and loop(...) for recursive loops.
class LoopMethod final : public Callable {
 public:
  enum class Kind { kCycle, kChanged, kRecurse };
  LoopMethod(Kind kind, LoopState* state, std::shared_ptr<const void> keep)
      : kind_(kind), state_(state), keep_(std::move(keep)) {}
  std::string_view name() const override {
    return kind_ == Kind::kCycle ? "cycle" : kind_ == Kind::kChanged ? "changed" : "loop";
  }
  TValue call(RenderState& state, CallArgs& args) const override;

  Kind kind_;
  LoopState* state_;
  std::shared_ptr<const void> keep_;
};

enum class LoopAttribute {
  kIndex,
  kIndex0,
  kRevindex,
  kRevindex0,
  kFirst,
  kLast,
  kLength,
  kDepth,
  kDepth0,
  kPrevitem,
  kNextitem,
  kCycle,
  kChanged,
};

// In LoopAttribute's order.
constexpr std::string_view kLoopAttributes[] = {
    "index", "index0", "revindex", "revindex0", "first", "last",    "length",
    "depth", "depth0", "previtem", "nextitem",  "cycle", "changed",
};

int LoopObjectType::attribute_slot(std::string_view name) const {
  for (size_t i = 0; i < std::size(kLoopAttributes); ++i)
    if (kLoopAttributes[i] == name) return static_cast<int>(i);
  return -1;
}

TValue LoopObjectType::attribute_at(const void* self, int slot, std::string_view name) const {
  auto* s = const_cast<LoopState*>(static_cast<const LoopState*>(self));
  if (slot < 0)
    return TValue::undefined("'LoopContext object' has no attribute '" + std::string(name) + "'");
  switch (static_cast<LoopAttribute>(slot)) {
    case LoopAttribute::kIndex:
      return TValue::integer(static_cast<int64_t>(s->index0 + 1));
    case LoopAttribute::kIndex0:
      return TValue::integer(static_cast<int64_t>(s->index0));
    case LoopAttribute::kRevindex:
      return TValue::integer(s->items_after() + 1);
    case LoopAttribute::kRevindex0:
      return TValue::integer(s->items_after());
    case LoopAttribute::kFirst:
      return TValue::boolean(s->index0 == 0);
    case LoopAttribute::kLast:
      return TValue::boolean(!s->peek_next());
    case LoopAttribute::kLength:
      return TValue::integer(static_cast<int64_t>(s->length()));
    case LoopAttribute::kDepth:
      return TValue::integer(s->depth0 + 1);
    case LoopAttribute::kDepth0:
      return TValue::integer(s->depth0);
    case LoopAttribute::kPrevitem:
      if (s->index0 == 0) return TValue::undefined("there is no previous item");
      return s->seq[s->index0 - 1];
    case LoopAttribute::kNextitem:
      if (!s->peek_next()) return TValue::undefined("there is no next item");
      return s->seq[s->index0 + 1];
    case LoopAttribute::kCycle:
      return TValue::callable(
          std::make_shared<LoopMethod>(LoopMethod::Kind::kCycle, s, s->shared_from_this()));
    case LoopAttribute::kChanged:
      return TValue::callable(
          std::make_shared<LoopMethod>(LoopMethod::Kind::kChanged, s, s->shared_from_this()));
  }
  return TValue::undefined();
}

// How much of this thread's stack a render may use before a call is
// refused: half the stack, which leaves the other half for the code around
// it and for a filter's own recursion. Asked once per thread.
size_t stack_budget() {
  thread_local size_t budget = [] {
    size_t size = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr;
      if (pthread_attr_getstack(&attr, &addr, &size) != 0) size = 0;
      pthread_attr_destroy(&attr);
    }
    // Unknown: the smallest default stack of the platforms byline runs on.
    if (size == 0) size = size_t{2} << 20;
    return size / 2;
  }();
  return budget;
}

class Renderer final : public RenderState {
 public:
  Renderer(TemplateEngine* engine, std::string_view page)
      : RenderState(engine, page), limits_(engine->options().limits) {
    char probe;
    stack_base_ = reinterpret_cast<uintptr_t>(&probe);
    stack_budget_ = stack_budget();
  }

  TValue variable(std::string_view name) const override {
    if (frame_)
      if (const TValue* v = frame_->find(name)) return *v;
    if (const TValue* g = engine_->find_global(name)) return *g;
    return TValue::undefined("'" + std::string(name) + "' is undefined");
  }

  void render_root(const Template* tpl, const TemplateContext& ctx, std::string* out) {
    Frame* root = new_frame();
    root->host = &ctx;
    std::string* saved = out_;
    out_ = out;
    render_top_level(tpl, root);
    out_ = saved;
  }

  [[noreturn]] void fail_at(const Template* tpl, size_t offset, const std::string& message) {
    RenderFailure f;
    f.diagnostic.severity = Severity::kError;
    f.diagnostic.location.path = tpl->name;
    line_and_column(tpl->source, std::min(offset, tpl->source.size()), &f.diagnostic.location.line,
                    &f.diagnostic.location.column);
    f.diagnostic.message = message;
    f.diagnostic.rendering = std::string(page_);
    f.diagnostic.source_line = std::string(line_of(tpl->source, f.diagnostic.location.line));
    throw f;
  }
  [[noreturn]] void fail(size_t offset, const std::string& message) {
    fail_at(tpl_, offset, message);
  }

  TValue call_macro(const MacroCallable& m, CallArgs& args, const TValue* caller);
  void bind_macro_arguments(const Stmt& s, CallArgs& args, Frame* f, TValue::List* varargs,
                            TValue::Dict* kwargs, TValue* caller);
  void bind_macro_defaults(const Stmt& s, Frame* f);
  // Macros return markup when the template calling them autoescapes (as
  // Jinja2 decides at call time, not where the macro was defined).
  TValue macro_result(std::string s, bool caller_autoescape) const {
    return TValue::string(std::move(s), caller_autoescape);
  }
  TValue call_caller(const CallerCallable& c, CallArgs& args);
  TValue loop_recurse(LoopState* s, CallArgs& args);

  // A template named by the literal of an include or extends (Stmt::loaded).
  const Template* load_literal(const Stmt& s, bool ignore_missing);
  const Template* load(std::string_view name, size_t offset, bool ignore_missing) {
    for (const auto& [n, t] : loaded_)
      if (n == name) return t;
    Diagnostic d;
    const Template* t = engine_->get_template(name, &d);
    if (!t) {
      if (ignore_missing && d.location.line == 0) return nullptr;
      if (d.location.line != 0) {
        d.rendering = std::string(page_);
        throw RenderFailure{d};
      }
      // Not found: the engine's message says where it looked.
      fail(offset, d.message.empty() ? "template '" + std::string(name) + "' not found"
                                     : std::move(d.message));
    }
    loaded_.emplace_back(std::string(name), t);
    return t;
  }

 private:
  friend class MacroCallable;

  Frame* new_frame(const Frame* parent = nullptr) {
    Frame& f = frames_.emplace_back();
    f.parent = parent;
    f.persistent = true;
    return &f;
  }

  struct Scope {
    Renderer* r;
    const Template* tpl;
    Frame* frame;
    bool autoescape;
    Scope(Renderer* r, const Template* t, Frame* f)
        : r(r), tpl(r->tpl_), frame(r->frame_), autoescape(r->autoescape_) {
      r->tpl_ = t;
      r->frame_ = f;
    }
    ~Scope() {
      r->tpl_ = tpl;
      r->frame_ = frame;
      r->autoescape_ = autoescape;
    }
  };

  struct Capture {
    Renderer* r;
    std::string* saved;
    std::string buf;
    explicit Capture(Renderer* r) : r(r), saved(r->out_) { r->out_ = &buf; }
    ~Capture() { r->out_ = saved; }
  };

  // A new mutation token for an include_cached() render (see
  // RenderState::mutation_token), the one around it restored after.
  struct OwnToken {
    Renderer* r;
    uint64_t saved;
    explicit OwnToken(Renderer* r) : r(r), saved(r->mutation_token_) {
      r->mutation_token_ = new_mutation_token();
    }
    ~OwnToken() { r->mutation_token_ = saved; }
  };

  // One nested call (macro, call block, include, import, block): counts
  // against the render's call depth and iteration budget, and against the
  // stack, which a call of a template nested hundreds of levels deep within
  // hundreds of calls could otherwise exhaust.
  struct Depth {
    Renderer* r;
    Depth(Renderer* r, size_t offset) : r(r) {
      if (++r->depth_ > r->limits_.max_call_depth)
        r->fail(offset, "maximum recursion depth exceeded: more than " +
                            std::to_string(r->limits_.max_call_depth) +
                            " nested macro, include or block calls ([limits] max_call_depth)");
      char probe;
      if (r->stack_base_ - reinterpret_cast<uintptr_t>(&probe) > r->stack_budget_)
        r->fail(offset, "maximum recursion depth exceeded: nested calls use more than " +
                            std::to_string(r->stack_budget_ >> 10) + " KiB of stack");
      r->spend(offset);
    }
    ~Depth() { --r->depth_; }
  };

  // One unit of the iteration budget (a loop iteration or a call).
  void spend(size_t offset) {
    if (++iterations_ > limits_.max_iterations)
      fail(offset, "render budget exceeded: more than " + std::to_string(limits_.max_iterations) +
                       " loop iterations and calls ([limits] max_iterations)");
  }
  // Counts `bytes` just written to the output (or to text being captured).
  void produced(size_t bytes, size_t offset) {
    produced_ += bytes;
    if (produced_ > limits_.max_output_bytes)
      fail(offset, "render budget exceeded: more than " + std::to_string(limits_.max_output_bytes) +
                       " bytes of output produced ([limits] max_output_bytes)");
  }
  void write(const TValue& v, size_t offset) {
    size_t before = out_->size();
    try {
      append_output(*out_, v, autoescape_);
    } catch (const TemplateError& err) {  // a list too deep or too long to print
      fail(offset, err.message);
    }
    produced(out_->size() - before, offset);
  }

  // Renders a template's top level with `root` as its variables, following
  // {% extends %} chains.
  void render_top_level(const Template* tpl, Frame* root) {
    BlockTable table;
    table.add(tpl);
    BlockTable* saved_blocks = blocks_;
    const Template* saved_parent = parent_;
    Frame* saved_root = root_;
    std::string* saved_out = out_;
    std::string* saved_top_out = top_out_;
    const size_t saved_extends = extends_offset_;
    top_out_ = out_;
    blocks_ = &table;
    root_ = root;
    const Template* current = tpl;
    RenderObserver* observer = engine_->observer();
    // The chain so far, to find a template that extends itself, directly
    // or through others, which would otherwise loop for ever.
    std::vector<const Template*> chain{tpl};
    while (current) {
      if (observer) observer->template_used(current->name);
      Scope scope(this, current, root);
      autoescape_ = current->autoescape;
      parent_ = nullptr;
      out_ = saved_out;
      exec_body(current->body);
      const Template* next = parent_;
      if (next) {
        if (std::find(chain.begin(), chain.end(), next) != chain.end()) {
          std::string cycle;
          for (const Template* t : chain) cycle += "'" + t->name + "' extends ";
          cycle += "'" + next->name + "'";
          fail(extends_offset_, "{% extends %} cycle: " + cycle);
        }
        chain.push_back(next);
        table.add(next);
      }
      current = next;
    }
    blocks_ = saved_blocks;
    parent_ = saved_parent;
    root_ = saved_root;
    out_ = saved_out;
    top_out_ = saved_top_out;
    extends_offset_ = saved_extends;
  }

  // A frame that lives until the end of the render, holding what a macro
  // defined in a short-lived frame needs to see.
  // Included and imported templates do not see the includer's `loop`, as
  // in Jinja2.
  Frame* persistent_scope(bool without_loop = false) {
    if (frame_->persistent) return frame_;
    Frame* snap = new_frame();
    const Frame* f = frame_;
    for (; f && !f->persistent; f = f->parent)
      for (const ScopeVar& v : f->vars)
        if (!v.forgotten && !snap->find_here(v.name) && !(without_loop && v.name == "loop"))
          snap->vars.push_back(v);
    snap->parent = f;
    return snap;
  }

  void exec_body(const std::vector<std::unique_ptr<Stmt>>& body) {
    for (const auto& s : body) exec(*s);
  }

  // One function per statement kind; exec() dispatches.
  void exec(const Stmt& s);
  void exec_print(const Stmt& s);
  void exec_if(const Stmt& s);
  void exec_for(const Stmt& s);
  void exec_set_block(const Stmt& s);
  void exec_macro(const Stmt& s);
  void exec_call_block(const Stmt& s);
  void exec_include(const Stmt& s);
  void exec_from_import(const Stmt& s);
  void exec_extends(const Stmt& s);
  void exec_filter_block(const Stmt& s);
  void exec_with(const Stmt& s);
  void exec_autoescape(const Stmt& s);
  // A for loop's body over `iterable`; recursive loops come back here.
  void run_loop(const Stmt& s, const TValue& iterable, int depth0);
  void render_block(std::string_view name, size_t index, size_t offset, const Frame* parent);
  void assign(const Expr& target, const TValue& value, Frame* frame);
  TValue import_module(const Stmt& s);

 public:
  TValue include_cached(CallArgs& args);
  // An include_cached() entry's text, as a value of this render.
  TValue reuse(const CachedOutput& out, bool fresh = false);
  CachedOutput render_for_cache(std::string_view name);
  std::string render_cached_text(std::string_view name);
  TValue eval(const Expr& e) {
    try {
      return eval_inner(e);
    } catch (const TemplateError& err) {
      fail(e.offset, err.message);
    }
  }
  // Whether strict mode makes using `v` an error.
  bool strict_rejects(const TValue& v) const {
    return v.is_undefined() && strict() && !v.ignores_strict();
  }
  bool truthy(const TValue& v, size_t offset) {
    if (strict_rejects(v)) fail(offset, undefined_message(v));
    return v.truthy();
  }

 private:
  static std::string undefined_message(const TValue& v) {
    return v.undefined_hint().empty() ? "value is undefined" : std::string(v.undefined_hint());
  }
  // One function per expression kind; eval_inner() dispatches.
  TValue eval_inner(const Expr& e);
  TValue eval_list(const Expr& e);
  TValue eval_dict(const Expr& e);
  TValue eval_getattr(const Expr& e);
  TValue eval_getitem(const Expr& e);
  TValue eval_call(const Expr& e);
  TValue call_super(const Expr& e);
  TValue call_loop(const Expr& e, const TValue& loop, CallArgs& args);
  TValue eval_test(const Expr& e);
  TValue eval_unary(const Expr& e);
  TValue eval_and(const Expr& e);
  TValue eval_or(const Expr& e);
  TValue eval_conditional(const Expr& e);
  TValue eval_binary(const Expr& e);
  TValue eval_concat(const Expr& e);
  TValue eval_compare(const Expr& e);
  void eval_args(const Expr& e, size_t first, CallArgs* args);
  TValue eval_filter(const Expr& e, const TValue* operand);
  TValue lookup(const Expr& e) {
    if (const TValue* v = frame_->find(e.name)) return *v;
    if (const TValue* g = engine_->find_global(e.name)) return *g;
    return TValue::undefined("'" + e.name + "' is undefined");
  }
  TValue captured(std::string s) const { return TValue::string(std::move(s), autoescape_); }

  // Renders `body` in its own scope into a string ({% set %} blocks and
  // {% filter %} blocks), marked safe when autoescaping, as Jinja2 does.
  template <typename Body>
  TValue render_captured(const Body& body) {
    std::string out;
    {
      Frame inner;
      inner.parent = frame_;
      Scope scope(this, tpl_, &inner);
      Capture cap(this);
      exec_body(body);
      out = std::move(cap.buf);
    }
    return captured(std::move(out));
  }

  std::string* out_ = nullptr;
  const Template* tpl_ = nullptr;
  Frame* frame_ = nullptr;
  Frame* root_ = nullptr;
  std::string discard_;             // where a child's top level writes after {% extends %}
  std::string* top_out_ = nullptr;  // the output of the current top-level render
  BlockTable* blocks_ = nullptr;
  const Template* parent_ = nullptr;
  // The block being rendered, for super().
  std::string_view block_name_;
  size_t block_index_ = 0;
  const Frame* block_parent_ = nullptr;
  int depth_ = 0;
  const RenderLimits& limits_;
  uint64_t iterations_ = 0;
  uint64_t produced_ = 0;
  uintptr_t stack_base_ = 0;
  size_t stack_budget_ = 0;
  size_t extends_offset_ = 0;  // of the last {% extends %} run, in tpl_
  // A deque: frames stay where they are as more are added, and come a
  // block at a time rather than one allocation each.
  std::deque<Frame> frames_;
  // The templates this render has used; a handful, so a list.
  std::vector<std::pair<std::string, const Template*>> loaded_;
  // The name include_cached() was last called with, interned.
  const std::string* cached_name_ = nullptr;
  OutputCache::DenseOutputs* dense_ = nullptr;  // the last one include_cached() used
};

TValue MacroCallable::call(RenderState& state, CallArgs& args) const {
  return static_cast<Renderer&>(state).call_macro(*this, args, nullptr);
}

TValue CallerCallable::call(RenderState& state, CallArgs& args) const {
  return static_cast<Renderer&>(state).call_caller(*this, args);
}

TValue LoopMethod::call(RenderState& state, CallArgs& args) const {
  switch (kind_) {
    case Kind::kCycle:
      if (args.positional.empty()) throw TemplateError{"no items for cycling given"};
      return args.positional[state_->index0 % args.positional.size()];
    case Kind::kChanged: {
      TValue v = args.positional.size() == 1 ? args.positional[0] : TValue::list(args.positional);
      if (state_->changed_seen && values_equal(v, state_->last_changed))
        return TValue::boolean(false);
      state_->changed_seen = true;
      state_->last_changed = v;
      return TValue::boolean(true);
    }
    case Kind::kRecurse:
      return static_cast<Renderer&>(state).loop_recurse(state_, args);
  }
  return TValue::none();
}

void Renderer::exec(const Stmt& s) {
  // After {% extends %} Jinja2 does not evaluate what would only print
  // (but it still runs includes, and even keeps their output).
  if (out_ == &discard_ && (s.kind == StmtKind::kOutput || s.kind == StmtKind::kPrint ||
                            s.kind == StmtKind::kCallBlock || s.kind == StmtKind::kFilterBlock))
    return;
  switch (s.kind) {
    case StmtKind::kOutput:
      out_->append(s.text);
      produced(s.text.size(), s.offset);
      return;
    case StmtKind::kPrint:
      return exec_print(s);
    case StmtKind::kIf:
      return exec_if(s);
    case StmtKind::kFor:
      return exec_for(s);
    case StmtKind::kSet:
      return assign(*s.target, eval(*s.expr), frame_);
    case StmtKind::kSetBlock:
      return exec_set_block(s);
    case StmtKind::kMacro:
      return exec_macro(s);
    case StmtKind::kCallBlock:
      return exec_call_block(s);
    case StmtKind::kInclude:
      return exec_include(s);
    case StmtKind::kImport:
      return frame_->set(s.text, import_module(s));
    case StmtKind::kFromImport:
      return exec_from_import(s);
    case StmtKind::kExtends:
      return exec_extends(s);
    case StmtKind::kBlock:
      // After {% extends %} the parent template renders the blocks.
      if (!parent_) render_block(s.text, 0, s.offset, s.scoped ? frame_ : root_);
      return;
    case StmtKind::kFilterBlock:
      return exec_filter_block(s);
    case StmtKind::kWith:
      return exec_with(s);
    case StmtKind::kAutoescape:
      return exec_autoescape(s);
  }
}

void Renderer::exec_print(const Stmt& s) {
  TValue v = eval(*s.expr);
  if (strict_rejects(v)) fail(s.expr->offset, undefined_message(v));
  write(v, s.offset);
}

void Renderer::exec_if(const Stmt& s) {
  if (truthy(eval(*s.expr), s.expr->offset))
    exec_body(s.body);
  else
    exec_body(s.else_body);
}

void Renderer::exec_for(const Stmt& s) {
  TValue it = eval(*s.expr);
  if (strict_rejects(it)) fail(s.expr->offset, undefined_message(it));
  run_loop(s, it, 0);
}

void Renderer::exec_set_block(const Stmt& s) {
  TValue v = render_captured(s.body);
  if (s.filter) v = eval_filter(*s.filter, &v);
  assign(*s.target, v, frame_);
}

void Renderer::exec_macro(const Stmt& s) {
  Frame* scope = persistent_scope();
  TValue m = TValue::callable(std::make_shared<MacroCallable>(&s, tpl_, scope));
  // A macro defined in a loop or macro body sees itself, to recurse, as in
  // Jinja2: it goes into the snapshot of that scope too.
  if (scope != frame_) scope->set(s.text, m);
  frame_->set(s.text, std::move(m));
}

void Renderer::exec_call_block(const Stmt& s) {
  const Expr& call = *s.expr;
  TValue callee = eval(*call.children[0]);
  CallArgs args;
  eval_args(call, 1, &args);
  TValue caller = TValue::callable(std::make_shared<CallerCallable>(&s, tpl_, frame_));
  TValue result;
  if (callee.is_callable()) {
    try {
      if (auto* m = dynamic_cast<const MacroCallable*>(&callee.as_callable())) {
        result = call_macro(*m, args, &caller);
      } else {
        args.keyword.emplace_back("caller", caller);
        result = call_value(*this, callee, args);
      }
    } catch (const TemplateError& err) {
      fail(call.offset, err.message);
    }
  } else {
    fail(call.offset, callee.is_undefined()
                          ? undefined_message(callee)
                          : "'" + std::string(callee.type_name()) + "' object is not callable");
  }
  write(result, s.offset);
}

void Renderer::exec_from_import(const Stmt& s) {
  TValue module = import_module(s);
  for (const auto& [name, alias] : s.names) {
    const TValue* v = module.dict_find(name);
    if (!v) {
      frame_->set(alias, TValue::undefined("the template does not export the requested name '" +
                                           name + "'"));
    } else {
      frame_->set(alias, *v);
    }
  }
}

void Renderer::exec_extends(const Stmt& s) {
  if (parent_) fail(s.offset, "extended multiple times");
  extends_offset_ = s.offset;
  if (s.expr->kind == ExprKind::kLiteral && s.expr->value.is_string()) {
    parent_ = load_literal(s, false);
  } else {
    TValue name = eval(*s.expr);
    if (!name.is_string()) fail(s.expr->offset, "template name must be a string");
    parent_ = load(name.as_string(), s.expr->offset, false);
  }
  out_ = &discard_;
}

void Renderer::exec_filter_block(const Stmt& s) {
  TValue v = render_captured(s.body);
  v = eval_filter(*s.filter, &v);
  write(v, s.offset);
}

void Renderer::exec_with(const Stmt& s) {
  std::vector<TValue> values;
  for (const auto& e : s.values) values.push_back(eval(*e));
  Frame f;
  f.parent = frame_;
  for (size_t i = 0; i < s.targets.size(); ++i) assign(*s.targets[i], values[i], &f);
  Scope scope(this, tpl_, &f);
  exec_body(s.body);
}

void Renderer::exec_autoescape(const Stmt& s) {
  bool saved = autoescape_;
  autoescape_ = truthy(eval(*s.expr), s.expr->offset);
  exec_body(s.body);
  autoescape_ = saved;
}

void Renderer::run_loop(const Stmt& s, const TValue& iterable, int depth0) {
  Sequence raw(TValue::undefined());
  try {
    raw = Sequence(iterable);
  } catch (const TemplateError& err) {
    fail(s.expr->offset, err.message);
  }
  Frame f;
  f.parent = frame_;
  Scope scope(this, tpl_, &f);
  // Loop filtering happens before the loop variables are computed, so
  // loop.length counts only the items that pass.
  TValue filtered;
  const Sequence* seq = &raw;
  Sequence kept(TValue::undefined());
  if (s.expr2) {
    TValue::List items;
    for (size_t i = 0; i < raw.size(); ++i) {
      spend(s.offset);
      TValue item = raw[i];
      assign(*s.target, item, &f);
      if (truthy(eval(*s.expr2), s.expr2->offset)) items.push_back(std::move(item));
    }
    filtered = TValue::list(std::move(items));
    kept = Sequence(filtered);
    seq = &kept;
  }
  if (seq->size() == 0) {
    // The else body has a scope of its own, as in Jinja2: what it sets is
    // gone after the loop.
    Frame e;
    e.parent = f.parent;
    Scope outer(this, tpl_, &e);
    exec_body(s.else_body);
    return;
  }
  auto state = std::make_shared<LoopState>();
  state->stmt = &s;
  state->outer = f.parent;
  state->seq = *seq;
  state->depth0 = depth0;
  f.set("loop", TValue::object(&kLoopType, state.get(), state));
  size_t keep = 0;  // `loop` and the target's names
  for (size_t i = 0; state->has_item(i); ++i) {
    state->index0 = i;
    spend(s.offset);
    // Each iteration starts from the enclosing scope, as in Jinja2: what
    // the body set in the previous one is gone.
    if (i > 0) f.forget_from(keep);
    assign(*s.target, state->seq[i], &f);
    if (i == 0) keep = f.vars.size();
    exec_body(s.body);
  }
}

TValue Renderer::loop_recurse(LoopState* s, CallArgs& args) {
  if (args.positional.empty()) throw TemplateError{"loop() takes exactly one argument"};
  Capture cap(this);
  {
    Depth depth(this, s->stmt->offset);
    Scope scope(this, tpl_, const_cast<Frame*>(s->outer));
    run_loop(*s->stmt, args.positional[0], s->depth0 + 1);
  }
  return captured(std::move(cap.buf));
}

// `parent` is the frame the block body sees: the template's top level, or
// the enclosing frame for `scoped` blocks.
void Renderer::render_block(std::string_view name, size_t index, size_t offset,
                            const Frame* parent) {
  const BlockEntry* found = blocks_->find(name, index);
  if (!found) fail(offset, "block '" + std::string(name) + "' not found");
  const BlockEntry& entry = *found;
  if (entry.stmt->required) fail(offset, "required block '" + std::string(name) + "' not found");
  Depth depth(this, offset);
  Frame f;
  // Blocks see the template's top-level variables, not the enclosing
  // loop's, unless declared `scoped`.
  f.parent = parent;
  Scope scope(this, entry.tpl, &f);
  std::string_view saved_name = block_name_;
  size_t saved_index = block_index_;
  const Frame* saved_parent = block_parent_;
  block_name_ = entry.name;
  block_index_ = index;
  block_parent_ = parent;
  exec_body(entry.stmt->body);
  block_name_ = saved_name;
  block_index_ = saved_index;
  block_parent_ = saved_parent;
}

void Renderer::assign(const Expr& target, const TValue& value, Frame* frame) {
  if (target.kind == ExprKind::kName) {
    frame->set(target.name, value);
    return;
  }
  if (target.kind == ExprKind::kTuple) {
    Sequence seq(TValue::undefined());
    try {
      seq = Sequence(value);
    } catch (const TemplateError& err) {
      fail(target.offset,
           "cannot unpack non-iterable " + std::string(value.type_name()) + " object");
    }
    size_t want = target.children.size();
    if (seq.size() < want)
      fail(target.offset, "not enough values to unpack (expected " + std::to_string(want) +
                              ", got " + std::to_string(seq.size()) + ")");
    if (seq.size() > want)
      fail(target.offset, "too many values to unpack (expected " + std::to_string(want) + ")");
    for (size_t i = 0; i < want; ++i) assign(*target.children[i], seq[i], frame);
    return;
  }
  if (target.kind == ExprKind::kGetattr) {
    TValue obj = eval(*target.children[0]);
    if (obj.is_namespace()) {
      if (obj.owner() != mutation_token_)
        fail(target.offset, made_outside_cached_include(obj.owner())
                                ? "a namespace made outside include_cached() cannot be changed "
                                  "inside it"
                                : "this namespace is read-only");
      for (auto& [k, v] : obj.mutable_dict())
        if (k.is_string() && k.as_string() == target.name) {
          v = value;
          return;
        }
      obj.mutable_dict().emplace_back(TValue::string(target.name), value);
      return;
    }
    if (obj.is_object() && obj.object_type()->set_attribute(obj.object_self(), target.name, value))
      return;
    fail(target.offset, "cannot assign attribute on non-namespace object");
  }
  fail(target.offset, "cannot assign to this expression");
}

const Template* Renderer::load_literal(const Stmt& s, bool ignore_missing) {
  if (const Template* t = s.loaded.get()) return t;
  const Template* t = load(s.expr->value.as_string(), s.expr->offset, ignore_missing);
  if (t) s.loaded.set(t);
  return t;
}

void Renderer::exec_include(const Stmt& s) {
  const bool literal = s.expr->kind == ExprKind::kLiteral && s.expr->value.is_string();
  TValue name = literal ? TValue() : eval(*s.expr);
  const Template* t = nullptr;
  if (literal) {
    t = load_literal(s, s.ignore_missing);
  } else if (name.is_string()) {
    t = load(name.as_string(), s.expr->offset, s.ignore_missing);
  } else if (name.is_list() || name.is_object()) {
    Sequence names(name);
    std::string tried;
    for (size_t i = 0; i < names.size() && !t; ++i) {
      TValue n = names[i];
      if (!n.is_string()) continue;
      t = load(n.as_string(), s.expr->offset, true);
      if (!tried.empty()) tried += ", ";
      tried += n.as_string();
    }
    if (!t && !s.ignore_missing) {
      if (names.size() == 0)
        fail(s.expr->offset, "tried to select from an empty list of templates");
      fail(s.expr->offset, "none of the templates given were found: " + tried);
    }
  } else {
    fail(s.expr->offset, "template name must be a string");
  }
  if (!t) return;
  Depth depth(this, s.offset);
  Frame* root = new_frame(s.with_context ? persistent_scope(true) : nullptr);
  std::string* saved = out_;
  if (out_ == &discard_) out_ = top_out_;
  render_top_level(t, root);
  out_ = saved;
}

TValue Renderer::include_cached(CallArgs& args) {
  if (args.positional.empty() || !args.positional[0].is_string())
    throw TemplateError{"include_cached() needs a template name"};
  if (!args.keyword.empty()) throw TemplateError{"include_cached() takes no keyword arguments"};
  // The usual call, one object key: no key string to build or hash.
  if (args.positional.size() == 2 && args.positional[1].is_object()) {
    std::string_view name = args.positional[0].as_string();
    if (!cached_name_ || *cached_name_ != name)
      cached_name_ = engine_->output_cache().intern_name(name);
    const ObjectType* type = args.positional[1].object_type();
    const void* self = args.positional[1].object_self();
    size_t index, count;
    if (type->dense_index(self, &index, &count)) {
      if (!dense_ || !dense_->matches(cached_name_, type, count))
        dense_ = engine_->output_cache().dense_outputs(cached_name_, type, count);
      if (const CachedOutput* hit = dense_->find(index)) return reuse(*hit);
      return reuse(*dense_->store(index, render_for_cache(name)), /*fresh=*/true);
    }
    const OutputCache::ObjectKey key{cached_name_, type, self};
    if (const CachedOutput* hit = engine_->output_cache().find(key)) return reuse(*hit);
    return reuse(*engine_->output_cache().store(key, render_for_cache(name)), /*fresh=*/true);
  }
  std::string key(args.positional[0].as_string());
  for (size_t i = 1; i < args.positional.size(); ++i) {
    const TValue& k = args.positional[i];
    key += '\0';
    if (k.is_object()) {
      const void* ids[2] = {k.object_type(), k.object_self()};
      key.append(reinterpret_cast<const char*>(ids), sizeof ids);
    } else if (k.is_string() || k.is_number() || k.is_none()) {
      key += static_cast<char>(k.kind());
      k.append_repr(key);
    } else {
      throw TemplateError{"include_cached() keys must be objects, strings or numbers, not " +
                          std::string(k.type_name())};
    }
  }
  if (const CachedOutput* hit = engine_->output_cache().find(key)) return reuse(*hit);
  return reuse(
      *engine_->output_cache().store(key, render_for_cache(args.positional[0].as_string())),
      /*fresh=*/true);
}

TValue Renderer::reuse(const CachedOutput& out, bool fresh) {
  // What rendering it read is what reusing it reads: the observer hears so
  // (unless this render just rendered it, and heard it all then).
  if (!fresh && out.note)
    if (RenderObserver* o = engine_->observer()) o->reuse_cached(out.note);
  return TValue::string_ref(out.text, /*safe=*/true);
}

CachedOutput Renderer::render_for_cache(std::string_view name) {
  RenderObserver* observer = engine_->observer();
  if (observer) observer->begin_cached();
  CachedOutput out;
  out.text = render_cached_text(name);
  if (observer) out.note = observer->end_cached();
  return out;
}

std::string Renderer::render_cached_text(std::string_view name) {
  // A missing template is reported where include_cached() is called.
  const Template* t = load(name, 0, /*ignore_missing=*/true);
  if (!t) throw TemplateError{"template '" + std::string(name) + "' not found"};
  Depth depth(this, 0);
  Frame* root = new_frame(persistent_scope(true));
  Capture cap(this);
  // Its output is reused by renders that would not see a change it made
  // to a value from around it: it gets a token of its own.
  OwnToken own(this);
  render_top_level(t, root);
  return std::move(cap.buf);
}

TValue Renderer::import_module(const Stmt& s) {
  TValue name = eval(*s.expr);
  if (!name.is_string()) fail(s.expr->offset, "template name must be a string");
  const Template* t = load(name.as_string(), s.expr->offset, false);
  Depth depth(this, s.offset);
  Frame* root = new_frame(s.with_context ? persistent_scope(true) : nullptr);
  {
    Capture cap(this);
    render_top_level(t, root);
  }
  TValue::Dict exported;
  for (ScopeVar& v : root->vars) {  // a root frame forgets nothing
    if (v.name.starts_with("_")) continue;
    // The module's own macros see the same value as the importer.
    try {
      own_literals(v.value, mutation_token_);
    } catch (const TemplateError& err) {  // a list holding itself
      fail(s.offset, err.message);
    }
    exported.emplace_back(TValue::string(v.name), v.value);
  }
  return TValue::dict(std::move(exported));
}

TValue Renderer::call_macro(const MacroCallable& m, CallArgs& args, const TValue* caller) {
  const Stmt& s = *m.stmt_;
  bool caller_autoescape = autoescape_;
  Depth depth(this, s.offset);
  Frame f;
  f.parent = m.scope_;
  TValue caller_value = caller ? *caller : TValue::undefined("No caller defined");
  // A macro that declares `caller` gets the call block's body through
  // that parameter, as if passed by keyword; its default applies otherwise.
  if (s.caller_param && caller && !args.find_keyword("caller"))
    args.keyword.emplace_back("caller", *caller);
  TValue::List varargs;
  TValue::Dict kwargs;
  bind_macro_arguments(s, args, &f, &varargs, &kwargs, &caller_value);
  Scope scope(this, m.tpl_, &f);
  autoescape_ = m.tpl_->autoescape;
  bind_macro_defaults(s, &f);
  f.set("varargs", TValue::list(std::move(varargs), true));
  f.set("kwargs", TValue::dict(std::move(kwargs)).owned_by(mutation_token_));
  if (!s.caller_param) f.set("caller", caller_value);
  Capture cap(this);
  exec_body(s.body);
  return macro_result(std::move(cap.buf), caller_autoescape);
}

// The arguments of a macro call bound to its parameters in `f`, the rest
// in `*varargs` and `*kwargs`; a `caller` keyword the macro does not
// declare goes to `*caller`.
void Renderer::bind_macro_arguments(const Stmt& s, CallArgs& args, Frame* f, TValue::List* varargs,
                                    TValue::Dict* kwargs, TValue* caller) {
  size_t np = s.params.size();
  for (size_t i = 0; i < args.positional.size(); ++i) {
    if (i < np)
      f->set(s.params[i], args.positional[i]);
    else
      varargs->push_back(args.positional[i]);
  }
  for (auto& [k, v] : args.keyword) {
    bool found = false;
    for (size_t i = 0; i < np; ++i)
      if (s.params[i] == k) {
        if (i < args.positional.size())
          throw TemplateError{"macro '" + s.text + "' got multiple values for argument '" + k +
                              "'"};
        f->set(k, v);
        found = true;
      }
    if (found) continue;
    if (k == "caller") {
      *caller = v;
      continue;
    }
    kwargs->emplace_back(TValue::string(k), v);
  }
}

// The parameters no argument was given for: their defaults, evaluated in
// the macro's scope, or undefined.
void Renderer::bind_macro_defaults(const Stmt& s, Frame* f) {
  for (size_t i = 0; i < s.params.size(); ++i) {
    if (f->find_here(s.params[i])) continue;
    if (s.defaults[i])
      f->set(s.params[i], eval(*s.defaults[i]));
    else
      f->set(s.params[i], TValue::undefined("parameter '" + s.params[i] + "' was not provided"));
  }
}

TValue Renderer::call_caller(const CallerCallable& c, CallArgs& args) {
  const Stmt& s = *c.stmt_;
  bool caller_autoescape = autoescape_;
  Depth depth(this, s.offset);
  Frame f;
  f.parent = c.scope_;
  for (size_t i = 0; i < s.params.size(); ++i) {
    if (i < args.positional.size())
      f.set(s.params[i], args.positional[i]);
    else if (const TValue* v = args.find_keyword(s.params[i]))
      f.set(s.params[i], *v);
  }
  Scope scope(this, c.tpl_, &f);
  for (size_t i = 0; i < s.params.size(); ++i) {
    if (f.find_here(s.params[i])) continue;
    f.set(s.params[i], s.defaults[i]
                           ? eval(*s.defaults[i])
                           : TValue::undefined("parameter '" + s.params[i] + "' was not provided"));
  }
  Capture cap(this);
  exec_body(s.body);
  return macro_result(std::move(cap.buf), caller_autoescape);
}

void Renderer::eval_args(const Expr& e, size_t first, CallArgs* args) {
  for (size_t i = first; i < e.children.size(); ++i)
    args->positional.push_back(eval(*e.children[i]));
  for (const auto& [k, v] : e.kwargs) args->keyword.emplace_back(k, eval(*v));
  if (e.star_args) {
    TValue extra = eval(*e.star_args);
    Sequence seq(TValue::undefined());
    try {
      seq = Sequence(extra);
    } catch (const TemplateError& err) {
      fail(e.star_args->offset, err.message);
    }
    for (size_t i = 0; i < seq.size(); ++i) args->positional.push_back(seq[i]);
  }
  if (e.star_kwargs) {
    TValue extra = eval(*e.star_kwargs);
    if (extra.is_dict())
      for (const auto& [k, v] : extra.as_dict()) args->keyword.emplace_back(k.str(), v);
  }
}

TValue Renderer::eval_filter(const Expr& e, const TValue* operand) {
  // An unknown filter is reported before its operand is evaluated, as
  // Jinja2 reports it when compiling.
  const auto* f = static_cast<const FilterFunction*>(e.bound);
  if (!f) fail(e.offset, "no filter named '" + e.name + "'");
  // In filter blocks the chain's innermost operand is the block body.
  TValue value = !e.children[0] ? *operand
                 : operand && e.children[0]->kind == ExprKind::kFilter
                     ? eval_filter(*e.children[0], operand)
                     : eval(*e.children[0]);
  if (strict_rejects(value) && e.name != "default" && e.name != "d")
    fail(e.children[0] ? e.children[0]->offset : e.offset, undefined_message(value));
  CallArgs args;
  eval_args(e, 1, &args);
  try {
    return (*f)(*this, value, args);
  } catch (const TemplateError& err) {
    fail(e.offset, err.message);
  }
}

TValue Renderer::eval_call(const Expr& e) {
  const Expr& callee_expr = *e.children[0];
  // super() and self.name() refer to the block machinery.
  if ((e.call_shortcuts & Expr::kSuperCall) && !frame_->find("super")) return call_super(e);
  if ((e.call_shortcuts & Expr::kSelfBlockCall) && !frame_->find("self")) {
    Capture cap(this);
    std::string_view saved_name = block_name_;
    render_block(callee_expr.name, 0, e.offset, root_);
    block_name_ = saved_name;
    return captured(std::move(cap.buf));
  }
  if (e.call_shortcuts & Expr::kCycleCall) {
    // loop.cycle(...) without allocating a bound method per call.
    TValue obj = eval(*callee_expr.children[0]);
    if (obj.is_object() && obj.object_type() == &kLoopType) {
      const auto* state = static_cast<const LoopState*>(obj.object_self());
      size_t n = e.children.size() - 1;
      return eval(*e.children[1 + state->index0 % n]);
    }
  }
  TValue callee = eval(callee_expr);
  CallArgs args;
  eval_args(e, 1, &args);
  if (callee.is_object() && callee.object_type() == &kLoopType) return call_loop(e, callee, args);
  if (callee.is_undefined()) fail(callee_expr.offset, undefined_message(callee));
  if (!callee.is_callable())
    fail(e.offset, "'" + std::string(callee.type_name()) + "' object is not callable");
  try {
    return callee.as_callable().call(*this, args);
  } catch (const TemplateError& err) {
    fail(e.offset, err.message);
  }
}

// super(): the enclosing block's definition one level up the chain.
TValue Renderer::call_super(const Expr& e) {
  if (block_name_.empty()) fail(e.offset, "super() is only available inside a block");
  if (!blocks_->find(block_name_, block_index_ + 1))
    fail(e.offset, "there is no parent block called '" + std::string(block_name_) + "'");
  Capture cap(this);
  render_block(block_name_, block_index_ + 1, e.offset, block_parent_);
  return captured(std::move(cap.buf));
}

// loop(items) in a recursive loop.
TValue Renderer::call_loop(const Expr& e, const TValue& loop, CallArgs& args) {
  auto* state = const_cast<LoopState*>(static_cast<const LoopState*>(loop.object_self()));
  if (!state->stmt->recursive)
    fail(e.offset, "'LoopContext' object is not callable (the loop is not recursive)");
  try {
    return loop_recurse(state, args);
  } catch (const TemplateError& err) {
    fail(e.offset, err.message);
  }
}

TValue Renderer::eval_inner(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return e.value;
    case ExprKind::kFreshLiteral:
      if (tpl_->shares_literals) return e.value;
      return fresh_literal(e.value, mutation_token_);
    case ExprKind::kName:
      return lookup(e);
    case ExprKind::kList:
    case ExprKind::kTuple:
      return eval_list(e);
    case ExprKind::kDict:
      return eval_dict(e);
    case ExprKind::kGetattr:
      return eval_getattr(e);
    case ExprKind::kGetitem:
      return eval_getitem(e);
    case ExprKind::kSlice:
      fail(e.offset, "a slice is only allowed inside '[ ]'");
    case ExprKind::kCall:
      return eval_call(e);
    case ExprKind::kFilter:
      return eval_filter(e, nullptr);
    case ExprKind::kTest:
      return eval_test(e);
    case ExprKind::kUnary:
      return eval_unary(e);
    case ExprKind::kNot:
      return TValue::boolean(!truthy(eval(*e.children[0]), e.children[0]->offset));
    case ExprKind::kAnd:
      return eval_and(e);
    case ExprKind::kOr:
      return eval_or(e);
    case ExprKind::kCondExpr:
      return eval_conditional(e);
    case ExprKind::kBinary:
      return eval_binary(e);
    case ExprKind::kConcat:
      return eval_concat(e);
    case ExprKind::kCompare:
      return eval_compare(e);
  }
  return TValue::undefined();
}

TValue Renderer::eval_list(const Expr& e) {
  TValue::List items;
  items.reserve(e.children.size());
  for (const auto& c : e.children) items.push_back(eval(*c));
  return TValue::list(std::move(items), e.kind == ExprKind::kTuple).owned_by(mutation_token_);
}

TValue Renderer::eval_dict(const Expr& e) {
  TValue::Dict items;
  for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
    TValue k = eval(*e.children[i]);
    dict_assign(items, std::move(k), eval(*e.children[i + 1]));
  }
  return TValue::dict(std::move(items)).owned_by(mutation_token_);
}

TValue Renderer::eval_getattr(const Expr& e) {
  TValue obj = eval(*e.children[0]);
  if (obj.is_undefined()) fail(e.children[0]->offset, undefined_message(obj));
  if (obj.kind() == TValue::Kind::kObject) {
    // get_attribute()'s first step, through the slot this expression
    // remembers for the object's type; anything undefined goes the
    // long way for its fallbacks and message.
    const ObjectType* type = obj.object_type();
    int slot;
    if (!e.attr_slot.find(type, &slot)) {
      // A dict method of data read in place comes before its keys: such
      // an expression never remembers that type, so it always goes the
      // long way, and every other one pays nothing for the check.
      if (e.dict_method_name && is_value_object_type(type)) return get_attribute(obj, e.name);
      slot = type->attribute_slot(e.name);
      e.attr_slot.remember(type, slot);
    }
    TValue v = type->attribute_at(obj.object_self(), slot, e.name);
    if (!v.is_undefined()) return v;
  }
  return get_attribute(obj, e.name);
}

TValue Renderer::eval_getitem(const Expr& e) {
  TValue obj = eval(*e.children[0]);
  if (obj.is_undefined()) fail(e.children[0]->offset, undefined_message(obj));
  const Expr& key = *e.children[1];
  if (key.kind == ExprKind::kSlice) {
    TValue parts[3];
    for (int i = 0; i < 3; ++i)
      if (key.children[i]) parts[i] = eval(*key.children[i]);
    // A slice of a list is a new list, as in Python.
    return slice_value(obj, parts[0], parts[1], parts[2]).owned_by(mutation_token_);
  }
  return get_item(obj, eval(key));
}

TValue Renderer::eval_test(const Expr& e) {
  TValue v = eval(*e.children[0]);
  const auto* t = static_cast<const TestFunction*>(e.bound);
  if (!t) fail(e.offset, "no test named '" + e.name + "'");
  if (strict_rejects(v) && e.name != "defined" && e.name != "undefined")
    fail(e.children[0]->offset, undefined_message(v));
  CallArgs args;
  eval_args(e, 1, &args);
  bool r;
  try {
    r = (*t)(*this, v, args);
  } catch (const TemplateError& err) {
    fail(e.offset, err.message);
  }
  return TValue::boolean(e.negated ? !r : r);
}

TValue Renderer::eval_unary(const Expr& e) {
  TValue v = eval(*e.children[0]);
  if (v.is_undefined()) fail(e.children[0]->offset, undefined_message(v));
  return unary_op(e.unary_op, v);
}

// `and` and `or` give back the operand that decided, not a bool.
TValue Renderer::eval_and(const Expr& e) {
  TValue l = eval(*e.children[0]);
  if (!truthy(l, e.children[0]->offset)) return l;
  return eval(*e.children[1]);
}

TValue Renderer::eval_or(const Expr& e) {
  TValue l = eval(*e.children[0]);
  if (truthy(l, e.children[0]->offset)) return l;
  return eval(*e.children[1]);
}

TValue Renderer::eval_conditional(const Expr& e) {
  if (truthy(eval(*e.children[1]), e.children[1]->offset)) return eval(*e.children[0]);
  if (e.children[2]) return eval(*e.children[2]);
  // Jinja2 uses its default Undefined here whatever the environment's,
  // so strict mode lets it print as nothing, test false and so on.
  return TValue::lenient_undefined(
      "the inline if-expression evaluated to false and no else section was defined.");
}

TValue Renderer::eval_binary(const Expr& e) {
  TValue a = eval(*e.children[0]);
  TValue b = eval(*e.children[1]);
  if (a.is_undefined()) fail(e.children[0]->offset, undefined_message(a));
  if (b.is_undefined()) fail(e.children[1]->offset, undefined_message(b));
  // `+` and `*` on lists build a new list (binary_op never returns an
  // operand), as Python does.
  return binary_op(e.binary_op, a, b).owned_by(mutation_token_);
}

TValue Renderer::eval_concat(const Expr& e) {
  std::vector<TValue> parts;
  parts.reserve(e.children.size());
  bool any_safe = false;
  for (const auto& c : e.children) {
    parts.push_back(eval(*c));
    if (strict_rejects(parts.back())) fail(c->offset, undefined_message(parts.back()));
    any_safe = any_safe || parts.back().is_safe();
  }
  uint64_t total = 0;
  for (const TValue& p : parts)
    if (p.is_string()) total += p.as_string().size();
  if (total > max_string_bytes())
    fail(e.offset, "result too large: the joined strings exceed " +
                       std::to_string(max_string_bytes()) + " bytes ([limits] max_output_bytes)");
  std::string s;
  bool make_safe = autoescape_ && any_safe;
  for (const TValue& p : parts) append_output(s, p, make_safe);
  return TValue::string(std::move(s), make_safe);
}

// A chain `a < b < c` stops at the first link that is false.
TValue Renderer::eval_compare(const Expr& e) {
  TValue left = eval(*e.children[0]);
  for (size_t i = 0; i < e.compare_ops.size(); ++i) {
    TValue right = eval(*e.children[i + 1]);
    bool r;
    if (strict_rejects(left) || strict_rejects(right))
      fail(e.children[strict_rejects(left) ? i : i + 1]->offset,
           undefined_message(strict_rejects(left) ? left : right));
    try {
      r = compare_op(e.compare_ops[i], left, right);
    } catch (const TemplateError& err) {
      fail(e.children[i]->offset, err.message);
    }
    if (!r) return TValue::boolean(false);
    left = std::move(right);
  }
  return TValue::boolean(true);
}

}  // namespace

bool render_compiled(TemplateEngine& engine, const Template* tpl, const TemplateContext& context,
                     std::string_view page, std::string* out, Diagnostic* error) {
  Renderer r(&engine, page);
  StringSizeLimit string_limit(engine.options().limits.max_output_bytes);
  try {
    r.render_root(tpl, context, out);
  } catch (const RenderFailure& f) {
    if (error) *error = f.diagnostic;
    return false;
  } catch (const LocatedTemplateError& e) {
    if (error) *error = e.diagnostic;
    return false;
  } catch (const TemplateError& e) {
    if (error) {
      error->location.path = tpl->name;
      error->message = e.message;
    }
    return false;
  } catch (const std::exception& e) {
    if (error) {
      error->location.path = tpl->name;
      error->message = std::string("internal error: ") + e.what();
    }
    return false;
  }
  return true;
}

TValue include_cached(RenderState& state, CallArgs& args) {
  return static_cast<Renderer&>(state).include_cached(args);
}

}  // namespace byline
