#include "content/archetype.h"

#include <algorithm>

#include "base/strings.h"
#include "frontmatter/front_matter.h"
#include "frontmatter/front_matter_writer.h"

namespace byline {

namespace fs = std::filesystem;

std::optional<fs::path> find_archetype(const fs::path& site, const SiteConfig& config,
                                       const std::string& section) {
  std::vector<fs::path> dirs = {site / "archetypes"};
  if (!config.theme.empty()) dirs.push_back(site / "themes" / config.theme / "archetypes");
  std::error_code ec;
  for (const fs::path& dir : dirs) {
    for (const std::string& name : {section + ".md", std::string("default.md")}) {
      if (fs::is_regular_file(dir / name, ec)) return dir / name;
    }
  }
  return std::nullopt;
}

namespace {

constexpr const char* kKnown = "title, date, draft, slug, section, tags, outlet, original_url";

bool is_string_placeholder(std::string_view name) {
  return name == "title" || name == "slug" || name == "section" || name == "outlet" ||
         name == "original_url";
}

// The placeholder's text; `in_quotes` when the archetype wrote it between
// double quotes, where a string goes without quotes of its own.
std::string replacement(std::string_view name, const ArchetypeValues& values, bool toml,
                        bool in_quotes) {
  auto quote = [&](std::string_view s) {
    std::string q = toml ? toml_quote(s) : yaml_quote(s);
    return in_quotes ? q.substr(1, q.size() - 2) : q;
  };
  if (name == "date") return values.date;
  if (name == "draft") return values.draft ? "true" : "false";
  if (name == "tags") {
    std::string list = "[";
    for (const std::string& tag : values.tags) list += (list.size() > 1 ? ", " : "") + quote(tag);
    return list + "]";
  }
  auto it = values.strings.find(std::string(name));
  return quote(it == values.strings.end() ? "" : it->second);
}

}  // namespace

bool fill_archetype(const std::string& path, const std::string& text, const ArchetypeValues& values,
                    std::string* out, std::vector<std::string>* used, DiagnosticSink& sink) {
  const bool toml = text.starts_with("+++");
  out->clear();
  bool ok = true;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open + 2);
    size_t newline = text.find('\n', open);
    SourceLocation at{path, 0, 0};
    line_and_column(text, open, &at.line, &at.column);
    if (close == std::string::npos || close > newline) {
      sink.error(at, "'{{' without '}}' on the same line", text);
      return false;
    }
    std::string name(trim(std::string_view(text).substr(open + 2, close - open - 2)));
    if (!is_string_placeholder(name) && name != "date" && name != "draft" && name != "tags") {
      sink.error(at, "unknown placeholder '{{ " + name + " }}' (known: " + kKnown + ")", text);
      ok = false;
      pos = close + 2;
      continue;
    }
    bool in_quotes = is_string_placeholder(name) && open > 0 && text[open - 1] == '"' &&
                     close + 2 < text.size() && text[close + 2] == '"';
    out->append(text, pos, open - pos);
    *out += replacement(name, values, toml, in_quotes);
    if (std::find(used->begin(), used->end(), name) == used->end()) used->push_back(name);
    pos = close + 2;
  }
  if (!ok) return false;
  out->append(text, pos);
  // The new file must read back; its lines are the archetype's (no value
  // spans lines), so a problem points into the archetype.
  FrontMatter fm;
  return parse_front_matter(path, *out, &fm, sink);
}

}  // namespace byline
