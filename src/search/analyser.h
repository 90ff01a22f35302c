// Text analysis for the search index: words cut out of Unicode text, case
// folded with their diacritics removed, stop words dropped and the rest
// reduced to their Snowball stems for the site's language. The browser
// does the same to a query (themes/default/static/search.js): it folds and
// splits alike, and finds each word's stem in the index's vocabulary, so
// the two sides never need to agree on a stemmer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sb_stemmer;

namespace byline {

// Stop words of a language ("en", "de", "fr", "es", "it", "nl", "pt",
// "sv"), already folded; empty for others.
const std::vector<std::string_view>& stop_words(std::string_view language);

// Case folded, diacritics removed: "Café" → "cafe", "Straße" → "strasse".
std::string fold(std::string_view word);

// Calls fn(word) for each word of `text`, folded. A word is a run of
// letters, digits and combining marks; anything else separates words
// (so "don't" is "don" and "t"). Words longer than kMaxWordBytes are cut.
constexpr size_t kMaxWordBytes = 48;
template <class Fn>
void for_each_word(std::string_view text, Fn&& fn);

// One analyser per thread: it keeps the stemmer (not thread-safe) and a
// cache of every word it has seen, which is also how the index learns the
// vocabulary (word → stem) the browser needs.
class Analyser {
 public:
  static constexpr uint32_t kStop = UINT32_MAX;

  // `language` is the site's ("en", "en-GB", "fr"); a language libstemmer
  // does not know is not stemmed.
  explicit Analyser(std::string_view language);
  ~Analyser();
  Analyser(const Analyser&) = delete;
  Analyser& operator=(const Analyser&) = delete;

  bool stems() const { return stemmer_ != nullptr; }

  // What the analyser knows of a folded word: its number (see word()), its
  // term (see stem(), or kStop) and whether its stem differs from it. The
  // word is added when it is new.
  struct Seen {
    uint32_t word, term;
    bool stemmed;
  };
  Seen see(std::string_view folded) {
    uint64_t prefix = 0;
    std::memcpy(&prefix, folded.data(), std::min<size_t>(8, folded.size()));
    const uint32_t h = word_hash(folded, prefix);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.len == 0) return seen_of(slots_[add_word(folded, h, prefix)]);
      if (s.hash == h && s.len == folded.size() && s.prefix == prefix &&
          (folded.size() <= 8 ||
           std::memcmp(arena_.data() + s.offset + 8, folded.data() + 8, folded.size() - 8) == 0))
        return seen_of(s);
    }
  }
  // The number of a folded word in this analyser (see word()), the word
  // added when it is new.
  uint32_t word_of(std::string_view folded) { return see(folded).word; }
  // The stem of a folded word, as a number of this analyser (see stem()),
  // or kStop for a stop word.
  uint32_t term_of(std::string_view folded) { return see(folded).term; }
  // Calls fn(term number) for each word of text that is not a stop word.
  template <class Fn>
  void terms(std::string_view text, Fn&& fn) {
    for_each_word(text, [&](std::string_view w) {
      uint32_t t = see(w).term;
      if (t != kStop) fn(t);
    });
  }
  // Calls fn(term number, word number, whether the word's stem differs
  // from it) for each word of text that is not a stop word.
  template <class Fn>
  void terms_and_words(std::string_view text, Fn&& fn) {
    for_each_word(text, [&](std::string_view w) {
      Seen s = see(w);
      if (s.term != kStop) fn(s.term, s.word, s.stemmed);
    });
  }
  // The stem a term number stands for.
  const std::string& stem(uint32_t term) const { return stems_[term]; }
  size_t term_count() const { return stems_.size(); }
  // The words seen, by number: the folded word, its term (or kStop), and
  // whether its stem differs from it (the vocabulary the browser needs).
  size_t word_count() const { return words_.size(); }
  std::string_view word(uint32_t id) const {
    return std::string_view(arena_.data() + words_[id].offset, words_[id].len);
  }
  uint32_t word_term(uint32_t id) const { return words_[id].term; }
  bool word_stemmed(uint32_t id) const { return words_[id].stemmed; }
  // Every word seen whose stem differs from it: (word, term number).
  template <class Fn>
  void for_each_stemmed_word(Fn&& fn) const {
    for (uint32_t id = 0; id < words_.size(); ++id)
      if (words_[id].stemmed) fn(word(id), words_[id].term);
  }

  // Convenience for tests and small inputs: the stems of text, in order.
  std::vector<std::string> analyse(std::string_view text);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // The words seen, in an open-addressing table (a word is looked up for
  // every word of every document: a node-based map's pointer chasing was
  // the largest part of the analysis). A slot holds the word's first 8
  // bytes, so most comparisons never leave the table, and what a lookup
  // answers (its term, whether it is stemmed), so that a word of a document
  // costs one cache line: two slots to a line.
  struct alignas(32) Slot {
    uint64_t prefix = 0;
    uint32_t hash = 0;
    uint32_t word = 0;    // in words_
    uint32_t offset = 0;  // in arena_
    uint32_t term = 0;    // as Word::term
    uint16_t len = 0;     // 0: empty
    bool stemmed = false;
  };
  static_assert(sizeof(Slot) == 32);
  static Seen seen_of(const Slot& s) { return {s.word, s.term, s.stemmed}; }
  struct Word {
    uint32_t offset = 0, len = 0;  // in arena_
    uint32_t term = 0;
    bool stemmed = false;
  };
  // A multiply-and-fold hash of a short word, its first 8 bytes given.
  static uint32_t word_hash(std::string_view w, uint64_t prefix) {
    uint64_t h = (prefix ^ w.size()) * 0x9E3779B97F4A7C15ull;
    for (size_t i = 8; i < w.size(); i += 8) {
      uint64_t c = 0;
      std::memcpy(&c, w.data() + i, std::min<size_t>(8, w.size() - i));
      h = (h ^ (h >> 31) ^ c) * 0xff51afd7ed558ccdull;
    }
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ull;
    return static_cast<uint32_t>(h ^ (h >> 32));
  }
  // Adds a new word; returns its slot.
  size_t add_word(std::string_view folded, uint32_t hash, uint64_t prefix);
  void grow();

  sb_stemmer* stemmer_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<Word> words_;
  size_t used_ = 0;
  std::string arena_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> stem_ids_;
  std::vector<std::string> stems_;
  std::vector<std::string_view> stop_;
};

// Implementation of for_each_word: ASCII is handled inline; a word with
// other characters goes through utf8proc.
bool is_word_codepoint(int32_t cp);
// Decodes the character at `at` into *cp (U+FFFD when malformed); returns
// its length in bytes (at least 1).
size_t decode_utf8(std::string_view s, size_t at, int32_t* cp);
std::string fold_slow(std::string_view word);

// What a byte is to the tokeniser: 0 separates words (ASCII punctuation,
// spaces), 1 is a lower-case letter or digit, 2 an upper-case letter, 3 a
// byte of a multi-byte character (which utf8proc classifies).
struct ByteClasses {
  uint8_t of[256];
  constexpr ByteClasses() : of() {
    for (int c = 0; c < 256; ++c)
      of[c] = c >= 0x80                                          ? 3
              : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? 1
              : (c >= 'A' && c <= 'Z')                           ? 2
                                                                 : 0;
  }
};
inline constexpr ByteClasses kByteClasses;

template <class Fn>
void for_each_word(std::string_view text, Fn&& fn) {
  std::string buf;
  size_t i = 0;
  const size_t n = text.size();
  const uint8_t* cls = kByteClasses.of;
  auto at = [&](size_t k) { return cls[static_cast<unsigned char>(text[k])]; };
  while (i < n) {
    // Skip separators.
    while (i < n) {
      uint8_t c = at(i);
      if (c == 0) {
        ++i;
        continue;
      }
      if (c == 3) {
        int32_t cp = 0;
        size_t len = decode_utf8(text, i, &cp);
        if (is_word_codepoint(cp)) break;
        i += len;
        continue;
      }
      break;
    }
    if (i >= n) break;
    const size_t start = i;
    bool ascii = true, upper = false;
    while (i < n) {
      uint8_t c = at(i);
      if (c == 1 || c == 2) {
        upper |= c == 2;
        ++i;
        continue;
      }
      if (c == 0) break;
      int32_t cp = 0;
      size_t len = decode_utf8(text, i, &cp);
      if (!is_word_codepoint(cp)) break;
      ascii = false;
      i += len;
    }
    std::string_view word = text.substr(start, i - start);
    if (ascii) {
      word = word.substr(0, kMaxWordBytes);
      // Most words are already folded: handed over as they are.
      if (!upper) {
        fn(word);
        continue;
      }
      buf.assign(word);
      for (char& c : buf)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    } else {
      buf = fold_slow(word);
      if (buf.size() > kMaxWordBytes) {
        size_t cut = kMaxWordBytes;
        while (cut > 0 && (static_cast<unsigned char>(buf[cut]) & 0xC0) == 0x80) --cut;
        buf.resize(cut);
      }
      if (buf.empty()) continue;
    }
    fn(std::string_view(buf));
  }
}

}  // namespace byline
