// Walking content/ and static/, decoding front matter, assigning URLs.
#include "content/content.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>

#include "base/files.h"
#include "base/hash.h"
#include "base/smart_punctuation.h"
#include "base/strings.h"
#include "base/suggest.h"
#include "base/thread_pool.h"
#include "content/appearances.h"
#include "frontmatter/front_matter.h"
#include "frontmatter/front_matter_block.h"
#include "frontmatter/toml_front_matter.h"
#include "frontmatter/yaml_front_matter.h"

namespace byline {

namespace fs = std::filesystem;

namespace {

bool is_markdown(std::string_view path) {
  return path.ends_with(".md") || path.ends_with(".markdown");
}

// Data files under content/ that later stages read and that are not
// published: the media-appearances log.
bool is_data_file(const std::string& rel) {
  return rel == "appearances.yaml" || rel == "appearances.yml" || rel == "appearances.toml";
}

// One file found by the walk.
struct Entry {
  std::string path;
  std::string rel;  // relative to content/
};

void walk(const fs::path& root, std::vector<Entry>* out, DiagnosticSink& sink,
          const std::string& display_root) {
  std::vector<std::string> files;
  std::string error;
  if (!list_files(root.string(), &files, &error))
    sink.error({display_root, 0, 0}, "cannot read folder: " + error);
  const std::string prefix = root.string() + "/";
  out->reserve(out->size() + files.size());
  for (std::string& rel : files) out->push_back({prefix + rel, std::move(rel)});
}

std::string parent_of(const std::string& rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "" : rel.substr(0, slash);
}

std::string stem_of(const std::string& rel) {
  size_t slash = rel.rfind('/');
  std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

SourceLocation at(const Page& page, const Value& v) { return {page.source_path, v.line, v.column}; }

void error_at(DiagnosticSink& sink, const Page& page, const Value& v, std::string msg) {
  sink.error(at(page, v), std::move(msg), page.source_text);
}

bool get_string(DiagnosticSink& sink, const Page& page, const Value& v, std::string_view key,
                std::string* out) {
  if (v.is_string()) {
    *out = v.as_string();
    return true;
  }
  if (v.is_int() || v.is_float()) {
    // `title: 1984` is a string to the writer.
    *out = v.is_int() ? std::to_string(v.as_int()) : Value(v).to_json();
    return true;
  }
  error_at(sink, page, v,
           "'" + std::string(key) + "' must be a string, not " + Value::kind_name(v.kind()));
  return false;
}

bool get_date(DiagnosticSink& sink, const Page& page, const Value& v, std::string_view key,
              std::optional<DateTime>* out) {
  if (!v.is_string()) {
    error_at(sink, page, v,
             "'" + std::string(key) +
                 "' must be a date such as 2019-08-01 or "
                 "2019-08-01T09:30:00+02:00, not " +
                 Value::kind_name(v.kind()));
    return false;
  }
  std::string why;
  auto t = parse_datetime(v.as_string(), &why);
  if (!t) {
    error_at(sink, page, v, "'" + std::string(key) + "' is not a valid date: " + why);
    return false;
  }
  *out = t;
  return true;
}

bool get_bool(DiagnosticSink& sink, const Page& page, const Value& v, std::string_view key,
              bool* out) {
  if (v.is_bool()) {
    *out = v.as_bool();
    return true;
  }
  error_at(sink, page, v,
           "'" + std::string(key) + "' must be true or false, not " + Value::kind_name(v.kind()));
  return false;
}

// `names` as a flow list a writer can paste into YAML or TOML front matter.
std::string written_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : "") + Value::string(names[i]).to_json();
  return out + "]";
}

// A list of strings, or one string taken as a list of one. Unless the
// field names one thing (an outlet's name may hold a comma), a string with
// commas is what a writer means by a list (`tags: Russia, Sanctions`): it
// is split there, with a warning that shows the list and how to write it.
bool get_string_list(DiagnosticSink& sink, const Page& page, const Value& v, std::string_view key,
                     std::vector<TermRef>* out, bool split_commas = true) {
  auto add = [&](const Value& e) {
    std::string s;
    if (e.is_string()) {
      s = std::string(trim(e.as_string()));
    } else if (e.is_int()) {
      s = std::to_string(e.as_int());
    } else {
      error_at(sink, page, e,
               "each entry of '" + std::string(key) + "' must be a string, not " +
                   Value::kind_name(e.kind()));
      return false;
    }
    if (s.empty()) {
      error_at(sink, page, e, "empty name in '" + std::string(key) + "'");
      return false;
    }
    std::string slug = slugify(s);
    out->push_back({std::move(s), std::move(slug), e.line, e.column});
    return true;
  };
  if (v.is_null()) return true;
  if (v.is_string() && split_commas && v.as_string().find(',') != std::string::npos) {
    std::vector<std::string> names;
    for (std::string_view part : split(v.as_string(), ','))
      if (!trim(part).empty()) names.emplace_back(trim(part));
    if (names.empty()) return add(v);
    const std::string list = written_list(names);
    sink.warning(at(page, v),
                 "'" + std::string(key) + "' is one string with commas; taking it as the list " +
                     list + " (write " + std::string(key) + ": " + list + " to say so)",
                 page.source_text);
    bool ok = true;
    for (std::string& name : names) {
      Value piece = Value::string(std::move(name));
      piece.line = v.line;
      piece.column = v.column;
      ok &= add(piece);
    }
    return ok;
  }
  if (v.is_string()) return add(v);
  if (!v.is_list()) {
    error_at(sink, page, v,
             "'" + std::string(key) + "' must be a list such as [\"a\", \"b\"], not " +
                 Value::kind_name(v.kind()));
    return false;
  }
  bool ok = true;
  for (const Value& e : v.as_list()) ok &= add(e);
  return ok;
}

}  // namespace

namespace {

// The front matter keys byline reads, found by their first letter rather
// than by comparing each key with every name: decoding runs for every page
// of every build, restored pages included.
enum class Field {
  kOther,
  kTitle,
  kDate,
  kLastmod,
  kExpiry,
  kDraft,
  kPublished,
  kSlug,
  kUrl,
  kAliases,
  kSummary,
  kIntro,
  kAppearances,
  kOriginalUrl,
  kCanonical,
  kCorrection,
  kWeight,
};

Field field_of(std::string_view key) {
  if (key.empty()) return Field::kOther;
  switch (key[0]) {
    case 't':
      return key == "title" ? Field::kTitle : Field::kOther;
    case 'd':
      return key == "date" ? Field::kDate : key == "draft" ? Field::kDraft : Field::kOther;
    case 'l':
      return key == "lastmod" || key == "last_modified_at" ? Field::kLastmod : Field::kOther;
    case 'u':
      return key == "updated" ? Field::kLastmod : key == "url" ? Field::kUrl : Field::kOther;
    case 'e':
      return key == "expiry_date" || key == "expiryDate" ? Field::kExpiry : Field::kOther;
    case 'p':
      return key == "published" ? Field::kPublished : Field::kOther;
    case 's':
      return key == "slug" ? Field::kSlug : key == "summary" ? Field::kSummary : Field::kOther;
    case 'a':
      return key == "aliases"       ? Field::kAliases
             : key == "appearances" ? Field::kAppearances
                                    : Field::kOther;
    case 'r':
      return key == "redirect_from" ? Field::kAliases : Field::kOther;
    case 'i':
      return key == "intro" ? Field::kIntro : Field::kOther;
    case 'o':
      return key == "original_url" ? Field::kOriginalUrl : Field::kOther;
    case 'c':
      return key == "canonical"    ? Field::kCanonical
             : key == "correction" ? Field::kCorrection
                                   : Field::kOther;
    case 'w':
      return key == "weight" ? Field::kWeight : Field::kOther;
  }
  return Field::kOther;
}

// Every front-matter key byline or the built-in theme reads, besides the
// taxonomies' fields: a key near one of them and not one itself is most
// likely a misspelling (`orignal_url`), and gets a "did you mean".
constexpr std::string_view kKnownKeys[] = {
    "title",   "date",          "draft",          "lastmod",     "last_modified_at",
    "updated", "url",           "expiry_date",    "expiryDate",  "published",
    "slug",    "summary",       "aliases",        "appearances", "redirect_from",
    "intro",   "original_url",  "canonical",      "correction",  "weight",
    "outlet",  "original_date", "original_title", "standfirst",  "description",
};

// Warns about `key` when it is not one byline reads but is one or two
// edits from one that is.
void suggest_known_key(const SiteConfig& config, const Page& page, const std::string& key,
                       const Value& v, DiagnosticSink& sink) {
  // Known keys (a theme's fields, read for every page) return before
  // anything is allocated.
  if (std::find(std::begin(kKnownKeys), std::end(kKnownKeys), key) != std::end(kKnownKeys)) return;
  std::vector<std::string_view> known(std::begin(kKnownKeys), std::end(kKnownKeys));
  for (const TaxonomyConfig& t : config.taxonomies) known.push_back(t.field);
  const std::string near = nearest_name(key, known);
  if (near.empty()) return;
  // The key's own place: a value's column is after the key.
  SourceLocation loc = at(page, v);
  if (std::string_view line = line_of(page.source_text, loc.line); !line.empty()) {
    if (size_t k = line.find(key); k != std::string_view::npos) {
      int l = 0;
      line_and_column(line, k, &l, &loc.column);
    }
  }
  sink.warning(loc, "unknown front-matter key '" + key + "'; did you mean '" + near + "'?",
               page.source_text);
}

}  // namespace

bool decode_page_fields(const SiteConfig& config, Value fields, Page* page, DiagnosticSink& sink) {
  bool ok = true;
  page->terms.assign(config.taxonomies.size(), {});
  for (const auto& [key, v] : fields.as_map()) {
    const Field field = field_of(key);
    if (field == Field::kTitle) {
      ok &= get_string(sink, *page, v, key, &page->title);
      if (config.markdown.smart_titles) page->title = smart_punctuation(page->title);
    } else if (field == Field::kDate) {
      ok &= get_date(sink, *page, v, key, &page->date);
    } else if (field == Field::kLastmod) {
      ok &= get_date(sink, *page, v, key, &page->lastmod);
    } else if (field == Field::kExpiry) {
      ok &= get_date(sink, *page, v, key, &page->expiry_date);
    } else if (field == Field::kDraft) {
      ok &= get_bool(sink, *page, v, key, &page->draft);
    } else if (field == Field::kPublished) {  // Jekyll's spelling of the opposite
      bool published = true;
      ok &= get_bool(sink, *page, v, key, &published);
      page->draft = !published;
    } else if (field == Field::kSlug) {
      ok &= get_string(sink, *page, v, key, &page->slug);
      // Used as written (WordPress slugs keep their non-ASCII letters), but
      // with spaces as hyphens and ASCII lowercased, as Hugo makes paths.
      page->slug = std::string(trim(page->slug));
      for (char& c : page->slug) {
        if (c == ' ' || c == '\t') c = '-';
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (ok && (page->slug.find('/') != std::string::npos || page->slug == ".." ||
                 page->slug == "." || page->slug.empty())) {
        error_at(sink, *page, v,
                 "'slug' must be a single URL segment (no '/', not '.' or '..'); use 'url' for a "
                 "full path");
        ok = false;
      }
    } else if (field == Field::kUrl) {
      ok &= get_string(sink, *page, v, key, &page->url);
    } else if (field == Field::kAliases) {
      std::vector<TermRef> list;
      ok &= get_string_list(sink, *page, v, key, &list);
      for (auto& a : list) {
        if (a.name.find("://") != std::string::npos || a.name.starts_with("//")) {
          sink.error({page->source_path, a.line, a.column},
                     "an alias is a path on this site such as /old/path/, not a full URL",
                     page->source_text);
          ok = false;
          continue;
        }
        bool escapes = false;
        const std::string path = a.name.substr(0, a.name.find('?'));
        for (std::string_view part : split(path, '/')) escapes |= part == "..";
        if (escapes) {
          sink.error({page->source_path, a.line, a.column}, "an alias must not contain '..'",
                     page->source_text);
          ok = false;
          continue;
        }
        page->aliases.push_back(std::move(a.name));
      }
    } else if (field == Field::kSummary) {
      ok &= get_string(sink, *page, v, key, &page->summary_field);
    } else if (field == Field::kIntro) {
      ok &= get_string(sink, *page, v, key, &page->intro_field);
    } else if (field == Field::kAppearances) {
      ok &= decode_appearances(v, page->source_path, page->source_text, &page->appearances, sink);
    } else if (field == Field::kOriginalUrl) {
      std::string url;
      if (get_string(sink, *page, v, key, &url) && !url.empty() && !is_acceptable_link(url)) {
        error_at(sink, *page, v,
                 "'original_url' must be a full URL such as https://example.com/story, not '" +
                     url + "'");
        ok = false;
      }
    } else if (field == Field::kCanonical) {
      if (get_string(sink, *page, v, key, &page->canonical)) {
        const std::string& c = page->canonical;
        if (c != "original" && c != "self" && !c.starts_with("http://") &&
            !c.starts_with("https://")) {
          error_at(sink, *page, v,
                   "'canonical' must be \"original\", \"self\" or a full URL, not '" + c + "'");
          ok = false;
        }
      } else {
        ok = false;
      }
    } else if (field == Field::kCorrection) {
      // A string, or {text, date}.
      if (v.is_map()) {
        const Value* text = v.find("text");
        if (!text) {
          error_at(sink, *page, v, "'correction' needs a 'text'");
          ok = false;
        } else {
          ok &= get_string(sink, *page, *text, "text", &page->correction);
        }
        if (const Value* d = v.find("date"))
          ok &= get_date(sink, *page, *d, "date", &page->correction_date);
        for (const auto& [ck, cv] : v.as_map()) {
          if (ck != "text" && ck != "date") {
            sink.warning(at(*page, cv),
                         "unknown key '" + ck + "' in 'correction' (known: text, date)",
                         page->source_text);
          }
        }
      } else {
        ok &= get_string(sink, *page, v, key, &page->correction);
      }
    } else if (field == Field::kWeight) {
      if (v.is_int()) {
        page->weight = static_cast<int>(v.as_int());
      } else {
        error_at(sink, *page, v,
                 std::string("'weight' must be an integer, not ") + Value::kind_name(v.kind()));
        ok = false;
      }
    }
    bool taxonomy_field = false;
    for (size_t t = 0; t < config.taxonomies.size(); ++t) {
      const TaxonomyConfig& tax = config.taxonomies[t];
      if (key == tax.field) {
        taxonomy_field = true;
        ok &= get_string_list(sink, *page, v, key, &page->terms[t],
                              /*split_commas=*/!(tax.automatic && tax.field == "outlet"));
      }
    }
    if (field == Field::kOther && !taxonomy_field) suggest_known_key(config, *page, key, v, sink);
  }
  page->params = std::move(fields);
  return ok;
}

std::string expand_permalink(std::string_view pattern, const Page& page, std::string* error) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != ':') {
      out += pattern[i];
      continue;
    }
    size_t j = i + 1;
    while (j < pattern.size() && pattern[j] >= 'a' && pattern[j] <= 'z') ++j;
    std::string_view token = pattern.substr(i + 1, j - i - 1);
    i = j - 1;
    if (token == "year" || token == "month" || token == "day") {
      if (!page.date) {
        *error = "the permalink pattern '" + std::string(pattern) + "' needs a date and this " +
                 "page has none (add 'date:' to its front matter)";
        return {};
      }
      DateTime::Parts p = page.date->local();
      char buf[8];
      if (token == "year") std::snprintf(buf, sizeof buf, "%04d", p.year);
      if (token == "month") std::snprintf(buf, sizeof buf, "%02d", p.month);
      if (token == "day") std::snprintf(buf, sizeof buf, "%02d", p.day);
      out += buf;
    } else if (token == "slug") {
      out += page.slug.empty() ? page.file_slug : page.slug;
    } else if (token == "title") {
      out += slugify(page.title);
    } else if (token == "section") {
      out += page.section;
    } else if (token == "filename") {
      out += page.file_slug;
    } else {
      out += ':';
      out += token;
    }
  }
  return out;
}

bool assign_permalink(const SiteConfig& config, Page* page, DiagnosticSink& sink) {
  std::string url;
  SourceLocation origin{page->source_path, 1, 1};
  const std::string& slug = page->slug.empty() ? page->file_slug : page->slug;
  if (const Value* v = page->params.find("slug")) origin = {page->source_path, v->line, v->column};
  if (!page->url.empty()) {
    url = page->url;
    if (const Value* v = page->params.find("url")) origin = {page->source_path, v->line, v->column};
  } else {
    switch (page->kind) {
      case PageKind::kHome:
        url = "/";
        break;
      case PageKind::kSection:
        url = "/" + page->section + "/";
        break;
      case PageKind::kPage:
        url = "/" + slug + "/";
        break;
      case PageKind::kPost: {
        auto it = config.permalinks.find(page->section);
        if (it != config.permalinks.end()) {
          std::string why;
          url = expand_permalink(it->second, *page, &why);
          if (url.empty()) {
            sink.error(origin, why, page->source_text);
            return false;
          }
        } else {
          std::string dir = page->rel_dir;
          // A bundle's folder is the page itself, not its parent.
          if (!page->resources.empty() || page->rel_path.ends_with("/index.md")) {
            dir = parent_of(dir);
          }
          url = "/" + (dir.empty() ? "" : dir + "/") + slug + "/";
        }
        break;
      }
    }
  }
  if (url.empty() || url.front() != '/') url.insert(url.begin(), '/');
  // "//greek/x/" (WordPress writes such links) is the path "/greek/x/";
  // left alone it would read as a protocol-relative URL.
  url.erase(
      std::unique(url.begin(), url.end(), [](char a, char b) { return a == '/' && b == '/'; }),
      url.end());
  // A URL naming a file ("/feed.xml", "/old/page.html") is written as that
  // file; any other URL is a folder with an index.html.
  std::string last = url.substr(url.rfind('/') + 1);
  std::string file;
  if (!last.empty() && last.find('.') != std::string::npos) {
    file = url.substr(1);
  } else {
    if (url.back() != '/') url += '/';
    file = url.substr(1) + "index.html";
  }
  for (std::string_view part : split(url, '/')) {
    if (part == ".." || part == ".") {
      sink.error(origin,
                 "the page's URL '" + url + "' would leave the output folder ('.' or '..' in it)",
                 page->source_text);
      return false;
    }
  }
  page->permalink = url;
  page->output_path = file;
  page->url_origin = origin;
  page->url_line = line_of(page->source_text, origin.line);
  return true;
}

namespace {

// Reads and decodes one content file into `page`; returns false on errors.
bool load_page(const SiteConfig& config, const Entry& e, const std::string& display_root,
               Page* page, DiagnosticSink& sink, const std::function<void()>& on_miss) {
  page->rel_path = e.rel;
  page->source_path = display_root + "/" + e.rel;
  std::string why;
  if (!read_file(e.path, &page->source_text, &why, on_miss)) {
    sink.error({page->source_path, 0, 0}, "cannot read file: " + why);
    return false;
  }
  if (size_t bad = find_invalid_utf8(page->source_text); bad != std::string::npos) {
    SourceLocation loc{page->source_path, 0, 0};
    line_and_column(page->source_text, bad, &loc.line, &loc.column);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(page->source_text[bad]));
    sink.error(loc, std::string("invalid UTF-8 (byte ") + hex + "); save the file as UTF-8",
               page->source_text);
    return false;
  }
  page->source_hash = hash_bytes(page->source_text);
  FrontMatter fm;
  if (!parse_front_matter(page->source_path, page->source_text, &fm, sink)) return false;
  page->body_offset = static_cast<size_t>(fm.body.data() - page->source_text.data());
  page->body_line = fm.body_line;
  return decode_page_fields(config, std::move(fm.fields), page, sink);
}

// Fills `page` from what the last build made of the same file: its front
// matter as decoded then, the Markdown stage's summary and word count as
// they were, and the warnings they gave, given again. Where the site folder
// is shown from may have changed since. The warnings of its body go to
// `body_warnings`, to be given only if the page is published: the Markdown
// stage reads no other (a post whose expiry date has come has none).
void restore_page(const Entry& e, const std::string& display_root, RestoredPage&& r, Page* page,
                  DiagnosticSink& sink, std::vector<Diagnostic>* body_warnings) {
  *page = std::move(r.page);
  page->rel_path = e.rel;
  page->source_path = display_root + "/" + e.rel;
  for (Appearance& a : page->appearances) a.origin.path = page->source_path;
  for (Diagnostic& d : r.diagnostics) {
    d.location.path = page->source_path;
    if (page->body_line > 0 && d.location.line >= page->body_line)
      body_warnings->push_back(std::move(d));
    else
      sink.report(std::move(d));
  }
  page->body_inputs = std::move(r.body_inputs);
  page->inputs_hash = r.inputs_hash;
  page->body_restored = true;
}

// data/<taxonomy>.toml or .yaml: a table per term name, with optional
// display_name and url and anything else the theme wants.
void load_term_data(const SiteConfig& config, const fs::path& site_dir,
                    std::vector<std::vector<TermData>>* out, DiagnosticSink& sink) {
  out->assign(config.taxonomies.size(), {});
  for (size_t t = 0; t < config.taxonomies.size(); ++t) {
    for (const char* ext : {".toml", ".yaml", ".yml"}) {
      const std::string rel = "data/" + config.taxonomies[t].name + ext;
      const fs::path file = site_dir / rel;
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) continue;
      const std::string display = (site_dir / rel).lexically_normal().generic_string();
      std::string text, why;
      if (!read_file(file, &text, &why)) {
        sink.error({display, 0, 0}, "cannot read file: " + why);
        continue;
      }
      if (size_t bad = find_invalid_utf8(text); bad != std::string::npos) {
        SourceLocation loc{display, 0, 0};
        line_and_column(text, bad, &loc.line, &loc.column);
        sink.error(loc, "invalid UTF-8; save the file as UTF-8", text);
        continue;
      }
      FrontMatterBlock block{display, text, text, 1};
      Value doc;
      bool toml = std::string_view(ext) == ".toml";
      if (!(toml ? decode_toml_front_matter(block, &doc, sink)
                 : decode_yaml_front_matter(block, &doc, sink)))
        continue;
      for (const auto& [name, v] : doc.as_map()) {
        if (!v.is_map()) {
          sink.error({display, v.line, v.column},
                     "'" + name + "' must be a table of fields such as url and display_name, not " +
                         Value::kind_name(v.kind()),
                     text);
          continue;
        }
        TermData d;
        d.name = name;
        d.fields = v;
        bool ok = true;
        for (const auto& [key, f] : v.as_map()) {
          if (key != "display_name" && key != "url") continue;
          if (!f.is_string()) {
            sink.error({display, f.line, f.column},
                       "'" + key + "' must be a string, not " + Value::kind_name(f.kind()), text);
            ok = false;
            continue;
          }
          if (key == "display_name") d.display_name = std::string(trim(f.as_string()));
          if (key == "url") {
            d.url = std::string(trim(f.as_string()));
            if (!is_acceptable_link(d.url)) {
              sink.error(
                  {display, f.line, f.column},
                  "'url' must be a full URL such as https://example.com/, not '" + d.url + "'",
                  text);
              ok = false;
            }
          }
        }
        if (ok) (*out)[t].push_back(std::move(d));
      }
    }
  }
}

}  // namespace

bool read_page(const SiteConfig& config, const fs::path& site_dir, const std::string& rel,
               Page* page, DiagnosticSink& sink) {
  const fs::path content_dir = site_dir / "content";
  const Entry e{(content_dir / rel).string(), rel};
  return load_page(config, e, content_dir.lexically_normal().generic_string(), page, sink, {});
}

uint64_t page_meta_hash(const Page& p) {
  Hasher h;
  // The front matter's text, through its hash: a restored page has only
  // that (Page::front_matter_dropped).
  h.add(p.front_matter_dropped
            ? p.front_matter_hash
            : hash_bytes(std::string_view(p.source_text).substr(0, p.body_offset)));
  h.add(p.permalink).add(p.output_path).add(static_cast<uint64_t>(p.kind));
  h.add(p.section).add(p.file_slug).add(p.url_line);
  h.add_signed(p.url_origin.line).add_signed(p.url_origin.column);
  for (const std::string& r : p.resources) h.add(r);
  // A Jekyll-style file name gives the date when the front matter has none.
  h.add_signed(p.date ? p.date->utc_seconds : INT64_MIN);
  return h.add(static_cast<uint64_t>(p.resources.size())).digest();
}

bool load_content(const SiteConfig& config, const fs::path& site_dir, const ContentOptions& options,
                  Content* out, DiagnosticSink& sink, const PageCache* cache) {
  const size_t errors_before = sink.error_count();
  const fs::path content_dir = site_dir / "content";
  const std::string content_display = content_dir.lexically_normal().generic_string();
  std::vector<Entry> entries;
  walk(content_dir, &entries, sink, content_display);

  // Folders holding an index.md are page bundles: their other files belong
  // to that page and are published beside it.
  std::vector<std::string> bundle_dirs;
  for (const Entry& e : entries) {
    if (e.rel == "index.md" || e.rel.ends_with("/index.md"))
      bundle_dirs.push_back(parent_of(e.rel));
  }
  auto bundle_of = [&](const std::string& rel) -> std::string {
    std::string dir = parent_of(rel);
    while (true) {
      if (std::binary_search(bundle_dirs.begin(), bundle_dirs.end(), dir) && !dir.empty())
        return dir;
      if (dir.empty()) return {};
      dir = parent_of(dir);
    }
  };
  std::sort(bundle_dirs.begin(), bundle_dirs.end());

  std::vector<const Entry*> page_entries;
  std::vector<std::pair<std::string, std::vector<std::string>>> bundle_resources;
  for (const Entry& e : entries) {
    std::string bundle = bundle_of(e.rel);
    bool page_file = is_markdown(e.path);
    if (page_file && !bundle.empty() && e.rel != bundle + "/index.md") {
      page_file = false;  // Markdown inside a bundle is a resource, as in Hugo
    }
    if (page_file) {
      page_entries.push_back(&e);
    } else if (is_data_file(e.rel)) {
      continue;
    } else if (!bundle.empty()) {
      if (bundle_resources.empty() || bundle_resources.back().first != bundle) {
        bundle_resources.push_back({bundle, {}});
      }
      bundle_resources.back().second.push_back(e.rel);
    } else {
      out->files.push_back({e.rel, e.path, content_display + "/" + e.rel});
    }
  }

  // Loading a page and placing it (kind, slug, permalink, whether this
  // build leaves it out) depend on that page alone, so both run in
  // parallel; at 100,000 pages the placing alone took half a second.
  enum Fate : char { kDropped, kKept, kLeftOut };
  std::mutex next_change_mu;
  auto place = [&](Page& p) -> Fate {
    const std::string& rel = p.rel_path;
    std::string dir = parent_of(rel);
    std::string stem = stem_of(rel);
    size_t slash = rel.find('/');
    p.section = slash == std::string::npos ? "" : rel.substr(0, slash);
    p.rel_dir = dir;
    if (rel == "_index.md") {
      p.kind = PageKind::kHome;
    } else if (stem == "_index") {
      if (dir != p.section) {
        sink.warning({p.source_path, 0, 0},
                     "nested sections are not supported: this _index.md is ignored");
        return kDropped;
      }
      p.kind = PageKind::kSection;
    } else if (p.section.empty() || (rel == p.section + "/index.md")) {
      p.kind = PageKind::kPage;  // about.md, or a bundle about/index.md
      p.section.clear();
    } else {
      p.kind = PageKind::kPost;
    }
    if (stem == "index") {
      p.file_slug = slugify(dir.substr(dir.rfind('/') + 1));
      auto res = std::lower_bound(bundle_resources.begin(), bundle_resources.end(), dir,
                                  [](const auto& b, const std::string& d) { return b.first < d; });
      if (res != bundle_resources.end() && res->first == dir) p.resources = res->second;
    } else {
      // Jekyll names posts 2019-08-01-title.md: the date is not part of the
      // slug, and it is the post's date when the front matter has none.
      std::string name = stem;
      if (name.size() > 11 && name[4] == '-' && name[7] == '-' && name[10] == '-') {
        if (auto d = parse_datetime(std::string_view(name).substr(0, 10))) {
          if (!p.date) p.date = d;
          name = name.substr(11);
        }
      }
      p.file_slug = slugify(name);
    }
    if (p.file_slug.empty()) p.file_slug = "page";
    if (p.is_regular()) {
      bool future = p.date && p.date->utc_seconds > options.now.utc_seconds;
      bool expired = p.expiry_date && p.expiry_date->utc_seconds <= options.now.utc_seconds;
      // When the clock will change this page's fate (see Content::next_change).
      int64_t change = INT64_MAX;
      if (future && !options.future) change = p.date->utc_seconds;
      if (p.expiry_date && !expired && !options.expired)
        change = std::min(change, p.expiry_date->utc_seconds);
      if (change != INT64_MAX) {
        std::lock_guard lock(next_change_mu);
        out->next_change = std::min(out->next_change, change);
      }
      if ((p.draft && !options.drafts) || (future && !options.future) ||
          (expired && !options.expired)) {
        return kLeftOut;
      }
    }
    // A restored page keeps the permalink it had: it depends on nothing
    // that can change without the page's file or the config changing.
    if (p.body_restored && !p.output_path.empty()) {
      p.url_origin.path = p.source_path;
      return kKept;
    }
    if (!assign_permalink(config, &p, sink)) return kDropped;
    return kKept;
  };
  std::vector<Page> pages(page_entries.size());
  std::vector<Fate> fate(page_entries.size(), kDropped);
  // A file that is not in the page cache has the next ones in the same
  // thread's stripe of the range read ahead, each once.
  constexpr size_t kReadAhead = 64;
  static std::atomic<uint64_t> loads{0};
  const uint64_t load = ++loads;  // tells this call's per-thread state from an earlier call's
  parallel_for(page_entries.size(), [&](size_t i) {
    thread_local uint64_t ahead_load = 0;
    thread_local size_t ahead_end = 0;  // files below it were read ahead
    if (ahead_load != load) ahead_load = load, ahead_end = 0;
    auto on_miss = [&] {
      size_t from = std::max(i + 1, ahead_end);
      size_t to = std::min(page_entries.size(), i + 1 + kReadAhead);
      for (size_t k = from; k < to; ++k) read_ahead(page_entries[k]->path);
      ahead_end = std::max(ahead_end, to);
    };
    const Entry& e = *page_entries[i];
    RestoredPage restored;
    std::vector<Diagnostic> body_warnings;
    bool ok = true;
    if (cache && cache->restore(e.rel, e.path, &restored))
      restore_page(e, content_display, std::move(restored), &pages[i], sink, &body_warnings);
    else
      ok = load_page(config, e, content_display, &pages[i], sink, on_miss);
    if (ok) fate[i] = place(pages[i]);
    if (fate[i] == kKept) {
      pages[i].meta_hash = page_meta_hash(pages[i]);
      for (Diagnostic& d : body_warnings) sink.report(std::move(d));
    }
  });

  // The kept pages are moved down in place rather than into a second
  // vector: at 100,000 pages that one was 110 MB of fresh memory for the
  // kernel to clear, a tenth of an incremental build's peak.
  size_t kept = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (fate[i] == kLeftOut) ++out->left_out;
    if (fate[i] != kKept) continue;
    if (kept != i) pages[kept] = std::move(pages[i]);
    ++kept;
  }
  pages.resize(kept);
  // Near-exact capacity (growing by doubling left up to a third unused,
  // ~30 MB at 100,000 pages, held for the whole build): shrunk only when
  // many pages were left out.
  if (kept < pages.capacity() - pages.capacity() / 8) pages.shrink_to_fit();
  if (out->pages.empty()) {
    out->pages = std::move(pages);
  } else {
    out->pages.reserve(out->pages.size() + kept);
    for (Page& p : pages) out->pages.push_back(std::move(p));
  }

  load_appearance_log(content_dir, content_display, &out->appearances, sink);
  load_term_data(config, site_dir, &out->term_data, sink);

  // static/ is copied as is.
  const fs::path static_dir = site_dir / "static";
  const std::string static_display = static_dir.lexically_normal().generic_string();
  std::vector<Entry> statics;
  walk(static_dir, &statics, sink, static_display);
  for (const Entry& e : statics)
    out->files.push_back({e.rel, e.path, static_display + "/" + e.rel});

  return sink.error_count() == errors_before;
}

}  // namespace byline
