// URL pieces `byline check` needs: splitting a link into path, query and
// fragment, percent-decoding, and joining a relative link onto the folder
// of the page it is on.
#pragma once

#include <string>
#include <string_view>

namespace byline {

struct UrlParts {
  std::string_view scheme;     // "https", "mailto"; empty for a relative link
  std::string_view authority;  // "example.org:8080" after "//"; empty when none
  std::string_view path;
  std::string_view query;      // without '?'
  std::string_view fragment;   // without '#'
  bool has_authority = false;  // "//host/…" or "scheme://host/…"
  bool has_fragment = false;
};

UrlParts split_url(std::string_view url);

// %XX sequences decoded (invalid ones kept as written); '+' is kept.
std::string url_unescape(std::string_view text);

// `path` ("../x/", "img.png", "/a/b") against `base`, the URL path of the
// folder the link is on ("/2019/08/post/"): an absolute path with "." and
// ".." segments resolved, as a browser does. Never climbs above "/".
std::string join_url_path(std::string_view base, std::string_view path);

// Lowercased host and port of an authority, the port made explicit from
// the scheme ("example.org:443" for https).
std::string normal_origin(std::string_view scheme, std::string_view authority);

}  // namespace byline
