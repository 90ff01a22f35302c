#include "check/missing_uploads.h"

#include <map>
#include <set>
#include <vector>

#include "base/files.h"

namespace byline {

void MissingUploads::load(const std::filesystem::path& csv) {
  std::string text, error;
  if (read_file(csv, &text, &error)) parse(text);
}

void MissingUploads::parse(std::string_view text) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false, first_line = true;
  auto end_line = [&] {
    fields.push_back(std::move(field));
    field.clear();
    if (!first_line && fields.size() >= 2 && fields[1].starts_with("static/")) {
      urls.emplace(fields[0], fields[1].substr(6));
      paths.insert(fields[1].substr(6));
    }
    first_line = false;
    fields.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      end_line();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !fields.empty()) end_line();
}

bool MissingUploads::has_path(std::string_view path) const {
  if (paths.empty()) return false;
  path = path.substr(0, path.find_first_of("?#"));
  if (paths.count(std::string(path))) return true;
  constexpr std::string_view old = "/wp-content/uploads/";
  return path.starts_with(old) &&
         paths.count("/uploads/" + std::string(path.substr(old.size()))) > 0;
}

std::string MissingUploads::path_of_url(std::string_view url) const {
  auto it = urls.find(std::string(url.substr(0, url.find_first_of("?#"))));
  return it == urls.end() ? "" : it->second;
}

std::string_view missing_image_of(std::string_view message) {
  for (std::string_view lead : {"image '", "featured image '"}) {
    if (!message.starts_with(lead)) continue;
    std::string_view rest = message.substr(lead.size());
    size_t end = rest.find("' not found (");
    if (end != std::string_view::npos) return rest.substr(0, end);
  }
  return {};
}

std::string missing_uploads_advice() {
  return "import again with --uploads DIR (the old site's wp-content/uploads) to copy them in, "
         "or fetch the files attachments.csv lists into static/";
}

size_t fold_missing_upload_warnings(const DiagnosticSink& from, const MissingUploads& missing,
                                    const std::string& csv_display, bool verbose,
                                    DiagnosticSink* to) {
  // The first place of each file, in the sink's order (path, line, column).
  std::map<std::string, std::string> first_place;
  std::vector<std::string> order;
  size_t folded = 0;
  for (const Diagnostic* d : from.sorted()) {
    std::string_view image =
        d->severity == Severity::kWarning ? missing_image_of(d->message) : std::string_view();
    if (image.empty() || !missing.has_path(image)) {
      to->report(*d);
      continue;
    }
    ++folded;
    std::string path(image.substr(0, image.find_first_of("?#")));
    std::string place = d->location.path;
    if (d->location.line > 0) {
      place += ":" + std::to_string(d->location.line) + ":" + std::to_string(d->location.column);
    }
    if (first_place.emplace(path, place).second) order.push_back(path);
    if (verbose) to->report(*d);
  }
  if (folded == 0 || csv_display.empty()) return folded;
  std::string list;
  for (size_t i = 0; i < order.size() && i < 3; ++i) {
    list += (i ? ", " : "") + order[i] + " at " + first_place[order[i]];
  }
  if (order.size() > 3) list += ", …";
  std::string message = std::to_string(order.size()) + (order.size() == 1 ? " image" : " images") +
                        " the pages show (" + std::to_string(folded) +
                        (folded == 1 ? " place" : " places") + ": " + list +
                        ") are uploads the WordPress export carried no file for, not found in "
                        "static/: " +
                        missing_uploads_advice();
  if (!verbose) message += " (--verbose shows every place)";
  to->warning({csv_display, 0, 0}, message);
  return folded;
}

}  // namespace byline
