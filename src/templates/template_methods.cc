#include "templates/template_methods.h"

#include "base/strings.h"
#include "templates/template_engine.h"
#include "templates/template_operations.h"

namespace byline {
namespace {

// A Python method bound to a str, list or dict value (`name.upper()`).
class BoundMethod final : public Callable {
 public:
  BoundMethod(TValue self, std::string name) : self_(std::move(self)), name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  TValue call(RenderState& state, CallArgs& args) const override;

 private:
  TValue self_;
  std::string name_;
};

TValue BoundMethod::call(RenderState& state, CallArgs& args) const {
  const TValue& self = self_;
  static const TValue kNone = TValue::none();
  if (self.is_dict() || self.is_object()) {
    bool is_obj = self.is_object();
    std::vector<TValue> keys;
    if (is_obj) {
      keys = self.object_type()->keys(self.object_self());
    } else {
      for (const auto& [k, v] : self.as_dict()) keys.push_back(k);
    }
    auto value_of = [&](const TValue& k) {
      return is_obj ? self.object_type()->item(self.object_self(), k) : get_item(self, k);
    };
    if (name_ == "keys") return TValue::list(keys);
    TValue::List out;
    if (name_ == "items") {
      for (const TValue& k : keys) out.push_back(TValue::list({k, value_of(k)}, true));
      return TValue::list(std::move(out));
    }
    if (name_ == "values") {
      for (const TValue& k : keys) out.push_back(value_of(k));
      return TValue::list(std::move(out));
    }
    if (name_ == "get") {
      const TValue& key = argument(args, 0, "key", kNone);
      for (const TValue& k : keys)
        if (values_equal(k, key)) return value_of(k);
      return argument(args, 1, "default", kNone);
    }
  }
  if (self.is_string()) {
    CallArgs filter_args;
    if (name_ == "upper" || name_ == "lower" || name_ == "title" || name_ == "capitalize")
      return state.apply_filter(name_, self, filter_args);
    std::string_view s = self.as_string();
    if (name_ == "strip" || name_ == "lstrip" || name_ == "rstrip") {
      const TValue& chars = argument(args, 0, "chars", kNone);
      std::string_view set = chars.is_string() ? chars.as_string() : " \t\n\r\f\v";
      size_t b = 0, e = s.size();
      if (name_ != "rstrip")
        while (b < e && set.find(s[b]) != std::string_view::npos) ++b;
      if (name_ != "lstrip")
        while (e > b && set.find(s[e - 1]) != std::string_view::npos) --e;
      return TValue::string(std::string(s.substr(b, e - b)), self.is_safe());
    }
    if (name_ == "startswith" || name_ == "endswith") {
      const TValue& p = argument(args, 0, "prefix", kNone);
      if (!p.is_string()) throw TemplateError{name_ + " first arg must be str"};
      return TValue::boolean(name_ == "startswith" ? s.starts_with(p.as_string())
                                                   : s.ends_with(p.as_string()));
    }
    if (name_ == "replace") {
      std::string r(s);
      const TValue& from = argument(args, 0, "old", kNone);
      const TValue& to = argument(args, 1, "new", kNone);
      if (!from.is_string() || !to.is_string())
        throw TemplateError{"replace() arguments must be str"};
      if (!from.as_string().empty()) replace_all(r, from.as_string(), to.as_string());
      return TValue::string(std::move(r), self.is_safe());
    }
    if (name_ == "find" || name_ == "count") {
      const TValue& sub = argument(args, 0, "sub", kNone);
      if (!sub.is_string()) throw TemplateError{"must be str"};
      if (name_ == "find") {
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
    if (name_ == "split" || name_ == "rsplit") {
      const TValue& sep = argument(args, 0, "sep", kNone);
      const TValue& maxv = argument(args, 1, "maxsplit", TValue::integer(-1));
      int64_t maxsplit = maxv.is_int() ? maxv.as_int() : -1;
      TValue::List parts;
      if (sep.is_none() || sep.is_undefined()) {
        size_t i = 0;
        while (i < s.size()) {
          while (i < s.size() &&
                 std::string_view(" \t\n\r\f\v").find(s[i]) != std::string_view::npos)
            ++i;
          if (i >= s.size()) break;
          size_t j = i;
          if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit) {
            size_t e = s.size();
            while (e > i &&
                   std::string_view(" \t\n\r\f\v").find(s[e - 1]) != std::string_view::npos)
              --e;
            parts.push_back(TValue::string(std::string(s.substr(i, e - i))));
            break;
          }
          while (j < s.size() &&
                 std::string_view(" \t\n\r\f\v").find(s[j]) == std::string_view::npos)
            ++j;
          parts.push_back(TValue::string(std::string(s.substr(i, j - i))));
          i = j;
        }
        return TValue::list(std::move(parts));
      }
      if (!sep.is_string() || sep.as_string().empty()) throw TemplateError{"empty separator"};
      std::string_view d = sep.as_string();
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
    if (name_ == "splitlines") {
      TValue::List parts;
      for (std::string_view line : split(s, '\n'))
        parts.push_back(TValue::string(std::string(line)));
      if (!parts.empty() && s.ends_with('\n')) parts.pop_back();
      return TValue::list(std::move(parts));
    }
    if (name_ == "join") {
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
    if (name_ == "format") {
      throw TemplateError{"str.format is not supported; use the format filter"};
    }
  }
  throw TemplateError{"'" + std::string(self.type_name()) + "' object has no attribute '" + name_ +
                      "'"};
}

}  // namespace

bool is_string_method(std::string_view n) {
  static const char* names[] = {"upper",      "lower",      "strip",    "lstrip",  "rstrip",
                                "split",      "startswith", "endswith", "replace", "title",
                                "capitalize", "find",       "count",    "join",    "format",
                                "rsplit",     "splitlines"};
  for (const char* m : names)
    if (n == m) return true;
  return false;
}
bool is_dict_method(std::string_view n) {
  return n == "items" || n == "keys" || n == "values" || n == "get";
}

TValue bind_method(const TValue& self, std::string_view name) {
  return TValue::callable(std::make_shared<BoundMethod>(self, std::string(name)));
}

}  // namespace byline
