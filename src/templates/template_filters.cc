// Jinja2's built-in filters, tests and global functions, with the
// semantics of Jinja2 3.1 / markupsafe 2.1 (argument names, defaults, what
// stays "safe"), written against TValue.
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/strings.h"

#include "templates/template_engine.h"
#include "templates/template_operations.h"
#include "templates/template_unicode.h"

namespace byline {
namespace {

const TValue kNone = TValue::none();
const TValue kFalse = TValue::boolean(false);
const TValue kTrue = TValue::boolean(true);
const TValue kEmpty = TValue::string_ref("");

// ---- unicode helpers ----

std::string lower_str(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_cp(s, [&](int32_t c) { append_cp(out, utf8proc_tolower(c)); });
  return out;
}

std::string upper_str(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_cp(s, [&](int32_t c) {
    if (c == 0xDF) {
      out += "SS";  // Python upper-cases ß to SS
      return;
    }
    append_cp(out, utf8proc_toupper(c));
  });
  return out;
}

bool is_py_space(int32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_word_char(int32_t c) {
  // ASCII letters are Lu/Ll and digits Nd; no other ASCII character is in
  // those categories (wordcount runs on every list entry's summary).
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  auto cat = utf8proc_category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool is_cased_lower(int32_t c) { return utf8proc_islower(c); }
bool is_cased_upper(int32_t c) { return utf8proc_isupper(c); }

// " ".join(s.split()) appended to out, without a string per word: striptags
// runs on every post's summary, twice.
void append_words_joined(std::string_view s, std::string& out) {
  auto ascii_space = [](unsigned char c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  };
  bool pending_space = false, any = false;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    // A run of ASCII other than spaces is a word, or its start, copied at once.
    size_t run = i;
    while (run < n && p[run] < 0x80 && !ascii_space(p[run])) ++run;
    if (run > i) {
      if (pending_space) out += ' ';
      pending_space = false;
      any = true;
      out.append(s.substr(i, run - i));
      i = run;
      continue;
    }
    utf8proc_int32_t cp = p[i];
    utf8proc_ssize_t len = 1;
    if (p[i] >= 0x80) {
      len = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
      if (len <= 0) {
        cp = 0xFFFD;
        len = 1;
      }
    }
    if (is_py_space(cp)) {
      pending_space = any;
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      any = true;
      if (cp == 0xFFFD && len == 1) {
        append_cp(out, cp);  // an invalid byte, as split() would decode it
      } else {
        out.append(s.substr(i, static_cast<size_t>(len)));
      }
    }
    i += static_cast<size_t>(len);
  }
}

// Python's str.splitlines().
std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\x1c' || c == '\x1d' ||
        c == '\x1e') {
      out.emplace_back(s.substr(start, i - start));
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < s.size()) out.emplace_back(s.substr(start));
  return out;
}

// ---- argument helpers ----

std::string text_of(const TValue& v) { return v.str(); }

// Keeps a template from asking for gigabytes (`center(10**9)`).
int64_t bounded(int64_t n, const char* what) {
  if (n > (int64_t{1} << 24)) throw TemplateError{std::string(what) + " is too large"};
  return n;
}

int64_t int_arg(const TValue& v, const char* what) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_float()) return static_cast<int64_t>(v.as_float());
  throw TemplateError{std::string("'") + what + "' must be an integer, not " +
                      std::string(v.type_name())};
}

TValue::List to_list(const TValue& v) {
  Sequence seq(v);
  TValue::List out;
  out.reserve(seq.size());
  for (size_t i = 0; i < seq.size(); ++i) out.push_back(seq[i]);
  return out;
}

std::vector<std::pair<TValue, TValue>> mapping_items(const TValue& v) {
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

// ---- filters ----

TValue f_default(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& def = argument(a, 0, "default_value", kEmpty);
  bool boolean = argument(a, 1, "boolean", kFalse).truthy();
  if (v.is_undefined() || (boolean && !v.truthy())) return def;
  return v;
}

TValue f_length(RenderState&, const TValue& v, CallArgs&) {
  return TValue::integer(static_cast<int64_t>(value_length(v)));
}

TValue f_lower(RenderState&, const TValue& v, CallArgs&) {
  return TValue::string(lower_str(text_of(v)), v.is_safe());
}
TValue f_upper(RenderState&, const TValue& v, CallArgs&) {
  return TValue::string(upper_str(text_of(v)), v.is_safe());
}

TValue f_capitalize(RenderState&, const TValue& v, CallArgs&) {
  std::string out;
  bool first = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (first) {
      // Python's capitalize uses title case for the first character.
      append_cp(out, c == 0xDF ? c : utf8proc_totitle(c));
      first = false;
    } else {
      append_cp(out, utf8proc_tolower(c));
    }
  });
  return TValue::string(std::move(out), v.is_safe());
}

TValue f_title(RenderState&, const TValue& v, CallArgs&) {
  // Split on runs of [-\s({\[<] and capitalise each piece.
  std::string out;
  bool at_start = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    bool sep = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || is_py_space(c);
    if (sep) {
      append_cp(out, c);
      at_start = true;
      return;
    }
    // Jinja2 upper-cases (not title-cases) the first letter of each word.
    append_cp(out, at_start ? utf8proc_toupper(c) : utf8proc_tolower(c));
    at_start = false;
  });
  return TValue::string(std::move(out));
}

TValue f_trim(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& chars = argument(a, 0, "chars", kNone);
  std::string holder;
  std::string_view text = v.is_string() ? v.as_string() : std::string_view(holder = text_of(v));
  std::vector<int32_t> set;
  bool ws = !chars.is_string();
  if (!ws) set = code_points(chars.as_string());
  auto strip = [&](int32_t c) {
    return ws ? is_py_space(c) : std::find(set.begin(), set.end(), c) != set.end();
  };
  // Valid UTF-8 decodes and re-encodes to the same bytes, so the result is
  // the text between the first and last kept code points, found by decoding
  // only the stripped ends (trim runs on every page's summary). Invalid text
  // takes the old path, which replaces bad bytes.
  if (find_invalid_utf8(text) == std::string_view::npos) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto decode = [p](size_t at, size_t end, utf8proc_int32_t* c) {
      return static_cast<size_t>(
          utf8proc_iterate(p + at, static_cast<utf8proc_ssize_t>(end - at), c));
    };
    size_t b = 0, e = text.size();
    utf8proc_int32_t c;
    while (b < e) {
      size_t len = decode(b, e, &c);
      if (!strip(c)) break;
      b += len;
    }
    while (e > b) {
      size_t lead = e - 1;
      while (lead > b && (p[lead] & 0xC0) == 0x80) --lead;  // back to the lead byte
      decode(lead, e, &c);
      if (!strip(c)) break;
      e = lead;
    }
    if (b == 0 && e == text.size() && v.is_string()) return v;
    return TValue::string(std::string(text.substr(b, e - b)), v.is_safe());
  }
  auto cps = code_points(text);
  size_t b = 0, e = cps.size();
  while (b < e && strip(cps[b])) ++b;
  while (e > b && strip(cps[e - 1])) --e;
  return TValue::string(from_cps(cps, b, e), v.is_safe());
}

TValue f_truncate(RenderState&, const TValue& v, CallArgs& a) {
  int64_t length = int_arg(argument(a, 0, "length", TValue::integer(255)), "length");
  bool killwords = argument(a, 1, "killwords", kFalse).truthy();
  static const TValue kDots = TValue::string_ref("...");
  std::string end = text_of(argument(a, 2, "end", kDots));
  const TValue& leeway_v = argument(a, 3, "leeway", kNone);
  int64_t leeway = leeway_v.is_none() ? 5 : int_arg(leeway_v, "leeway");
  int64_t end_len = static_cast<int64_t>(utf8_length(end));
  if (length < end_len)
    throw TemplateError{"expected length >= " + std::to_string(end_len) + ", got " +
                        std::to_string(length)};
  if (leeway < 0) throw TemplateError{"expected leeway >= 0, got " + std::to_string(leeway)};
  std::string holder;
  std::string_view text = v.is_string() ? v.as_string() : std::string_view(holder = text_of(v));
  int64_t n = 0;
  for_each_cp(text, [&n](int32_t) { ++n; });
  if (n <= length + leeway) return v.is_string() ? v : TValue::string(std::move(holder));
  auto cps = code_points(text);
  size_t cut = static_cast<size_t>(length - end_len);
  if (killwords) return TValue::string(from_cps(cps, 0, cut) + end);
  std::string head = from_cps(cps, 0, cut);
  size_t sp = head.rfind(' ');
  if (sp != std::string::npos) head.resize(sp);
  return TValue::string(head + end);
}

TValue f_wordcount(RenderState&, const TValue& v, CallArgs&) {
  int64_t n = 0;
  bool in_word = false;
  for_each_cp(text_of(v), [&](int32_t c) {
    bool w = is_word_char(c);
    if (w && !in_word) ++n;
    in_word = w;
  });
  return TValue::integer(n);
}

std::string replace_str(std::string_view s, std::string_view old, std::string_view with,
                        int64_t count) {
  std::string out;
  if (old.empty()) {
    // Python inserts `with` between every character (and at both ends).
    auto cps = code_points(s);
    int64_t done = 0;
    for (size_t i = 0; i <= cps.size(); ++i) {
      if (count < 0 || done < count) {
        out += with;
        ++done;
      }
      if (i < cps.size()) append_cp(out, cps[i]);
    }
    return out;
  }
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    size_t p = s.find(old, start);
    if (p == std::string_view::npos) break;
    out.append(s.substr(start, p - start));
    out.append(with);
    start = p + old.size();
    ++done;
  }
  out.append(s.substr(start));
  return out;
}

TValue f_replace(RenderState& st, const TValue& v, CallArgs& a) {
  const TValue& old = argument(a, 0, "old", kEmpty);
  const TValue& with = argument(a, 1, "new", kEmpty);
  const TValue& count_v = argument(a, 2, "count", kNone);
  int64_t count = count_v.is_none() ? -1 : int_arg(count_v, "count");
  if (!st.autoescape())
    return TValue::string(replace_str(text_of(v), text_of(old), text_of(with), count));
  // Markup.replace escapes its arguments; a plain string becomes markup when
  // either argument is markup.
  if ((old.is_safe() || with.is_safe()) && !v.is_safe()) {
    TValue s = escape_value(v);
    return TValue::safe(replace_str(s.as_string(), escape_value(old).as_string(),
                                    escape_value(with).as_string(), count));
  }
  if (v.is_safe())
    return TValue::safe(replace_str(v.as_string(), escape_value(old).as_string(),
                                    escape_value(with).as_string(), count));
  return TValue::string(replace_str(text_of(v), text_of(old), text_of(with), count));
}

TValue f_join(RenderState& st, const TValue& v, CallArgs& a) {
  const TValue& d = argument(a, 0, "d", kEmpty);
  AttrGetter get(argument(a, 1, "attribute", kNone), false);
  TValue::List items = to_list(v);
  if (get.active())
    for (TValue& i : items) i = get(i);
  bool any_safe = d.is_safe();
  for (const TValue& i : items) any_safe = any_safe || i.is_safe();
  std::string out;
  if (st.autoescape() && any_safe) {
    std::string sep =
        escape_value(d).as_string().data() ? std::string(escape_value(d).as_string()) : "";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += sep;
      append_output(out, items[i], true);
    }
    return TValue::safe(std::move(out));
  }
  std::string sep = text_of(d);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    items[i].append_str(out);
  }
  return TValue::string(std::move(out));
}

TValue f_first(RenderState&, const TValue& v, CallArgs&) {
  Sequence seq(v);
  if (seq.size() == 0) return TValue::undefined("No first item, sequence was empty.");
  return seq[0];
}

TValue f_last(RenderState&, const TValue& v, CallArgs&) {
  Sequence seq(v);
  if (seq.size() == 0) return TValue::undefined("No last item, sequence was empty.");
  return seq[seq.size() - 1];
}

void sort_by(TValue::List& items, const AttrGetter& key, bool reverse) {
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

TValue f_sort(RenderState&, const TValue& v, CallArgs& a) {
  bool reverse = argument(a, 0, "reverse", kFalse).truthy();
  bool cs = argument(a, 1, "case_sensitive", kFalse).truthy();
  AttrGetter key(argument(a, 2, "attribute", kNone), !cs, true);
  TValue::List items = to_list(v);
  sort_by(items, key, reverse);
  return TValue::list(std::move(items));
}

TValue f_reverse(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_string()) {
    auto cps = code_points(v.as_string());
    std::reverse(cps.begin(), cps.end());
    return TValue::string(from_cps(cps), v.is_safe());
  }
  TValue::List items = to_list(v);
  std::reverse(items.begin(), items.end());
  return TValue::list(std::move(items));
}

TValue f_unique(RenderState&, const TValue& v, CallArgs& a) {
  bool cs = argument(a, 0, "case_sensitive", kFalse).truthy();
  AttrGetter key(argument(a, 1, "attribute", kNone), !cs);
  TValue::List out;
  std::vector<TValue> seen;
  Sequence seq(v);
  for (size_t i = 0; i < seq.size(); ++i) {
    TValue item = seq[i];
    TValue k = key(item);
    bool dup = false;
    for (const TValue& s : seen)
      if (values_equal(s, k)) {
        dup = true;
        break;
      }
    if (dup) continue;
    seen.push_back(k);
    out.push_back(item);
  }
  return TValue::list(std::move(out));
}

TValue f_map(RenderState& st, const TValue& v, CallArgs& a) {
  TValue::List items = to_list(v);
  if (const TValue* attr = a.find_keyword("attribute")) {
    AttrGetter get(*attr, false);
    if (const TValue* d = a.find_keyword("default")) {
      get.fallback = *d;
      get.has_fallback = true;
    }
    for (TValue& i : items) i = get(i);
    return TValue::list(std::move(items));
  }
  if (a.positional.empty()) return TValue::list(std::move(items));
  std::string name = text_of(a.positional[0]);
  CallArgs rest;
  rest.positional.assign(a.positional.begin() + 1, a.positional.end());
  rest.keyword = a.keyword;
  for (TValue& i : items) {
    CallArgs copy = rest;
    i = st.apply_filter(name, i, copy);
  }
  return TValue::list(std::move(items));
}

TValue select_impl(RenderState& st, const TValue& v, CallArgs& a, bool want, bool by_attr) {
  TValue::List out;
  size_t pos = 0;
  AttrGetter get(by_attr ? argument(a, 0, "attribute", kNone) : kNone, false);
  if (by_attr) pos = 1;
  std::string test;
  CallArgs rest;
  if (a.positional.size() > pos) {
    test = text_of(a.positional[pos]);
    rest.positional.assign(a.positional.begin() + static_cast<long>(pos) + 1, a.positional.end());
  }
  for (const auto& kw : a.keyword)
    if (kw.first != "attribute") rest.keyword.push_back(kw);
  Sequence seq(v);
  // The test is looked up once, on the first item (an unknown test is an
  // error only when there is something to test), not once per item: the
  // default theme selects among every date archive on every page.
  const TestFunction* fn = nullptr;
  for (size_t i = 0; i < seq.size(); ++i) {
    TValue item = seq[i];
    TValue subject = by_attr ? get(item) : item;
    bool r;
    if (test.empty()) {
      r = subject.truthy();
    } else {
      if (!fn) {
        fn = st.engine().find_test(test);
        if (!fn) throw TemplateError{"no test named '" + test + "'"};
      }
      CallArgs copy = rest;
      r = (*fn)(st, subject, copy);
    }
    if (r == want) out.push_back(std::move(item));
  }
  return TValue::list(std::move(out));
}

TValue f_groupby(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& attribute = argument(a, 0, "attribute", kNone);
  const TValue& def = argument(a, 1, "default", kNone);
  bool cs = argument(a, 2, "case_sensitive", kFalse).truthy();
  AttrGetter key(attribute, !cs);
  AttrGetter real(attribute, false);
  if (!def.is_none()) {
    key.fallback = real.fallback = def;
    key.has_fallback = real.has_fallback = true;
  }
  TValue::List items = to_list(v);
  sort_by(items, key, false);
  TValue::List groups;
  size_t i = 0;
  while (i < items.size()) {
    TValue k = key(items[i]);
    TValue::List members;
    size_t j = i;
    while (j < items.size() && values_equal(key(items[j]), k)) members.push_back(items[j++]);
    groups.push_back(
        TValue::list({cs ? k : real(items[i]), TValue::list(std::move(members))}, true));
    i = j;
  }
  return TValue::list(std::move(groups));
}

TValue f_batch(RenderState&, const TValue& v, CallArgs& a) {
  int64_t n = bounded(int_arg(argument(a, 0, "linecount", kNone), "linecount"), "linecount");
  const TValue& fill = argument(a, 1, "fill_with", kNone);
  TValue::List out, cur;
  Sequence seq(v);
  for (size_t i = 0; i < seq.size(); ++i) {
    if (static_cast<int64_t>(cur.size()) == n) {
      out.push_back(TValue::list(std::move(cur)));
      cur.clear();
    }
    cur.push_back(seq[i]);
  }
  if (!cur.empty()) {
    if (!fill.is_none())
      while (static_cast<int64_t>(cur.size()) < n) cur.push_back(fill);
    out.push_back(TValue::list(std::move(cur)));
  }
  return TValue::list(std::move(out));
}

TValue f_slice(RenderState&, const TValue& v, CallArgs& a) {
  int64_t slices = bounded(int_arg(argument(a, 0, "slices", kNone), "slices"), "slices");
  if (slices <= 0) throw TemplateError{"slices must be positive"};
  const TValue& fill = argument(a, 1, "fill_with", kNone);
  TValue::List seq = to_list(v);
  int64_t length = static_cast<int64_t>(seq.size());
  int64_t per = length / slices, extra = length % slices, offset = 0;
  TValue::List out;
  for (int64_t s = 0; s < slices; ++s) {
    int64_t start = offset + s * per;
    if (s < extra) ++offset;
    int64_t end = offset + (s + 1) * per;
    TValue::List tmp(seq.begin() + start, seq.begin() + end);
    if (!fill.is_none() && s >= extra) tmp.push_back(fill);
    out.push_back(TValue::list(std::move(tmp)));
  }
  return TValue::list(std::move(out));
}

TValue f_list(RenderState&, const TValue& v, CallArgs&) { return TValue::list(to_list(v)); }

TValue f_dictsort(RenderState&, const TValue& v, CallArgs& a) {
  bool cs = argument(a, 0, "case_sensitive", kFalse).truthy();
  static const TValue kKey = TValue::string_ref("key");
  std::string by = text_of(argument(a, 1, "by", kKey));
  bool reverse = argument(a, 2, "reverse", kFalse).truthy();
  if (by != "key" && by != "value")
    throw TemplateError{"You can only sort by either 'key' or 'value'"};
  if (!is_mapping(v)) throw TemplateError{"dictsort expects a mapping"};
  TValue::List items;
  for (auto& [k, val] : mapping_items(v)) items.push_back(TValue::list({k, val}, true));
  AttrGetter key(TValue::integer(by == "key" ? 0 : 1), !cs);
  sort_by(items, key, reverse);
  return TValue::list(std::move(items));
}

TValue f_items(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_undefined()) return TValue::list({});
  if (!is_mapping(v)) throw TemplateError{"Can only get item pairs from a mapping."};
  TValue::List items;
  for (auto& [k, val] : mapping_items(v)) items.push_back(TValue::list({k, val}, true));
  return TValue::list(std::move(items));
}

TValue f_round(RenderState&, const TValue& v, CallArgs& a) {
  int64_t precision = int_arg(argument(a, 0, "precision", TValue::integer(0)), "precision");
  static const TValue kCommon = TValue::string_ref("common");
  std::string method = text_of(argument(a, 1, "method", kCommon));
  if (method != "common" && method != "ceil" && method != "floor")
    throw TemplateError{"method must be common, ceil or floor"};
  if (!v.is_number())
    throw TemplateError{"type " + std::string(v.type_name()) + " doesn't define __round__ method"};
  if (method == "common") {
    if (v.is_int() || v.is_bool()) return TValue::integer(v.as_int());
    // printf rounds the exact binary value half-to-even, as Python's round.
    if (precision >= 0 && precision < 300) {
      char buf[512];
      std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), v.as_float());
      return TValue::number(std::strtod(buf, nullptr));
    }
    double m = std::pow(10.0, static_cast<double>(precision));
    return TValue::number(std::nearbyint(v.as_float() * m) / m);
  }
  double m = std::pow(10.0, static_cast<double>(precision));
  double x = v.as_float() * m;
  return TValue::number((method == "ceil" ? std::ceil(x) : std::floor(x)) / m);
}

bool parse_python_int(std::string_view s, int base, int64_t* out) {
  std::string t;
  std::string_view tr = trim(s);
  bool last_us = true;
  for (char c : tr) {
    if (c == '_') {
      if (last_us) return false;
      last_us = true;
      continue;
    }
    last_us = false;
    t += c;
  }
  if (t.empty() || last_us) return false;
  size_t start = (t[0] == '+' || t[0] == '-') ? 1 : 0;
  if (base == 16 && t.size() > start + 2 && t[start] == '0' &&
      (t[start + 1] == 'x' || t[start + 1] == 'X'))
    t.erase(start, 2);
  if (t.size() == start) return false;
  char* end = nullptr;
  errno = 0;
  long long r = std::strtoll(t.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  *out = r;
  return true;
}

bool parse_python_float(std::string_view s, double* out) {
  std::string t(trim(s));
  t.erase(std::remove(t.begin(), t.end(), '_'), t.end());
  if (t.empty()) return false;
  std::string low = lower_str(t);
  std::string_view body = low;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body == "inf" || body == "infinity" || body == "nan") {
    *out = body == "nan" ? NAN : (low[0] == '-' ? -INFINITY : INFINITY);
    return true;
  }
  for (char c : body)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-')) return false;
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (*end != '\0') return false;
  *out = d;
  return true;
}

TValue f_int(RenderState&, const TValue& v, CallArgs& a) {
  static const TValue kZero = TValue::integer(0);
  const TValue& def = argument(a, 0, "default", kZero);
  int base = static_cast<int>(int_arg(argument(a, 1, "base", TValue::integer(10)), "base"));
  if (v.is_int() || v.is_bool()) return TValue::integer(v.as_int());
  if (v.is_float()) {
    if (!std::isfinite(v.as_float())) return def;
    return TValue::integer(static_cast<int64_t>(v.as_float()));
  }
  if (v.is_string()) {
    int64_t i;
    if (parse_python_int(v.as_string(), base, &i)) return TValue::integer(i);
    double d;
    if (parse_python_float(v.as_string(), &d) && std::isfinite(d))
      return TValue::integer(static_cast<int64_t>(d));
  }
  return def;
}

TValue f_float(RenderState&, const TValue& v, CallArgs& a) {
  static const TValue kZero = TValue::number(0.0);
  const TValue& def = argument(a, 0, "default", kZero);
  if (v.is_number()) return TValue::number(v.as_float());
  double d;
  if (v.is_string() && parse_python_float(v.as_string(), &d)) return TValue::number(d);
  return def;
}

TValue f_abs(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_int() || v.is_bool()) return TValue::integer(std::llabs(v.as_int()));
  if (v.is_float()) return TValue::number(std::fabs(v.as_float()));
  throw TemplateError{"bad operand type for abs(): '" + std::string(v.type_name()) + "'"};
}

TValue f_string(RenderState&, const TValue& v, CallArgs&) { return soft_str(v); }
TValue f_safe(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_string()) return v.marked_safe();
  return TValue::safe(text_of(v));
}
TValue f_escape(RenderState&, const TValue& v, CallArgs&) { return escape_value(v); }
TValue f_forceescape(RenderState&, const TValue& v, CallArgs&) {
  std::string s = text_of(v);
  return TValue::safe(html_escape(s));
}

// HTML entity decoding for striptags (markupsafe's unescape uses Python's
// html.unescape; the common named entities and all numeric ones are here).
void html_unescape(std::string_view s, std::string& out) {
  static const std::pair<const char*, int32_t> kNamed[] = {
      {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},
      {"apos", '\''},    {"nbsp", 0xA0},    {"copy", 0xA9},     {"reg", 0xAE},
      {"raquo", 0xBB},   {"laquo", 0xAB},   {"hellip", 0x2026}, {"mdash", 0x2014},
      {"ndash", 0x2013}, {"rsquo", 0x2019}, {"lsquo", 0x2018},  {"rdquo", 0x201D},
      {"ldquo", 0x201C}, {"trade", 0x2122}, {"euro", 0x20AC},   {"middot", 0xB7},
      {"bull", 0x2022},  {"deg", 0xB0},     {"times", 0xD7},    {"eacute", 0xE9},
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      // The run up to the next '&', at once; the loop's ++i lands on it.
      size_t stop = std::min(s.find('&', i), s.size());
      out.append(s.substr(i, stop - i));
      i = stop - 1;
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi != std::string_view::npos && semi - i <= 10) {
      std::string_view ent = s.substr(i + 1, semi - i - 1);
      if (!ent.empty() && ent[0] == '#') {
        int32_t cp = 0;
        bool ok = ent.size() > 1;
        bool hex = ok && (ent[1] == 'x' || ent[1] == 'X');
        for (size_t k = hex ? 2 : 1; k < ent.size() && ok; ++k) {
          char c = ent[k];
          int d = (c >= '0' && c <= '9')          ? c - '0'
                  : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                  : -1;
          if (d < 0 || cp > 0x10FFFF)
            ok = false;
          else
            cp = cp * (hex ? 16 : 10) + d;
        }
        if (ok && ent.size() > (hex ? 2u : 1u)) {
          append_cp(out, cp > 0x10FFFF || cp == 0 ? 0xFFFD : cp);
          i = semi;
          continue;
        }
      } else {
        bool found = false;
        for (const auto& [name, cp] : kNamed)
          if (ent == name) {
            append_cp(out, cp);
            i = semi;
            found = true;
            break;
          }
        if (found) continue;
      }
    }
    out += '&';
  }
}

TValue striptags(const TValue& v);

TValue f_striptags(RenderState& state, const TValue& v, CallArgs&) {
  static const char kTag = 0;
  if (const TValue* known = state.recall(&kTag, v)) return *known;
  TValue result = striptags(v);
  state.remember(&kTag, v, result);
  return result;
}

TValue striptags(const TValue& v) {
  std::string owned;
  std::string_view s;
  if (v.is_safe()) {
    s = v.as_string();
  } else {
    owned = text_of(v);
    s = owned;
  }
  // Text between comments, then between tags, copied a run at a time. A
  // "<!--" (or "<") with no end after it cannot have one after any later
  // opener either, so the rest is then kept as it is.
  std::string without_comments;
  std::string_view no_comments = s;
  if (s.find("<!--") != std::string_view::npos) {
    without_comments.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
      size_t open = s.find("<!--", i);
      size_t close = open == std::string_view::npos ? open : s.find("-->", open + 4);
      if (close == std::string_view::npos) {
        without_comments.append(s.substr(i));
        break;
      }
      without_comments.append(s.substr(i, open - i));
      i = close + 3;
    }
    no_comments = without_comments;
  }
  std::string no_tags;
  no_tags.reserve(no_comments.size());
  for (size_t i = 0; i < no_comments.size();) {
    size_t open = no_comments.find('<', i);
    size_t close = open == std::string::npos ? open : no_comments.find('>', open + 1);
    if (close == std::string_view::npos) {
      no_tags.append(no_comments.substr(i));
      break;
    }
    no_tags.append(no_comments.substr(i, open - i));
    i = close + 1;
  }
  std::string joined;
  joined.reserve(no_tags.size());
  append_words_joined(no_tags, joined);
  std::string out;
  html_unescape(joined, out);
  return TValue::string(std::move(out));
}

void url_quote(std::string& out, std::string_view s, bool for_qs) {
  static const char* hex = "0123456789ABCDEF";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '_' ||
        c == '.' || c == '-' || c == '~' || (!for_qs && c == '/')) {
      out += c;
    } else if (for_qs && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
}

TValue f_urlencode(RenderState&, const TValue& v, CallArgs&) {
  std::string out;
  if (v.is_string()) {
    url_quote(out, v.as_string(), false);
    return TValue::string(std::move(out));
  }
  std::vector<std::pair<TValue, TValue>> pairs;
  if (is_mapping(v)) {
    pairs = mapping_items(v);
  } else if (v.is_list() || v.is_object()) {
    Sequence seq(v);
    for (size_t i = 0; i < seq.size(); ++i) {
      Sequence p(seq[i]);
      if (p.size() != 2) throw TemplateError{"urlencode expects pairs"};
      pairs.emplace_back(p[0], p[1]);
    }
  } else {
    url_quote(out, v.str(), false);
    return TValue::string(std::move(out));
  }
  bool first = true;
  for (const auto& [k, val] : pairs) {
    if (!first) out += '&';
    first = false;
    url_quote(out, k.str(), true);
    out += '=';
    url_quote(out, val.str(), true);
  }
  return TValue::string(std::move(out));
}

TValue f_indent(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& width = argument(a, 0, "width", TValue::integer(4));
  bool first = argument(a, 1, "first", kFalse).truthy();
  bool blank = argument(a, 2, "blank", kFalse).truthy();
  std::string ind = width.is_string()
                        ? std::string(width.as_string())
                        : std::string(static_cast<size_t>(std::max<int64_t>(
                                          0, bounded(int_arg(width, "width"), "width"))),
                                      ' ');
  std::string s = text_of(v) + "\n";
  std::vector<std::string> lines = split_lines(s);
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) rv += "\n" + ind;
      rv += lines[i];
    }
  } else {
    rv = lines.empty() ? "" : lines[0];
    if (lines.size() > 1) {
      rv += "\n";
      for (size_t i = 1; i < lines.size(); ++i) {
        if (i > 1) rv += "\n";
        if (!lines[i].empty()) rv += ind;
        rv += lines[i];
      }
    }
  }
  if (first) rv = ind + rv;
  return TValue::string(std::move(rv), v.is_safe());
}

TValue f_center(RenderState&, const TValue& v, CallArgs& a) {
  int64_t width = bounded(int_arg(argument(a, 0, "width", TValue::integer(80)), "width"), "width");
  std::string s = text_of(v);
  int64_t len = static_cast<int64_t>(utf8_length(s));
  if (len >= width) return TValue::string(std::move(s), v.is_safe());
  int64_t marg = width - len;
  int64_t left = marg / 2 + (marg & width & 1);
  std::string out(static_cast<size_t>(left), ' ');
  out += s;
  out.append(static_cast<size_t>(marg - left), ' ');
  return TValue::string(std::move(out), v.is_safe());
}

TValue f_format(RenderState&, const TValue& v, CallArgs& a) {
  if (!a.positional.empty() && !a.keyword.empty())
    throw TemplateError{"can't handle positional and keyword arguments at the same time"};
  TValue args;
  if (!a.keyword.empty()) {
    TValue::Dict d;
    for (auto& [k, val] : a.keyword) d.emplace_back(TValue::string(k), val);
    args = TValue::dict(std::move(d));
  } else {
    args = TValue::list(a.positional, true);
  }
  std::string fmt = text_of(v);
  return TValue::string(percent_format(fmt, args, v.is_safe()), v.is_safe());
}

TValue add_values(const TValue& a, const TValue& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return TValue::number(a.as_float() + b.as_float());
    return TValue::integer(a.as_int() + b.as_int());
  }
  if (a.is_list() && b.is_list() && a.is_tuple() == b.is_tuple()) {
    TValue::List l = a.as_list();
    l.insert(l.end(), b.as_list().begin(), b.as_list().end());
    return TValue::list(std::move(l), a.is_tuple());
  }
  throw TemplateError{"unsupported operand type(s) for +: '" + std::string(a.type_name()) +
                      "' and '" + std::string(b.type_name()) + "'"};
}

TValue f_sum(RenderState&, const TValue& v, CallArgs& a) {
  AttrGetter get(argument(a, 0, "attribute", kNone), false);
  TValue total = argument(a, 1, "start", TValue::integer(0));
  Sequence seq(v);
  for (size_t i = 0; i < seq.size(); ++i) total = add_values(total, get(seq[i]));
  return total;
}

TValue min_max(const TValue& v, CallArgs& a, bool want_max) {
  bool cs = argument(a, 0, "case_sensitive", kFalse).truthy();
  AttrGetter key(argument(a, 1, "attribute", kNone), !cs);
  Sequence seq(v);
  if (seq.size() == 0) return TValue::undefined("No aggregated item, sequence was empty.");
  TValue best = seq[0];
  TValue best_key = key(best);
  for (size_t i = 1; i < seq.size(); ++i) {
    TValue item = seq[i];
    TValue k = key(item);
    if (want_max ? value_less(best_key, k) : value_less(k, best_key)) {
      best = item;
      best_key = k;
    }
  }
  return best;
}

TValue f_min(RenderState&, const TValue& v, CallArgs& a) { return min_max(v, a, false); }
TValue f_max(RenderState&, const TValue& v, CallArgs& a) { return min_max(v, a, true); }

void json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  auto escape_cp = [&](int32_t c) {
    auto u4 = [&](int32_t x) {
      out += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) out += hex[(x >> sh) & 15];
    };
    switch (c) {
      case '"':
        out += "\\\"";
        return;
      case '\\':
        out += "\\\\";
        return;
      case '\n':
        out += "\\n";
        return;
      case '\r':
        out += "\\r";
        return;
      case '\t':
        out += "\\t";
        return;
      case '\b':
        out += "\\b";
        return;
      case '\f':
        out += "\\f";
        return;
      default:
        break;
    }
    if (c < 0x20 || c > 0x7E) {
      if (c > 0xFFFF) {
        int32_t x = c - 0x10000;
        u4(0xD800 + (x >> 10));
        u4(0xDC00 + (x & 0x3FF));
      } else {
        u4(c);
      }
      return;
    }
    out += static_cast<char>(c);
  };
  // Printable ASCII other than '"' and '\\' stands for itself: copied a run
  // at a time; everything else goes a code point at a time, decoded as
  // for_each_cp decodes it (a run never splits a multi-byte sequence).
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_ssize_t run = i;
    while (i < n && p[i] >= 0x20 && p[i] <= 0x7E && p[i] != '"' && p[i] != '\\') ++i;
    out.append(s.data() + run, static_cast<size_t>(i - run));
    if (i == n) break;
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) {
      cp = 0xFFFD;
      len = 1;
    }
    escape_cp(cp);
    i += len;
  }
  out += '"';
}

void to_json(std::string& out, const TValue& v, int indent, int level) {
  auto newline = [&](int lvl) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * lvl), ' ');
  };
  const char* item_sep = indent < 0 ? ", " : ",";
  switch (v.kind()) {
    case TValue::Kind::kNone:
      out += "null";
      return;
    case TValue::Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case TValue::Kind::kInt:
      v.append_str(out);
      return;
    case TValue::Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d))
        out += "NaN";
      else if (std::isinf(d))
        out += d < 0 ? "-Infinity" : "Infinity";
      else
        append_python_float(out, d);
      return;
    }
    case TValue::Kind::kString:
      json_string(out, v.as_string());
      return;
    default:
      break;
  }
  if (is_mapping(v)) {
    auto items = mapping_items(v);
    std::vector<std::pair<std::string, TValue>> sorted;
    for (auto& [k, val] : items) {
      if (k.is_string())
        sorted.emplace_back(std::string(k.as_string()), val);
      else if (k.is_none())
        sorted.emplace_back("null", val);
      else if (k.is_number() || k.is_bool())
        sorted.emplace_back(k.is_bool() ? (k.as_bool() ? "true" : "false") : k.str(), val);
      else
        throw TemplateError{"keys must be str, int, float, bool or None, not " +
                            std::string(k.type_name())};
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    if (sorted.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i) out += item_sep;
      newline(level + 1);
      json_string(out, sorted[i].first);
      out += ": ";
      to_json(out, sorted[i].second, indent, level + 1);
    }
    newline(level);
    out += '}';
    return;
  }
  if (v.is_list() || (v.is_object() && v.object_type()->is_sequence(v.object_self()))) {
    Sequence seq(v);
    if (seq.size() == 0) {
      out += "[]";
      return;
    }
    out += '[';
    for (size_t i = 0; i < seq.size(); ++i) {
      if (i) out += item_sep;
      newline(level + 1);
      to_json(out, seq[i], indent, level + 1);
    }
    newline(level);
    out += ']';
    return;
  }
  throw TemplateError{"Object of type " + std::string(v.type_name()) + " is not JSON serializable"};
}

TValue f_tojson(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& ind = argument(a, 0, "indent", kNone);
  int indent = ind.is_none() ? -1 : static_cast<int>(int_arg(ind, "indent"));
  std::string json;
  to_json(json, v, indent, 0);
  // Most JSON has none of the characters to escape: then it is the result.
  bool clean = true;
  for (char c : json) clean &= c != '<' && c != '>' && c != '&' && c != '\'';
  if (clean) return TValue::safe(std::move(json));
  std::string out;
  out.reserve(json.size() + 64);
  size_t run = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char* rep;
    switch (json[i]) {
      case '<':
        rep = "\\u003c";
        break;
      case '>':
        rep = "\\u003e";
        break;
      case '&':
        rep = "\\u0026";
        break;
      case '\'':
        rep = "\\u0027";
        break;
      default:
        continue;
    }
    out.append(json, run, i - run);
    out.append(rep, 6);
    run = i + 1;
  }
  out.append(json, run, std::string::npos);
  return TValue::safe(std::move(out));
}

bool is_ascii_letter(int32_t c) {
  return c >= 0x80 ? utf8proc_category(c) <= UTF8PROC_CATEGORY_LO &&
                         utf8proc_category(c) >= UTF8PROC_CATEGORY_LU
                   : ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

// textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False, ...)
std::vector<std::string> wrap_line(const std::vector<int32_t>& text, size_t width, bool break_long,
                                   bool break_on_hyphens) {
  using Chunk = std::vector<int32_t>;
  auto is_ws = [](int32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  std::vector<Chunk> chunks;
  size_t i = 0;
  while (i < text.size()) {
    Chunk c;
    if (is_ws(text[i])) {
      while (i < text.size() && is_ws(text[i])) c.push_back(text[i++]);
    } else {
      while (i < text.size() && !is_ws(text[i])) {
        c.push_back(text[i]);
        // A hyphen between letters ends a chunk (letter letter - letter letter).
        if (break_on_hyphens && text[i] == '-' && c.size() >= 3 &&
            is_ascii_letter(c[c.size() - 2]) && is_ascii_letter(c[c.size() - 3]) &&
            i + 2 < text.size() + 1 && i + 1 < text.size() && is_ascii_letter(text[i + 1]) &&
            i + 2 < text.size() && is_ascii_letter(text[i + 2])) {
          ++i;
          break;
        }
        ++i;
      }
    }
    chunks.push_back(std::move(c));
  }
  auto blank = [&](const Chunk& c) {
    for (int32_t x : c)
      if (!is_ws(x)) return false;
    return true;
  };
  std::reverse(chunks.begin(), chunks.end());
  std::vector<std::string> lines;
  while (!chunks.empty()) {
    std::vector<Chunk> cur;
    size_t cur_len = 0;
    if (blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      size_t l = chunks.back().size();
      if (cur_len + l <= width) {
        cur_len += l;
        cur.push_back(std::move(chunks.back()));
        chunks.pop_back();
      } else {
        break;
      }
    }
    if (!chunks.empty() && chunks.back().size() > width) {
      size_t space_left = width > cur_len ? width - cur_len : 1;
      if (width < 1) space_left = 1;
      Chunk& c = chunks.back();
      if (break_long) {
        size_t end = space_left;
        if (break_on_hyphens && c.size() > space_left) {
          size_t h = std::string::npos;
          for (size_t k = 0; k < space_left && k < c.size(); ++k)
            if (c[k] == '-') h = k;
          if (h != std::string::npos && h > 0) {
            bool non_hyphen = false;
            for (size_t k = 0; k < h; ++k)
              if (c[k] != '-') non_hyphen = true;
            if (non_hyphen) end = h + 1;
          }
        }
        cur.push_back(Chunk(c.begin(), c.begin() + static_cast<long>(end)));
        cur_len += end;
        c.erase(c.begin(), c.begin() + static_cast<long>(end));
      } else if (cur.empty()) {
        cur.push_back(std::move(c));
        chunks.pop_back();
      }
    }
    if (!cur.empty() && blank(cur.back())) cur.pop_back();
    if (!cur.empty()) {
      std::string line;
      for (const Chunk& c : cur) line += from_cps(c);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

TValue f_wordwrap(RenderState&, const TValue& v, CallArgs& a) {
  int64_t width = int_arg(argument(a, 0, "width", TValue::integer(79)), "width");
  if (width <= 0) throw TemplateError{"invalid width " + std::to_string(width) + " (must be > 0)"};
  bool break_long = argument(a, 1, "break_long_words", kTrue).truthy();
  const TValue& ws = argument(a, 2, "wrapstring", kNone);
  bool hyphens = argument(a, 3, "break_on_hyphens", kTrue).truthy();
  std::string wrap = ws.is_none() ? "\n" : text_of(ws);
  std::string out;
  bool first_line = true;
  for (const std::string& line : split_lines(text_of(v))) {
    if (!first_line) out += wrap;
    first_line = false;
    auto lines = wrap_line(code_points(line), static_cast<size_t>(width), break_long, hyphens);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) out += wrap;
      out += lines[i];
    }
  }
  return TValue::string(std::move(out));
}

TValue f_attr(RenderState&, const TValue& v, CallArgs& a) {
  // attr() is getattr only: dict keys are items, not attributes.
  std::string name = text_of(argument(a, 0, "name", kEmpty));
  bool json_map = v.is_object() && is_value_object_type(v.object_type());
  if ((v.is_dict() || json_map) && !v.is_namespace() && name != "items" && name != "keys" &&
      name != "values" && name != "get")
    return TValue::undefined("'dict object' has no attribute '" + name + "'");
  return get_attribute(v, name);
}

TValue f_filesizeformat(RenderState&, const TValue& v, CallArgs& a) {
  bool binary = argument(a, 0, "binary", kFalse).truthy();
  double bytes = v.is_number() ? v.as_float() : 0;
  if (v.is_string()) std::sscanf(std::string(v.as_string()).c_str(), "%lf", &bytes);
  double base = binary ? 1024 : 1000;
  static const char* dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return TValue::string("1 Byte");
  if (bytes < base) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d Bytes", static_cast<int>(bytes));
    return TValue::string(buf);
  }
  for (int i = 0; i < 8; ++i) {
    double unit = std::pow(base, i + 2);
    if (bytes < unit || i == 7) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f %s", base * bytes / unit, binary ? bin[i] : dec[i]);
      return TValue::string(buf);
    }
  }
  return TValue::string("");
}

// ---- tests ----

bool t_defined(RenderState&, const TValue& v, CallArgs&) { return !v.is_undefined(); }
bool t_undefined(RenderState&, const TValue& v, CallArgs&) { return v.is_undefined(); }
bool t_none(RenderState&, const TValue& v, CallArgs&) { return v.is_none(); }
bool t_number(RenderState&, const TValue& v, CallArgs&) { return v.is_number(); }
bool t_string(RenderState&, const TValue& v, CallArgs&) { return v.is_string(); }
bool t_mapping(RenderState&, const TValue& v, CallArgs&) { return is_mapping(v); }
bool t_iterable(RenderState&, const TValue& v, CallArgs&) {
  return v.is_undefined() || v.is_string() || v.is_list() || v.is_dict() ||
         (v.is_object() && (v.object_type()->is_sequence(v.object_self()) ||
                            v.object_type()->is_mapping(v.object_self())));
}
bool t_sequence(RenderState&, const TValue& v, CallArgs&) {
  return v.is_string() || v.is_list() || v.is_dict() ||
         (v.is_object() && (v.object_type()->is_sequence(v.object_self()) ||
                            v.object_type()->is_mapping(v.object_self())));
}
int64_t int_operand(const TValue& v) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_float() && v.as_float() == std::floor(v.as_float()))
    return static_cast<int64_t>(v.as_float());
  throw TemplateError{"not all arguments converted during string formatting"};
}
bool t_even(RenderState&, const TValue& v, CallArgs&) { return int_operand(v) % 2 == 0; }
bool t_odd(RenderState&, const TValue& v, CallArgs&) { return int_operand(v) % 2 != 0; }
bool t_divisibleby(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& n = argument(a, 0, "num", kNone);
  if (!n.is_number()) throw TemplateError{"divisibleby needs a number"};
  if (v.is_float() || n.is_float()) {
    if (n.as_float() == 0) throw TemplateError{"float modulo"};
    return std::fmod(v.as_float(), n.as_float()) == 0;
  }
  if (n.as_int() == 0) throw TemplateError{"integer division or modulo by zero"};
  if (!v.is_number()) throw TemplateError{"unsupported operand type(s) for %"};
  return v.as_int() % n.as_int() == 0;
}
bool t_in(RenderState&, const TValue& v, CallArgs& a) {
  return value_contains(argument(a, 0, "seq", kNone), v);
}
bool t_sameas(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  if (v.kind() != o.kind()) return false;
  switch (v.kind()) {
    case TValue::Kind::kNone:
    case TValue::Kind::kUndefined:
      return true;
    case TValue::Kind::kBool:
      return v.as_bool() == o.as_bool();
    case TValue::Kind::kInt:
      return v.as_int() == o.as_int() && v.as_int() >= -5 && v.as_int() <= 256;
    case TValue::Kind::kList:
      return &v.as_list() == &o.as_list();
    case TValue::Kind::kDict:
      return &v.as_dict() == &o.as_dict();
    case TValue::Kind::kObject:
      return v.object_type() == o.object_type() && v.object_self() == o.object_self();
    case TValue::Kind::kCallable:
      return &v.as_callable() == &o.as_callable();
    default:
      return false;
  }
}
bool t_eq(RenderState&, const TValue& v, CallArgs& a) {
  return values_equal(v, argument(a, 0, "other", kNone));
}
bool t_ne(RenderState&, const TValue& v, CallArgs& a) {
  return !values_equal(v, argument(a, 0, "other", kNone));
}
bool t_lt(RenderState&, const TValue& v, CallArgs& a) {
  return value_less(v, argument(a, 0, "other", kNone));
}
bool t_gt(RenderState&, const TValue& v, CallArgs& a) {
  return value_less(argument(a, 0, "other", kNone), v);
}
bool t_le(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  return value_less(v, o) || values_equal(v, o);
}
bool t_ge(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& o = argument(a, 0, "other", kNone);
  return value_less(o, v) || values_equal(v, o);
}
bool t_true(RenderState&, const TValue& v, CallArgs&) { return v.is_bool() && v.as_bool(); }
bool t_false(RenderState&, const TValue& v, CallArgs&) { return v.is_bool() && !v.as_bool(); }
bool t_boolean(RenderState&, const TValue& v, CallArgs&) { return v.is_bool(); }
bool t_integer(RenderState&, const TValue& v, CallArgs&) { return v.is_int(); }
bool t_float(RenderState&, const TValue& v, CallArgs&) { return v.is_float(); }
bool t_lower(RenderState&, const TValue& v, CallArgs&) {
  bool cased = false, ok = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (is_cased_upper(c) || utf8proc_category(c) == UTF8PROC_CATEGORY_LT) ok = false;
    if (is_cased_lower(c)) cased = true;
  });
  return ok && cased;
}
bool t_upper(RenderState&, const TValue& v, CallArgs&) {
  bool cased = false, ok = true;
  for_each_cp(text_of(v), [&](int32_t c) {
    if (is_cased_lower(c) || utf8proc_category(c) == UTF8PROC_CATEGORY_LT) ok = false;
    if (is_cased_upper(c)) cased = true;
  });
  return ok && cased;
}
bool t_callable(RenderState&, const TValue& v, CallArgs&) { return v.is_callable(); }
bool t_escaped(RenderState&, const TValue& v, CallArgs&) { return v.is_safe(); }
bool t_filter(RenderState& st, const TValue& v, CallArgs&) {
  return v.is_string() && st.engine().find_filter(v.as_string());
}
bool t_test(RenderState& st, const TValue& v, CallArgs&) {
  return v.is_string() && st.engine().find_test(v.as_string());
}

// ---- globals ----

TValue g_range(RenderState&, CallArgs& a) {
  int64_t start = 0, stop = 0, step = 1;
  if (a.positional.size() == 1) {
    stop = int_arg(a.positional[0], "stop");
  } else if (a.positional.size() >= 2) {
    start = int_arg(a.positional[0], "start");
    stop = int_arg(a.positional[1], "stop");
    if (a.positional.size() >= 3) step = int_arg(a.positional[2], "step");
  } else {
    throw TemplateError{"range expected at least 1 argument, got 0"};
  }
  if (step == 0) throw TemplateError{"range() arg 3 must not be zero"};
  TValue::List out;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (out.size() >= 100000)
      throw TemplateError{"range too big, maximum size for range is 100000"};
    out.push_back(TValue::integer(i));
  }
  return TValue::list(std::move(out));
}

TValue g_dict(RenderState&, CallArgs& a) {
  TValue::Dict d;
  if (!a.positional.empty() && is_mapping(a.positional[0])) d = mapping_items(a.positional[0]);
  for (auto& [k, v] : a.keyword) d.emplace_back(TValue::string(k), v);
  return TValue::dict(std::move(d));
}

TValue g_namespace(RenderState&, CallArgs& a) {
  TValue::Dict d;
  if (!a.positional.empty() && is_mapping(a.positional[0])) d = mapping_items(a.positional[0]);
  for (auto& [k, v] : a.keyword) d.emplace_back(TValue::string(k), v);
  return TValue::namespace_dict(std::move(d));
}

class Joiner final : public Callable {
 public:
  explicit Joiner(TValue sep) : sep_(std::move(sep)) {}
  std::string_view name() const override { return "joiner"; }
  TValue call(RenderState&, CallArgs&) const override {
    if (!used_) {
      used_ = true;
      return TValue::string_ref("");
    }
    return sep_;
  }

 private:
  TValue sep_;
  mutable bool used_ = false;
};

struct CyclerState : std::enable_shared_from_this<CyclerState> {
  TValue::List items;
  size_t pos = 0;
};

class CyclerMethod final : public Callable {
 public:
  CyclerMethod(std::shared_ptr<CyclerState> s, bool reset) : s_(std::move(s)), reset_(reset) {}
  std::string_view name() const override { return reset_ ? "reset" : "next"; }
  TValue call(RenderState&, CallArgs&) const override {
    if (reset_) {
      s_->pos = 0;
      return TValue::none();
    }
    TValue v = s_->items[s_->pos];
    s_->pos = (s_->pos + 1) % s_->items.size();
    return v;
  }

 private:
  std::shared_ptr<CyclerState> s_;
  bool reset_;
};

class CyclerType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "Cycler"; }
  TValue attribute(const void* self, std::string_view name) const override {
    auto* s = const_cast<CyclerState*>(static_cast<const CyclerState*>(self));
    std::shared_ptr<CyclerState> keep = s->shared_from_this();
    if (name == "current") return s->items[s->pos];
    if (name == "next" || name == "reset")
      return TValue::callable(std::make_shared<CyclerMethod>(keep, name == "reset"));
    return TValue::undefined();
  }
};

const CyclerType kCyclerType;

TValue g_cycler(RenderState&, CallArgs& a) {
  if (a.positional.empty()) throw TemplateError{"at least one item has to be provided"};
  auto s = std::make_shared<CyclerState>();
  s->items = a.positional;
  return TValue::object(&kCyclerType, s.get(), s);
}

TValue g_joiner(RenderState&, CallArgs& a) {
  static const TValue kComma = TValue::string_ref(", ");
  return TValue::callable(std::make_shared<Joiner>(argument(a, 0, "sep", kComma)));
}

}  // namespace

void register_builtin_filters(TemplateEngine& e) {
  e.add_filter("default", f_default);
  e.add_filter("d", f_default);
  e.add_filter("length", f_length);
  e.add_filter("count", f_length);
  e.add_filter("lower", f_lower);
  e.add_filter("upper", f_upper);
  e.add_filter("title", f_title);
  e.add_filter("capitalize", f_capitalize);
  e.add_filter("trim", f_trim);
  e.add_filter("truncate", f_truncate);
  e.add_filter("wordcount", f_wordcount);
  e.add_filter("replace", f_replace);
  e.add_filter("join", f_join);
  e.add_filter("first", f_first);
  e.add_filter("last", f_last);
  e.add_filter("sort", f_sort);
  e.add_filter("reverse", f_reverse);
  e.add_filter("unique", f_unique);
  e.add_filter("map", f_map);
  e.add_filter("select", [](RenderState& s, const TValue& v, CallArgs& a) {
    return select_impl(s, v, a, true, false);
  });
  e.add_filter("reject", [](RenderState& s, const TValue& v, CallArgs& a) {
    return select_impl(s, v, a, false, false);
  });
  e.add_filter("selectattr", [](RenderState& s, const TValue& v, CallArgs& a) {
    return select_impl(s, v, a, true, true);
  });
  e.add_filter("rejectattr", [](RenderState& s, const TValue& v, CallArgs& a) {
    return select_impl(s, v, a, false, true);
  });
  e.add_filter("groupby", f_groupby);
  e.add_filter("batch", f_batch);
  e.add_filter("slice", f_slice);
  e.add_filter("list", f_list);
  e.add_filter("dictsort", f_dictsort);
  e.add_filter("items", f_items);
  e.add_filter("round", f_round);
  e.add_filter("int", f_int);
  e.add_filter("float", f_float);
  e.add_filter("abs", f_abs);
  e.add_filter("string", f_string);
  e.add_filter("safe", f_safe);
  e.add_filter("escape", f_escape);
  e.add_filter("e", f_escape);
  e.add_filter("forceescape", f_forceescape);
  e.add_filter("striptags", f_striptags);
  e.add_filter("urlencode", f_urlencode);
  e.add_filter("indent", f_indent);
  e.add_filter("center", f_center);
  e.add_filter("format", f_format);
  e.add_filter("sum", f_sum);
  e.add_filter("min", f_min);
  e.add_filter("max", f_max);
  e.add_filter("tojson", f_tojson);
  e.add_filter("wordwrap", f_wordwrap);
  e.add_filter("attr", f_attr);
  e.add_filter("filesizeformat", f_filesizeformat);

  e.add_test("defined", t_defined);
  e.add_test("undefined", t_undefined);
  e.add_test("none", t_none);
  e.add_test("number", t_number);
  e.add_test("string", t_string);
  e.add_test("mapping", t_mapping);
  e.add_test("iterable", t_iterable);
  e.add_test("sequence", t_sequence);
  e.add_test("even", t_even);
  e.add_test("odd", t_odd);
  e.add_test("divisibleby", t_divisibleby);
  e.add_test("in", t_in);
  e.add_test("sameas", t_sameas);
  for (const char* n : {"eq", "equalto", "=="}) e.add_test(n, t_eq);
  for (const char* n : {"ne", "!="}) e.add_test(n, t_ne);
  for (const char* n : {"lt", "lessthan", "<"}) e.add_test(n, t_lt);
  for (const char* n : {"le", "<="}) e.add_test(n, t_le);
  for (const char* n : {"gt", "greaterthan", ">"}) e.add_test(n, t_gt);
  for (const char* n : {"ge", ">="}) e.add_test(n, t_ge);
  e.add_test("true", t_true);
  e.add_test("false", t_false);
  e.add_test("boolean", t_boolean);
  e.add_test("integer", t_integer);
  e.add_test("float", t_float);
  e.add_test("lower", t_lower);
  e.add_test("upper", t_upper);
  e.add_test("callable", t_callable);
  e.add_test("escaped", t_escaped);
  e.add_test("filter", t_filter);
  e.add_test("test", t_test);

  e.add_function("range", g_range);
  e.add_function("dict", g_dict);
  e.add_function("namespace", g_namespace);
  e.add_function("cycler", g_cycler);
  e.add_function("joiner", g_joiner);
}

}  // namespace byline
