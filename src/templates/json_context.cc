// JSON to Value through nlohmann-json's SAX interface, so values get their
// source positions and objects keep their key order.
#include "templates/json_context.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace byline {
namespace {

class ValueBuilder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  ValueBuilder(std::string_view text, Value* root) : text_(text), root_(root) {}

  bool null() override { return add(Value()); }
  bool boolean(bool b) override { return add(Value::boolean(b)); }
  bool number_integer(number_integer_t i) override { return add(Value::integer(i)); }
  bool number_unsigned(number_unsigned_t u) override {
    if (u > static_cast<number_unsigned_t>(INT64_MAX))
      return add(Value::number(static_cast<double>(u)));
    return add(Value::integer(static_cast<int64_t>(u)));
  }
  bool number_float(number_float_t f, const string_t&) override { return add(Value::number(f)); }
  bool string(string_t& s) override { return add(Value::string(std::move(s))); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    add(Value::map());
    stack_.push_back(current_);
    return true;
  }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    add(Value::list());
    stack_.push_back(current_);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error_offset_ = position > 0 ? position - 1 : 0;
    error_ = ex.what();
    // nlohmann prefixes messages with "[json.exception.parse_error.101] parse error at line..".
    size_t p = error_.find("]: ");
    if (p == std::string::npos) p = error_.find("] ");
    size_t colon = error_.find(": ", p == std::string::npos ? 0 : p + 2);
    if (colon != std::string::npos) error_ = error_.substr(colon + 2);
    return false;
  }

  size_t error_offset_ = 0;
  std::string error_;

 private:
  bool add(Value v) {
    if (stack_.empty()) {
      *root_ = std::move(v);
      current_ = root_;
      return true;
    }
    Value* parent = stack_.back();
    if (parent->is_list()) {
      parent->as_list().push_back(std::move(v));
      current_ = &parent->as_list().back();
    } else {
      parent->set(key_, std::move(v));
      current_ = parent->find(key_);
    }
    return true;
  }

  std::string_view text_;
  Value* root_;
  Value* current_ = nullptr;
  std::vector<Value*> stack_;
  std::string key_;
};

// Where `text` first opens an array or object more than kMaxJsonDepth
// deep, or npos. Checked before parsing: a value nested that deep would
// outrun the stack of whatever walks it recursively (down to its
// destructor). Strings are skipped; anything else malformed is left to the
// parser to report.
size_t too_deep_at(std::string_view text) {
  size_t depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool parse_json_value(std::string_view text, const std::string& path, Value* out,
                      Diagnostic* error) {
  if (size_t at = too_deep_at(text); at != std::string_view::npos) {
    if (error) {
      error->severity = Severity::kError;
      error->location.path = path;
      line_and_column(text, at, &error->location.line, &error->location.column);
      error->message = "JSON nested too deeply (more than " + std::to_string(kMaxJsonDepth) +
                       " arrays and objects)";
      error->source_line = std::string(line_of(text, error->location.line));
    }
    return false;
  }
  ValueBuilder builder(text, out);
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (ok) return true;
  if (error) {
    error->severity = Severity::kError;
    error->location.path = path;
    line_and_column(text, std::min(builder.error_offset_, text.size()), &error->location.line,
                    &error->location.column);
    error->message = "invalid JSON: " + builder.error_;
    error->source_line = std::string(line_of(text, error->location.line));
  }
  return false;
}

bool load_json_file(const std::string& path, Value* out, Diagnostic* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) {
      error->location.path = path;
      error->message = "cannot read file";
    }
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_json_value(ss.str(), path, out, error);
}

}  // namespace byline
