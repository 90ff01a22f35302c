// Dates as writers put them in front matter ("2019-08-01",
// "2019-08-01T09:30:00+02:00", "2019-08-01 09:30"), kept with their UTC
// offset so pages show the time the writer meant, and formatted for pages,
// feeds (RFC 822, RFC 3339) and sitemaps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace byline {

struct DateTime {
  int64_t utc_seconds = 0;  // seconds since 1970-01-01T00:00:00Z
  int offset_minutes = 0;   // the writer's UTC offset (local = utc + offset)
  bool has_time = false;    // false for a bare date
  bool has_offset = false;  // false when no zone was written (taken as UTC)

  // Broken-down local time.
  struct Parts {
    int year, month, day, hour, minute, second, weekday;  // weekday 0 = Sunday
  };
  Parts local() const;

  bool operator==(const DateTime& o) const { return utc_seconds == o.utc_seconds; }
  auto operator<=>(const DateTime& o) const { return utc_seconds <=> o.utc_seconds; }
};

// Parses ISO 8601 / RFC 3339 / YAML timestamp forms. On failure returns
// nullopt and, when error is non-null, says what was wrong.
std::optional<DateTime> parse_datetime(std::string_view text, std::string* error = nullptr);

// strftime-style formatting with English month and day names. Supports
// %Y %y %m %d %e %-d %-m %H %I %-I %M %S %p %B %b %A %a %j %Z %z %:z %F %T %%.
std::string format_datetime(const DateTime& t, std::string_view format);

std::string to_rfc3339(const DateTime& t);   // 2019-08-01T09:30:00+02:00
std::string to_rfc822(const DateTime& t);    // Thu, 01 Aug 2019 09:30:00 +0200
std::string to_iso_date(const DateTime& t);  // 2019-08-01

// Days since the epoch for a civil date, and back.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t days, int* y, int* m, int* d);

DateTime now_utc();

}  // namespace byline
