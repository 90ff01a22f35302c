// The template engine's value type: small values of its own (none, bool,
// int, float, strings that may be "safe" markup, lists, dicts, callables)
// and references to host objects that templates read in place, never copied.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.h"

namespace byline {

class Value;
class TValue;

// How templates see one kind of host object (a page, a site, a taxonomy, a
// base/value.h tree). Implementations are usually stateless singletons: the
// object itself is passed as `self`, so a reference to a host object is two
// pointers and making one per attribute access never allocates.
class ObjectType {
 public:
  virtual ~ObjectType() = default;
  // Shown in error messages ("'page object' has no attribute 'x'").
  virtual std::string_view type_name() const { return "object"; }
  // `obj.name`; returns an undefined TValue when there is no such attribute.
  virtual TValue attribute(const void* self, std::string_view name) const;
  // A fast path for `obj.name` written in a template. attribute_slot(name)
  // is asked once per expression and type, and the expression keeps the
  // answer; attribute_at(self, slot, name) must then return exactly what
  // attribute(self, name) would. The defaults have no slots. Expressions
  // remember a type by its address, so a type with slots must outlive the
  // compiled templates that read it (byline's own are static).
  virtual int attribute_slot(std::string_view name) const;
  virtual TValue attribute_at(const void* self, int slot, std::string_view name) const;
  // Whether objects of this type are numbered 0..count-1 for as long as the
  // render runs (a site's pages are), and `self`'s number: include_cached()
  // then keeps their outputs in an array instead of a hash table. The
  // default: not numbered.
  virtual bool dense_index(const void* self, size_t* index, size_t* count) const;
  // `obj[key]`; the default looks string keys up as attributes and integer
  // keys up as sequence positions.
  virtual TValue item(const void* self, const TValue& key) const;

  virtual bool is_sequence(const void* self) const;
  virtual size_t size(const void* self) const;
  virtual TValue at(const void* self, size_t index) const;

  virtual bool is_mapping(const void* self) const;
  // The keys of a mapping, in order; values through item().
  virtual std::vector<TValue> keys(const void* self) const;

  // `{{ obj }}`: the default prints a Python-like repr of sequences and
  // mappings and "<type_name>" otherwise.
  virtual void append_str(const void* self, std::string& out) const;
  virtual bool truthy(const void* self) const;
  // `obj = value` on an attribute (namespace objects); false when read-only.
  virtual bool set_attribute(const void* self, std::string_view name, const TValue& value) const;
};

struct CallArgs {
  std::vector<TValue> positional;
  std::vector<std::pair<std::string, TValue>> keyword;
  const TValue* find_keyword(std::string_view name) const;
};

class RenderState;  // the renderer's per-render state, opaque to hosts

// Something templates can call: host functions, macros, bound methods.
class Callable {
 public:
  virtual ~Callable() = default;
  virtual std::string_view name() const = 0;
  // Errors are reported by throwing TemplateError (caught inside the engine).
  virtual TValue call(RenderState& state, CallArgs& args) const = 0;
};

// An error raised while evaluating; the engine turns it into a diagnostic
// located at the expression being evaluated. Hosts may throw it from their
// ObjectType and Callable implementations; it never leaves the engine's API.
struct TemplateError {
  std::string message;
};

// An error a host found already located in a template of its own (a
// template it rendered for an attribute, say): the engine reports it as it
// is, instead of at the expression that asked. It never leaves the
// engine's API either.
struct LocatedTemplateError {
  Diagnostic diagnostic;
};

// How deeply lists and dicts may nest for the walks that descend into them
// (printing, ==, <, tojson, exporting an imported template's values). A
// loop can build [[[...]]] a million deep (`set ns.x = [ns.x]`), and a list
// can hold itself (`l.append(l)`): walking either must end in an error at
// the expression, not a stack overflow. Freeing them never recurses (see
// TValue::list).
inline constexpr int kMaxValueNesting = 1000;

// Held by each level of such a walk; the one that would go deeper than
// kMaxValueNesting throws TemplateError.
class ValueNestingGuard {
 public:
  ValueNestingGuard();
  ~ValueNestingGuard() { --depth_; }
  ValueNestingGuard(const ValueNestingGuard&) = delete;
  ValueNestingGuard& operator=(const ValueNestingGuard&) = delete;

 private:
  static thread_local int depth_;
};

class TValue {
 public:
  enum class Kind : uint8_t {
    kUndefined,
    kNone,
    kBool,
    kInt,
    kFloat,
    kString,
    kList,  // also tuples
    kDict,
    kObject,
    kCallable,
  };
  using List = std::vector<TValue>;
  using Dict = std::vector<std::pair<TValue, TValue>>;

  TValue() = default;
  // An undefined value; `hint` is the message an error about it shows.
  static TValue undefined(std::string hint = {});
  // An undefined value that strict mode treats as the default Undefined
  // (the missing else of `a if b`, as in Jinja2).
  static TValue lenient_undefined(std::string hint);
  static TValue none();
  static TValue boolean(bool b);
  static TValue integer(int64_t i);
  static TValue number(double d);
  // An owned string.
  static TValue string(std::string s, bool safe = false);
  // A string that points into host memory, which must outlive the render.
  static TValue string_ref(std::string_view s, bool safe = false);
  static TValue safe(std::string s) { return string(std::move(s), true); }
  static TValue list(List items, bool tuple = false);
  static TValue dict(Dict items);
  // A mutable dict whose attributes can be assigned (`namespace()`).
  static TValue namespace_dict(Dict items);
  static TValue callable(std::shared_ptr<const Callable> c);
  // A reference to a host object; `keep_alive` (optional) owns its state.
  static TValue object(const ObjectType* type, const void* self,
                       std::shared_ptr<const void> keep_alive = nullptr);
  // A base/value.h tree read in place: scalars become TValues (strings are
  // views), lists and maps become object references.
  static TValue from_value(const Value& v);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::kUndefined; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  // Python's numbers (bool is an int there too).
  bool is_number() const { return is_int() || is_float() || is_bool(); }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_safe() const { return kind_ == Kind::kString && safe_; }
  // A string in memory the host owns (string_ref), not in the value itself.
  bool is_host_string() const { return kind_ == Kind::kString && !owner_ && !str_.empty(); }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_tuple() const { return kind_ == Kind::kList && tuple_; }
  bool is_dict() const { return kind_ == Kind::kDict; }
  bool is_namespace() const { return kind_ == Kind::kDict && tuple_; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_callable() const { return kind_ == Kind::kCallable; }
  // An undefined value strict mode lets through (lenient_undefined).
  bool ignores_strict() const { return kind_ == Kind::kUndefined && tuple_; }

  bool as_bool() const { return u_.b; }
  int64_t as_int() const { return kind_ == Kind::kBool ? (u_.b ? 1 : 0) : u_.i; }
  double as_float() const { return kind_ == Kind::kFloat ? u_.f : static_cast<double>(as_int()); }
  std::string_view as_string() const { return str_; }
  const List& as_list() const { return *static_cast<const List*>(owner_.get()); }
  const Dict& as_dict() const { return *static_cast<const Dict*>(owner_.get()); }

  // Who may change this list, dict or namespace in place (list.append,
  // dict.update, `set ns.a`): the render whose RenderState::mutation_token
  // it carries, which built it as Python would build a new one (a list
  // or dict display, |list, dict(), namespace(), ...). Everything else --
  // built by the host, by the parser for a literal, or registered as a
  // global -- carries 0 and is read-only, so a value that outlives a
  // render or is shared between renders is never changed.
  uint64_t owner() const {
    return kind_ == Kind::kList || kind_ == Kind::kDict ? static_cast<uint64_t>(u_.i) : 0;
  }
  // The owner of the parser's literal values, which no render has: one
  // value serves every render of a template that never changes it
  // (template_sharing.h). Render tokens start above it.
  static constexpr uint64_t kLiteralOwner = 1;
  // Marks a list, dict or namespace just built, not yet shared, as
  // `owner`'s (tuples stay read-only: Python's are immutable).
  TValue owned_by(uint64_t owner) && {
    if ((kind_ == Kind::kList && !tuple_) || kind_ == Kind::kDict)
      u_.i = static_cast<int64_t>(owner);
    return std::move(*this);
  }
  // The items to change in place: only for the owner's lists and dicts.
  List& mutable_list() const { return *static_cast<List*>(const_cast<void*>(owner_.get())); }
  Dict& mutable_dict() const { return *static_cast<Dict*>(const_cast<void*>(owner_.get())); }
  const Callable& as_callable() const { return *static_cast<const Callable*>(owner_.get()); }
  const ObjectType* object_type() const { return u_.obj.type; }
  const void* object_self() const { return u_.obj.self; }
  // For undefined values: the message an error about them shows.
  std::string_view undefined_hint() const { return str_; }

  // Python truthiness.
  bool truthy() const;
  // str(value) as Jinja2 prints it (None → "None", undefined → "").
  void append_str(std::string& out) const;
  std::string str() const;
  // repr(value) as Python shows it inside lists and dicts.
  void append_repr(std::string& out) const;
  // A Python type name for error messages: "str", "int", "list", ...
  std::string_view type_name() const;

  // This string marked safe, sharing its storage (no copy of the text).
  TValue marked_safe() const {
    TValue c = *this;
    c.safe_ = true;
    return c;
  }

  // Dict lookup by key; nullptr when absent.
  const TValue* dict_find(std::string_view key) const;

  // Whether this and `o` are the same list (or tuple, dict), not just equal.
  bool is_identical(const TValue& o) const {
    return (kind_ == Kind::kList || kind_ == Kind::kDict) && kind_ == o.kind_ &&
           tuple_ == o.tuple_ && owner_ && owner_.get() == o.owner_.get();
  }

 private:
  Kind kind_ = Kind::kUndefined;
  bool safe_ = false;
  bool tuple_ = false;  // a tuple (lists), a namespace (dicts), lenient (undefined)
  union U {
    bool b;
    int64_t i;  // ints; the owner of lists and dicts
    double f;
    struct {
      const ObjectType* type;
      const void* self;
    } obj;
  } u_{};
  std::string_view str_;
  std::shared_ptr<const void> owner_;

  friend class NestedRelease;  // frees nested lists and dicts without recursion
};

// Python's == between two values (1 == 1.0 == True, lists element-wise).
bool values_equal(const TValue& a, const TValue& b);
// d[k] = v for a dict literal: a key equal to an earlier one (1 and 1.0
// too) replaces its value in place, as Python's dict does.
void dict_assign(TValue::Dict& d, TValue k, TValue v);
// Python's < ; throws TemplateError for unorderable types.
bool value_less(const TValue& a, const TValue& b);
// Python's repr of a float ("1.0", "0.1", "1e+16").
void append_python_float(std::string& out, double d);

// Whether `v` is or holds (in tuples, lists, dicts) a list or a dict.
bool holds_mutable(const TValue& v);
// A literal's value as Python builds it on each evaluation: every list
// and dict in it new and `owner`'s; strings, numbers and tuples of them
// shared.
TValue fresh_literal(const TValue& v, uint64_t owner);
// Replaces, in `v` and the lists and dicts `owner` may change inside it,
// every literal value the parser built (TValue::kLiteralOwner) with a fresh
// copy of `owner`'s: what a template exports to the one importing it must
// be as changeable as what that one builds itself.
void own_literals(TValue& v, uint64_t owner);

// Iterates anything Jinja2 can iterate (lists, strings by character,
// mappings by key, host sequences, undefined as empty) without copying host
// sequences. Throws TemplateError for values that are not iterable.
class Sequence {
 public:
  explicit Sequence(const TValue& v);
  // The number of items when the Sequence was made.
  size_t size() const { return size_; }
  // The number now: a list may have changed since (a loop's body calling
  // its methods), and a for loop reads it live, as Python's iterator does.
  size_t live_size() const { return holder_.is_list() ? holder_.as_list().size() : size_; }
  // Item i; undefined past the end of a list that has shrunk.
  TValue operator[](size_t i) const;

 private:
  TValue holder_;  // keeps a list alive; host sequences are read in place
  TValue::List owned_;
  bool use_owned_ = false;
  size_t size_ = 0;
};

// Whether `type` is one of the ObjectTypes TValue::from_value uses for
// base/value.h lists and maps.
bool is_value_object_type(const ObjectType* type);

}  // namespace byline
