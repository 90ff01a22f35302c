#include "check/wordpress_urls.h"

#include <cctype>
#include <map>
#include <set>

#include "check/urls.h"

namespace byline {

namespace {

class UrlMapper {
 public:
  explicit UrlMapper(const WxrChannel& channel) {
    std::string base = !channel.base_blog_url.empty() ? channel.base_blog_url : channel.link;
    UrlParts parts = split_url(base);
    authority_ = parts.authority;
    base_path_ = url_unescape(parts.path);
    if (base_path_.empty() || base_path_.back() != '/') base_path_ += '/';
    scheme_ = parts.scheme.empty() ? "https" : std::string(parts.scheme);
  }

  // "https://blog/2008/09/x/" or "/2008/09/x/" → "/2008/09/x/" and its
  // query; false for another host.
  bool map(std::string_view url, std::string* site_path, std::string* query) const {
    UrlParts parts = split_url(url);
    // The same host over either scheme is the same site.
    if (parts.has_authority && !authority_.empty() && host(parts.authority) != host(authority_)) {
      return false;
    }
    std::string path = url_unescape(parts.path.empty() ? "/" : parts.path);
    // "//greek/x/" (in real exports) is "/greek/x/" to a web server.
    for (size_t at; (at = path.find("//")) != std::string::npos;) path.erase(at, 1);
    if (path.starts_with(base_path_)) {
      path = "/" + path.substr(base_path_.size());
    } else if (path + "/" == base_path_) {
      path = "/";
    }
    *site_path = path;
    *query = parts.query;
    return true;
  }

  // "scheme://host" of the blog, which a root-relative URL is on.
  std::string origin() const { return authority_.empty() ? "" : scheme_ + "://" + authority_; }

  std::string absolute(std::string_view site_path) const {
    std::string out = authority_.empty() ? "" : scheme_ + "://" + authority_;
    return out + base_path_ + std::string(site_path.substr(1));
  }

 private:
  static std::string host(std::string_view authority) {
    std::string h = normal_origin("", authority);
    return h.substr(0, h.rfind(':'));
  }

  std::string scheme_, authority_, base_path_;
};

std::string quoted(const WxrItem& item) {
  std::string kind = item.post_type == "post" ? "post" : item.post_type;
  return kind + " '" + item.title + "' (id " + std::to_string(item.id) + ")";
}

// The /wp-content/uploads/ URLs in a post's HTML: from the marker back to
// where the URL starts (a quote, '(', '=' or a space) and on to where it ends.
void uploads_in(std::string_view html, std::vector<std::string>* out) {
  size_t at = 0;
  while ((at = html.find("/wp-content/uploads/", at)) != std::string_view::npos) {
    size_t start = at;
    while (start > 0) {
      char c = html[start - 1];
      if (c == '"' || c == '\'' || c == '(' || c == '=' || c == ' ' || c == '\n' || c == '>' ||
          c == '[' || c == ',') {
        break;
      }
      --start;
    }
    size_t end = at + 20;
    while (end < html.size()) {
      char c = html[end];
      if (c == '"' || c == '\'' || c == ')' || c == ' ' || c == '\n' || c == '<' || c == ']' ||
          c == '\r' || c == '\t' || c == ',') {
        break;
      }
      ++end;
    }
    std::string_view url = html.substr(start, end - start);
    // CSS in a style attribute quotes with entities: url(&quot;…&quot;).
    for (std::string_view quote : {"&quot;", "&#039;", "&#39;", "&apos;"}) {
      if (url.starts_with(quote)) url.remove_prefix(quote.size());
      size_t q = url.find(quote);
      if (q != std::string_view::npos) url = url.substr(0, q);
    }
    out->push_back(std::string(url));
    at = end;
  }
}

// The quoted values of `name`= attributes in `html` ("href", "src", "id").
template <typename Fn>
void attributes(std::string_view html, std::string_view name, Fn&& fn) {
  for (size_t at = 0; (at = html.find(name, at)) != std::string_view::npos; at += name.size()) {
    if (at > 0 && !std::isspace(static_cast<unsigned char>(html[at - 1]))) continue;
    size_t eq = at + name.size();
    while (eq < html.size() && html[eq] == ' ') ++eq;
    if (eq >= html.size() || html[eq] != '=') continue;
    size_t q = eq + 1;
    while (q < html.size() && html[q] == ' ') ++q;
    if (q >= html.size() || (html[q] != '"' && html[q] != '\'')) continue;
    size_t close = html.find(html[q], q + 1);
    if (close == std::string_view::npos) return;
    std::string value(html.substr(q + 1, close - q - 1));
    for (size_t amp; (amp = value.find("&amp;")) != std::string::npos;) value.erase(amp + 1, 4);
    fn(value);
  }
}

}  // namespace

bool export_site_path(const WxrChannel& channel, std::string_view url, std::string* path) {
  std::string query;
  return UrlMapper(channel).map(url, path, &query);
}

ExportLinks export_links(const WxrChannel& channel) {
  UrlMapper mapper(channel);
  ExportLinks out;
  for (const WxrItem& item : channel.items) {
    if (item.status != "publish" || (item.post_type != "post" && item.post_type != "page")) {
      continue;
    }
    auto link = [&](const std::string& url) {
      if (url.starts_with('#')) {
        out.fragments.insert(url_unescape(url.substr(1)));
      } else if (url.starts_with('/') || url.find("://") != std::string::npos) {
        std::string path, query;
        if (mapper.map(url.substr(0, url.find('#')), &path, &query)) out.paths.insert(path);
      }
      out.urls.insert(url);
    };
    attributes(item.content, "href", link);
    attributes(item.content, "src", link);
    auto id = [&](const std::string& value) { out.ids.insert(value); };
    attributes(item.content, "id", id);
    attributes(item.content, "name", id);
  }
  return out;
}

std::vector<OldUrl> wordpress_urls(const WxrChannel& channel,
                                   const std::vector<StaleTermSlug>& stale) {
  UrlMapper mapper(channel);
  std::vector<OldUrl> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](std::string url, std::string what, int line, bool query_rule,
                 bool warning_only = false) {
    OldUrl u;
    if (!mapper.map(url, &u.site_path, &u.query)) return;
    if (!seen.insert({u.site_path, u.query}).second) return;
    u.url = std::move(url);
    u.what = std::move(what);
    u.line = line;
    u.query_rule = query_rule;
    u.warning_only = warning_only;
    out.push_back(std::move(u));
  };

  std::map<int64_t, const WxrItem*> by_id;
  for (const WxrItem& item : channel.items) by_id[item.id] = &item;
  auto published = [](const WxrItem& item) {
    return item.status == "publish" && (item.post_type == "post" || item.post_type == "page");
  };

  // Category paths follow their parents, as WordPress links them.
  std::map<std::string, std::string> parent_of;
  for (const WxrTerm& t : channel.terms) {
    if (t.taxonomy == "category") parent_of[url_unescape(t.slug)] = url_unescape(t.parent_slug);
  }
  auto category_path = [&](std::string slug) {
    std::string path = slug;
    for (int depth = 0; depth < 20; ++depth) {
      auto it = parent_of.find(slug);
      if (it == parent_of.end() || it->second.empty()) break;
      slug = it->second;
      path = slug + "/" + path;
    }
    return path;
  };
  std::set<std::pair<std::string, std::string>> terms;  // (domain, decoded slug)

  for (const WxrItem& item : channel.items) {
    std::string what = quoted(item);
    bool hidden = !item.password.empty();
    if (published(item)) {
      if (!item.link.empty()) add(item.link, what, item.line, false, hidden);
      if (item.id > 0) {
        add(mapper.absolute("/") + "?p=" + std::to_string(item.id), what, item.line, true, hidden);
        if (item.post_type == "page") {
          add(mapper.absolute("/") + "?page_id=" + std::to_string(item.id), what, item.line, true,
              hidden);
        }
      }
      if (!hidden) {
        for (const WxrItemTerm& t : item.terms) {
          if (t.domain == "category" || t.domain == "post_tag") {
            terms.insert({t.domain, url_unescape(t.slug)});
          }
        }
      }
      std::vector<std::string> uploads;
      uploads_in(item.content, &uploads);
      for (const std::string& u : uploads) {
        add(u.starts_with("/") && !u.starts_with("//") ? mapper.origin() + u : u,
            "a file shown by " + what, item.line, false, hidden);
      }
    } else if (item.post_type == "attachment") {
      auto parent = by_id.find(item.parent);
      bool parent_public =
          item.parent == 0 ||
          (parent != by_id.end() && published(*parent->second) && parent->second->password.empty());
      if (!parent_public) continue;
      if (!item.link.empty() && item.link.find("/wp-content/uploads/") == std::string::npos) {
        add(item.link, what, item.line, false);
      }
      if (!item.attachment_url.empty())
        add(item.attachment_url, "the file of " + what, item.line, false);
    }
  }
  for (const auto& [domain, slug] : terms) {
    std::string path =
        domain == "category" ? "/category/" + category_path(slug) + "/" : "/tag/" + slug + "/";
    std::string what = (domain == "category" ? "category '" : "tag '") + slug + "'";
    add(mapper.absolute(path), what + " archive", 0, false);
  }
  // A nicename the posts gave a term the export lists under another slug:
  // the importer keeps its archive URL as a redirect.
  for (const StaleTermSlug& s : stale) {
    if (s.taxonomy != "category" && s.taxonomy != "post_tag") continue;
    bool category = s.taxonomy == "category";
    add(mapper.absolute((category ? "/category/" : "/tag/") + s.stale + "/"),
        std::string(category ? "category '" : "tag '") + s.stale +
            "' archive, as the posts named " + s.name + " (the export lists it as " + s.slug + ")",
        0, false);
  }
  return out;
}

}  // namespace byline
