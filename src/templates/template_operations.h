// Python's operations on TValues, shared by the renderer, the built-in filters
// and host filters: operators, escaping, lookups, len(), % and slices.
#pragma once

#include <string>
#include <string_view>

#include "templates/template_engine.h"

namespace byline {

// Appends `v` as `{{ v }}` would print it under `autoescape`.
void append_output(std::string& out, const TValue& v, bool autoescape);
// markupsafe's escape(): a safe string stays as is, anything else is
// stringified and escaped; the result is safe.
TValue escape_value(const TValue& v);
// Jinja2's soft_str: a safe string stays safe, anything else becomes str.
TValue soft_str(const TValue& v);

// The largest string the render running on this thread may build
// (RenderLimits::max_output_bytes; unlimited outside a render). Operations
// that could amplify their input (repetition, replace, join, padding) call
// check_string_size() with the size of their result before building it,
// so memory stays bounded; it throws TemplateError.
uint64_t max_string_bytes();
void check_string_size(uint64_t bytes);
// The most items a list built by an operation may have (`+`, `*`, append,
// extend, insert, split, a string iterated by character). Each item costs
// tens of bytes however small it is, so a loop doubling a list would
// otherwise reach gigabytes; check_list_size() throws TemplateError.
inline constexpr size_t kMaxListItems = 1000000;
void check_list_size(uint64_t items);
// What the strings, lists and dicts a render builds hold at once, in bytes
// (list and dict items at sizeof(TValue) each). Checking each result
// alone would still let a loop keep a million 1 MB strings alive in a
// list: the render's values together may not pass max_string_bytes()
// either. charge_held_bytes() throws TemplateError when they would; what
// a value charged is released when it is freed (on whichever thread).
void charge_held_bytes(uint64_t bytes);
void release_held_bytes(uint64_t bytes) noexcept;
uint64_t held_bytes();
// Sets the limit for the render it lives in, the previous one restored
// after. The outermost one on a thread also starts the count of held bytes
// from zero: values an earlier render left behind are not this one's.
class StringSizeLimit {
 public:
  explicit StringSizeLimit(uint64_t bytes);
  ~StringSizeLimit();
  StringSizeLimit(const StringSizeLimit&) = delete;
  StringSizeLimit& operator=(const StringSizeLimit&) = delete;

 private:
  uint64_t saved_;
};

// Python's operators. Each throws TemplateError where Python raises, with
// Python's message ("unsupported operand type(s) for -: 'str' and 'int'").
// Integers are 64-bit: a result that does not fit is an error ("integer
// overflow"), never a wrapped number.
TValue unary_op(UnaryOp op, const TValue& v);
// `+` also joins strings (markup-escaping the other side when one is
// markup) and lists; `*` repeats them; a string's `%` formats.
TValue binary_op(BinaryOp op, const TValue& a, const TValue& b);
// One link of a comparison chain: `a op b`.
bool compare_op(CompareOp op, const TValue& a, const TValue& b);

// Attribute then item lookup as Jinja2's getattr / getitem do; missing
// names give an undefined value whose hint names the object and attribute.
TValue get_attribute(const TValue& obj, std::string_view name);
TValue get_item(const TValue& obj, const TValue& key);

// Python's `a in b`.
bool value_contains(const TValue& container, const TValue& item);
// Whether `v` is read as a mapping (dicts, and host mappings that are not
// also sequences): what `%` formatting and the filters key by.
inline bool is_mapping(const TValue& v) {
  return v.is_dict() || (v.is_object() && v.object_type()->is_mapping(v.object_self()) &&
                         !v.object_type()->is_sequence(v.object_self()));
}

// Python's int(d) for a float: truncated toward zero, and clamped to the
// 64-bit range, which Python's integers do not have (NaN gives 0).
int64_t float_to_int(double d);

// Python's len(); throws TemplateError when v has no length.
size_t value_length(const TValue& v);

// Number of code points in a UTF-8 string.
size_t utf8_length(std::string_view s);

// Python-style `%` formatting ("%s items" % (3,)); `escape_args` when the
// format string is markup, which escapes what it interpolates.
std::string percent_format(std::string_view format, const TValue& args, bool escape_args);

// Python's obj[start:stop:step] for lists, tuples, strings and host
// sequences; undefined bounds mean "omitted".
TValue slice_value(const TValue& obj, const TValue& start, const TValue& stop, const TValue& step);

// Calls a callable value (a macro, function or bound method).
TValue call_value(RenderState& state, const TValue& callee, CallArgs& args);

}  // namespace byline
