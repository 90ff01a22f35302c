// Reading byline.toml with toml++: every key is checked for its type, and
// every problem points at the key's line and column.
#include "config/config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <span>
#include <sstream>
#include <tuple>

#include "base/strings.h"
#include "base/suggest.h"
#include "base/toml_limits.h"
#include "config/theme.h"

namespace byline {

const std::vector<std::string>& search_field_names_config() {
  static const std::vector<std::string> names = {"title", "standfirst", "body",
                                                 "tags",  "outlet",     "authors"};
  return names;
}

const TaxonomyConfig* SiteConfig::find_taxonomy(std::string_view name) const {
  for (const auto& t : taxonomies)
    if (t.name == name) return &t;
  return nullptr;
}

bool is_permalink_token(std::string_view token) {
  return token == "year" || token == "month" || token == "day" || token == "slug" ||
         token == "section" || token == "title" || token == "filename";
}

namespace {

// Walks one TOML document, converting and checking values, reporting
// problems with their places.
class ConfigReader {
 public:
  ConfigReader(std::string_view text, const std::string& path, DiagnosticSink& sink)
      : text_(text), path_(path), sink_(sink) {}

  SourceLocation where(const toml::node& n) const {
    const auto& b = n.source().begin;
    return {path_, static_cast<int>(b.line), static_cast<int>(b.column)};
  }

  void error(const toml::node& n, std::string msg) { sink_.error(where(n), std::move(msg), text_); }
  // An unknown key is ignored with a warning; one or two edits from a key
  // of `known` (the keys of `table`), it is most likely that key misspelt,
  // and the warning says which. A table is shown as the writer wrote it:
  // `[feed]`, "did you mean [feeds]?".
  void warn_unknown(const toml::node& n, std::string_view key, std::string_view table,
                    std::span<const std::string_view> known = {}) {
    const bool is_table = n.is_table();
    std::string message = is_table && table.empty() ? "unknown table [" + std::string(key) + "]"
                                                    : "unknown key '" + std::string(key) + "'";
    if (!table.empty()) message += " in [" + std::string(table) + "]";
    message += " (ignored)";
    if (std::string near = nearest_name(key, known); !near.empty())
      message += is_table && table.empty() ? "; did you mean [" + near + "]?"
                                           : "; did you mean '" + near + "'?";
    sink_.warning(where(n), std::move(message), text_);
  }

  bool get_string(const toml::node& n, std::string_view key, std::string* out) {
    if (auto v = n.value<std::string>(); v && n.is_string()) {
      *out = *v;
      return true;
    }
    error(n, "'" + std::string(key) + "' must be a string");
    return false;
  }

  bool get_bool(const toml::node& n, std::string_view key, bool* out) {
    if (n.is_boolean()) {
      *out = *n.value<bool>();
      return true;
    }
    error(n, "'" + std::string(key) + "' must be true or false");
    return false;
  }

  bool get_positive_int(const toml::node& n, std::string_view key, int* out, int min = 1) {
    if (n.is_integer()) {
      int64_t v = *n.value<int64_t>();
      if (v >= min && v <= 1000000) {
        *out = static_cast<int>(v);
        return true;
      }
      error(n, "'" + std::string(key) + "' must be at least " + std::to_string(min));
      return false;
    }
    error(n, "'" + std::string(key) + "' must be an integer");
    return false;
  }

  const toml::table* get_table(const toml::node& n, std::string_view key) {
    if (const toml::table* t = n.as_table()) return t;
    error(n, "'" + std::string(key) + "' must be a table");
    return nullptr;
  }

  Value to_value(const toml::node& n) {
    Value v;
    if (n.is_string()) {
      v = Value::string(*n.value<std::string>());
    } else if (n.is_integer()) {
      v = Value::integer(*n.value<int64_t>());
    } else if (n.is_floating_point()) {
      v = Value::number(*n.value<double>());
    } else if (n.is_boolean()) {
      v = Value::boolean(*n.value<bool>());
    } else if (const toml::array* a = n.as_array()) {
      v = Value::list();
      for (const toml::node& e : *a) v.as_list().push_back(to_value(e));
    } else if (const toml::table* t = n.as_table()) {
      v = Value::map();
      for (const auto& [k, e] : *t) v.set(std::string(k.str()), to_value(e));
    } else {
      std::ostringstream os;
      if (n.is_date()) os << *n.as_date();
      if (n.is_time()) os << *n.as_time();
      if (n.is_date_time()) os << *n.as_date_time();
      v = Value::string(os.str());
    }
    v.line = static_cast<int>(n.source().begin.line);
    v.column = static_cast<int>(n.source().begin.column);
    return v;
  }

  void read_permalinks(const toml::table& t, SiteConfig* c) {
    for (const auto& [k, n] : t) {
      std::string pattern;
      if (!get_string(n, k.str(), &pattern)) continue;
      if (!check_pattern(n, pattern, /*needs_slug=*/false)) continue;
      c->permalinks[std::string(k.str())] = pattern;
    }
  }

  bool check_pattern(const toml::node& n, std::string_view pattern, bool needs_slug) {
    if (pattern.empty() || pattern.front() != '/') {
      error(n, "URL pattern must start with '/'");
      return false;
    }
    bool has_slug = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] != ':') continue;
      size_t j = i + 1;
      while (j < pattern.size() && pattern[j] >= 'a' && pattern[j] <= 'z') ++j;
      std::string_view token = pattern.substr(i + 1, j - i - 1);
      if (!is_permalink_token(token)) {
        error(n, "unknown token ':" + std::string(token) +
                     "' in URL pattern (known: :year :month :day :slug :section :title "
                     ":filename)");
        return false;
      }
      has_slug |= token == "slug";
      i = j - 1;
    }
    if (needs_slug && !has_slug) {
      error(n, "taxonomy URL pattern must contain ':slug'");
      return false;
    }
    return true;
  }

  void read_taxonomies(const toml::table& t, SiteConfig* c) {
    c->taxonomies.clear();
    for (const auto& [k, n] : t) {
      TaxonomyConfig tax;
      tax.name = std::string(k.str());
      tax.field = tax.name;
      tax.location = where(n);
      if (n.is_boolean()) {
        // `outlets = false` turns off a taxonomy byline adds by itself.
        if (*n.value<bool>()) {
          error(n,
                "a taxonomy is a URL pattern string or a table; only 'false' (to turn off "
                "outlets or authors) is a boolean here");
        } else {
          disabled_.push_back(tax.name);
        }
        continue;
      }
      if (const TaxonomyConfig* def = automatic_taxonomy(tax.name)) {
        tax.field = def->field;
        tax.order = def->order;
        tax.url_pattern = def->url_pattern;
        tax.list_url = def->list_url;
      }
      if (n.is_string()) {
        tax.url_pattern = *n.value<std::string>();
        if (!check_pattern(n, tax.url_pattern, true)) continue;
      } else if (const toml::table* opts = n.as_table()) {
        bool ok = true;
        for (const auto& [ok_key, on] : *opts) {
          std::string_view key = ok_key.str();
          if (key == "url") {
            ok &= get_string(on, key, &tax.url_pattern) && check_pattern(on, tax.url_pattern, true);
          } else if (key == "field") {
            ok &= get_string(on, key, &tax.field);
          } else if (key == "list_url") {
            if (get_string(on, key, &tax.list_url)) {
              if (tax.list_url.empty() || tax.list_url.front() != '/' ||
                  tax.list_url.find("..") != std::string::npos) {
                error(on, "'list_url' must be a path on the site such as \"/outlets/\"");
                ok = false;
              } else if (tax.list_url.back() != '/') {
                tax.list_url += '/';
              }
            } else {
              ok = false;
            }
          } else if (key == "paginate") {
            ok &= get_positive_int(on, key, &tax.paginate);
          } else if (key == "feeds") {
            ok &= get_bool(on, key, &tax.feeds);
          } else if (key == "slugs") {
            if (const toml::table* slugs = get_table(on, key)) {
              for (const auto& [name, sn] : *slugs) {
                std::string slug;
                if (!get_string(sn, name.str(), &slug)) continue;
                bool bad = slug.empty() || slug.front() == '/' || slug.back() == '/';
                for (std::string_view part : split(slug, '/')) bad |= part.empty() || part == "..";
                if (bad) {
                  error(sn,
                        "a term slug is one or more path segments such as \"mustread\" or "
                        "\"parent/child\"");
                  ok = false;
                  continue;
                }
                tax.slugs[std::string(name.str())] = slug;
              }
            } else {
              ok = false;
            }
          } else if (key == "order") {
            std::string order;
            if (get_string(on, key, &order)) {
              if (order == "name") {
                tax.order = TaxonomyConfig::Order::kName;
              } else if (order == "count") {
                tax.order = TaxonomyConfig::Order::kCount;
              } else {
                error(on, "'order' must be \"name\" or \"count\"");
                ok = false;
              }
            }
          } else {
            static constexpr std::string_view kKeys[] = {"url",   "field", "list_url", "paginate",
                                                         "feeds", "slugs", "order"};
            warn_unknown(on, key, "taxonomies." + tax.name, kKeys);
          }
        }
        if (tax.url_pattern.empty()) {
          tax.url_pattern = "/" + tax.name + "/:slug/";
        }
        if (!ok) continue;
      } else {
        error(n, "taxonomy '" + tax.name + "' must be a URL pattern string or a table");
        continue;
      }
      c->taxonomies.push_back(std::move(tax));
    }
    // toml++ iterates keys alphabetically; keep the order the writer chose.
    std::sort(c->taxonomies.begin(), c->taxonomies.end(), [](const auto& a, const auto& b) {
      return std::tie(a.location.line, a.location.column) <
             std::tie(b.location.line, b.location.column);
    });
  }

  void read_markdown(const toml::table& t, MarkdownConfig* m) {
    static const std::pair<const char*, bool MarkdownConfig::*> kSwitches[] = {
        {"smart_punctuation", &MarkdownConfig::smart_punctuation},
        {"smart_titles", &MarkdownConfig::smart_titles},
        {"footnotes", &MarkdownConfig::footnotes},
        {"tables", &MarkdownConfig::tables},
        {"strikethrough", &MarkdownConfig::strikethrough},
        {"autolinks", &MarkdownConfig::autolinks},
        {"tasklists", &MarkdownConfig::tasklists},
        {"unsafe_html", &MarkdownConfig::unsafe_html},
        {"heading_ids", &MarkdownConfig::heading_ids},
        {"figures", &MarkdownConfig::figures},
        {"pull_quotes", &MarkdownConfig::pull_quotes},
        {"hard_wraps", &MarkdownConfig::hard_wraps},
    };
    for (const auto& [k, n] : t) {
      bool known = false;
      for (const auto& [name, member] : kSwitches) {
        if (k.str() == name) {
          get_bool(n, name, &(m->*member));
          known = true;
        }
      }
      if (!known) {
        std::vector<std::string_view> names;
        for (const auto& [name, member] : kSwitches) names.push_back(name);
        warn_unknown(n, k.str(), "markdown", names);
      }
    }
  }

  void read_images(const toml::table& t, ImagesConfig* im) {
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      if (key == "process") {
        get_bool(n, key, &im->process);
      } else if (key == "cards") {
        if (n.is_string() && *n.value<std::string>() == "images") {
          im->cards = true;
          im->text_cards = false;
        } else if (n.is_boolean()) {
          im->cards = im->text_cards = *n.value<bool>();
        } else {
          error(n,
                "'cards' must be true (cards cut from images, and generated for pages without "
                "one), \"images\" (cut from images only) or false");
        }
      } else if (key == "keep_credit") {
        get_bool(n, key, &im->keep_credit);
      } else if (key == "quality") {
        if (get_positive_int(n, key, &im->quality) && im->quality > 100)
          error(n, "'quality' must be from 1 to 100");
      } else if (key == "sizes") {
        get_string(n, key, &im->sizes);
      } else if (key == "max_pixels") {
        if (n.is_integer() && *n.value<int64_t>() >= 1) {
          im->max_pixels = *n.value<int64_t>();
        } else {
          error(n, "'max_pixels' must be a positive integer (pixels: width × height)");
        }
      } else if (key == "formats") {
        std::vector<std::string> formats;
        if (!get_string_list(n, key, &formats)) continue;
        im->formats.clear();
        for (const std::string& f : formats) {
          if (f != "webp" && f != "avif") {
            error(n, "'" + f +
                         "' is not a format byline offers beside an image's own: "
                         "formats = [\"avif\", \"webp\"] (either or both, best first)");
            continue;
          }
          if (std::find(im->formats.begin(), im->formats.end(), f) == im->formats.end())
            im->formats.push_back(f);
        }
        im->formats_location = where(n);
      } else if (key == "widths") {
        const toml::array* a = n.as_array();
        if (!a || a->empty()) {
          error(n, "'widths' must be a list of pixel widths such as [480, 800, 1200, 1600]");
          continue;
        }
        std::vector<int> widths;
        for (const toml::node& w : *a) {
          int v = 0;
          if (!get_positive_int(w, "widths", &v)) continue;
          if (v > 16384) {
            error(w, "an image width must be at most 16384");
            continue;
          }
          widths.push_back(v);
        }
        std::sort(widths.begin(), widths.end());
        widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
        if (!widths.empty()) im->widths = std::move(widths);
      } else {
        static constexpr std::string_view kKeys[] = {"process",     "widths",     "quality",
                                                     "sizes",       "max_pixels", "cards",
                                                     "keep_credit", "formats"};
        warn_unknown(n, key, "images", kKeys);
      }
    }
  }

  void read_feeds(const toml::table& t, FeedsConfig* f) {
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      std::string* name = key == "rss"    ? &f->rss
                          : key == "atom" ? &f->atom
                          : key == "json" ? &f->json
                                          : nullptr;
      if (name) {
        if (get_string(n, key, name) &&
            (name->find('/') != std::string::npos || *name == "." || *name == "..")) {
          error(n, "a feed's file name must not contain '/'");
        }
      } else if (key == "limit") {
        get_positive_int(n, key, &f->limit);
      } else {
        static constexpr std::string_view kKeys[] = {"rss", "atom", "json", "limit"};
        warn_unknown(n, key, "feeds", kKeys);
      }
    }
  }

  void read_appearances(const toml::table& t, AppearancesConfig* a) {
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      if (key == "url") {
        if (get_string(n, key, &a->url)) {
          if (a->url.empty() || a->url.front() != '/' || a->url.find("..") != std::string::npos) {
            error(n, "'url' must be a path on the site such as \"/appearances/\"");
          } else if (a->url.back() != '/') {
            a->url += '/';
          }
        }
      } else if (key == "title") {
        get_string(n, key, &a->title);
      } else if (key == "paginate") {
        get_positive_int(n, key, &a->paginate);
      } else if (key == "feeds") {
        get_bool(n, key, &a->feeds);
      } else {
        static constexpr std::string_view kKeys[] = {"url", "title", "paginate", "feeds"};
        warn_unknown(n, key, "appearances", kKeys);
      }
    }
  }

  bool get_string_list(const toml::node& n, std::string_view key, std::vector<std::string>* out) {
    const toml::array* a = n.as_array();
    if (!a) {
      error(n, "'" + std::string(key) + "' must be a list of strings");
      return false;
    }
    out->clear();
    for (const toml::node& e : *a) {
      if (!e.is_string()) {
        error(e, "'" + std::string(key) + "' must be a list of strings");
        return false;
      }
      out->push_back(*e.value<std::string>());
    }
    return true;
  }

  bool is_search_field(const toml::node& n, const std::string& name) {
    const auto& names = search_field_names_config();
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    std::vector<std::string_view> known(names.begin(), names.end());
    std::string message = "unknown search field '" + name + "'";
    if (std::string near = nearest_name(name, known); !near.empty())
      message += "; did you mean '" + near + "'?";
    std::string all;
    for (const std::string& f : names) all += (all.empty() ? "" : ", ") + f;
    error(n, message + " (fields are " + all + ")");
    return false;
  }

  void read_search(const toml::table& t, SearchConfig* s) {
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      if (key == "enabled") {
        get_bool(n, key, &s->enabled);
      } else if (key == "appearances") {
        get_bool(n, key, &s->appearances);
      } else if (key == "related") {
        int v = s->related;
        if (get_positive_int(n, key, &v, 0)) {
          if (v > 100)
            error(n, "'related' must be at most 100");
          else
            s->related = v;
        }
      } else if (key == "url") {
        if (get_string(n, key, &s->url)) {
          if (s->url.empty() || s->url.front() != '/' || s->url.find("..") != std::string::npos) {
            error(n, "'url' must be a path on the site such as \"/search/\"");
          } else if (s->url.back() != '/') {
            s->url += '/';
          }
        }
      } else if (key == "fields") {
        std::vector<std::string> fields;
        if (get_string_list(n, key, &fields)) {
          bool ok = true;
          const toml::array& a = *n.as_array();
          for (size_t i = 0; i < fields.size(); ++i) ok &= is_search_field(a[i], fields[i]);
          if (ok && fields.empty()) error(n, "'fields' must name at least one field");
          if (ok) s->fields = std::move(fields);
        }
      } else if (key == "weights") {
        if (const toml::table* w = get_table(n, key)) {
          for (const auto& [fk, fn] : *w) {
            std::string name(fk.str());
            if (!is_search_field(fn, name)) continue;
            if (!fn.is_number() || *fn.value<double>() < 0 || *fn.value<double>() > 1000) {
              error(fn, "the weight of '" + name + "' must be a number from 0 to 1000");
              continue;
            }
            s->weights[name] = *fn.value<double>();
          }
        }
      } else if (key == "exclude") {
        if (const toml::table* e = get_table(n, key)) {
          for (const auto& [ek, en] : *e) {
            std::string_view ekey = ek.str();
            if (ekey == "sections") {
              get_string_list(en, ekey, &s->exclude_sections);
            } else if (ekey == "tags") {
              get_string_list(en, ekey, &s->exclude_tags);
            } else {
              static constexpr std::string_view kKeys[] = {"sections", "tags"};
              warn_unknown(en, ekey, "search.exclude", kKeys);
            }
          }
        }
      } else {
        static constexpr std::string_view kKeys[] = {"enabled", "url",     "fields",     "weights",
                                                     "exclude", "related", "appearances"};
        warn_unknown(n, key, "search", kKeys);
      }
    }
  }

  void read_author(const toml::table& t, AuthorConfig* a) {
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      if (key == "name") {
        get_string(n, key, &a->name);
      } else if (key == "bio") {
        get_string(n, key, &a->bio);
      } else if (key == "email") {
        get_string(n, key, &a->email);
      } else if (key == "photo") {
        get_string(n, key, &a->photo);
      } else if (key == "links") {
        if (const toml::table* links = get_table(n, key)) {
          for (const auto& [lk, ln] : *links) {
            std::string url;
            if (get_string(ln, lk.str(), &url)) a->links.emplace_back(std::string(lk.str()), url);
          }
        }
      } else {
        static constexpr std::string_view kKeys[] = {"name", "bio", "email", "photo", "links"};
        warn_unknown(n, key, "author", kKeys);
      }
    }
  }

  // An integer from `min` to `max` (the limits are counts and byte sizes,
  // beyond get_positive_int's range).
  bool get_int_in(const toml::node& n, std::string_view key, int64_t min, int64_t max,
                  int64_t* out) {
    if (!n.is_integer()) {
      error(n, "'" + std::string(key) + "' must be an integer");
      return false;
    }
    int64_t v = *n.value<int64_t>();
    if (v < min || v > max) {
      error(n, "'" + std::string(key) + "' must be from " + std::to_string(min) + " to " +
                   std::to_string(max));
      return false;
    }
    *out = v;
    return true;
  }

  void read_limits(const toml::table& t, SiteConfig* c) {
    RenderLimits& l = c->render_limits;
    for (const auto& [k, n] : t) {
      std::string_view key = k.str();
      int64_t v;
      if (key == "max_output_bytes") {
        if (get_int_in(n, key, 1024, INT64_MAX, &v)) l.max_output_bytes = static_cast<uint64_t>(v);
      } else if (key == "max_iterations") {
        if (get_int_in(n, key, 1, INT64_MAX, &v)) l.max_iterations = static_cast<uint64_t>(v);
      } else if (key == "max_call_depth") {
        // Deeper than a few thousand calls would outrun the stack first.
        if (get_int_in(n, key, 1, 10000, &v)) l.max_call_depth = static_cast<int>(v);
      } else {
        static constexpr std::string_view kKeys[] = {"max_output_bytes", "max_iterations",
                                                     "max_call_depth"};
        warn_unknown(n, key, "limits", kKeys);
      }
    }
  }

  void read_sections(const toml::table& t, SiteConfig* c) {
    for (const auto& [k, n] : t) {
      const toml::table* st = get_table(n, k.str());
      if (!st) continue;
      SectionConfig sc;
      for (const auto& [sk, sn] : *st) {
        if (sk.str() == "list") {
          get_bool(sn, "list", &sc.list);
        } else if (sk.str() == "paginate") {
          get_positive_int(sn, "paginate", &sc.paginate);
        } else {
          static constexpr std::string_view kKeys[] = {"list", "paginate"};
          warn_unknown(sn, sk.str(), "sections." + std::string(k.str()), kKeys);
        }
      }
      c->sections[std::string(k.str())] = sc;
    }
  }

  void read(const toml::table& root, SiteConfig* c) {
    bool has_title = false, has_base_url = false;
    for (const auto& [k, n] : root) {
      std::string_view key = k.str();
      if (key == "title") {
        has_title = get_string(n, key, &c->title);
      } else if (key == "base_url" || key == "baseURL") {
        std::string base_url;
        has_base_url = get_string(n, key, &base_url);
        if (has_base_url && !base_url.starts_with("http://") && !base_url.starts_with("https://") &&
            !base_url.starts_with("/")) {
          error(n, "'base_url' must be an absolute URL such as \"https://example.org/\"");
        }
        c->urls = SiteUrls(base_url);
      } else if (key == "language") {
        get_string(n, key, &c->language);
      } else if (key == "description") {
        get_string(n, key, &c->description);
      } else if (key == "favicon") {
        if (get_string(n, key, &c->favicon) && !c->favicon.empty() && c->favicon.front() != '/' &&
            !c->favicon.starts_with("http://") && !c->favicon.starts_with("https://")) {
          error(n,
                "'favicon' must be a path on the site such as \"/favicon.svg\", a full URL, "
                "or \"\" for none");
        }
      } else if (key == "theme") {
        get_string(n, key, &c->theme);
        SourceLocation at = where(n);
        c->theme_line = at.line;
        c->theme_column = at.column;
      } else if (key == "paginate") {
        get_positive_int(n, key, &c->paginate);
      } else if (key == "summary_length") {
        get_positive_int(n, key, &c->summary_length);
      } else if (key == "feed_limit") {
        get_positive_int(n, key, &c->feeds.limit);
      } else if (key == "feeds") {
        if (const toml::table* t = get_table(n, key)) read_feeds(*t, &c->feeds);
      } else if (key == "date_archives") {
        get_bool(n, key, &c->date_archives);
      } else if (key == "strict_templates") {
        get_bool(n, key, &c->strict_templates);
      } else if (key == "canonical") {
        std::string mode;
        if (get_string(n, key, &mode)) {
          if (mode == "original" || mode == "self") {
            c->canonical_original = mode == "original";
          } else {
            error(n, "'canonical' must be \"original\" or \"self\"");
          }
        }
      } else if (key == "archive_content") {
        if (get_string(n, key, &c->archive_content) && c->archive_content != "full" &&
            c->archive_content != "summary") {
          error(n, "'archive_content' must be \"full\" or \"summary\"");
        }
      } else if (key == "appearances") {
        if (const toml::table* t = get_table(n, key)) read_appearances(*t, &c->appearances);
      } else if (key == "search") {
        if (const toml::table* t = get_table(n, key)) read_search(*t, &c->search);
      } else if (key == "permalinks") {
        if (const toml::table* t = get_table(n, key)) read_permalinks(*t, c);
      } else if (key == "taxonomies") {
        if (const toml::table* t = get_table(n, key)) read_taxonomies(*t, c);
      } else if (key == "markdown") {
        if (const toml::table* t = get_table(n, key)) read_markdown(*t, &c->markdown);
      } else if (key == "images") {
        if (const toml::table* t = get_table(n, key)) read_images(*t, &c->images);
      } else if (key == "strict_images") {
        get_bool(n, key, &c->strict_images);
      } else if (key == "author") {
        if (n.is_string()) {
          get_string(n, key, &c->author.name);
        } else if (const toml::table* t = get_table(n, key)) {
          read_author(*t, &c->author);
        }
      } else if (key == "sections") {
        if (const toml::table* t = get_table(n, key)) read_sections(*t, c);
      } else if (key == "limits") {
        if (const toml::table* t = get_table(n, key)) read_limits(*t, c);
      } else if (key == "params" || key == "extra") {
        if (get_table(n, key)) c->params = to_value(n);
      } else {
        static constexpr std::string_view kKeys[] = {
            "title",      "base_url",        "language",      "description",
            "theme",      "favicon",         "paginate",      "summary_length",
            "feed_limit", "feeds",           "date_archives", "strict_templates",
            "canonical",  "archive_content", "appearances",   "permalinks",
            "taxonomies", "markdown",        "author",        "sections",
            "params",     "extra",           "limits",        "search",
            "images",     "strict_images"};
        warn_unknown(n, key, "", kKeys);
      }
    }
    if (!has_title && !sink_.has_errors()) {
      sink_.error({path_, 1, 1}, "missing required key 'title'", text_);
    }
    if (!has_base_url && !sink_.has_errors()) {
      sink_.error({path_, 1, 1}, "missing required key 'base_url'", text_);
    }
    // Outlets and authors come with every site unless turned off or
    // configured by name.
    for (const char* name : {"outlets", "authors"}) {
      if (c->find_taxonomy(name) ||
          std::find(disabled_.begin(), disabled_.end(), name) != disabled_.end())
        continue;
      c->taxonomies.push_back(*automatic_taxonomy(name));
    }
  }

  // The taxonomies byline adds by itself: outlets from `outlet` and the
  // appearances log, sorted by how much appeared there; authors from
  // `authors`, at WordPress's /author/ URLs.
  static const TaxonomyConfig* automatic_taxonomy(std::string_view name) {
    static const TaxonomyConfig* const kAutomatic = [] {
      static TaxonomyConfig defs[2];
      defs[0] = TaxonomyConfig("outlets", "/outlet/:slug/");
      defs[0].field = "outlet";
      defs[0].order = TaxonomyConfig::Order::kCount;
      defs[0].automatic = true;
      defs[0].list_url = "/outlets/";
      defs[1] = TaxonomyConfig("authors", "/author/:slug/");
      defs[1].automatic = true;
      defs[1].list_url = "/authors/";
      return defs;
    }();
    for (int i = 0; i < 2; ++i)
      if (kAutomatic[i].name == name) return &kAutomatic[i];
    return nullptr;
  }

 private:
  std::string_view text_;
  const std::string& path_;
  DiagnosticSink& sink_;
  std::vector<std::string> disabled_;
};

}  // namespace

bool parse_config(std::string_view text, const std::string& path, SiteConfig* out,
                  DiagnosticSink& sink) {
  *out = SiteConfig{};
  out->path = path;
  out->taxonomies = {TaxonomyConfig("tags", "/tag/:slug/"),
                     TaxonomyConfig("categories", "/category/:slug/")};
  if (size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    SourceLocation loc{path, 0, 0};
    line_and_column(text, bad, &loc.line, &loc.column);
    sink.error(loc, "invalid UTF-8", text);
    return false;
  }
  if (auto too_deep = check_toml_limits(text)) {
    SourceLocation loc{path, 0, 0};
    line_and_column(text, too_deep->offset, &loc.line, &loc.column);
    sink.error(loc, std::move(too_deep->message), text);
    return false;
  }
  size_t errors_before = sink.error_count();
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    sink.error({path, static_cast<int>(b.line), static_cast<int>(b.column)},
               "invalid TOML: " + std::string(e.description()), text);
    return false;
  }
  ConfigReader(text, path, sink).read(root, out);
  return sink.error_count() == errors_before;
}

bool load_config(const std::filesystem::path& site_dir, SiteConfig* out, DiagnosticSink& sink) {
  std::filesystem::path file = site_dir / "byline.toml";
  std::string display = file.lexically_normal().string();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = std::filesystem::exists(file, ec);
    sink.error({display, 0, 0},
               exists ? "cannot read the site configuration"
                      : "no byline.toml here: not a byline site (create one with `byline new "
                        "site DIR`, or point at one with -s)");
    return false;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  if (!parse_config(text, display, out, sink)) return false;
  // A theme that is not there would leave the site in the built-in theme
  // without a word; say which themes there are instead.
  std::error_code ec;
  if (!out->theme.empty() &&
      (out->theme.find('/') != std::string::npos || out->theme == "." || out->theme == ".." ||
       !std::filesystem::is_directory(site_dir / "themes" / out->theme, ec))) {
    std::vector<std::string> themes = installed_themes(site_dir);
    std::string known = themes.empty() ? "the site has no themes/ folder" : "themes/ has ";
    for (size_t i = 0; i < themes.size(); ++i) known += (i ? ", " : "") + ("'" + themes[i] + "'");
    sink.error({display, out->theme_line, out->theme_column},
               "theme '" + out->theme + "' not found: there is no folder themes/" + out->theme +
                   "/ in the site (" + known + ")",
               text);
    return false;
  }
  return true;
}

}  // namespace byline
