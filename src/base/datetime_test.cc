#include "base/datetime.h"

#include <gtest/gtest.h>

namespace byline {
namespace {

TEST(ParseDatetime, BareDate) {
  auto t = parse_datetime("2019-08-01");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->has_time);
  EXPECT_EQ(t->utc_seconds, 1564617600);
  EXPECT_EQ(to_iso_date(*t), "2019-08-01");
}

TEST(ParseDatetime, OffsetsAreKept) {
  auto t = parse_datetime("2019-08-01T09:30:00+02:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->offset_minutes, 120);
  EXPECT_EQ(t->utc_seconds, 1564617600 + 7 * 3600 + 30 * 60);
  EXPECT_EQ(to_rfc3339(*t), "2019-08-01T09:30:00+02:00");
  EXPECT_EQ(to_rfc822(*t), "Thu, 01 Aug 2019 09:30:00 +0200");
}

TEST(ParseDatetime, YamlAndIsoForms) {
  EXPECT_TRUE(parse_datetime("2008-01-01T09:00:00"));
  EXPECT_TRUE(parse_datetime("2008-01-01 09:00"));
  EXPECT_TRUE(parse_datetime("2001-12-14 21:59:43.10 -5"));
  EXPECT_TRUE(parse_datetime("2001-12-14t21:59:43.10-05:00"));
  EXPECT_TRUE(parse_datetime("2020-02-29T00:00:00Z"));
  auto t = parse_datetime("2001-12-14 21:59:43.10 -5");
  EXPECT_EQ(t->offset_minutes, -300);
}

TEST(ParseDatetime, RejectsWithReason) {
  std::string err;
  EXPECT_FALSE(parse_datetime("yesterday", &err));
  EXPECT_EQ(err, "expected a date as YYYY-MM-DD");
  EXPECT_FALSE(parse_datetime("2019-02-30", &err));
  EXPECT_EQ(err, "day out of range for its month");
  EXPECT_FALSE(parse_datetime("2019-13-01", &err));
  EXPECT_FALSE(parse_datetime("2019-01-01T25:00", &err));
  EXPECT_FALSE(parse_datetime("2019-01-01 noon", &err));
}

TEST(FormatDatetime, EnglishNamesAndPadding) {
  auto t = parse_datetime("2018-11-28T15:04:05-05:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_datetime(*t, "%-d %B %Y"), "28 November 2018");
  EXPECT_EQ(format_datetime(*t, "%A, %b %d %I:%M %p"), "Wednesday, Nov 28 03:04 PM");
  EXPECT_EQ(format_datetime(*t, "%z %:z %%"), "-0500 -05:00 %");
  auto early = parse_datetime("1969-12-31T23:59:59Z");
  EXPECT_EQ(format_datetime(*early, "%F %T %a"), "1969-12-31 23:59:59 Wed");
}

}  // namespace
}  // namespace byline
