// The text of one front matter block and where it sits in its file, as the
// YAML and TOML decoders need it to locate what they report.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "base/diagnostic.h"

namespace byline {

struct FrontMatterBlock {
  std::string_view path;
  // The file's text (without a BOM) that diagnostics quote source lines from.
  std::string_view file_text;
  // The lines between the delimiters, each with its line terminator.
  std::string_view text;
  int first_line = 2;  // file line of the block's first line

  SourceLocation at(int line, int column) const {
    return SourceLocation{std::string(path), line, column};
  }
  void error(DiagnosticSink& sink, int line, int column, std::string message) const {
    sink.error(at(line, column), std::move(message), file_text);
  }
};

}  // namespace byline
