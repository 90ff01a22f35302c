// Writes SiteConfig as TOML. Strings and floats are formatted by toml++,
// the library that reads them back, so quoting and escapes always agree.
#include "config/config_writer.h"

#include <toml++/toml.h>

#include <sstream>

namespace byline {

namespace {

// A basic ("…") string, as byline.toml files are written; toml++ would
// pick a literal ('…') one where it can.
std::string quoted(const std::string& s) {
  std::ostringstream out;
  toml::value<std::string> value(s);
  out << toml::toml_formatter(value, toml::format_flags::allow_unicode_strings);
  return out.str();
}

// A bare key when TOML allows one, else a quoted key.
std::string key(std::string_view k) {
  bool bare = !k.empty();
  for (char c : k) {
    bare &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-';
  }
  return bare ? std::string(k) : quoted(std::string(k));
}

std::string boolean(bool b) { return b ? "true" : "false"; }

class Writer {
 public:
  void table(std::string_view header) {
    if (!out_.empty()) out_ += '\n';
    out_ += "[" + std::string(header) + "]\n";
  }
  void comment(std::string_view text) { out_ += "# " + std::string(text) + "\n"; }
  void line(std::string_view k, const std::string& value) { out_ += key(k) + " = " + value + "\n"; }
  void string(std::string_view k, const std::string& value) { line(k, quoted(value)); }
  void integer(std::string_view k, int64_t value) { line(k, std::to_string(value)); }
  void flag(std::string_view k, bool value) { line(k, boolean(value)); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// A Value of [params] as a TOML value; maps inside become inline tables.
// TOML has no null: a null (never read from TOML, but a caller may set
// one) is left out of maps and lists.
std::string value_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "";
    case Value::Kind::kBool:
      return boolean(v.as_bool());
    case Value::Kind::kInt:
      return std::to_string(v.as_int());
    case Value::Kind::kFloat: {
      std::ostringstream out;
      out << toml::value<double>(v.as_float());
      return out.str();
    }
    case Value::Kind::kString:
      return quoted(v.as_string());
    case Value::Kind::kList: {
      std::string s = "[";
      for (const Value& e : v.as_list()) {
        if (e.is_null()) continue;
        if (s.size() > 1) s += ", ";
        s += value_text(e);
      }
      return s + "]";
    }
    case Value::Kind::kMap: {
      std::string s = "{";
      for (const auto& [k, e] : v.as_map()) {
        if (e.is_null()) continue;
        s += (s.size() > 1 ? ", " : " ") + key(k) + " = " + value_text(e);
      }
      return s + (s.size() > 1 ? " }" : "}");
    }
  }
  return "";
}

void write_taxonomy(Writer& w, const TaxonomyConfig& t) {
  w.table("taxonomies." + key(t.name));
  w.string("url", t.url_pattern);
  w.string("field", t.field);
  if (!t.list_url.empty()) w.string("list_url", t.list_url);
  if (t.paginate) w.integer("paginate", t.paginate);
  w.flag("feeds", t.feeds);
  w.string("order", t.order == TaxonomyConfig::Order::kCount ? "count" : "name");
  if (!t.slugs.empty()) {
    std::string slugs = "{";
    for (const auto& [name, slug] : t.slugs) {
      slugs += (slugs.size() > 1 ? ", " : " ") + key(name) + " = " + quoted(slug);
    }
    w.line("slugs", slugs + " }");
  }
}

void write_taxonomies(Writer& w, const SiteConfig& c) {
  // The automatic taxonomies (outlets, authors) are left to byline, which
  // writes them only when a page uses them; one turned off stays off. An
  // outlets or authors table the site wrote itself is written like any other.
  w.table("taxonomies");
  w.comment("byline adds 'outlets' and 'authors' unless they are set to false here.");
  for (const char* automatic : {"outlets", "authors"}) {
    if (!c.find_taxonomy(automatic)) w.flag(automatic, false);
  }
  for (const TaxonomyConfig& t : c.taxonomies) {
    if (!t.automatic) write_taxonomy(w, t);
  }
}

void write_markdown(Writer& w, const MarkdownConfig& m) {
  w.table("markdown");
  const std::pair<const char*, bool> switches[] = {
      {"smart_punctuation", m.smart_punctuation},
      {"footnotes", m.footnotes},
      {"tables", m.tables},
      {"strikethrough", m.strikethrough},
      {"autolinks", m.autolinks},
      {"tasklists", m.tasklists},
      {"unsafe_html", m.unsafe_html},
      {"heading_ids", m.heading_ids},
      {"figures", m.figures},
      {"pull_quotes", m.pull_quotes},
      {"hard_wraps", m.hard_wraps},
  };
  for (const auto& [name, value] : switches) w.flag(name, value);
}

void write_author(Writer& w, const AuthorConfig& a) {
  w.table("author");
  w.string("name", a.name);
  w.string("bio", a.bio);
  w.string("email", a.email);
  w.string("photo", a.photo);
  if (a.links.empty()) return;
  w.table("author.links");
  for (const auto& [label, url] : a.links) w.string(label, url);
}

}  // namespace

std::string config_to_toml(const SiteConfig& c) {
  Writer w;
  w.string("title", c.title);
  w.string("base_url", c.urls.base_url());
  w.string("language", c.language);
  w.string("description", c.description);
  if (!c.theme.empty()) w.string("theme", c.theme);
  w.integer("paginate", c.paginate);
  w.integer("summary_length", c.summary_length);
  w.flag("date_archives", c.date_archives);
  w.flag("strict_templates", c.strict_templates);
  w.flag("strict_images", c.strict_images);
  w.string("canonical", c.canonical_original ? "original" : "self");
  w.string("archive_content", c.archive_content);

  w.table("feeds");
  w.string("rss", c.feeds.rss);
  w.string("atom", c.feeds.atom);
  w.string("json", c.feeds.json);
  w.integer("limit", c.feeds.limit);

  write_author(w, c.author);

  w.table("appearances");
  w.string("url", c.appearances.url);
  w.string("title", c.appearances.title);
  if (c.appearances.paginate) w.integer("paginate", c.appearances.paginate);
  w.flag("feeds", c.appearances.feeds);

  w.table("permalinks");
  for (const auto& [section, pattern] : c.permalinks) w.string(section, pattern);

  write_taxonomies(w, c);

  for (const auto& [name, section] : c.sections) {
    w.table("sections." + key(name));
    w.flag("list", section.list);
    if (section.paginate) w.integer("paginate", section.paginate);
  }

  write_markdown(w, c.markdown);

  w.table("images");
  w.flag("process", c.images.process);
  std::string widths = "[";
  for (size_t i = 0; i < c.images.widths.size(); ++i)
    widths += (i ? ", " : "") + std::to_string(c.images.widths[i]);
  w.line("widths", widths + "]");
  w.integer("quality", c.images.quality);
  w.string("sizes", c.images.sizes);
  w.integer("max_pixels", c.images.max_pixels);
  if (c.images.cards && !c.images.text_cards) {
    w.string("cards", "images");
  } else {
    w.flag("cards", c.images.cards);
  }
  w.flag("keep_credit", c.images.keep_credit);
  std::string formats = "[";
  for (size_t i = 0; i < c.images.formats.size(); ++i)
    formats += (i ? ", \"" : "\"") + c.images.formats[i] + "\"";
  w.line("formats", formats + "]");

  w.table("params");
  for (const auto& [k, v] : c.params.as_map()) {
    if (!v.is_null()) w.line(k, value_text(v));
  }
  return w.take();
}

}  // namespace byline
