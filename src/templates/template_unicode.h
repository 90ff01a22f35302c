// UTF-8 text as Python's str sees it, a code point at a time, for the filters,
// slicing and `%` formatting; inline, since they run once per character.
#pragma once

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"

namespace byline {

// The one UTF-8 walk: f(code point, byte offset, byte length) for each code
// point, an invalid byte read as U+FFFD of length 1, until f returns false.
template <typename F>
void walk_cps(std::string_view s, F f) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t n = static_cast<utf8proc_ssize_t>(s.size());
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp = p[i];  // ASCII: what utf8proc_iterate would return
    utf8proc_ssize_t len = 1;
    if (p[i] >= 0x80) {
      len = utf8proc_iterate(p + i, n - i, &cp);
      if (len <= 0) {
        cp = 0xFFFD;
        len = 1;
      }
    }
    if (!f(static_cast<int32_t>(cp), static_cast<size_t>(i), static_cast<size_t>(len))) return;
    i += len;
  }
}

template <typename F>
void for_each_cp(std::string_view s, F f) {
  walk_cps(s, [&](int32_t c, size_t, size_t) {
    f(c);
    return true;
  });
}

// for_each_cp that stops when f returns false.
template <typename F>
void for_each_cp_until(std::string_view s, F f) {
  walk_cps(s, [&](int32_t c, size_t, size_t) { return f(c); });
}

inline void append_cp(std::string& out, utf8proc_int32_t cp) {
  append_utf8(out, static_cast<uint32_t>(cp));
}

inline std::vector<int32_t> code_points(std::string_view s) {
  std::vector<int32_t> v;
  for_each_cp(s, [&](int32_t c) { v.push_back(c); });
  return v;
}

inline std::string from_cps(const std::vector<int32_t>& v, size_t b = 0,
                            size_t e = std::string::npos) {
  std::string s;
  e = std::min(e, v.size());
  for (size_t i = b; i < e; ++i) append_cp(s, v[i]);
  return s;
}

}  // namespace byline
