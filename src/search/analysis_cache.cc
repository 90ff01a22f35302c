#include "search/analysis_cache.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/binary.h"
#include "base/hash.h"
#include "base/thread_pool.h"

namespace byline {

namespace {

constexpr char kMagic[8] = {'B', 'Y', 'L', 'S', 'R', 'C', 'H', '\n'};
constexpr size_t kHeader = 8 + 4 + 8 + 8;  // magic, format, options, checksum

// A weighted frequency: most are whole numbers (the default weights are),
// written as twice the number; any other as 1 and the float's 4 bytes.
void put_tf(BinaryWriter& out, float tf) {
  if (tf > 0 && tf < 1e9f && std::floor(tf) == tf) {
    out.varint(static_cast<uint64_t>(tf) << 1);
    return;
  }
  out.varint(1);
  out.u32(std::bit_cast<uint32_t>(tf));
}

}  // namespace

uint64_t search_options_fingerprint(const SearchOptions& options) {
  Hasher h;
  h.add(options.language);
  for (double w : options.weights) h.add(std::bit_cast<uint64_t>(w));
  return h.digest();
}

bool SearchCache::load(const std::string& path, uint64_t options_fingerprint) {
  if (!file_.open(path)) return false;
  std::string_view all = file_.text();
  if (all.size() < kHeader || std::memcmp(all.data(), kMagic, 8) != 0) return false;
  BinaryReader head(all.substr(8, kHeader - 8));
  if (head.u32() != kFormat || head.u64() != options_fingerprint) return false;
  const uint64_t checksum = head.u64();
  std::string_view body = all.substr(kHeader);
  if (hash_bytes(body) != checksum) return false;
  BinaryReader r(body);
  bool bad = false;  // a word's stem out of range
  const uint64_t stems = r.varint();
  if (stems > body.size()) return false;
  stems_.reserve(stems);
  for (uint64_t i = 0; i < stems && !r.failed(); ++i) stems_.push_back(r.str());
  const uint64_t words = r.varint();
  if (words > body.size()) return false;
  words_.reserve(words);
  for (uint64_t i = 0; i < words && !r.failed() && !bad; ++i) {
    std::string_view w = r.str();
    uint64_t s = r.varint();
    if (s >= stems_.size()) bad = true;
    words_.emplace_back(w, static_cast<uint32_t>(s));
  }
  const uint64_t docs = r.varint();
  if (docs > body.size()) return false;
  docs_.reserve(docs);
  by_id_.reserve(docs);
  for (uint64_t i = 0; i < docs && !r.failed() && !bad; ++i) {
    Doc& d = docs_.emplace_back();
    const size_t from = r.position();
    d.id = r.str();
    d.key = r.u64();
    d.length = std::bit_cast<float>(r.u32());
    d.excerpt = r.str();
    d.term_count = static_cast<uint32_t>(r.varint());
    d.terms = r.str();
    d.word_count = static_cast<uint32_t>(r.varint());
    d.words = r.str();
    d.bytes = body.substr(from, r.position() - from);
    by_id_.emplace(d.id, static_cast<uint32_t>(i));
  }
  if (bad || r.failed() || !r.at_end()) {
    stems_.clear();
    words_.clear();
    docs_.clear();
    by_id_.clear();
    return false;
  }
  return true;
}

int64_t SearchCache::find(std::string_view id, uint64_t key) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || docs_[it->second].key != key) return -1;
  return it->second;
}

void SearchCache::terms(size_t doc, std::vector<std::pair<uint32_t, float>>* terms,
                        std::vector<uint32_t>* words) const {
  // The checksum vouched for the bytes; the numbers are still checked, so
  // that no bug reads out of range.
  const Doc& d = docs_[doc];
  BinaryReader t(d.terms);
  terms->clear();
  terms->reserve(d.term_count);
  uint64_t stem = 0;
  for (uint32_t i = 0; i < d.term_count && !t.failed(); ++i) {
    stem += t.varint();
    uint64_t v = t.varint();
    float tf = v & 1 ? std::bit_cast<float>(t.u32()) : static_cast<float>(v >> 1);
    if (stem < stems_.size()) terms->emplace_back(static_cast<uint32_t>(stem), tf);
  }
  BinaryReader w(d.words);
  words->clear();
  words->reserve(d.word_count);
  uint64_t word = 0;
  for (uint32_t i = 0; i < d.word_count && !w.failed(); ++i) {
    word += w.varint();
    if (word < words_.size()) words->push_back(static_cast<uint32_t>(word));
  }
}

bool save_search_cache(const std::string& path, uint64_t options_fingerprint,
                       const SearchAnalysis& analysis, std::string* error, bool* appended,
                       size_t batch_docs) {
  const size_t sources = analysis.global.size();
  const SearchCache* cache = analysis.cache.get();
  const size_t from_cache = analysis.analysers.size();
  const size_t n = analysis.size();
  size_t kept = 0, fresh_terms = 0, fresh_words = 0;
  for (size_t d = 0; d < n; ++d) {
    if (analysis.docs[d].cache_id.empty()) continue;
    ++kept;
    if (analysis.terms[d].analyser == from_cache) continue;
    fresh_terms += analysis.terms[d].term_count;
    fresh_words += analysis.terms[d].words.size();
  }
  // The tables the documents' numbers refer to. With a kept file, its
  // tables stay as they are, and what the documents analysed afresh need is
  // appended (a repeat of an entry is harmless: the analysis that reads the
  // file sorts and merges them), so that the documents taken from it are
  // copied as they are, not encoded again. The file is made afresh, its
  // tables sorted and holding only what is used, when the appended entries
  // would pass a quarter of them, or the tables would hold twice what the
  // documents use.
  std::vector<std::string_view> stems;
  std::vector<std::pair<std::string_view, uint32_t>> words;  // (word, stem's number)
  std::vector<std::vector<uint32_t>> term_index(sources), word_index(sources);
  const bool append = cache && 4 * fresh_terms < cache->stem_count() &&
                      cache->stem_count() + fresh_terms <= 2 * analysis.stems.size() &&
                      cache->word_count() + fresh_words <= 2 * analysis.vocab.size() + 64;
  if (appended) *appended = append;
  if (append) {
    for (uint32_t t = 0; t < cache->stem_count(); ++t) stems.push_back(cache->stem(t));
    for (uint32_t w = 0; w < cache->word_count(); ++w)
      words.emplace_back(cache->word(w), cache->word_stem(w));
    // The global numbers of the stems the kept file has, back to its.
    std::vector<uint32_t> table_of(analysis.stems.size(), UINT32_MAX);
    const std::vector<uint32_t>& kept_global = analysis.global[from_cache];
    for (uint32_t t = 0; t < kept_global.size(); ++t)
      if (kept_global[t] != UINT32_MAX) table_of[kept_global[t]] = t;
    for (size_t s = 0; s < from_cache; ++s) {
      const Analyser& a = *analysis.analysers[s];
      term_index[s].resize(a.term_count());
      for (uint32_t t = 0; t < a.term_count(); ++t) {
        uint32_t g = analysis.global[s][t];
        if (table_of[g] == UINT32_MAX) {
          table_of[g] = static_cast<uint32_t>(stems.size());
          stems.push_back(analysis.stems[g]);
        }
        term_index[s][t] = table_of[g];
      }
      word_index[s].assign(a.word_count(), UINT32_MAX);
    }
    // The words of the documents analysed afresh, appended once each.
    for (size_t d = 0; d < n; ++d) {
      const DocTerms& dt = analysis.terms[d];
      if (analysis.docs[d].cache_id.empty() || dt.analyser == from_cache) continue;
      const Analyser& a = *analysis.analysers[dt.analyser];
      for (uint32_t w : dt.words) {
        uint32_t& at = word_index[dt.analyser][w];
        if (at != UINT32_MAX) continue;
        at = static_cast<uint32_t>(words.size());
        words.emplace_back(a.word(w), term_index[dt.analyser][a.word_term(w)]);
      }
    }
  } else {
    // Sorted tables: the analysis's stems and vocabulary.
    stems = analysis.stems;
    for (const auto& [word, stem] : analysis.vocab)
      words.emplace_back(word,
                         static_cast<uint32_t>(std::lower_bound(stems.begin(), stems.end(), stem) -
                                               stems.begin()));
    const auto& vocab = analysis.vocab;
    auto vocab_index = [&](std::string_view word, std::string_view stem) {
      auto it = std::lower_bound(vocab.begin(), vocab.end(), std::make_pair(word, stem));
      return static_cast<uint32_t>(it - vocab.begin());
    };
    parallel_for(sources, [&](size_t s) {
      term_index[s] = analysis.global[s];
      if (s < from_cache) {
        const Analyser& a = *analysis.analysers[s];
        word_index[s].assign(a.word_count(), UINT32_MAX);
        for (uint32_t w = 0; w < a.word_count(); ++w)
          if (a.word_stemmed(w)) word_index[s][w] = vocab_index(a.word(w), a.stem(a.word_term(w)));
      } else if (cache) {
        word_index[s].assign(cache->word_count(), UINT32_MAX);
        for (uint32_t w = 0; w < cache->word_count(); ++w)
          word_index[s][w] = vocab_index(cache->word(w), cache->stem(cache->word_stem(w)));
      }
    });
  }

  // The file is written as it is encoded, a batch of documents at a time
  // (encoded in parallel, then appended in order), and its checksum taken
  // on the way: at 100,000 posts the whole file is some 750 MB, which held
  // in memory twice (each document's bytes, then the body they were
  // joined into) was a third of `byline serve`'s peak.
  std::error_code ec;
  std::filesystem::path target(path);
  std::filesystem::create_directories(target.parent_path(), ec);
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
  XXH3_state_t checksum;
  XXH3_64bits_reset(&checksum);
  BinaryWriter body;
  auto flush = [&] {
    BYLINE_XXH3_UPDATE(&checksum, body.buffer().data(), body.size());
    file.write(body.buffer().data(), static_cast<std::streamsize>(body.size()));
    body.buffer().clear();
  };
  constexpr size_t kFlushBytes = 1 << 20;
  // The header, its checksum written last.
  body.raw(std::string_view(kMagic, 8));
  body.u32(SearchCache::kFormat);
  body.u64(options_fingerprint);
  body.u64(0);
  file.write(body.buffer().data(), static_cast<std::streamsize>(body.size()));
  body.buffer().clear();

  body.varint(stems.size());
  for (std::string_view st : stems) {
    body.str(st);
    if (body.size() >= kFlushBytes) flush();
  }
  body.varint(words.size());
  for (const auto& [word, stem] : words) {
    body.str(word);
    body.varint(stem);
    if (body.size() >= kFlushBytes) flush();
  }
  body.varint(kept);

  // Without appending, the tables are the analysis's numbering, and each
  // document's terms in that order are its postings read stem by stem
  // (which saves sorting every document's terms): for one batch of
  // documents, each stem's postings from where the batch before stopped.
  std::vector<SearchAnalysis::PostingReader> cursor;
  if (!append) {
    cursor.resize(analysis.stems.size());
    for (uint32_t g = 0; g < cursor.size(); ++g) {
      // Each cursor holds its stem's next posting; none (p null) when
      // every one is read.
      cursor[g] = analysis.postings_of(g);
      if (!cursor[g].next()) cursor[g].p = nullptr;
    }
  }
  std::vector<uint32_t> by_doc_start;
  std::vector<std::pair<uint32_t, float>> by_doc;
  std::vector<std::string> encoded;
  const size_t batch = std::max<size_t>(batch_docs, 1);
  for (size_t first = 0; first < n; first += batch) {
    const size_t last = std::min(n, first + batch);
    if (!append) {
      by_doc_start.assign(last - first + 1, 0);
      for (size_t d = first; d < last; ++d)
        by_doc_start[d - first + 1] = by_doc_start[d - first] + analysis.terms[d].term_count;
      by_doc.resize(by_doc_start.back());
      std::vector<uint32_t> fill(by_doc_start.begin(), by_doc_start.end() - 1);
      for (uint32_t g = 0; g < cursor.size(); ++g) {
        SearchAnalysis::PostingReader& r = cursor[g];
        while (r.p && r.doc < last) {
          by_doc[fill[r.doc - first]++] = {g, r.tf};
          if (!r.next()) r.p = nullptr;
        }
      }
    }
    // The documents of the batch, each encoded on its own (or copied, see
    // above).
    encoded.assign(last - first, std::string());
    parallel_for(last - first, [&](size_t k) {
      const size_t d = first + k;
      const SearchDoc& doc = analysis.docs[d];
      if (doc.cache_id.empty()) return;
      const DocTerms& dt = analysis.terms[d];
      if (append && dt.analyser == from_cache) return;  // copied below
      std::vector<std::pair<uint32_t, float>> terms;
      if (append) {
        terms.reserve(dt.term_count);
        dt.for_each_term(
            [&](uint32_t t, float tf) { terms.emplace_back(term_index[dt.analyser][t], tf); });
        std::sort(terms.begin(), terms.end());
      } else {
        terms.assign(by_doc.begin() + by_doc_start[k], by_doc.begin() + by_doc_start[k + 1]);
      }
      std::vector<uint32_t> ws;
      ws.reserve(dt.words.size());
      for (uint32_t w : dt.words) ws.push_back(word_index[dt.analyser][w]);
      std::sort(ws.begin(), ws.end());
      BinaryWriter t, w;
      uint32_t prev = 0;
      for (const auto& [stem, tf] : terms) {
        t.varint(stem - prev);
        put_tf(t, tf);
        prev = stem;
      }
      prev = 0;
      for (uint32_t word : ws) {
        w.varint(word - prev);
        prev = word;
      }
      BinaryWriter out;
      out.str(doc.cache_id);
      out.u64(doc.cache_key);
      out.u32(std::bit_cast<uint32_t>(dt.length));
      out.str(doc.excerpt);
      out.varint(terms.size());
      out.str(t.buffer());
      out.varint(ws.size());
      out.str(w.buffer());
      encoded[k] = std::move(out.buffer());
    });
    for (size_t d = first; d < last; ++d) {
      const SearchDoc& doc = analysis.docs[d];
      if (doc.cache_id.empty()) continue;
      if (append && analysis.terms[d].analyser == from_cache) {
        body.raw(cache->bytes(doc.cache_id));
      } else {
        body.raw(encoded[d - first]);
        std::string().swap(encoded[d - first]);
      }
      if (body.size() >= kFlushBytes) flush();
    }
  }
  flush();
  const uint64_t sum = XXH3_64bits_digest(&checksum);
  BinaryWriter head;
  head.u64(sum);
  file.seekp(kHeader - 8);
  file.write(head.buffer().data(), 8);
  file.close();
  if (!file) {
    *error = "cannot write " + tmp.string();
    return false;
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    *error = "cannot rename " + tmp.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace byline
