#include "search/related.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace byline {
namespace {

SearchDoc doc(std::string url, std::string title, std::string body,
              std::vector<std::string> tags = {}, std::string outlet = "",
              std::string kind = "post") {
  SearchDoc d;
  d.url = std::move(url);
  d.title = title;
  d.kind = std::move(kind);
  d.outlet = outlet;
  d.tags = tags;
  d.text[kTitle] = title;
  d.text[kBody] = body;
  for (const std::string& t : tags) d.text[kTags] += t + "\n";
  d.text[kOutlet] = outlet;
  return d;
}

SearchAnalysis analyse(const std::vector<SearchDoc>& docs, unsigned threads = 0) {
  SearchOptions o;
  o.threads = threads;
  return analyse_search_documents(
      docs.size(), [&](size_t i, SearchDoc* d) { *d = docs[i]; }, o);
}

std::vector<std::string> urls(const std::vector<SearchDoc>& docs,
                              const std::vector<uint32_t>& ids) {
  std::vector<std::string> out;
  for (uint32_t i : ids) out.push_back(docs[i].url);
  return out;
}

// Two topics that share no words but the common ones.
std::vector<SearchDoc> two_topics() {
  return {
      doc("/cricket-1/", "Test cricket in Lahore", "The spinners bowled and the batsmen scored."),
      doc("/monsoon-1/", "The monsoon arrives", "Rain over Kerala, flooded paddy fields."),
      doc("/cricket-2/", "A batsman's century", "Cricket crowds cheered as the spinners tired."),
      doc("/monsoon-2/", "Flooded fields again", "Kerala braces for monsoon rain."),
      doc("/cricket-3/", "Spinners win the test", "Lahore's batsmen fell to cricket's best."),
      doc("/monsoon-3/", "Paddy and rain", "The monsoon floods Kerala's paddy."),
  };
}

TEST(SearchRelated, FindsThePostsOfTheSameTopicBestFirst) {
  std::vector<SearchDoc> docs = two_topics();
  RelatedOptions o;
  o.count = 2;
  auto related = related_documents(analyse(docs), o);
  ASSERT_EQ(related.size(), docs.size());
  for (size_t d = 0; d < docs.size(); ++d) {
    ASSERT_EQ(related[d].size(), 2u) << docs[d].url;
    std::string topic = docs[d].url.substr(0, docs[d].url.find('-'));
    for (const std::string& u : urls(docs, related[d])) {
      EXPECT_EQ(u.substr(0, u.find('-')), topic) << docs[d].url << " → " << u;
      EXPECT_NE(u, docs[d].url);
    }
  }
}

// The score, written out plainly over every pair: the cosine of the TF-IDF
// vectors (weighted frequency × ln(N / df)), plus tags × shared / √(a × b),
// plus outlet when the same.
double brute_score(const SearchAnalysis& a, size_t x, size_t y, const RelatedOptions& o) {
  auto vec = [&](size_t d) {
    std::map<uint32_t, double> v;
    const DocTerms& dt = a.terms[d];
    for (const auto& [t, tf] : dt.terms()) {
      uint32_t g = a.stem_of(dt, t);
      v[g] = tf * std::log(static_cast<double>(a.size()) / a.df(g));
    }
    return v;
  };
  auto vx = vec(x), vy = vec(y);
  double dot = 0, nx = 0, ny = 0;
  for (const auto& [g, w] : vx) {
    nx += w * w;
    if (auto it = vy.find(g); it != vy.end()) dot += w * it->second;
  }
  for (const auto& [g, w] : vy) ny += w * w;
  double s = dot / std::sqrt(nx * ny);
  std::set<std::string> tx(a.docs[x].tags.begin(), a.docs[x].tags.end());
  std::set<std::string> ty(a.docs[y].tags.begin(), a.docs[y].tags.end());
  size_t shared = 0;
  for (const std::string& t : tx) shared += ty.count(t);
  if (!tx.empty() && !ty.empty())
    s += o.tags * static_cast<double>(shared) /
         std::sqrt(static_cast<double>(tx.size() * ty.size()));
  if (!a.docs[x].outlet.empty() && a.docs[x].outlet == a.docs[y].outlet) s += o.outlet;
  return s;
}

TEST(SearchRelated, WithoutCutsItIsTheBruteForceRanking) {
  std::vector<SearchDoc> docs = two_topics();
  docs.push_back(doc("/mixed/", "Rain stops play in Lahore", "Cricket and the monsoon.",
                     {"Sport", "Weather"}, "Dawn"));
  docs[0].tags = {"Sport"};
  docs[0].outlet = "Dawn";
  docs[3].tags = {"Weather", "Kerala"};
  SearchAnalysis a = analyse(docs);
  RelatedOptions o;
  o.count = docs.size();
  o.terms = 1000;  // every shareable term; every post a term has
  o.per_term = 1000;
  o.max_share = 1.0;
  o.rescored = 1000;
  auto related = related_documents(a, o);
  for (size_t d = 0; d < docs.size(); ++d) {
    std::vector<std::pair<double, uint32_t>> want;
    for (size_t c = 0; c < docs.size(); ++c) {
      if (c == d) continue;
      double s = brute_score(a, d, c, o);
      // Posts that share no term are no candidates, whatever their tags.
      double dot = brute_score(a, d, c, RelatedOptions{.tags = 0, .outlet = 0});
      if (dot > 1e-12) want.emplace_back(-s, static_cast<uint32_t>(c));
    }
    std::sort(want.begin(), want.end());
    ASSERT_EQ(related[d].size(), want.size()) << docs[d].url;
    for (size_t i = 0; i < want.size(); ++i) {
      // Equal scores may come in either order only if they are equal to
      // rounding; then the higher number first.
      double got = brute_score(a, d, related[d][i], o);
      EXPECT_NEAR(got, -want[i].first, 1e-9) << docs[d].url << " rank " << i;
    }
  }
}

TEST(SearchRelated, TagsAndOutletBreakATieInText) {
  std::vector<SearchDoc> docs = {
      doc("/a/", "Saffron harvest", "Pampore saffron fields in autumn.", {"Kashmir"}, "Mint"),
      doc("/b/", "Saffron harvest", "Pampore saffron fields in autumn.", {}, ""),
      doc("/c/", "Saffron harvest", "Pampore saffron fields in autumn.", {"Kashmir"}, ""),
      doc("/d/", "Saffron harvest", "Pampore saffron fields in autumn.", {}, "Mint"),
      doc("/e/", "Something else", "Nothing shared here at all."),
      doc("/f/", "Tea gardens", "Darjeeling's first flush."),
      doc("/g/", "Tea auctions", "Kolkata's tea auction."),
      doc("/h/", "Jute mills", "Hooghly's jute mills."),
  };
  // The same text in all four: tags and outlet count only as such.
  for (SearchDoc& d : docs) d.text[kTags] = d.text[kOutlet] = "";
  SearchAnalysis a = analyse(docs);
  RelatedOptions o;
  o.count = 5;
  auto related = related_documents(a, o);
  // /b/, /c/ and /d/ read the same as /a/; /c/ shares its tag (0.25), /d/
  // its outlet (0.05), /b/ neither. /e/ shares no term: no candidate.
  EXPECT_EQ(urls(docs, related[0]), (std::vector<std::string>{"/c/", "/d/", "/b/"}));
  // For /b/, the three are tied: the higher number (the newer) first.
  EXPECT_EQ(urls(docs, related[1]), (std::vector<std::string>{"/d/", "/c/", "/a/"}));
  EXPECT_TRUE(related[4].empty());
}

TEST(SearchRelated, ATermInMostPostsMakesNoneRelated) {
  // The site's author is in every post's authors field; the posts share
  // nothing else but /a/ and /b/ their "glacier".
  std::vector<SearchDoc> docs = {
      doc("/a/", "Glacier retreat", "Measured each spring."),
      doc("/b/", "Glacier lakes", "Outburst floods."),
      doc("/c/", "Bond yields", "Inflation expectations."),
      doc("/d/", "Orchestra strike", "Musicians walk out."),
  };
  for (SearchDoc& d : docs) d.text[kAuthors] = "Ada Writer";
  auto related = related_documents(analyse(docs), RelatedOptions{});
  EXPECT_EQ(urls(docs, related[0]), std::vector<std::string>{"/b/"});
  EXPECT_EQ(urls(docs, related[1]), std::vector<std::string>{"/a/"});
  EXPECT_TRUE(related[2].empty());
  EXPECT_TRUE(related[3].empty());
}

TEST(SearchRelated, OnlyPostsHaveOrAreRelatedPosts) {
  std::vector<SearchDoc> docs = two_topics();
  docs.push_back(doc("/about/", "About cricket and monsoon", "Cricket, monsoon, Kerala, Lahore.",
                     {}, "", "page"));
  docs.push_back(
      doc("https://tv.example/x", "Cricket talk", "Spinners and batsmen.", {}, "", "appearance"));
  auto related = related_documents(analyse(docs), RelatedOptions{});
  EXPECT_TRUE(related[6].empty());
  EXPECT_TRUE(related[7].empty());
  for (size_t d = 0; d < 6; ++d) {
    EXPECT_FALSE(related[d].empty());
    for (uint32_t r : related[d]) EXPECT_LT(r, 6u) << docs[d].url;
  }
}

TEST(SearchRelated, CountAndThreadsAndCuts) {
  // 300 posts in 30 topics of made-up words: whatever the threads, the
  // same lists; at most `count`; with a term listing only 3 posts, each
  // post still finds its own topic's.
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 300; ++i) {
    int topic = i % 30;
    std::string w = "topic" + std::string(1, static_cast<char>('a' + topic % 26)) +
                    std::string(1, static_cast<char>('a' + topic / 26));
    docs.push_back(doc("/p" + std::to_string(i) + "/", w + " report " + std::to_string(i),
                       w + " " + w + " and the news of the day, item" + std::to_string(i)));
  }
  RelatedOptions o;
  o.count = 4;
  o.threads = 1;
  auto one = related_documents(analyse(docs, 1), o);
  o.threads = 2;
  auto two = related_documents(analyse(docs, 2), o);
  EXPECT_EQ(one, two);
  for (size_t d = 0; d < docs.size(); ++d) {
    ASSERT_EQ(one[d].size(), 4u);
    for (uint32_t r : one[d]) EXPECT_EQ(r % 30, d % 30) << d << " → " << r;
  }
  o.per_term = 3;
  auto cut = related_documents(analyse(docs), o);
  for (size_t d = 0; d < docs.size(); ++d)
    for (uint32_t r : cut[d]) EXPECT_EQ(r % 30, d % 30) << d << " → " << r;
  o.count = 0;
  for (const auto& list : related_documents(analyse(docs), o)) EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace byline
