// WordPress turns a URL standing alone on its line into an embed (oEmbed).
// byline cannot fetch the embed, so such a URL becomes a plain link.
#pragma once

#include <string>
#include <string_view>

namespace byline {

// Wraps each http(s) URL that is alone on its line (surrounding whitespace
// allowed) in <a href="URL">URL</a>. URLs inside tags or <pre> are left alone.
std::string link_standalone_urls(std::string_view content);

}  // namespace byline
