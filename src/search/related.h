// Related posts: for each post, the posts most like it, from the terms the
// search analysis found (TF-IDF) and the tags and outlet they share.
// Computed at build time, in time linear in the number of posts: a post's
// candidates are only the posts that share one of its most telling terms.
#pragma once

#include <cstdint>
#include <vector>

#include "search/index_writer.h"

namespace byline {

struct RelatedOptions {
  size_t count = 5;  // posts listed for each
  // A post is described by its `terms` heaviest terms (TF-IDF, among those
  // in two documents or more, and in at most `max_share` of them); a term
  // lists, for finding candidates, the `per_term` posts where it weighs
  // most.
  size_t terms = 12;
  double max_share = 0.5;
  size_t per_term = 100;
  // The best `rescored` candidates by text are scored again with what they
  // share besides text: cosine + tags × (shared tags / √(tags × tags)) +
  // outlet × (same outlet).
  size_t rescored = 50;
  double tags = 0.25;
  double outlet = 0.05;
  unsigned threads = 0;  // 0: default_thread_count()
};

// For each document of `analysis`, the numbers of its related documents,
// best first (ties: the higher number, that is the newer). Only documents
// whose kind is "post" have related documents or are one; the others get
// an empty list. The result does not depend on the number of threads.
std::vector<std::vector<uint32_t>> related_documents(const SearchAnalysis& analysis,
                                                     const RelatedOptions& options);

}  // namespace byline
