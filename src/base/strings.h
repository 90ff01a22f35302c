// Text helpers every stage shares: the one slugify (pages, terms, heading
// ids all use it, so a name maps to the same slug everywhere), UTF-8
// validation, HTML escaping and small string utilities.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// Lowercases, strips accents from Latin letters (é → e, ß → ss), keeps
// letters and digits of every script, and turns everything else into single
// hyphens, trimmed at both ends. "Hong Kong" and "hong-kong" both give
// "hong-kong"; "Россия" gives "россия"; "Ça va? Ünïcode!" gives "ca-va-unicode".
std::string slugify(std::string_view text);

// Appends code point `cp` encoded as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

// The code point an HTML character reference names, given what stands
// between '&' and ';': "#38", "#x26" or one of the common names ("amp",
// "nbsp", "mdash", "rsquo", …). 0 when it is none of these, or names no
// Unicode scalar value. The one table of names for every stage that reads
// HTML back (check's link scanner, the search's text).
uint32_t html_char_reference(std::string_view ref);

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
size_t find_invalid_utf8(std::string_view text);

// Escapes & < > " ' for HTML text and attribute values.
void append_html_escaped(std::string& out, std::string_view text);
// XML's five entities (&apos; for '), and C0 control characters dropped,
// since XML 1.0 cannot carry them at all.
void append_xml_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

// Writes text into XML as a CDATA section, as WordPress writes a feed's
// content:encoded: markup goes in as it is, where append_xml_escaped()
// turns every < > " into an entity. A "]]>" in the text is split across
// two sections ("]]]]><![CDATA[>"), even when it comes in two pieces, and
// C0 control characters are dropped as append_xml_escaped() drops them, so
// an XML parser reads the same text back either way.
class CdataWriter {
 public:
  explicit CdataWriter(std::string& out);  // writes "<![CDATA["
  void append(std::string_view piece);
  void close();  // writes "]]>"

 private:
  std::string& out_;
  int brackets_ = 0;  // how many ']' the text written so far ends with, up to 2
};

std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::vector<std::string_view> split(std::string_view s, char sep);
void replace_all(std::string& s, std::string_view from, std::string_view to);

// Counts words the way readers do: runs of letters/digits/apostrophes.
size_t count_words(std::string_view text);

}  // namespace byline
