// The effective configuration as TOML (`byline config`): every key
// load_config() understands, with the value the site gets, defaults
// included. Reading the text back with parse_config() gives the same
// SiteConfig (less source locations), so it builds the same site.
#pragma once

#include <string>

#include "config/config.h"

namespace byline {

std::string config_to_toml(const SiteConfig& config);

}  // namespace byline
