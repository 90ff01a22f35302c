// The search index, written at build time from the site model: analysed
// terms with their BM25F scores, split by term range into compressed,
// content-hashed chunk files, plus the vocabulary (word → stem) the browser
// needs to stem a query, the documents' records, their facet values and a
// small manifest. docs/search.md describes the files byte by byte; the
// browser's side is themes/default/static/search.js.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "search/analyser.h"

namespace byline {

// The fields a document is indexed by, in the order of SearchOptions::weights.
enum SearchField : uint8_t { kTitle, kStandfirst, kBody, kTags, kOutlet, kAuthors, kFieldCount };
// Their names in `[search] fields` and `[search.weights]`.
const std::array<std::string_view, kFieldCount>& search_field_names();

// One document: a post, a page or an appearance.
struct SearchDoc {
  std::string url;  // site-relative, or absolute for an appearance elsewhere
  std::string title;
  std::string date;  // "YYYY-MM-DD", or "" when undated
  std::string kind;  // "post", "page", "appearance"
  std::string outlet;
  std::vector<std::string> tags;
  std::array<std::string, kFieldCount> text;  // plain text per field
  std::string excerpt;                        // plain text shown under the result
  // For the analysis kept between builds (search/analysis_cache.h): what
  // names the document from one build to the next ("": not kept), and a
  // hash of everything its analysis and excerpt are made from.
  std::string cache_id;
  uint64_t cache_key = 0;
};

struct SearchOptions {
  std::string language = "en";
  // BM25F: a term's frequency in a document is the weighted sum of its
  // frequencies in the fields, the length likewise; a weight of 0 leaves a
  // field out.
  std::array<double, kFieldCount> weights = {4.0, 2.0, 1.0, 2.0, 1.0, 1.0};
  double k1 = 1.2;
  double b = 0.75;
  size_t chunk_bytes = 40 * 1024;  // a term or vocabulary chunk, before compression
  size_t docs_per_chunk = 10;      // documents per record chunk
  size_t excerpt_chars = 280;
  int compression = 6;          // zlib level
  unsigned threads = 0;         // 0: default_thread_count()
  std::string dir = "search/";  // where the files go, site-relative
  // Leave each file's compression to whoever writes it (SearchFile::
  // file_bytes()): a build compresses only the files it writes, not those
  // whose name (the hash of their contents) says they are already there.
  bool defer_compression = false;
};

std::string gzip(std::string_view bytes, int level, bool huffman_only = false);

// A query's scores are integers: round(score * kScoreScale) a term, as the
// browser computes them from the index (docs/search.md, "Ranking").
constexpr double kScoreScale = 100.0;

// The index stores weighted frequencies and lengths as integers: round(x *
// the scale), the smallest of 1, 10, 100 and 1000 that makes every field
// weight whole (1000 when none does: the weights are then rounded). With
// the default weights, 1: the numbers are the weighted counts themselves.
double search_weight_scale(const std::array<double, kFieldCount>& weights);

struct SearchFile {
  std::string path;  // site-relative: "search/t-1a2b3c4d5e6f.bin"
  std::string bytes;
  // With SearchOptions::defer_compression, `bytes` are the file's before
  // gzip, at this zlib level (-1: they are the file's); see file_bytes().
  int gzip_level = -1;
  bool huffman_only = false;
  // The file's bytes, compressed now when they were not.
  std::string file_bytes() && {
    return gzip_level < 0 ? std::move(bytes) : gzip(bytes, gzip_level, huffman_only);
  }
};

struct SearchIndexStats {
  size_t docs = 0, terms = 0, postings = 0, words = 0;
};

// Makes document `i` (any thread may ask, each number once). Its text is
// analysed as soon as it is made and then dropped, so the site's whole
// text is never held at once.
using SearchDocSource = std::function<void(size_t i, SearchDoc* doc)>;

// The packed numbers of an analysis (DocTerms, SearchAnalysis's postings):
// unsigned LEB128 varints, and a weighted frequency as one, twice its value
// when it is whole, else 1 followed by the float's 4 bytes.
void put_packed_tf(std::string& out, float tf);
// The bytes put_varint() and put_packed_tf() write, without writing them.
inline size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}
size_t packed_tf_size(float tf);
inline uint64_t get_packed_varint(const unsigned char*& p) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    unsigned char b = *p++;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}
inline float get_packed_tf(const unsigned char*& p) {
  const uint64_t v = get_packed_varint(p);
  float tf = static_cast<float>(v >> 1);
  if (v & 1) {
    std::memcpy(&tf, p, 4);
    p += 4;
  }
  return tf;
}

// What one document's analysis left: its terms (numbers of the analyser
// that read it) with their weighted frequencies, and its weighted length.
// `analyser` is the source of the numbers: an analyser of this build, or
// (numbered after them) the analysis kept from the last build.
//
// The terms are held packed, about 3 bytes each rather than 8: every term
// of every document is also in the analysis's postings, and at 100,000
// posts the two as pairs of numbers were 1.1 GB of `byline serve`'s peak.
// Each is the term's number as a varint, then its frequency: a whole one
// as a varint of twice it, any other as a varint of 1 and the float's 4
// bytes.
struct DocTerms {
  uint32_t analyser = 0;
  float length = 0;
  uint32_t term_count = 0;
  std::string packed_terms;
  std::vector<uint32_t> words;  // its words whose stem differs from them, numbered alike

  void add_term(uint32_t term, float tf);
  void set_terms(const std::vector<std::pair<uint32_t, float>>& terms);
  // Calls fn(term, tf) for each term, in the order they were added.
  template <typename Fn>
  void for_each_term(Fn&& fn) const {
    const auto* p = reinterpret_cast<const unsigned char*>(packed_terms.data());
    for (uint32_t i = 0; i < term_count; ++i) {
      const auto term = static_cast<uint32_t>(get_packed_varint(p));
      fn(term, get_packed_tf(p));
    }
  }
  std::vector<std::pair<uint32_t, float>> terms() const;
};

class SearchCache;

// The documents analysed: what both the index files and the related posts
// (search/related.h) are made from, so the text is analysed once.
struct SearchAnalysis {
  std::vector<SearchDoc> docs;  // each document's record, its text dropped
  std::vector<DocTerms> terms;  // each document's terms
  std::vector<std::unique_ptr<Analyser>> analysers;
  std::shared_ptr<const SearchCache> cache;   // the kept analysis, source analysers.size()
  std::vector<std::string_view> stems;        // every stem, sorted: the global numbering
  std::vector<std::vector<uint32_t>> global;  // [source][its term] → the stem's number
  // Every word of the documents whose stem differs from it, (word, stem),
  // sorted: the vocabulary the browser stems a query with.
  std::vector<std::pair<std::string_view, std::string_view>> vocab;
  size_t analysed = 0;  // documents analysed in this build (the rest were kept)
  // The postings of stem g, (document, weighted frequency) in document
  // order: start[g + 1] - start[g] of them, packed in
  // postings[offset[g], offset[g + 1]) as the document's difference from
  // the one before (from 0) and the frequency (see put_packed_tf()),
  // about 3 bytes each rather than 8 (71 million at 100,000 posts).
  std::vector<uint32_t> start;
  std::vector<size_t> offset;
  std::string postings;
  double total_length = 0;

  // Reads one stem's postings in order: while (r.next()) use r.doc, r.tf.
  struct PostingReader {
    const unsigned char* p = nullptr;
    uint32_t left = 0;
    uint32_t doc = 0;
    float tf = 0;
    bool next() {
      if (left == 0) return false;
      --left;
      doc += static_cast<uint32_t>(get_packed_varint(p));
      tf = get_packed_tf(p);
      return true;
    }
  };
  PostingReader postings_of(uint32_t stem) const {
    return {reinterpret_cast<const unsigned char*>(postings.data()) + offset[stem], df(stem)};
  }
  size_t posting_count() const { return start.empty() ? 0 : start.back(); }

  size_t size() const { return docs.size(); }
  uint32_t df(uint32_t stem) const { return start[stem + 1] - start[stem]; }
  uint32_t stem_of(const DocTerms& d, uint32_t term) const { return global[d.analyser][term]; }
};

// Analyses `count` documents, numbered oldest first (ties in score go to
// the higher number, the newer), on `options.threads` threads. With a `cache`,
// `meta` first makes each document without its text (its record, but the
// excerpt, and its cache_id and cache_key): one the cache holds under that
// id and key is taken from it, the others are made by `source` and
// analysed.
SearchAnalysis analyse_search_documents(size_t count, const SearchDocSource& source,
                                        const SearchOptions& options,
                                        std::shared_ptr<const SearchCache> cache = nullptr,
                                        const SearchDocSource& meta = nullptr);

// The index files of analysed documents. The manifest, "<dir>index.json",
// is last. Of each DocTerms only the length is read (the terms come from
// the postings): a caller may drop their terms and words before.
std::vector<SearchFile> write_search_index(const SearchAnalysis& analysis,
                                           const SearchOptions& options,
                                           SearchIndexStats* stats = nullptr);

// Both at once.
std::vector<SearchFile> build_search_index(size_t count, const SearchDocSource& source,
                                           const SearchOptions& options,
                                           SearchIndexStats* stats = nullptr);
// The same for documents already made.
std::vector<SearchFile> build_search_index(const std::vector<SearchDoc>& docs,
                                           const SearchOptions& options,
                                           SearchIndexStats* stats = nullptr);

// A term's score in one document as the index's reader computes it (the
// browser, SearchIndexReader): from the stored integers, weighted
// frequency and length (round(x * weight scale)), the sum of the lengths
// and the document count; round(score * kScoreScale), at least 1.
uint32_t bm25_stored_score(uint64_t tf, uint64_t df, uint64_t docs, uint64_t length,
                           uint64_t total_length, double weight_scale, double k1, double b);

// The BM25 score of one term in one document (exposed for tests).
double bm25(double tf, double df, double docs, double dl, double avgdl, double k1, double b);
// The same in two steps: the idf once per term, then each document's score.
double bm25_idf(double df, double docs);
inline double bm25_with_idf(double tf, double idf, double dl, double avgdl, double k1, double b) {
  double norm = avgdl > 0 ? dl / avgdl : 1.0;
  return idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * norm));
}

// gzip (RFC 1952) of bytes, and back; for the index files and their tests.
// `huffman_only` skips the search for repeats (zlib's Z_HUFFMAN_ONLY): for
// the term chunks, numbers that rarely repeat, it is 8 times faster and the
// files 0.5% larger.
std::string gzip(std::string_view bytes, int level, bool huffman_only);
bool gunzip(std::string_view gz, std::string* out);

// Unsigned LEB128, as every number in the binary files is written.
inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

}  // namespace byline
