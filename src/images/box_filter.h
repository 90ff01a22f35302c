// Shrinking an 8-bit image with a box filter: each pixel made is the plain
// average of the source pixels within half its width (in source pixels) of
// its centre, one or two per axis at most scales between 1 and 2.
//
// It is how byline shrinks PNGs. A PNG is most often a chart, a screenshot
// or line art: flat areas with sharp edges, stored losslessly, so every
// new colour a filter makes at an edge costs bytes. Lanczos and the
// triangle filter mix three or more source pixels with unequal weights and
// make many; the box makes at most the average of two neighbours, so a
// flat area stays exactly flat and a one-pixel line survives at half its
// contrast (bench/images.py's flat PNGs: 1200 pixels wide, 1.21 MB with the
// triangle filter and 0.59 MB with the box; Hugo's default filter is a box
// too, which gave it 0.88 MB).
#pragma once

#include <cstdint>

namespace byline {

// Shrinks `src`, `sw`×`sh` pixels of `bands` interleaved 8-bit samples, row
// after row without padding, to `dw`×`dh` (0 < dw <= sw, 0 < dh <= sh) in
// `out` (dw × dh × bands bytes); `bands` is 1 to 8. With `alpha`, the last band is opacity and
// the others are averaged weighted by it, so the colour under a transparent
// pixel does not bleed into its neighbours. Averages round half up. The
// result depends only on the input: no floating point is used.
void box_shrink(const uint8_t* src, int sw, int sh, int bands, bool alpha, int dw, int dh,
                uint8_t* out);

}  // namespace byline
