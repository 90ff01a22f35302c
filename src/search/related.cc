#include "search/related.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/thread_pool.h"

namespace byline {

namespace {

using Weighted = std::pair<uint32_t, float>;  // (stem or document, weight)

// The fixed point of the squared weights' sum: 2^20 (a weight is below
// 10^4, so a post's sum stays far below 2^64).
constexpr double kFixed = 1048576.0;

// Heavier first, then the lower number: a total order, so the result is
// the same on any number of threads.
bool heavier(const Weighted& a, const Weighted& b) {
  if (a.second != b.second) return a.second > b.second;
  return a.first < b.first;
}
// The same for documents, but the higher number (the newer) first.
bool heavier_doc(const Weighted& a, const Weighted& b) {
  if (a.second != b.second) return a.second > b.second;
  return a.first > b.first;
}

// What scoring one post's candidates needs, one per worker at a time.
struct Scratch {
  std::vector<double> dot;  // by document: the dot product so far
  std::vector<uint32_t> touched;
  std::vector<std::pair<double, uint32_t>> scored;
};

class ScratchPool {
 public:
  explicit ScratchPool(size_t docs) : docs_(docs) {}
  std::unique_ptr<Scratch> acquire() {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      std::unique_ptr<Scratch> s = std::move(free_.back());
      free_.pop_back();
      return s;
    }
    auto s = std::make_unique<Scratch>();
    s->dot.assign(docs_, 0.0);
    return s;
  }
  void release(std::unique_ptr<Scratch> s) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(s));
  }

 private:
  size_t docs_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Scratch>> free_;
};

// Numbers for strings, so that comparing two posts' tags is comparing
// sorted integers.
class Interner {
 public:
  uint32_t id(const std::string& s) { return ids_.try_emplace(s, ids_.size()).first->second; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

size_t shared_count(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

}  // namespace

std::vector<std::vector<uint32_t>> related_documents(const SearchAnalysis& analysis,
                                                     const RelatedOptions& options) {
  const size_t n = analysis.size();
  std::vector<std::vector<uint32_t>> related(n);
  if (options.count == 0 || n < 2) return related;
  const unsigned threads = options.threads ? options.threads : default_thread_count();
  std::vector<char> post(n);
  for (size_t d = 0; d < n; ++d) post[d] = analysis.docs[d].kind == "post";

  // 1. Each post's TF-IDF vector: its length, and its heaviest terms of
  // those it can share (in two documents or more, and not in most: the
  // site's author, a word every post uses, tells nothing).
  const double docs = static_cast<double>(n);
  const double max_df = options.max_share * docs;
  std::vector<double> norm(n, 0.0);
  std::vector<std::vector<Weighted>> signature(n);
  // ln(N / df) once per stem rather than once per post's term.
  std::vector<double> idf(analysis.stems.size());
  for (size_t g = 0; g < idf.size(); ++g)
    idf[g] = std::log(docs / analysis.df(static_cast<uint32_t>(g)));
  parallel_for(
      n,
      [&](size_t d) {
        if (!post[d]) return;
        const DocTerms& dt = analysis.terms[d];
        // A scratch list per thread: the post keeps only its heaviest few,
        // in a vector of their size (a list of all its terms, kept for each
        // post, was 40 MB of fresh pages at 10,000 posts).
        thread_local std::vector<Weighted> shareable;
        shareable.clear();
        // The terms come in the order of the analyser that read the post,
        // which depends on the threads: the squares are summed in fixed
        // point, whose sum does not depend on the order.
        uint64_t sum = 0;
        dt.for_each_term([&](uint32_t term, float tf) {
          uint32_t stem = analysis.stem_of(dt, term);
          uint32_t df = analysis.df(stem);
          double w = tf * idf[stem];
          // Rounded half up (w * w is positive), without llround's call.
          sum += static_cast<uint64_t>(w * w * kFixed + 0.5);
          if (df >= 2 && df <= max_df && w > 0) shareable.emplace_back(stem, static_cast<float>(w));
        });
        norm[d] = std::sqrt(static_cast<double>(sum) / kFixed);
        size_t keep = std::min(options.terms, shareable.size());
        std::partial_sort(shareable.begin(), shareable.begin() + static_cast<std::ptrdiff_t>(keep),
                          shareable.end(), heavier);
        signature[d].assign(shareable.begin(),
                            shareable.begin() + static_cast<std::ptrdiff_t>(keep));
      },
      threads);

  // 2. For each stem, the posts it describes, at most `per_term` of them:
  // those where it weighs most.
  std::vector<uint32_t> start(analysis.stems.size() + 1, 0);
  for (size_t d = 0; d < n; ++d)
    for (const Weighted& s : signature[d]) ++start[s.first + 1];
  for (size_t g = 0; g + 1 < start.size(); ++g) start[g + 1] += start[g];
  std::vector<Weighted> lists(start.back());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t d = 0; d < n; ++d)
      for (const Weighted& s : signature[d])
        lists[fill[s.first]++] = {static_cast<uint32_t>(d), s.second};
  }
  std::vector<uint32_t> end(start.size() - 1);
  parallel_for(
      end.size(),
      [&](size_t g) {
        auto first = lists.begin() + start[g], last = lists.begin() + start[g + 1];
        size_t keep = std::min<size_t>(options.per_term, static_cast<size_t>(last - first));
        if (keep < static_cast<size_t>(last - first))
          std::partial_sort(first, first + static_cast<std::ptrdiff_t>(keep), last, heavier_doc);
        end[g] = start[g] + static_cast<uint32_t>(keep);
      },
      threads);

  // 3. What posts share besides text: tags and outlet, as numbers.
  Interner tag_ids, outlet_ids;
  std::vector<std::vector<uint32_t>> tags(n);
  std::vector<int64_t> outlet(n, -1);
  for (size_t d = 0; d < n; ++d) {
    if (!post[d]) continue;
    const SearchDoc& doc = analysis.docs[d];
    for (const std::string& t : doc.tags) tags[d].push_back(tag_ids.id(t));
    std::sort(tags[d].begin(), tags[d].end());
    tags[d].erase(std::unique(tags[d].begin(), tags[d].end()), tags[d].end());
    if (!doc.outlet.empty()) outlet[d] = outlet_ids.id(doc.outlet);
  }

  // 4. Each post's candidates, scored: the cosine of the two vectors over
  // the terms that found them, the best of those again with their tags and
  // outlet.
  ScratchPool pool(n);
  constexpr size_t kBlock = 64;
  parallel_for((n + kBlock - 1) / kBlock,
               [&](size_t block) {
                 std::unique_ptr<Scratch> s = pool.acquire();
                 for (size_t d = block * kBlock; d < std::min(n, (block + 1) * kBlock); ++d) {
                   if (!post[d] || norm[d] == 0) continue;
                   s->touched.clear();
                   for (const Weighted& mine : signature[d]) {
                     for (uint32_t i = start[mine.first]; i < end[mine.first]; ++i) {
                       const auto& [c, theirs] = lists[i];
                       if (c == d) continue;
                       if (s->dot[c] == 0) s->touched.push_back(c);
                       s->dot[c] += static_cast<double>(mine.second) * theirs;
                     }
                   }
                   s->scored.clear();
                   for (uint32_t c : s->touched) {
                     s->scored.emplace_back(s->dot[c] / (norm[d] * norm[c]), c);
                     s->dot[c] = 0;
                   }
                   auto better = [](const std::pair<double, uint32_t>& a,
                                    const std::pair<double, uint32_t>& b) {
                     if (a.first != b.first) return a.first > b.first;
                     return a.second > b.second;
                   };
                   size_t keep = std::min(options.rescored, s->scored.size());
                   std::partial_sort(s->scored.begin(),
                                     s->scored.begin() + static_cast<std::ptrdiff_t>(keep),
                                     s->scored.end(), better);
                   s->scored.resize(keep);
                   for (auto& [score, c] : s->scored) {
                     if (!tags[d].empty() && !tags[c].empty())
                       score += options.tags * static_cast<double>(shared_count(tags[d], tags[c])) /
                                std::sqrt(static_cast<double>(tags[d].size() * tags[c].size()));
                     if (outlet[d] >= 0 && outlet[d] == outlet[c]) score += options.outlet;
                   }
                   std::sort(s->scored.begin(), s->scored.end(), better);
                   for (size_t i = 0; i < std::min(options.count, s->scored.size()); ++i)
                     related[d].push_back(s->scored[i].second);
                 }
                 pool.release(std::move(s));
               },
               threads);
  return related;
}

}  // namespace byline
