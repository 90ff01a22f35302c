// Jinja2 template text to tokens, with whitespace control ({%- -%}) and raw
// blocks already applied: the parser's only input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace byline {

// What a token is; kOp tokens hold the operator in `text`.
enum class Tok {
  kData,
  kVarBegin,
  kVarEnd,
  kBlockBegin,
  kBlockEnd,
  kName,
  kString,
  kInt,
  kFloat,
  kOp,
  kEof,
};

struct TemplateToken {
  Tok type;
  size_t offset;
  std::string text;  // data, name, operator, or decoded string literal
  int64_t ival = 0;
  double fval = 0;
};

// The first syntax error, at a byte offset into the source; parse_template()
// turns it into a located diagnostic.
struct TemplateSyntaxError {
  size_t offset;
  std::string message;
};

// The tokens of `source`, ending with kEof.
// Throws TemplateSyntaxError.
std::vector<TemplateToken> lex_template(std::string_view source);

// A token as error messages name it ("'}}'", "end of template").
std::string describe(const TemplateToken& t);

}  // namespace byline
