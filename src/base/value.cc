// Value lookups and JSON output.
#include "base/value.h"

#include <cmath>
#include <cstdio>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace byline {

const Value* Value::find(std::string_view key) const {
  if (!is_map()) return nullptr;
  for (const auto& [k, v] : as_map())
    if (k == key) return &v;
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

void Value::set(std::string key, Value v) {
  if (!is_map()) data_ = Map{};
  if (Value* existing = find(key)) {
    *existing = std::move(v);
    return;
  }
  as_map().emplace_back(std::move(key), std::move(v));
}

const char* Value::kind_name(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "a boolean";
    case Kind::kInt:
      return "an integer";
    case Kind::kFloat:
      return "a number";
    case Kind::kString:
      return "a string";
    case Kind::kList:
      return "a list";
    case Kind::kMap:
      return "a table";
  }
  return "a value";
}

namespace {

// The next byte a JSON string must escape: a control character, '"' or
// '\\'; sixteen bytes at a time where SSE2 is there.
const char* next_json_special(const char* p, const char* end) {
#ifdef __SSE2__
  const __m128i c1f = _mm_set1_epi8(0x1F);
  const __m128i quot = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f);
    m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, quot), _mm_cmpeq_epi8(x, bs)));
    unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(m));
    if (bits) return p + __builtin_ctz(bits);
    p += 16;
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) >= 0x20 && *p != '"' && *p != '\\') ++p;
  return p;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* run = p;
    p = next_json_special(p, end);
    out.append(run, static_cast<size_t>(p - run));
    if (p == end) break;
    unsigned char u = static_cast<unsigned char>(*p++);
    switch (u) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char esc[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        out.append(esc, sizeof esc);
      }
    }
  }
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

static void append_json(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      break;
    case Value::Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Value::Kind::kInt:
      out += std::to_string(v.as_int());
      break;
    case Value::Kind::kFloat: {
      double d = v.as_float();
      if (!std::isfinite(d)) {
        out += "null";
        break;
      }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      out += buf;
      break;
    }
    case Value::Kind::kString:
      append_json_string(out, v.as_string());
      break;
    case Value::Kind::kList: {
      out += '[';
      bool first = true;
      for (const Value& e : v.as_list()) {
        if (!first) out += ',';
        first = false;
        append_json(out, e);
      }
      out += ']';
      break;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.as_map()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        append_json(out, e);
      }
      out += '}';
      break;
    }
  }
}

std::string Value::to_json() const {
  std::string out;
  append_json(out, *this);
  return out;
}

}  // namespace byline
