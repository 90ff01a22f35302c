#include "check/urls.h"

#include <vector>

namespace byline {

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  size_t hash = url.find('#');
  if (hash != std::string_view::npos) {
    parts.fragment = url.substr(hash + 1);
    parts.has_fragment = true;
    url = url.substr(0, hash);
  }
  size_t q = url.find('?');
  if (q != std::string_view::npos) {
    parts.query = url.substr(q + 1);
    url = url.substr(0, q);
  }
  // A scheme: letters, digits, + - . before the first ':', starting with a letter.
  size_t colon = url.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    bool scheme = (url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z');
    for (size_t i = 1; scheme && i < colon; ++i) {
      char c = url[i];
      scheme = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '-' || c == '.';
    }
    if (scheme) {
      parts.scheme = url.substr(0, colon);
      url = url.substr(colon + 1);
    }
  }
  if (url.starts_with("//")) {
    url.remove_prefix(2);
    size_t slash = url.find('/');
    parts.authority = url.substr(0, slash);
    parts.has_authority = true;
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  parts.path = url;
  return parts;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string url_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string join_url_path(std::string_view base, std::string_view path) {
  std::string whole;
  if (path.starts_with('/')) {
    whole = path;
  } else {
    whole = base;
    if (whole.empty() || whole.back() != '/') whole += '/';
    whole += path;
  }
  std::vector<std::string_view> segments;
  std::string_view rest = whole;
  rest.remove_prefix(1);  // the leading '/'
  bool folder = false;
  while (true) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    bool last = slash == std::string_view::npos;
    folder = last && (seg.empty() || seg == "." || seg == "..");
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (seg != "." && !(seg.empty() && !last)) {
      if (!seg.empty()) segments.push_back(seg);
    }
    if (last) break;
    rest = rest.substr(slash + 1);
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    out += segments[i];
    if (i + 1 < segments.size()) out += '/';
  }
  if (folder && !segments.empty()) out += '/';
  return out;
}

std::string normal_origin(std::string_view scheme, std::string_view authority) {
  std::string out;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  for (char c : authority) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  bool has_port = out.find(':') != std::string::npos && out.back() != ']';
  if (!has_port) {
    std::string s;
    for (char c : scheme) s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    if (s == "https")
      out += ":443";
    else if (s == "http" || s.empty())
      out += ":80";
  }
  return out;
}

}  // namespace byline
