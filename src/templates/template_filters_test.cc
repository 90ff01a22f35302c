// Built-in filters where byline had to choose: Jinja2's behaviour on false
// operands, and numbers beyond the 64-bit range.
#include <gtest/gtest.h>

#include <string>

#include "templates/template_engine.h"

namespace byline {
namespace {

std::string render(std::string_view source) {
  TemplateEngine engine(std::make_unique<MapLoader>());
  std::string out;
  Diagnostic d;
  if (!engine.render_string("t.txt", source, {}, &out, &d)) return "error: " + d.message;
  return out;
}

// map, select, reject, selectattr and rejectattr give an empty result for a
// false value (none, 0, ""), before looking at their arguments: Jinja2's
// start with `if value:`.
TEST(TemplateFilters, MapAndSelectOnAFalseValue) {
  EXPECT_EQ(render("{{ none|map('upper')|list }}|{{ none|select|list }}|{{ 0|reject('odd')|list }}|"
                   "{{ none|selectattr('a')|list }}|{{ ''|rejectattr('a')|list }}|"
                   "{{ none|map(attribute='a')|list }}|{{ none|map('nosuchfilter')|list }}|"
                   "{{ none|select('nosuchtest')|list }}|{{ missing|map('upper')|list }}"),
            "[]|[]|[]|[]|[]|[]|[]|[]|[]");
  // A true value that cannot be iterated is still an error.
  EXPECT_EQ(render("{{ 5|map('upper')|list }}"), "error: 'int' object is not iterable");
}

// |int of a number beyond the 64-bit range gives the nearest 64-bit integer.
TEST(TemplateFilters, IntClampsToSixtyFourBits) {
  EXPECT_EQ(render("{{ 1e30|int }}|{{ -1e30|int }}|{{ '12345678901234567890'|int }}|"
                   "{{ '-1e300'|int }}|{{ 'inf'|int(7) }}|{{ 2.9|int }}"),
            "9223372036854775807|-9223372036854775808|9223372036854775807|"
            "-9223372036854775808|7|2");
}

}  // namespace
}  // namespace byline
