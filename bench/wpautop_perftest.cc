// wpautop's time per byte on an ordinary post and on the hostile inputs of
// fuzz/regressions/generate.py (tags that never close, comment runs, many
// <pre> blocks), at two sizes: linear code shows the same bytes/s at both.
//   build/byline_wpautop_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <string>

#include "import/wpautop.h"

namespace {

std::string repeat(const std::string& unit, size_t bytes) {
  std::string s;
  s.reserve(bytes + unit.size());
  while (s.size() < bytes) s += unit;
  return s;
}

const char* const kUnits[] = {
    "Some ordinary <em>text</em> of a post, with a <a href=\"/x\">link</a>.\n\n",
    "<!-- c -->\n",
    "<!--\nc\n-->\n",
    "<script",
    "<p><li",
    "<pre></pre>",
    "<divx",
};

void BM_Wpautop(benchmark::State& state) {
  const std::string text = repeat(kUnits[state.range(0)], static_cast<size_t>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(byline::wpautop(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.SetLabel(kUnits[state.range(0)]);
}
BENCHMARK(BM_Wpautop)
    ->ArgsProduct({{0, 1, 2, 3, 4, 5, 6}, {100 << 10, 800 << 10}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
