#include "check/external.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "base/strings.h"
#include "check/urls.h"

namespace byline {

namespace {

struct CacheEntry {
  int status = 0;
  int64_t when = 0;
};

// The cache file: one line per URL, "checked-at<TAB>status<TAB>url".
std::unordered_map<std::string, CacheEntry> read_cache(const std::string& path) {
  std::unordered_map<std::string, CacheEntry> cache;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find('\t');
    size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) continue;
    CacheEntry e;
    try {
      e.when = std::stoll(line.substr(0, a));
      e.status = std::stoi(line.substr(a + 1, b - a - 1));
    } catch (...) {
      continue;  // a damaged line: that URL is checked again
    }
    cache[line.substr(b + 1)] = e;
  }
  return cache;
}

void write_cache(const std::string& path,
                 const std::unordered_map<std::string, CacheEntry>& cache) {
  std::map<std::string, CacheEntry> sorted(cache.begin(), cache.end());
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return;  // a cache that cannot be written costs only time
    for (const auto& [url, e] : sorted) out << e.when << '\t' << e.status << '\t' << url << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

// The path and query to request: non-ASCII bytes and spaces percent-encoded.
std::string request_target(std::string_view path, std::string_view query) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  auto add = [&](std::string_view s) {
    for (unsigned char c : s) {
      if (c <= 0x20 || c >= 0x7F) {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
  };
  add(path.empty() ? "/" : path);
  if (!query.empty()) {
    out += '?';
    add(query);
  }
  return out;
}

std::string describe(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
      return "could not connect";
    case httplib::Error::Read:
      return "timed out or the connection closed while reading";
    case httplib::Error::Write:
      return "could not send the request";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::SSLConnection:
      return "TLS connection failed";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not valid";
    case httplib::Error::ConnectionTimeout:
      return "timed out connecting";
    default:
      return "request failed: " + httplib::to_string(e);
  }
}

bool retryable(const ExternalResult& r) {
  return !r.error.empty() || r.status == 429 || r.status >= 500;
}

ExternalResult fetch_once(const std::string& url, const ExternalOptions& options) {
  ExternalResult r;
  r.url = url;
  UrlParts parts = split_url(url);
  std::string scheme = parts.scheme.empty() ? "https" : std::string(parts.scheme);  // "//host/x"
  std::string origin = scheme + "://" + std::string(parts.authority);
  httplib::Client client(origin);
  if (!client.is_valid()) {
    r.error = "not a URL byline can request";
    return r;
  }
  auto seconds = std::chrono::duration<double>(options.timeout_seconds);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(seconds);
  client.set_connection_timeout(us);
  client.set_read_timeout(us);
  client.set_write_timeout(us);
  client.set_follow_location(true);
  client.set_keep_alive(false);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  client.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
  client.enable_server_certificate_verification(true);
#endif
  httplib::Headers headers = {{"User-Agent", "byline-check (link checker)"}};
  std::string target = request_target(parts.path, parts.query);
  httplib::Result res = client.Head(target, headers);
  // Some servers refuse HEAD; ask again with GET.
  if (res && (res->status == 405 || res->status == 501 || res->status == 403)) {
    res = client.Get(target, headers);
  }
  if (!res) {
    r.error = describe(res.error());
    return r;
  }
  r.status = res->status;
  return r;
}

std::string host_of(const std::string& url) {
  UrlParts parts = split_url(url);
  return normal_origin(parts.scheme, parts.authority);
}

}  // namespace

std::vector<ExternalResult> check_external(const std::vector<std::string>& urls,
                                           const ExternalOptions& options) {
  std::vector<ExternalResult> results(urls.size());
  int64_t now = options.now ? options.now : static_cast<int64_t>(std::time(nullptr));
  std::unordered_map<std::string, CacheEntry> cache;
  if (!options.cache_file.empty()) cache = read_cache(options.cache_file);

  std::vector<size_t> todo;
  for (size_t i = 0; i < urls.size(); ++i) {
    results[i].url = urls[i];
    auto it = cache.find(urls[i]);
    if (it != cache.end() && now - it->second.when < options.cache_seconds &&
        it->second.status >= 200 && it->second.status < 400) {
      results[i].status = it->second.status;
      results[i].cached = true;
      continue;
    }
    todo.push_back(i);
  }

  // Workers take the next URL whose host has a free place.
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, unsigned> busy;
  std::vector<bool> taken(todo.size(), false);
  size_t left = todo.size();
  auto take = [&](std::string* host) -> std::optional<size_t> {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      if (left == 0) return std::nullopt;
      for (size_t k = 0; k < todo.size(); ++k) {
        if (taken[k]) continue;
        std::string h = host_of(urls[todo[k]]);
        if (busy[h] >= std::max(1u, options.per_host)) continue;
        taken[k] = true;
        --left;
        ++busy[h];
        *host = h;
        return todo[k];
      }
      cv.wait(lock);
    }
  };
  auto worker = [&] {
    std::string host;
    while (std::optional<size_t> i = take(&host)) {
      ExternalResult r;
      double delay = options.retry_delay_seconds;
      for (int attempt = 0; attempt <= options.retries; ++attempt) {
        r = fetch_once(urls[*i], options);
        r.tries = attempt + 1;
        if (!retryable(r) || attempt == options.retries) break;
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        delay *= 2;
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        results[*i] = std::move(r);
        --busy[host];
      }
      cv.notify_all();
    }
  };
  unsigned n = std::max(1u, std::min<unsigned>(options.concurrency, todo.size()));
  std::vector<std::thread> threads;
  if (!todo.empty()) {
    for (unsigned t = 0; t < n; ++t) threads.emplace_back(worker);
  }
  for (std::thread& t : threads) t.join();

  if (!options.cache_file.empty()) {
    for (size_t i : todo) {
      if (results[i].ok()) {
        cache[urls[i]] = {results[i].status, now};
      } else {
        cache.erase(urls[i]);
      }
    }
    write_cache(options.cache_file, cache);
  }
  return results;
}

}  // namespace byline
