// Decoding YAML front matter from libyaml events straight into Values: one
// pass, no document tree, scalars resolved by YAML 1.2's core schema.
#include "frontmatter/yaml_front_matter.h"

#include <yaml.h>

#include <charconv>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace byline {

namespace {

// Nested aliases expand exponentially ("billion laughs"): a few lines can ask
// for billions of copies. Front matter needing more copies than this is
// refused instead of exhausting memory.
constexpr size_t kMaxAliasValues = 100000;
// Counting values is not enough: one alias of a 1 MiB string copies 1 MiB,
// and 5,000 of them in a 1 MB file asked for 5 GB. The copies aliases make
// are also budgeted by size: their text plus the memory each value takes.
constexpr size_t kMaxAliasBytes = size_t{16} << 20;
constexpr size_t kValueBytes = sizeof(Value);

// Values are freed and printed recursively; no real front matter comes near
// this depth, while "[[[[..." in a broken file could overflow the stack.
constexpr size_t kMaxDepth = 256;

constexpr size_t kNoEntry = static_cast<size_t>(-1);
constexpr int kMergedLine = -1;

// Maps libyaml marks to file positions. libyaml counts code points and also
// breaks lines at U+0085, U+2028 and U+2029, while diagnostics count lines at
// '\n' only, so positions are recomputed from the mark's code point index.
class BlockCursor {
 public:
  explicit BlockCursor(const FrontMatterBlock& block)
      : text_(block.text), first_line_(block.first_line) {}

  // Marks arrive almost always in increasing order, so walking on from the
  // previous one keeps the total work linear in the block's size.
  void locate(size_t index, int* line, int* column) {
    if (index < index_) reset();
    while (index_ < index && byte_ < text_.size()) step();
    *line = first_line_ + line_;
    *column = col_ + 1;
  }
  void locate(const yaml_mark_t& mark, int* line, int* column) { locate(mark.index, line, column); }
  // Reader errors give a byte offset instead of a mark.
  void locate_byte(size_t offset, int* line, int* column) {
    if (offset < byte_) reset();
    while (byte_ < offset && byte_ < text_.size()) step();
    *line = first_line_ + line_;
    *column = col_ + 1;
  }
  bool at_end() const { return byte_ >= text_.size(); }
  // The byte at the last located position ('\0' at the end).
  char current() const { return at_end() ? '\0' : text_[byte_]; }

 private:
  void reset() {
    index_ = byte_ = 0;
    line_ = col_ = 0;
  }
  void step() {
    unsigned char c = static_cast<unsigned char>(text_[byte_]);
    if (c == '\n') {
      ++line_;
      col_ = 0;
      ++byte_;
    } else {
      ++col_;
      byte_ += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    ++index_;
  }

  std::string_view text_;
  int first_line_;
  size_t index_ = 0, byte_ = 0;
  int line_ = 0, col_ = 0;
};

bool all_of_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 8 ? (c >= '0' && c <= '7')
              : base == 10
                  ? (c >= '0' && c <= '9')
                  : ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    if (!ok) return false;
  }
  return true;
}

// Matches the core schema's float form without sign:
// ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?
bool is_float_text(std::string_view s) {
  size_t i = 0, n = s.size();
  size_t int_digits = 0, frac_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == n;
}

// Integers too large for int64 and floats out of double range stay strings,
// so nothing the writer typed is silently changed.
Value resolve_number(std::string_view s) {
  std::string_view digits = s;
  bool negative = false;
  if (digits[0] == '+' || digits[0] == '-') {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  const bool signed_text = digits.size() != s.size();
  if (digits == ".inf" || digits == ".Inf" || digits == ".INF")
    return Value::number(negative ? -std::numeric_limits<double>::infinity()
                                  : std::numeric_limits<double>::infinity());
  if (!signed_text && (digits == ".nan" || digits == ".NaN" || digits == ".NAN"))
    return Value::number(std::numeric_limits<double>::quiet_NaN());

  int base = 0;
  if (!signed_text && digits.size() > 2 && digits[0] == '0' && digits[1] == 'x') {
    base = 16;
  } else if (!signed_text && digits.size() > 2 && digits[0] == '0' && digits[1] == 'o') {
    base = 8;
  }
  if (base != 0) {
    std::string_view body = digits.substr(2);
    if (all_of_digits(body, base)) {
      int64_t i = 0;
      auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), i, base);
      if (ec == std::errc() && end == body.data() + body.size()) return Value::integer(i);
    }
    return Value::string(std::string(s));
  }
  if (all_of_digits(digits, 10)) {
    // from_chars takes '-' but not '+'; parsing with the '-' keeps INT64_MIN.
    std::string_view t = negative ? s : digits;
    int64_t i = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), i);
    if (ec == std::errc() && end == t.data() + t.size()) return Value::integer(i);
    return Value::string(std::string(s));
  }
  if (is_float_text(digits)) {
    double d = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
    if (ec == std::errc() && end == digits.data() + digits.size())
      return Value::number(negative ? -d : d);
  }
  return Value::string(std::string(s));
}

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
Value resolve_plain_scalar(std::string_view s) {
  if (s.empty()) return Value();
  switch (s[0]) {
    case '~':
      if (s.size() == 1) return Value();
      break;
    case 'n':
    case 'N':
      if (s == "null" || s == "Null" || s == "NULL") return Value();
      break;
    case 't':
    case 'T':
      if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
      break;
    case 'f':
    case 'F':
      if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
      break;
    case '+':
    case '-':
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      return resolve_number(s);
    default:
      break;
  }
  return Value::string(std::string(s));
}

const char* yaml_kind_name(Value::Kind kind) {
  return kind == Value::Kind::kMap ? "a mapping" : Value::kind_name(kind);
}

std::string_view as_view(const yaml_char_t* s, size_t length) {
  return {reinterpret_cast<const char*>(s), length};
}
std::string_view as_view(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

class YamlDecoder {
 public:
  YamlDecoder(const FrontMatterBlock& block, Value* fields, DiagnosticSink& sink,
              bool root_list_allowed = false)
      : block_(block),
        fields_(fields),
        sink_(sink),
        cursor_(block),
        root_list_allowed_(root_list_allowed) {}

  bool run();

 private:
  // A list or map whose end event has not come yet.
  struct Frame {
    Value value;
    std::string anchor;          // registered when the collection ends
    size_t values = 1;           // values in this subtree, for the alias budget
    size_t bytes = kValueBytes;  // and their size (keys and text included)
    // Maps only: the key waiting for its value.
    bool has_key = false;
    bool discard = false;       // the pending key is a duplicate: drop its value
    bool merge = false;         // the pending key is `<<`: merge the value's entries
    size_t replace = kNoEntry;  // the pending key overrides this merged entry
    std::string key;
    int key_line = 0;
    // The line of each entry's key; kMergedLine for entries merged by `<<`,
    // which a key written in the map itself overrides.
    std::vector<int> key_lines;
    // Entry index by key, built once a map is big enough that linear duplicate
    // checks would add up.
    std::unique_ptr<std::unordered_map<std::string, size_t>> key_index;
  };
  struct Anchor {
    Value value;
    size_t values = 1;
    size_t bytes = kValueBytes;
    bool is_scalar = false;
    std::string text;  // a scalar's text as written, for use as a key
  };

  bool handle(const yaml_event_t& event, bool* done);
  bool begin_collection(const yaml_event_t& event, bool is_map);
  bool end_collection();
  bool take_scalar(const yaml_event_t& event);
  bool take_alias(const yaml_event_t& event);
  bool take_key(std::string key, int line, int column, bool merge = false);
  bool deliver(Value v, size_t values, size_t bytes);
  bool charge_alias(size_t values, size_t bytes, int line, int column);
  bool merge_into(Frame& f, Value v);
  static size_t find_entry(const Frame& f, const std::string& key);
  static void add_entry(Frame& f, std::string key, Value v, int key_line);
  bool expecting_key() const {
    return !stack_.empty() && stack_.back().value.is_map() && !stack_.back().has_key;
  }
  void report_syntax_error(const yaml_parser_t& parser);
  void error(int line, int column, std::string message) {
    block_.error(sink_, line, column, std::move(message));
  }

  const FrontMatterBlock& block_;
  Value* fields_;
  DiagnosticSink& sink_;
  BlockCursor cursor_;
  bool root_list_allowed_ = false;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchor> anchors_;
  size_t alias_values_ = 0;
  size_t alias_bytes_ = 0;
  int documents_ = 0;
  bool failed_ = false;  // an error that still let decoding go on
};

bool YamlDecoder::run() {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    error(block_.first_line - 1, 1, "out of memory while reading YAML front matter");
    return false;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(block_.text.data()),
                               block_.text.size());
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = true;
  bool done = false;
  while (ok && !done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      report_syntax_error(parser);
      ok = false;
      break;
    }
    ok = handle(event, &done);
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return ok && !failed_;
}

bool YamlDecoder::handle(const yaml_event_t& event, bool* done) {
  switch (event.type) {
    case YAML_DOCUMENT_START_EVENT:
      if (++documents_ > 1) {
        int line, column;
        cursor_.locate(event.start_mark, &line, &column);
        error(line, column, "front matter must be one YAML document (a second one starts here)");
        return false;
      }
      return true;
    case YAML_STREAM_END_EVENT:
      *done = true;
      return true;
    case YAML_SCALAR_EVENT:
      return take_scalar(event);
    case YAML_ALIAS_EVENT:
      return take_alias(event);
    case YAML_SEQUENCE_START_EVENT:
      return begin_collection(event, false);
    case YAML_MAPPING_START_EVENT:
      return begin_collection(event, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      return end_collection();
    default:
      return true;
  }
}

bool YamlDecoder::begin_collection(const yaml_event_t& event, bool is_map) {
  int line, column;
  cursor_.locate(event.start_mark, &line, &column);
  if (!is_map && stack_.empty() && !root_list_allowed_) {
    error(line, column, "front matter must be a mapping of keys to values, not a list");
    return false;
  }
  if (expecting_key()) {
    error(line, column,
          std::string("a key must be a string, not ") + (is_map ? "a mapping" : "a list"));
    return false;
  }
  if (stack_.size() >= kMaxDepth) {
    error(line, column,
          "front matter nests more than " + std::to_string(kMaxDepth) + " levels deep");
    return false;
  }
  Frame& f = stack_.emplace_back();
  f.value = is_map ? Value::map() : Value::list();
  f.value.line = line;
  f.value.column = column;
  const yaml_char_t* anchor =
      is_map ? event.data.mapping_start.anchor : event.data.sequence_start.anchor;
  if (anchor) f.anchor = as_view(anchor);
  return true;
}

bool YamlDecoder::end_collection() {
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  if (!f.anchor.empty()) {
    Anchor& a = anchors_[f.anchor];
    a.value = f.value;
    a.values = f.values;
    a.bytes = f.bytes;
    a.is_scalar = false;
    a.text.clear();
  }
  return deliver(std::move(f.value), f.values, f.bytes);
}

bool YamlDecoder::take_scalar(const yaml_event_t& event) {
  int line, column;
  cursor_.locate(event.start_mark, &line, &column);
  const auto& s = event.data.scalar;
  std::string_view text = as_view(s.value, s.length);
  const bool is_key = expecting_key();
  Value v;
  if (is_key) {
    // Keys are names whatever they look like: `1:` or `true:` name a field.
    // A plain `<<` is YAML 1.1's merge key, which Hugo's YAML readers honour.
    bool merge = s.style == YAML_PLAIN_SCALAR_STYLE && !s.tag && text == "<<";
    if (!s.anchor) return take_key(std::string(text), line, column, merge);
    v = Value::string(std::string(text));
  } else {
    std::string_view tag = as_view(s.tag);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && tag != "!" && tag != YAML_STR_TAG;
    v = plain ? resolve_plain_scalar(text) : Value::string(std::string(text));
  }
  v.line = line;
  v.column = column;
  if (s.anchor) {
    Anchor& a = anchors_[std::string(as_view(s.anchor))];
    a.value = v;
    a.values = 1;
    a.bytes = kValueBytes + text.size();
    a.is_scalar = true;
    a.text = text;
  }
  if (is_key) return take_key(std::string(text), line, column);
  if (stack_.empty() && !v.is_null()) {
    error(line, column,
          std::string("front matter must be a mapping of keys to values, not ") +
              yaml_kind_name(v.kind()));
    return false;
  }
  return deliver(std::move(v), 1, kValueBytes + text.size());
}

bool YamlDecoder::take_alias(const yaml_event_t& event) {
  int line, column;
  cursor_.locate(event.start_mark, &line, &column);
  std::string_view name = as_view(event.data.alias.anchor);
  auto it = anchors_.find(std::string(name));
  if (it == anchors_.end()) {
    for (const Frame& f : stack_) {
      if (f.anchor == name) {
        error(line, column,
              "alias '*" + std::string(name) + "' refers to a value that contains it");
        return false;
      }
    }
    error(
        line, column,
        "alias '*" + std::string(name) + "' has no anchor '&" + std::string(name) + "' before it");
    return false;
  }
  const Anchor& a = it->second;
  if (expecting_key()) {
    if (!a.is_scalar) {
      error(line, column,
            std::string("a key must be a string, not ") + yaml_kind_name(a.value.kind()));
      return false;
    }
    if (!charge_alias(0, a.text.size(), line, column)) return false;
    return take_key(a.text, line, column);
  }
  if (!charge_alias(a.values, a.bytes, line, column)) return false;
  Value v = a.value;
  v.line = line;
  v.column = column;
  if (stack_.empty() && !v.is_map() && !v.is_null()) {
    error(line, column,
          std::string("front matter must be a mapping of keys to values, not ") +
              yaml_kind_name(v.kind()));
    return false;
  }
  return deliver(std::move(v), a.values, a.bytes);
}

// Every alias is a copy: its values and bytes are counted before it is made.
bool YamlDecoder::charge_alias(size_t values, size_t bytes, int line, int column) {
  alias_values_ += values;
  alias_bytes_ += bytes;
  if (alias_values_ > kMaxAliasValues) {
    error(line, column,
          "aliases expand to more than " + std::to_string(kMaxAliasValues) + " values");
    return false;
  }
  if (alias_bytes_ > kMaxAliasBytes) {
    error(line, column,
          "aliases expand to more than " + std::to_string(kMaxAliasBytes >> 20) +
              " MiB of copies (this one copies " + std::to_string(bytes) +
              " bytes); write the value out where it is needed, or shorten it");
    return false;
  }
  return true;
}

size_t YamlDecoder::find_entry(const Frame& f, const std::string& key) {
  if (f.key_index) {
    auto it = f.key_index->find(key);
    return it == f.key_index->end() ? kNoEntry : it->second;
  }
  const Value::Map& map = f.value.as_map();
  for (size_t i = 0; i < map.size(); ++i)
    if (map[i].first == key) return i;
  return kNoEntry;
}

void YamlDecoder::add_entry(Frame& f, std::string key, Value v, int key_line) {
  constexpr size_t kIndexFrom = 16;
  Value::Map& map = f.value.as_map();
  if (f.key_index) {
    f.key_index->emplace(key, map.size());
  } else if (map.size() + 1 >= kIndexFrom) {
    f.key_index = std::make_unique<std::unordered_map<std::string, size_t>>();
    for (size_t i = 0; i < map.size(); ++i) f.key_index->emplace(map[i].first, i);
    f.key_index->emplace(key, map.size());
  }
  map.emplace_back(std::move(key), std::move(v));
  f.key_lines.push_back(key_line);
}

bool YamlDecoder::take_key(std::string key, int line, int column, bool merge) {
  Frame& f = stack_.back();
  f.bytes += key.size();
  f.has_key = true;
  f.merge = merge;
  f.discard = false;
  f.replace = kNoEntry;
  f.key_line = line;
  if (merge) return true;
  size_t existing = find_entry(f, key);
  if (existing != kNoEntry) {
    if (f.key_lines[existing] == kMergedLine) {
      f.replace = existing;
    } else {
      error(line, column,
            "duplicate key '" + key + "' (first defined at line " +
                std::to_string(f.key_lines[existing]) + ")");
      f.discard = true;
      failed_ = true;
    }
  }
  f.key = std::move(key);
  return true;
}

// A merge key's entries fill in keys the map does not have; keys written in
// the map itself win wherever they are, and earlier merged maps win over
// later ones.
bool YamlDecoder::merge_into(Frame& f, Value v) {
  auto merge_map = [&](Value& source) {
    for (auto& [key, value] : source.as_map()) {
      if (find_entry(f, key) == kNoEntry) add_entry(f, key, std::move(value), kMergedLine);
    }
  };
  if (v.is_map()) {
    merge_map(v);
    return true;
  }
  if (v.is_list()) {
    for (const Value& item : v.as_list()) {
      if (!item.is_map()) {
        error(item.line, item.column,
              std::string("a merge key '<<' takes a mapping or a list of mappings, not a list "
                          "holding ") +
                  yaml_kind_name(item.kind()));
        failed_ = true;
        return true;
      }
    }
    for (Value& item : v.as_list()) merge_map(item);
    return true;
  }
  error(v.line, v.column,
        std::string("a merge key '<<' takes a mapping or a list of mappings, not ") +
            yaml_kind_name(v.kind()));
  failed_ = true;
  return true;
}

bool YamlDecoder::deliver(Value v, size_t values, size_t bytes) {
  if (stack_.empty()) {
    // The document's root: checked for being a mapping when it started.
    if (v.is_map() || (root_list_allowed_ && v.is_list())) *fields_ = std::move(v);
    return true;
  }
  Frame& f = stack_.back();
  f.values += values;
  f.bytes += bytes;
  if (f.value.is_list()) {
    f.value.as_list().push_back(std::move(v));
    return true;
  }
  f.has_key = false;
  if (f.merge) return merge_into(f, std::move(v));
  if (f.discard) return true;
  if (f.replace != kNoEntry) {
    f.value.as_map()[f.replace].second = std::move(v);
    f.key_lines[f.replace] = f.key_line;
    return true;
  }
  add_entry(f, std::move(f.key), std::move(v), f.key_line);
  return true;
}

// What to write instead of `key: a value: with a colon`: the line with its
// value in double quotes, or, when the line is not that simple, the advice
// alone.
std::string quote_the_value_advice(std::string_view line) {
  const std::string advice = "; quote a value that contains a colon";
  const size_t indent = line.find_first_not_of(" ");
  if (indent == std::string_view::npos) return advice;
  size_t start = indent;
  if (line.substr(start).starts_with("- ")) start += 2;
  const size_t colon = line.find(": ", start);
  if (colon == std::string_view::npos || colon == start) return advice;
  const std::string_view key = line.substr(start, colon - start);
  if (key.find_first_of("\"'[{#") != std::string_view::npos) return advice;
  std::string_view value = trim(line.substr(colon + 2));
  if (size_t comment = value.find(" #"); comment != std::string_view::npos)
    value = trim(value.substr(0, comment));
  if (value.empty() || value.find(':') == std::string_view::npos ||
      value.find_first_of("\"'[{") == 0)
    return advice;
  std::string quoted;
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return advice + ": " + std::string(line.substr(indent, colon + 2 - indent)) + "\"" + quoted +
         "\"";
}

void YamlDecoder::report_syntax_error(const yaml_parser_t& parser) {
  std::string problem = parser.problem ? parser.problem : "cannot be read";
  // libyaml calls the block a stream; the writer knows it as front matter.
  if (size_t at = problem.find("end of stream"); at != std::string::npos)
    problem.replace(at, 13, "end of the front matter");
  int line, column;
  if (parser.error == YAML_READER_ERROR) {
    cursor_.locate_byte(parser.problem_offset, &line, &column);
    error(line, column, "invalid YAML: " + problem);
    return;
  }
  std::string_view context = parser.context ? parser.context : "";
  cursor_.locate(parser.problem_mark, &line, &column);
  // Where the front matter ended too early, or a key was never followed by
  // ':', the problem's own place is a later line; the construct's start is
  // what the writer needs to look at.
  if (!context.empty() && (cursor_.at_end() || context == "while scanning a simple key")) {
    cursor_.locate(parser.context_mark, &line, &column);
    error(line, column, "invalid YAML: " + problem + " " + std::string(context));
    return;
  }
  // libyaml's words for a tab in indentation do not say what to change.
  if (cursor_.current() == '\t' && problem == "found character that cannot start any token") {
    error(line, column, "invalid YAML: tabs cannot indent YAML; use spaces");
    return;
  }
  std::string message = "invalid YAML: " + problem;
  if (!context.empty()) {
    int context_line, context_column;
    cursor_.locate(parser.context_mark, &context_line, &context_column);
    message +=
        " (" + std::string(context) + " started at line " + std::to_string(context_line) + ")";
  }
  // `title: Russia: the view from Kyiv`: libyaml says where, not what to do.
  if (problem == "mapping values are not allowed in this context")
    message += quote_the_value_advice(line_of(block_.file_text, line));
  error(line, column, std::move(message));
}

}  // namespace

bool decode_yaml_front_matter(const FrontMatterBlock& block, Value* fields, DiagnosticSink& sink) {
  YamlDecoder decoder(block, fields, sink);
  return decoder.run();
}

bool decode_yaml_document(const FrontMatterBlock& block, Value* out, DiagnosticSink& sink) {
  *out = Value::map();
  YamlDecoder decoder(block, out, sink, /*root_list_allowed=*/true);
  return decoder.run();
}

}  // namespace byline
