#include "serve/http.h"

#include <algorithm>

namespace byline::http {

namespace {

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(c); });
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal digits only, no sign, at most 18 of them (so no overflow).
bool parse_number(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = n;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

}  // namespace

const std::string* Request::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return &v;
  return nullptr;
}

size_t head_end(std::string_view data) {
  for (size_t i = data.find('\n'); i != std::string_view::npos; i = data.find('\n', i + 1)) {
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') return i + 3;
  }
  return 0;
}

int parse_head(std::string_view head, Request* request) {
  *request = Request();
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the blank line: the end of the head
    lines.push_back(line);
  }
  if (lines.empty()) return 400;

  // The request line: METHOD SP target SP HTTP/1.x
  std::string_view rl = lines[0];
  size_t sp1 = rl.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || rl.find(' ', sp2 + 1) != std::string_view::npos) return 400;
  std::string_view method = rl.substr(0, sp1);
  std::string_view target = rl.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = rl.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) return 400;
  for (char c : target)
    if (is_control(static_cast<unsigned char>(c)) || c == ' ') return 400;
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return 400;
  if (version[5] != '1') return 505;
  request->method = std::string(method);
  request->target = std::string(target);
  request->minor_version = version[7] - '0';

  bool has_length = false;
  bool close = false, keep_alive = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') return 400;  // obsolete line folding
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return 400;
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return 400;  // empty, or a space before the colon
    std::string_view value = trim(line.substr(colon + 1));
    for (char c : value)
      if (is_control(static_cast<unsigned char>(c)) && c != '\t') return 400;
    std::string lname = lower(name);
    if (lname == "content-length") {
      uint64_t n = 0;
      if (!parse_number(value, &n)) return 400;
      if (has_length && n != request->content_length) return 400;
      has_length = true;
      request->content_length = n;
    } else if (lname == "transfer-encoding") {
      return 501;
    } else if (lname == "connection") {
      std::string_view rest = value;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view token = trim(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        if (iequals(token, "close")) close = true;
        if (iequals(token, "keep-alive")) keep_alive = true;
      }
    }
    request->headers.emplace_back(std::move(lname), std::string(value));
  }
  request->keep_alive = !close && (request->minor_version >= 1 || keep_alive);
  return 0;
}

int decode_path(std::string_view target, std::string* path, bool* trailing_slash) {
  path->clear();
  *trailing_slash = false;
  // The absolute form (a proxy's): http://host/path.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      target.remove_prefix(scheme.size());
      size_t slash = target.find('/');
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  if (target.empty() || target.front() != '/') return 400;
  target = target.substr(0, target.find_first_of("?#"));
  *trailing_slash = target.back() == '/';

  std::string decoded;
  decoded.reserve(target.size());
  for (size_t i = 0; i < target.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(target[i]);
    if (c == '%') {
      if (i + 2 >= target.size()) return 400;
      int hi = hex_value(target[i + 1]), lo = hex_value(target[i + 2]);
      if (hi < 0 || lo < 0) return 400;
      c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    }
    if (is_control(c)) return 400;  // NUL above all: it would end the path early
    decoded.push_back(static_cast<char>(c));
  }

  std::vector<std::string_view> segments;
  std::string_view rest = decoded;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (segments.empty()) return 404;
      segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) path->push_back('/');
    path->append(segments[i]);
  }
  return 0;
}

RangeResult parse_range(std::string_view value, uint64_t size, uint64_t* first, uint64_t* last) {
  value = trim(value);
  if (value.size() < 6 || !iequals(value.substr(0, 6), "bytes=")) return RangeResult::kWhole;
  std::string_view spec = trim(value.substr(6));
  if (spec.find(',') != std::string_view::npos) return RangeResult::kWhole;  // several ranges
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeResult::kWhole;
  std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
  uint64_t x = 0, y = 0;
  if (a.empty()) {  // the last y bytes
    if (!parse_number(b, &y)) return RangeResult::kWhole;
    if (y == 0 || size == 0) return RangeResult::kUnsatisfiable;
    *first = size - std::min(y, size);
    *last = size - 1;
    return RangeResult::kPartial;
  }
  if (!parse_number(a, &x)) return RangeResult::kWhole;
  if (b.empty()) {
    y = UINT64_MAX;
  } else if (!parse_number(b, &y) || y < x) {
    return RangeResult::kWhole;
  }
  if (x >= size) return RangeResult::kUnsatisfiable;
  *first = x;
  *last = std::min(y, size - 1);
  return RangeResult::kPartial;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace byline::http
