#include "check/redirects.h"

#include "base/strings.h"
#include "check/urls.h"

namespace byline {

namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// "301", "302!", "200": the status word that may end a rule.
bool parse_status(std::string_view word, int* status, bool* force) {
  *force = !word.empty() && word.back() == '!';
  if (*force) word.remove_suffix(1);
  if (word.size() != 3) return false;
  int v = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *status = v;
  return true;
}

using Bindings = std::vector<std::pair<std::string, std::string>>;

// Matches `path` against a rule's FROM, segment by segment: ":name" takes
// one segment, a final "*" the rest.
bool match_path(std::string_view pattern, std::string_view path, Bindings* bound) {
  size_t pi = 0, si = 0;
  while (pi < pattern.size()) {
    if (pattern[pi] == '*') {
      bound->push_back({"splat", std::string(path.substr(si))});
      return true;
    }
    if (pattern[pi] == ':' && pi > 0 && pattern[pi - 1] == '/') {
      size_t end = pattern.find('/', pi);
      std::string name(pattern.substr(pi + 1, end - pi - 1));
      size_t seg_end = path.find('/', si);
      if (seg_end == std::string_view::npos) seg_end = path.size();
      if (seg_end == si) return false;
      bound->push_back({name, std::string(path.substr(si, seg_end - si))});
      pi = end == std::string_view::npos ? pattern.size() : end;
      si = seg_end;
      continue;
    }
    if (si >= path.size() || pattern[pi] != path[si]) break;
    ++pi;
    ++si;
  }
  if (pi == pattern.size() && si == path.size()) return true;
  // "/old" and "/old/" are one path to Netlify.
  std::string_view rest_p = pattern.substr(pi), rest_s = path.substr(si);
  return (rest_p.empty() && rest_s == "/") || (rest_s.empty() && rest_p == "/");
}

std::string fill(std::string_view to, const Bindings& bound) {
  std::string out;
  size_t i = 0;
  while (i < to.size()) {
    if (to[i] == ':') {
      size_t end = i + 1;
      while (end < to.size() && to[end] != '/' && to[end] != '?' && to[end] != '&' &&
             to[end] != '.') {
        ++end;
      }
      std::string_view name = to.substr(i + 1, end - i - 1);
      bool found = false;
      for (const auto& [k, v] : bound) {
        if (k == name) {
          out += v;
          found = true;
          break;
        }
      }
      if (found) {
        i = end;
        continue;
      }
    }
    out += to[i++];
  }
  return out;
}

}  // namespace

void Redirects::parse(std::string_view text, const std::string& path, DiagnosticSink* sink) {
  int line_no = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    std::vector<std::string_view> w = words(t);
    RedirectRule rule;
    rule.line = line_no;
    if (w.size() >= 3 && parse_status(w.back(), &rule.status, &rule.force)) w.pop_back();
    if (w.size() < 2 || !w.front().starts_with('/')) {
      if (sink) {
        sink->warning({path, line_no, 1},
                      "not a redirect rule: expected 'FROM [key=value…] TO [STATUS]'", line);
      }
      continue;
    }
    rule.from = url_unescape(w.front());
    rule.to = w.back();
    bool ok = true;
    for (size_t i = 1; i + 1 < w.size(); ++i) {
      size_t eq = w[i].find('=');
      if (eq == std::string_view::npos) {
        ok = false;
        break;
      }
      rule.query.push_back({std::string(w[i].substr(0, eq)), std::string(w[i].substr(eq + 1))});
    }
    if (!ok) {
      if (sink) {
        sink->warning({path, line_no, 1},
                      "not a redirect rule: the words between FROM and TO must be key=value", line);
      }
      continue;
    }
    rules_.push_back(std::move(rule));
  }
}

std::optional<std::string> Redirects::match(std::string_view path, std::string_view query,
                                            const RedirectRule** matched) const {
  Bindings params;
  for (std::string_view param : split(query, '&')) {
    if (param.empty()) continue;
    size_t eq = param.find('=');
    params.push_back({url_unescape(param.substr(0, eq)),
                      eq == std::string_view::npos ? "" : url_unescape(param.substr(eq + 1))});
  }
  for (const RedirectRule& rule : rules_) {
    Bindings bound;
    if (!match_path(rule.from, path, &bound)) continue;
    bool all = true;
    for (const auto& [key, want] : rule.query) {
      bool found = false;
      for (const auto& [k, v] : params) {
        if (k != key) continue;
        if (want.starts_with(':')) {
          bound.push_back({want.substr(1), v});
          found = true;
        } else {
          found = v == want;
        }
        if (found) break;
      }
      if (!found) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (matched) *matched = &rule;
    return fill(rule.to, bound);
  }
  return std::nullopt;
}

}  // namespace byline
