#include "expr/credit.h"

#include <gtest/gtest.h>

namespace oc::expr {
namespace {

TEST(IdCardTest, AcceptsValidNumberAndExtractsBirthDateAndGender) {
  auto info = ParseIdCard("11010519491231002X", false);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->birth_date.ToString(), "1949-12-31");
  EXPECT_FALSE(info->male);
}

TEST(IdCardTest, RejectsWrongCheckDigitImpossibleDateAndUnknownProvince) {
  EXPECT_FALSE(ParseIdCard("110105194912310021", false));
  EXPECT_FALSE(ParseIdCard("110105194902300020", false));  // February 30
  EXPECT_FALSE(ParseIdCard("99010519491231002X", false));
}

TEST(IdCardTest, LegacyFifteenDigitNumbersOnlyWhenAllowed) {
  EXPECT_FALSE(ParseIdCard("110105491231002", false));
  auto info = ParseIdCard("110105491231002", true);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->birth_date.ToString(), "1949-12-31");
}

TEST(UsccTest, ChecksCharacterSetAndCheckCharacter) {
  EXPECT_TRUE(IsValidUscc("91350100M000100Y43"));
  EXPECT_FALSE(IsValidUscc("91350100M000100Y44"));
  EXPECT_FALSE(IsValidUscc("91350100M000100I43"));  // I is not in the GB 32100 alphabet
}

TEST(LuhnTest, ValidatesBankCardNumbers) {
  EXPECT_TRUE(IsValidLuhn("4111111111111111"));
  EXPECT_FALSE(IsValidLuhn("4111111111111112"));
  EXPECT_FALSE(IsValidLuhn("4111-1111"));
}

}  // namespace
}  // namespace oc::expr
