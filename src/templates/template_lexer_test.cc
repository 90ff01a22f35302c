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
