// Date parsing and formatting without the C library's locale or time zone
// state, so results are the same on every machine and thread.
#include "base/datetime.h"

#include <chrono>
#include <cstdio>

namespace byline {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
  const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yy + (mm <= 2));
  *m = static_cast<int>(mm);
  *d = static_cast<int>(dd);
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

DateTime::Parts DateTime::local() const {
  int64_t t = utc_seconds + static_cast<int64_t>(offset_minutes) * 60;
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  Parts p{};
  civil_from_days(days, &p.year, &p.month, &p.day);
  p.hour = static_cast<int>(secs / 3600);
  p.minute = static_cast<int>(secs / 60 % 60);
  p.second = static_cast<int>(secs % 60);
  p.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  return p;
}

namespace {

// A tiny cursor over the text being parsed.
struct Scanner {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  // Reads exactly n digits; on failure consumes nothing.
  bool digits(int n, int* out) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      if (i + k >= s.size() || s[i + k] < '0' || s[i + k] > '9') return false;
      v = v * 10 + (s[i + k] - '0');
    }
    i += n;
    *out = v;
    return true;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
};

bool fail(std::string* error, const char* msg) {
  if (error) *error = msg;
  return false;
}

}  // namespace

std::optional<DateTime> parse_datetime(std::string_view text, std::string* error) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  Scanner sc{text};
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!sc.digits(4, &y) || !sc.eat('-') || !sc.digits(2, &mo) || !sc.eat('-') ||
      !sc.digits(2, &d)) {
    fail(error, "expected a date as YYYY-MM-DD");
    return std::nullopt;
  }
  if (mo < 1 || mo > 12) {
    fail(error, "month out of range (1-12)");
    return std::nullopt;
  }
  if (d < 1 || d > days_in_month(y, mo)) {
    fail(error, "day out of range for its month");
    return std::nullopt;
  }
  DateTime t;
  if (!sc.done()) {
    if (!(sc.eat('T') || sc.eat('t') || sc.eat(' '))) {
      fail(error, "unexpected text after the date");
      return std::nullopt;
    }
    while (sc.peek() == ' ') ++sc.i;
    if (!sc.digits(2, &h) || !sc.eat(':') || !sc.digits(2, &mi)) {
      fail(error, "expected a time as HH:MM[:SS]");
      return std::nullopt;
    }
    if (sc.eat(':') && !sc.digits(2, &se)) {
      fail(error, "expected seconds as two digits");
      return std::nullopt;
    }
    if (sc.eat('.') || sc.eat(',')) {  // fractions of a second are dropped
      if (sc.peek() < '0' || sc.peek() > '9') {
        fail(error, "expected digits after the decimal point");
        return std::nullopt;
      }
      while (sc.peek() >= '0' && sc.peek() <= '9') ++sc.i;
    }
    if (h > 23 || mi > 59 || se > 60) {
      fail(error, "time out of range");
      return std::nullopt;
    }
    t.has_time = true;
    while (sc.peek() == ' ') ++sc.i;
    if (sc.eat('Z') || sc.eat('z')) {
      t.has_offset = true;
    } else if (sc.peek() == '+' || sc.peek() == '-') {
      int sign = sc.s[sc.i++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!sc.digits(2, &oh)) {
        // YAML allows a one-digit hour offset: "-5".
        if (!sc.digits(1, &oh)) {
          fail(error, "expected a UTC offset as +HH:MM");
          return std::nullopt;
        }
      }
      if (sc.eat(':')) {
        if (!sc.digits(2, &om)) {
          fail(error, "expected offset minutes as two digits");
          return std::nullopt;
        }
      } else if (!sc.done()) {
        sc.digits(2, &om);
      }
      if (oh > 14 || om > 59) {
        fail(error, "UTC offset out of range");
        return std::nullopt;
      }
      t.has_offset = true;
      t.offset_minutes = sign * (oh * 60 + om);
    }
    if (!sc.done()) {
      fail(error, "unexpected text after the time");
      return std::nullopt;
    }
  }
  int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  t.utc_seconds = local - static_cast<int64_t>(t.offset_minutes) * 60;
  return t;
}

static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December"};
static const char* const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday"};

static void append_num(std::string& out, int v, int width) {
  char buf[16];
  if (v < 0) {  // rare enough for printf, which places the sign inside the width
    std::snprintf(buf, sizeof buf, "%0*d", width, v);
    out += buf;
    return;
  }
  // What "%0*d" prints, without printf's cost: every page and feed prints dates.
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (end - p < width && p > buf) *--p = '0';
  out.append(p, static_cast<size_t>(end - p));
}

static void append_offset(std::string& out, int minutes, bool colon) {
  out += minutes < 0 ? '-' : '+';
  int a = minutes < 0 ? -minutes : minutes;
  append_num(out, a / 60, 2);
  if (colon) out += ':';
  append_num(out, a % 60, 2);
}

std::string format_datetime(const DateTime& t, std::string_view f) {
  DateTime::Parts p = t.local();
  std::string out;
  out.reserve(f.size() + 16);
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%' || i + 1 == f.size()) {
      out += f[i];
      continue;
    }
    char c = f[++i];
    bool no_pad = false;
    bool colon = false;
    if ((c == '-' || c == ':') && i + 1 < f.size()) {
      no_pad = c == '-';
      colon = c == ':';
      c = f[++i];
    }
    int hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12;
    switch (c) {
      case 'Y':
        append_num(out, p.year, no_pad ? 1 : 4);
        break;
      case 'y':
        append_num(out, p.year % 100, no_pad ? 1 : 2);
        break;
      case 'm':
        append_num(out, p.month, no_pad ? 1 : 2);
        break;
      case 'd':
        append_num(out, p.day, no_pad ? 1 : 2);
        break;
      case 'e':
        if (!no_pad && p.day < 10) out += ' ';
        append_num(out, p.day, 1);
        break;
      case 'H':
        append_num(out, p.hour, no_pad ? 1 : 2);
        break;
      case 'I':
        append_num(out, hour12, no_pad ? 1 : 2);
        break;
      case 'M':
        append_num(out, p.minute, no_pad ? 1 : 2);
        break;
      case 'S':
        append_num(out, p.second, no_pad ? 1 : 2);
        break;
      case 'p':
        out += p.hour < 12 ? "AM" : "PM";
        break;
      case 'B':
        out += kMonths[p.month - 1];
        break;
      case 'b':
      case 'h':
        out.append(kMonths[p.month - 1], 3);
        break;
      case 'A':
        out += kDays[p.weekday];
        break;
      case 'a':
        out.append(kDays[p.weekday], 3);
        break;
      case 'j': {
        int doy = static_cast<int>(days_from_civil(p.year, p.month, p.day) -
                                   days_from_civil(p.year, 1, 1)) +
                  1;
        append_num(out, doy, no_pad ? 1 : 3);
        break;
      }
      case 'z':
        append_offset(out, t.offset_minutes, colon);
        break;
      case 'Z':
        if (t.offset_minutes == 0) {
          out += "UTC";
        } else {
          append_offset(out, t.offset_minutes, true);
        }
        break;
      case 'F':
        out += format_datetime(t, "%Y-%m-%d");
        break;
      case 'T':
        out += format_datetime(t, "%H:%M:%S");
        break;
      case '%':
        out += '%';
        break;
      default:
        out += '%';
        if (no_pad) out += '-';
        if (colon) out += ':';
        out += c;
    }
  }
  return out;
}

std::string to_rfc3339(const DateTime& t) {
  std::string s = format_datetime(t, "%Y-%m-%dT%H:%M:%S");
  if (t.offset_minutes == 0) {
    s += 'Z';
  } else {
    append_offset(s, t.offset_minutes, true);
  }
  return s;
}

std::string to_rfc822(const DateTime& t) { return format_datetime(t, "%a, %d %b %Y %H:%M:%S %z"); }

std::string to_iso_date(const DateTime& t) { return format_datetime(t, "%Y-%m-%d"); }

DateTime now_utc() {
  DateTime t;
  t.utc_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  t.has_time = true;
  t.has_offset = true;
  return t;
}

}  // namespace byline
