// The built-in default theme, embedded into the binary at build time by
// scripts/embed_theme.cmake (paths are relative to themes/default/).
#pragma once

#include <span>
#include <string_view>

namespace byline {

struct EmbeddedFile {
  std::string_view path;  // e.g. "templates/page.html", "static/style.css"
  std::string_view data;
};

std::span<const EmbeddedFile> embedded_theme_files();

}  // namespace byline
