#include "search/index_writer.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "base/thread_pool.h"
#include "search/analyser.h"
#include "search/analysis_cache.h"

namespace byline {

const std::array<std::string_view, kFieldCount>& search_field_names() {
  static const std::array<std::string_view, kFieldCount> names = {"title", "standfirst", "body",
                                                                  "tags",  "outlet",     "authors"};
  return names;
}

double bm25_idf(double df, double docs) { return std::log(1.0 + (docs - df + 0.5) / (df + 0.5)); }

double bm25(double tf, double df, double docs, double dl, double avgdl, double k1, double b) {
  return bm25_with_idf(tf, bm25_idf(df, docs), dl, avgdl, k1, b);
}

double search_weight_scale(const std::array<double, kFieldCount>& weights) {
  for (double scale : {1.0, 10.0, 100.0}) {
    bool whole = true;
    for (double w : weights) whole &= std::abs(w * scale - std::round(w * scale)) < 1e-9;
    if (whole) return scale;
  }
  return 1000.0;
}

uint32_t bm25_stored_score(uint64_t tf, uint64_t df, uint64_t docs, uint64_t length,
                           uint64_t total_length, double weight_scale, double k1, double b) {
  // In the order search.js computes it, so that both round alike.
  const double n = static_cast<double>(docs);
  const double avgdl = n > 0 ? static_cast<double>(total_length) / weight_scale / n : 0;
  const double s =
      bm25_with_idf(static_cast<double>(tf) / weight_scale, bm25_idf(static_cast<double>(df), n),
                    static_cast<double>(length) / weight_scale, avgdl, k1, b);
  // Rounded half up (the score is positive), without lround's call.
  return static_cast<uint32_t>(std::max<uint64_t>(1, static_cast<uint64_t>(s * kScoreScale + 0.5)));
}

std::string gzip(std::string_view bytes, int level, bool huffman_only) {
  z_stream z{};
  // 15 + 16: a gzip header and trailer, which the browser's
  // DecompressionStream("gzip") reads.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
                   huffman_only ? Z_HUFFMAN_ONLY : Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out(deflateBound(&z, bytes.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

bool gunzip(std::string_view gz, std::string* out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  out->clear();
  char buf[1 << 15];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out->append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END;
}

namespace {

// Analysers handed to the workers, one at a time each.
class AnalyserPool {
 public:
  explicit AnalyserPool(std::string language) : language_(std::move(language)) {}
  // A free analyser's number, and the analyser, found under the lock:
  // another worker's acquire() may grow `all_` meanwhile, moving its
  // pointers (not the analysers), so at() is only for after the workers.
  size_t acquire(Analyser** analyser) {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      size_t i = free_.back();
      free_.pop_back();
      *analyser = all_[i].get();
      return i;
    }
    all_.push_back(std::make_unique<Analyser>(language_));
    *analyser = all_.back().get();
    return all_.size() - 1;
  }
  void release(size_t i) {
    std::lock_guard lock(mu_);
    free_.push_back(i);
  }
  Analyser& at(size_t i) { return *all_[i]; }
  size_t size() const { return all_.size(); }
  std::vector<std::unique_ptr<Analyser>> take() { return std::move(all_); }

 private:
  std::string language_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Analyser>> all_;
  std::vector<size_t> free_;
};

std::string hex(uint64_t v, int digits) {
  static const char* const kDigits = "0123456789abcdef";
  std::string s(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = kDigits[v & 15];
  return s;
}

void put_string(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

size_t shared_prefix(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Files cut from a sorted run of entries: each chunk starts its front
// coding afresh, and its first key names its range in the manifest.
//
// Where a chunk ends depends on the keys, not on the bytes before them, so
// that an entry that grows or shrinks (one term's postings), or a key added
// or removed, changes its own chunk and leaves the others' bytes, and names,
// as they were: a chunk of at least a quarter of `limit` ends before a key
// whose hash is 0 modulo `spacing`, a power of two near the number of
// entries that make three quarters of `limit` (rounded so that it moves
// only when the average entry changes by half); none grows past twice
// `limit`.
struct Chunker {
  Chunker(size_t limit, size_t entries, double estimated_bytes) : limit(limit) {
    double average = entries ? std::max(1.0, estimated_bytes / static_cast<double>(entries)) : 1.0;
    double per_chunk = std::max(1.0, 0.75 * static_cast<double>(limit) / average);
    mask = (uint64_t{1} << std::min<long>(40, std::lround(std::log2(per_chunk)))) - 1;
  }
  size_t limit;
  uint64_t mask = 0;
  std::vector<std::pair<std::string, std::string>> chunks;  // first key, raw bytes
  std::string prev;
  void begin_entry(std::string_view key) {
    const size_t size = chunks.empty() ? 0 : chunks.back().second.size();
    if (chunks.empty() || size >= 2 * limit ||
        (size >= limit / 4 && (hash_bytes(key) & mask) == 0)) {
      chunks.emplace_back(std::string(key), std::string());
      prev.clear();
    }
    std::string& out = chunks.back().second;
    size_t shared = shared_prefix(prev, key);
    put_varint(out, shared);
    put_string(out, key.substr(shared));
    prev.assign(key);
  }
  std::string& out() { return chunks.back().second; }
};

}  // namespace

std::vector<SearchFile> build_search_index(const std::vector<SearchDoc>& docs,
                                           const SearchOptions& options, SearchIndexStats* stats) {
  return build_search_index(
      docs.size(), [&docs](size_t i, SearchDoc* d) { *d = docs[i]; }, options, stats);
}

std::vector<SearchFile> build_search_index(size_t count, const SearchDocSource& source,
                                           const SearchOptions& options, SearchIndexStats* stats) {
  return write_search_index(analyse_search_documents(count, source, options), options, stats);
}

namespace {
bool whole_tf(float tf) { return tf > 0 && tf < 1e9f && std::floor(tf) == tf; }
}  // namespace

size_t packed_tf_size(float tf) {
  return whole_tf(tf) ? varint_size(static_cast<uint64_t>(tf) << 1) : 1 + 4;
}

void put_packed_tf(std::string& out, float tf) {
  if (whole_tf(tf)) {
    put_varint(out, static_cast<uint64_t>(tf) << 1);
    return;
  }
  put_varint(out, 1);
  char bytes[4];
  std::memcpy(bytes, &tf, 4);
  out.append(bytes, 4);
}

void DocTerms::add_term(uint32_t term, float tf) {
  ++term_count;
  put_varint(packed_terms, term);
  put_packed_tf(packed_terms, tf);
}

void DocTerms::set_terms(const std::vector<std::pair<uint32_t, float>>& terms) {
  term_count = 0;
  packed_terms.clear();
  packed_terms.reserve(terms.size() * 3);
  for (const auto& [term, tf] : terms) add_term(term, tf);
  packed_terms.shrink_to_fit();
}

std::vector<std::pair<uint32_t, float>> DocTerms::terms() const {
  std::vector<std::pair<uint32_t, float>> out;
  out.reserve(term_count);
  for_each_term([&](uint32_t t, float tf) { out.emplace_back(t, tf); });
  return out;
}

SearchAnalysis analyse_search_documents(size_t count, const SearchDocSource& source,
                                        const SearchOptions& options,
                                        std::shared_ptr<const SearchCache> cache,
                                        const SearchDocSource& meta) {
  const size_t n = count;
  SearchAnalysis result;
  if (!meta) cache = nullptr;
  result.cache = cache;
  // What is kept of each document: all but its text.
  std::vector<SearchDoc>& docs = result.docs;
  docs.resize(n);
  const unsigned threads = options.threads ? options.threads : default_thread_count();
  AnalyserPool pool(options.language);
  std::vector<DocTerms>& analysed = result.terms;
  analysed.resize(n);
  constexpr uint32_t kFromCache = UINT32_MAX;

  // 1. Each document analysed on its own (or taken from the cache). Its
  // terms are counted per field in a table by term number (the
  // analyser's), so the weighted frequency is summed in field order
  // whatever the thread; they are listed in the order they first appear.
  struct Scratch {
    std::vector<uint32_t> seen;  // by term: 1 + the document's slot, or 0
    std::vector<std::pair<uint32_t, std::array<uint32_t, kFieldCount>>> counts;
    std::vector<uint8_t> word_seen;  // by word: listed in the document's words
  };
  std::deque<Scratch> scratch;  // by analyser; growing keeps references
  std::mutex scratch_mu;
  std::atomic<size_t> fresh{0};
  constexpr size_t kBlock = 32;
  parallel_for((n + kBlock - 1) / kBlock,
               [&](size_t block) {
                 size_t ai = SIZE_MAX;
                 Analyser* a = nullptr;
                 Scratch* sc = nullptr;
                 std::vector<std::pair<uint32_t, float>> kept_terms;
                 for (size_t d = block * kBlock; d < std::min(n, (block + 1) * kBlock); ++d) {
                   SearchDoc doc;
                   DocTerms& out = analysed[d];
                   if (cache) {
                     meta(d, &doc);
                     int64_t hit =
                         doc.cache_id.empty() ? -1 : cache->find(doc.cache_id, doc.cache_key);
                     if (hit >= 0) {
                       out.analyser = kFromCache;
                       out.length = cache->length(static_cast<size_t>(hit));
                       cache->terms(static_cast<size_t>(hit), &kept_terms, &out.words);
                       out.set_terms(kept_terms);
                       doc.excerpt = cache->excerpt(static_cast<size_t>(hit));
                       for (std::string& t : doc.text) std::string().swap(t);
                       docs[d] = std::move(doc);
                       continue;
                     }
                     doc = SearchDoc();
                   }
                   if (!a) {
                     ai = pool.acquire(&a);
                     std::lock_guard lock(scratch_mu);
                     if (scratch.size() <= ai) scratch.resize(ai + 1);
                     sc = &scratch[ai];
                   }
                   fresh.fetch_add(1, std::memory_order_relaxed);
                   std::vector<uint32_t>& seen = sc->seen;
                   std::vector<uint8_t>& word_seen = sc->word_seen;
                   auto& counts = sc->counts;
                   source(d, &doc);
                   out.analyser = static_cast<uint32_t>(ai);
                   counts.clear();
                   uint64_t words = 0;
                   double length = 0;
                   for (size_t f = 0; f < kFieldCount; ++f) {
                     if (options.weights[f] <= 0) continue;
                     uint64_t before = words;
                     a->terms_and_words(doc.text[f], [&](uint32_t t, uint32_t w, bool stemmed) {
                       ++words;
                       if (t >= seen.size()) seen.resize(std::max<size_t>(t + 1, seen.size() * 2));
                       uint32_t& slot = seen[t];
                       if (slot == 0) {
                         counts.emplace_back(t, std::array<uint32_t, kFieldCount>{});
                         slot = static_cast<uint32_t>(counts.size());
                       }
                       ++counts[slot - 1].second[f];
                       if (stemmed) {
                         if (w >= word_seen.size())
                           word_seen.resize(std::max<size_t>(w + 1, word_seen.size() * 2));
                         if (!word_seen[w]) {
                           word_seen[w] = 1;
                           out.words.push_back(w);
                         }
                       }
                     });
                     length += options.weights[f] * static_cast<double>(words - before);
                   }
                   out.length = static_cast<float>(length);
                   out.packed_terms.reserve(counts.size() * 3);
                   for (const auto& [term, by_field] : counts) {
                     seen[term] = 0;
                     double tf = 0;
                     for (size_t f = 0; f < kFieldCount; ++f)
                       if (by_field[f]) tf += options.weights[f] * static_cast<double>(by_field[f]);
                     out.add_term(term, static_cast<float>(tf));
                   }
                   for (uint32_t w : out.words) word_seen[w] = 0;
                   for (std::string& t : doc.text) std::string().swap(t);
                   docs[d] = std::move(doc);
                 }
                 if (a) pool.release(ai);
               },
               threads);
  result.analysed = fresh.load();

  // 2. One numbering of the stems, in sorted order: every stem of the
  // analysers (they read only these documents) and those of the cache's
  // that the documents taken from it have.
  const size_t from_cache = pool.size();
  std::vector<uint8_t> cache_stem_used, cache_word_used;
  if (cache) {
    cache_stem_used.assign(cache->stem_count(), 0);
    cache_word_used.assign(cache->word_count(), 0);
    for (DocTerms& d : analysed) {
      if (d.analyser != kFromCache) continue;
      d.analyser = static_cast<uint32_t>(from_cache);
      d.for_each_term([&](uint32_t t, float) { cache_stem_used[t] = 1; });
      for (uint32_t w : d.words) cache_word_used[w] = 1;
    }
  }
  std::vector<std::string_view>& stems = result.stems;
  for (size_t a = 0; a < pool.size(); ++a)
    for (size_t t = 0; t < pool.at(a).term_count(); ++t)
      stems.push_back(pool.at(a).stem(static_cast<uint32_t>(t)));
  for (uint32_t t = 0; t < cache_stem_used.size(); ++t)
    if (cache_stem_used[t]) stems.push_back(cache->stem(t));
  std::sort(stems.begin(), stems.end());
  stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
  std::vector<std::vector<uint32_t>>& global = result.global;
  global.resize(pool.size() + (cache ? 1 : 0));
  auto number = [&](std::string_view stem) {
    return static_cast<uint32_t>(std::lower_bound(stems.begin(), stems.end(), stem) -
                                 stems.begin());
  };
  for (size_t a = 0; a < pool.size(); ++a) {
    Analyser& an = pool.at(a);
    global[a].resize(an.term_count());
    for (size_t t = 0; t < an.term_count(); ++t)
      global[a][t] = number(an.stem(static_cast<uint32_t>(t)));
  }
  if (cache) {
    global[from_cache].assign(cache->stem_count(), UINT32_MAX);
    for (uint32_t t = 0; t < cache_stem_used.size(); ++t)
      if (cache_stem_used[t]) global[from_cache][t] = number(cache->stem(t));
  }

  // The vocabulary: each word whose stem differs from it, of the analysers
  // and of the documents taken from the cache.
  std::vector<std::pair<std::string_view, std::string_view>>& vocab = result.vocab;
  for (size_t a = 0; a < pool.size(); ++a) {
    Analyser& an = pool.at(a);
    an.for_each_stemmed_word(
        [&](std::string_view w, uint32_t t) { vocab.emplace_back(w, an.stem(t)); });
  }
  for (uint32_t w = 0; w < cache_word_used.size(); ++w)
    if (cache_word_used[w]) vocab.emplace_back(cache->word(w), cache->stem(cache->word_stem(w)));
  std::sort(vocab.begin(), vocab.end());
  vocab.erase(std::unique(vocab.begin(), vocab.end()), vocab.end());

  // 3. Postings, in document order within each term.
  std::vector<uint32_t>& start = result.start;
  start.assign(stems.size() + 1, 0);
  double& total_length = result.total_length;
  for (const DocTerms& d : analysed) {
    total_length += d.length;
    d.for_each_term([&](uint32_t t, float) { ++start[global[d.analyser][t] + 1]; });
  }
  for (size_t t = 0; t < stems.size(); ++t) start[t + 1] += start[t];
  // Packed: each stem's bytes counted in a first pass, written in a second;
  // both passes walk the documents alike, `place` given each posting's
  // stem, the gap from its stem's last document and its frequency.
  std::vector<size_t>& offset = result.offset;
  offset.assign(stems.size() + 1, 0);
  std::vector<uint32_t> last(stems.size(), 0);
  auto each_posting = [&](auto place) {
    std::fill(last.begin(), last.end(), 0);
    for (size_t d = 0; d < n; ++d) {
      const DocTerms& dt = analysed[d];
      dt.for_each_term([&](uint32_t t, float tf) {
        uint32_t g = global[dt.analyser][t];
        place(g, d - last[g], tf);
        last[g] = static_cast<uint32_t>(d);
      });
    }
  };
  each_posting([&](uint32_t g, size_t gap, float tf) {
    offset[g + 1] += varint_size(gap) + packed_tf_size(tf);
  });
  for (size_t t = 0; t < stems.size(); ++t) offset[t + 1] += offset[t];
  std::string& postings = result.postings;
  postings.resize(offset.back());
  std::vector<size_t> fill(offset.begin(), offset.end() - 1);
  std::string bytes;
  each_posting([&](uint32_t g, size_t gap, float tf) {
    bytes.clear();
    put_varint(bytes, gap);
    put_packed_tf(bytes, tf);
    std::memcpy(postings.data() + fill[g], bytes.data(), bytes.size());
    fill[g] += bytes.size();
  });
  result.analysers = pool.take();
  return result;
}

std::vector<SearchFile> write_search_index(const SearchAnalysis& analysis,
                                           const SearchOptions& options, SearchIndexStats* stats) {
  const size_t n = analysis.size();
  const unsigned threads = options.threads ? options.threads : default_thread_count();
  const std::vector<SearchDoc>& docs = analysis.docs;
  const std::vector<DocTerms>& analysed = analysis.terms;
  const std::vector<std::string_view>& stems = analysis.stems;
  const std::vector<uint32_t>& start = analysis.start;

  std::vector<SearchFile> files;
  auto name_of = [&](char kind, const std::string& raw) {
    return options.dir + kind + "-" + hex(hash_bytes(raw), 12) + ".bin";
  };

  // 4. Term chunks: front-coded stem, document count, then (document
  // delta, weighted frequency) pairs. No score: it depends on the
  // document's length and the average length, which change with every
  // edit, so the browser computes it from the lengths' file (below); a
  // chunk changes only when one of its terms' postings do.
  const double scale = search_weight_scale(options.weights);
  auto stored = [scale](double x) { return static_cast<uint64_t>(std::llround(x * scale)); };
  // About 3 bytes a posting (a document's difference, often 2 bytes at
  // 10,000 documents, and its frequency, mostly 1) and the key with its
  // count.
  double term_bytes = 3.0 * static_cast<double>(analysis.posting_count());
  for (std::string_view st : stems) term_bytes += static_cast<double>(st.size()) + 2;
  Chunker terms(options.chunk_bytes, stems.size(), term_bytes);
  for (size_t t = 0; t < stems.size(); ++t) {
    terms.begin_entry(stems[t]);
    std::string& out = terms.out();
    const uint32_t df = start[t + 1] - start[t];
    put_varint(out, df);
    uint32_t prev = 0;
    for (auto r = analysis.postings_of(static_cast<uint32_t>(t)); r.next();) {
      put_varint(out, r.doc - prev);
      put_varint(out, std::max<uint64_t>(1, stored(r.tf)));
      prev = r.doc;
    }
  }

  // The documents' weighted lengths, in document order: the one file
  // besides the manifest that every edit of a document's text changes.
  std::string lengths;
  put_varint(lengths, n);
  for (size_t d = 0; d < n; ++d) put_varint(lengths, stored(analysed[d].length));

  // 5. The vocabulary: each word whose stem differs from it, with its stem
  // as the length it shares with the word and the rest.
  const std::vector<std::pair<std::string_view, std::string_view>>& vocab = analysis.vocab;
  double word_bytes = 0;
  for (const auto& [w, st] : vocab) word_bytes += static_cast<double>(w.size()) + 3;
  Chunker words(options.chunk_bytes, vocab.size(), word_bytes);
  for (const auto& [w, s] : vocab) {
    words.begin_entry(w);
    size_t shared = shared_prefix(w, s);
    put_varint(words.out(), shared);
    put_string(words.out(), s.substr(shared));
  }

  // 6. Document records, a few to a file, as JSON arrays.
  const size_t per = std::max<size_t>(1, options.docs_per_chunk);
  std::vector<std::string> doc_chunks((n + per - 1) / per);
  for (size_t c = 0; c < doc_chunks.size(); ++c) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t d = c * per; d < std::min(n, (c + 1) * per); ++d) {
      const SearchDoc& doc = docs[d];
      list.push_back({doc.url, doc.title, doc.date, doc.kind, doc.outlet, doc.tags, doc.excerpt});
    }
    doc_chunks[c] = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // 7. Facets: per facet, each value with the documents that have it.
  std::string facets;
  {
    struct Facet {
      const char* name;
      std::vector<std::pair<std::string, std::vector<uint32_t>>> values;
    };
    std::vector<Facet> all = {{"tag", {}}, {"outlet", {}}, {"year", {}}, {"kind", {}}};
    std::vector<std::unordered_map<std::string, size_t>> index(all.size());
    auto add = [&](size_t f, const std::string& v, uint32_t d) {
      if (v.empty()) return;
      auto [it, inserted] = index[f].try_emplace(v, all[f].values.size());
      if (inserted) all[f].values.emplace_back(v, std::vector<uint32_t>());
      std::vector<uint32_t>& ids = all[f].values[it->second].second;
      if (ids.empty() || ids.back() != d) ids.push_back(d);
    };
    for (size_t d = 0; d < n; ++d) {
      const SearchDoc& doc = docs[d];
      for (const std::string& t : doc.tags) add(0, t, static_cast<uint32_t>(d));
      add(1, doc.outlet, static_cast<uint32_t>(d));
      add(2, doc.date.substr(0, 4), static_cast<uint32_t>(d));
      add(3, doc.kind, static_cast<uint32_t>(d));
    }
    put_varint(facets, all.size());
    for (Facet& f : all) {
      put_string(facets, f.name);
      put_varint(facets, f.values.size());
      for (const auto& [value, ids] : f.values) {
        put_string(facets, value);
        put_varint(facets, ids.size());
        uint32_t prev = 0;
        for (uint32_t id : ids) {
          put_varint(facets, id - prev);
          prev = id;
        }
      }
    }
  }

  // 8. Compressed and named by content, in parallel.
  std::vector<std::pair<char, const std::string*>> raw;
  for (const auto& c : terms.chunks) raw.emplace_back('t', &c.second);
  for (const auto& c : words.chunks) raw.emplace_back('w', &c.second);
  for (const std::string& c : doc_chunks) raw.emplace_back('d', &c);
  raw.emplace_back('f', &facets);
  raw.emplace_back('l', &lengths);
  files.resize(raw.size());
  parallel_for(
      raw.size(),
      [&](size_t i) {
        files[i].path = name_of(raw[i].first, *raw[i].second);
        const bool huffman_only = raw[i].first != 'd' && raw[i].first != 'l';
        if (options.defer_compression) {
          files[i].bytes = *raw[i].second;
          files[i].gzip_level = options.compression;
          files[i].huffman_only = huffman_only;
        } else {
          files[i].bytes = gzip(*raw[i].second, options.compression, huffman_only);
        }
      },
      threads);

  auto base = [&](const SearchFile& f) { return f.path.substr(options.dir.size()); };
  nlohmann::json manifest;
  manifest["version"] = 2;
  manifest["language"] = options.language;
  manifest["docs"] = n;
  manifest["stop"] = stop_words(options.language);
  size_t at = 0;
  nlohmann::json tlist = nlohmann::json::array(), wlist = nlohmann::json::array();
  for (const auto& c : terms.chunks) tlist.push_back({c.first, base(files[at++])});
  for (const auto& c : words.chunks) wlist.push_back({c.first, base(files[at++])});
  manifest["terms"] = tlist;
  manifest["vocab"] = wlist;
  // The record files: "d-<12 hex>.bin" each, their hashes run together.
  std::string dnames;
  for (size_t c = 0; c < doc_chunks.size(); ++c) dnames += base(files[at++]).substr(2, 12);
  manifest["records"] = {{"per", per}, {"hashes", dnames}};
  manifest["facets"] = base(files[at++]);
  manifest["lengths"] = base(files[at++]);
  manifest["bm25"] = {{"k1", options.k1}, {"b", options.b}, {"weights", scale}};
  manifest["scale"] = kScoreScale;
  std::string m = manifest.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  m.push_back('\n');
  files.push_back({options.dir + "index.json", std::move(m)});

  if (stats) {
    stats->docs = n;
    stats->terms = stems.size();
    stats->postings = analysis.posting_count();
    stats->words = vocab.size();
  }
  return files;
}

}  // namespace byline
