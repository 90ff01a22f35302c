#include "render/search_outputs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "base/hash.h"
#include "base/strings.h"
#include "base/thread_pool.h"
#include "search/analysis_cache.h"
#include "search/related.h"

namespace byline {

namespace {

bool block_tag(std::string_view name) {
  static constexpr std::string_view kBlock[] = {
      "p",          "br",      "li",    "ul",     "ol",     "h1",  "h2",  "h3",
      "h4",         "h5",      "h6",    "div",    "td",     "th",  "tr",  "blockquote",
      "figcaption", "pre",     "hr",    "table",  "dd",     "dt",  "dl",  "figure",
      "section",    "article", "aside", "header", "footer", "nav", "sup", "img"};
  for (std::string_view b : kBlock)
    if (name == b) return true;
  return false;
}

// The plain text of a piece of front matter or a title: it may hold inline
// Markdown or HTML, but is short; only tags and references are dealt with.
std::string field_text(const Value* v) {
  if (!v || !v->is_string()) return {};
  return html_to_text(v->as_string());
}

std::string date_of(const DateTime& d) {
  DateTime::Parts p = d.local();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", p.year, p.month, p.day);
  return buf;
}

// At most `chars` bytes of text, cut at a space and never inside a
// character.
std::string excerpt_of(std::string_view text, size_t chars) {
  size_t start = text.find_first_not_of(" \n\t");
  if (start == std::string_view::npos) return {};
  text = text.substr(start);
  if (text.size() <= chars) return std::string(text);
  size_t cut = text.rfind(' ', chars);
  if (cut == std::string_view::npos || cut < chars / 2) {
    cut = chars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace

namespace {

// The bytes that end a run of plain text in html_to_text() (as does a
// space after a space).
struct SpecialBytes {
  bool of[256];
  constexpr SpecialBytes() : of() {
    for (char c : {'<', '&', '\n', '\t', '\r'}) of[static_cast<unsigned char>(c)] = true;
  }
};
constexpr SpecialBytes kSpecial;

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  const size_t n = html.size();
  while (i < n) {
    char c = html[i];
    // A run of plain characters and single spaces, copied at once.
    if (!kSpecial.of[static_cast<unsigned char>(c)] &&
        (c != ' ' || out.empty() || out.back() != ' ')) {
      size_t j = i + 1;
      while (j < n && !kSpecial.of[static_cast<unsigned char>(html[j])] &&
             (html[j] != ' ' || html[j - 1] != ' '))
        ++j;
      out.append(html.data() + i, j - i);
      i = j;
      continue;
    }
    if (c == '<') {
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) break;
      size_t s = i + 1 + (i + 1 < n && html[i + 1] == '/');
      size_t e = s;
      while (e < end && (std::isalnum(static_cast<unsigned char>(html[e])))) ++e;
      std::string name(html.substr(s, e - s));
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if ((name == "script" || name == "style") && html[i + 1] != '/') {
        size_t close = html.find("</" + name, end);
        i = close == std::string_view::npos ? n : html.find('>', close);
        i = i == std::string_view::npos ? n : i + 1;
        out.push_back(' ');
        continue;
      }
      if (block_tag(name) && (out.empty() || out.back() != ' ')) out.push_back(' ');
      i = end + 1;
      continue;
    }
    if (c == '&') {
      size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        uint32_t cp = html_char_reference(html.substr(i + 1, semi - i - 1));
        if (cp == 0xA0) cp = ' ';  // words either side of a no-break space are two
        bool ok = cp != 0;
        if (ok) {
          append_utf8(out, cp);
          i = semi + 1;
          continue;
        }
      }
    }
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') {
      ++i;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

// A searchable thing, in the index's order.
struct Entry {
  const Page* page = nullptr;
  const Appearance* appearance = nullptr;
  std::string date, url;
};

struct SearchPlan {
  std::vector<Entry> entries;
  int tags = -1, categories = -1, authors = -1;  // taxonomy indices
};

// Which pages and appearances are searchable, oldest first (undated
// first), then by URL descending: the reverse of newest first.
SearchPlan search_plan(const Site& site) {
  const SiteConfig& c = *site.config;
  const SearchConfig& sc = c.search;
  SearchPlan plan;
  for (size_t t = 0; t < site.taxonomies.size(); ++t) {
    const std::string& name = site.taxonomies[t].config->name;
    if (name == "tags") plan.tags = static_cast<int>(t);
    if (name == "categories") plan.categories = static_cast<int>(t);
    if (name == "authors") plan.authors = static_cast<int>(t);
  }
  std::vector<const Term*> excluded_terms;
  if (plan.tags >= 0)
    for (const std::string& name : sc.exclude_tags)
      if (const Term* t = site.find_term(static_cast<size_t>(plan.tags), name))
        excluded_terms.push_back(t);
  for (const Page& p : site.pages) {
    if (!p.is_regular()) continue;
    if (std::find(sc.exclude_sections.begin(), sc.exclude_sections.end(), p.section) !=
        sc.exclude_sections.end())
      continue;
    if (const Value* v = p.params.find("search"); v && v->is_bool() && !v->as_bool()) continue;
    bool excluded = false;
    if (plan.tags >= 0)
      for (const Term* t : site.terms_of(p, static_cast<size_t>(plan.tags)))
        excluded |=
            std::find(excluded_terms.begin(), excluded_terms.end(), t) != excluded_terms.end();
    if (excluded) continue;
    Entry& e = plan.entries.emplace_back();
    e.page = &p;
    if (p.date) e.date = date_of(*p.date);
    e.url = c.urls.relative(p.permalink);
  }
  if (sc.appearances) {
    for (const Appearance* a : site.appearances) {
      Entry& e = plan.entries.emplace_back();
      e.appearance = a;
      e.date = date_of(a->date);
      e.url = !a->url.empty() ? a->url : c.urls.relative(c.appearances.url) + "#" + a->id;
    }
  }
  // Numbered oldest first (the reverse of newest first, undated last, then
  // by URL), so that a new post, the newest, takes the next number and the
  // documents' numbers, and the files they are written into, stay as they
  // were.
  std::sort(plan.entries.begin(), plan.entries.end(), [](const Entry& x, const Entry& y) {
    if (x.date != y.date) return x.date < y.date;
    return x.url > y.url;
  });
  return plan;
}

// Document i of the plan. Without `body`, all but the body's text and an
// excerpt made from it, and the key of the kept analysis: the page's body
// is not rendered (a page restored from the last build's state has none
// until an output shows it).
void make_doc(const Site& site, const SearchPlan& plan, size_t i, SearchDoc* out,
              bool body = true) {
  SearchDoc& d = *out;
  const Entry& e = plan.entries[i];
  d.url = e.url;
  d.date = e.date;
  if (e.appearance) {
    const Appearance& a = *e.appearance;
    const Term* outlet = site.find_outlet(a.outlet);
    d.outlet = outlet ? outlet->name : a.outlet;
    d.kind = "appearance";
    d.title = a.topic.empty() ? d.outlet : d.outlet + ": " + a.topic;
    d.text[kTitle] = d.title;
    d.text[kStandfirst] = a.note;
    d.text[kOutlet] = d.outlet;
    d.text[kTags] = a.kind;
    d.excerpt = excerpt_of(a.note.empty() ? a.kind : a.kind + ". " + a.note, 280);
    return;
  }
  auto names = [&](const Page& p, int t, std::vector<std::string>* list) {
    if (t < 0) return;
    for (const Term* term : site.terms_of(p, static_cast<size_t>(t))) list->push_back(term->name);
  };
  const Page& p = *e.page;
  if (body) site.ensure_body(p);
  d.title = html_to_text(p.title);
  d.kind = p.kind == PageKind::kPost ? "post" : "page";
  names(p, plan.tags, &d.tags);
  std::vector<std::string> cats;
  names(p, plan.categories, &cats);
  if (site.outlets >= 0 && !site.terms_of(p, static_cast<size_t>(site.outlets)).empty()) {
    d.outlet = site.terms_of(p, static_cast<size_t>(site.outlets))[0]->name;
  } else if (const Value* v = p.params.find("outlet"); v && v->is_string()) {
    d.outlet = v->as_string();
  }
  std::vector<std::string> people;
  names(p, plan.authors, &people);
  if (people.empty())
    if (const Value* v = p.params.find("author"); v && v->is_string())
      people.push_back(v->as_string());
  std::string standfirst = field_text(p.params.find("standfirst"));
  if (standfirst.empty()) standfirst = field_text(p.params.find("description"));
  if (standfirst.empty()) standfirst = html_to_text(p.summary_field);
  d.text[kTitle] = d.title;
  d.text[kStandfirst] = standfirst;
  for (const auto* list : {&d.tags, &cats})
    for (const std::string& t : *list) d.text[kTags] += t + "\n";
  d.text[kOutlet] = d.outlet;
  for (const std::string& a : people) d.text[kAuthors] += a + "\n";
  // The body's text is the page's HTML's, which is made from the file's
  // bytes and the files its HTML read (Page::source_hash, inputs_hash), as
  // the incremental build's "#content" key says.
  d.cache_id = p.rel_path;
  Hasher key;
  key.add(p.source_hash).add(p.inputs_hash).add(d.kind);
  for (const std::string& t : d.text) key.add(t);
  d.cache_key = key.digest();
  if (!body) {
    if (!standfirst.empty()) d.excerpt = excerpt_of(standfirst, 280);
    return;
  }
  d.text[kBody] = html_to_text(p.content_html);
  d.excerpt = excerpt_of(standfirst.empty() ? d.text[kBody] : standfirst, 280);
}

}  // namespace

std::vector<SearchDoc> search_documents(const Site& site) {
  SearchPlan plan = search_plan(site);
  std::vector<SearchDoc> docs(plan.entries.size());
  parallel_for(
      docs.size(), [&](size_t i) { make_doc(site, plan, i, &docs[i]); }, default_thread_count());
  return docs;
}

namespace {

SearchOptions search_options(const Site& site) {
  const SearchConfig& sc = site.config->search;
  SearchOptions o;
  o.language = site.config->language;
  o.dir = sc.url.substr(1);
  const auto& names = search_field_names();
  for (size_t f = 0; f < kFieldCount; ++f) {
    bool on = std::find(sc.fields.begin(), sc.fields.end(), names[f]) != sc.fields.end();
    auto w = sc.weights.find(std::string(names[f]));
    if (w != sc.weights.end()) o.weights[f] = w->second;
    if (!on) o.weights[f] = 0;
  }
  return o;
}

}  // namespace

std::vector<SearchFile> search_index_files(const Site& site, SearchIndexStats* stats) {
  SearchPlan plan = search_plan(site);
  return build_search_index(
      plan.entries.size(), [&](size_t i, SearchDoc* d) { make_doc(site, plan, i, d); },
      search_options(site), stats);
}

SiteSearch site_search(const Site& site, const SearchCacheFiles& cache_files,
                       const std::function<bool()>& cancelled) {
  const SearchConfig& sc = site.config->search;
  SiteSearch out;
  if (!sc.enabled && sc.related == 0) return out;
  SearchOptions options = search_options(site);
  options.defer_compression = true;
  auto lap = [clock = std::chrono::steady_clock::now()]() mutable {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - clock).count();
    clock = now;
    return s;
  };
  auto cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  const double cpu_start = cpu();
  SearchPlan plan = search_plan(site);
  const uint64_t options_fingerprint = search_options_fingerprint(options);
  std::shared_ptr<SearchCache> cache;
  if (!cache_files.read.empty()) {
    cache = std::make_shared<SearchCache>();
    if (!cache->load(cache_files.read, options_fingerprint)) cache = nullptr;
  }
  // A document's text may be a restored page's body, rendered now: the
  // costly part, so the place to stop.
  std::atomic<bool> stop{false};
  auto give_up = [&](size_t i) {
    if (!cancelled) return false;
    if (!stop.load(std::memory_order_relaxed) && i % 16 == 0 && cancelled()) stop = true;
    return stop.load(std::memory_order_relaxed);
  };
  SearchAnalysis analysis = analyse_search_documents(
      plan.entries.size(),
      [&](size_t i, SearchDoc* d) {
        if (!give_up(i)) make_doc(site, plan, i, d);
      },
      options, cache,
      [&](size_t i, SearchDoc* d) {
        if (!give_up(i)) make_doc(site, plan, i, d, false);
      });
  if (stop) {  // an incomplete analysis: nothing of it kept
    out.cancelled = true;
    return out;
  }
  out.analysed = analysis.analysed;
  out.documents = analysis.size();
  // The kept analysis is written again only when it would differ: a
  // document analysed afresh, or one it holds that is gone. It is written
  // on a thread of its own while the related posts are found, which only
  // read the analysis too (the save was a third of a body edit's search at
  // 10,000 posts, and the search runs before any output is rendered).
  std::jthread saver;  // joined at the latest when it goes, also by an exception
  if (!cache_files.write.empty()) {
    size_t kept = 0;
    for (const SearchDoc& d : analysis.docs) kept += !d.cache_id.empty();
    bool same = cache && cache_files.write == cache_files.read && kept == cache->doc_count() &&
                kept + analysis.analysed == analysis.size();
    if (!same)
      saver = std::jthread([&cache_files, options_fingerprint, &analysis] {
        std::string error;  // a state that is not saved costs the next build its head start
        save_search_cache(cache_files.write, options_fingerprint, analysis, &error);
      });
  }
  out.t_analyse = lap();
  if (sc.related > 0) {
    RelatedOptions ro;
    ro.count = static_cast<size_t>(sc.related);
    std::vector<std::vector<uint32_t>> related = related_documents(analysis, ro);
    out.related.resize(site.pages.size());
    for (size_t d = 0; d < related.size(); ++d) {
      if (related[d].empty()) continue;
      std::vector<const Page*>& list = out.related[site.index_of(plan.entries[d].page)];
      for (uint32_t r : related[d]) list.push_back(plan.entries[r].page);
    }
  }
  if (saver.joinable()) saver.join();  // before the terms it writes go
  out.t_related = lap();
  // The index's files are made from the postings: each document's own list
  // of terms (a quarter of a gigabyte at 100,000 posts) goes first.
  for (DocTerms& d : analysis.terms) {
    std::string().swap(d.packed_terms);
    std::vector<uint32_t>().swap(d.words);
    d.term_count = 0;
  }
  if (sc.enabled) out.files = write_search_index(analysis, options);
  out.t_index = lap();
  out.cpu = cpu() - cpu_start;
  return out;
}

}  // namespace byline
