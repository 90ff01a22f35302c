#include "check/site_check.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <unordered_map>

#include <fcntl.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/thread_pool.h"
#include "check/urls.h"

namespace byline {

namespace {

std::string_view base_name(std::string_view file) {
  size_t slash = file.rfind('/');
  return slash == std::string_view::npos ? file : file.substr(slash + 1);
}

bool is_html(std::string_view file) { return file.ends_with(".html") || file.ends_with(".htm"); }

bool is_sitemap(std::string_view file) {
  if (file.find('/') != std::string_view::npos) return false;
  return file == "sitemap.xml" || (file.starts_with("sitemap-") && file.ends_with(".xml"));
}

bool named(const std::vector<std::string>& names, std::string_view file) {
  std::string_view base = base_name(file);
  return std::find(names.begin(), names.end(), base) != names.end();
}

std::string missing_message(const Resolution& r) {
  switch (r.status) {
    case Resolution::kMissing:
      return "is not in the output";
    case Resolution::kBadRedirect:
      return "is redirected by _redirects to " + r.redirect_to + ", which is not in the output";
    case Resolution::kOutsideBase:
      return "is outside the site: its path does not start with the base URL's";
    default:
      return "";
  }
}

// Reads a whole file into `buf`, reused from file to file: for 17,000 small
// files, read() into one buffer costs a third of what mapping each one does
// (page faults, and unmapping, which interrupts the other threads). No
// fstat(): a read that fills less than the room left is the end of a
// regular file, so most pages take open, one read and close.
bool read_into(const std::string& path, std::vector<char>* buf, std::string_view* text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  // The buffer only grows, so it is never cleared again.
  if (buf->size() < (size_t{1} << 18)) buf->resize(size_t{1} << 18);
  size_t got = 0;
  for (;;) {
    if (got == buf->size()) buf->resize(buf->size() * 2);
    size_t room = buf->size() - got;
    ssize_t n = ::read(fd, buf->data() + got, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return false;
    }
    got += static_cast<size_t>(n);
    if (n == 0 || static_cast<size_t>(n) < room) break;
  }
  ::close(fd);
  *text = std::string_view(buf->data(), got);
  return true;
}

enum class FileKind { kHtml, kRss, kAtom, kJson, kSitemap, kOther };

struct Slot {
  std::vector<std::string> ids;  // sorted
  std::vector<LinkProblem> problems;
  std::vector<PendingFragment> pending;
  std::vector<std::string> pending_urls;  // the link of each pending fragment
  std::vector<uint32_t> pending_offsets;
  std::vector<ExternalLink> external;
  SiteCheckResult counts;
};

// A feed's or sitemap's entry: a URL that must be a page of the output.
void check_entry(const OutputIndex& index, const std::string& file, const std::string& url,
                 uint32_t offset, const char* kind, Slot* slot) {
  Resolution r = index.resolve(file, url);
  if (r.status == Resolution::kFile) {
    // An alias's redirect page is a file too, but not a page to list.
    const RedirectRule* rule = nullptr;
    std::optional<std::string> to = index.redirects().match(r.site_path, "", &rule);
    if (!to || !rule->query.empty()) return;
    slot->problems.push_back(
        {file, offset, kind, url, "is an alias (a redirect to " + *to + "), not a page", ""});
    return;
  }
  if (r.status == Resolution::kIgnored || r.status == Resolution::kExternal) return;
  std::string message = r.status == Resolution::kRedirect
                            ? "is an alias (a redirect to " + r.file + "), not a page"
                            : missing_message(r);
  slot->problems.push_back({file, offset, kind, url, std::move(message), r.site_path});
}

void parse_error(const std::string& file, uint32_t offset, const char* kind, std::string what,
                 Slot* slot) {
  slot->problems.push_back({file, offset, kind, "", "does not parse: " + what, ""});
}

void check_xml(const OutputIndex& index, const std::string& file, std::string_view text,
               FileKind kind, Slot* slot) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  const char* label = kind == FileKind::kSitemap ? "sitemap" : "feed";
  if (!parsed) {
    parse_error(file, static_cast<uint32_t>(parsed.offset), label, parsed.description(), slot);
    return;
  }
  auto entry = [&](const pugi::xml_node& node, const std::string& url) {
    check_entry(index, file, url,
                static_cast<uint32_t>(std::max<ptrdiff_t>(0, node.offset_debug())), label, slot);
  };
  pugi::xml_node root = doc.document_element();
  if (kind == FileKind::kRss) {
    ++slot->counts.feeds;
    pugi::xml_node channel = root.child("channel");
    if (std::string_view(root.name()) != "rss" || !channel) {
      parse_error(file, 0, label, "not an RSS 2.0 feed (no <rss><channel>)", slot);
      return;
    }
    for (pugi::xml_node item : channel.children("item")) {
      ++slot->counts.feed_items;
      pugi::xml_node link = item.child("link");
      if (!link) {
        parse_error(file, static_cast<uint32_t>(item.offset_debug()), label,
                    "an <item> has no <link>", slot);
        continue;
      }
      entry(link, link.text().get());
    }
  } else if (kind == FileKind::kAtom) {
    ++slot->counts.feeds;
    if (std::string_view(root.name()) != "feed") {
      parse_error(file, 0, label, "not an Atom feed (no <feed>)", slot);
      return;
    }
    for (pugi::xml_node e : root.children("entry")) {
      ++slot->counts.feed_items;
      bool found = false;
      for (pugi::xml_node link : e.children("link")) {
        std::string_view rel = link.attribute("rel").value();
        if (!rel.empty() && rel != "alternate") continue;
        found = true;
        entry(link, link.attribute("href").value());
      }
      if (!found) {
        parse_error(file, static_cast<uint32_t>(e.offset_debug()), label,
                    "an <entry> has no alternate <link>", slot);
      }
    }
  } else {
    ++slot->counts.sitemaps;
    std::string_view name = root.name();
    if (name != "urlset" && name != "sitemapindex") {
      parse_error(file, 0, label, "not a sitemap (no <urlset> or <sitemapindex>)", slot);
      return;
    }
    const char* child = name == "urlset" ? "url" : "sitemap";
    for (pugi::xml_node u : root.children(child)) {
      ++slot->counts.sitemap_urls;
      pugi::xml_node loc = u.child("loc");
      entry(loc ? loc : u, loc.text().get());
    }
  }
}

void check_json_feed(const OutputIndex& index, const std::string& file, std::string_view text,
                     Slot* slot) {
  ++slot->counts.feeds;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    parse_error(file, 0, "feed", "not a JSON object", slot);
    return;
  }
  auto items = doc.find("items");
  if (items == doc.end() || !items->is_array()) {
    parse_error(file, 0, "feed", "a JSON Feed needs an \"items\" array", slot);
    return;
  }
  for (const auto& item : *items) {
    ++slot->counts.feed_items;
    auto url = item.is_object() ? item.find("url") : item.end();
    if (!item.is_object() || url == item.end() || !url->is_string()) {
      parse_error(file, 0, "feed", "an item has no \"url\"", slot);
      continue;
    }
    std::string u = url->get<std::string>();
    // Where the URL is written, so the report can give its line.
    size_t at = text.find(nlohmann::json(u).dump());
    check_entry(index, file, u, at == std::string_view::npos ? 0 : static_cast<uint32_t>(at),
                "feed", slot);
  }
}

}  // namespace

bool has_fragment(const std::vector<std::string>& ids, std::string_view fragment) {
  if (fragment.empty() || fragment == "top") return true;
  return std::binary_search(ids.begin(), ids.end(), fragment,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

const ResolveCache::Slot* ResolveCache::find(uint64_t key) const {
  if (slots_.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i].key == key) return &slots_[i];
    if (slots_[i].key == 0) return nullptr;
  }
}

void ResolveCache::insert(uint64_t key, Resolution::Status status, int64_t file) {
  if ((used_ + 1) * 2 > slots_.size()) {
    // Grow at half full, so probes stay short.
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 4096 : old.size() * 2, Slot{});
    used_ = 0;
    for (const Slot& s : old) {
      if (s.key) insert(s.key, s.status, s.file);
    }
  }
  size_t mask = slots_.size() - 1;
  size_t i = key & mask;
  while (slots_[i].key != 0) i = (i + 1) & mask;
  slots_[i] = Slot{key, static_cast<int32_t>(file), status};
  ++used_;
}

ResolveCache::Hit ResolveCache::lookup(const OutputIndex& index, const std::string& file,
                                       std::string_view url, Resolution* full) {
  // A link that does not depend on the page it is on: most of a page's
  // links (menus, tags, lists) are the same on every page.
  bool absolute = (url.starts_with('/') && !url.starts_with("//")) || url.starts_with("http");
  if (!absolute) {
    *full = index.resolve(file, url);
    return {};
  }
  uint64_t key = hash_bytes(url.substr(0, url.find('#')));
  if (key == 0) key = 1;
  const Slot* known = find(key);
  if (known) {
    // Problems are worked out in full each time: they are few, and their
    // report needs every detail.
    Resolution::Status s = known->status;
    if (s == Resolution::kFile || s == Resolution::kRedirect || s == Resolution::kExternal ||
        s == Resolution::kIgnored) {
      return {true, s, known->file};
    }
  }
  *full = index.resolve(file, url);
  if (!known) {
    int64_t at = full->status == Resolution::kFile || full->status == Resolution::kRedirect
                     ? index.find(full->file)
                     : -1;
    insert(key, full->status, at);
  }
  return {};
}

void check_page_links(const OutputIndex& index, const std::string& file, const HtmlScan& scan,
                      std::vector<LinkProblem>* problems, std::vector<PendingFragment>* pending,
                      SiteCheckResult* counts, std::vector<ExternalLink>* external,
                      ResolveCache* cache) {
  ResolveCache local;
  if (!cache) cache = &local;
  Resolution full;
  for (size_t i = 0; i < scan.links.size(); ++i) {
    const HtmlLink& link = scan.links[i];
    ++counts->links;
    ResolveCache::Hit hit = cache->lookup(index, file, link.url, &full);
    Resolution::Status status = hit.known ? hit.status : full.status;
    switch (status) {
      case Resolution::kIgnored:
        continue;
      case Resolution::kExternal:
        ++counts->external_links;
        if (external) external->push_back({link.url, file, link.offset, 1});
        continue;
      case Resolution::kRedirect:
        ++counts->internal_links;
        continue;
      case Resolution::kFile: {
        ++counts->internal_links;
        size_t hash = link.url.find('#');
        if (hash == std::string::npos) continue;
        std::string fragment = hit.known ? url_unescape(std::string_view(link.url).substr(hash + 1))
                                         : std::move(full.fragment);
        if (fragment.empty() || fragment == "top") continue;
        int64_t target = hit.known ? hit.file : index.find(full.file);
        if (target < 0) continue;
        const std::string& target_file = index.files()[static_cast<size_t>(target)];
        if (!is_html(target_file)) continue;
        ++counts->fragments;
        if (target_file == file) {
          if (!has_fragment(scan.ids, fragment)) {
            problems->push_back(
                {file, link.offset, "fragment", link.url, "names no id on this page", ""});
          }
        } else {
          pending->push_back(
              {static_cast<uint32_t>(target), std::move(fragment), static_cast<uint32_t>(i)});
        }
        continue;
      }
      default:
        ++counts->internal_links;
        problems->push_back({file, link.offset, link_kind_name(link.kind), link.url,
                             missing_message(full), full.site_path});
    }
  }
}

void check_output(const std::string& dest, const OutputIndex& index,
                  const SiteCheckOptions& options, SiteCheckResult* out) {
  const std::vector<std::string>& files = index.files();
  std::vector<FileKind> kinds(files.size(), FileKind::kOther);
  std::vector<uint32_t> work;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& f = files[i];
    if (is_html(f)) {
      kinds[i] = FileKind::kHtml;
    } else if (is_sitemap(f)) {
      kinds[i] = FileKind::kSitemap;
    } else if (named(options.rss, f)) {
      kinds[i] = FileKind::kRss;
    } else if (named(options.atom, f)) {
      kinds[i] = FileKind::kAtom;
    } else if (named(options.json, f)) {
      kinds[i] = FileKind::kJson;
    } else {
      continue;
    }
    work.push_back(static_cast<uint32_t>(i));
  }
  std::vector<Slot> slots(files.size());
  static std::atomic<uint64_t> runs{0};
  const uint64_t run = ++runs;
  parallel_for(work.size(), [&](size_t w) {
    uint32_t i = work[w];
    Slot& slot = slots[i];
    const std::string& file = files[i];
    thread_local std::vector<char> buffer;
    std::string_view text;
    if (!read_into(dest + "/" + file, &buffer, &text)) {
      slot.problems.push_back({file, 0, "file", "", "cannot be read", ""});
      return;
    }
    switch (kinds[i]) {
      case FileKind::kHtml: {
        ++slot.counts.html_files;
        HtmlScan scan;
        scan_html(text, &scan);
        std::sort(scan.ids.begin(), scan.ids.end());
        // One cache per thread and run: the pool's threads outlive a run.
        thread_local ResolveCache cache;
        thread_local uint64_t cache_run = 0;
        if (cache_run != run) {
          cache = ResolveCache();
          cache_run = run;
        }
        check_page_links(index, file, scan, &slot.problems, &slot.pending, &slot.counts,
                         options.collect_external ? &slot.external : nullptr, &cache);
        for (const PendingFragment& p : slot.pending) {
          slot.pending_urls.push_back(scan.links[p.link].url);
          slot.pending_offsets.push_back(scan.links[p.link].offset);
        }
        slot.ids = std::move(scan.ids);
        break;
      }
      case FileKind::kJson:
        check_json_feed(index, file, text, &slot);
        break;
      case FileKind::kOther:
        break;
      default:
        check_xml(index, file, text, kinds[i], &slot);
    }
  });
  // Fragments on other pages, now that every page's ids are known.
  parallel_for(work.size(), [&](size_t w) {
    Slot& slot = slots[work[w]];
    for (size_t k = 0; k < slot.pending.size(); ++k) {
      const PendingFragment& p = slot.pending[k];
      if (has_fragment(slots[p.target].ids, p.fragment)) continue;
      slot.problems.push_back({files[work[w]], slot.pending_offsets[k], "fragment",
                               slot.pending_urls[k], "names no id on " + files[p.target], ""});
    }
  });
  std::map<std::string, ExternalLink> external;
  for (uint32_t i : work) {
    Slot& s = slots[i];
    out->html_files += s.counts.html_files;
    out->links += s.counts.links;
    out->internal_links += s.counts.internal_links;
    out->external_links += s.counts.external_links;
    out->fragments += s.counts.fragments;
    out->feeds += s.counts.feeds;
    out->feed_items += s.counts.feed_items;
    out->sitemaps += s.counts.sitemaps;
    out->sitemap_urls += s.counts.sitemap_urls;
    std::sort(s.problems.begin(), s.problems.end(),
              [](const LinkProblem& a, const LinkProblem& b) { return a.offset < b.offset; });
    for (LinkProblem& p : s.problems) out->problems.push_back(std::move(p));
    for (ExternalLink& e : s.external) {
      auto [it, added] = external.emplace(e.url, e);
      if (!added) ++it->second.count;
    }
  }
  for (auto& [url, link] : external) out->external.push_back(std::move(link));
}

}  // namespace byline
