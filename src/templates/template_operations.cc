// Python's operations on TValues, shared by the renderer and the filters:
// the operators, printing and escaping, attribute and item lookup, `in`,
// len(), calls, slicing and `%` formatting.
#include "templates/template_operations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "base/strings.h"
#include "templates/template_methods.h"
#include "templates/template_unicode.h"

namespace byline {
namespace {
thread_local uint64_t tl_max_string_bytes = UINT64_MAX;
// Signed: a value built by an earlier render and freed during this one
// takes off what it charged then.
thread_local int64_t tl_held_bytes = 0;
}  // namespace

void charge_held_bytes(uint64_t bytes) {
  int64_t after = tl_held_bytes + static_cast<int64_t>(bytes);
  if (after > 0 && static_cast<uint64_t>(after) > tl_max_string_bytes)
    throw TemplateError{
        "render budget exceeded: the strings and lists this render holds would "
        "pass " +
        std::to_string(tl_max_string_bytes) + " bytes ([limits] max_output_bytes)"};
  tl_held_bytes = after;
}
void release_held_bytes(uint64_t bytes) noexcept { tl_held_bytes -= static_cast<int64_t>(bytes); }
uint64_t held_bytes() { return tl_held_bytes > 0 ? static_cast<uint64_t>(tl_held_bytes) : 0; }

uint64_t max_string_bytes() { return tl_max_string_bytes; }

void check_string_size(uint64_t bytes) {
  if (bytes > tl_max_string_bytes)
    throw TemplateError{"result too large: " + std::to_string(bytes) +
                        " bytes, beyond the render's limit of " +
                        std::to_string(tl_max_string_bytes) + " bytes ([limits] max_output_bytes)"};
}

void check_list_size(uint64_t items) {
  if (items > kMaxListItems)
    throw TemplateError{"list too long (more than " + std::to_string(kMaxListItems) + " items)"};
}

StringSizeLimit::StringSizeLimit(uint64_t bytes) : saved_(tl_max_string_bytes) {
  if (saved_ == UINT64_MAX) tl_held_bytes = 0;  // the outermost render on this thread
  tl_max_string_bytes = bytes;
}
StringSizeLimit::~StringSizeLimit() { tl_max_string_bytes = saved_; }

namespace {

std::string object_type_repr(const TValue& v) {
  if (v.is_none()) return "None";
  if (v.is_object()) {
    std::string n(v.object_type()->type_name());
    return n.find(' ') == std::string::npos ? n + " object" : n;
  }
  return std::string(v.type_name()) + " object";
}

// 64-bit integer arithmetic. Python's integers are unbounded; rather than
// wrap to a wrong number, a result outside 64 bits is an error (located by
// the renderer, which catches TemplateError).
[[noreturn]] void overflow(const char* op) {
  throw TemplateError{std::string("integer overflow in '") + op +
                      "': the result does not fit in 64 bits"};
}
int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow("+");
  return r;
}
int64_t checked_sub(int64_t a, int64_t b, const char* op = "-") {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) overflow(op);
  return r;
}
int64_t checked_mul(int64_t a, int64_t b, const char* op = "*") {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow(op);
  return r;
}

int64_t floor_div(int64_t a, int64_t b) {
  if (b == -1) return checked_sub(0, a, "//");
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Both operands numbers, and both integers (bool counts as one).
bool numbers(const TValue& a, const TValue& b) { return a.is_number() && b.is_number(); }
bool integers(const TValue& a, const TValue& b) {
  return numbers(a, b) && !a.is_float() && !b.is_float();
}

const char* operator_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kFloorDiv:
      return "//";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kPow:
      return "**";
  }
  return "?";
}

TemplateError operand_error(BinaryOp op, const TValue& a, const TValue& b) {
  return TemplateError{std::string("unsupported operand type(s) for ") + operator_text(op) + ": '" +
                       std::string(a.type_name()) + "' and '" + std::string(b.type_name()) + "'"};
}

TValue add(const TValue& a, const TValue& b) {
  if (numbers(a, b))
    return integers(a, b) ? TValue::integer(checked_add(a.as_int(), b.as_int()))
                          : TValue::number(a.as_float() + b.as_float());
  if (a.is_string() && b.is_string()) {
    check_string_size(uint64_t{a.as_string().size()} + b.as_string().size());
    if (a.is_safe() || b.is_safe()) {
      std::string s;
      append_output(s, a, true);
      append_output(s, b, true);
      return TValue::safe(std::move(s));
    }
    std::string s(a.as_string());
    s += b.as_string();
    return TValue::string(std::move(s));
  }
  if (a.is_list() && b.is_list() && a.is_tuple() == b.is_tuple()) {
    check_list_size(uint64_t{a.as_list().size()} + b.as_list().size());
    TValue::List l = a.as_list();
    l.insert(l.end(), b.as_list().begin(), b.as_list().end());
    return TValue::list(std::move(l), a.is_tuple());
  }
  if (a.is_string() && !b.is_safe())
    throw TemplateError{"can only concatenate str (not \"" + std::string(b.type_name()) +
                        "\") to str"};
  if (a.is_list())
    throw TemplateError{"can only concatenate " + std::string(a.type_name()) + " (not \"" +
                        std::string(b.type_name()) + "\") to " + std::string(a.type_name())};
  throw operand_error(BinaryOp::kAdd, a, b);
}

TValue subtract(const TValue& a, const TValue& b) {
  if (numbers(a, b))
    return integers(a, b) ? TValue::integer(checked_sub(a.as_int(), b.as_int()))
                          : TValue::number(a.as_float() - b.as_float());
  throw operand_error(BinaryOp::kSub, a, b);
}

// A string or list repeated `n` times ("-" * 3).
TValue repeat(const TValue& seq, const TValue& n) {
  int64_t times = n.as_int();
  size_t unit = seq.is_string() ? seq.as_string().size() : seq.as_list().size();
  if (times > 0 && unit > 0 && static_cast<uint64_t>(times) > (1u << 24) / unit)
    throw TemplateError{"repetition result too large"};
  if (seq.is_string()) {
    if (times > 0) check_string_size(static_cast<uint64_t>(times) * unit);
    std::string s;
    for (int64_t i = 0; i < times; ++i) s += seq.as_string();
    return TValue::string(std::move(s), seq.is_safe());
  }
  if (times > 0) check_list_size(static_cast<uint64_t>(times) * unit);
  TValue::List l;
  for (int64_t i = 0; i < times; ++i) l.insert(l.end(), seq.as_list().begin(), seq.as_list().end());
  return TValue::list(std::move(l), seq.is_tuple());
}

TValue multiply(const TValue& a, const TValue& b) {
  if (numbers(a, b))
    return integers(a, b) ? TValue::integer(checked_mul(a.as_int(), b.as_int()))
                          : TValue::number(a.as_float() * b.as_float());
  if ((a.is_string() || a.is_list()) && (b.is_int() || b.is_bool())) return repeat(a, b);
  if ((b.is_string() || b.is_list()) && (a.is_int() || a.is_bool())) return repeat(b, a);
  throw TemplateError{"can't multiply sequence by non-int of type '" + std::string(b.type_name()) +
                      "'"};
}

TValue divide(const TValue& a, const TValue& b) {
  if (!numbers(a, b)) throw operand_error(BinaryOp::kDiv, a, b);
  if (b.as_float() == 0) throw TemplateError{"division by zero"};
  return TValue::number(a.as_float() / b.as_float());
}

TValue floor_divide(const TValue& a, const TValue& b) {
  if (!numbers(a, b)) throw operand_error(BinaryOp::kFloorDiv, a, b);
  if (integers(a, b)) {
    if (b.as_int() == 0) throw TemplateError{"integer division or modulo by zero"};
    return TValue::integer(floor_div(a.as_int(), b.as_int()));
  }
  if (b.as_float() == 0) throw TemplateError{"float floor division by zero"};
  return TValue::number(std::floor(a.as_float() / b.as_float()));
}

// Python's %: formatting when the left side is a string, else a modulo
// with the sign of the divisor.
TValue modulo(const TValue& a, const TValue& b) {
  if (a.is_string()) {
    std::string s = percent_format(a.as_string(), b, a.is_safe());
    return TValue::string(std::move(s), a.is_safe());
  }
  if (!numbers(a, b)) throw operand_error(BinaryOp::kMod, a, b);
  if (integers(a, b)) {
    if (b.as_int() == 0) throw TemplateError{"integer division or modulo by zero"};
    if (b.as_int() == -1) return TValue::integer(0);
    int64_t m = a.as_int() % b.as_int();
    if (m != 0 && ((m < 0) != (b.as_int() < 0))) m += b.as_int();
    return TValue::integer(m);
  }
  if (b.as_float() == 0) throw TemplateError{"float modulo"};
  double m = std::fmod(a.as_float(), b.as_float());
  if (m != 0 && ((m < 0) != (b.as_float() < 0))) m += b.as_float();
  return TValue::number(m);
}

TValue power(const TValue& a, const TValue& b) {
  if (!numbers(a, b)) throw operand_error(BinaryOp::kPow, a, b);
  if (integers(a, b) && b.as_int() >= 0) {
    int64_t r = 1, base = a.as_int();
    for (int64_t e = b.as_int(); e > 0; e >>= 1) {
      if (e & 1) r = checked_mul(r, base, "**");
      // The base is squared only while a higher bit of the exponent needs
      // it, so a last square that would not fit is no error.
      if (e > 1) base = checked_mul(base, base, "**");
    }
    return TValue::integer(r);
  }
  if (a.as_float() == 0 && b.as_float() < 0)
    throw TemplateError{"0.0 cannot be raised to a negative power"};
  return TValue::number(std::pow(a.as_float(), b.as_float()));
}
}  // namespace

namespace {

// append_html_escaped, with the result's size checked first: escaping
// can make text up to six times longer ('"' is "&#34;"), and a 320 MB
// string of quotes became 1.9 GB before anything was checked. Short text
// is not worth the counting pass.
void append_escaped_checked(std::string& out, std::string_view text) {
  if (text.size() > (64 << 10)) {
    uint64_t specials = 0;
    for (char c : text) specials += c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
    check_string_size(out.size() + text.size() + 5 * specials);
  }
  append_html_escaped(out, text);
}

}  // namespace

void append_output(std::string& out, const TValue& v, bool autoescape) {
  if (v.is_string()) {
    if (autoescape && !v.is_safe())
      append_escaped_checked(out, v.as_string());
    else
      out += v.as_string();
    return;
  }
  if (!autoescape) {
    v.append_str(out);
    return;
  }
  std::string s;
  v.append_str(s);
  append_escaped_checked(out, s);
}

TValue escape_value(const TValue& v) {
  if (v.is_safe()) return v;
  std::string s;
  append_output(s, v, true);
  return TValue::safe(std::move(s));
}

TValue soft_str(const TValue& v) {
  if (v.is_string()) return v;
  return TValue::string(v.str());
}

TValue unary_op(UnaryOp op, const TValue& v) {
  const bool negate = op == UnaryOp::kNeg;
  if (v.is_bool() || v.is_int())
    return TValue::integer(negate ? checked_sub(0, v.as_int(), "unary -") : v.as_int());
  if (v.is_float()) return TValue::number(negate ? -v.as_float() : v.as_float());
  throw TemplateError{std::string("bad operand type for unary ") + (negate ? "-" : "+") + ": '" +
                      std::string(v.type_name()) + "'"};
}

TValue binary_op(BinaryOp op, const TValue& a, const TValue& b) {
  switch (op) {
    case BinaryOp::kAdd:
      return add(a, b);
    case BinaryOp::kSub:
      return subtract(a, b);
    case BinaryOp::kMul:
      return multiply(a, b);
    case BinaryOp::kDiv:
      return divide(a, b);
    case BinaryOp::kFloorDiv:
      return floor_divide(a, b);
    case BinaryOp::kMod:
      return modulo(a, b);
    case BinaryOp::kPow:
      return power(a, b);
  }
  throw operand_error(op, a, b);
}

bool compare_op(CompareOp op, const TValue& a, const TValue& b) {
  switch (op) {
    case CompareOp::kEq:
      return values_equal(a, b);
    case CompareOp::kNe:
      return !values_equal(a, b);
    case CompareOp::kLt:
      return value_less(a, b);
    case CompareOp::kLe:
      return value_less(a, b) || values_equal(a, b);
    case CompareOp::kGt:
      return value_less(b, a);
    case CompareOp::kGe:
      return value_less(b, a) || values_equal(a, b);
    case CompareOp::kIn:
      return value_contains(b, a);
    case CompareOp::kNotIn:
      return !value_contains(b, a);
  }
  return false;
}

TValue get_attribute(const TValue& obj, std::string_view name) {
  switch (obj.kind()) {
    case TValue::Kind::kDict:
      if (!obj.is_namespace() && is_dict_method(name)) return bind_method(obj, name);
      if (const TValue* v = obj.dict_find(name)) return *v;
      break;
    case TValue::Kind::kList:
      // groupby's (grouper, list) tuples name their fields.
      if (obj.is_tuple() && obj.as_list().size() == 2) {
        if (name == "grouper") return obj.as_list()[0];
        if (name == "list") return obj.as_list()[1];
      }
      if (!obj.is_tuple() && is_list_method(name)) return bind_method(obj, name);
      break;
    case TValue::Kind::kString:
      if (is_string_method(name)) return bind_method(obj, name);
      break;
    case TValue::Kind::kObject: {
      // Data read in place (front matter, JSON) are Python dicts to
      // templates: a method comes before a key of the same name, as
      // getattr does in Jinja2 (`d.items()` with a key "items").
      if (is_value_object_type(obj.object_type()) && is_dict_method(name) &&
          obj.object_type()->is_mapping(obj.object_self()))
        return bind_method(obj, name);
      TValue v = obj.object_type()->attribute(obj.object_self(), name);
      if (!v.is_undefined()) return v;
      if (obj.object_type()->is_mapping(obj.object_self()) && is_dict_method(name))
        return bind_method(obj, name);
      // A host sequence has list's methods; those that would change it
      // say it is read-only.
      if (obj.object_type()->is_sequence(obj.object_self()) && is_list_method(name))
        return bind_method(obj, name);
      if (!v.undefined_hint().empty()) return v;
      break;
    }
    default:
      break;
  }
  return TValue::undefined("'" + object_type_repr(obj) + "' has no attribute '" +
                           std::string(name) + "'");
}

TValue get_item(const TValue& obj, const TValue& key) {
  switch (obj.kind()) {
    case TValue::Kind::kDict:
      for (const auto& [k, v] : obj.as_dict())
        if (values_equal(k, key)) return v;
      break;
    case TValue::Kind::kList:
    case TValue::Kind::kString:
      if (key.is_int() || key.is_bool()) {
        int64_t i = key.as_int();
        if (obj.is_list()) {
          int64_t n = static_cast<int64_t>(obj.as_list().size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) return obj.as_list()[static_cast<size_t>(i)];
        } else {
          Sequence chars(obj);
          int64_t n = static_cast<int64_t>(chars.size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) return chars[static_cast<size_t>(i)];
        }
        return TValue::undefined(obj.str().size() < 60
                                     ? obj.str() + " object has no element " + key.str()
                                     : std::string(obj.type_name()) + " object has no element " +
                                           key.str());
      }
      break;
    case TValue::Kind::kObject: {
      TValue v = obj.object_type()->item(obj.object_self(), key);
      if (!v.is_undefined()) return v;
      break;
    }
    default:
      break;
  }
  if (key.is_string()) return get_attribute(obj, key.as_string());
  std::string repr;
  obj.append_repr(repr);
  std::string krepr;
  key.append_repr(krepr);
  return TValue::undefined(repr + " has no element " + krepr);
}

bool value_contains(const TValue& container, const TValue& item) {
  if (container.is_string()) {
    if (!item.is_string())
      throw TemplateError{"'in <string>' requires string as left operand, not " +
                          std::string(item.type_name())};
    return container.as_string().find(item.as_string()) != std::string_view::npos;
  }
  if (container.is_dict()) {
    for (const auto& [k, v] : container.as_dict())
      if (values_equal(k, item)) return true;
    return false;
  }
  if (container.is_object() && container.object_type()->is_mapping(container.object_self()) &&
      !container.object_type()->is_sequence(container.object_self())) {
    if (item.is_string())
      return !container.object_type()
                  ->attribute(container.object_self(), item.as_string())
                  .is_undefined();
  }
  if (!container.is_list() && !container.is_object() && !container.is_undefined())
    throw TemplateError{"argument of type '" + std::string(container.type_name()) +
                        "' is not iterable"};
  Sequence seq(container);
  for (size_t i = 0; i < seq.size(); ++i)
    if (values_equal(seq[i], item)) return true;
  return false;
}

int64_t float_to_int(double d) {
  // 2^63 is exact as a double; a cast outside the range would be undefined.
  constexpr double kLimit = 9223372036854775808.0;
  if (std::isnan(d)) return 0;
  if (d >= kLimit) return INT64_MAX;
  if (d < -kLimit) return INT64_MIN;
  return static_cast<int64_t>(d);
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

size_t value_length(const TValue& v) {
  switch (v.kind()) {
    case TValue::Kind::kString:
      return utf8_length(v.as_string());
    case TValue::Kind::kList:
      return v.as_list().size();
    case TValue::Kind::kDict:
      return v.as_dict().size();
    case TValue::Kind::kUndefined:
      return 0;
    case TValue::Kind::kObject:
      if (v.object_type()->is_sequence(v.object_self()) ||
          v.object_type()->is_mapping(v.object_self()))
        return v.object_type()->size(v.object_self());
      [[fallthrough]];
    default:
      throw TemplateError{"object of type '" + std::string(v.type_name()) + "' has no len()"};
  }
}

TValue call_value(RenderState& state, const TValue& callee, CallArgs& args) {
  if (!callee.is_callable())
    throw TemplateError{"'" + std::string(callee.type_name()) + "' object is not callable"};
  return callee.as_callable().call(state, args);
}

TValue slice_value(const TValue& obj, const TValue& start_v, const TValue& stop_v,
                   const TValue& step_v) {
  auto opt = [](const TValue& v, const char* what) -> std::optional<int64_t> {
    if (v.is_none() || v.is_undefined()) return std::nullopt;
    if (!v.is_int() && !v.is_bool())
      throw TemplateError{std::string("slice indices must be integers or None (") + what + ")"};
    return v.as_int();
  };
  int64_t step = opt(step_v, "step").value_or(1);
  if (step == 0) throw TemplateError{"slice step cannot be zero"};
  auto non_negative = [](const TValue& v) { return v.is_int() && v.as_int() >= 0; };
  if (obj.is_string() && step == 1 && non_negative(stop_v) &&
      (start_v.is_none() || start_v.is_undefined() || non_negative(start_v))) {
    // s[:3] on a long summary: decode only as far as the slice reaches.
    const int64_t start = non_negative(start_v) ? start_v.as_int() : 0, stop = stop_v.as_int();
    std::string out;
    int64_t i = 0;
    for_each_cp_until(obj.as_string(), [&](int32_t c) {
      if (i >= stop) return false;
      if (i >= start) append_cp(out, c);
      ++i;
      return true;
    });
    return TValue::string(std::move(out), obj.is_safe());
  }
  std::vector<int32_t> cps;
  std::optional<Sequence> seq;
  int64_t n;
  if (obj.is_string()) {
    cps = code_points(obj.as_string());
    n = static_cast<int64_t>(cps.size());
  } else {
    seq.emplace(obj);
    n = static_cast<int64_t>(seq->size());
  }
  auto clamp = [&](std::optional<int64_t> v, int64_t def) {
    if (!v) return def;
    int64_t x = *v;
    if (x < 0) x += n;
    if (step > 0) return std::clamp<int64_t>(x, 0, n);
    return std::clamp<int64_t>(x, -1, n - 1);
  };
  int64_t start = clamp(opt(start_v, "start"), step > 0 ? 0 : n - 1);
  int64_t stop = clamp(opt(stop_v, "stop"), step > 0 ? n : -1);
  if (obj.is_string()) {
    std::string out;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
      append_cp(out, cps[static_cast<size_t>(i)]);
    return TValue::string(std::move(out), obj.is_safe());
  }
  TValue::List out;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
    out.push_back((*seq)[static_cast<size_t>(i)]);
  return TValue::list(std::move(out), obj.is_tuple());
}

// ---- % formatting ----

namespace {

// Markup % args escapes the arguments (markupsafe's _MarkupEscapeHelper):
// strings and containers, each item of a tuple and each value of a dict.
TValue escaped_format_args(const TValue& args) {
  if (args.is_tuple()) {
    TValue::List escaped;
    for (const TValue& a : args.as_list())
      escaped.push_back(a.is_string() || a.is_undefined() || a.is_none() || a.is_list() ||
                                a.is_dict() || a.is_object()
                            ? escape_value(a)
                            : a);
    return TValue::list(std::move(escaped), true);
  }
  if (args.is_dict()) {
    TValue::Dict escaped;
    for (const auto& [k, a] : args.as_dict())
      escaped.emplace_back(k, a.is_number() ? a : escape_value(a));
    return TValue::dict(std::move(escaped));
  }
  return escape_value(args);
}

// One conversion specifier after its '%' and optional "(key)":
// flags, width, precision and the conversion character.
constexpr int64_t kMaxFormatWidth = 1000000;

struct Conversion {
  std::string flags;
  std::string width;
  std::string precision;
  bool has_precision = false;
  char type = 0;

  // The specifier for snprintf, without the length and type.
  std::string printf_spec() const {
    return "%" + flags + width + (has_precision ? "." + precision : "");
  }
  // snprintf of one number with this width and precision, whatever its size
  // (a double has up to 309 digits before the point).
  template <class Number>
  std::string printf(const char* spec, Number n) const {
    size_t room = 512 + (width.empty() ? 0 : std::stoull(width)) +
                  (precision.empty() ? 0 : std::stoull(precision));
    std::string buf(room, '\0');
    int len = std::snprintf(buf.data(), buf.size(), spec, n);
    buf.resize(len < 0 ? 0 : std::min(static_cast<size_t>(len), buf.size() - 1));
    return buf;
  }
};

// Reads a conversion from fmt[*i] on, leaving *i on its type character.
Conversion read_conversion(std::string_view fmt, size_t* i) {
  Conversion c;
  size_t& p = *i;
  while (p < fmt.size() && std::string_view("-+ #0").find(fmt[p]) != std::string_view::npos)
    c.flags += fmt[p++];
  while (p < fmt.size() && fmt[p] >= '0' && fmt[p] <= '9') c.width += fmt[p++];
  if (p < fmt.size() && fmt[p] == '.') {
    c.has_precision = true;
    ++p;
    while (p < fmt.size() && fmt[p] >= '0' && fmt[p] <= '9') c.precision += fmt[p++];
  }
  while (p < fmt.size() && (fmt[p] == 'l' || fmt[p] == 'h' || fmt[p] == 'L')) ++p;
  if (p >= fmt.size()) throw TemplateError{"incomplete format"};
  c.type = fmt[p];
  // Python pads and computes digits to any size; a width or precision
  // beyond a million would only ask for memory (and glibc's printf takes
  // seconds on "%.1000000000f").
  auto bounded_digits = [](std::string& digits, const char* what) {
    size_t first = digits.find_first_not_of('0');
    digits.erase(0, first == std::string::npos ? digits.size() : first);
    if (digits.size() > 7 || (!digits.empty() && std::stoll(digits) > kMaxFormatWidth))
      throw TemplateError{std::string("format ") + what + " is too large (more than " +
                          std::to_string(kMaxFormatWidth) + ")"};
  };
  bounded_digits(c.width, "width");
  bounded_digits(c.precision, "precision");
  return c;
}

// %s, %r and %a: str() or repr(), cut to the precision and padded to the
// width in code points.
std::string format_text(const Conversion& c, const TValue& arg) {
  std::string piece;
  if (c.type == 's') {
    piece = arg.str();
  } else {
    arg.append_repr(piece);
  }
  if (c.has_precision) {
    auto cps = code_points(piece);
    size_t p = static_cast<size_t>(std::stoll(c.precision.empty() ? "0" : c.precision));
    piece = from_cps(cps, 0, p);
  }
  size_t w = c.width.empty() ? 0 : static_cast<size_t>(std::stoll(c.width));
  size_t len = utf8_length(piece);
  if (len < w) {
    if (c.flags.find('-') != std::string::npos)
      piece.append(w - len, ' ');
    else
      piece.insert(0, w - len, ' ');
  }
  return piece;
}

// %d %i %u %x %X %o.
std::string format_integer(const Conversion& c, const TValue& arg) {
  if (!arg.is_number()) {
    if ((c.type == 'd' || c.type == 'i' || c.type == 'u') && arg.is_string())
      throw TemplateError{"%d format: a real number is required, not str"};
    throw TemplateError{std::string("%") + c.type + " format: an integer is required, not " +
                        std::string(arg.type_name())};
  }
  int64_t v = arg.is_float() ? float_to_int(arg.as_float()) : arg.as_int();
  char type = (c.type == 'i' || c.type == 'u') ? 'd' : c.type;
  return c.printf((c.printf_spec() + "ll" + type).c_str(), static_cast<long long>(v));
}

// %f %F %e %E %g %G.
std::string format_real(const Conversion& c, const TValue& arg) {
  if (!arg.is_number())
    throw TemplateError{"must be real number, not " + std::string(arg.type_name())};
  return c.printf((c.printf_spec() + c.type).c_str(), arg.as_float());
}

std::string format_conversion(const Conversion& c, const TValue& arg) {
  switch (c.type) {
    case 's':
    case 'r':
    case 'a':
      return format_text(c, arg);
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
      return format_integer(c, arg);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      return format_real(c, arg);
    case 'c': {
      std::string piece;
      if (arg.is_string())
        piece = arg.as_string();
      else
        append_cp(piece, static_cast<int32_t>(arg.as_int()));
      return piece;
    }
    default:
      throw TemplateError{std::string("unsupported format character '") + c.type + "'"};
  }
}

// "%(key)s": the mapping's value for the key at fmt[*i] (on its '('),
// leaving *i past the ')'.
TValue read_keyed_argument(std::string_view fmt, size_t* i, const TValue* mapping) {
  size_t close = fmt.find(')', *i);
  if (close == std::string_view::npos) throw TemplateError{"incomplete format key"};
  if (!mapping) throw TemplateError{"format requires a mapping"};
  std::string key(fmt.substr(*i + 1, close - *i - 1));
  TValue arg = get_item(*mapping, TValue::string(key));
  if (arg.is_undefined()) throw TemplateError{"KeyError: '" + key + "'"};
  *i = close + 1;
  return arg;
}

}  // namespace

std::string percent_format(std::string_view fmt, const TValue& args, bool escape_args) {
  if (escape_args && !args.is_number())
    return percent_format(fmt, escaped_format_args(args), false);
  // A tuple gives the arguments in order; a mapping is one argument, or
  // the source of "%(key)s"; anything else is the one argument.
  std::vector<TValue> positional;
  const TValue* mapping = nullptr;
  if (args.is_tuple()) {
    positional = args.as_list();
  } else {
    if (is_mapping(args)) mapping = &args;
    positional.push_back(args);
  }
  size_t next = 0;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) throw TemplateError{"incomplete format"};
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    const bool keyed = fmt[i] == '(';
    TValue arg = keyed ? read_keyed_argument(fmt, &i, mapping) : TValue();
    Conversion c = read_conversion(fmt, &i);
    if (!keyed) {
      if (next >= positional.size()) throw TemplateError{"not enough arguments for format string"};
      arg = positional[next++];
    }
    out += format_conversion(c, arg);
  }
  if (!mapping && next < positional.size())
    throw TemplateError{"not all arguments converted during string formatting"};
  return out;
}

}  // namespace byline
