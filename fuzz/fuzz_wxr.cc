// WordPress exports (WXR): the channel and its items, with every other
// item's body left for later and read again as the importer does.
#include <string>

#include "base/diagnostic.h"
#include "fuzz_input.h"
#include "import/wxr_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = byline::fuzz::as_text(data, size);
  byline::WxrChannel channel;
  byline::DiagnosticSink sink;
  size_t seen = 0;
  auto keep_body = [&seen](const byline::WxrItem&) { return seen++ % 2 == 0; };
  if (!byline::read_wxr("export.xml", text, &channel, sink, keep_body)) return 0;
  byline::WxrBodyStorage storage;
  for (byline::WxrItem& item : channel.items) {
    if (!item.has_body) (void)byline::read_wxr_item_body(text, channel, &item, &storage);
  }
  return 0;
}
