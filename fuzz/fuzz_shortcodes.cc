// WordPress shortcodes ([caption], [gallery], [embed]...) in a post body.
#include <vector>

#include "fuzz_input.h"
#include "import/shortcodes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  // A gallery of two images whatever its attributes ask for, so gallery
  // markup is produced too.
  auto gallery = [](const byline::ShortcodeAttributes& attrs) {
    (void)byline::shortcode_attribute(attrs, "ids");
    return std::vector<byline::GalleryImage>{{"/a.jpg", "A", "First <em>caption</em>"},
                                             {"/b.png", "", ""}};
  };
  (void)byline::expand_shortcodes(text, gallery);
  (void)byline::parse_shortcode_attributes(text);
  return 0;
}
