#include "core/resident_id.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

// The check character by the closed form of ISO 7064 MOD 11-2 as usually published:
// c = (12 − Σ aᵢ·(2^(18−i) mod 11) mod 11) mod 11, written X when 10. Independent of the
// table lookup in the code under test.
char ReferenceCheck(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    int weight = 1;
    for (int k = 0; k < 17 - i; ++k) weight = weight * 2 % 11;
    sum += (first17[i] - '0') * weight;
  }
  const int c = (12 - sum % 11) % 11;
  return c == 10 ? 'X' : static_cast<char>('0' + c);
}

std::string WithCheck(std::string first17) { return first17 + ReferenceCheck(first17); }

// The single violation's code, or "" when the result holds a value.
template <class T>
std::string CodeOf(const Result<T>& result) {
  if (result) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().field_violations.size(), 1u);
  return result.error().field_violations.empty() ? "?" : result.error().field_violations[0].code;
}

TEST(ResidentIdNumberTest, AcceptsTheStandardsSample) {
  auto id = ResidentIdNumber::Parse("11010519491231002X");
  ASSERT_TRUE(id) << id.error().field_violations[0].message.en_us;
  EXPECT_EQ(id->value(), "11010519491231002X");
  EXPECT_EQ(id->birth_date(), *Date::Parse("1949-12-31"));
  EXPECT_EQ(id->gender(), ResidentIdNumber::Gender::kFemale);
  EXPECT_EQ(id->region_code(), "110105");
}

TEST(ResidentIdNumberTest, AcceptsNumbersWhoseCheckMatchesTheReference) {
  for (std::string first17 : {"44030519900307123", "31011519851111456", "51010720011231789",
                              "61011319790101000", "82000019700101111"}) {
    const std::string number = WithCheck(first17);
    auto id = ResidentIdNumber::Parse(number);
    ASSERT_TRUE(id) << number;
    EXPECT_EQ(id->value(), number);
    EXPECT_EQ(ResidentIdCheckCharacter(first17), number[17]);
  }
}

TEST(ResidentIdNumberTest, ReportsGenderFromTheSeventeenthDigit) {
  auto male = ResidentIdNumber::Parse(WithCheck("11010519900101001"));
  auto female = ResidentIdNumber::Parse(WithCheck("11010519900101002"));
  ASSERT_TRUE(male);
  ASSERT_TRUE(female);
  EXPECT_EQ(male->gender(), ResidentIdNumber::Gender::kMale);
  EXPECT_EQ(female->gender(), ResidentIdNumber::Gender::kFemale);
}

TEST(ResidentIdNumberTest, StoresLowerCaseXAsUpperCase) {
  auto id = ResidentIdNumber::Parse("11010519491231002x");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->value(), "11010519491231002X");
}

TEST(ResidentIdNumberTest, TrimsAndFoldsFullWidthInput) {
  auto id = ResidentIdNumber::Parse("\u3000 １１０１０５１９４９１２３１００２ｘ \t");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->value(), "11010519491231002X");
  auto upper = ResidentIdNumber::Parse("11010519491231002Ｘ");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->value(), "11010519491231002X");
}

TEST(ResidentIdNumberTest, ConvertsFifteenDigitNumbers) {
  // 110105 491231 002 → 110105 19491231 002 + check: the standard's sample in its old form.
  auto id = ResidentIdNumber::Parse("110105491231002");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->value(), "11010519491231002X");
  EXPECT_EQ(id->birth_date(), *Date::Parse("1949-12-31"));

  auto other = ResidentIdNumber::Parse("440305850307123");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->value(), WithCheck("44030519850307123"));
  EXPECT_EQ(other->gender(), ResidentIdNumber::Gender::kMale);
}

TEST(ResidentIdNumberTest, AcceptsALeapDayBirth) {
  auto id = ResidentIdNumber::Parse(WithCheck("11010520000229001"));
  ASSERT_TRUE(id);
  EXPECT_EQ(id->birth_date(), *Date::Parse("2000-02-29"));
}

TEST(ResidentIdNumberTest, RejectsTheTwentyNinthOfFebruaryOfNineteenHundred) {
  // 1900 is divisible by 100 but not 400: not a leap year.
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck("11010519000229001"))), "invalid_birth_date");
}

TEST(ResidentIdNumberTest, RejectsImpossibleAndTooEarlyBirthDates) {
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck("11010519901301001"))), "invalid_birth_date");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck("11010519900431001"))), "invalid_birth_date");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck("11010519900100001"))), "invalid_birth_date");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck("11010518991231001"))), "invalid_birth_date");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("110105900230001")), "invalid_birth_date");
}

TEST(ResidentIdNumberTest, RejectsWrongLengths) {
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("")), "invalid_length");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("1101051949123100")), "invalid_length");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("11010519491231002X1")), "invalid_length");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("11010519491231002")), "invalid_length");
}

TEST(ResidentIdNumberTest, RejectsCharactersOtherThanDigitsAndFinalX) {
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("1101051949123100XX")), "invalid_character");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("11010519491231 02X")), "invalid_character");
  EXPECT_EQ(CodeOf(ResidentIdNumber::Parse("11010549123100X")), "invalid_character");
  auto chinese = ResidentIdNumber::Parse("11010519491231002号");
  EXPECT_EQ(CodeOf(chinese), "invalid_character");
  EXPECT_EQ(chinese.error().field_violations[0].message.en_us,
            "An ID number has only digits (the 18th may be X); character 18 is not allowed");
}

TEST(ResidentIdNumberTest, RejectsUnknownProvinceCodes) {
  for (std::string first17 :
       {"00010519900101001", "10010519900101001", "16010519900101001", "39010519900101001",
        "72010519900101001", "83010519900101001", "99010519900101001"}) {
    EXPECT_EQ(CodeOf(ResidentIdNumber::Parse(WithCheck(first17))), "invalid_region") << first17;
  }
}

TEST(ResidentIdNumberTest, RejectsAWrongCheckCharacterAndSaysWhichIsExpected) {
  auto id = ResidentIdNumber::Parse("110105194912310021", "applicant.id_number");
  ASSERT_FALSE(id);
  ASSERT_EQ(id.error().field_violations.size(), 1u);
  const FieldViolation& v = id.error().field_violations[0];
  EXPECT_EQ(v.field, "applicant.id_number");
  EXPECT_EQ(v.code, "invalid_checksum");
  EXPECT_EQ(v.message.zh_cn, "校验位不正确，应为 X，请核对整个号码");
  EXPECT_EQ(v.message.en_us, "Check digit is wrong; expected X. Please check the whole number");
}

TEST(ResidentIdNumberTest, NamesTheFieldInEveryViolation) {
  auto id = ResidentIdNumber::Parse("123", "spouse.id_number");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().field_violations[0].field, "spouse.id_number");
  EXPECT_FALSE(id.error().field_violations[0].message.zh_cn.empty());
  EXPECT_FALSE(id.error().field_violations[0].message.en_us.empty());
}

TEST(ResidentIdNumberTest, ComputesAgeInCompletedYears) {
  auto id = ResidentIdNumber::Parse(WithCheck("11010519900615001"));
  ASSERT_TRUE(id);
  EXPECT_EQ(id->AgeOn(*Date::Parse("2020-06-14")), 29);
  EXPECT_EQ(id->AgeOn(*Date::Parse("2020-06-15")), 30);
  EXPECT_EQ(id->AgeOn(*Date::Parse("1990-06-15")), 0);
  EXPECT_LT(id->AgeOn(*Date::Parse("1990-06-14")), 0);
}

TEST(ResidentIdNumberTest, LeapDayBirthdaysCountFromTheFirstOfMarchInCommonYears) {
  auto id = ResidentIdNumber::Parse(WithCheck("11010520000229001"));
  ASSERT_TRUE(id);
  EXPECT_EQ(id->AgeOn(*Date::Parse("2018-02-28")), 17);
  EXPECT_EQ(id->AgeOn(*Date::Parse("2018-03-01")), 18);
  EXPECT_EQ(id->AgeOn(*Date::Parse("2024-02-29")), 24);
}

}  // namespace
}  // namespace oc
