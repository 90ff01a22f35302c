// Decoding and validating media appearances.
#include "content/appearances.h"

#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "frontmatter/front_matter_block.h"
#include "frontmatter/toml_front_matter.h"
#include "frontmatter/yaml_front_matter.h"

namespace byline {

const std::vector<std::string_view>& appearance_kinds() {
  static const std::vector<std::string_view> kinds = {"interview", "quoted", "broadcast", "podcast",
                                                      "op-ed",     "event",  "pickup"};
  return kinds;
}

bool is_acceptable_link(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>') return false;
  }
  if (url.starts_with("/")) return !url.starts_with("//");
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == '.' || host.front() == ':') return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']' ||
              static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return false;
  }
  return true;
}

namespace {

// BCP 47's shape, loosely: "en", "pt-BR", "zh-Hant".
bool is_language_tag(std::string_view tag) {
  std::vector<std::string_view> parts = split(tag, '-');
  if (parts.empty() || parts[0].size() < 2 || parts[0].size() > 3) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.empty() || p.size() > 8) return false;
    for (char c : p) {
      bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      bool digit = c >= '0' && c <= '9';
      if (!(letter || (i > 0 && digit))) return false;
    }
  }
  return true;
}

class AppearanceReader {
 public:
  AppearanceReader(const std::string& path, std::string_view text, DiagnosticSink& sink)
      : path_(path), text_(text), sink_(sink) {}

  bool read_list(const Value& list, std::vector<Appearance>* out) {
    if (!list.is_list()) {
      error(list, std::string("'appearances' must be a list of entries (each with date, outlet, "
                              "kind, topic, url), not ") +
                      Value::kind_name(list.kind()));
      return false;
    }
    bool ok = true;
    for (const Value& entry : list.as_list()) {
      Appearance a;
      if (read_entry(entry, &a)) {
        out->push_back(std::move(a));
      } else {
        ok = false;
      }
    }
    return ok;
  }

 private:
  void error(const Value& at, std::string message) {
    sink_.error({path_, at.line, at.column}, std::move(message), text_);
  }

  bool get_text(const Value& v, std::string_view key, std::string* out) {
    if (v.is_string()) {
      *out = std::string(trim(v.as_string()));
      return true;
    }
    if (v.is_int()) {
      *out = std::to_string(v.as_int());
      return true;
    }
    error(v, "'" + std::string(key) + "' must be a string, not " + Value::kind_name(v.kind()));
    return false;
  }

  bool get_url(const Value& v, std::string_view key, std::string* out) {
    if (!get_text(v, key, out)) return false;
    if (out->empty() || is_acceptable_link(*out)) return true;
    error(v, "'" + std::string(key) +
                 "' must be a full URL such as https://example.com/story, not '" + *out + "'");
    return false;
  }

  bool get_language(const Value& v, std::string* out) {
    if (!get_text(v, "language", out)) return false;
    if (out->empty() || is_language_tag(*out)) return true;
    error(v, "'language' must be a language tag such as en, es or pt-BR, not '" + *out + "'");
    return false;
  }

  bool read_entry(const Value& entry, Appearance* a) {
    a->origin = {path_, entry.line, entry.column};
    if (!entry.is_map()) {
      error(entry, std::string("an appearance must be a mapping with date, outlet, kind, topic "
                               "and url, not ") +
                       Value::kind_name(entry.kind()));
      return false;
    }
    bool ok = true, has_date = false;
    for (const auto& [key, v] : entry.as_map()) {
      if (key == "date") {
        if (!v.is_string()) {
          error(v, std::string("'date' must be a date such as 2019-06-19, not ") +
                       Value::kind_name(v.kind()));
          ok = false;
          continue;
        }
        std::string why;
        auto d = parse_datetime(v.as_string(), &why);
        if (!d) {
          error(v, "'date' is not a valid date: " + why);
          ok = false;
          continue;
        }
        a->date = *d;
        has_date = true;
      } else if (key == "outlet") {
        ok &= get_text(v, key, &a->outlet);
      } else if (key == "kind") {
        if (!get_text(v, key, &a->kind)) {
          ok = false;
          continue;
        }
        bool known = false;
        for (std::string_view k : appearance_kinds()) known |= k == a->kind;
        if (!known) {
          std::string names;
          for (std::string_view k : appearance_kinds()) {
            if (!names.empty()) names += ", ";
            names += k;
          }
          error(v, "unknown kind '" + a->kind + "'; use one of " + names);
          ok = false;
        }
      } else if (key == "topic" || key == "title") {
        ok &= get_text(v, key, &a->topic);
      } else if (key == "url") {
        ok &= get_url(v, key, &a->url);
      } else if (key == "language") {
        ok &= get_language(v, &a->language);
      } else if (key == "note") {
        ok &= get_text(v, key, &a->note);
      } else if (key == "pickups") {
        ok &= read_pickups(v, &a->pickups);
      } else {
        sink_.warning({path_, v.line, v.column},
                      "unknown key '" + key +
                          "' in an appearance (known: date, outlet, kind, topic, url, language, "
                          "note, pickups)",
                      text_);
      }
    }
    if (!has_date && ok) {
      error(entry, "this appearance has no 'date'");
      ok = false;
    }
    if (a->outlet.empty() && ok) {
      error(entry, "this appearance has no 'outlet'");
      ok = false;
    }
    return ok;
  }

  bool read_pickups(const Value& list, std::vector<Pickup>* out) {
    if (!list.is_list()) {
      error(list, std::string("'pickups' must be a list of entries (each with outlet, url, "
                              "language, note), not ") +
                      Value::kind_name(list.kind()));
      return false;
    }
    bool ok = true;
    for (const Value& entry : list.as_list()) {
      Pickup p;
      if (entry.is_string()) {  // just the outlet's name
        ok &= get_text(entry, "pickups", &p.outlet);
        if (!p.outlet.empty()) out->push_back(std::move(p));
        continue;
      }
      if (!entry.is_map()) {
        error(entry, std::string("a pickup must be a mapping with outlet, url, language and note, "
                                 "not ") +
                         Value::kind_name(entry.kind()));
        ok = false;
        continue;
      }
      bool entry_ok = true;
      for (const auto& [key, v] : entry.as_map()) {
        if (key == "outlet") {
          entry_ok &= get_text(v, key, &p.outlet);
        } else if (key == "url") {
          entry_ok &= get_url(v, key, &p.url);
        } else if (key == "language") {
          entry_ok &= get_language(v, &p.language);
        } else if (key == "note") {
          entry_ok &= get_text(v, key, &p.note);
        } else {
          sink_.warning(
              {path_, v.line, v.column},
              "unknown key '" + key + "' in a pickup (known: outlet, url, language, note)", text_);
        }
      }
      if (entry_ok && p.outlet.empty()) {
        error(entry, "this pickup has no 'outlet'");
        entry_ok = false;
      }
      if (entry_ok) out->push_back(std::move(p));
      ok &= entry_ok;
    }
    return ok;
  }

  const std::string& path_;
  std::string_view text_;
  DiagnosticSink& sink_;
};

}  // namespace

bool decode_appearances(const Value& list, const std::string& path, std::string_view text,
                        std::vector<Appearance>* out, DiagnosticSink& sink) {
  return AppearanceReader(path, text, sink).read_list(list, out);
}

bool load_appearance_log(const std::filesystem::path& content_dir, const std::string& display_dir,
                         std::vector<Appearance>* out, DiagnosticSink& sink) {
  static const char* const kNames[] = {"appearances.yaml", "appearances.yml", "appearances.toml"};
  bool ok = true;
  for (const char* name : kNames) {
    std::filesystem::path file = content_dir / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    const std::string display = display_dir + "/" + name;
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    if (!in) {
      sink.error({display, 0, 0}, "cannot read the appearances log");
      ok = false;
      continue;
    }
    const std::string text = buf.str();
    if (size_t bad = find_invalid_utf8(text); bad != std::string::npos) {
      SourceLocation loc{display, 0, 0};
      line_and_column(text, bad, &loc.line, &loc.column);
      sink.error(loc, "invalid UTF-8; save the file as UTF-8", text);
      ok = false;
      continue;
    }
    FrontMatterBlock block{display, text, text, 1};
    Value doc;
    const bool toml = std::string_view(name).ends_with(".toml");
    if (!(toml ? decode_toml_front_matter(block, &doc, sink)
               : decode_yaml_document(block, &doc, sink))) {
      ok = false;
      continue;
    }
    if (doc.is_map()) {
      // A mapping holds the list under `appearances` ([[appearances]] in TOML).
      const Value* list = doc.find("appearances");
      if (!list) {
        if (!doc.as_map().empty()) {
          sink.error({display, 1, 1},
                     "the appearances log must be a list of entries, or hold them under "
                     "'appearances'" +
                         std::string(toml ? " ([[appearances]] tables)" : ""),
                     text);
          ok = false;
        }
        continue;
      }
      ok &= decode_appearances(*list, display, text, out, sink);
    } else {
      ok &= decode_appearances(doc, display, text, out, sink);
    }
  }
  return ok;
}

}  // namespace byline
