// What byline makes of one image: the widths (never wider than the source),
// the names the variants are published under, and the cache key that says
// whether an earlier build already made them. Pure functions, no libvips.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace byline {

// The widths to make of an image `source_width` pixels wide: every
// configured width narrower than the source, and the source's own width
// when it is narrower than the widest configured one (so the largest
// variant is the image at full size, never upscaled). Ascending, no
// duplicates; `widths` must be ascending. An image narrower than every
// width gets its own width alone.
std::vector<int> plan_widths(int source_width, const std::vector<int>& widths);

// The height of a variant `width` wide of a `source_width`×`source_height`
// image, rounded to the nearest pixel and at least 1.
int scaled_height(int source_width, int source_height, int width);

// The kinds of image byline reads, from the file's first bytes (and its
// name, for SVG, which has no signature).
enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kGif, kSvg };
ImageFormat sniff_image_format(std::string_view head, std::string_view file_name);
std::string_view format_name(ImageFormat f);  // "jpeg", "png", ...

// The formats the variants of an image of `source` format are written in,
// the first being the one browsers are offered first (WebP) and the last
// the fallback <img> uses. Empty: published as it is (GIF, SVG).
std::vector<std::string> variant_formats(ImageFormat source);
// The same with `modern` ([images] formats: "avif", "webp") offered first,
// in that order, then the image's own.
std::vector<std::string> variant_formats(ImageFormat source,
                                         const std::vector<std::string>& modern);
// File extension of a variant format ("jpeg" → "jpg").
std::string_view variant_extension(std::string_view format);

// "photo-800w.webp" beside `url`'s file: the same folder, the name's stem,
// the width, the format's extension. A query or fragment of `url` is
// dropped. Works on URLs as written and on site paths alike.
std::string variant_path(std::string_view url, int width, std::string_view format);
// "card-1200x630.jpg" beside it: the social card.
std::string card_path(std::string_view url);

// The cache key of `source` bytes' variants under these settings: the
// bytes' hash, every setting that changes a variant's bytes, and the
// version of the processing (bumped when its output changes). 16 hex digits.
std::string image_cache_key(uint64_t content_hash, uint64_t content_size,
                            const ImagesConfig& config, std::string_view library_version);
// The cache key of a generated text card (ImageProcessor::text_card).
std::string text_card_cache_key(std::string_view title, std::string_view outlet,
                                std::string_view site_name, const ImagesConfig& config,
                                std::string_view library_version);
// The same for a social card cut from that source.
std::string card_cache_key(uint64_t content_hash, uint64_t content_size, const ImagesConfig& config,
                           std::string_view library_version);

}  // namespace byline
