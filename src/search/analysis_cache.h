// The search analysis kept between builds: each document's analysed terms
// (stem, weighted frequency), its weighted length, its words whose stem
// differs from them and its excerpt, by the document's id and a key (a hash
// of everything they are made from). A build analyses again only the
// documents whose key changed (search/index_writer.h's
// analyse_search_documents), which is what lets an incremental build skip
// reading every page's body.
//
// The file (docs/search.md, "The kept analysis") is read mapped; its
// header holds a format number, the fingerprint of the analysis options
// and a checksum of the rest. A file that is missing, damaged, of another
// format or made under other options is no cache: every document is
// analysed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/mapped_file.h"
#include "search/index_writer.h"

namespace byline {

// What an analysis depends on besides the documents: the language (its
// stemmer and stop words) and the field weights.
uint64_t search_options_fingerprint(const SearchOptions& options);

class SearchCache {
 public:
  static constexpr uint32_t kFormat = 1;

  // Reads `path`; false when it is no usable cache (see above).
  bool load(const std::string& path, uint64_t options_fingerprint);

  size_t doc_count() const { return docs_.size(); }
  // The number of the document kept under `id` with `key`, or -1.
  int64_t find(std::string_view id, uint64_t key) const;
  float length(size_t doc) const { return docs_[doc].length; }
  std::string_view excerpt(size_t doc) const { return docs_[doc].excerpt; }
  // The document's terms (numbers of stem()) and its words (numbers of
  // word()).
  void terms(size_t doc, std::vector<std::pair<uint32_t, float>>* terms,
             std::vector<uint32_t>* words) const;

  // The bytes of the document kept under `id` as the file has them.
  std::string_view bytes(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? std::string_view() : docs_[it->second].bytes;
  }

  size_t stem_count() const { return stems_.size(); }
  std::string_view stem(uint32_t i) const { return stems_[i]; }
  size_t word_count() const { return words_.size(); }
  std::string_view word(uint32_t i) const { return words_[i].first; }
  uint32_t word_stem(uint32_t i) const { return words_[i].second; }

 private:
  struct Doc {
    std::string_view id, excerpt;
    uint64_t key = 0;
    float length = 0;
    std::string_view terms, words;  // their encoded bytes
    std::string_view bytes;         // the whole record
    uint32_t term_count = 0, word_count = 0;
  };
  MappedFile file_;
  std::vector<std::string_view> stems_;
  std::vector<std::pair<std::string_view, uint32_t>> words_;
  std::vector<Doc> docs_;
  std::unordered_map<std::string_view, uint32_t> by_id_;
};

// Writes the analysis of the documents with a cache_id to `path` (through
// a temporary file and a rename, so that a reader sees an old file or the
// new one). Returns false with `error` set when it cannot. When the
// analysis took documents from a kept file (SearchAnalysis::cache), those
// are copied as they are and the file's tables extended (`*appended` then
// says so), unless that would let them grow past what is used. The file is
// written as it is made, `batch_docs` documents at a time (the bytes do not
// depend on it), so that it is never whole in memory.
bool save_search_cache(const std::string& path, uint64_t options_fingerprint,
                       const SearchAnalysis& analysis, std::string* error, bool* appended = nullptr,
                       size_t batch_docs = 2048);

}  // namespace byline
