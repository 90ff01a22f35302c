// Jinja2's built-in filters and tests, with the semantics of Jinja2 3.1 /
// markupsafe 2.1 (argument names, defaults, what stays "safe"), written
// against TValue. This file registers them all and holds the filters on
// single values (default, numbers, tojson, attr) and the tests; the string
// and sequence filters and the global functions have files of their own.
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/strings.h"

#include "templates/template_engine.h"
#include "templates/template_filter_support.h"
#include "templates/template_operations.h"
#include "templates/template_unicode.h"

namespace byline {
namespace {

const TValue kNone = TValue::none();
const TValue kFalse = TValue::boolean(false);
const TValue kEmpty = TValue::string_ref("");

bool is_cased_lower(int32_t c) { return utf8proc_islower(c); }
bool is_cased_upper(int32_t c) { return utf8proc_isupper(c); }

// ---- filters ----

TValue f_default(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& def = argument(a, 0, "default_value", kEmpty);
  bool boolean = argument(a, 1, "boolean", kFalse).truthy();
  if (v.is_undefined() || (boolean && !v.truthy())) return def;
  return v;
}

TValue f_round(RenderState&, const TValue& v, CallArgs& a) {
  int64_t precision = int_arg(argument(a, 0, "precision", TValue::integer(0)), "precision");
  static const TValue kCommon = TValue::string_ref("common");
  std::string method = text_of(argument(a, 1, "method", kCommon));
  if (method != "common" && method != "ceil" && method != "floor")
    throw TemplateError{"method must be common, ceil or floor"};
  if (!v.is_number())
    throw TemplateError{"type " + std::string(v.type_name()) + " doesn't define __round__ method"};
  if (method == "common") {
    if (v.is_int() || v.is_bool()) return TValue::integer(v.as_int());
    // printf rounds the exact binary value half-to-even, as Python's round.
    if (precision >= 0 && precision < 300) {
      char buf[512];
      std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), v.as_float());
      return TValue::number(std::strtod(buf, nullptr));
    }
    double m = std::pow(10.0, static_cast<double>(precision));
    return TValue::number(std::nearbyint(v.as_float() * m) / m);
  }
  double m = std::pow(10.0, static_cast<double>(precision));
  double x = v.as_float() * m;
  return TValue::number((method == "ceil" ? std::ceil(x) : std::floor(x)) / m);
}

bool parse_python_int(std::string_view s, int base, int64_t* out) {
  std::string t;
  std::string_view tr = trim(s);
  bool last_us = true;
  for (char c : tr) {
    if (c == '_') {
      if (last_us) return false;
      last_us = true;
      continue;
    }
    last_us = false;
    t += c;
  }
  if (t.empty() || last_us) return false;
  size_t start = (t[0] == '+' || t[0] == '-') ? 1 : 0;
  if (base == 16 && t.size() > start + 2 && t[start] == '0' &&
      (t[start + 1] == 'x' || t[start + 1] == 'X'))
    t.erase(start, 2);
  if (t.size() == start) return false;
  char* end = nullptr;
  errno = 0;
  long long r = std::strtoll(t.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  *out = r;
  return true;
}

bool parse_python_float(std::string_view s, double* out) {
  std::string t(trim(s));
  t.erase(std::remove(t.begin(), t.end(), '_'), t.end());
  if (t.empty()) return false;
  std::string low = lower_str(t);
  std::string_view body = low;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body == "inf" || body == "infinity" || body == "nan") {
    *out = body == "nan" ? NAN : (low[0] == '-' ? -INFINITY : INFINITY);
    return true;
  }
  for (char c : body)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-')) return false;
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (*end != '\0') return false;
  *out = d;
  return true;
}

TValue f_int(RenderState&, const TValue& v, CallArgs& a) {
  static const TValue kZero = TValue::integer(0);
  const TValue& def = argument(a, 0, "default", kZero);
  int base = static_cast<int>(int_arg(argument(a, 1, "base", TValue::integer(10)), "base"));
  if (v.is_int() || v.is_bool()) return TValue::integer(v.as_int());
  if (v.is_float()) {
    if (!std::isfinite(v.as_float())) return def;
    return TValue::integer(float_to_int(v.as_float()));
  }
  if (v.is_string()) {
    int64_t i;
    if (parse_python_int(v.as_string(), base, &i)) return TValue::integer(i);
    double d;
    if (parse_python_float(v.as_string(), &d) && std::isfinite(d))
      return TValue::integer(float_to_int(d));
  }
  return def;
}

TValue f_float(RenderState&, const TValue& v, CallArgs& a) {
  static const TValue kZero = TValue::number(0.0);
  const TValue& def = argument(a, 0, "default", kZero);
  if (v.is_number()) return TValue::number(v.as_float());
  double d;
  if (v.is_string() && parse_python_float(v.as_string(), &d)) return TValue::number(d);
  return def;
}

TValue f_abs(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_int() || v.is_bool()) {
    if (v.as_int() == INT64_MIN)
      throw TemplateError{"integer overflow in 'abs': the result does not fit in 64 bits"};
    return TValue::integer(std::llabs(v.as_int()));
  }
  if (v.is_float()) return TValue::number(std::fabs(v.as_float()));
  throw TemplateError{"bad operand type for abs(): '" + std::string(v.type_name()) + "'"};
}

// One code point of a JSON string that cannot stand for itself, as
// Python's json.dumps (ensure_ascii) writes it.
void append_json_escape(std::string& out, int32_t c) {
  static const char* hex = "0123456789abcdef";
  auto u4 = [&](int32_t x) {
    out += "\\u";
    for (int sh = 12; sh >= 0; sh -= 4) out += hex[(x >> sh) & 15];
  };
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      break;
  }
  if (c < 0x20 || c > 0x7E) {
    if (c > 0xFFFF) {
      int32_t x = c - 0x10000;
      u4(0xD800 + (x >> 10));
      u4(0xDC00 + (x & 0x3FF));
    } else {
      u4(c);
    }
    return;
  }
  out += static_cast<char>(c);
}

void json_string(std::string& out, std::string_view s) {
  out += '"';
  // Printable ASCII other than '"' and '\\' stands for itself: copied a run
  // at a time; everything else goes a code point at a time, decoded as
  // for_each_cp decodes it (a run never splits a multi-byte sequence).
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_ssize_t run = i;
    while (i < n && p[i] >= 0x20 && p[i] <= 0x7E && p[i] != '"' && p[i] != '\\') ++i;
    out.append(s.data() + run, static_cast<size_t>(i - run));
    // Escapes grow the text up to six times ("\u0001"): the result is
    // checked as it grows, so it never passes the limit by much.
    check_string_size(out.size());
    if (i == n) break;
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) {
      cp = 0xFFFD;
      len = 1;
    }
    append_json_escape(out, cp);
    i += len;
  }
  out += '"';
}

void to_json(std::string& out, const TValue& v, int indent, int level);

// Before an item or a closing bracket when indenting.
void json_newline(std::string& out, int indent, int level) {
  if (indent < 0) return;
  uint64_t spaces = static_cast<uint64_t>(indent) * static_cast<uint64_t>(level);
  check_string_size(out.size() + 1 + spaces);
  out += '\n';
  out.append(spaces, ' ');
}

// Null, booleans, numbers and strings; false for anything else.
bool json_scalar(std::string& out, const TValue& v) {
  switch (v.kind()) {
    case TValue::Kind::kNone:
      out += "null";
      return true;
    case TValue::Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      return true;
    case TValue::Kind::kInt:
      v.append_str(out);
      return true;
    case TValue::Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d))
        out += "NaN";
      else if (std::isinf(d))
        out += d < 0 ? "-Infinity" : "Infinity";
      else
        append_python_float(out, d);
      return true;
    }
    case TValue::Kind::kString:
      json_string(out, v.as_string());
      return true;
    default:
      return false;
  }
}

// An object with its keys as strings, sorted (tojson's sort_keys=True).
void json_object(std::string& out, const TValue& v, int indent, int level) {
  auto items = mapping_items(v);
  std::vector<std::pair<std::string, TValue>> sorted;
  for (auto& [k, val] : items) {
    if (k.is_string())
      sorted.emplace_back(std::string(k.as_string()), val);
    else if (k.is_none())
      sorted.emplace_back("null", val);
    else if (k.is_number() || k.is_bool())
      sorted.emplace_back(k.is_bool() ? (k.as_bool() ? "true" : "false") : k.str(), val);
    else
      throw TemplateError{"keys must be str, int, float, bool or None, not " +
                          std::string(k.type_name())};
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  if (sorted.empty()) {
    out += "{}";
    return;
  }
  out += '{';
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i) out += indent < 0 ? ", " : ",";
    json_newline(out, indent, level + 1);
    json_string(out, sorted[i].first);
    out += ": ";
    to_json(out, sorted[i].second, indent, level + 1);
  }
  json_newline(out, indent, level);
  out += '}';
}

void json_array(std::string& out, const TValue& v, int indent, int level) {
  Sequence seq(v);
  if (seq.size() == 0) {
    out += "[]";
    return;
  }
  out += '[';
  for (size_t i = 0; i < seq.size(); ++i) {
    if (i) out += indent < 0 ? ", " : ",";
    json_newline(out, indent, level + 1);
    to_json(out, seq[i], indent, level + 1);
  }
  json_newline(out, indent, level);
  out += ']';
}

void to_json(std::string& out, const TValue& v, int indent, int level) {
  if (json_scalar(out, v)) return;
  ValueNestingGuard nesting;  // a list holding itself is too deep, as for Python's "circular"
  if (is_mapping(v)) return json_object(out, v, indent, level);
  if (v.is_list() || (v.is_object() && v.object_type()->is_sequence(v.object_self())))
    return json_array(out, v, indent, level);
  throw TemplateError{"Object of type " + std::string(v.type_name()) + " is not JSON serializable"};
}

TValue f_tojson(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& ind = argument(a, 0, "indent", kNone);
  int64_t width = ind.is_none() ? -1 : bounded(int_arg(ind, "indent"), "indent");
  int indent = width < 0 ? -1 : static_cast<int>(width);
  std::string json;
  to_json(json, v, indent, 0);
  // Most JSON has none of the characters to escape: then it is the result.
  uint64_t specials = 0;
  for (char c : json) specials += c == '<' || c == '>' || c == '&' || c == '\'';
  if (specials == 0) return TValue::safe(std::move(json));
  check_string_size(json.size() + 5 * specials);  // each becomes \u00XX
  std::string out;
  out.reserve(json.size() + 64);
  size_t run = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char* rep;
    switch (json[i]) {
      case '<':
        rep = "\\u003c";
        break;
      case '>':
        rep = "\\u003e";
        break;
      case '&':
        rep = "\\u0026";
        break;
      case '\'':
        rep = "\\u0027";
        break;
      default:
        continue;
    }
    out.append(json, run, i - run);
    out.append(rep, 6);
    run = i + 1;
  }
  out.append(json, run, std::string::npos);
  return TValue::safe(std::move(out));
}

TValue f_attr(RenderState&, const TValue& v, CallArgs& a) {
  // attr() is getattr only: dict keys are items, not attributes.
  std::string name = text_of(argument(a, 0, "name", kEmpty));
  bool json_map = v.is_object() && is_value_object_type(v.object_type());
  if ((v.is_dict() || json_map) && !v.is_namespace() && name != "items" && name != "keys" &&
      name != "values" && name != "get")
    return TValue::undefined("'dict object' has no attribute '" + name + "'");
  return get_attribute(v, name);
}

// ---- tests ----

bool t_defined(RenderState&, const TValue& v, CallArgs&) { return !v.is_undefined(); }
bool t_undefined(RenderState&, const TValue& v, CallArgs&) { return v.is_undefined(); }
bool t_none(RenderState&, const TValue& v, CallArgs&) { return v.is_none(); }
bool t_number(RenderState&, const TValue& v, CallArgs&) { return v.is_number(); }
bool t_string(RenderState&, const TValue& v, CallArgs&) { return v.is_string(); }
bool t_mapping(RenderState&, const TValue& v, CallArgs&) { return is_mapping(v); }
bool t_iterable(RenderState&, const TValue& v, CallArgs&) {
  return v.is_undefined() || v.is_string() || v.is_list() || v.is_dict() ||
         (v.is_object() && (v.object_type()->is_sequence(v.object_self()) ||
                            v.object_type()->is_mapping(v.object_self())));
}
bool t_sequence(RenderState&, const TValue& v, CallArgs&) {
  return v.is_string() || v.is_list() || v.is_dict() ||
         (v.is_object() && (v.object_type()->is_sequence(v.object_self()) ||
                            v.object_type()->is_mapping(v.object_self())));
}
int64_t int_operand(const TValue& v) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_float() && v.as_float() == std::floor(v.as_float())) return float_to_int(v.as_float());
  throw TemplateError{"not all arguments converted during string formatting"};
}
bool t_even(RenderState&, const TValue& v, CallArgs&) { return int_operand(v) % 2 == 0; }
bool t_odd(RenderState&, const TValue& v, CallArgs&) { return int_operand(v) % 2 != 0; }
bool t_divisibleby(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& n = argument(a, 0, "num", kNone);
  if (!n.is_number()) throw TemplateError{"divisibleby needs a number"};
  if (v.is_float() || n.is_float()) {
    if (n.as_float() == 0) throw TemplateError{"float modulo"};
    return std::fmod(v.as_float(), n.as_float()) == 0;
  }
  if (n.as_int() == 0) throw TemplateError{"integer division or modulo by zero"};
  if (!v.is_number()) throw TemplateError{"unsupported operand type(s) for %"};
  return v.as_int() % n.as_int() == 0;
}
bool t_in(RenderState&, const TValue& v, CallArgs& a) {
  return value_contains(argument(a, 0, "seq", kNone), v);
}
bool t_sameas(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  if (v.kind() != o.kind()) return false;
  switch (v.kind()) {
    case TValue::Kind::kNone:
    case TValue::Kind::kUndefined:
      return true;
    case TValue::Kind::kBool:
      return v.as_bool() == o.as_bool();
    case TValue::Kind::kInt:
      return v.as_int() == o.as_int() && v.as_int() >= -5 && v.as_int() <= 256;
    case TValue::Kind::kList:
      return &v.as_list() == &o.as_list();
    case TValue::Kind::kDict:
      return &v.as_dict() == &o.as_dict();
    case TValue::Kind::kObject:
      return v.object_type() == o.object_type() && v.object_self() == o.object_self();
    case TValue::Kind::kCallable:
      return &v.as_callable() == &o.as_callable();
    default:
      return false;
  }
}
bool t_eq(RenderState&, const TValue& v, CallArgs& a) {
  return values_equal(v, argument(a, 0, "other", kNone));
}
bool t_ne(RenderState&, const TValue& v, CallArgs& a) {
  return !values_equal(v, argument(a, 0, "other", kNone));
}
bool t_lt(RenderState&, const TValue& v, CallArgs& a) {
  return value_less(v, argument(a, 0, "other", kNone));
}
bool t_gt(RenderState&, const TValue& v, CallArgs& a) {
  return value_less(argument(a, 0, "other", kNone), v);
}
bool t_le(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  return value_less(v, o) || values_equal(v, o);
}
bool t_ge(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  return value_less(o, v) || values_equal(v, o);
}
bool t_true(RenderState&, const TValue& v, CallArgs&) { return v.is_bool() && v.as_bool(); }
bool t_false(RenderState&, const TValue& v, CallArgs&) { return v.is_bool() && !v.as_bool(); }
bool t_boolean(RenderState&, const TValue& v, CallArgs&) { return v.is_bool(); }
bool t_integer(RenderState&, const TValue& v, CallArgs&) { return v.is_int(); }
bool t_float(RenderState&, const TValue& v, CallArgs&) { return v.is_float(); }
bool t_lower(RenderState&, const TValue& v, CallArgs&) {
  bool cased = false, ok = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (is_cased_upper(c) || utf8proc_category(c) == UTF8PROC_CATEGORY_LT) ok = false;
    if (is_cased_lower(c)) cased = true;
  });
  return ok && cased;
}
bool t_upper(RenderState&, const TValue& v, CallArgs&) {
  bool cased = false, ok = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (is_cased_lower(c) || utf8proc_category(c) == UTF8PROC_CATEGORY_LT) ok = false;
    if (is_cased_upper(c)) cased = true;
  });
  return ok && cased;
}
bool t_callable(RenderState&, const TValue& v, CallArgs&) { return v.is_callable(); }
bool t_escaped(RenderState&, const TValue& v, CallArgs&) { return v.is_safe(); }
bool t_filter(RenderState& st, const TValue& v, CallArgs&) {
  return v.is_string() && st.engine().find_filter(v.as_string());
}
bool t_test(RenderState& st, const TValue& v, CallArgs&) {
  return v.is_string() && st.engine().find_test(v.as_string());
}

}  // namespace

void register_builtin_filters(TemplateEngine& e) {
  e.add_filter("default", f_default);
  e.add_filter("d", f_default);
  e.add_filter("round", f_round);
  e.add_filter("int", f_int);
  e.add_filter("float", f_float);
  e.add_filter("abs", f_abs);
  e.add_filter("tojson", f_tojson);
  e.add_filter("attr", f_attr);
  e.add_test("defined", t_defined);
  e.add_test("undefined", t_undefined);
  e.add_test("none", t_none);
  e.add_test("number", t_number);
  e.add_test("string", t_string);
  e.add_test("mapping", t_mapping);
  e.add_test("iterable", t_iterable);
  e.add_test("sequence", t_sequence);
  e.add_test("even", t_even);
  e.add_test("odd", t_odd);
  e.add_test("divisibleby", t_divisibleby);
  e.add_test("in", t_in);
  e.add_test("sameas", t_sameas);
  for (const char* n : {"eq", "equalto", "=="}) e.add_test(n, t_eq);
  for (const char* n : {"ne", "!="}) e.add_test(n, t_ne);
  for (const char* n : {"lt", "lessthan", "<"}) e.add_test(n, t_lt);
  for (const char* n : {"le", "<="}) e.add_test(n, t_le);
  for (const char* n : {"gt", "greaterthan", ">"}) e.add_test(n, t_gt);
  for (const char* n : {"ge", ">="}) e.add_test(n, t_ge);
  e.add_test("true", t_true);
  e.add_test("false", t_false);
  e.add_test("boolean", t_boolean);
  e.add_test("integer", t_integer);
  e.add_test("float", t_float);
  e.add_test("lower", t_lower);
  e.add_test("upper", t_upper);
  e.add_test("callable", t_callable);
  e.add_test("escaped", t_escaped);
  e.add_test("filter", t_filter);
  e.add_test("test", t_test);
  register_text_filters(e);
  register_sequence_filters(e);
  register_builtin_globals(e);
}

}  // namespace byline
