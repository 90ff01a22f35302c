// Python's methods of str and dict values, as templates call them
// (`s.split(',')`, `d.items()`): get_attribute() binds them to their value.
#pragma once

#include <string_view>

#include "templates/template_value.h"

namespace byline {

// Whether str, or dict (and host mappings), has a method called `name`.
bool is_string_method(std::string_view name);
bool is_dict_method(std::string_view name);

// `self.name` as a callable value, for a method the checks above found.
TValue bind_method(const TValue& self, std::string_view name);

}  // namespace byline
