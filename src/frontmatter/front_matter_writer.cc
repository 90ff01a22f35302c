// YAML and TOML escaping share the \uXXXX form for anything unprintable.
#include "frontmatter/front_matter_writer.h"

#include <cstdio>

namespace byline {

namespace {

void append_u(std::string& out, unsigned cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04X", cp);
  out += buf;
}

std::string quote(std::string_view s, bool yaml) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\r':
        out += "\\r";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      append_u(out, c);
      continue;
    }
    // U+0085 (C2 85), U+2028/2029 (E2 80 A8/A9) and U+FEFF (EF BB BF) are
    // line breaks or a byte-order mark to YAML; escape them.
    if (yaml && c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) {
      append_u(out, 0x85);
      ++i;
      continue;
    }
    if (yaml && c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      append_u(out, static_cast<unsigned char>(s[i + 2]) == 0xA8 ? 0x2028 : 0x2029);
      i += 2;
      continue;
    }
    if (yaml && c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
        static_cast<unsigned char>(s[i + 2]) == 0xBF) {
      append_u(out, 0xFEFF);
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  out += '"';
  return out;
}

}  // namespace

std::string yaml_quote(std::string_view s) { return quote(s, true); }
std::string toml_quote(std::string_view s) { return quote(s, false); }

void FrontMatterWriter::string(std::string_view key, std::string_view value) {
  body_ += key;
  body_ += ": ";
  body_ += yaml_quote(value);
  body_ += '\n';
}

void FrontMatterWriter::boolean(std::string_view key, bool value) {
  body_ += key;
  body_ += value ? ": true\n" : ": false\n";
}

void FrontMatterWriter::integer(std::string_view key, long long value) {
  body_ += key;
  body_ += ": ";
  body_ += std::to_string(value);
  body_ += '\n';
}

void FrontMatterWriter::string_list(std::string_view key, const std::vector<std::string>& values) {
  body_ += key;
  body_ += ": [";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) body_ += ", ";
    body_ += yaml_quote(values[i]);
  }
  body_ += "]\n";
}

void FrontMatterWriter::string_map(std::string_view key,
                                   const std::vector<std::pair<std::string, std::string>>& m) {
  body_ += key;
  body_ += ":\n";
  for (const auto& [k, v] : m) {
    body_ += "  ";
    body_ += yaml_quote(k);
    body_ += ": ";
    body_ += yaml_quote(v);
    body_ += '\n';
  }
}

void FrontMatterWriter::map_list(
    std::string_view key,
    const std::vector<std::vector<std::pair<std::string, std::string>>>& items) {
  body_ += key;
  body_ += ":\n";
  for (const auto& item : items) {
    bool first = true;
    for (const auto& [k, v] : item) {
      body_ += first ? "  - " : "    ";
      first = false;
      body_ += k;
      body_ += ": ";
      body_ += yaml_quote(v);
      body_ += '\n';
    }
  }
}

std::string FrontMatterWriter::finish() const { return "---\n" + body_ + "---\n"; }

}  // namespace byline
