// Reads the files build_search_index() writes, as the browser does: the
// manifest, then only the chunks a lookup needs. For tests, and for tools
// that query a built site.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace byline {

struct SearchRecord {
  std::string url, title, date, kind, outlet, excerpt;
  std::vector<std::string> tags;
};

class SearchIndexReader {
 public:
  // `fetch(path)` returns a file's bytes by its site-relative path, or
  // nullopt; `dir` is where the index is ("search/").
  using Fetch = std::function<std::optional<std::string>(const std::string&)>;
  SearchIndexReader(Fetch fetch, std::string dir = "search/");

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  size_t doc_count() const { return docs_; }
  // The stem the index holds for a folded word (itself when the vocabulary
  // does not list it).
  std::string stem_of(const std::string& word);
  // (document, score) for a stem, in document order; empty when absent.
  // The score is computed as the browser does (bm25_stored_score()) from
  // the stored frequency and the lengths' file.
  std::vector<std::pair<uint32_t, uint32_t>> postings(const std::string& stem);
  // (document, weighted frequency as stored) for a stem.
  std::vector<std::pair<uint32_t, uint64_t>> frequencies(const std::string& stem);
  // Each document's weighted length as stored; empty when unreadable.
  const std::vector<uint64_t>& lengths();
  // Every stem starting with `prefix` in the chunks that could hold one.
  std::vector<std::string> stems_with_prefix(const std::string& prefix);
  SearchRecord record(uint32_t doc);
  // facet name → value → documents.
  std::map<std::string, std::map<std::string, std::vector<uint32_t>>> facets();
  // Files fetched so far, and their bytes.
  size_t fetched_files() const { return fetched_files_; }
  size_t fetched_bytes() const { return fetched_bytes_; }

 private:
  bool load(const std::string& name, std::string* raw);
  std::string chunk_for(const std::vector<std::pair<std::string, std::string>>& ranges,
                        const std::string& key, size_t* index = nullptr);

  Fetch fetch_;
  std::string dir_;
  bool ok_ = false;
  std::string error_;
  size_t docs_ = 0, per_ = 1;
  std::string hashes_, facets_file_, lengths_file_;
  double k1_ = 1.2, b_ = 0.75, weight_scale_ = 1;
  std::vector<uint64_t> lengths_;
  uint64_t total_length_ = 0;
  bool lengths_read_ = false;
  std::vector<std::pair<std::string, std::string>> terms_, vocab_;
  std::map<std::string, std::string> cache_;
  size_t fetched_files_ = 0, fetched_bytes_ = 0;
};

}  // namespace byline
