// The lexer on its own: what tokens a template's text becomes, with
// whitespace control and raw blocks applied before the parser sees them.
#include "templates/template_lexer.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

// The tokens as "type:text" words, for comparing whole streams at once.
std::string tokens(std::string_view source) {
  std::string out;
  for (const TemplateToken& t : lex_template(source)) {
    if (!out.empty()) out += ' ';
    switch (t.type) {
      case Tok::kData:
        out += "data:" + t.text;
        break;
      case Tok::kVarBegin:
        out += "{{";
        break;
      case Tok::kVarEnd:
        out += "}}";
        break;
      case Tok::kBlockBegin:
        out += "{%";
        break;
      case Tok::kBlockEnd:
        out += "%}";
        break;
      case Tok::kName:
        out += "name:" + t.text;
        break;
      case Tok::kString:
        out += "str:" + t.text;
        break;
      case Tok::kInt:
        out += "int:" + std::to_string(t.ival);
        break;
      case Tok::kFloat:
        out += "float:" + t.text;
        break;
      case Tok::kOp:
        out += "op:" + t.text;
        break;
      case Tok::kEof:
        out += "eof";
        break;
    }
  }
  return out;
}

std::string lex_error(std::string_view source) {
  try {
    lex_template(source);
  } catch (const TemplateSyntaxError& e) {
    return std::to_string(e.offset) + ": " + e.message;
  }
  return "(lexed)";
}

TEST(TemplateLexer, DataTagsAndComments) {
  EXPECT_EQ(tokens("a {{ x }} b {# note #}c{% if y %}"),
            "data:a  {{ name:x }} data: b  data:c {% name:if name:y %} eof");
}

TEST(TemplateLexer, WhitespaceControlTrimsTheDataBesideIt) {
  EXPECT_EQ(tokens("a  \n {%- if x -%} \n b {{- y }}  {#- c -#}  d"),
            "data:a {% name:if name:x %} data:b {{ name:y }} data:d eof");
}

TEST(TemplateLexer, OperatorsLongestFirst) {
  EXPECT_EQ(tokens("{{ a // b ** c == d != e <= f >= g < h ~ i|j }}"),
            "{{ name:a op:// name:b op:** name:c op:== name:d op:!= name:e op:<= name:f op:>= "
            "name:g op:< name:h op:~ name:i op:| name:j }} eof");
}

TEST(TemplateLexer, NumbersAfterADotAreIndexes) {
  EXPECT_EQ(tokens("{{ 1_000 + 2.5e3 + rows.1.0 }}"),
            "{{ int:1000 op:+ float:2.5e3 op:+ name:rows op:. int:1 op:. int:0 }} eof");
}

TEST(TemplateLexer, StringEscapes) {
  EXPECT_EQ(tokens(R"({{ 'a\n\'b' ~ "\u00e9\x41" }})"), "{{ str:a\n'b op:~ str:\u00e9A }} eof");
}

TEST(TemplateLexer, BracesNestInsideTags) {
  // A '}' closing a dict literal does not end the tag.
  EXPECT_EQ(tokens("{{ {'a': 1} }}"), "{{ op:{ str:a op:: int:1 op:} }} eof");
}

TEST(TemplateLexer, RawBlocksAreData) {
  EXPECT_EQ(tokens("{% raw -%}  {{ x }} {%- endraw %}!"), "data:{{ x }} data:! eof");
}

TEST(TemplateLexer, ErrorsNameTheirOffset) {
  EXPECT_EQ(lex_error("{{ 'abc }}"), "3: unterminated string literal");
  EXPECT_EQ(lex_error("a {# note"), "2: unclosed comment: expected '#}'");
  EXPECT_EQ(lex_error("{{ a $ b }}"), "5: unexpected character '$'");
  EXPECT_EQ(lex_error("{{ 99999999999999999999 }}"), "3: integer literal too large");
  EXPECT_EQ(lex_error("{% raw %}x"),
            "0: unexpected end of template: expected '{% endraw %}' to close 'raw'");
}

// Jinja2's integer literals: bases 16, 8 and 2 with any case of prefix and
// `_` between digits; a prefix without a digit is a 0 and then a name.
TEST(TemplateLexer, PrefixedIntegers) {
  EXPECT_EQ(tokens("{{ 0b1001_1111 0o1_23 0x12_3abc 0X1F 0B1 0O7 }}"),
            "{{ int:159 int:83 int:1194684 int:31 int:1 int:7 }} eof");
  EXPECT_EQ(tokens("{{ 0x 0b2 0x_1 0b1_ }}"),
            "{{ int:0 name:x int:0 name:b2 int:1 int:1 name:_ }} eof");
  EXPECT_EQ(lex_error("{{ 0x1_0000_0000_0000_0000 }}"), "3: integer literal too large");
}

// As in Python (and so Jinja2), a decimal integer may not start with 0,
// except 0 itself; floats may.
TEST(TemplateLexer, LeadingZeros) {
  EXPECT_EQ(tokens("{{ 0 00 0_0 01.5 0e0 }}"), "{{ int:0 int:0 int:0 float:01.5 float:0e0 }} eof");
  EXPECT_EQ(lex_error("{{ 012 }}"),
            "3: leading zeros in decimal integer literals are not permitted");
  EXPECT_EQ(lex_error("{{ rows.01 }}"),
            "8: leading zeros in decimal integer literals are not permitted");
}

// `+` after `{{`/`{%` and before `%}` (and an endraw's `%}`) switches
// lstrip_blocks / trim_blocks off for that tag: byline never has them on,
// so it only has to be read. There is no `+}}`.
TEST(TemplateLexer, PlusMarkersAreAccepted) {
  EXPECT_EQ(tokens("{{+ x }} {%+ if y +%}\n"),
            "{{ name:x }} data:  {% name:if name:y %} data:\n eof");
  EXPECT_EQ(tokens(" {% raw %}r{% endraw +%}\n "), "data:  data:r data:\n  eof");
  EXPECT_EQ(tokens("{{ 1 +}}"), "{{ int:1 op:+ }} eof");
}

// Names are Python identifiers: letters, marks, digits and connectors from
// all of Unicode, starting with a letter or `_`.
TEST(TemplateLexer, UnicodeNames) {
  EXPECT_EQ(tokens("{{ café ~ 名前 ~ _x2 }}"), "{{ name:café op:~ name:名前 op:~ name:_x2 }} eof");
  // The whole character is named, not its first byte.
  EXPECT_EQ(lex_error("{{ \U0001F40Da }}"), "3: unexpected character '\U0001F40D'");
  EXPECT_EQ(lex_error("{{ a\U0001F40D }}"), "4: unexpected character '\U0001F40D'");
  // `·` continues a name but cannot start one.
  EXPECT_EQ(lex_error("{{ \u00b7 }}"), "3: Invalid character in identifier");
  EXPECT_EQ(tokens("{{ a\u00b7b }}"), "{{ name:a\u00b7b }} eof");
  // An invalid byte is one unexpected character.
  EXPECT_EQ(lex_error("{{ \xff }}"), "3: unexpected character '\xff'");
}

TEST(TemplateLexer, DescribesTokensForMessages) {
  std::vector<TemplateToken> t = lex_template("{{ x }}");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(describe(t[0]), "'{{'");
  EXPECT_EQ(describe(t[1]), "'x'");
  EXPECT_EQ(describe(t[2]), "'}}'");
  EXPECT_EQ(describe(t[3]), "end of template");
}

}  // namespace
}  // namespace byline
