// byline's base-only template extensions (see template_byline.h).
#include "templates/template_byline.h"

#include <memory>

#include "base/strings.h"
#include "templates/template_engine.h"
#include "templates/template_operations.h"

namespace byline {
namespace {

// date.strftime(fmt) and date.isoformat(), for templates written against
// Python datetimes.
class DateMethod final : public Callable {
 public:
  // Holds a copy of the date: the value it came from may be a temporary.
  DateMethod(const DateTime& date, bool iso) : date_(date), iso_(iso) {}
  std::string_view name() const override { return iso_ ? "isoformat" : "strftime"; }
  TValue call(RenderState&, CallArgs& args) const override {
    const DateTime* dt = &date_;
    if (iso_) return TValue::string(to_rfc3339(*dt));
    if (args.positional.empty() || !args.positional[0].is_string())
      throw TemplateError{"strftime() needs a format string"};
    return TValue::string(format_datetime(*dt, args.positional[0].as_string()));
  }

 private:
  DateTime date_;
  bool iso_;
};

class DateTimeType final : public ObjectType {
 public:
  std::string_view type_name() const override { return "datetime"; }
  TValue attribute(const void* self, std::string_view name) const override {
    const auto* dt = static_cast<const DateTime*>(self);
    DateTime::Parts p = dt->local();
    if (name == "year") return TValue::integer(p.year);
    if (name == "month") return TValue::integer(p.month);
    if (name == "day") return TValue::integer(p.day);
    if (name == "hour") return TValue::integer(p.hour);
    if (name == "minute") return TValue::integer(p.minute);
    if (name == "second") return TValue::integer(p.second);
    if (name == "weekday") return TValue::integer((p.weekday + 6) % 7);  // Monday = 0, as Python
    if (name == "timestamp") return TValue::integer(dt->utc_seconds);
    if (name == "strftime" || name == "isoformat")
      return TValue::callable(std::make_shared<DateMethod>(*dt, name == "isoformat"));
    return TValue::undefined();
  }
  void append_str(const void* self, std::string& out) const override {
    out += to_rfc3339(*static_cast<const DateTime*>(self));
  }
};

const DateTimeType kDateTimeType;

TValue f_date(RenderState&, const TValue& v, CallArgs& a) {
  static const TValue kDefault = TValue::string_ref("%Y-%m-%d");
  const TValue& fmt = argument(a, 0, "format", kDefault);
  DateTime parsed;
  const DateTime* dt = as_datetime(v);
  if (!dt) {
    if (!v.is_string())
      throw TemplateError{"date filter expects a date or an ISO 8601 string, not " +
                          std::string(v.type_name())};
    std::string err;
    auto p = parse_datetime(v.as_string(), &err);
    if (!p)
      throw TemplateError{"date filter: cannot parse '" + std::string(v.as_string()) + "': " + err};
    parsed = *p;
    dt = &parsed;
  }
  return TValue::string(format_datetime(*dt, fmt.str()));
}

TValue f_slugify(RenderState&, const TValue& v, CallArgs&) {
  return TValue::string(slugify(v.str()));
}

TValue f_xml_escape(RenderState&, const TValue& v, CallArgs&) {
  std::string out;
  append_xml_escaped(out, v.str());
  return TValue::safe(std::move(out));
}

TValue f_reading_time(RenderState&, const TValue& v, CallArgs& a) {
  const TValue& wpm_v = argument(a, 0, "words_per_minute", TValue::integer(200));
  int64_t wpm = wpm_v.is_number() && wpm_v.as_int() > 0 ? wpm_v.as_int() : 200;
  // Count the words of the text, not of its markup.
  std::string s = v.str();
  std::string text;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') in_tag = true;
    if (!in_tag) text += c;
    if (c == '>' && in_tag) {
      in_tag = false;
      text += ' ';
    }
  }
  int64_t words = static_cast<int64_t>(count_words(text));
  int64_t minutes = (words + wpm - 1) / wpm;
  return TValue::integer(minutes < 1 ? 1 : minutes);
}

TValue g_now(RenderState&, CallArgs&) { return datetime_value(now_utc()); }

}  // namespace

TValue datetime_ref(const DateTime* dt) { return TValue::object(&kDateTimeType, dt); }

TValue datetime_value(const DateTime& dt) {
  auto owned = std::make_shared<DateTime>(dt);
  const DateTime* p = owned.get();
  return TValue::object(&kDateTimeType, p, std::move(owned));
}

const DateTime* as_datetime(const TValue& v) {
  if (!v.is_object() || v.object_type() != &kDateTimeType) return nullptr;
  return static_cast<const DateTime*>(v.object_self());
}

void register_byline_extensions(TemplateEngine& engine) {
  engine.add_filter("date", f_date);
  engine.add_filter("slugify", f_slugify);
  engine.add_filter("xml_escape", f_xml_escape);
  engine.add_filter("reading_time", f_reading_time);
  engine.add_function("now", g_now);
}

}  // namespace byline
