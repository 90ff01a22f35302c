// The development server: serves the built output over HTTP with the right
// content types, index.html for folders and the site's 404 page.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace byline {

struct ServeOptions {
  std::filesystem::path root;  // the built output
  std::string bind = "127.0.0.1";
  int port = 1313;
};

// Serves until the process is stopped. `on_ready` is called once the socket
// listens. Returns false (with `error` set) when it cannot listen.
bool serve_directory(const ServeOptions& options, const std::function<void()>& on_ready,
                     std::string* error);

// The Content-Type for a file name, by extension.
std::string content_type_for(std::string_view path);

}  // namespace byline
