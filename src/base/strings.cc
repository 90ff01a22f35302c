// Text helpers; Unicode handling goes through utf8proc.
#include "base/strings.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace byline {

namespace {

// Latin letters that do not decompose to an ASCII base letter plus marks.
const char* latin_special(utf8proc_int32_t c) {
  switch (c) {
    case 0xDF:
      return "ss";  // ß
    case 0xE6:
      return "ae";  // æ (after case folding)
    case 0xF8:
      return "o";  // ø
    case 0xF0:
      return "d";  // ð
    case 0xFE:
      return "th";  // þ
    case 0x111:
      return "d";  // đ
    case 0x127:
      return "h";  // ħ
    case 0x131:
      return "i";  // ı
    case 0x142:
      return "l";  // ł
    case 0x153:
      return "oe";  // œ
    default:
      return nullptr;
  }
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_hyphen = false;
  auto put = [&](std::string_view piece) {
    if (pending_hyphen && !out.empty()) out += '-';
    pending_hyphen = false;
    out += piece;
  };
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
    if (n <= 0) {  // invalid byte: treat as a separator
      p += 1;
      left -= 1;
      pending_hyphen = true;
      continue;
    }
    p += n;
    left -= n;
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        char ch = static_cast<char>(c);
        put({&ch, 1});
      } else if (c >= 'A' && c <= 'Z') {
        char ch = static_cast<char>(c - 'A' + 'a');
        put({&ch, 1});
      } else if (c == '\'') {
        // Apostrophes join: "don't" → "dont", as WordPress does.
      } else {
        pending_hyphen = true;
      }
      continue;
    }
    if (c == 0x2019 || c == 0x2018) continue;  // curly apostrophes join too
    utf8proc_category_t cat = utf8proc_category(c);
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    bool mark = cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
    bool digit = cat == UTF8PROC_CATEGORY_ND;
    if (mark) {
      // Combining marks belong to the previous letter; in Latin text they
      // are accents and dropped, elsewhere (Devanagari vowel signs) kept.
      if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0x80) {
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t m = utf8proc_encode_char(c, buf);
        out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(m));
      }
      continue;
    }
    if (!letter && !digit) {
      pending_hyphen = true;
      continue;
    }
    c = utf8proc_tolower(c);
    if (const char* s = latin_special(c)) {
      put(s);
      continue;
    }
    // Decompose and keep the base letter when it is ASCII (é → e).
    utf8proc_int32_t dec[8];
    int last_class = 0;
    utf8proc_ssize_t m = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, &last_class);
    if (m > 0 && dec[0] < 0x80) {
      std::string ascii;
      for (utf8proc_ssize_t k = 0; k < m; ++k)
        if (dec[k] < 0x80) ascii += static_cast<char>(utf8proc_tolower(dec[k]));
      put(ascii);
      continue;
    }
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t len = utf8proc_encode_char(c, buf);
    put({reinterpret_cast<char*>(buf), static_cast<size_t>(len)});
  }
  return out;
}

uint32_t html_char_reference(std::string_view ref) {
  if (ref.empty()) return 0;
  if (ref[0] == '#') {
    bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    uint32_t cp = 0;
    for (char d : digits) {
      uint32_t v;
      if (d >= '0' && d <= '9') {
        v = static_cast<uint32_t>(d - '0');
      } else if (hex && ((d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F'))) {
        v = static_cast<uint32_t>((d | 0x20) - 'a' + 10);
      } else {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + v;
      if (cp > 0x10FFFF) return 0;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return cp;
  }
  // The names writers and WordPress put in posts; HTML has some two
  // thousand more, which stay as they are written.
  static constexpr struct {
    std::string_view name;
    uint32_t cp;
  } kNames[] = {
      {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},     {"nbsp", 0xA0},    {"mdash", 0x2014}, {"ndash", 0x2013},
      {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
      {"rdquo", 0x201D},  {"laquo", 0xAB},   {"raquo", 0xBB},   {"copy", 0xA9},
      {"reg", 0xAE},      {"trade", 0x2122}, {"shy", 0xAD},     {"middot", 0xB7},
      {"bull", 0x2022},   {"deg", 0xB0},     {"euro", 0x20AC},  {"pound", 0xA3},
  };
  for (const auto& n : kNames)
    if (n.name == ref) return n.cp;
  return 0;
}

void append_utf8(std::string& out, uint32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
}

size_t find_invalid_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Whole files are checked on load: skip plain ASCII 64 bytes at a time
    // where SSE2 is there (one test for four loads), else a word at a time.
#ifdef __SSE2__
    if (n - i >= 64) {
      const auto* q = reinterpret_cast<const __m128i*>(text.data() + i);
      __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                 _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
      if (_mm_movemask_epi8(any) == 0) {
        i += 64;
        continue;
      }
    }
#endif
    uint64_t word;
    if (n - i >= 8 && (std::memcpy(&word, text.data() + i, 8), (word & 0x8080808080808080u) == 0)) {
      i += 8;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                         static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) return i;
    i += static_cast<size_t>(len);
  }
  return std::string_view::npos;
}

namespace {

// An escaping: for each byte its replacement, which is the byte itself
// (size 1, `keep`), nothing (size 0) or an entity of up to 8 bytes. Entities
// are stored padded to 8 so that one fixed-size copy writes any of them.
struct Escaping {
  struct Rep {
    char text[8];
    unsigned char size;
  };
  bool keep[256] = {};
  Rep rep[256] = {};
  constexpr void set(unsigned char c, std::string_view entity) {
    keep[c] = false;
    rep[c] = {};
    for (size_t i = 0; i < entity.size(); ++i) rep[c].text[i] = entity[i];
    rep[c].size = static_cast<unsigned char>(entity.size());
  }
  constexpr Escaping() {
    for (int i = 0; i < 256; ++i) keep[i] = true;
  }
};

// Markupsafe's five, as Jinja2 escapes.
constexpr Escaping make_html_escaping() {
  Escaping e;
  e.set('&', "&amp;");
  e.set('<', "&lt;");
  e.set('>', "&gt;");
  e.set('"', "&#34;");
  e.set('\'', "&#39;");
  return e;
}

// XML's five, and C0 control characters dropped: XML 1.0 cannot carry them
// at all, escaped or not (tab, newline and carriage return excepted).
constexpr Escaping make_xml_escaping() {
  Escaping e;
  for (int i = 0; i < 0x20; ++i) {
    if (i != '\t' && i != '\n' && i != '\r') e.set(static_cast<unsigned char>(i), "");
  }
  e.set('&', "&amp;");
  e.set('<', "&lt;");
  e.set('>', "&gt;");
  e.set('"', "&quot;");
  e.set('\'', "&apos;");
  return e;
}

constexpr Escaping kHtmlEscaping = make_html_escaping();
constexpr Escaping kXmlEscaping = make_xml_escaping();

// The block scan below looks only at bytes up to 0x1F and the five markup
// characters; an escaping that changed any other byte would be missed there.
constexpr bool block_scan_covers(const Escaping& e) {
  for (int c = 0x20; c < 256; ++c) {
    if (!e.keep[c] && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') return false;
  }
  return true;
}
static_assert(block_scan_covers(kHtmlEscaping) && block_scan_covers(kXmlEscaping));

inline char* put_escaped(char* w, unsigned char c, const Escaping& e) {
  if (e.keep[c]) {
    *w = static_cast<char>(c);
    return w + 1;
  }
  std::memcpy(w, e.rep[c].text, 8);
  return w + e.rep[c].size;
}

// Escapes `text` onto `out`. The hot loop of full-content feeds and of every
// template's output: a slice of the input at a time is escaped into a buffer
// on the stack (sixteen bytes at a time where SSE2 is there, when none of
// them is a byte either escaping may change) and appended once, rather than
// each run between special bytes being appended on its own.
void append_escaped_with(std::string& out, std::string_view text, const Escaping& e) {
  constexpr size_t kSlice = 512;
  char buf[kSlice * 8 + 16];  // every byte may become an entity of up to 8
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char* const stop = p + std::min<size_t>(kSlice, static_cast<size_t>(end - p));
    char* w = buf;
#ifdef __SSE2__
    const __m128i c1f = _mm_set1_epi8(0x1F);
    const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');
    const __m128i quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
    while (stop - p >= 16) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      // Bytes up to 0x1F (unsigned), then the five characters with entities.
      __m128i m = _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f);
      m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, amp), _mm_cmpeq_epi8(x, lt)));
      m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, gt), _mm_cmpeq_epi8(x, quot)));
      m = _mm_or_si128(m, _mm_cmpeq_epi8(x, apos));
      unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(m));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), x);
      if (bits == 0) {
        w += 16;
        p += 16;
        continue;
      }
      // The block is in place; each byte that changes is written over with
      // its entity and the rest of the block stored again after it. `done`
      // counts the block's bytes that `w` has moved past.
      int done = 0;
      for (; bits; bits &= bits - 1) {
        int i = __builtin_ctz(bits);
        const auto c = static_cast<unsigned char>(p[i]);
        if (e.keep[c]) continue;  // a newline or tab: in place already
        w += i - done;
        std::memcpy(w, e.rep[c].text, 8);
        w += e.rep[c].size;
        done = i + 1;
        if (end - (p + done) < 16) {  // too near the end of the text to load 16 bytes
          for (; done < 16; ++done) w = put_escaped(w, static_cast<unsigned char>(p[done]), e);
          break;
        }
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + done)));
      }
      w += 16 - done;
      p += 16;
    }
#endif
    for (; p < stop; ++p) w = put_escaped(w, static_cast<unsigned char>(*p), e);
    out.append(buf, static_cast<size_t>(w - buf));
  }
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view text) {
  append_escaped_with(out, text, kXmlEscaping);
}

namespace {

// The first ']' or byte up to 0x1F in [p, end), or end: the only bytes a
// CDATA section's text needs a look at.
const char* find_cdata_special(const char* p, const char* end) {
#ifdef __SSE2__
  const __m128i c1f = _mm_set1_epi8(0x1F), bracket = _mm_set1_epi8(']');
  for (; end - p >= 16; p += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f), _mm_cmpeq_epi8(x, bracket));
    if (unsigned bits = static_cast<unsigned>(_mm_movemask_epi8(m))) return p + __builtin_ctz(bits);
  }
#endif
  for (; p < end; ++p)
    if (*p == ']' || static_cast<unsigned char>(*p) <= 0x1F) return p;
  return end;
}

}  // namespace

CdataWriter::CdataWriter(std::string& out) : out_(out) { out_ += "<![CDATA["; }

void CdataWriter::append(std::string_view piece) {
  const char* p = piece.data();
  const char* const end = p + piece.size();
  const char* run = p;  // the start of what is still to be appended
  while (p < end) {
    const char* hit = find_cdata_special(p, end);
    if (hit > p) {
      // Ordinary bytes: a '>' right after "]]" would close the section.
      if (brackets_ == 2 && *p == '>') {
        out_.append(run, static_cast<size_t>(p - run));
        out_ += "]]><![CDATA[";
        run = p;
      }
      brackets_ = 0;
    }
    if (hit == end) break;
    const auto c = static_cast<unsigned char>(*hit);
    if (c == ']') {
      brackets_ = std::min(brackets_ + 1, 2);
    } else if (c == '\t' || c == '\n' || c == '\r') {
      brackets_ = 0;
    } else {
      // Dropped; the text on either side of it meets, brackets and all.
      out_.append(run, static_cast<size_t>(hit - run));
      run = hit + 1;
    }
    p = hit + 1;
  }
  out_.append(run, static_cast<size_t>(end - run));
}

void CdataWriter::close() { out_ += "]]>"; }

void append_html_escaped(std::string& out, std::string_view text) {
  append_escaped_with(out, text, kHtmlEscaping);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  append_html_escaped(out, text);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }
bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

size_t count_words(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool word_char = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                     (c >= 'A' && c <= 'Z') || c == '\'' || c == '-';
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words;
}

}  // namespace byline
