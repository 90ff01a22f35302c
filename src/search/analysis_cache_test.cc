#include "search/analysis_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "search/related.h"

namespace byline {
namespace {

namespace fs = std::filesystem;

// A small archive: documents whose text is made from their number, so a
// test can change one and know what a fresh analysis would make.
SearchDoc make(int i, int version = 0, int words = 41) {
  SearchDoc d;
  d.url = "/p/" + std::to_string(i) + "/";
  d.title = "Running post " + std::to_string(i);
  d.date = "2020-01-" + std::to_string(10 + i % 20);
  d.kind = i % 7 == 3 ? "page" : "post";
  d.outlet = i % 2 ? "The Ledger" : "";
  d.tags = {i % 3 ? "Sanctions" : "Kashmir"};
  d.text[kTitle] = d.title;
  d.text[kStandfirst] = "Écrit about cafés and sanctioned governments";
  std::string body;
  for (int w = 0; w < 30; ++w)
    body += "word" + std::to_string((i * 7 + w * 3) % words) + " running runners ";
  if (version) body += " revised edition " + std::to_string(version);
  d.text[kBody] = body;
  d.text[kTags] = d.tags[0];
  d.text[kOutlet] = d.outlet;
  d.excerpt = body.substr(0, 50);
  d.cache_id = "posts/" + std::to_string(i) + ".md";
  d.cache_key = static_cast<uint64_t>(i) * 1000 + static_cast<uint64_t>(version);
  return d;
}

// The index files and related posts of an analysis, as one comparable map.
std::map<std::string, std::string> outputs(const SearchAnalysis& a, const SearchOptions& o) {
  std::map<std::string, std::string> out;
  for (SearchFile& f : write_search_index(a, o)) out[f.path] = std::move(f.bytes);
  RelatedOptions ro;
  ro.terms = 6;
  std::vector<std::vector<uint32_t>> rel = related_documents(a, ro);
  std::string r;
  for (const auto& list : rel) {
    for (uint32_t d : list) r += std::to_string(d) + ",";
    r += ";";
  }
  out["related"] = r;
  return out;
}

struct SearchCacheTest : testing::Test {
  fs::path dir;
  std::string path;
  SearchOptions options;
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("byline-search-cache-" +
           std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    path = (dir / "search.bin").string();
    options.threads = 2;
  }
  void TearDown() override { fs::remove_all(dir); }

  SearchAnalysis analyse(const std::vector<SearchDoc>& docs, std::shared_ptr<SearchCache> cache,
                         size_t* made = nullptr) {
    size_t calls = 0;
    std::mutex mu;
    auto source = [&](size_t i, SearchDoc* d) {
      std::lock_guard lock(mu);
      ++calls;
      *d = docs[i];
    };
    // The record without its text, as a site's would be.
    auto meta = [&](size_t i, SearchDoc* d) {
      *d = docs[i];
      d->text[kBody].clear();
      d->excerpt.clear();
    };
    SearchAnalysis a = analyse_search_documents(docs.size(), source, options, cache, meta);
    if (made) *made = calls;
    return a;
  }
};

TEST_F(SearchCacheTest, KeptAnalysisGivesTheSameIndexAndRelatedPostsAsAFreshOne) {
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 60; ++i) docs.push_back(make(i));
  SearchAnalysis first = analyse(docs, nullptr);
  std::string error;
  ASSERT_TRUE(save_search_cache(path, search_options_fingerprint(options), first, &error)) << error;

  // One edited, one gone, one new; the rest come from the file.
  docs[5] = make(5, 1);
  docs.erase(docs.begin() + 20);
  docs.push_back(make(100));
  auto cache = std::make_shared<SearchCache>();
  ASSERT_TRUE(cache->load(path, search_options_fingerprint(options)));
  EXPECT_EQ(cache->doc_count(), 60u);
  size_t made = 0;
  SearchAnalysis kept = analyse(docs, cache, &made);
  EXPECT_EQ(made, 2u);
  EXPECT_EQ(kept.analysed, 2u);
  SearchAnalysis fresh = analyse(docs, nullptr);
  EXPECT_EQ(fresh.analysed, docs.size());
  EXPECT_EQ(outputs(kept, options), outputs(fresh, options));
  for (size_t d = 0; d < docs.size(); ++d) EXPECT_EQ(kept.docs[d].excerpt, docs[d].excerpt);

  // Saved again from the mixed analysis, it still gives the same.
  ASSERT_TRUE(save_search_cache(path, search_options_fingerprint(options), kept, &error));
  auto again = std::make_shared<SearchCache>();
  ASSERT_TRUE(again->load(path, search_options_fingerprint(options)));
  SearchAnalysis third = analyse(docs, again, &made);
  EXPECT_EQ(made, 0u);
  EXPECT_EQ(outputs(third, options), outputs(fresh, options));
}

// With few documents analysed afresh, the kept file's documents are copied
// and its tables extended; the next build reads the extended file as well.
TEST_F(SearchCacheTest, FewEditsExtendTheKeptFileAndItStillReadsTheSame) {
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 400; ++i) docs.push_back(make(i, 0, 1500));
  std::string error;
  bool appended = true;
  ASSERT_TRUE(save_search_cache(path, search_options_fingerprint(options), analyse(docs, nullptr),
                                &error, &appended));
  EXPECT_FALSE(appended);
  for (int round = 1; round <= 3; ++round) {
    docs[static_cast<size_t>(round * 17)] = make(round * 17, round, 1500);
    docs.push_back(make(1000 + round, round, 1500));  // words no document had
    docs.back().text[kBody] += " zanzibarring" + std::to_string(round) + " lighthousing";
    auto cache = std::make_shared<SearchCache>();
    ASSERT_TRUE(cache->load(path, search_options_fingerprint(options)));
    size_t made = 0;
    SearchAnalysis kept = analyse(docs, cache, &made);
    EXPECT_EQ(made, 2u);
    EXPECT_EQ(outputs(kept, options), outputs(analyse(docs, nullptr), options)) << round;
    ASSERT_TRUE(
        save_search_cache(path, search_options_fingerprint(options), kept, &error, &appended));
    EXPECT_TRUE(appended) << round;
  }
  auto cache = std::make_shared<SearchCache>();
  ASSERT_TRUE(cache->load(path, search_options_fingerprint(options)));
  size_t made = 1;
  SearchAnalysis last = analyse(docs, cache, &made);
  EXPECT_EQ(made, 0u);
  EXPECT_EQ(outputs(last, options), outputs(analyse(docs, nullptr), options));
}

// The file is written a batch of documents at a time: its bytes are the
// same whatever the batch, made afresh or extended.
TEST_F(SearchCacheTest, TheFileIsTheSameWhateverBatchItIsWrittenIn) {
  auto read = [](const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 50; ++i) docs.push_back(make(i, 0, 300));
  docs[7].cache_id.clear();  // not kept
  SearchAnalysis fresh = analyse(docs, nullptr);
  const uint64_t fp = search_options_fingerprint(options);
  std::string error;
  bool appended = true;
  ASSERT_TRUE(save_search_cache(path, fp, fresh, &error, &appended, 4096)) << error;
  EXPECT_FALSE(appended);
  const std::string whole = read(path);
  for (size_t batch : {1, 3, 16, 49, 50}) {
    ASSERT_TRUE(save_search_cache(path, fp, fresh, &error, &appended, batch)) << error;
    EXPECT_EQ(read(path), whole) << batch;
  }
  auto cache = std::make_shared<SearchCache>();
  ASSERT_TRUE(cache->load(path, fp));
  EXPECT_EQ(cache->doc_count(), 49u);

  const std::string kept_path = path + ".kept";
  std::filesystem::copy_file(path, kept_path);
  docs[11] = make(11, 1, 300);
  auto kept_cache = std::make_shared<SearchCache>();
  ASSERT_TRUE(kept_cache->load(kept_path, fp));
  SearchAnalysis kept = analyse(docs, kept_cache);
  ASSERT_TRUE(save_search_cache(path, fp, kept, &error, &appended, 4096)) << error;
  EXPECT_TRUE(appended);
  const std::string extended = read(path);
  for (size_t batch : {1, 7, 50}) {
    ASSERT_TRUE(save_search_cache(path, fp, kept, &error, &appended, batch)) << error;
    EXPECT_TRUE(appended);
    EXPECT_EQ(read(path), extended) << batch;
  }
  auto again = std::make_shared<SearchCache>();
  ASSERT_TRUE(again->load(path, fp));
  size_t made = 1;
  SearchAnalysis third = analyse(docs, again, &made);
  EXPECT_EQ(made, 1u);  // the one not kept
  EXPECT_EQ(outputs(third, options), outputs(analyse(docs, nullptr), options));
}

TEST_F(SearchCacheTest, AFileThatCannotBeVouchedForIsNoCache) {
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 10; ++i) docs.push_back(make(i));
  std::string error;
  ASSERT_TRUE(
      save_search_cache(path, search_options_fingerprint(options), analyse(docs, nullptr), &error));
  SearchCache ok;
  EXPECT_TRUE(ok.load(path, search_options_fingerprint(options)));
  EXPECT_EQ(ok.find("posts/3.md", 3000), 3);
  EXPECT_EQ(ok.find("posts/3.md", 3001), -1);  // another key: analysed again
  EXPECT_EQ(ok.find("posts/99.md", 99000), -1);

  // Other options (the language, a weight) make other analyses.
  SearchOptions other = options;
  other.weights[kBody] = 3;
  EXPECT_FALSE(SearchCache().load(path, search_options_fingerprint(other)));
  other = options;
  other.language = "fr";
  EXPECT_FALSE(SearchCache().load(path, search_options_fingerprint(other)));

  // A byte changed, a file cut short, no file.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (size_t at : {size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x20);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bad;
    EXPECT_FALSE(SearchCache().load(path, search_options_fingerprint(options))) << at;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 3);
  EXPECT_FALSE(SearchCache().load(path, search_options_fingerprint(options)));
  fs::remove(path);
  EXPECT_FALSE(SearchCache().load(path, search_options_fingerprint(options)));
}

TEST_F(SearchCacheTest, FractionalWeightsAreKeptExactly) {
  options.weights = {3.7, 1.3, 0.9, 2.0, 0.0, 1.0};
  std::vector<SearchDoc> docs;
  for (int i = 0; i < 20; ++i) docs.push_back(make(i));
  SearchAnalysis fresh = analyse(docs, nullptr);
  std::string error;
  ASSERT_TRUE(save_search_cache(path, search_options_fingerprint(options), fresh, &error));
  auto cache = std::make_shared<SearchCache>();
  ASSERT_TRUE(cache->load(path, search_options_fingerprint(options)));
  size_t made = 1;
  SearchAnalysis kept = analyse(docs, cache, &made);
  EXPECT_EQ(made, 0u);
  EXPECT_EQ(outputs(kept, options), outputs(fresh, options));
}

}  // namespace
}  // namespace byline
