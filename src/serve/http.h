// The HTTP/1.1 pieces the dev server needs and nothing more, kept apart from
// the sockets so they can be tested on their own: a request head parsed
// strictly (anything malformed is a status to answer, never a guess), a
// request path percent-decoded and refused when it holds control bytes or
// leaves the root, and a Range header reduced to the one range served.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace byline::http {

struct Request {
  std::string method;
  std::string target;                                        // as sent: the path, then ?query
  int minor_version = 1;                                     // HTTP/1.minor_version
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  uint64_t content_length = 0;
  bool keep_alive = true;  // what the version and Connection ask for

  // The first value of a header (name lower-case), or null.
  const std::string* header(std::string_view name) const;
};

// Where the head ends in `data`: the offset just past the blank line, or 0
// when it has not all arrived. Lines end with CRLF or a bare LF.
size_t head_end(std::string_view data);

// Parses a whole head (request line and header lines, up to and including
// the blank line). 0 when it is well formed; else the status to answer:
// 400 (a line without a colon, a space before the colon, a folded line, a
// control byte, a Content-Length that is not a number or appears twice with
// two values, a bad request line), 501 (Transfer-Encoding: no request body
// but a counted one is accepted) or 505 (not HTTP/1.x).
int parse_head(std::string_view head, Request* request);

// The path of a request target, percent-decoded, as a relative path of
// plain segments ("." and ".." applied; "" for the root). 0 on success,
// else the status: 400 for a bad escape or a control byte (NUL included),
// 404 for a path that climbs above the root. `trailing_slash` says whether
// the target's path ended with "/".
int decode_path(std::string_view target, std::string* path, bool* trailing_slash);

// A Range header against a body of `size` bytes. Only one range is served:
// a header naming several (even overlapping ones) is ignored, as RFC 9110
// allows, and the whole body is sent; so is a header that cannot be parsed
// or names another unit.
enum class RangeResult { kWhole, kPartial, kUnsatisfiable };
RangeResult parse_range(std::string_view value, uint64_t size, uint64_t* first, uint64_t* last);

// The reason phrase for a status.
const char* reason(int status);

}  // namespace byline::http
