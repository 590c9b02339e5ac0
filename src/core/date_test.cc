#include "core/date.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

TEST(DateTest, ParsesAndPrintsIso) {
  auto d = Date::Parse("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ToString(), "2024-02-29");
  EXPECT_EQ(d->AddDays(1).ToString(), "2024-03-01");
}

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2023-13-01"));
  EXPECT_FALSE(Date::Parse("2023-1-01"));
  EXPECT_FALSE(Date::Parse("abcd-ef-gh"));
}

TEST(DateTest, OrdersChronologically) {
  EXPECT_LT(*Date::Parse("2025-12-31"), *Date::Parse("2026-01-01"));
}

}  // namespace
}  // namespace oc
