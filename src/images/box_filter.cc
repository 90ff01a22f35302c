// A box filter for shrinking (see box_filter.h).
#include "images/box_filter.h"

#include <algorithm>
#include <vector>

namespace byline {

namespace {

// The source pixels [first, last] that pixel `i` of `d` made of `s` averages:
// those whose index j is within s/(2d) of its centre, (i + 0.5) × s/d - 0.5.
// Multiplied out by 2d, |2d·j - (2i + 1)·s + d| <= s, in integers.
struct Span {
  int first, last;
};

std::vector<Span> spans(int s, int d) {
  std::vector<Span> out(static_cast<size_t>(d));
  const int64_t ls = s, ld = d;
  for (int64_t i = 0; i < ld; ++i) {
    // j >= (2i·s - d) / 2d, rounded up; j <= ((2i + 2)·s - d) / 2d, down.
    int64_t lo_num = 2 * i * ls - ld, hi_num = (2 * i + 2) * ls - ld;
    int64_t lo = lo_num <= 0 ? -((-lo_num) / (2 * ld)) : (lo_num + 2 * ld - 1) / (2 * ld);
    int64_t hi = hi_num < 0 ? -((-hi_num + 2 * ld - 1) / (2 * ld)) : hi_num / (2 * ld);
    lo = std::clamp<int64_t>(lo, 0, ls - 1);
    hi = std::clamp<int64_t>(hi, lo, ls - 1);
    out[static_cast<size_t>(i)] = {static_cast<int>(lo), static_cast<int>(hi)};
  }
  return out;
}

// round(num / den) with halves up, for num >= 0 and den > 0.
uint8_t rounded(uint64_t num, uint64_t den) {
  return static_cast<uint8_t>((2 * num + den) / (2 * den));
}

}  // namespace

void box_shrink(const uint8_t* src, int sw, int sh, int bands, bool alpha, int dw, int dh,
                uint8_t* out) {
  const std::vector<Span> xs = spans(sw, dw), ys = spans(sh, dh);
  const size_t row = static_cast<size_t>(sw) * static_cast<size_t>(bands);
  const int colours = alpha ? bands - 1 : bands;
  // Per source column, the sums over the rows of the output row being made:
  // each band's samples (weighted by opacity with `alpha`) and the opacity.
  std::vector<uint64_t> sums(row);
  for (int y = 0; y < dh; ++y) {
    std::fill(sums.begin(), sums.end(), 0);
    const Span sy = ys[static_cast<size_t>(y)];
    for (int j = sy.first; j <= sy.last; ++j) {
      const uint8_t* p = src + static_cast<size_t>(j) * row;
      for (size_t x = 0; x < row; x += static_cast<size_t>(bands)) {
        uint64_t a = alpha ? p[x + static_cast<size_t>(colours)] : 1;
        for (int b = 0; b < colours; ++b)
          sums[x + static_cast<size_t>(b)] += p[x + static_cast<size_t>(b)] * a;
        if (alpha) sums[x + static_cast<size_t>(colours)] += a;
      }
    }
    const uint64_t rows = static_cast<uint64_t>(sy.last - sy.first + 1);
    uint8_t* o =
        out + static_cast<size_t>(y) * static_cast<size_t>(dw) * static_cast<size_t>(bands);
    for (int x = 0; x < dw; ++x) {
      const Span sx = xs[static_cast<size_t>(x)];
      const uint64_t n = rows * static_cast<uint64_t>(sx.last - sx.first + 1);
      uint64_t total[8] = {};
      for (int i = sx.first; i <= sx.last; ++i)
        for (int b = 0; b < bands; ++b)
          total[b] +=
              sums[static_cast<size_t>(i) * static_cast<size_t>(bands) + static_cast<size_t>(b)];
      uint8_t* px = o + static_cast<size_t>(x) * static_cast<size_t>(bands);
      if (!alpha) {
        for (int b = 0; b < bands; ++b) px[b] = rounded(total[b], n);
        continue;
      }
      const uint64_t opacity = total[colours];
      for (int b = 0; b < colours; ++b) px[b] = opacity ? rounded(total[b], opacity) : 0;
      px[colours] = rounded(opacity, n);
    }
  }
}

}  // namespace byline
