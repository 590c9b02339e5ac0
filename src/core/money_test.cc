#include "core/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace oc {
namespace {

template <class T>
std::string CodeOf(const Result<T>& result) {
  if (result) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().field_violations.size(), 1u);
  return result.error().field_violations.empty() ? "?" : result.error().field_violations[0].code;
}

int64_t FenOf(std::string_view text, bool allow_negative = false) {
  auto money = Money::Parse(text, "amount", allow_negative);
  EXPECT_TRUE(money) << text;
  return money ? money->fen() : -1;
}

TEST(MoneyTest, ParsesWholeAndFractionalYuan) {
  EXPECT_EQ(FenOf("100000"), 10000000);
  EXPECT_EQ(FenOf("100000.5"), 10000050);
  EXPECT_EQ(FenOf("100000.50"), 10000050);
  EXPECT_EQ(FenOf("0.01"), 1);
  EXPECT_EQ(FenOf("0"), 0);
  EXPECT_EQ(FenOf("007.10"), 710);
}

TEST(MoneyTest, TrimsAndFoldsFullWidthDigits) {
  EXPECT_EQ(FenOf("  1200.00\t"), 120000);
  EXPECT_EQ(FenOf("１２００．５０"), 120050);
}

TEST(MoneyTest, AcceptsThousandsSeparatorsOnlyInGroupsOfThree) {
  EXPECT_EQ(FenOf("1,000,000.00"), 100000000);
  EXPECT_EQ(FenOf("12,345.6"), 1234560);
  EXPECT_EQ(FenOf("999"), 99900);
  for (const char* bad : {"1,00,000", "1000,000", ",100", "100,", "1,000,", "1,,000", "1,0000",
                          "1,000.000,0", "1.000,00"}) {
    EXPECT_EQ(CodeOf(Money::Parse(bad, "amount")), "invalid_decimal") << bad;
  }
}

TEST(MoneyTest, AcceptsNegativesOnlyWhenAllowed) {
  EXPECT_EQ(FenOf("-5.1", /*allow_negative=*/true), -510);
  auto refused = Money::Parse("-5.10", "repayment.amount");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field_violations[0].code, "negative_not_allowed");
  EXPECT_EQ(refused.error().field_violations[0].field, "repayment.amount");
}

TEST(MoneyTest, TreatsNegativeZeroAsZero) {
  EXPECT_EQ(FenOf("-0.00"), 0);
  EXPECT_EQ(FenOf("-0"), 0);
  EXPECT_EQ(Money::Parse("-0.00", "amount")->ToString(), "0.00");
}

TEST(MoneyTest, RejectsMoreThanTwoSignificantDecimals) {
  EXPECT_EQ(CodeOf(Money::Parse("1.001", "amount")), "too_many_decimals");
  EXPECT_EQ(CodeOf(Money::Parse("0.125", "amount")), "too_many_decimals");
  EXPECT_EQ(CodeOf(Money::Parse("-0.0000001", "amount", true)), "too_many_decimals");
  // Trailing zeros lose nothing, so they are accepted.
  EXPECT_EQ(FenOf("1.500"), 150);
  EXPECT_EQ(FenOf("2.0000"), 200);
}

TEST(MoneyTest, RejectsGarbageAndOtherNotations) {
  for (const char* bad :
       {"",    " ",  "-",     "abc",  "1e5",   "1E5",  "1.5e2", ".5",  "5.",  "+5",
        "--5", "5-", "1 000", "¥100", "100元", "0x10", "1.2.3", "NaN", "inf", "１２３ａ"}) {
    EXPECT_EQ(CodeOf(Money::Parse(bad, "amount", true)), "invalid_decimal") << bad;
  }
}

TEST(MoneyTest, HoldsTheFullInt64RangeOfFen) {
  EXPECT_EQ(FenOf("92233720368547758.07"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(FenOf("92,233,720,368,547,758.07"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(FenOf("-92233720368547758.08", true), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(CodeOf(Money::Parse("92233720368547758.08", "amount")), "out_of_range");
  EXPECT_EQ(CodeOf(Money::Parse("-92233720368547758.09", "amount", true)), "out_of_range");
  EXPECT_EQ(CodeOf(Money::Parse("184467440737095516.16", "amount")), "out_of_range");
  EXPECT_EQ(CodeOf(Money::Parse("99999999999999999999999999", "amount")), "out_of_range");
}

TEST(MoneyTest, PrintsTwoDecimalPlaces) {
  EXPECT_EQ(Money::FromFen(10000000).ToString(), "100000.00");
  EXPECT_EQ(Money::FromFen(-510).ToString(), "-5.10");
  EXPECT_EQ(Money::FromFen(5).ToString(), "0.05");
  EXPECT_EQ(Money::FromFen(-5).ToString(), "-0.05");
  EXPECT_EQ(Money().ToString(), "0.00");
  EXPECT_EQ(Money::FromFen(std::numeric_limits<int64_t>::max()).ToString(), "92233720368547758.07");
  EXPECT_EQ(Money::FromFen(std::numeric_limits<int64_t>::min()).ToString(),
            "-92233720368547758.08");
}

TEST(MoneyTest, RoundTripsThroughItsString) {
  for (int64_t fen :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{99}, int64_t{-100}, int64_t{123456789},
        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    auto parsed = Money::Parse(Money::FromFen(fen).ToString(), "amount", true);
    ASSERT_TRUE(parsed) << fen;
    EXPECT_EQ(*parsed, Money::FromFen(fen));
  }
}

TEST(MoneyTest, ComparesByValue) {
  EXPECT_LT(Money::FromFen(-1), Money());
  EXPECT_EQ(*Money::Parse("1.5", "amount"), *Money::Parse("1.50", "amount"));
}

TEST(MoneyTest, AddsAndSubtractsExactlyAndRefusesToOverflow) {
  const Money max = Money::FromFen(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Money::FromFen(10).Plus(Money::FromFen(20)), Money::FromFen(30));
  EXPECT_EQ(Money::FromFen(10).Minus(Money::FromFen(20)), Money::FromFen(-10));
  EXPECT_FALSE(max.Plus(Money::FromFen(1)));
  EXPECT_FALSE(Money::FromFen(std::numeric_limits<int64_t>::min()).Minus(Money::FromFen(1)));
}

TEST(MoneyTest, InterestIsRoundedToTheFenByTheModeTheContractNames) {
  using R = Decimal::Rounding;
  const Money principal = *Money::Parse("1000000.00", "amount");
  // A month at 4.9% a year: 1,000,000 × 0.049 / 12 = 4,083.3333…
  const Decimal monthly = *Divide(*Decimal::Parse("0.049"), Decimal::FromInt(12));
  EXPECT_EQ(principal.Times(monthly, R::kHalfUp)->ToString(), "4083.33");
  EXPECT_EQ(principal.Times(monthly, R::kUp)->ToString(), "4083.34");
  // A day at 18.25% on 365 days of 10,000.01: 5.00000547… → down 5.00, up 5.01.
  const Decimal daily = *Divide(*Decimal::Parse("0.1825"), Decimal::FromInt(365));
  const Money balance = *Money::Parse("10000.01", "amount");
  EXPECT_EQ(balance.Times(daily, R::kDown)->ToString(), "5.00");
  EXPECT_EQ(balance.Times(daily, R::kUp)->ToString(), "5.01");
  // Ties: 0.125 yuan is half a fen above 0.12.
  EXPECT_EQ(Money::FromYuan(*Decimal::Parse("0.125"), R::kHalfEven)->ToString(), "0.12");
  EXPECT_EQ(Money::FromYuan(*Decimal::Parse("0.125"), R::kHalfUp)->ToString(), "0.13");
  EXPECT_EQ(Money::FromFen(-150).yuan().ToString(2), "-1.50");
  EXPECT_FALSE(Money::FromYuan(*Decimal::Parse("92233720368547758.08"), R::kHalfUp));
}

}  // namespace
}  // namespace oc
