// Runs the examples of a CommonMark/GFM spec file through byline's
// render_markdown and compares normalised HTML, as cmark's spec_tests.py does.
//
//   byline_spec_runner PATH/spec.txt|smart_punct.txt|extensions.txt|regression.txt
//   byline_spec_runner --self-test      (the normaliser against normalize.py's doctests)
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "html_normalize.h"
#include "markdown/markdown.h"

namespace {

using byline::MarkdownOptions;
using byline::spec::normalize_html;

struct Example {
  int number = 0;  // 1-based within the file, as spec_tests.py counts
  int line = 0;
  std::vector<std::string> info;  // words after "example": the extensions it needs
  std::string markdown;
  std::string html;
};

// Examples whose expected output byline deliberately does not produce; each
// is reported, and would fail the run if it started passing unnoticed.
struct KnownDifference {
  std::string_view file;
  int number;
  std::string_view reason;
};
constexpr std::string_view kFootnoteMarkup =
    "footnote markup: these files predate cmark-gfm 0.29.0.gfm.1, which names footnote "
    "anchors after their labels (#fn-LABEL, fnref-LABEL, fnref-LABEL-2 for a repeated "
    "reference, where the old output repeated an id) and adds data-footnote-* and aria-label "
    "attributes; numbering and structure are unchanged";
constexpr KnownDifference kKnownDifferences[] = {
    {"extensions", 23, kFootnoteMarkup},
    {"regression", 13, kFootnoteMarkup},
};

const KnownDifference* known_difference(std::string_view file, int number) {
  for (const KnownDifference& d : kKnownDifferences)
    if (d.file == file && d.number == number) return &d;
  return nullptr;
}

constexpr std::string_view kFence = "````````````````````````````````";

std::string with_tabs(std::string s) {
  byline::replace_all(s, "\xE2\x86\x92", "\t");  // → stands for a tab
  return s;
}

bool read_examples(const std::string& path, std::vector<Example>& examples) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot read\n";
    return false;
  }
  std::string line;
  int line_no = 0;
  enum { kOutside, kMarkdown, kHtml } state = kOutside;
  Example current;
  while (std::getline(in, line)) {
    ++line_no;
    std::string_view l = line;
    // Lines end in "\n" only; a '\r' before it belongs to the example.
    if (state == kOutside) {
      if (l.starts_with(kFence) && l.substr(kFence.size()).starts_with(" example")) {
        current = Example{};
        current.number = static_cast<int>(examples.size()) + 1;
        current.line = line_no;
        for (std::string_view w : byline::split(l.substr(kFence.size() + 8), ' '))
          if (!w.empty()) current.info.emplace_back(w);
        state = kMarkdown;
      }
    } else if (state == kMarkdown) {
      if (l == ".") {
        state = kHtml;
      } else {
        current.markdown.append(line).append("\n");
      }
    } else {
      if (l == kFence) {
        current.markdown = with_tabs(std::move(current.markdown));
        current.html = with_tabs(std::move(current.html));
        examples.push_back(std::move(current));
        state = kOutside;
      } else {
        current.html.append(line).append("\n");
      }
    }
  }
  if (state != kOutside) {
    std::cerr << path << ": example at line " << current.line << " is not closed\n";
    return false;
  }
  return true;
}

// Plain CommonMark: byline's own additions and every extension off.
MarkdownOptions commonmark_options() {
  MarkdownOptions o;
  o.smart_punctuation = false;
  o.footnotes = false;
  o.tables = o.strikethrough = o.autolinks = o.tasklists = o.tag_filter = false;
  o.unsafe_html = true;
  o.heading_ids = o.figures = o.pull_quotes = false;
  o.hard_wraps = false;
  return o;
}

// The options an example runs with: those of its file, plus the extensions
// its info string names. Returns false for a name byline does not know.
bool options_for(std::string_view file, const Example& ex, MarkdownOptions& o, std::string& error) {
  o = commonmark_options();
  if (file == "smart_punct") o.smart_punctuation = true;
  if (file == "extensions") {
    // cmark-gfm runs this file with "table strikethrough autolink tagfilter
    // footnotes tasklist".
    o.tables = o.strikethrough = o.autolinks = o.tag_filter = o.footnotes = o.tasklists = true;
  }
  for (const std::string& word : ex.info) {
    if (word == "table") {
      o.tables = true;
    } else if (word == "strikethrough") {
      o.strikethrough = true;
    } else if (word == "autolink") {
      o.autolinks = true;
    } else if (word == "tagfilter") {
      o.tag_filter = true;
    } else if (word == "footnotes") {
      o.footnotes = true;
    } else if (word == "disabled") {
      // spec.txt marks its two task-list examples "disabled" because their
      // attribute order differs from cmark-gfm's; normalisation sorts
      // attributes, so they run here, with the extension they describe.
      o.tasklists = true;
    } else {
      error = "unknown extension '" + word + "' in the info string";
      return false;
    }
  }
  return true;
}

std::string file_kind(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.ends_with(".txt")) name.resize(name.size() - 4);
  return name;
}

int run_file(const std::string& path) {
  std::string kind = file_kind(path);
  if (kind != "spec" && kind != "smart_punct" && kind != "extensions" && kind != "regression") {
    std::cerr << path << ": not a known spec file (spec, smart_punct, extensions, regression)\n";
    return 2;
  }
  std::vector<Example> examples;
  if (!read_examples(path, examples)) return 2;
  int passed = 0, failed = 0, known = 0;
  for (const Example& ex : examples) {
    MarkdownOptions options;
    std::string error;
    if (!options_for(kind, ex, options, error)) {
      std::cout << path << ":" << ex.line << ": example " << ex.number << ": " << error << "\n";
      ++failed;
      continue;
    }
    // No example's image has a file, as in a build where every local image
    // is missing: asking about them must not change a byte.
    const byline::ImageLookup no_files = [](std::string_view, bool) {
      return byline::ImageInfo{std::nullopt, true, nullptr, {}, false};
    };
    std::string actual = byline::render_markdown(ex.markdown, options, no_files).html;
    // The spec's corner cases also go through byline's rewrites (figures,
    // pull quotes, heading ids, summaries, sized images) with every
    // extension on: under the sanitizer build this checks the tree surgery
    // on odd trees.
    const byline::ImageLookup all_sized = [](std::string_view, bool) {
      return byline::ImageInfo{byline::ImageSize{4, 3}, false, nullptr, {}, false};
    };
    byline::render_markdown(ex.markdown, MarkdownOptions{}, all_sized);
    byline::render_markdown_inline(ex.markdown, MarkdownOptions{});
    // "<IGNORE>": the example only checks that rendering finishes.
    bool ok = ex.html == "<IGNORE>\n" || normalize_html(actual) == normalize_html(ex.html);
    const KnownDifference* diff = known_difference(kind, ex.number);
    if (diff && !ok) {
      ++known;
      std::cout << "example " << ex.number << " (line " << ex.line
                << "): known difference: " << diff->reason << "\n";
      continue;
    }
    if (diff && ok) {
      ++failed;
      std::cout << "example " << ex.number << " (line " << ex.line
                << ") passes but is listed as a known difference; remove it from the list\n";
      continue;
    }
    if (ok) {
      ++passed;
      continue;
    }
    ++failed;
    std::cout << "FAIL example " << ex.number << " (" << path << ":" << ex.line << ")\n"
              << "--- markdown\n"
              << ex.markdown << "--- expected\n"
              << ex.html << "--- actual\n"
              << actual << "--- expected (normalised)\n"
              << normalize_html(ex.html) << "\n--- actual (normalised)\n"
              << normalize_html(actual) << "\n\n";
  }
  std::cout << kind << ": " << passed << " passed, " << failed << " failed";
  if (known) std::cout << ", " << known << " known differences";
  std::cout << "\n";
  return failed == 0 ? 0 : 1;
}

// normalize.py's doctests, plus the cases its rules imply.
int self_test() {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"<p>a  \t b</p>", "<p>a b</p>"},
      {"<p>a  \t\nb</p>", "<p>a b</p>"},
      {"<p>a  b</p>", "<p>a b</p>"},
      {" <p>a  b</p>", "<p>a b</p>"},
      {"<p>a  b</p> ", "<p>a b</p>"},
      {"\n\t<p>\n\t\ta  b\t\t</p>\n\t", "<p>a b</p>"},
      {"<i>a  b</i> ", "<i>a b</i> "},
      {"<br />", "<br>"},
      {"<a title=\"bar\" HREF=\"foo\">x</a>", "<a href=\"foo\" title=\"bar\">x</a>"},
      {"&forall;&amp;&gt;&lt;&quot;", "\xE2\x88\x80&amp;&gt;&lt;&quot;"},
      {"<pre><code>a  b\n</code></pre>", "<pre><code>a  b\n</code></pre>"},
      {"<p>a<br />\nb</p>", "<p>a<br>b</p>"},
      {"<input type=\"checkbox\" disabled=\"\" />", "<input disabled=\"\" type=\"checkbox\">"},
      {"<p>&#34;x&#x27;</p>", "<p>&quot;x'</p>"},
      {"<!-- a  b -->\n<p>x</p>", "<!-- a  b --><p>x</p>"},
      {"a < b", "a < b"},
  };
  int failed = 0;
  for (const Case& c : cases) {
    std::string got = normalize_html(c.in);
    if (got != c.out) {
      ++failed;
      std::cout << "FAIL normalize(" << c.in << ")\n  expected: " << c.out
                << "\n  actual:   " << got << "\n";
    }
  }
  std::cout << "normalize: " << (std::size(cases) - failed) << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--self-test") return self_test();
  if (argc != 2) {
    std::cerr << "usage: byline_spec_runner SPEC_FILE | --self-test\n";
    return 2;
  }
  return run_file(argv[1]);
}
