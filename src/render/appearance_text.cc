// Writing an appearance as one sentence of HTML.
#include "render/appearance_text.h"

#include "base/strings.h"

namespace byline {

std::string_view appearance_verb(std::string_view kind) {
  if (kind == "interview") return "Interviewed by";
  if (kind == "quoted") return "Quoted in";
  if (kind == "broadcast") return "On";
  if (kind == "podcast") return "On";
  if (kind == "op-ed") return "Wrote for";
  if (kind == "event") return "Spoke at";
  if (kind == "pickup") return "Picked up by";
  return "Spoke to";
}

namespace {

void append_link(std::string& out, std::string_view href, std::string_view text) {
  out += "<a href=\"";
  out += html_escape(href);
  out += "\">";
  out += html_escape(text);
  out += "</a>";
}

// Where site paths link to: the page's relative link or the feed's URL.
struct Links {
  const SiteUrls& urls;
  bool absolute;
  std::string operator()(std::string_view path) const {
    return absolute ? urls.absolute(path) : urls.relative(path);
  }
};

// An outlet's name in italics, linked to `url` if given, else to its page.
void append_outlet(std::string& out, const Site& site, const std::string& name,
                   const std::string& url, const Links& link) {
  const Term* term = site.find_outlet(name);
  const std::string& shown = term ? term->name : name;
  out += "<em>";
  if (!url.empty()) {
    append_link(out, url.front() == '/' ? link(url) : url, shown);
  } else if (term) {
    append_link(out, link(term->permalink), shown);
  } else {
    out += html_escape(shown);
  }
  out += "</em>";
}

}  // namespace

std::string appearance_sentence(const Site& site, const Appearance& a, bool absolute_links) {
  const Links link{site.config->urls, absolute_links};
  std::string out;
  out += appearance_verb(a.kind);
  out += ' ';
  if (a.topic.empty()) {
    append_outlet(out, site, a.outlet, a.url, link);
  } else {
    append_outlet(out, site, a.outlet, "", link);
    out += " about ";
    if (a.url.empty()) {
      out += html_escape(a.topic);
    } else {
      append_link(out, a.url.front() == '/' ? link(a.url) : a.url, a.topic);
    }
  }
  if (!a.note.empty()) {
    out += " (";
    out += html_escape(a.note);
    out += ')';
  }
  for (size_t i = 0; i < a.pickups.size(); ++i) {
    const Pickup& p = a.pickups[i];
    out += i == 0 ? ", also picked up by " : (i + 1 == a.pickups.size() ? " and " : ", ");
    append_outlet(out, site, p.outlet, p.url, link);
    if (!p.note.empty()) {
      out += " (";
      out += html_escape(p.note);
      out += ')';
    }
  }
  // No second full stop after a topic that ends a sentence of its own.
  std::string_view last = a.pickups.empty() && a.note.empty() ? std::string_view(a.topic) : "";
  if (last.empty() || (last.back() != '.' && last.back() != '?' && last.back() != '!')) out += '.';
  return out;
}

}  // namespace byline
