// Turning site-relative paths ("/2019/08/x/") into the links pages carry:
// relative to the base URL's path, or absolute for feeds and sitemaps.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace byline {

std::string relative_url(const SiteConfig& config, std::string_view path);
std::string absolute_url(const SiteConfig& config, std::string_view path);

}  // namespace byline
