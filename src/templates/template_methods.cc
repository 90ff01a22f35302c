// Python's str, dict and list methods (see template_methods.h).
#include "templates/template_methods.h"

#include <cstdint>
#include <memory>

#include "base/strings.h"
#include "templates/template_engine.h"
#include "templates/template_filter_support.h"
#include "templates/template_operations.h"

namespace byline {
namespace {

const TValue kNone = TValue::none();

// Resolved once, when the method is bound, so calling it switches on a
// number instead of comparing its name against each method's.
enum class Method : uint8_t {
  // dict (and host mapping) methods
  kItems,
  kKeys,
  kValues,
  kGet,
  kDictCopy,
  kUpdate,  // the ones that change the dict from here on
  kDictPop,
  kSetdefault,
  kDictClear,
  kPopitem,
  // list (and host sequence) methods
  kListCopy,
  kListCount,
  kIndex,
  kAppend,  // the ones that change the list from here on
  kExtend,
  kInsert,
  kListPop,
  kRemove,
  kListClear,
  kReverse,
  kSort,
  // str methods
  kUpper,
  kLower,
  kStrip,
  kLstrip,
  kRstrip,
  kSplit,
  kStartswith,
  kEndswith,
  kReplace,
  kTitle,
  kCapitalize,
  kFind,
  kCount,
  kJoin,
  kFormat,
  kRsplit,
  kSplitlines,
};

struct MethodName {
  std::string_view name;
  Method method;
};

constexpr MethodName kDictMethods[] = {
    {"items", Method::kItems},     {"keys", Method::kKeys},
    {"values", Method::kValues},   {"get", Method::kGet},
    {"copy", Method::kDictCopy},   {"update", Method::kUpdate},
    {"pop", Method::kDictPop},     {"setdefault", Method::kSetdefault},
    {"clear", Method::kDictClear}, {"popitem", Method::kPopitem},
};

constexpr MethodName kListMethods[] = {
    {"copy", Method::kListCopy},   {"count", Method::kListCount}, {"index", Method::kIndex},
    {"append", Method::kAppend},   {"extend", Method::kExtend},   {"insert", Method::kInsert},
    {"pop", Method::kListPop},     {"remove", Method::kRemove},   {"clear", Method::kListClear},
    {"reverse", Method::kReverse}, {"sort", Method::kSort},
};

constexpr MethodName kStringMethods[] = {
    {"upper", Method::kUpper},           {"lower", Method::kLower},
    {"strip", Method::kStrip},           {"lstrip", Method::kLstrip},
    {"rstrip", Method::kRstrip},         {"split", Method::kSplit},
    {"startswith", Method::kStartswith}, {"endswith", Method::kEndswith},
    {"replace", Method::kReplace},       {"title", Method::kTitle},
    {"capitalize", Method::kCapitalize}, {"find", Method::kFind},
    {"count", Method::kCount},           {"join", Method::kJoin},
    {"format", Method::kFormat},         {"rsplit", Method::kRsplit},
    {"splitlines", Method::kSplitlines},
};

template <size_t N>
const MethodName* find_method(const MethodName (&table)[N], std::string_view name) {
  for (const MethodName& m : table)
    if (m.name == name) return &m;
  return nullptr;
}

// A Python method bound to a str or dict value (`name.upper()`).
class BoundMethod final : public Callable {
 public:
  BoundMethod(TValue self, const MethodName& method) : self_(std::move(self)), method_(method) {}
  std::string_view name() const override { return method_.name; }
  TValue call(RenderState& state, CallArgs& args) const override;

 private:
  TValue self_;
  const MethodName& method_;
};

// ---- dict methods, on dicts and host mappings ----

std::vector<TValue> mapping_keys(const TValue& self) {
  std::vector<TValue> keys;
  if (self.is_object()) return self.object_type()->keys(self.object_self());
  for (const auto& [k, v] : self.as_dict()) keys.push_back(k);
  return keys;
}

TValue mapping_value(const TValue& self, const TValue& key) {
  return self.is_object() ? self.object_type()->item(self.object_self(), key) : get_item(self, key);
}

TValue read_dict(Method method, const TValue& self, CallArgs& args) {
  std::vector<TValue> keys = mapping_keys(self);
  TValue::List out;
  switch (method) {
    case Method::kKeys:
      return TValue::list(keys);
    case Method::kItems:
      for (const TValue& k : keys) out.push_back(TValue::list({k, mapping_value(self, k)}, true));
      return TValue::list(std::move(out));
    case Method::kValues:
      for (const TValue& k : keys) out.push_back(mapping_value(self, k));
      return TValue::list(std::move(out));
    default: {  // kGet
      if (args.positional.empty() && args.keyword.empty())
        throw TemplateError{"get expected at least 1 argument, got 0"};
      const TValue& key = argument(args, 0, "key", kNone);
      for (const TValue& k : keys)
        if (values_equal(k, key)) return mapping_value(self, k);
      return argument(args, 1, "default", kNone);
    }
  }
}

// ---- changing lists and dicts in place ----

// Python's checks of a method's arguments, with its messages; `method`
// is qualified ("list.append").
void check_no_keywords(const CallArgs& a, std::string_view method) {
  if (!a.keyword.empty())
    throw TemplateError{std::string(method) + "() takes no keyword arguments"};
}
void check_argument_count(const CallArgs& a, std::string_view method, size_t want) {
  check_no_keywords(a, method);
  size_t n = a.positional.size();
  if (n == want) return;
  throw TemplateError{std::string(method) + "() takes " +
                      (want == 0 ? "no arguments" : "exactly one argument") + " (" +
                      std::to_string(n) + " given)"};
}
// "pop expected at most 1 argument, got 2": `name` unqualified.
void check_argument_range(const CallArgs& a, std::string_view qualified, size_t min, size_t max) {
  check_no_keywords(a, qualified);
  std::string_view name = qualified.substr(qualified.find('.') + 1);
  size_t n = a.positional.size();
  auto plural = [](size_t k) { return k == 1 ? " argument, got " : " arguments, got "; };
  if (n < min)
    throw TemplateError{std::string(name) + " expected " + (min == max ? "" : "at least ") +
                        std::to_string(min) + plural(min) + std::to_string(n)};
  if (n > max)
    throw TemplateError{std::string(name) + " expected " + (min == max ? "" : "at most ") +
                        std::to_string(max) + plural(max) + std::to_string(n)};
}
int64_t index_argument(const TValue& v) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  throw TemplateError{"'" + std::string(v.type_name()) +
                      "' object cannot be interpreted as an integer"};
}

// A list in place may grow this far: a loop over a list that appends to
// it would otherwise run until memory runs out (in Python too).
void check_growth(const TValue::List& items, size_t more) {
  check_list_size(uint64_t{items.size()} + more);
}

// Only a list or dict this render built may change (TValue::owner): not
// site data, a global, a literal's shared value, or, inside
// include_cached(), anything from the render around it.
[[noreturn]] void throw_read_only(const RenderState& state, const TValue& self,
                                  std::string_view copy) {
  std::string what = "'" + std::string(self.type_name()) + "'";
  if (!self.is_object()) what += " object";
  if (state.made_outside_cached_include(self.owner()))
    throw TemplateError{what + " was made outside include_cached() and is read-only inside it: " +
                        "copy it first with " + std::string(copy)};
  throw TemplateError{what + " is read-only: copy it first with " + std::string(copy)};
}
TValue::List& writable_list(const RenderState& state, const TValue& self) {
  if (self.is_list() && self.owner() == state.mutation_token()) return self.mutable_list();
  throw_read_only(state, self, "|list");
}
TValue::Dict& writable_dict(const RenderState& state, const TValue& self) {
  if (self.is_dict() && self.owner() == state.mutation_token()) return self.mutable_dict();
  throw_read_only(state, self, "dict(...)");
}

// dict.update's one positional argument: a mapping, or pairs.
TValue::Dict update_pairs(const TValue& other) {
  if (is_mapping(other)) return mapping_items(other);
  TValue::Dict pairs;
  Sequence seq(other);
  for (size_t i = 0; i < seq.size(); ++i) {
    TValue item = seq[i];
    const std::string where = "dictionary update sequence element #" + std::to_string(i);
    if (!item.is_list() && !item.is_string() && !item.is_object())
      throw TemplateError{"cannot convert " + where + " to a sequence"};
    Sequence pair(item);
    if (pair.size() != 2)
      throw TemplateError{where + " has length " + std::to_string(pair.size()) + "; 2 is required"};
    pairs.emplace_back(pair[0], pair[1]);
  }
  return pairs;
}

TValue dict_pop(TValue::Dict& d, CallArgs& args) {
  check_argument_range(args, "dict.pop", 1, 2);
  for (auto it = d.begin(); it != d.end(); ++it)
    if (values_equal(it->first, args.positional[0])) {
      TValue v = std::move(it->second);
      d.erase(it);
      return v;
    }
  if (args.positional.size() == 2) return args.positional[1];
  std::string key;
  args.positional[0].append_repr(key);
  throw TemplateError{"KeyError: " + key};
}

TValue dict_setdefault(TValue::Dict& d, CallArgs& args) {
  check_argument_range(args, "dict.setdefault", 1, 2);
  for (const auto& [k, v] : d)
    if (values_equal(k, args.positional[0])) return v;
  TValue def = args.positional.size() == 2 ? args.positional[1] : kNone;
  d.emplace_back(args.positional[0], def);
  return def;
}

// update, pop, setdefault, clear and popitem on a dict this render built.
TValue change_dict(const RenderState& state, Method method, const TValue& self, CallArgs& args) {
  TValue::Dict& d = writable_dict(state, self);
  switch (method) {
    case Method::kUpdate: {
      if (args.positional.size() > 1)
        throw TemplateError{"update expected at most 1 argument, got " +
                            std::to_string(args.positional.size())};
      // Read first: `d.update(d)` must not walk what it is changing.
      TValue::Dict add =
          args.positional.empty() ? TValue::Dict() : update_pairs(args.positional[0]);
      for (auto& [k, v] : args.keyword) add.emplace_back(TValue::string(k), v);
      for (auto& [k, v] : add) dict_assign(d, std::move(k), std::move(v));
      return kNone;
    }
    case Method::kDictPop:
      return dict_pop(d, args);
    case Method::kSetdefault:
      return dict_setdefault(d, args);
    case Method::kDictClear:
      check_argument_count(args, "dict.clear", 0);
      d.clear();
      return kNone;
    default: {  // kPopitem
      check_argument_count(args, "dict.popitem", 0);
      if (d.empty()) throw TemplateError{"KeyError: 'popitem(): dictionary is empty'"};
      auto [k, v] = std::move(d.back());
      d.pop_back();
      return TValue::list({std::move(k), std::move(v)}, true);
    }
  }
}

TValue call_dict_method(RenderState& state, Method method, const TValue& self, CallArgs& args) {
  if (method == Method::kDictCopy) {
    check_argument_count(args, "dict.copy", 0);
    return TValue::dict(mapping_items(self)).owned_by(state.mutation_token());
  }
  if (method >= Method::kUpdate) return change_dict(state, method, self, args);
  return read_dict(method, self, args);
}

// copy, count and index, which read any list or host sequence.
TValue read_list(RenderState& state, Method method, const TValue& self, CallArgs& args) {
  Sequence seq(self);
  if (method == Method::kListCopy) {
    check_argument_count(args, "list.copy", 0);
    return TValue::list(to_list(self)).owned_by(state.mutation_token());
  }
  if (method == Method::kListCount) {
    check_argument_count(args, "list.count", 1);
    int64_t n = 0;
    for (size_t i = 0; i < seq.size(); ++i) n += values_equal(seq[i], args.positional[0]);
    return TValue::integer(n);
  }
  check_argument_range(args, "list.index", 1, 3);  // index(x[, start[, stop]])
  const int64_t size = static_cast<int64_t>(seq.size());
  auto bound = [size](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + size : i, 0, size); };
  int64_t start = args.positional.size() > 1 ? bound(index_argument(args.positional[1])) : 0;
  int64_t stop = args.positional.size() > 2 ? bound(index_argument(args.positional[2])) : size;
  for (int64_t i = start; i < stop; ++i)
    if (values_equal(seq[static_cast<size_t>(i)], args.positional[0])) return TValue::integer(i);
  std::string repr;
  args.positional[0].append_repr(repr);
  throw TemplateError{repr + " is not in list"};
}

TValue list_insert(TValue::List& items, CallArgs& args) {
  check_argument_range(args, "list.insert", 2, 2);
  check_growth(items, 1);
  const int64_t size = static_cast<int64_t>(items.size());
  int64_t i = index_argument(args.positional[0]);
  i = std::clamp<int64_t>(i < 0 ? i + size : i, 0, size);
  items.insert(items.begin() + i, args.positional[1]);
  return kNone;
}

TValue list_pop(TValue::List& items, CallArgs& args) {
  check_argument_range(args, "list.pop", 0, 1);
  int64_t i = args.positional.empty() ? -1 : index_argument(args.positional[0]);
  if (items.empty()) throw TemplateError{"pop from empty list"};
  const int64_t size = static_cast<int64_t>(items.size());
  if (i < 0) i += size;
  if (i < 0 || i >= size) throw TemplateError{"pop index out of range"};
  TValue v = std::move(items[static_cast<size_t>(i)]);
  items.erase(items.begin() + i);
  return v;
}

// list.sort(*, key=None, reverse=False): stable, on keys computed once per
// item; a key function is any callable (a macro).
TValue list_sort(RenderState& state, TValue::List& items, CallArgs& args) {
  if (!args.positional.empty()) throw TemplateError{"sort() takes no positional arguments"};
  TValue key = kNone;
  bool reverse = false;
  for (const auto& [k, v] : args.keyword) {
    if (k == "key")
      key = v;
    else if (k == "reverse")
      reverse = v.truthy();
    else
      throw TemplateError{"'" + k + "' is an invalid keyword argument for sort()"};
  }
  // Sorted as a copy, put back at the end: a key function may change the list.
  std::vector<std::pair<TValue, TValue>> keyed;  // (key, item)
  keyed.reserve(items.size());
  for (const TValue& item : TValue::List(items)) {
    CallArgs one;
    one.positional.push_back(item);
    keyed.emplace_back(key.is_none() ? item : call_value(state, key, one), item);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [reverse](const auto& a, const auto& b) {
    return reverse ? value_less(b.first, a.first) : value_less(a.first, b.first);
  });
  items.clear();
  for (auto& [k, item] : keyed) items.push_back(std::move(item));
  return kNone;
}

// append, extend, insert, pop, remove, clear, reverse and sort on a list
// this render built.
TValue change_list(RenderState& state, Method method, const TValue& self, CallArgs& args) {
  TValue::List& items = writable_list(state, self);
  switch (method) {
    case Method::kAppend:
      check_argument_count(args, "list.append", 1);
      check_growth(items, 1);
      items.push_back(args.positional[0]);
      return kNone;
    case Method::kExtend: {
      check_argument_count(args, "list.extend", 1);
      TValue::List more = to_list(args.positional[0]);  // before: `l.extend(l)`
      check_growth(items, more.size());
      items.insert(items.end(), more.begin(), more.end());
      return kNone;
    }
    case Method::kInsert:
      return list_insert(items, args);
    case Method::kListPop:
      return list_pop(items, args);
    case Method::kRemove:
      check_argument_count(args, "list.remove", 1);
      for (auto it = items.begin(); it != items.end(); ++it)
        if (values_equal(*it, args.positional[0])) {
          items.erase(it);
          return kNone;
        }
      throw TemplateError{"list.remove(x): x not in list"};
    case Method::kListClear:
      check_argument_count(args, "list.clear", 0);
      items.clear();
      return kNone;
    case Method::kReverse:
      check_argument_count(args, "list.reverse", 0);
      std::reverse(items.begin(), items.end());
      return kNone;
    default:  // kSort
      return list_sort(state, items, args);
  }
}

TValue call_list_method(RenderState& state, Method method, const TValue& self, CallArgs& args) {
  if (method >= Method::kAppend) return change_list(state, method, self, args);
  return read_list(state, method, self, args);
}

// ---- str methods ----

TValue str_strip(Method method, const TValue& self, CallArgs& args) {
  std::string_view s = self.as_string();
  const TValue& chars = argument(args, 0, "chars", kNone);
  std::string_view set = chars.is_string() ? chars.as_string() : " \t\n\r\f\v";
  size_t b = 0, e = s.size();
  if (method != Method::kRstrip)
    while (b < e && set.find(s[b]) != std::string_view::npos) ++b;
  if (method != Method::kLstrip)
    while (e > b && set.find(s[e - 1]) != std::string_view::npos) --e;
  return TValue::string(std::string(s.substr(b, e - b)), self.is_safe());
}

TValue str_starts_or_ends_with(const MethodName& method, const TValue& self, CallArgs& args) {
  std::string_view s = self.as_string();
  const TValue& p = argument(args, 0, "prefix", kNone);
  if (!p.is_string()) throw TemplateError{std::string(method.name) + " first arg must be str"};
  return TValue::boolean(method.method == Method::kStartswith ? s.starts_with(p.as_string())
                                                              : s.ends_with(p.as_string()));
}

TValue str_replace(const TValue& self, CallArgs& args) {
  std::string r(self.as_string());
  const TValue& from = argument(args, 0, "old", kNone);
  const TValue& to = argument(args, 1, "new", kNone);
  if (!from.is_string() || !to.is_string()) throw TemplateError{"replace() arguments must be str"};
  std::string_view f = from.as_string(), t = to.as_string();
  if (f.empty()) return TValue::string(std::move(r), self.is_safe());
  // Counted first, so the result's size is checked before it is built,
  // and built in one pass (replacing in place would be quadratic).
  uint64_t n = 0;
  for (size_t p = r.find(f); p != std::string::npos; p = r.find(f, p + f.size())) ++n;
  if (n == 0) return TValue::string(std::move(r), self.is_safe());
  check_string_size(r.size() - n * f.size() + n * t.size());
  std::string out;
  out.reserve(r.size() - n * f.size() + n * t.size());
  size_t start = 0;
  for (size_t p = r.find(f); p != std::string::npos; p = r.find(f, start)) {
    out.append(r, start, p - start);
    out.append(t);
    start = p + f.size();
  }
  out.append(r, start, std::string::npos);
  return TValue::string(std::move(out), self.is_safe());
}

// find() counts code points, as Python's str does; count() is
// non-overlapping.
TValue str_find_or_count(Method method, const TValue& self, CallArgs& args) {
  std::string_view s = self.as_string();
  const TValue& sub = argument(args, 0, "sub", kNone);
  if (!sub.is_string()) throw TemplateError{"must be str"};
  if (method == Method::kFind) {
    size_t p = s.find(sub.as_string());
    return TValue::integer(
        p == std::string_view::npos ? -1 : static_cast<int64_t>(utf8_length(s.substr(0, p))));
  }
  if (sub.as_string().empty()) return TValue::integer(static_cast<int64_t>(utf8_length(s) + 1));
  int64_t n = 0;
  for (size_t p = s.find(sub.as_string()); p != std::string_view::npos;
       p = s.find(sub.as_string(), p + sub.as_string().size()))
    ++n;
  return TValue::integer(n);
}

// split() without a separator: runs of whitespace separate, and the ends'
// whitespace gives no empty parts.
TValue split_on_whitespace(std::string_view s, int64_t maxsplit) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  TValue::List parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && kSpace.find(s[i]) != std::string_view::npos) ++i;
    if (i >= s.size()) break;
    size_t j = i;
    if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit) {
      size_t e = s.size();
      while (e > i && kSpace.find(s[e - 1]) != std::string_view::npos) --e;
      check_list_size(parts.size() + 1);
      parts.push_back(TValue::string(std::string(s.substr(i, e - i))));
      break;
    }
    while (j < s.size() && kSpace.find(s[j]) == std::string_view::npos) ++j;
    check_list_size(parts.size() + 1);
    parts.push_back(TValue::string(std::string(s.substr(i, j - i))));
    i = j;
  }
  return TValue::list(std::move(parts));
}

// split(), and rsplit() too: Python's differ only when maxsplit stops the
// splitting, which here always counts from the left.
TValue str_split(const TValue& self, CallArgs& args) {
  std::string_view s = self.as_string();
  const TValue& sep = argument(args, 0, "sep", kNone);
  const TValue& maxv = argument(args, 1, "maxsplit", TValue::integer(-1));
  int64_t maxsplit = maxv.is_int() ? maxv.as_int() : -1;
  if (sep.is_none() || sep.is_undefined()) return split_on_whitespace(s, maxsplit);
  if (!sep.is_string() || sep.as_string().empty()) throw TemplateError{"empty separator"};
  std::string_view d = sep.as_string();
  TValue::List parts;
  size_t start = 0;
  while (true) {
    size_t p = s.find(d, start);
    if (p == std::string_view::npos ||
        (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit)) {
      parts.push_back(TValue::string(std::string(s.substr(start))));
      break;
    }
    check_list_size(parts.size() + 2);  // this part and the last
    parts.push_back(TValue::string(std::string(s.substr(start, p - start))));
    start = p + d.size();
  }
  return TValue::list(std::move(parts));
}

TValue str_splitlines(const TValue& self) {
  std::string_view s = self.as_string();
  TValue::List parts;
  // Line by line rather than through split(), whose vector of views would
  // be 16 bytes a line before any limit is checked.
  for (size_t start = 0;;) {
    size_t nl = s.find('\n', start);
    check_list_size(parts.size() + 1);
    parts.push_back(TValue::string(std::string(s.substr(start, nl - start))));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (!parts.empty() && s.ends_with('\n')) parts.pop_back();
  return TValue::list(std::move(parts));
}

TValue str_join(const TValue& self, CallArgs& args) {
  std::string_view s = self.as_string();
  Sequence seq(argument(args, 0, "iterable", kNone));
  std::string r;
  for (size_t i = 0; i < seq.size(); ++i) {
    if (i) r += s;
    TValue item = seq[i];
    if (!item.is_string())
      throw TemplateError{"sequence item " + std::to_string(i) + ": expected str instance, " +
                          std::string(item.type_name()) + " found"};
    check_string_size(r.size() + item.as_string().size());
    r += item.as_string();
  }
  return TValue::string(std::move(r));
}

TValue call_string_method(RenderState& state, const MethodName& method, const TValue& self,
                          CallArgs& args) {
  switch (method.method) {
    case Method::kUpper:
    case Method::kLower:
    case Method::kTitle:
    case Method::kCapitalize: {
      // The filters of the same name, which may be the host's.
      CallArgs filter_args;
      return state.apply_filter(method.name, self, filter_args);
    }
    case Method::kStrip:
    case Method::kLstrip:
    case Method::kRstrip:
      return str_strip(method.method, self, args);
    case Method::kStartswith:
    case Method::kEndswith:
      return str_starts_or_ends_with(method, self, args);
    case Method::kReplace:
      return str_replace(self, args);
    case Method::kFind:
    case Method::kCount:
      return str_find_or_count(method.method, self, args);
    // New lists, as in Python: the template may change them.
    case Method::kSplit:
    case Method::kRsplit:
      return str_split(self, args).owned_by(state.mutation_token());
    case Method::kSplitlines:
      return str_splitlines(self).owned_by(state.mutation_token());
    case Method::kJoin:
      return str_join(self, args);
    case Method::kFormat:
      throw TemplateError{"str.format is not supported; use the format filter"};
    default:
      break;
  }
  throw TemplateError{"'" + std::string(self.type_name()) + "' object has no attribute '" +
                      std::string(method.name) + "'"};
}

TValue BoundMethod::call(RenderState& state, CallArgs& args) const {
  if (method_.method < Method::kListCopy)
    return call_dict_method(state, method_.method, self_, args);
  if (method_.method < Method::kUpper) return call_list_method(state, method_.method, self_, args);
  return call_string_method(state, method_, self_, args);
}

}  // namespace

bool is_string_method(std::string_view name) {
  return find_method(kStringMethods, name) != nullptr;
}

bool is_dict_method(std::string_view name) { return find_method(kDictMethods, name) != nullptr; }

bool is_list_method(std::string_view name) { return find_method(kListMethods, name) != nullptr; }

bool changes_nothing(std::string_view name) {
  const MethodName* d = find_method(kDictMethods, name);
  const MethodName* l = find_method(kListMethods, name);
  return (d || l || is_string_method(name)) && (!d || d->method < Method::kUpdate) &&
         (!l || l->method < Method::kAppend);
}

TValue bind_method(const TValue& self, std::string_view name) {
  bool sequence = self.is_list() || (self.is_object() && !is_mapping(self));
  const MethodName* m = self.is_string() ? find_method(kStringMethods, name)
                        : sequence       ? find_method(kListMethods, name)
                                         : find_method(kDictMethods, name);
  if (!m)
    throw TemplateError{"'" + std::string(self.type_name()) + "' object has no attribute '" +
                        std::string(name) + "'"};
  return TValue::callable(std::make_shared<BoundMethod>(self, *m));
}

}  // namespace byline
