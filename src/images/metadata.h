// What an image's variants keep of its source's metadata: the colour
// profile always (the pixels stay in its colour space), and, when
// [images] keep_credit asks, who made it and who owns it (EXIF Artist and
// Copyright, XMP dc:creator, dc:rights and photoshop:Credit, IPTC By-line,
// Credit, Source and Copyright Notice). Everything else goes: camera and
// software, dates, GPS positions, captions, keywords, thumbnails.
#pragma once

#include <string>
#include <string_view>

typedef struct _VipsImage VipsImage;

namespace byline {

// An XMP packet with only the credit fields of `xmp` (empty when it has
// none, or is not XML).
std::string credit_xmp(std::string_view xmp);

// A Photoshop APP13 block ("Photoshop 3.0", 8BIM resource 0x0404) with only
// the credit datasets of `iptc`'s IPTC records (and the character set), or
// empty when it has none or cannot be read.
std::string credit_iptc(std::string_view iptc);

// Removes from `image` every metadata field a saver would write, except the
// colour profile when `keep_profile` and the credit when `keep_credit`
// (XMP and IPTC rewritten to their credit fields). Returns whether anything
// is left for the saver to write: when not, the variants are saved with
// libvips' strip, which writes no EXIF block of its own.
bool keep_only_profile_and_credit(VipsImage* image, bool keep_profile, bool keep_credit);

}  // namespace byline
