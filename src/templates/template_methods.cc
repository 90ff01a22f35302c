// Python's str and dict methods (see template_methods.h).
#include "templates/template_methods.h"

#include <cstdint>
#include <memory>

#include "base/strings.h"
#include "templates/template_engine.h"
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
    {"items", Method::kItems},
    {"keys", Method::kKeys},
    {"values", Method::kValues},
    {"get", Method::kGet},
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

TValue call_dict_method(Method method, const TValue& self, CallArgs& args) {
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
      const TValue& key = argument(args, 0, "key", kNone);
      for (const TValue& k : keys)
        if (values_equal(k, key)) return mapping_value(self, k);
      return argument(args, 1, "default", kNone);
    }
  }
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
  if (!from.as_string().empty()) replace_all(r, from.as_string(), to.as_string());
  return TValue::string(std::move(r), self.is_safe());
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
      parts.push_back(TValue::string(std::string(s.substr(i, e - i))));
      break;
    }
    while (j < s.size() && kSpace.find(s[j]) == std::string_view::npos) ++j;
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
    parts.push_back(TValue::string(std::string(s.substr(start, p - start))));
    start = p + d.size();
  }
  return TValue::list(std::move(parts));
}

TValue str_splitlines(const TValue& self) {
  std::string_view s = self.as_string();
  TValue::List parts;
  for (std::string_view line : split(s, '\n')) parts.push_back(TValue::string(std::string(line)));
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
    case Method::kSplit:
    case Method::kRsplit:
      return str_split(self, args);
    case Method::kSplitlines:
      return str_splitlines(self);
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
  switch (method_.method) {
    case Method::kItems:
    case Method::kKeys:
    case Method::kValues:
    case Method::kGet:
      return call_dict_method(method_.method, self_, args);
    default:
      return call_string_method(state, method_, self_, args);
  }
}

}  // namespace

bool is_string_method(std::string_view name) {
  return find_method(kStringMethods, name) != nullptr;
}

bool is_dict_method(std::string_view name) { return find_method(kDictMethods, name) != nullptr; }

TValue bind_method(const TValue& self, std::string_view name) {
  const MethodName* m =
      self.is_string() ? find_method(kStringMethods, name) : find_method(kDictMethods, name);
  if (!m)
    throw TemplateError{"'" + std::string(self.type_name()) + "' object has no attribute '" +
                        std::string(name) + "'"};
  return TValue::callable(std::make_shared<BoundMethod>(self, *m));
}

}  // namespace byline
