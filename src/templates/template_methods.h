// Python's methods of str, dict and list values, as templates call them
// (`s.split(',')`, `d.items()`, `l.append(x)`): get_attribute() binds them
// to their value. The methods that change a list or dict in place do so
// only to one the render calling them built (TValue::owner); on any other
// they are an error saying to copy it first.
#pragma once

#include <string_view>

#include "templates/template_value.h"

namespace byline {

// Whether str, dict (and host mappings), or list (and host sequences) has
// a method called `name`.
bool is_string_method(std::string_view name);
bool is_dict_method(std::string_view name);
bool is_list_method(std::string_view name);
// Whether every method called `name` that str, dict or list has leaves its
// object as it is (`upper`, `items`, `count`; not `pop`, `update`...).
bool changes_nothing(std::string_view name);

// `self.name` as a callable value, for a method the checks above found.
TValue bind_method(const TValue& self, std::string_view name);

}  // namespace byline
