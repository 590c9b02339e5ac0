#include "core/decimal.h"

#include <gtest/gtest.h>

namespace oc {
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
  EXPECT_EQ(
      Add(D("99999999999999999999.999999999999999999"), D("0.000000000000000001"))->ToString(),
      "100000000000000000000");
}

TEST(DecimalTest, KeepsAtLeastEighteenSignificantDigits) {
  EXPECT_EQ(D("123456789012345678.9").ToString(), "123456789012345678.9");
  EXPECT_EQ(Multiply(D("1.23456789012345678"), D("10"))->ToString(), "12.3456789012345678");
}

TEST(DecimalTest, MultiplicationRoundsHalfAwayFromZeroPastEighteenPlaces) {
  EXPECT_EQ(Multiply(D("0.000000000000000005"), D("0.1"))->ToString(), "0.000000000000000001");
  EXPECT_EQ(Multiply(D("-0.000000000000000005"), D("0.1"))->ToString(), "-0.000000000000000001");
  // A product wider than 128 bits before rescaling still comes out exact.
  EXPECT_EQ(
      Multiply(D("12345678901234567890.123456789012345678"), D("1.000000000000000001"))->ToString(),
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
  EXPECT_EQ(D("2.5").Round(0, Decimal::Rounding::kHalfUp)->ToString(), "3");
  EXPECT_EQ(D("-2.5").Round(0, Decimal::Rounding::kHalfUp)->ToString(), "-3");
  EXPECT_EQ(D("1.21").Round(1, Decimal::Rounding::kUp)->ToString(), "1.3");
  EXPECT_EQ(D("-1.29").Round(1, Decimal::Rounding::kDown)->ToString(), "-1.2");
  EXPECT_EQ(D("-1.1").Round(0, Decimal::Rounding::kFloor)->ToString(), "-2");
  EXPECT_EQ(D("1250").Round(-2, Decimal::Rounding::kHalfUp)->ToString(), "1300");
}

TEST(DecimalTest, RoundsToTheFenByEveryModeCreditNeeds) {
  using R = Decimal::Rounding;
  auto fen = [](std::string_view v, R mode) { return D(v).Round(2, mode)->ToString(2); };
  EXPECT_EQ(fen("4083.335", R::kHalfUp), "4083.34");
  EXPECT_EQ(fen("4083.335", R::kHalfEven), "4083.34");
  EXPECT_EQ(fen("4083.325", R::kHalfEven), "4083.32");
  EXPECT_EQ(fen("4083.3251", R::kHalfEven), "4083.33");
  EXPECT_EQ(fen("-4083.325", R::kHalfEven), "-4083.32");
  EXPECT_EQ(fen("-4083.335", R::kHalfUp), "-4083.34");
  EXPECT_EQ(fen("4083.339", R::kDown), "4083.33");
  EXPECT_EQ(fen("-4083.339", R::kDown), "-4083.33");
  EXPECT_EQ(fen("4083.331", R::kUp), "4083.34");
  EXPECT_EQ(fen("-4083.331", R::kFloor), "-4083.34");
  EXPECT_EQ(fen("-4083.339", R::kCeiling), "-4083.33");
  EXPECT_EQ(fen("4083.331", R::kCeiling), "4083.34");
  EXPECT_EQ(fen("7", R::kHalfEven), "7.00");
}

TEST(DecimalTest, AProductIsRoundedOnceFromItsExactValue) {
  using R = Decimal::Rounding;
  // 0.005000000000000000005 is just above half a fen: rounding first to 18 places and then to the
  // fen would make it an exact half and round it to even, down.
  EXPECT_EQ(Multiply(D("1.000000000000000001"), D("0.005"), 2, R::kHalfEven)->ToString(2), "0.01");
  EXPECT_EQ(Multiply(D("1"), D("0.005"), 2, R::kHalfEven)->ToString(2), "0.00");
  EXPECT_EQ(Multiply(D("3"), D("0.005"), 2, R::kHalfEven)->ToString(2), "0.02");
  EXPECT_EQ(Multiply(D("-3"), D("0.005"), 2, R::kHalfUp)->ToString(2), "-0.02");
  EXPECT_EQ(Multiply(D("1000000"), D("0.049"), 2, R::kHalfUp)->ToString(2), "49000.00");
  EXPECT_EQ(Multiply(D("2.5"), D("4"), 0, R::kDown)->ToString(), "10");
  EXPECT_FALSE(Multiply(D("99999999999999999999"), D("99999999999999999999"), 0, R::kHalfUp));
}

TEST(DecimalTest, ShowsAtLeastTheRequestedPlacesAndScalesExactly) {
  EXPECT_EQ(D("0.049").ToString(4), "0.0490");
  EXPECT_EQ(D("12").ToString(2), "12.00");
  EXPECT_EQ(D("1.23456").ToString(2), "1.23456");
  EXPECT_EQ(D("123456789012.345678").ToScaledInt64(6), 123456789012345678);
  EXPECT_EQ(D("1.5").ToScaledInt64(2), 150);
  EXPECT_EQ(D("-0.01").ToScaledInt64(2), -1);
  EXPECT_EQ(D("1.230").ToScaledInt64(2), 123);
  EXPECT_FALSE(D("1.234").ToScaledInt64(2));
  EXPECT_FALSE(D("92233720368547758.08").ToScaledInt64(2));
}

}  // namespace
}  // namespace oc
