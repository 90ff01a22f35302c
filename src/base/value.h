// A dynamic value (null, bool, integer, float, string, list, ordered map) as
// front matter, data files and JSON contexts hold them. Each value remembers
// where in its source it was written, so later stages can point at it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace byline {

class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap };
  using List = std::vector<Value>;
  // Keys keep the order they were written in; lookups are linear, which is
  // fastest for the handful of keys front matter has.
  using Map = std::vector<std::pair<std::string, Value>>;

  Value() = default;
  static Value boolean(bool b) { return Value(b); }
  static Value integer(int64_t i) { return Value(i); }
  static Value number(double d) { return Value(d); }
  static Value string(std::string s) { return Value(std::move(s)); }
  static Value list(List l = {}) { return Value(std::move(l)); }
  static Value map(Map m = {}) { return Value(std::move(m)); }

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_float() const { return kind() == Kind::kFloat; }
  bool is_number() const { return is_int() || is_float(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }

  // Accessors require the matching kind.
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_float() const {
    return is_int() ? static_cast<double>(as_int()) : std::get<double>(data_);
  }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const List& as_list() const { return std::get<List>(data_); }
  List& as_list() { return std::get<List>(data_); }
  const Map& as_map() const { return std::get<Map>(data_); }
  Map& as_map() { return std::get<Map>(data_); }

  // Map lookup; nullptr when this is not a map or has no such key.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Appends (or replaces) a key in a map.
  void set(std::string key, Value v);

  // A short name of the kind for diagnostics: "a string", "a list", ...
  static const char* kind_name(Kind k);

  // Compact JSON (UTF-8 kept, control characters escaped, map order kept).
  std::string to_json() const;

  // Where the value was written (1-based; 0 when unknown).
  int line = 0;
  int column = 0;

 private:
  explicit Value(bool b) : data_(b) {}
  explicit Value(int64_t i) : data_(i) {}
  explicit Value(double d) : data_(d) {}
  explicit Value(std::string s) : data_(std::move(s)) {}
  explicit Value(List l) : data_(std::move(l)) {}
  explicit Value(Map m) : data_(std::move(m)) {}

  std::variant<std::monostate, bool, int64_t, double, std::string, List, Map> data_;
};

// Appends `s` to `out` as a JSON string literal (with quotes).
void append_json_string(std::string& out, std::string_view s);
// The same without the quotes: runs between the bytes that need escaping are
// copied whole.
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace byline
