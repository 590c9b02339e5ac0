#include "expr/decimal.h"

#include <gtest/gtest.h>

namespace oc::expr {
namespace {

Decimal D(std::string_view s) { return *Decimal::Parse(s); }

TEST(DecimalTest, ParsesAndPrintsShortestExactText) {
  EXPECT_EQ(D("0.10").ToString(), "0.1");
  EXPECT_EQ(D("-12.500").ToString(), "-12.5");
  EXPECT_EQ(D("100").ToString(), "100");
  EXPECT_EQ(D("0.000000000000000001").ToString(), "0.000000000000000001");
  EXPECT_FALSE(Decimal::Parse(".5"));
  EXPECT_FALSE(Decimal::Parse("1."));
  EXPECT_FALSE(Decimal::Parse("1e5"));
  EXPECT_FALSE(Decimal::Parse(""));
  EXPECT_FALSE(Decimal::Parse("-"));
}

TEST(DecimalTest, AdditionIsExact) {
  EXPECT_EQ(Compare(*Add(D("0.1"), D("0.2")), D("0.3")), 0);
  EXPECT_EQ(Add(D("99999999999999999999.999999999999999999"), D("0.000000000000000001"))
                ->ToString(),
            "100000000000000000000");
}

TEST(DecimalTest, KeepsAtLeastEighteenSignificantDigits) {
  EXPECT_EQ(D("123456789012345678.9").ToString(), "123456789012345678.9");
  EXPECT_EQ(Multiply(D("1.23456789012345678"), D("10"))->ToString(), "12.3456789012345678");
}

TEST(DecimalTest, MultiplicationRoundsHalfAwayFromZeroPastEighteenPlaces) {
  EXPECT_EQ(Multiply(D("0.000000000000000005"), D("0.1"))->ToString(), "0.000000000000000001");
  EXPECT_EQ(Multiply(D("-0.000000000000000005"), D("0.1"))->ToString(),
            "-0.000000000000000001");
  // A product wider than 128 bits before rescaling still comes out exact.
  EXPECT_EQ(Multiply(D("12345678901234567890.123456789012345678"), D("1.000000000000000001"))
                ->ToString(),
            "12345678901234567902.469135690246913568");
}

TEST(DecimalTest, OverflowIsReportedNotWrapped) {
  Decimal big = D("100000000000000000000000000000000000000");  // 10^38
  EXPECT_FALSE(Multiply(big, D("10")));
  EXPECT_FALSE(Add(D("170141183460469231731687303715884105727"), D("1")));
  EXPECT_FALSE(Decimal::Parse("1000000000000000000000000000000000000000"));
}

TEST(DecimalTest, DivisionRoundsToEighteenPlaces) {
  EXPECT_EQ(Divide(D("1"), D("3"))->ToString(), "0.333333333333333333");
  EXPECT_EQ(Divide(D("2"), D("3"))->ToString(), "0.666666666666666667");
  EXPECT_EQ(Divide(D("10"), D("4"))->ToString(), "2.5");
}

TEST(DecimalTest, CompareAcrossScales) {
  EXPECT_EQ(Compare(D("2.50"), D("2.5")), 0);
  EXPECT_EQ(Compare(D("-1"), D("0.5")), -1);
  EXPECT_EQ(Compare(D("100000000000000000000"), D("0.000000000000000001")), 1);
}

TEST(DecimalTest, RoundingModesMatchExcel) {
  EXPECT_EQ(D("2.5").Round(0, Decimal::Rounding::kHalfAwayFromZero)->ToString(), "3");
  EXPECT_EQ(D("-2.5").Round(0, Decimal::Rounding::kHalfAwayFromZero)->ToString(), "-3");
  EXPECT_EQ(D("1.21").Round(1, Decimal::Rounding::kAwayFromZero)->ToString(), "1.3");
  EXPECT_EQ(D("-1.29").Round(1, Decimal::Rounding::kTowardZero)->ToString(), "-1.2");
  EXPECT_EQ(D("-1.1").Round(0, Decimal::Rounding::kFloor)->ToString(), "-2");
  EXPECT_EQ(D("1250").Round(-2, Decimal::Rounding::kHalfAwayFromZero)->ToString(), "1300");
}

}  // namespace
}  // namespace oc::expr
