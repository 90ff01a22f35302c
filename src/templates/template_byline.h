// byline's own template extensions that need only base/: dates as template
// values and the filters/functions date, slugify, xml_escape, reading_time
// and now(). Site-aware ones (absolute_url, get_page, ...) are registered by
// the renderer stage through TemplateEngine::add_filter/add_function.
#pragma once

#include "base/datetime.h"
#include "templates/template_value.h"

namespace byline {

// A DateTime read in place (it must outlive the render).
TValue datetime_ref(const DateTime* dt);
// A DateTime owned by the value.
TValue datetime_value(const DateTime& dt);
// The DateTime behind a value made by datetime_ref/datetime_value, or null.
const DateTime* as_datetime(const TValue& v);

}  // namespace byline
