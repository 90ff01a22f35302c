// External links, checked over HTTP(S) with cpp-httplib's client (already
// byline's HTTP library, built by Debian with OpenSSL): many at once, at
// most a few per host, each with a timeout and retries, and the results
// kept in a cache so that the next check asks again only about links that
// failed or whose result has grown old.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace byline {

struct ExternalOptions {
  unsigned concurrency = 16;  // requests in flight at once
  unsigned per_host = 2;      // of which to one host
  double timeout_seconds = 10;
  int retries = 2;                   // more tries after a timeout, a refused connection, 429 or 5xx
  double retry_delay_seconds = 0.5;  // doubled at each retry
  int64_t cache_seconds = 7 * 24 * 3600;  // a good result is trusted this long
  std::string cache_file;                 // empty: no cache
  int64_t now = 0;                        // seconds since 1970; 0: the clock
};

struct ExternalResult {
  std::string url;
  int status = 0;     // the HTTP status after redirects; 0 when none came
  std::string error;  // "timed out", "connection refused", …; empty when a status came
  int tries = 0;      // requests made (0 when the cache answered)
  bool cached = false;
  bool ok() const { return error.empty() && status >= 200 && status < 400; }
};

// Checks each URL (http or https) and returns one result per URL, in order.
std::vector<ExternalResult> check_external(const std::vector<std::string>& urls,
                                           const ExternalOptions& options);

}  // namespace byline
