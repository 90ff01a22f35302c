// Page records in the state's byte format.
#include "state/page_record.h"

#include "base/hash.h"

namespace byline {

namespace {

// Deeper front matter than this is not something a build wrote.
constexpr int kMaxDepth = 200;

void write_diagnostic(const Diagnostic& d, BinaryWriter& w) {
  w.u8(static_cast<uint8_t>(d.severity));
  w.str(d.location.path);
  w.svarint(d.location.line);
  w.svarint(d.location.column);
  w.str(d.message);
  w.str(d.source_line);
}

bool read_diagnostic(BinaryReader& r, Diagnostic* d) {
  uint8_t severity = r.u8();
  if (severity > static_cast<uint8_t>(Severity::kNote)) return false;
  d->severity = static_cast<Severity>(severity);
  d->location.path = r.str();
  d->location.line = static_cast<int>(r.svarint());
  d->location.column = static_cast<int>(r.svarint());
  d->message = r.str();
  d->source_line = r.str();
  return !r.failed();
}

}  // namespace

void write_value(const Value& v, BinaryWriter& w) {
  w.u8(static_cast<uint8_t>(v.kind()));
  w.svarint(v.line);
  w.svarint(v.column);
  switch (v.kind()) {
    case Value::Kind::kNull:
      break;
    case Value::Kind::kBool:
      w.u8(v.as_bool() ? 1 : 0);
      break;
    case Value::Kind::kInt:
      w.svarint(v.as_int());
      break;
    case Value::Kind::kFloat: {
      double d = v.as_float();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      w.u64(bits);
      break;
    }
    case Value::Kind::kString:
      w.str(v.as_string());
      break;
    case Value::Kind::kList:
      w.varint(v.as_list().size());
      for (const Value& item : v.as_list()) write_value(item, w);
      break;
    case Value::Kind::kMap:
      w.varint(v.as_map().size());
      for (const auto& [k, item] : v.as_map()) {
        w.str(k);
        write_value(item, w);
      }
      break;
  }
}

bool read_value(BinaryReader& r, Value* out, int depth) {
  if (depth > kMaxDepth) return false;
  uint8_t kind = r.u8();
  int line = static_cast<int>(r.svarint());
  int column = static_cast<int>(r.svarint());
  switch (static_cast<Value::Kind>(kind)) {
    case Value::Kind::kNull:
      *out = Value();
      break;
    case Value::Kind::kBool:
      *out = Value::boolean(r.u8() != 0);
      break;
    case Value::Kind::kInt:
      *out = Value::integer(r.svarint());
      break;
    case Value::Kind::kFloat: {
      uint64_t bits = r.u64();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      *out = Value::number(d);
      break;
    }
    case Value::Kind::kString:
      *out = Value::string(std::string(r.str()));
      break;
    case Value::Kind::kList: {
      size_t n = r.count(3);
      Value::List items(n);
      for (Value& item : items)
        if (!read_value(r, &item, depth + 1)) return false;
      *out = Value::list(std::move(items));
      break;
    }
    case Value::Kind::kMap: {
      size_t n = r.count(4);
      // Built entry by entry: clang 14 with libstdc++ 12 cannot
      // default-construct a pair holding a Value (the trait is evaluated
      // while Value is still incomplete), so Map(n) does not compile there.
      Value::Map items;
      items.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        std::string k(r.str());
        Value item;
        if (!read_value(r, &item, depth + 1)) return false;
        items.emplace_back(std::move(k), std::move(item));
      }
      *out = Value::map(std::move(items));
      break;
    }
    default:
      return false;
  }
  out->line = line;
  out->column = column;
  return !r.failed();
}

namespace {

void write_date(const std::optional<DateTime>& d, BinaryWriter& w) {
  if (!d) {
    w.u8(0);
    return;
  }
  w.u8(1 | (d->has_time ? 2 : 0) | (d->has_offset ? 4 : 0));
  w.svarint(d->utc_seconds);
  w.svarint(d->offset_minutes);
}

bool read_date(BinaryReader& r, std::optional<DateTime>* out) {
  uint8_t flags = r.u8();
  if (!(flags & 1)) {
    out->reset();
    return !r.failed() && flags == 0;
  }
  DateTime d;
  d.has_time = flags & 2;
  d.has_offset = flags & 4;
  d.utc_seconds = r.svarint();
  d.offset_minutes = static_cast<int>(r.svarint());
  *out = d;
  return !r.failed();
}

void write_appearance(const Appearance& a, BinaryWriter& w) {
  write_date(a.date, w);
  for (const std::string* s : {&a.outlet, &a.kind, &a.topic, &a.url, &a.language, &a.note})
    w.str(*s);
  w.varint(a.pickups.size());
  for (const Pickup& p : a.pickups) {
    w.str(p.outlet);
    w.str(p.url);
    w.str(p.language);
    w.str(p.note);
  }
  w.svarint(a.origin.line);
  w.svarint(a.origin.column);
}

bool read_appearance(BinaryReader& r, Appearance* a) {
  std::optional<DateTime> date;
  if (!read_date(r, &date) || !date) return false;
  a->date = *date;
  for (std::string* s : {&a->outlet, &a->kind, &a->topic, &a->url, &a->language, &a->note})
    *s = r.str();
  a->pickups.resize(r.count(4));
  for (Pickup& p : a->pickups) {
    p.outlet = r.str();
    p.url = r.str();
    p.language = r.str();
    p.note = r.str();
  }
  a->origin.line = static_cast<int>(r.svarint());
  a->origin.column = static_cast<int>(r.svarint());
  return !r.failed();
}

}  // namespace

void write_page_record(const PageRecord& rec, BinaryWriter& w) {
  write_page_record(rec.page, rec.inputs, rec.diagnostics, w);
}

void write_page_record(const Page& p, const std::vector<PageInput>& inputs,
                       const std::vector<Diagnostic>& diagnostics, BinaryWriter& w) {
  w.str(p.rel_path);
  w.u64(p.source_hash);
  w.varint(inputs.size());
  for (const PageInput& in : inputs) {
    w.str(in.path);
    w.u8(in.exists ? 1 : 0);
    w.u64(in.hash);
    w.str(in.site_path);
  }
  w.varint(diagnostics.size());
  for (const Diagnostic& d : diagnostics) write_diagnostic(d, w);
  // The front matter as written.
  w.str(std::string_view(p.source_text).substr(0, std::min(p.body_offset, p.source_text.size())));
  w.svarint(p.body_line);
  w.varint(p.body_offset);
  write_value(p.params, w);
  // As decoded.
  w.str(p.title);
  write_date(p.date, w);
  write_date(p.lastmod, w);
  write_date(p.expiry_date, w);
  w.u8(p.draft ? 1 : 0);
  w.str(p.slug);
  w.str(p.url);
  w.varint(p.aliases.size());
  for (const std::string& a : p.aliases) w.str(a);
  w.varint(p.terms.size());
  for (const std::vector<TermRef>& list : p.terms) {
    w.varint(list.size());
    for (const TermRef& t : list) {
      w.str(t.name);
      w.str(t.slug);
      w.svarint(t.line);
      w.svarint(t.column);
    }
  }
  w.str(p.summary_field);
  w.svarint(p.weight);
  w.varint(p.appearances.size());
  for (const Appearance& a : p.appearances) write_appearance(a, w);
  w.str(p.canonical);
  w.str(p.correction);
  write_date(p.correction_date, w);
  w.str(p.intro_field);
  // Where it was placed: the permalink depends only on the page's path,
  // its fields and the config, which a state is made under.
  w.str(p.permalink);
  w.str(p.output_path);
  w.svarint(p.url_origin.line);
  w.svarint(p.url_origin.column);
  w.str(p.url_line);
  // What the Markdown stage derived.
  w.str(p.summary_html);
  w.u8(p.summary_truncated ? 1 : 0);
  w.str(p.intro_html);
  w.varint(p.article_offset);
  w.str(p.correction_html);
  w.varint(p.word_count);
}

bool read_page_record(BinaryReader& r, PageRecord* rec, bool front_matter_text) {
  Page& p = rec->page;
  p.rel_path = r.str();
  p.source_hash = r.u64();
  rec->inputs.resize(r.count(11));
  for (PageInput& in : rec->inputs) {
    in.path = r.str();
    in.exists = r.u8() != 0;
    in.hash = r.u64();
    in.site_path = r.str();
  }
  rec->diagnostics.resize(r.count(7));
  for (Diagnostic& d : rec->diagnostics)
    if (!read_diagnostic(r, &d)) return false;
  if (front_matter_text) {
    p.source_text = r.str();
  } else {
    // 40 MB of strings at 100,000 posts that nothing reads.
    p.front_matter_hash = hash_bytes(r.str());
    p.front_matter_dropped = true;
  }
  p.body_line = static_cast<int>(r.svarint());
  p.body_offset = r.varint();
  if (!read_value(r, &p.params)) return false;
  p.title = r.str();
  if (!read_date(r, &p.date) || !read_date(r, &p.lastmod) || !read_date(r, &p.expiry_date))
    return false;
  p.draft = r.u8() != 0;
  p.slug = r.str();
  p.url = r.str();
  p.aliases.resize(r.count(1));
  for (std::string& a : p.aliases) a = r.str();
  p.terms.resize(r.count(1));
  for (std::vector<TermRef>& list : p.terms) {
    list.resize(r.count(4));
    for (TermRef& t : list) {
      t.name = r.str();
      t.slug = r.str();
      t.line = static_cast<int>(r.svarint());
      t.column = static_cast<int>(r.svarint());
    }
  }
  p.summary_field = r.str();
  p.weight = static_cast<int>(r.svarint());
  p.appearances.resize(r.count(12));
  for (Appearance& a : p.appearances)
    if (!read_appearance(r, &a)) return false;
  p.canonical = r.str();
  p.correction = r.str();
  if (!read_date(r, &p.correction_date)) return false;
  p.intro_field = r.str();
  p.permalink = r.str();
  p.output_path = r.str();
  p.url_origin.line = static_cast<int>(r.svarint());
  p.url_origin.column = static_cast<int>(r.svarint());
  p.url_line = r.str();
  p.summary_html = r.str();
  p.summary_truncated = r.u8() != 0;
  p.intro_html = r.str();
  p.article_offset = r.varint();
  p.correction_html = r.str();
  p.word_count = r.varint();
  return !r.failed();
}

}  // namespace byline
