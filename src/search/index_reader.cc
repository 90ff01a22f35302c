#include "search/index_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "search/index_writer.h"

namespace byline {

namespace {

struct Cursor {
  const std::string& s;
  size_t at = 0;
  bool done() const { return at >= s.size(); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; at < s.size(); shift += 7) {
      unsigned char c = static_cast<unsigned char>(s[at++]);
      v |= uint64_t{c & 0x7Fu} << shift;
      if (!(c & 0x80)) break;
    }
    return v;
  }
  std::string str() {
    size_t len = static_cast<size_t>(varint());
    std::string out = s.substr(at, len);
    at += len;
    return out;
  }
};

}  // namespace

SearchIndexReader::SearchIndexReader(Fetch fetch, std::string dir)
    : fetch_(std::move(fetch)), dir_(std::move(dir)) {
  std::optional<std::string> m = fetch_(dir_ + "index.json");
  if (!m) {
    error_ = "no " + dir_ + "index.json";
    return;
  }
  ++fetched_files_;
  fetched_bytes_ += m->size();
  nlohmann::json j = nlohmann::json::parse(*m, nullptr, false);
  if (j.is_discarded() || j.value("version", 0) != 2) {
    error_ = "unreadable manifest";
    return;
  }
  docs_ = j["docs"].get<size_t>();
  for (const auto& e : j["terms"])
    terms_.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
  for (const auto& e : j["vocab"])
    vocab_.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
  per_ = j["records"]["per"].get<size_t>();
  hashes_ = j["records"]["hashes"].get<std::string>();
  facets_file_ = j["facets"].get<std::string>();
  lengths_file_ = j["lengths"].get<std::string>();
  k1_ = j["bm25"]["k1"].get<double>();
  b_ = j["bm25"]["b"].get<double>();
  weight_scale_ = j["bm25"]["weights"].get<double>();
  ok_ = true;
}

bool SearchIndexReader::load(const std::string& name, std::string* raw) {
  auto it = cache_.find(name);
  if (it != cache_.end()) {
    *raw = it->second;
    return true;
  }
  std::optional<std::string> gz = fetch_(dir_ + name);
  if (!gz) return false;
  ++fetched_files_;
  fetched_bytes_ += gz->size();
  if (!gunzip(*gz, raw)) return false;
  cache_[name] = *raw;
  return true;
}

std::string SearchIndexReader::chunk_for(
    const std::vector<std::pair<std::string, std::string>>& ranges, const std::string& key,
    size_t* index) {
  // The last chunk whose first key is <= key.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), key,
                             [](const std::string& k, const auto& r) { return k < r.first; });
  if (it == ranges.begin()) return {};
  --it;
  if (index) *index = static_cast<size_t>(it - ranges.begin());
  return it->second;
}

std::string SearchIndexReader::stem_of(const std::string& word) {
  std::string name = chunk_for(vocab_, word), raw;
  if (name.empty() || !load(name, &raw)) return word;
  Cursor c{raw};
  std::string prev;
  while (!c.done()) {
    size_t shared = static_cast<size_t>(c.varint());
    std::string w = prev.substr(0, shared) + c.str();
    size_t keep = static_cast<size_t>(c.varint());
    std::string stem = w.substr(0, keep) + c.str();
    if (w == word) return stem;
    prev = w;
  }
  return word;
}

std::vector<std::pair<uint32_t, uint64_t>> SearchIndexReader::frequencies(const std::string& stem) {
  std::string name = chunk_for(terms_, stem), raw;
  if (name.empty() || !load(name, &raw)) return {};
  Cursor c{raw};
  std::string prev;
  while (!c.done()) {
    size_t shared = static_cast<size_t>(c.varint());
    std::string t = prev.substr(0, shared) + c.str();
    size_t df = static_cast<size_t>(c.varint());
    std::vector<std::pair<uint32_t, uint64_t>> list;
    uint32_t doc = 0;
    for (size_t i = 0; i < df; ++i) {
      doc += static_cast<uint32_t>(c.varint());
      uint64_t tf = c.varint();
      if (t == stem) list.emplace_back(doc, tf);
    }
    if (t == stem) return list;
    prev = t;
  }
  return {};
}

const std::vector<uint64_t>& SearchIndexReader::lengths() {
  if (lengths_read_) return lengths_;
  lengths_read_ = true;
  std::string raw;
  if (!load(lengths_file_, &raw)) return lengths_;
  Cursor c{raw};
  size_t n = static_cast<size_t>(c.varint());
  if (n != docs_) return lengths_;
  lengths_.reserve(n);
  for (size_t d = 0; d < n && !c.done(); ++d) lengths_.push_back(c.varint());
  if (lengths_.size() != n) lengths_.clear();
  for (uint64_t l : lengths_) total_length_ += l;
  return lengths_;
}

std::vector<std::pair<uint32_t, uint32_t>> SearchIndexReader::postings(const std::string& stem) {
  std::vector<std::pair<uint32_t, uint64_t>> tfs = frequencies(stem);
  if (tfs.empty() || lengths().empty()) return {};
  std::vector<std::pair<uint32_t, uint32_t>> out;
  out.reserve(tfs.size());
  for (const auto& [doc, tf] : tfs) {
    if (doc >= lengths_.size()) return {};
    out.emplace_back(doc, bm25_stored_score(tf, tfs.size(), docs_, lengths_[doc], total_length_,
                                            weight_scale_, k1_, b_));
  }
  return out;
}

std::vector<std::string> SearchIndexReader::stems_with_prefix(const std::string& prefix) {
  std::vector<std::string> out;
  size_t first = 0;
  if (chunk_for(terms_, prefix, &first).empty()) first = 0;
  for (size_t i = first; i < terms_.size(); ++i) {
    if (i > first && terms_[i].first.compare(0, prefix.size(), prefix) > 0) break;
    std::string raw;
    if (!load(terms_[i].second, &raw)) break;
    Cursor c{raw};
    std::string prev;
    while (!c.done()) {
      size_t shared = static_cast<size_t>(c.varint());
      std::string t = prev.substr(0, shared) + c.str();
      size_t df = static_cast<size_t>(c.varint());
      for (size_t k = 0; k < 2 * df; ++k) c.varint();
      if (t.starts_with(prefix)) out.push_back(t);
      prev = t;
    }
  }
  return out;
}

SearchRecord SearchIndexReader::record(uint32_t doc) {
  SearchRecord r;
  size_t chunk = doc / per_;
  if (chunk * 12 + 12 > hashes_.size()) return r;
  std::string raw;
  if (!load("d-" + hashes_.substr(chunk * 12, 12) + ".bin", &raw)) return r;
  nlohmann::json j = nlohmann::json::parse(raw, nullptr, false);
  const auto& e = j.at(doc % per_);
  r.url = e[0];
  r.title = e[1];
  r.date = e[2];
  r.kind = e[3];
  r.outlet = e[4];
  r.tags = e[5].get<std::vector<std::string>>();
  r.excerpt = e[6];
  return r;
}

std::map<std::string, std::map<std::string, std::vector<uint32_t>>> SearchIndexReader::facets() {
  std::map<std::string, std::map<std::string, std::vector<uint32_t>>> out;
  std::string raw;
  if (!load(facets_file_, &raw)) return out;
  Cursor c{raw};
  size_t count = static_cast<size_t>(c.varint());
  for (size_t f = 0; f < count; ++f) {
    std::string name = c.str();
    size_t values = static_cast<size_t>(c.varint());
    for (size_t v = 0; v < values; ++v) {
      std::string value = c.str();
      size_t ids = static_cast<size_t>(c.varint());
      std::vector<uint32_t>& list = out[name][value];
      uint32_t id = 0;
      for (size_t i = 0; i < ids; ++i) list.push_back(id += static_cast<uint32_t>(c.varint()));
    }
  }
  return out;
}

}  // namespace byline
