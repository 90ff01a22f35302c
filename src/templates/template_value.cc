// TValue construction, Python-compatible printing, truthiness, equality and
// ordering, and the adapter that exposes base/value.h trees by reference.
#include "templates/template_value.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "base/value.h"
#include "templates/template_operations.h"

namespace byline {

// ---- nesting ----

thread_local int ValueNestingGuard::depth_ = 0;

ValueNestingGuard::ValueNestingGuard() {
  if (++depth_ > kMaxValueNesting) {
    --depth_;  // the destructor of a guard whose constructor throws never runs
    throw TemplateError{"value nested too deeply (more than " + std::to_string(kMaxValueNesting) +
                        " lists and dicts), or holding itself"};
  }
}

// Destroying a list destroys its items, and an item that is the last
// reference to another list destroys that one in turn: a list nested a
// million deep would overflow the stack on the way down. So the storage of
// lists and dicts (a Box) hands the lists and dicts it holds to a queue
// instead, and only the outermost destruction on a thread empties it, one
// level at a time.
class NestedRelease {
 public:
  static void release(TValue::List& items) {
    bool any = false;
    for (TValue& item : items) any |= take(item);
    if (any) drain();
  }
  static void release(TValue::Dict& items) {
    bool any = false;
    for (auto& [k, v] : items) {
      any |= take(k);
      any |= take(v);
    }
    if (any) drain();
  }

 private:
  static bool take(TValue& v) {
    if ((v.kind_ != TValue::Kind::kList && v.kind_ != TValue::Kind::kDict) || !v.owner_)
      return false;
    pending_.push_back(std::move(v.owner_));
    return true;
  }
  static void drain() {
    if (draining_) return;  // an outer drain() is emptying the queue
    draining_ = true;
    while (!pending_.empty()) {
      std::shared_ptr<const void> last = std::move(pending_.back());
      pending_.pop_back();
      last.reset();  // may destroy a Box, which queues what it holds
    }
    draining_ = false;
  }

  static thread_local std::vector<std::shared_ptr<const void>> pending_;
  static thread_local bool draining_;
};

thread_local std::vector<std::shared_ptr<const void>> NestedRelease::pending_;
thread_local bool NestedRelease::draining_ = false;

namespace {

// The storage of a list or dict; the TValue points at `items` inside it.
// Its items count against the render's held bytes (charge_held_bytes) for
// as long as it lives; growing it in place (append) is bounded by the
// iteration budget instead.
template <class Items>
struct Box {
  explicit Box(Items i) : items(std::move(i)), charged(items.size() * sizeof(items[0])) {
    charge_held_bytes(charged);
  }
  ~Box() {
    release_held_bytes(charged);
    NestedRelease::release(items);
  }
  Items items;
  size_t charged;
};

// The storage of an owned string, charged in the same way.
struct HeldString {
  explicit HeldString(std::string s) : text(std::move(s)) { charge_held_bytes(text.size()); }
  ~HeldString() { release_held_bytes(text.size()); }
  std::string text;
};

template <class Items>
std::shared_ptr<const void> boxed(Items items) {
  auto box = std::make_shared<Box<Items>>(std::move(items));
  return std::shared_ptr<const void>(box, &box->items);
}

}  // namespace

// ---- ObjectType defaults ----

TValue ObjectType::attribute(const void*, std::string_view) const { return TValue::undefined(); }
int ObjectType::attribute_slot(std::string_view) const { return -1; }
TValue ObjectType::attribute_at(const void* self, int, std::string_view name) const {
  return attribute(self, name);
}

bool ObjectType::dense_index(const void*, size_t*, size_t*) const { return false; }

TValue ObjectType::item(const void* self, const TValue& key) const {
  if (key.is_string()) return attribute(self, key.as_string());
  if (key.is_int() && is_sequence(self)) {
    int64_t i = key.as_int();
    int64_t n = static_cast<int64_t>(size(self));
    if (i < 0) i += n;
    if (i >= 0 && i < n) return at(self, static_cast<size_t>(i));
  }
  return TValue::undefined();
}

bool ObjectType::is_sequence(const void*) const { return false; }
size_t ObjectType::size(const void* self) const { return is_mapping(self) ? keys(self).size() : 0; }
TValue ObjectType::at(const void*, size_t) const { return TValue::undefined(); }
bool ObjectType::is_mapping(const void*) const { return false; }
std::vector<TValue> ObjectType::keys(const void*) const { return {}; }

void ObjectType::append_str(const void* self, std::string& out) const {
  ValueNestingGuard nesting;
  if (is_sequence(self)) {
    out += '[';
    size_t n = size(self);
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ", ";
      at(self, i).append_repr(out);
      check_string_size(out.size());
    }
    out += ']';
    return;
  }
  if (is_mapping(self)) {
    out += '{';
    bool first = true;
    for (const TValue& k : keys(self)) {
      if (!first) out += ", ";
      first = false;
      k.append_repr(out);
      out += ": ";
      item(self, k).append_repr(out);
    }
    out += '}';
    return;
  }
  out += '<';
  out += type_name();
  out += '>';
}

bool ObjectType::truthy(const void* self) const {
  if (is_sequence(self) || is_mapping(self)) return size(self) != 0;
  return true;
}

bool ObjectType::set_attribute(const void*, std::string_view, const TValue&) const { return false; }

const TValue* CallArgs::find_keyword(std::string_view name) const {
  for (const auto& [k, v] : keyword)
    if (k == name) return &v;
  return nullptr;
}

namespace {
// The base/value.h adapters, defined at the end of this file.
const ObjectType* value_map_type();
const ObjectType* value_list_type();
}  // namespace

// ---- construction ----

TValue TValue::undefined(std::string hint) {
  TValue v;
  if (!hint.empty()) {
    auto s = std::make_shared<std::string>(std::move(hint));
    v.str_ = *s;
    v.owner_ = std::move(s);
  }
  return v;
}

TValue TValue::lenient_undefined(std::string hint) {
  TValue v = undefined(std::move(hint));
  v.tuple_ = true;
  return v;
}

TValue TValue::none() {
  TValue v;
  v.kind_ = Kind::kNone;
  return v;
}

TValue TValue::boolean(bool b) {
  TValue v;
  v.kind_ = Kind::kBool;
  v.u_.b = b;
  return v;
}

TValue TValue::integer(int64_t i) {
  TValue v;
  v.kind_ = Kind::kInt;
  v.u_.i = i;
  return v;
}

TValue TValue::number(double d) {
  TValue v;
  v.kind_ = Kind::kFloat;
  v.u_.f = d;
  return v;
}

TValue TValue::string(std::string s, bool safe) {
  TValue v;
  v.kind_ = Kind::kString;
  v.safe_ = safe;
  if (!s.empty()) {
    auto p = std::make_shared<HeldString>(std::move(s));
    v.str_ = p->text;
    v.owner_ = std::shared_ptr<const void>(p, &p->text);
  }
  return v;
}

TValue TValue::string_ref(std::string_view s, bool safe) {
  TValue v;
  v.kind_ = Kind::kString;
  v.safe_ = safe;
  v.str_ = s;
  return v;
}

TValue TValue::list(List items, bool tuple) {
  TValue v;
  v.kind_ = Kind::kList;
  v.tuple_ = tuple;
  v.u_.i = 0;  // the owner (none): see owner()
  v.owner_ = boxed(std::move(items));
  return v;
}

TValue TValue::dict(Dict items) {
  TValue v;
  v.kind_ = Kind::kDict;
  v.u_.i = 0;  // the owner (none): see owner()
  v.owner_ = boxed(std::move(items));
  return v;
}

TValue TValue::namespace_dict(Dict items) {
  TValue v = dict(std::move(items));
  v.tuple_ = true;
  return v;
}

TValue TValue::callable(std::shared_ptr<const Callable> c) {
  TValue v;
  v.kind_ = Kind::kCallable;
  v.owner_ = std::move(c);
  return v;
}

TValue TValue::object(const ObjectType* type, const void* self,
                      std::shared_ptr<const void> keep_alive) {
  TValue v;
  v.kind_ = Kind::kObject;
  v.u_.obj.type = type;
  v.u_.obj.self = self;
  v.owner_ = std::move(keep_alive);
  return v;
}

TValue TValue::from_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return none();
    case Value::Kind::kBool:
      return boolean(v.as_bool());
    case Value::Kind::kInt:
      return integer(v.as_int());
    case Value::Kind::kFloat:
      return number(v.as_float());
    case Value::Kind::kString:
      return string_ref(v.as_string());
    case Value::Kind::kList:
      return object(value_list_type(), &v);
    case Value::Kind::kMap:
      return object(value_map_type(), &v);
  }
  return none();
}

// ---- printing ----

void append_python_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  // sci is like "-1.2345e+02": split into sign, digits and exponent.
  bool neg = false;
  if (!sci.empty() && sci[0] == '-') {
    neg = true;
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits += c;
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (neg) out += '-';
  if (exp < -4 || exp >= 16) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += exp < 0 ? '-' : '+';
    int ae = exp < 0 ? -exp : exp;
    if (ae < 10) out += '0';
    out += std::to_string(ae);
    return;
  }
  if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out += digits;
    return;
  }
  size_t int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) {
    out += digits;
    out.append(int_len - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, int_len);
    out += '.';
    out.append(digits, int_len);
  }
}

static void append_repr_string(std::string& out, std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char q = (has_single && !has_double) ? '"' : '\'';
  out += q;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == q || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  out += q;
}

void TValue::append_str(std::string& out) const {
  switch (kind_) {
    case Kind::kUndefined:
      return;
    case Kind::kNone:
      out += "None";
      return;
    case Kind::kBool:
      out += u_.b ? "True" : "False";
      return;
    case Kind::kInt: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, u_.i);
      out.append(buf, r.ptr);
      return;
    }
    case Kind::kFloat:
      append_python_float(out, u_.f);
      return;
    case Kind::kString:
      out += str_;
      return;
    case Kind::kList: {
      ValueNestingGuard nesting;
      const List& l = as_list();
      out += tuple_ ? '(' : '[';
      for (size_t i = 0; i < l.size(); ++i) {
        if (i) out += ", ";
        l[i].append_repr(out);
        check_string_size(out.size());  // [s] * 1000 repeats s without copying it
      }
      if (tuple_ && l.size() == 1) out += ',';
      out += tuple_ ? ')' : ']';
      return;
    }
    case Kind::kDict: {
      ValueNestingGuard nesting;
      if (tuple_) {
        out += "<Namespace ";
        out += '{';
      } else {
        out += '{';
      }
      bool first = true;
      for (const auto& [k, v] : as_dict()) {
        if (!first) out += ", ";
        first = false;
        k.append_repr(out);
        out += ": ";
        v.append_repr(out);
        check_string_size(out.size());
      }
      out += '}';
      if (tuple_) out += '>';
      return;
    }
    case Kind::kObject:
      u_.obj.type->append_str(u_.obj.self, out);
      return;
    case Kind::kCallable:
      out += "<function ";
      out += as_callable().name();
      out += '>';
      return;
  }
}

std::string TValue::str() const {
  std::string s;
  append_str(s);
  return s;
}

void TValue::append_repr(std::string& out) const {
  if (kind_ == Kind::kString) {
    if (safe_) {
      out += "Markup(";
      append_repr_string(out, str_);
      out += ')';
    } else {
      append_repr_string(out, str_);
    }
    return;
  }
  if (kind_ == Kind::kUndefined) {
    out += "Undefined";
    return;
  }
  append_str(out);
}

std::string_view TValue::type_name() const {
  switch (kind_) {
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return safe_ ? "Markup" : "str";
    case Kind::kList:
      return tuple_ ? "tuple" : "list";
    case Kind::kDict:
      return tuple_ ? "Namespace" : "dict";
    case Kind::kObject:
      return u_.obj.type->type_name();
    case Kind::kCallable:
      return "function";
  }
  return "object";
}

bool TValue::truthy() const {
  switch (kind_) {
    case Kind::kUndefined:
    case Kind::kNone:
      return false;
    case Kind::kBool:
      return u_.b;
    case Kind::kInt:
      return u_.i != 0;
    case Kind::kFloat:
      return u_.f != 0.0;
    case Kind::kString:
      return !str_.empty();
    case Kind::kList:
      return !as_list().empty();
    case Kind::kDict:
      return tuple_ || !as_dict().empty();
    case Kind::kObject:
      return u_.obj.type->truthy(u_.obj.self);
    case Kind::kCallable:
      return true;
  }
  return false;
}

void dict_assign(TValue::Dict& d, TValue k, TValue v) {
  bool replaced = false;
  for (auto& [ek, ev] : d)
    if (values_equal(ek, k)) {
      ev = v;
      replaced = true;
    }
  if (!replaced) d.emplace_back(std::move(k), std::move(v));
}

const TValue* TValue::dict_find(std::string_view key) const {
  if (kind_ != Kind::kDict) return nullptr;
  for (const auto& [k, v] : as_dict())
    if (k.is_string() && k.as_string() == key) return &v;
  return nullptr;
}

// ---- comparison ----

bool values_equal(const TValue& a, const TValue& b) {
  using K = TValue::Kind;
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_float() == b.as_float();
    return a.as_int() == b.as_int();
  }
  if (a.is_string() && b.is_string()) return a.as_string() == b.as_string();
  if (a.is_identical(b)) return true;  // a list holding itself equals itself, as in Python
  ValueNestingGuard nesting;
  if (a.kind() != b.kind()) {
    // A host sequence equals a list with the same items.
    if ((a.is_list() || a.is_object()) && (b.is_list() || b.is_object())) {
      bool aseq = a.is_list() || a.object_type()->is_sequence(a.object_self());
      bool bseq = b.is_list() || b.object_type()->is_sequence(b.object_self());
      if (!aseq || !bseq) return false;
      Sequence sa(a), sb(b);
      if (sa.size() != sb.size()) return false;
      for (size_t i = 0; i < sa.size(); ++i)
        if (!values_equal(sa[i], sb[i])) return false;
      return true;
    }
    return false;
  }
  switch (a.kind()) {
    case K::kUndefined:
    case K::kNone:
      return true;
    case K::kList: {
      if (a.is_tuple() != b.is_tuple()) return false;
      const auto& la = a.as_list();
      const auto& lb = b.as_list();
      if (la.size() != lb.size()) return false;
      for (size_t i = 0; i < la.size(); ++i)
        if (!values_equal(la[i], lb[i])) return false;
      return true;
    }
    case K::kDict: {
      const auto& da = a.as_dict();
      const auto& db = b.as_dict();
      if (da.size() != db.size()) return false;
      for (const auto& [k, v] : da) {
        bool found = false;
        for (const auto& [k2, v2] : db)
          if (values_equal(k, k2)) {
            found = values_equal(v, v2);
            break;
          }
        if (!found) return false;
      }
      return true;
    }
    case K::kObject:
      return a.object_type() == b.object_type() && a.object_self() == b.object_self();
    case K::kCallable:
      return &a.as_callable() == &b.as_callable();
    default:
      return false;
  }
}

bool value_less(const TValue& a, const TValue& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_float() < b.as_float();
    return a.as_int() < b.as_int();
  }
  // UTF-8 byte order is code point order, as Python compares str.
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if (a.is_list() && b.is_list()) {
    ValueNestingGuard nesting;
    const auto& la = a.as_list();
    const auto& lb = b.as_list();
    for (size_t i = 0; i < la.size() && i < lb.size(); ++i) {
      if (values_equal(la[i], lb[i])) continue;
      return value_less(la[i], lb[i]);
    }
    return la.size() < lb.size();
  }
  throw TemplateError{"'<' not supported between instances of '" + std::string(a.type_name()) +
                      "' and '" + std::string(b.type_name()) + "'"};
}

// ---- Sequence ----

static void split_code_points(std::string_view s, TValue::List& out) {
  for (size_t i = 0; i < s.size();) {
    check_list_size(out.size() + 1);
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > s.size()) len = s.size() - i;
    out.push_back(TValue::string(std::string(s.substr(i, len))));
    i += len;
  }
}

Sequence::Sequence(const TValue& v) {
  switch (v.kind()) {
    case TValue::Kind::kUndefined:
      return;
    case TValue::Kind::kList:
      holder_ = v;
      size_ = v.as_list().size();
      return;
    case TValue::Kind::kString:
      split_code_points(v.as_string(), owned_);
      break;
    case TValue::Kind::kDict:
      for (const auto& [k, val] : v.as_dict()) owned_.push_back(k);
      break;
    case TValue::Kind::kObject:
      if (v.object_type()->is_sequence(v.object_self())) {
        holder_ = v;
        size_ = v.object_type()->size(v.object_self());
        return;
      }
      if (v.object_type()->is_mapping(v.object_self())) {
        owned_ = v.object_type()->keys(v.object_self());
        break;
      }
      [[fallthrough]];
    default:
      throw TemplateError{"'" + std::string(v.type_name()) + "' object is not iterable"};
  }
  use_owned_ = true;
  size_ = owned_.size();
}

TValue Sequence::operator[](size_t i) const {
  if (holder_.is_list()) {
    const TValue::List& items = holder_.as_list();
    const TValue* p = items.data() + i;
    return p < std::to_address(items.end()) ? *p : TValue::undefined();
  }
  if (use_owned_) return owned_[i];
  return holder_.object_type()->at(holder_.object_self(), i);
}

// ---- literals ----

bool holds_mutable(const TValue& v) {
  if (v.is_dict()) return true;
  if (!v.is_list()) return false;
  if (!v.is_tuple()) return true;
  for (const TValue& item : v.as_list())
    if (holds_mutable(item)) return true;
  return false;
}

void own_literals(TValue& v, uint64_t owner) {
  if (!v.is_list() && !v.is_dict()) return;
  ValueNestingGuard nesting;
  if (v.owner() == TValue::kLiteralOwner) {
    v = fresh_literal(v, owner);
  } else if (v.owner() == owner) {
    if (v.is_list()) {
      for (TValue& item : v.mutable_list()) own_literals(item, owner);
    } else {
      for (auto& [k, val] : v.mutable_dict()) own_literals(val, owner);
    }
  }
}

// An item of a literal: copied when it is or holds a list or dict.
static TValue fresh_item(const TValue& v, uint64_t owner) {
  if (v.is_list() || v.is_dict()) return fresh_literal(v, owner);
  return v;
}

TValue fresh_literal(const TValue& v, uint64_t owner) {
  if (!holds_mutable(v)) return v;
  if (v.is_dict()) {
    TValue::Dict items;
    items.reserve(v.as_dict().size());
    for (const auto& [k, val] : v.as_dict())
      items.emplace_back(fresh_item(k, owner), fresh_item(val, owner));
    return TValue::dict(std::move(items)).owned_by(owner);
  }
  TValue::List items;
  items.reserve(v.as_list().size());
  for (const TValue& item : v.as_list()) items.push_back(fresh_item(item, owner));
  return TValue::list(std::move(items), v.is_tuple()).owned_by(owner);
}

// ---- base/value.h adapter ----

namespace {

// One instance for maps and one for lists, so messages name the right type.
class ValueObjectType final : public ObjectType {
 public:
  explicit ValueObjectType(std::string_view name) : name_(name) {}
  std::string_view type_name() const override { return name_; }
  TValue attribute(const void* self, std::string_view name) const override {
    const Value* v = static_cast<const Value*>(self);
    if (const Value* found = v->find(name)) return TValue::from_value(*found);
    return TValue::undefined();
  }
  TValue item(const void* self, const TValue& key) const override {
    const Value* v = static_cast<const Value*>(self);
    if (v->is_list()) {
      if (!key.is_int() && !key.is_bool()) return TValue::undefined();
      int64_t i = key.as_int();
      int64_t n = static_cast<int64_t>(v->as_list().size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return TValue::undefined();
      return TValue::from_value(v->as_list()[static_cast<size_t>(i)]);
    }
    if (!key.is_string()) return TValue::undefined();
    return attribute(self, key.as_string());
  }
  bool is_sequence(const void* self) const override {
    return static_cast<const Value*>(self)->is_list();
  }
  size_t size(const void* self) const override {
    const Value* v = static_cast<const Value*>(self);
    return v->is_list() ? v->as_list().size() : v->is_map() ? v->as_map().size() : 0;
  }
  TValue at(const void* self, size_t index) const override {
    return TValue::from_value(static_cast<const Value*>(self)->as_list()[index]);
  }
  bool is_mapping(const void* self) const override {
    return static_cast<const Value*>(self)->is_map();
  }
  std::vector<TValue> keys(const void* self) const override {
    std::vector<TValue> out;
    for (const auto& [k, v] : static_cast<const Value*>(self)->as_map())
      out.push_back(TValue::string_ref(k));
    return out;
  }

 private:
  std::string_view name_;
};

const ValueObjectType kValueMapType("dict object");
const ValueObjectType kValueListType("list object");

const ObjectType* value_map_type() { return &kValueMapType; }
const ObjectType* value_list_type() { return &kValueListType; }

}  // namespace

bool is_value_object_type(const ObjectType* type) {
  return type == &kValueMapType || type == &kValueListType;
}

}  // namespace byline
