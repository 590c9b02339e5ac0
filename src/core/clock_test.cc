#include "core/clock.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

TEST(ClockTest, FormatsAndParsesRfc3339RoundTrip) {
  Instant t;
  ASSERT_TRUE(ParseInstant("2026-11-28T13:09:47.123456Z", &t));
  EXPECT_EQ(FormatInstant(t), "2026-11-28T13:09:47.123456Z");
}

TEST(ClockTest, ParseAppliesTheOffset) {
  Instant shanghai, utc;
  ASSERT_TRUE(ParseInstant("2026-01-01T08:00:00+08:00", &shanghai));
  ASSERT_TRUE(ParseInstant("2026-01-01T00:00:00Z", &utc));
  EXPECT_EQ(shanghai, utc);
}

TEST(ClockTest, ParseRejectsMalformedText) {
  Instant t;
  EXPECT_FALSE(ParseInstant("2026-02-30T00:00:00Z", &t));
  EXPECT_FALSE(ParseInstant("2026-01-01 00:00:00", &t));
  EXPECT_FALSE(ParseInstant("2026-01-01T00:00:00Zjunk", &t));
  EXPECT_FALSE(ParseInstant("", &t));
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(FromUnixMicros(1'000'000));
  EXPECT_EQ(ToUnixMicros(clock.Now()), 1'000'000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToUnixMicros(clock.Now()), 3'000'000);
}

}  // namespace
}  // namespace oc
