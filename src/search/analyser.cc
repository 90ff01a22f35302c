#include "search/analyser.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace byline {

namespace {

// Short lists of the commonest function words, written for byline and
// already folded (no accents). They keep the index small and the ranking
// on the words that carry meaning; a query made only of stop words finds
// nothing, as the search page says.
const std::map<std::string_view, std::vector<std::string_view>>& stop_lists() {
  static const std::map<std::string_view, std::vector<std::string_view>> lists = {
      {"en", {"a",    "an",    "and",   "are",  "as",    "at",    "be",   "but",  "by", "for",
              "from", "had",   "has",   "have", "he",    "her",   "his",  "i",    "in", "into",
              "is",   "it",    "its",   "of",   "on",    "or",    "s",    "she",  "t",  "that",
              "the",  "their", "them",  "then", "there", "these", "they", "this", "to", "was",
              "we",   "were",  "which", "will", "with",  "would", "you"}},
      {"de", {"aber", "als", "am",  "an",  "auch", "auf",  "aus",   "bei",   "das",   "dass", "dem",
              "den",  "der", "des", "die", "ein",  "eine", "einem", "einen", "einer", "es",   "fur",
              "hat",  "ich", "im",  "in",  "ist",  "mit",  "nicht", "noch",  "oder",  "sich", "sie",
              "sind", "und", "von", "vom", "war",  "wie",  "wir",   "zu",    "zum",   "zur"}},
      {"fr",
       {"au",   "aux", "avec", "ce",  "ces",  "dans", "de", "des", "du",   "elle", "en",   "est",
        "et",   "il",  "ils",  "je",  "l",    "la",   "le", "les", "leur", "lui",  "mais", "ne",
        "nous", "on",  "ou",   "par", "pas",  "pour", "qu", "que", "qui",  "sa",   "se",   "ses",
        "son",  "sur", "un",   "une", "vous", "d",    "c",  "n",   "s"}},
      {"es", {"a",   "al",  "como", "con", "de",  "del", "el", "en",  "es",   "esta",
              "la",  "las", "le",   "lo",  "los", "mas", "no", "o",   "para", "pero",
              "por", "que", "se",   "si",  "su",  "sus", "un", "una", "y",    "ya"}},
      {"it",
       {"a",  "al", "alla", "che", "con", "da",  "del", "della", "di", "e",  "gli", "i",   "il",
        "in", "la", "le",   "lo",  "ma",  "non", "per", "si",    "su", "un", "una", "uno", "l"}},
      {"nl", {"aan", "als", "bij", "dat", "de",   "den", "der",  "die", "dit",  "een",
              "en",  "er",  "het", "hij", "in",   "is",  "maar", "met", "niet", "of",
              "om",  "op",  "te",  "van", "voor", "was", "wat",  "ze",  "zijn", "zich"}},
      {"pt",
       {"a",  "ao",  "as", "com", "da", "das",  "de",  "do",  "dos", "e",   "em",  "na", "nao",
        "no", "nos", "o",  "os",  "ou", "para", "por", "que", "se",  "sua", "seu", "um", "uma"}},
      {"sv", {"att", "av",  "de",  "den", "det", "en",  "ett",  "for", "har", "i",
              "med", "men", "och", "om",  "pa",  "som", "till", "var", "vi",  "ar"}},
  };
  return lists;
}

std::string_view base_language(std::string_view language) {
  size_t cut = language.find_first_of("-_");
  return language.substr(0, cut);
}

}  // namespace

const std::vector<std::string_view>& stop_words(std::string_view language) {
  static const std::vector<std::string_view> none;
  std::string lower(base_language(language));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = stop_lists().find(lower);
  return it == stop_lists().end() ? none : it->second;
}

size_t decode_utf8(std::string_view s, size_t at, int32_t* cp) {
  utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + at),
                                          static_cast<utf8proc_ssize_t>(s.size() - at), cp);
  if (len <= 0) {
    *cp = 0xFFFD;
    return 1;
  }
  return static_cast<size_t>(len);
}

bool is_word_codepoint(int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

std::string fold_slow(std::string_view word) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(word.data()),
                   static_cast<utf8proc_ssize_t>(word.size()), &out,
                   static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                                  UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  if (len < 0) return std::string();
  std::string folded(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  std::free(out);
  return folded;
}

std::string fold(std::string_view word) {
  std::string out;
  for_each_word(word, [&](std::string_view w) { out += w; });
  return out;
}

Analyser::Analyser(std::string_view language) {
  std::string lang(base_language(language));
  for (char& c : lang) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!lang.empty()) stemmer_ = sb_stemmer_new(lang.c_str(), "UTF_8");
  const auto& stop = stop_words(lang);
  stop_.assign(stop.begin(), stop.end());
  std::sort(stop_.begin(), stop_.end());
  grow();
}

Analyser::~Analyser() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

size_t Analyser::add_word(std::string_view folded, uint32_t hash, uint64_t prefix) {
  uint32_t term = kStop;
  if (!std::binary_search(stop_.begin(), stop_.end(), folded)) {
    std::string_view stem = folded;
    if (stemmer_) {
      const sb_symbol* s =
          sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded.data()),
                          static_cast<int>(folded.size()));
      if (s)
        stem = std::string_view(reinterpret_cast<const char*>(s),
                                static_cast<size_t>(sb_stemmer_length(stemmer_)));
    }
    auto [sit, inserted] =
        stem_ids_.try_emplace(std::string(stem), static_cast<uint32_t>(stems_.size()));
    if (inserted) stems_.emplace_back(stem);
    term = sit->second;
  }
  if (2 * (used_ + 1) > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].len != 0) i = (i + 1) & mask;
  const uint32_t id = static_cast<uint32_t>(words_.size());
  Slot& s = slots_[i];
  s.prefix = prefix;
  s.hash = hash;
  s.word = id;
  s.offset = static_cast<uint32_t>(arena_.size());
  s.len = static_cast<uint16_t>(folded.size());
  s.term = term;
  s.stemmed = term != kStop && stems_[term] != folded;
  arena_.append(folded);
  Word& w = words_.emplace_back();
  w.offset = s.offset;
  w.len = s.len;
  w.term = term;
  w.stemmed = s.stemmed;
  ++used_;
  return i;
}

void Analyser::grow() {
  std::vector<Slot> old(std::max<size_t>(slots_.size() * 2, 1 << 12));
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.len == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].len != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::vector<std::string> Analyser::analyse(std::string_view text) {
  std::vector<std::string> out;
  terms(text, [&](uint32_t t) { out.push_back(stems_[t]); });
  return out;
}

}  // namespace byline
