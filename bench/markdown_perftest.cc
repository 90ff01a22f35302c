// Markdown stage speed against cmark-gfm alone, on a gen_corpus.py corpus:
//   byline_markdown_bench --corpus=/tmp/md-corpus [benchmark flags]
// Both sides parse and render every body with the same cmark options and
// extensions, so the difference is what byline's rewrite walk costs.
#include <benchmark/benchmark.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "markdown/markdown.h"

namespace {

std::vector<std::string> g_bodies;
size_t g_total_bytes = 0;

// The body after a YAML front matter block.
std::string body_of(const std::string& file) {
  if (!file.starts_with("---\n")) return file;
  size_t end = file.find("\n---\n", 3);
  return end == std::string::npos ? file : file.substr(end + 5);
}

bool load_corpus(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".md") paths.push_back(it->path());
  }
  if (ec || paths.empty()) return false;
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    g_bodies.push_back(body_of(ss.str()));
    g_total_bytes += g_bodies.back().size();
  }
  return true;
}

// cmark-gfm alone, configured as byline's defaults configure it.
void BM_CmarkGfm(benchmark::State& state) {
  cmark_gfm_core_extensions_ensure_registered();
  const int flags = CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE;
  for (auto _ : state) {
    for (const std::string& body : g_bodies) {
      cmark_parser* parser = cmark_parser_new(flags);
      for (const char* name : {"table", "strikethrough", "autolink", "tasklist"})
        cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name));
      cmark_parser_feed(parser, body.data(), body.size());
      cmark_node* doc = cmark_parser_finish(parser);
      char* html = cmark_render_html(doc, flags, cmark_parser_get_syntax_extensions(parser));
      benchmark::DoNotOptimize(html);
      free(html);
      cmark_node_free(doc);
      cmark_parser_free(parser);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_total_bytes));
}

void BM_RenderMarkdown(benchmark::State& state) {
  byline::MarkdownOptions options;
  for (auto _ : state) {
    for (const std::string& body : g_bodies) {
      byline::RenderedMarkdown r = byline::render_markdown(body, options);
      benchmark::DoNotOptimize(r.html.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_total_bytes));
}

}  // namespace

BENCHMARK(BM_CmarkGfm)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_RenderMarkdown)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
// Two threads each render the whole corpus: checks that the inline-phase
// guard (cmark_global_state.h) does not serialise parsing.
BENCHMARK(BM_RenderMarkdown)->Unit(benchmark::kMillisecond)->Threads(2)->UseRealTime();

int main(int argc, char** argv) {
  std::string corpus;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus=", 9) == 0)
      corpus = argv[i] + 9;
    else
      args.push_back(argv[i]);
  }
  if (corpus.empty() || !load_corpus(corpus)) {
    std::cerr << "usage: byline_markdown_bench --corpus=DIR [benchmark flags]\n"
                 "DIR holds .md files, e.g. from gen_corpus.py DIR --posts 1000\n";
    return 2;
  }
  std::cerr << g_bodies.size() << " bodies, " << g_total_bytes << " bytes\n";
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
