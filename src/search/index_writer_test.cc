#include "search/index_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "search/index_reader.h"

namespace byline {
namespace {

SearchDoc doc(std::string url, std::string title, std::string body, std::string date,
              std::vector<std::string> tags = {}, std::string outlet = "",
              std::string kind = "post") {
  SearchDoc d;
  d.url = std::move(url);
  d.title = title;
  d.date = std::move(date);
  d.kind = std::move(kind);
  d.outlet = outlet;
  d.tags = tags;
  d.text[kTitle] = title;
  d.text[kBody] = body;
  std::string joined;
  for (const std::string& t : tags) joined += t + " ";
  d.text[kTags] = joined;
  d.text[kOutlet] = outlet;
  d.excerpt = body.substr(0, 40);
  return d;
}

struct Built {
  std::map<std::string, std::string> files;
  SearchIndexReader reader() {
    return SearchIndexReader([this](const std::string& p) -> std::optional<std::string> {
      auto it = files.find(p);
      if (it == files.end()) return std::nullopt;
      return it->second;
    });
  }
};

Built build(const std::vector<SearchDoc>& docs, SearchOptions o = {}) {
  Built b;
  for (SearchFile& f : build_search_index(docs, o)) b.files[f.path] = std::move(f.bytes);
  return b;
}

TEST(SearchIndexWriter, GzipRoundTrips) {
  std::string text(10000, 'x');
  text += "tail";
  std::string out;
  ASSERT_TRUE(gunzip(gzip(text, 6), &out));
  EXPECT_EQ(out, text);
  EXPECT_FALSE(gunzip("not gzip", &out));
}

TEST(SearchIndexWriter, RoundTripsPostingsRecordsAndFacets) {
  std::vector<SearchDoc> docs = {
      doc("/c/", "Elections in Kashmir", "Voters went to the polls.", "2021-03-01", {"Kashmir"},
          "The Hindu"),
      doc("/b/", "A quiet week", "Nothing about elections here, only running.", "2020-05-02",
          {"Diary"}),
      doc("/a/", "Running the numbers", "Kashmir's economy, elected officials.", "2019-01-01",
          {"Kashmir", "Economy"}, "Mint", "page"),
  };
  Built b = build(docs);
  SearchIndexReader r = b.reader();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.doc_count(), 3u);
  EXPECT_EQ(r.stem_of("elections"), "elect");
  EXPECT_EQ(r.stem_of("kashmir"), "kashmir");
  auto p = r.postings("elect");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, 0u);
  EXPECT_EQ(p[1].first, 1u);
  EXPECT_EQ(p[2].first, 2u);
  // In the title (weight 4) beats in the body (weight 1).
  EXPECT_GT(p[0].second, p[1].second);
  auto k = r.postings("kashmir");
  ASSERT_EQ(k.size(), 2u);
  EXPECT_TRUE(r.postings("nothere").empty());
  EXPECT_TRUE(r.postings("the").empty());  // a stop word

  SearchRecord rec = r.record(2);
  EXPECT_EQ(rec.url, "/a/");
  EXPECT_EQ(rec.title, "Running the numbers");
  EXPECT_EQ(rec.kind, "page");
  EXPECT_EQ(rec.outlet, "Mint");
  EXPECT_EQ(rec.tags, (std::vector<std::string>{"Kashmir", "Economy"}));
  EXPECT_EQ(rec.date, "2019-01-01");

  auto f = r.facets();
  EXPECT_EQ(f["tag"]["Kashmir"], (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(f["year"]["2020"], (std::vector<uint32_t>{1}));
  EXPECT_EQ(f["kind"]["post"], (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(f["outlet"]["Mint"], (std::vector<uint32_t>{2}));
}

TEST(SearchIndexWriter, ScoresAreBm25F) {
  std::vector<SearchDoc> docs = {doc("/x/", "alpha", "alpha beta gamma", "2020-01-01"),
                                 doc("/y/", "delta", "beta", "2020-01-01")};
  SearchOptions o;
  Built b = build(docs, o);
  SearchIndexReader r = b.reader();
  // Doc 0: alpha in the title (4) and body (1): tf 5, length 4 + 3 = 7.
  // Doc 1: length 4 + 1 = 5. avgdl 6.
  double want = bm25(5, 1, 2, 7, 6, o.k1, o.b);
  auto p = r.postings("alpha");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].second, static_cast<uint32_t>(std::lround(want * kScoreScale)));
  auto beta = r.postings("beta");
  ASSERT_EQ(beta.size(), 2u);
  EXPECT_EQ(beta[1].second,
            static_cast<uint32_t>(std::lround(bm25(1, 2, 2, 5, 6, o.k1, o.b) * kScoreScale)));
  // What the index stores: weighted frequencies and lengths, not scores.
  EXPECT_EQ(r.frequencies("alpha"), (std::vector<std::pair<uint32_t, uint64_t>>{{0, 5}}));
  EXPECT_EQ(r.lengths(), (std::vector<uint64_t>{7, 5}));
}

// Weights that are not whole: frequencies and lengths are stored times the
// smallest power of ten that makes them whole, and the scores are those of
// the weights as given.
TEST(SearchIndexWriter, FractionalWeightsAreScaled) {
  std::vector<SearchDoc> docs = {doc("/x/", "alpha", "alpha beta gamma", "2020-01-01"),
                                 doc("/y/", "delta", "beta", "2020-01-01")};
  SearchOptions o;
  o.weights[kTitle] = 2.5;
  EXPECT_EQ(search_weight_scale(o.weights), 10.0);
  EXPECT_EQ(search_weight_scale(SearchOptions().weights), 1.0);
  o.weights[kBody] = 0.125;
  EXPECT_EQ(search_weight_scale(o.weights), 1000.0);
  o.weights[kBody] = 1;
  Built b = build(docs, o);
  SearchIndexReader r = b.reader();
  // Doc 0: tf 2.5 + 1 = 3.5, length 2.5 + 3 = 5.5; doc 1: 2.5 + 1 = 3.5.
  EXPECT_EQ(r.frequencies("alpha"), (std::vector<std::pair<uint32_t, uint64_t>>{{0, 35}}));
  EXPECT_EQ(r.lengths(), (std::vector<uint64_t>{55, 35}));
  auto p = r.postings("alpha");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].second,
            static_cast<uint32_t>(std::lround(bm25(3.5, 1, 2, 5.5, 4.5, o.k1, o.b) * kScoreScale)));
}

// The reference the browser's search.js follows: rounded half up, at
// least 1, from the stored integers.
TEST(SearchIndexWriter, StoredScoreIsRoundedBm25) {
  EXPECT_EQ(bm25_stored_score(5, 1, 2, 7, 12, 1, 1.2, 0.75),
            static_cast<uint32_t>(std::lround(bm25(5, 1, 2, 7, 6, 1.2, 0.75) * 100)));
  // A term in every document of many scores almost 0: still 1.
  EXPECT_EQ(bm25_stored_score(1, 1000, 1000, 100, 1000, 1, 1.2, 0.75), 1u);
}

TEST(SearchIndexWriter, ChunksByTermRangeAndFindsPrefixesAcrossThem) {
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 300; ++i) {
    std::string body;
    for (int j = 0; j < 30; ++j) body += "word" + std::to_string(i * 30 + j) + " ";
    docs.push_back(
        doc("/p" + std::to_string(i) + "/", "post " + std::to_string(i), body, "2020-01-01"));
  }
  SearchOptions o;
  o.chunk_bytes = 2000;
  Built b = build(docs, o);
  size_t term_chunks = 0;
  for (const auto& [path, bytes] : b.files) term_chunks += path.starts_with("search/t-");
  EXPECT_GT(term_chunks, 10u);
  SearchIndexReader r = b.reader();
  auto f = r.frequencies("word4567");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].first, 4567u / 30);
  // One lookup reads the manifest and one chunk, and scoring it the
  // lengths.
  EXPECT_EQ(r.fetched_files(), 2u);
  EXPECT_EQ(r.postings("word4567").size(), 1u);
  EXPECT_EQ(r.fetched_files(), 3u);
  auto stems = r.stems_with_prefix("word45");
  // word45, word450..459, word4500..4599
  EXPECT_EQ(stems.size(), 1u + 10u + 100u);
}

TEST(SearchIndexWriter, NamesAreContentHashesAndStable) {
  std::vector<SearchDoc> docs = {doc("/a/", "One", "first text", "2020-01-01"),
                                 doc("/b/", "Two", "second text", "2020-01-02")};
  SearchOptions one;
  one.threads = 1;
  SearchOptions two;
  two.threads = 2;
  Built a = build(docs, one), b = build(docs, two);
  EXPECT_EQ(a.files, b.files);
  docs[1].text[kBody] = "changed words";
  Built c = build(docs, one);
  // The records that did not change keep their names; the term chunk and
  // the manifest change.
  EXPECT_NE(a.files.at("search/index.json"), c.files.at("search/index.json"));
  size_t same = 0;
  for (const auto& [path, bytes] : a.files)
    same += c.files.count(path) && path != "search/index.json";
  EXPECT_GE(same, 1u);
  EXPECT_LT(same, a.files.size() - 1);
}

// Many terms in many documents, each document the same length (40 words).
std::vector<SearchDoc> many_terms_of_equal_documents() {
  std::vector<SearchDoc> docs;
  for (int d = 0; d < 200; ++d) {
    std::string body;
    for (int w = 0; w < 40; ++w) body += "qz" + std::to_string((d * 37 + w * 11) % 3000) + "x ";
    docs.push_back(doc("/d" + std::to_string(d) + "/", "", body, "2020-01-01"));
  }
  return docs;
}

// Term chunks of about 600 bytes, made on one thread.
SearchOptions small_chunks() {
  SearchOptions o;
  o.threads = 1;
  o.chunk_bytes = 600;
  return o;
}

// Chunks end where the keys say, not where the bytes before them run out:
// a term whose postings change, or a term added, changes its own chunk,
// not every chunk after it.
TEST(SearchIndexWriter, ChunkBoundariesStayWhenOneTermsPostingsChange) {
  std::vector<SearchDoc> docs = many_terms_of_equal_documents();
  SearchOptions o = small_chunks();
  auto term_chunks = [&](const std::vector<SearchDoc>& ds) {
    std::set<std::string> names;
    for (const SearchFile& f : build_search_index(ds, o))
      if (f.path.starts_with("search/t-")) names.insert(f.path);
    return names;
  };
  std::set<std::string> before = term_chunks(docs);
  ASSERT_GE(before.size(), 30u);
  // One word of one document replaced by a new word (a new term) near the
  // start of the stems' order: the length of every document, their number
  // and every other term's postings are as they were.
  for (const char* word : {"qz0000a", "qz0001b", "qz0002c", "qz0003d"}) {
    std::vector<SearchDoc> edited = docs;
    std::string& body = edited[7].text[kBody];
    body.replace(0, body.find(' '), word);
    std::set<std::string> after = term_chunks(edited);
    size_t changed = 0;
    for (const std::string& name : after) changed += !before.count(name);
    EXPECT_GE(changed, 1u) << word;
    EXPECT_LE(changed, 3u) << word << ": " << changed << " of " << after.size();
  }
}

// An edit that changes a document's length, and so every score of its
// terms, rewrites the chunks of the terms whose frequency changed, the
// lengths and the manifest: a posting holds a frequency, not a score.
TEST(SearchIndexWriter, ALongerDocumentRewritesOnlyTheChunksOfItsChangedTerms) {
  std::vector<SearchDoc> docs = many_terms_of_equal_documents();
  SearchOptions o = small_chunks();
  auto files = [&](const std::vector<SearchDoc>& ds) {
    std::map<std::string, char> names;  // path → kind
    for (const SearchFile& f : build_search_index(ds, o))
      names[f.path] = f.path[std::string("search/").size()];
    return names;
  };
  std::map<std::string, char> before = files(docs);
  size_t chunks = 0;
  for (const auto& [path, kind] : before) chunks += kind == 't';
  ASSERT_GE(chunks, 30u);
  // Document 7, whose 40 terms are spread over most chunks, gets one more
  // word: a term it already has, so only that term's postings change.
  std::vector<SearchDoc> edited = docs;
  std::string& body = edited[7].text[kBody];
  body += " " + body.substr(0, body.find(' '));
  std::map<std::string, char> after = files(edited);
  std::map<char, size_t> changed;
  for (const auto& [path, kind] : after) changed[kind] += !before.count(path);
  EXPECT_EQ(changed['t'], 1u) << "of " << chunks << " term chunks";
  EXPECT_EQ(changed['l'], 1u);
  EXPECT_EQ(changed['d'], 0u);
  EXPECT_EQ(changed['w'], 0u);
  EXPECT_EQ(changed['f'], 0u);
  EXPECT_EQ(changed['i'], 0u);  // index.json: its name never changes
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

TEST(DocTerms, PackedTermsReadBackAsTheyWereAdded) {
  const std::vector<std::pair<uint32_t, float>> terms = {
      {0, 1.0f},  {127, 4.0f},     {128, 2.5f},     {300000, 0.1f},
      {5, 1e10f}, {UINT32_MAX, 7}, {42, 123456.0f}, {9, 1.0f / 3.0f}};
  DocTerms d;
  for (const auto& [t, tf] : terms) d.add_term(t, tf);
  EXPECT_EQ(d.term_count, terms.size());
  EXPECT_EQ(d.terms(), terms);  // exactly: whole or not, the float's bits
  std::vector<std::pair<uint32_t, float>> seen;
  d.for_each_term([&](uint32_t t, float tf) { seen.emplace_back(t, tf); });
  EXPECT_EQ(seen, terms);
  // Whole frequencies of small terms take 2 bytes, not 8.
  DocTerms small;
  small.set_terms({{3, 1.0f}, {100, 6.0f}});
  EXPECT_EQ(small.packed_terms.size(), 4u);
  d.set_terms({{7, 2.0f}});  // replaces
  EXPECT_EQ(d.terms(), (std::vector<std::pair<uint32_t, float>>{{7, 2.0f}}));
}

// The packed postings hold, stem by stem, each document that has the stem,
// in order, with its frequency: what the documents' own terms say.
TEST(SearchAnalysis, PackedPostingsAreEveryDocumentOfAStemInOrder) {
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 300; ++i) {
    std::string body;
    for (int w = 0; w < 20; ++w) body += "word" + std::to_string((i * 13 + w * 7) % 211) + " ";
    docs.push_back(doc("/p/" + std::to_string(i) + "/", "Post " + std::to_string(i % 17), body,
                       "2021-01-01", {i % 3 ? "Kashmir" : "Sanctions"}));
  }
  SearchOptions o;
  o.threads = 2;
  o.weights[kTitle] = 2.5;  // some frequencies not whole
  SearchAnalysis a = analyse_search_documents(
      docs.size(), [&](size_t i, SearchDoc* d) { *d = docs[i]; }, o);
  std::map<uint32_t, std::vector<std::pair<uint32_t, float>>> expected;
  for (size_t d = 0; d < a.size(); ++d)
    a.terms[d].for_each_term([&](uint32_t t, float tf) {
      expected[a.stem_of(a.terms[d], t)].emplace_back(static_cast<uint32_t>(d), tf);
    });
  ASSERT_EQ(expected.size(), a.stems.size());
  size_t count = 0;
  for (uint32_t g = 0; g < a.stems.size(); ++g) {
    std::vector<std::pair<uint32_t, float>> got;
    for (auto r = a.postings_of(g); r.next();) got.emplace_back(r.doc, r.tf);
    EXPECT_EQ(got, expected[g]) << a.stems[g];
    EXPECT_EQ(a.df(g), got.size());
    count += got.size();
  }
  EXPECT_EQ(a.posting_count(), count);
}

}  // namespace
}  // namespace byline

namespace byline {
namespace {

// The postings are laid out by these sizes before they are written: a size
// that differed from the bytes written would overrun the next stem's.
TEST(IndexWriterSizesTest, SizesAreTheBytesWritten) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 16383ull, 16384ull, (1ull << 32) - 1, ~0ull}) {
    std::string out;
    put_varint(out, v);
    EXPECT_EQ(varint_size(v), out.size()) << v;
  }
  for (float tf : {1.0f, 2.0f, 63.0f, 64.0f, 65.0f, 8191.0f, 8192.0f, 0.5f, 1.25f, 3.1f, 0.0f,
                   -1.0f, 1e9f, 2e9f, 123456789.0f}) {
    std::string out;
    put_packed_tf(out, tf);
    EXPECT_EQ(packed_tf_size(tf), out.size()) << tf;
  }
}

}  // namespace
}  // namespace byline
