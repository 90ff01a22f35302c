// Jinja2's filters over sequences and mappings (join, sort, map, select,
// groupby, batch, dictsort, sum, min, max, ...).
#include <algorithm>

#include "templates/template_filter_support.h"
#include "templates/template_operations.h"
#include "templates/template_unicode.h"

namespace byline {
namespace {

const TValue kNone = TValue::none();
const TValue kFalse = TValue::boolean(false);
const TValue kEmpty = TValue::string_ref("");

TValue f_length(RenderState&, const TValue& v, CallArgs&) {
  return TValue::integer(static_cast<int64_t>(value_length(v)));
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
      // Checked before each item is added (escaping may add a little).
      if (items[i].is_string())
        check_string_size(out.size() + sep.size() + items[i].as_string().size());
      if (i) out += sep;
      append_output(out, items[i], true);
      check_string_size(out.size());
    }
    return TValue::safe(std::move(out));
  }
  std::string sep = text_of(d);
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_string())
      check_string_size(out.size() + sep.size() + items[i].as_string().size());
    if (i) out += sep;
    items[i].append_str(out);
    check_string_size(out.size());
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

// The filters that give a new list in Jinja2 (not a generator) mark it
// theirs to change in place: |list, |sort, |dictsort, |groupby and its
// groups' lists, and the lists |batch and |slice yield.
TValue f_sort(RenderState& st, const TValue& v, CallArgs& a) {
  bool reverse = argument(a, 0, "reverse", kFalse).truthy();
  bool cs = argument(a, 1, "case_sensitive", kFalse).truthy();
  AttrGetter key(argument(a, 2, "attribute", kNone), !cs, true);
  TValue::List items = to_list(v);
  sort_by(items, key, reverse);
  return TValue::list(std::move(items)).owned_by(st.mutation_token());
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

// map and the select family give nothing for a false value (none, 0, ""),
// before even looking at their arguments, as Jinja2's do.
TValue f_map(RenderState& st, const TValue& v, CallArgs& a) {
  if (!v.truthy()) return TValue::list({});
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
  if (!v.truthy()) return TValue::list({});
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

TValue f_groupby(RenderState& st, const TValue& v, CallArgs& a) {
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
    TValue group = TValue::list(std::move(members)).owned_by(st.mutation_token());
    groups.push_back(TValue::list({cs ? k : real(items[i]), std::move(group)}, true));
    i = j;
  }
  return TValue::list(std::move(groups)).owned_by(st.mutation_token());
}

TValue f_batch(RenderState& st, const TValue& v, CallArgs& a) {
  int64_t n = bounded(int_arg(argument(a, 0, "linecount", kNone), "linecount"), "linecount");
  const TValue& fill = argument(a, 1, "fill_with", kNone);
  TValue::List out, cur;
  Sequence seq(v);
  for (size_t i = 0; i < seq.size(); ++i) {
    if (static_cast<int64_t>(cur.size()) == n) {
      out.push_back(TValue::list(std::move(cur)).owned_by(st.mutation_token()));
      cur.clear();
    }
    cur.push_back(seq[i]);
  }
  if (!cur.empty()) {
    if (!fill.is_none())
      while (static_cast<int64_t>(cur.size()) < n) cur.push_back(fill);
    out.push_back(TValue::list(std::move(cur)).owned_by(st.mutation_token()));
  }
  return TValue::list(std::move(out));
}

TValue f_slice(RenderState& st, const TValue& v, CallArgs& a) {
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
    out.push_back(TValue::list(std::move(tmp)).owned_by(st.mutation_token()));
  }
  return TValue::list(std::move(out));
}

TValue f_list(RenderState& st, const TValue& v, CallArgs&) {
  return TValue::list(to_list(v)).owned_by(st.mutation_token());
}

TValue f_dictsort(RenderState& st, const TValue& v, CallArgs& a) {
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
  return TValue::list(std::move(items)).owned_by(st.mutation_token());
}

TValue f_items(RenderState&, const TValue& v, CallArgs&) {
  if (v.is_undefined()) return TValue::list({});
  if (!is_mapping(v)) throw TemplateError{"Can only get item pairs from a mapping."};
  TValue::List items;
  for (auto& [k, val] : mapping_items(v)) items.push_back(TValue::list({k, val}, true));
  return TValue::list(std::move(items));
}

TValue add_values(const TValue& a, const TValue& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return TValue::number(a.as_float() + b.as_float());
    int64_t r;
    if (__builtin_add_overflow(a.as_int(), b.as_int(), &r))
      throw TemplateError{"integer overflow in 'sum': the result does not fit in 64 bits"};
    return TValue::integer(r);
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

}  // namespace

void register_sequence_filters(TemplateEngine& e) {
  e.add_filter("length", f_length);
  e.add_filter("count", f_length);
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
  e.add_filter("sum", f_sum);
  e.add_filter("min", f_min);
  e.add_filter("max", f_max);
}

}  // namespace byline
