// Finding the front matter delimiters and handing the block to its decoder.
#include "frontmatter/front_matter.h"

#include "frontmatter/front_matter_block.h"
#include "frontmatter/toml_front_matter.h"
#include "frontmatter/yaml_front_matter.h"

namespace byline {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A line without its terminator and without trailing blanks, which editors
// leave behind and the reader cannot see.
std::string_view trim_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  return line;
}

bool is_closing_line(std::string_view line, FrontMatterFormat format) {
  // Most lines start with something else; skip them before trimming.
  if (line.empty()) return false;
  char c = line[0];
  if (format == FrontMatterFormat::kYaml) {
    if (c != '-' && c != '.') return false;
    line = trim_line_end(line);
    return line == "---" || line == "...";
  }
  if (c != '+') return false;
  return trim_line_end(line) == "+++";
}

}  // namespace

bool parse_front_matter(std::string_view path, std::string_view text, FrontMatter* out,
                        DiagnosticSink& sink) {
  *out = FrontMatter{};
  std::string_view src = text;
  if (src.starts_with(kBom)) src.remove_prefix(kBom.size());
  out->body = src;
  out->body_line = 1;

  size_t eol = src.find('\n');
  std::string_view opening = trim_line_end(src.substr(0, eol));
  FrontMatterFormat format;
  if (opening == "---") {
    format = FrontMatterFormat::kYaml;
  } else if (opening == "+++") {
    format = FrontMatterFormat::kToml;
  } else {
    return true;
  }
  out->format = format;

  FrontMatterBlock block;
  block.path = path;
  block.file_text = src;
  block.first_line = 2;
  bool closed = false;
  if (eol != std::string_view::npos) {
    size_t block_start = eol + 1;
    size_t pos = block_start;
    int line_no = 2;
    while (pos < src.size()) {
      size_t end = src.find('\n', pos);
      size_t line_end = end == std::string_view::npos ? src.size() : end;
      if (is_closing_line(src.substr(pos, line_end - pos), format)) {
        block.text = src.substr(block_start, pos - block_start);
        size_t body_start = end == std::string_view::npos ? src.size() : end + 1;
        out->body = src.substr(body_start);
        out->body_line = line_no + 1;
        closed = true;
        break;
      }
      if (end == std::string_view::npos) break;
      pos = end + 1;
      ++line_no;
    }
  }
  if (!closed) {
    block.error(sink, 1, 1,
                format == FrontMatterFormat::kYaml
                    ? "front matter opened here is never closed (expected a closing '---' line)"
                    : "front matter opened here is never closed (expected a closing '+++' line)");
    return false;
  }

  out->fields.line = block.first_line;
  out->fields.column = 1;
  if (format == FrontMatterFormat::kYaml)
    return decode_yaml_front_matter(block, &out->fields, sink);
  return decode_toml_front_matter(block, &out->fields, sink);
}

}  // namespace byline
