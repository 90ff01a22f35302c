// What an appearance reads as, wherever it is shown (a post's intro, the
// timeline, an outlet's page, the appearances feed): "Spoke to *X* about Y,
// also picked up by *Z* and *W*." The model gives the parts (kind, outlet,
// topic, pickups); this is byline's own English for them, which a theme
// replaces with a template of its own (render/site_templates.h).
#pragma once

#include <string>
#include <string_view>

#include "site/site.h"

namespace byline {

// "Interviewed by", "Quoted in", … for a kind; "Spoke to" for none.
std::string_view appearance_verb(std::string_view kind);

// The sentence as HTML. Outlet names link to their page on the site (or a
// pickup's own URL), the topic to the appearance's URL. Site paths become
// relative links for pages, or absolute URLs for feeds (`absolute_links`).
std::string appearance_sentence(const Site& site, const Appearance& a, bool absolute_links);

}  // namespace byline
