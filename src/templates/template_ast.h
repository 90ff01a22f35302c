// The syntax tree of a compiled template: expressions and statements as the
// parser builds them and the renderer walks them. Every node keeps the byte
// offset it starts at, so diagnostics can point at it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "templates/template_value.h"

namespace byline {

enum class ExprKind : uint8_t {
  kLiteral,  // value
  // value, a folded list or dict display (or a tuple holding one), which
  // each evaluation builds anew (fresh_literal), as Python does, so that
  // one render changing it in place changes nothing for the next. The
  // parser makes it a kLiteral where a method cannot reach the value
  // (compared, looped over, subscripted: Parser::share_literal).
  kFreshLiteral,
  kName,     // name
  kList,     // children = items
  kTuple,    // children = items
  kDict,     // children = key, value, key, value, ...
  kGetattr,  // children[0] . name
  kGetitem,  // children[0] [ children[1] ]
  kSlice,    // children = start, stop, step (each may be null)
  kCall,     // children[0] = callee, rest = positional; kwargs
  kFilter,   // name; children[0] = operand (null in filter blocks), rest = args; kwargs
  kTest,     // name; children[0] = operand, rest = args; kwargs; negated
  kUnary,    // unary_op children[0]
  kNot,      // not children[0]
  kBinary,   // children[0] binary_op children[1]
  kConcat,   // children joined with ~
  kCompare,  // children[0] compare_ops[0] children[1] compare_ops[1] children[2] ...
  kAnd,
  kOr,
  kCondExpr,  // children = then, test, else (else may be null)
};

// Operators, resolved by the parser so that the renderer switches on a
// number instead of comparing the operator's text on every evaluation.
// - +
enum class UnaryOp : uint8_t { kNeg, kPos };
// + - * / // % **
enum class BinaryOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
// == != < <= > >= in, not in
enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

// A getattr expression's memo: the object type it last read an attribute
// of, and that type's attribute_slot() for the name, in one word, so the
// threads rendering one template each read and replace it whole. Copies
// start empty.
class AttrSlotCache {
 public:
  AttrSlotCache() = default;
  AttrSlotCache(const AttrSlotCache&) {}
  AttrSlotCache& operator=(const AttrSlotCache&) { return *this; }

  // The slot for `type` if it is the one remembered.
  bool find(const ObjectType* type, int* slot) const {
    uintptr_t w = word_.load(std::memory_order_relaxed);
    if (w == 0 || (w >> 16) != reinterpret_cast<uintptr_t>(type)) return false;
    *slot = static_cast<int>(w & 0xffff) - 1;
    return true;
  }
  void remember(const ObjectType* type, int slot) const {
    uintptr_t t = reinterpret_cast<uintptr_t>(type);
    // A type's address fits above the slot's 16 bits on every 64-bit
    // platform byline builds on; anything else is just not remembered.
    if ((t >> 47) != 0 || slot < -1 || slot > 0xfffe) return;
    word_.store((t << 16) | static_cast<uintptr_t>(slot + 1), std::memory_order_relaxed);
  }

 private:
  mutable std::atomic<uintptr_t> word_{0};
};

struct Expr {
  // kCall: calls the renderer treats specially, recognised by the parser
  // from the callee's shape so that no call compares names at run time.
  enum CallShortcut : uint8_t {
    kSuperCall = 1,      // super()
    kSelfBlockCall = 2,  // self.name()
    kCycleCall = 4,      // x.cycle(a, ...), positional arguments only
  };

  ExprKind kind = ExprKind::kLiteral;
  // The small fields share the word `kind` starts.
  bool negated = false;  // kTest
  UnaryOp unary_op = UnaryOp::kNeg;
  BinaryOp binary_op = BinaryOp::kAdd;
  uint8_t call_shortcuts = 0;  // CallShortcut bits
  // kGetattr: a `set` target `ns.attr` (Jinja2's NSRef), assignable.
  bool namespace_ref = false;
  // kGetattr: `name` is a dict method's, which on data read in place comes
  // before a key of that name (get_attribute).
  bool dict_method_name = false;
  // The height of the tree under this node (1 for a leaf), which the
  // parser keeps within its nesting limit so that every recursive walk of
  // a template stays within the stack.
  uint16_t depth = 1;
  size_t offset = 0;
  std::string name;
  TValue value;
  std::vector<std::unique_ptr<Expr>> children;
  std::vector<std::pair<std::string, std::unique_ptr<Expr>>> kwargs;
  std::vector<CompareOp> compare_ops;
  // Call syntax `f(*args, **kwargs)`; null when absent.
  std::unique_ptr<Expr> star_args, star_kwargs;
  // Filters and tests: the engine's FilterFunction or TestFunction for
  // `name`, bound when the template is compiled (the engine's registry is
  // complete by then and its entries never move); null when unknown.
  const void* bound = nullptr;
  // kGetattr: see AttrSlotCache.
  AttrSlotCache attr_slot;
};

struct Template;

// {% include "x.html" %} and {% extends "x.html" %} with a literal name:
// the compiled template, remembered once loaded, so later renders skip the
// lookup by name under the engine's lock. Both templates live in the
// engine's cache and are dropped together (clear_cache()). Copies start
// empty.
class TemplateRefCache {
 public:
  TemplateRefCache() = default;
  TemplateRefCache(const TemplateRefCache&) {}
  TemplateRefCache& operator=(const TemplateRefCache&) { return *this; }
  const Template* get() const { return tpl_.load(std::memory_order_acquire); }
  void set(const Template* t) const { tpl_.store(t, std::memory_order_release); }

 private:
  mutable std::atomic<const Template*> tpl_{nullptr};
};

enum class StmtKind {
  kOutput,       // text
  kPrint,        // expr
  kIf,           // expr; body; else_body (an elif is a nested kIf there)
  kFor,          // target in expr [if expr2] [recursive]; body; else_body
  kSet,          // target = expr
  kSetBlock,     // target; body; filter (chain of kFilter with null operand, may be null)
  kMacro,        // name(params=defaults); body
  kCallBlock,    // expr (the call); params; body is the caller
  kInclude,      // expr; ignore_missing; with_context
  kImport,       // expr as name; with_context
  kFromImport,   // from expr import names (name, alias); with_context
  kExtends,      // expr
  kBlock,        // name; body; scoped; required
  kFilterBlock,  // filter; body
  kWith,         // targets = values; body
  kAutoescape,   // expr; body
};

struct Stmt {
  StmtKind kind = StmtKind::kOutput;
  size_t offset = 0;
  std::string text;  // output text or a name
  std::unique_ptr<Expr> expr, expr2, target, filter;
  std::vector<std::unique_ptr<Stmt>> body, else_body;
  bool recursive = false;
  bool ignore_missing = false;
  bool with_context = false;
  bool scoped = false;
  bool required = false;
  bool caller_param = false;  // kMacro: `caller` is one of params
  // Macro and call-block parameters with their defaults (null when none).
  std::vector<std::string> params;
  std::vector<std::unique_ptr<Expr>> defaults;
  // with: targets[i] = values[i]; from-import: (name, alias).
  std::vector<std::unique_ptr<Expr>> targets, values;
  std::vector<std::pair<std::string, std::string>> names;
  // kInclude, kExtends: see TemplateRefCache.
  TemplateRefCache loaded;
};

// One compiled template. Immutable after parsing; shared by all threads.
struct Template {
  std::string name;
  std::string source;  // newlines normalised to \n
  bool autoescape = false;
  std::vector<std::unique_ptr<Stmt>> body;
  std::map<std::string, const Stmt*, std::less<>> blocks;
  // Whether its kFreshLiteral values may serve every evaluation uncopied
  // (literals_stay_unchanged in template_sharing.h), decided when compiled.
  bool shares_literals = false;
  // The size of the last output, to reserve the next one's buffer.
  mutable std::atomic<size_t> size_hint{0};
};

}  // namespace byline
