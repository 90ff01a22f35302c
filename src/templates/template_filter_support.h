// What the built-in filter files share: Jinja2's argument conventions and
// conversions and its attribute getter, inline as when they were one file.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "templates/template_engine.h"
#include "templates/template_operations.h"
#include "templates/template_unicode.h"

namespace byline {

// Python's str.lower().
inline std::string lower_str(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_cp(s, [&](int32_t c) { append_cp(out, utf8proc_tolower(c)); });
  return out;
}

inline std::string text_of(const TValue& v) { return v.str(); }

// Keeps a template from asking for gigabytes (`center(10**9)`).
inline int64_t bounded(int64_t n, const char* what) {
  if (n > (int64_t{1} << 24)) throw TemplateError{std::string(what) + " is too large"};
  return n;
}

inline int64_t int_arg(const TValue& v, const char* what) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_float()) return float_to_int(v.as_float());
  throw TemplateError{std::string("'") + what + "' must be an integer, not " +
                      std::string(v.type_name())};
}

inline TValue::List to_list(const TValue& v) {
  Sequence seq(v);
  TValue::List out;
  out.reserve(seq.size());
  for (size_t i = 0; i < seq.size(); ++i) out.push_back(seq[i]);
  return out;
}

inline std::vector<std::pair<TValue, TValue>> mapping_items(const TValue& v) {
  std::vector<std::pair<TValue, TValue>> out;
  if (v.is_dict()) return v.as_dict();
  for (const TValue& k : v.object_type()->keys(v.object_self()))
    out.emplace_back(k, v.object_type()->item(v.object_self(), k));
  return out;
}

// Jinja2's make_attrgetter: "a.b.0" looks up item/attribute by parts.
struct AttrGetter {
  std::vector<std::vector<TValue>> paths;  // one per comma-separated attribute
  bool lower = false;
  TValue fallback;
  bool has_fallback = false;

  AttrGetter(const TValue& attribute, bool ignore_case, bool multi = false) : lower(ignore_case) {
    if (attribute.is_none() || attribute.is_undefined()) return;
    if (attribute.is_int()) {
      paths.push_back({attribute});
      return;
    }
    std::string spec = attribute.str();
    std::vector<std::string_view> specs;
    if (multi)
      specs = split(spec, ',');
    else
      specs.push_back(spec);
    for (std::string_view sp : specs) {
      std::vector<TValue> parts;
      for (std::string_view part : split(sp, '.')) {
        bool digits = !part.empty() && std::all_of(part.begin(), part.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
        if (digits)
          parts.push_back(TValue::integer(std::stoll(std::string(part))));
        else
          parts.push_back(TValue::string(std::string(part)));
      }
      paths.push_back(std::move(parts));
    }
  }
  bool active() const { return !paths.empty(); }

  TValue get_path(const TValue& item, const std::vector<TValue>& path) const {
    TValue v = item;
    for (const TValue& p : path) {
      if (v.is_undefined()) break;
      v = get_item(v, p);
    }
    if (v.is_undefined() && has_fallback) v = fallback;
    if (lower && v.is_string()) return TValue::string(lower_str(v.as_string()));
    return v;
  }
  TValue operator()(const TValue& item) const {
    if (paths.empty()) {
      if (lower && item.is_string()) return TValue::string(lower_str(item.as_string()));
      return item;
    }
    if (paths.size() == 1) return get_path(item, paths[0]);
    TValue::List keys;
    for (const auto& p : paths) keys.push_back(get_path(item, p));
    return TValue::list(std::move(keys));
  }
};

inline void sort_by(TValue::List& items, const AttrGetter& key, bool reverse) {
  std::vector<std::pair<TValue, size_t>> keyed;
  keyed.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) keyed.emplace_back(key(items[i]), i);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return reverse ? value_less(y.first, x.first) : value_less(x.first, y.first);
  });
  TValue::List out;
  out.reserve(items.size());
  for (const auto& [k, i] : keyed) out.push_back(items[i]);
  items = std::move(out);
}

// The filter files' registrations, called by register_builtin_filters().
void register_text_filters(TemplateEngine& e);
void register_sequence_filters(TemplateEngine& e);
void register_builtin_globals(TemplateEngine& e);

}  // namespace byline
