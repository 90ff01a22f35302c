// Patterns are inferred per post and then voted on, so a blog that changed
// its permalink structure keeps the structure most of its posts have, and
// the rest get an explicit url.
#include "import/permalink_inference.h"

#include <cstdio>
#include <map>

#include "base/strings.h"

namespace byline {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string two_digits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

std::string_view strip_scheme_and_www(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://", "//"}) {
    if (starts_with(url, scheme)) {
      url.remove_prefix(scheme.size());
      break;
    }
  }
  if (starts_with(url, "www.")) url.remove_prefix(4);
  return url;
}

}  // namespace

std::string percent_decode(std::string_view s) {
  if (s.find('%') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  if (find_invalid_utf8(out) != std::string::npos) return std::string(s);
  return out;
}

std::string permalink_pattern_of(const PermalinkSample& sample) {
  if (sample.path.empty() || sample.path.find('?') != std::string::npos) return "";
  if (sample.slug.empty()) return "";
  std::string pattern = "/";
  bool has_slug = false;
  for (std::string_view seg : split(sample.path, '/')) {
    if (seg.empty()) continue;
    std::string token;
    if (!has_slug && seg == sample.slug) {
      token = ":slug";
      has_slug = true;
    } else if (seg == std::to_string(sample.year) && pattern.find(":year") == std::string::npos) {
      token = ":year";
    } else if (seg == two_digits(sample.month) && pattern.find(":year") != std::string::npos &&
               pattern.find(":month") == std::string::npos) {
      token = ":month";
    } else if (seg == two_digits(sample.day) && pattern.find(":month") != std::string::npos &&
               pattern.find(":day") == std::string::npos) {
      token = ":day";
    } else {
      token = std::string(seg);  // a fixed part such as "blog" or "archives"
    }
    pattern += token;
    pattern += '/';
  }
  if (!has_slug) return "";
  if (!ends_with(sample.path, "/")) pattern.pop_back();
  return pattern;
}

std::string infer_permalink_pattern(const std::vector<PermalinkSample>& samples,
                                    std::string_view fallback) {
  std::map<std::string, size_t> votes;
  std::string best;
  size_t best_votes = 0;
  for (const PermalinkSample& s : samples) {
    std::string p = permalink_pattern_of(s);
    if (p.empty()) continue;
    size_t v = ++votes[p];
    // Ties go to the pattern seen first, so the result does not depend on
    // map order.
    if (v > best_votes) {
      best_votes = v;
      best = p;
    }
  }
  return best.empty() ? std::string(fallback) : best;
}

std::string expand_permalink(std::string_view pattern, const PermalinkSample& s) {
  std::string out(pattern);
  replace_all(out, ":year", std::to_string(s.year));
  replace_all(out, ":month", two_digits(s.month));
  replace_all(out, ":day", two_digits(s.day));
  replace_all(out, ":slug", s.slug);
  return out;
}

bool site_relative_path(std::string_view url, std::string_view base_url, std::string* path) {
  std::string_view u = strip_scheme_and_www(trim(url));
  std::string_view b = strip_scheme_and_www(trim(base_url));
  while (!b.empty() && b.back() == '/') b.remove_suffix(1);
  if (b.empty() || !starts_with(u, b)) return false;
  std::string_view rest = u.substr(b.size());
  if (!rest.empty() && rest[0] != '/' && rest[0] != '?' && rest[0] != '#') return false;
  size_t hash = rest.find('#');
  std::string_view fragment = hash == std::string_view::npos ? "" : rest.substr(hash);
  rest = rest.substr(0, hash);
  std::string out = percent_decode(rest);
  if (out.empty() || out[0] != '/') out = "/" + out;
  out += fragment;
  *path = std::move(out);
  return true;
}

std::string sanitize_title(std::string_view s) {
  std::string in = percent_decode(s);
  std::string out;
  out.reserve(in.size());
  bool dash = false;
  auto put = [&](char c) {
    if (dash && !out.empty()) out += '-';
    dash = false;
    out += c;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '<') {  // a tag goes whole
      size_t end = in.find('>', i);
      if (end != std::string::npos) {
        i = end;
        continue;
      }
    }
    if (c == '&') {  // so does an entity
      size_t end = in.find(';', i);
      if (end != std::string::npos && end - i <= 10) {
        i = end;
        continue;
      }
    }
    if (c >= 0x80) {
      put(static_cast<char>(c));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      put(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      put(static_cast<char>(c - 'A' + 'a'));
    } else if (c == '-' || c == '.' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      dash = true;
    }
  }
  return out;
}

}  // namespace byline
