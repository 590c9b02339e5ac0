#include "core/time_zone.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

Instant At(std::string_view rfc3339) {
  Instant out;
  EXPECT_TRUE(ParseInstant(rfc3339, &out)) << rfc3339;
  return out;
}

TEST(TimeZoneTest, TodayInBeijingBeginsAtMidnightBeijingTimeNotAtMidnightUtc) {
  const TimeZone beijing;
  EXPECT_EQ(beijing.name(), "Asia/Shanghai");
  // 07:30 in Beijing on 3 December is still 2 December in UTC.
  FakeClock clock(At("2026-12-02T23:30:00Z"));
  EXPECT_EQ(beijing.Today(clock).ToString(), "2026-12-03");
  EXPECT_EQ(beijing.DateOf(At("2026-12-02T15:59:59.999999Z")).ToString(), "2026-12-02");
  EXPECT_EQ(beijing.DateOf(At("2026-12-02T16:00:00Z")).ToString(), "2026-12-03");
  EXPECT_EQ(FormatInstant(beijing.StartOf(*Date::FromYmd(2026, 12, 3))),
            "2026-12-02T16:00:00.000000Z");
}

TEST(TimeZoneTest, AcceptsFixedOffsetNamesAndOffsetsOnly) {
  EXPECT_EQ(TimeZone::Parse("UTC", "time_zone")->utc_offset_minutes(), 0);
  EXPECT_EQ(TimeZone::Parse("Asia/Hong_Kong", "time_zone")->utc_offset_minutes(), 480);
  EXPECT_EQ(TimeZone::Parse("+05:30", "time_zone")->utc_offset_minutes(), 330);
  EXPECT_EQ(TimeZone::Parse("-0300", "time_zone")->utc_offset_minutes(), -180);
  EXPECT_EQ(TimeZone::Parse("-03:00", "time_zone")->DateOf(At("2026-12-03T02:00:00Z")).ToString(),
            "2026-12-02");
  for (std::string_view bad : {"Europe/Berlin", "America/New_York", "+8", "+15:00", "+08:60", ""}) {
    auto zone = TimeZone::Parse(bad, "time_zone");
    ASSERT_FALSE(zone) << bad;
    EXPECT_EQ(zone.error().field_violations.at(0).field, "time_zone");
    EXPECT_EQ(zone.error().field_violations.at(0).code, "unknown_time_zone");
  }
}

}  // namespace
}  // namespace oc
