#include "runtime/cron.h"

#include <gtest/gtest.h>

namespace oc::runtime {
namespace {

Instant At(std::string_view text) {
  Instant instant;
  EXPECT_TRUE(ParseInstant(text, &instant)) << text;
  return instant;
}

CronSchedule Parsed(std::string_view text) {
  auto schedule = CronSchedule::Parse(text, "schedule");
  EXPECT_TRUE(schedule) << text;
  return schedule ? *schedule : *CronSchedule::Parse("* * * * *", "schedule");
}

TEST(CronScheduleTest, DailyAtNineFiresAtNineInTheBusinessZone) {
  const CronSchedule daily = Parsed("0 9 * * *");
  const TimeZone shanghai;
  // 08:59 Beijing time is 00:59 UTC.
  EXPECT_EQ(daily.NextAfter(At("2026-12-04T00:59:00Z"), shanghai), At("2026-12-04T01:00:00Z"));
  // Exactly at the firing, the next one is tomorrow's.
  EXPECT_EQ(daily.NextAfter(At("2026-12-04T01:00:00Z"), shanghai), At("2026-12-05T01:00:00Z"));
  const auto utc = TimeZone::Parse("UTC", "zone");
  ASSERT_TRUE(utc);
  EXPECT_EQ(daily.NextAfter(At("2026-12-04T01:00:00Z"), *utc), At("2026-12-04T09:00:00Z"));
}

TEST(CronScheduleTest, ListsRangesAndSteps) {
  const TimeZone zone;
  const CronSchedule quarter = Parsed("*/15 * * * *");
  EXPECT_EQ(quarter.NextAfter(At("2026-12-04T01:07:30Z"), zone), At("2026-12-04T01:15:00Z"));
  const CronSchedule office = Parsed("30 9-17/4 * * 1-5");
  // Friday 2026-12-04 17:31 Beijing → Monday 09:30.
  EXPECT_EQ(office.NextAfter(At("2026-12-04T09:31:00Z"), zone), At("2026-12-07T01:30:00Z"));
  const CronSchedule month_end = Parsed("0 18 28,1 * *");
  EXPECT_EQ(month_end.NextAfter(At("2026-12-04T00:00:00Z"), zone), At("2026-12-28T10:00:00Z"));
}

TEST(CronScheduleTest, DayOfMonthAndDayOfWeekTogetherFireOnEither) {
  const TimeZone zone;
  // The 15th, or any Sunday (0 and 7 both name Sunday).
  const CronSchedule either = Parsed("0 8 15 * 7");
  // 2026-12-04 is a Friday: the next Sunday, the 6th, comes before the 15th.
  EXPECT_EQ(either.NextAfter(At("2026-12-04T00:00:00Z"), zone), At("2026-12-06T00:00:00Z"));
  EXPECT_EQ(either.NextAfter(At("2026-12-13T01:00:00Z"), zone), At("2026-12-15T00:00:00Z"));
}

TEST(CronScheduleTest, TheDayFilterSkipsHolidaysAndTakesMakeUpWorkingDays) {
  const TimeZone zone;
  const CronSchedule daily = Parsed("0 9 * * *");
  // A calendar where Thursday 2026-10-01 is a holiday and Saturday 2026-10-10 a working day.
  auto working = [](Date d) {
    if (d == *Date::FromYmd(2026, 10, 1)) return false;
    if (d == *Date::FromYmd(2026, 10, 10)) return true;
    const int weekday = ((d.days_since_epoch() % 7) + 7 + 4) % 7;
    return weekday != 0 && weekday != 6;
  };
  EXPECT_EQ(daily.NextAfter(At("2026-09-30T02:00:00Z"), zone, working), At("2026-10-02T01:00:00Z"));
  EXPECT_EQ(daily.NextAfter(At("2026-10-09T02:00:00Z"), zone, working), At("2026-10-10T01:00:00Z"));
}

TEST(CronScheduleTest, AScheduleThatNeverFiresHasNoNextFiring) {
  EXPECT_FALSE(Parsed("0 0 31 2 *").NextAfter(At("2026-01-01T00:00:00Z"), TimeZone()));
}

TEST(CronScheduleTest, BadSchedulesNameTheFieldAndThePart) {
  for (std::string_view bad : {"", "0 9 * *", "0 9 * * * *", "60 9 * * *", "0 24 * * *",
                               "0 9 0 * *", "0 9 * 13 *", "0 9 * * 8", "*/0 * * * *", "5-1 * * * *",
                               "a 9 * * *", "0 9,, * * *", "-1 9 * * *", "0 9 * * MON"}) {
    auto parsed = CronSchedule::Parse(bad, "schedule");
    ASSERT_FALSE(parsed) << bad;
    ASSERT_EQ(parsed.error().field_violations.size(), 1u) << bad;
    EXPECT_EQ(parsed.error().field_violations[0].field, "schedule") << bad;
    EXPECT_EQ(parsed.error().field_violations[0].code, "invalid_schedule") << bad;
  }
  auto hour = CronSchedule::Parse("0 25 * * *", "schedule");
  ASSERT_FALSE(hour);
  const Message& message = hour.error().field_violations.at(0).message;
  EXPECT_NE(message.zh_cn.find("小时"), std::string::npos);
  EXPECT_NE(message.en_us.find("hour"), std::string::npos);
}

TEST(CronScheduleTest, DescribesCommonSchedulesInWords) {
  EXPECT_EQ(Parsed("0 9 * * *").Describe().zh_cn, "每天 09:00");
  EXPECT_EQ(Parsed("30  17 * * *").Describe().en_us, "daily at 17:30");
  EXPECT_EQ(Parsed("5 * * * *").Describe().zh_cn, "每小时第 5 分");
  EXPECT_EQ(Parsed("*/10 * * * *").Describe().en_us, "every 10 minutes");
  EXPECT_EQ(Parsed("* * * * *").Describe().zh_cn, "每分钟");
  EXPECT_EQ(Parsed("0 9 * * 1-5").Describe().en_us, "0 9 * * 1-5");
}

}  // namespace
}  // namespace oc::runtime
