#include "search/analyser.h"

#include <gtest/gtest.h>

#include <set>

namespace byline {
namespace {

TEST(SearchAnalyser, FoldsCaseAndDiacritics) {
  EXPECT_EQ(fold("Café"), "cafe");
  EXPECT_EQ(fold("ÉCOLE"), "ecole");
  EXPECT_EQ(fold("Straße"), "strasse");
  EXPECT_EQ(fold("Łódź"), "łodz");  // Ł is a letter of its own, not L with a mark
  EXPECT_EQ(fold("naïve"), "naive");
}

TEST(SearchAnalyser, SplitsWordsOnAnythingButLettersAndDigits) {
  std::vector<std::string> words;
  for_each_word("Hong Kong's press—freedom, 2019; «Ça va?» 東京 x",
                [&](std::string_view w) { words.emplace_back(w); });
  std::vector<std::string> want = {"hong", "kong", "s",  "press", "freedom",
                                   "2019", "ca",   "va", "東京",  "x"};
  EXPECT_EQ(words, want);
}

TEST(SearchAnalyser, CutsVeryLongWords) {
  std::vector<std::string> words;
  for_each_word(std::string(100, 'a') + " " + std::string(40, 'b'),
                [&](std::string_view w) { words.emplace_back(w); });
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0].size(), kMaxWordBytes);
  EXPECT_EQ(words[1].size(), 40u);
}

TEST(SearchAnalyser, StemsEnglishAndDropsStopWords) {
  Analyser a("en");
  ASSERT_TRUE(a.stems());
  std::vector<std::string> want = {"run", "runner", "elect", "kashmir"};
  EXPECT_EQ(a.analyse("The running of the Runners: elections in Kashmir"), want);
  // The same stem is one term.
  EXPECT_EQ(a.term_of("running"), a.term_of("run"));
  EXPECT_EQ(a.term_of("the"), Analyser::kStop);
}

TEST(SearchAnalyser, RegionalLanguageCodeUsesTheLanguage) {
  Analyser a("en-GB");
  ASSERT_TRUE(a.stems());
  EXPECT_EQ(a.analyse("connections"), std::vector<std::string>{"connect"});
}

TEST(SearchAnalyser, StemsFrenchAndGerman) {
  Analyser fr("fr");
  EXPECT_EQ(fr.analyse("les élections présidentielles"),
            (std::vector<std::string>{"elect", "presidentiel"}));
  Analyser de("de");
  EXPECT_EQ(de.analyse("Die Häuser und das Haus"), (std::vector<std::string>{"haus", "haus"}));
}

TEST(SearchAnalyser, UnknownLanguageIsNotStemmed) {
  Analyser a("xx");
  EXPECT_FALSE(a.stems());
  EXPECT_EQ(a.analyse("Running Elections"), (std::vector<std::string>{"running", "elections"}));
  EXPECT_TRUE(stop_words("xx").empty());
}

TEST(SearchAnalyser, VocabularyListsWordsWhoseStemDiffers) {
  Analyser a("en");
  a.analyse("running run elections kashmir");
  std::map<std::string, std::string> seen;
  a.for_each_stemmed_word(
      [&](std::string_view w, uint32_t t) { seen[std::string(w)] = a.stem(t); });
  std::map<std::string, std::string> want = {{"running", "run"}, {"elections", "elect"}};
  EXPECT_EQ(seen, want);
}

TEST(SearchAnalyser, LookupAnswersAsTheWordTablesSay) {
  // What see() answers from the hash table (the term and whether the stem
  // differs, kept in the slot) is what the word tables hold, through the
  // table's growth and for long words (compared past their first 8 bytes).
  Analyser a("en");
  std::vector<std::string> words = {"running",           "run",     "the",
                                    "elections",         "kashmir", "internationalisation",
                                    "internationalised", "b"};
  for (int i = 0; i < 20000; ++i)
    words.push_back("w" + std::to_string(i * 7919) + (i % 3 ? "ing" : "s"));
  std::vector<Analyser::Seen> first;
  for (const std::string& w : words) first.push_back(a.see(w));
  ASSERT_EQ(a.word_count(), words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    Analyser::Seen s = a.see(words[i]);
    EXPECT_EQ(s.word, first[i].word) << words[i];
    EXPECT_EQ(s.term, first[i].term) << words[i];
    EXPECT_EQ(a.word(s.word), words[i]);
    EXPECT_EQ(a.word_term(s.word), s.term);
    EXPECT_EQ(a.word_stemmed(s.word), s.stemmed);
    EXPECT_EQ(s.stemmed, s.term != Analyser::kStop && a.stem(s.term) != words[i]) << words[i];
  }
  EXPECT_EQ(a.word_count(), words.size());  // nothing added twice
  EXPECT_EQ(a.term_of("the"), Analyser::kStop);
  EXPECT_EQ(a.stem(a.term_of("internationalised")), "internationalis");
  EXPECT_EQ(a.term_of("running"), a.term_of("run"));
}

TEST(SearchAnalyser, ShortWordsDifferingInAnyByteAreDifferentWords) {
  // The table compares a word's first 8 bytes as a number read in pieces:
  // each byte of a word of 1 to 10 bytes counts.
  Analyser a("xx");
  std::vector<std::string> words;
  for (size_t n = 1; n <= 10; ++n) {
    std::string base(n, 'k');
    words.push_back(base);
    for (size_t i = 0; i < n; ++i) {
      std::string w = base;
      w[i] = 'q';
      words.push_back(w);
    }
  }
  std::set<uint32_t> ids;
  for (const std::string& w : words) ids.insert(a.word_of(w));
  EXPECT_EQ(ids.size(), words.size());
  for (const std::string& w : words) EXPECT_EQ(a.word(a.word_of(w)), w);
}

TEST(SearchAnalyser, StopWordListsAreFoldedAndSorted) {
  for (const char* lang : {"en", "de", "fr", "es", "it", "nl", "pt", "sv"}) {
    const auto& list = stop_words(lang);
    EXPECT_FALSE(list.empty()) << lang;
    for (std::string_view w : list) EXPECT_EQ(fold(w), w) << lang;
  }
}

}  // namespace
}  // namespace byline
