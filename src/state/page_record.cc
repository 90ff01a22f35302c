// Page records in the state's byte format.
#include "state/page_record.h"

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
      Value::Map items(n);
      for (auto& [k, item] : items) {
        k = r.str();
        if (!read_value(r, &item, depth + 1)) return false;
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

// Both writers below write this, in this order.
struct RecordParts {
  std::string_view rel_path;
  uint64_t file_hash;
  const std::vector<PageInput>& inputs;
  const std::vector<Diagnostic>& diagnostics;
  std::string_view front_matter;
  int body_line;
  size_t body_offset;
  const Value& fields;
  std::string_view summary_html;
  bool summary_truncated;
  std::string_view intro_html;
  size_t article_offset;
  std::string_view correction_html;
  size_t word_count;
};

void write_parts(const RecordParts& r, BinaryWriter& w) {
  w.str(r.rel_path);
  w.u64(r.file_hash);
  w.varint(r.inputs.size());
  for (const PageInput& in : r.inputs) {
    w.str(in.path);
    w.u8(in.exists ? 1 : 0);
    w.u64(in.hash);
  }
  w.varint(r.diagnostics.size());
  for (const Diagnostic& d : r.diagnostics) write_diagnostic(d, w);
  w.str(r.front_matter);
  w.svarint(r.body_line);
  w.varint(r.body_offset);
  write_value(r.fields, w);
  w.str(r.summary_html);
  w.u8(r.summary_truncated ? 1 : 0);
  w.str(r.intro_html);
  w.varint(r.article_offset);
  w.str(r.correction_html);
  w.varint(r.word_count);
}

}  // namespace

void write_page_record(const PageRecord& rec, BinaryWriter& w) {
  write_parts({rec.rel_path, rec.file_hash, rec.inputs, rec.diagnostics, rec.front_matter,
               rec.body_line, rec.body_offset, rec.fields, rec.summary_html, rec.summary_truncated,
               rec.intro_html, rec.article_offset, rec.correction_html, rec.word_count},
              w);
}

void write_page_record(const Page& p, const std::vector<PageInput>& inputs,
                       const std::vector<Diagnostic>& diagnostics, BinaryWriter& w) {
  std::string_view front_matter =
      std::string_view(p.source_text).substr(0, std::min(p.body_offset, p.source_text.size()));
  write_parts({p.rel_path, p.source_hash, inputs, diagnostics, front_matter, p.body_line,
               p.body_offset, p.params, p.summary_html, p.summary_truncated, p.intro_html,
               p.article_offset, p.correction_html, p.word_count},
              w);
}

bool read_page_record(BinaryReader& r, PageRecord* rec) {
  rec->rel_path = r.str();
  rec->file_hash = r.u64();
  rec->inputs.resize(r.count(10));
  for (PageInput& in : rec->inputs) {
    in.path = r.str();
    in.exists = r.u8() != 0;
    in.hash = r.u64();
  }
  rec->diagnostics.resize(r.count(7));
  for (Diagnostic& d : rec->diagnostics)
    if (!read_diagnostic(r, &d)) return false;
  rec->front_matter = r.str();
  rec->body_line = static_cast<int>(r.svarint());
  rec->body_offset = r.varint();
  if (!read_value(r, &rec->fields)) return false;
  rec->summary_html = r.str();
  rec->summary_truncated = r.u8() != 0;
  rec->intro_html = r.str();
  rec->article_offset = r.varint();
  rec->correction_html = r.str();
  rec->word_count = r.varint();
  return !r.failed();
}

}  // namespace byline
