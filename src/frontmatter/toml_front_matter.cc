// Decoding TOML front matter with toml++ into Values, dates as ISO 8601
// strings so every front matter format reaches later stages the same way.
#include "frontmatter/toml_front_matter.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "base/toml_limits.h"

namespace byline {

namespace {

void append_date(std::string& out, const toml::date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year),
                static_cast<int>(d.month), static_cast<int>(d.day));
  out += buf;
}

void append_time(std::string& out, const toml::time& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(t.hour),
                static_cast<int>(t.minute), static_cast<int>(t.second));
  out += buf;
  if (t.nanosecond != 0) {
    std::snprintf(buf, sizeof buf, ".%09u", static_cast<unsigned>(t.nanosecond));
    std::string_view frac = buf;
    while (frac.back() == '0') frac.remove_suffix(1);
    out += frac;
  }
}

void append_offset(std::string& out, const toml::time_offset& o) {
  int minutes = o.minutes;
  if (minutes == 0) {
    out += 'Z';
    return;
  }
  char sign = minutes < 0 ? '-' : '+';
  if (minutes < 0) minutes = -minutes;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, minutes / 60, minutes % 60);
  out += buf;
}

class TomlConverter {
 public:
  explicit TomlConverter(const FrontMatterBlock& block) : line_offset_(block.first_line - 1) {}

  Value convert(const toml::node& node) const {
    Value v;
    switch (node.type()) {
      case toml::node_type::table:
        v = convert_table(*node.as_table());
        break;
      case toml::node_type::array: {
        const toml::array& array = *node.as_array();
        Value::List list;
        list.reserve(array.size());
        for (const toml::node& element : array) list.push_back(convert(element));
        v = Value::list(std::move(list));
        break;
      }
      case toml::node_type::string:
        v = Value::string(node.as_string()->get());
        break;
      case toml::node_type::integer:
        v = Value::integer(node.as_integer()->get());
        break;
      case toml::node_type::floating_point:
        v = Value::number(node.as_floating_point()->get());
        break;
      case toml::node_type::boolean:
        v = Value::boolean(node.as_boolean()->get());
        break;
      case toml::node_type::date: {
        std::string s;
        append_date(s, node.as_date()->get());
        v = Value::string(std::move(s));
        break;
      }
      case toml::node_type::time: {
        std::string s;
        append_time(s, node.as_time()->get());
        v = Value::string(std::move(s));
        break;
      }
      case toml::node_type::date_time: {
        const toml::date_time& dt = node.as_date_time()->get();
        std::string s;
        append_date(s, dt.date);
        s += 'T';
        append_time(s, dt.time);
        if (dt.offset) append_offset(s, *dt.offset);
        v = Value::string(std::move(s));
        break;
      }
      case toml::node_type::none:
        break;
    }
    locate(node.source(), &v);
    return v;
  }

  Value convert_table(const toml::table& table) const {
    // toml++ keeps keys sorted; the writer's order is recovered from where
    // each key was written.
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    entries.reserve(table.size());
    for (const auto& [key, node] : table) entries.emplace_back(&key, &node);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      const toml::source_position& pa = a.first->source().begin;
      const toml::source_position& pb = b.first->source().begin;
      return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    Value::Map map;
    map.reserve(entries.size());
    for (const auto& [key, node] : entries)
      map.emplace_back(std::string(key->str()), convert(*node));
    return Value::map(std::move(map));
  }

  void locate(const toml::source_region& region, Value* v) const {
    if (region.begin.line == 0) return;
    v->line = static_cast<int>(region.begin.line) + line_offset_;
    v->column = static_cast<int>(region.begin.column);
  }

 private:
  int line_offset_;
};

}  // namespace

bool decode_toml_front_matter(const FrontMatterBlock& block, Value* fields, DiagnosticSink& sink) {
  if (auto too_deep = check_toml_limits(block.text)) {
    int line, column;
    line_and_column(block.text, too_deep->offset, &line, &column);
    block.error(sink, line + block.first_line - 1, column, std::move(too_deep->message));
    return false;
  }
  toml::table table;
  try {
    table = toml::parse(block.text, std::string_view(block.path));
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    std::string description(e.description());
    if (!description.empty() && description[0] >= 'A' && description[0] <= 'Z')
      description[0] = static_cast<char>(description[0] - 'A' + 'a');
    int line =
        at.line == 0 ? block.first_line - 1 : static_cast<int>(at.line) + block.first_line - 1;
    int column = at.line == 0 ? 1 : static_cast<int>(at.column);
    block.error(sink, line, column, "invalid TOML: " + description);
    return false;
  }
  TomlConverter converter(block);
  int line = fields->line, column = fields->column;
  *fields = converter.convert_table(table);
  fields->line = line;
  fields->column = column;
  return true;
}

}  // namespace byline
