// The search analysis's CPU on a gen_corpus.py corpus, one thread, apart
// from the rest of the build (whose wall and CPU times on a shared machine
// drown it):
//   byline_search_bench --corpus=/tmp/byline-bench/corpus-10000-0
//     --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// (one command line)
// Every body is rendered to HTML once, before timing; then each benchmark
// times one stage of site_search() (render/search_outputs.cc): the body's
// text from its HTML, the analysis of every document (text to terms), the
// related posts and the index's files (uncompressed, as a build makes
// them).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "markdown/markdown.h"
#include "render/search_outputs.h"
#include "search/index_writer.h"
#include "search/related.h"

namespace {

struct Post {
  std::string title, html, text;
};
std::vector<Post> g_posts;
size_t g_html_bytes = 0;

bool load_corpus(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".md") paths.push_back(it->path());
  }
  if (ec || paths.empty()) return false;
  std::sort(paths.begin(), paths.end());
  byline::MarkdownOptions options;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string file = ss.str();
    Post& post = g_posts.emplace_back();
    size_t end = file.starts_with("---\n") ? file.find("\n---\n", 3) : std::string::npos;
    std::string front = end == std::string::npos ? "" : file.substr(0, end);
    if (size_t t = front.find("\ntitle:"); t != std::string::npos)
      post.title = front.substr(t + 7, front.find('\n', t + 1) - t - 7);
    post.html =
        byline::render_markdown(end == std::string::npos ? file : file.substr(end + 5), options)
            .html;
    post.text = byline::html_to_text(post.html);
    g_html_bytes += post.html.size();
  }
  return true;
}

byline::SearchOptions options() {
  byline::SearchOptions o;
  o.threads = 1;
  o.defer_compression = true;
  return o;
}

void make_doc(size_t i, byline::SearchDoc* d) {
  const Post& p = g_posts[i];
  d->url = "p/" + std::to_string(i) + "/";
  d->title = p.title;
  d->kind = "post";
  d->text[byline::kTitle] = p.title;
  d->text[byline::kBody] = p.text;
}

const byline::SearchAnalysis& analysis() {
  static const byline::SearchAnalysis a =
      byline::analyse_search_documents(g_posts.size(), make_doc, options());
  return a;
}

void BM_HtmlToText(benchmark::State& state) {
  for (auto _ : state)
    for (const Post& p : g_posts) benchmark::DoNotOptimize(byline::html_to_text(p.html));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_html_bytes));
}

void BM_Analyse(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        byline::analyse_search_documents(g_posts.size(), make_doc, options()).postings.size());
}

void BM_Related(benchmark::State& state) {
  const byline::SearchAnalysis& a = analysis();
  byline::RelatedOptions ro;
  ro.threads = 1;
  for (auto _ : state) benchmark::DoNotOptimize(byline::related_documents(a, ro).size());
}

void BM_IndexFiles(benchmark::State& state) {
  const byline::SearchAnalysis& a = analysis();
  for (auto _ : state) benchmark::DoNotOptimize(byline::write_search_index(a, options()).size());
}

}  // namespace

BENCHMARK(BM_HtmlToText)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_Analyse)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_Related)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_IndexFiles)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

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
    std::cerr << "usage: byline_search_bench --corpus=DIR [benchmark flags]\n"
                 "DIR holds .md files, e.g. from gen_corpus.py DIR --posts 10000\n";
    return 2;
  }
  std::cerr << g_posts.size() << " posts, " << g_html_bytes << " bytes of HTML\n";
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
