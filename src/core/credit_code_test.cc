#include "core/credit_code.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

// GB 32100-2015 check character computed from its definition, independently of the code under
// test: weights are 3^(i−1) mod 31, and the check value is (31 − Σ mod 31) mod 31.
char ReferenceCheck(std::string_view first17) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  int sum = 0, weight = 1;
  for (char c : first17) {
    sum += static_cast<int>(kAlphabet.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  return kAlphabet[(31 - sum % 31) % 31];
}

std::string WithCheck(std::string first17) { return first17 + ReferenceCheck(first17); }

template <class T>
std::string CodeOf(const Result<T>& result) {
  if (result) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().field_violations.size(), 1u);
  return result.error().field_violations.empty() ? "?" : result.error().field_violations[0].code;
}

TEST(UnifiedSocialCreditCodeTest, AcceptsThePublishedExample) {
  auto code = UnifiedSocialCreditCode::Parse("91350100M000100Y43");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->value(), "91350100M000100Y43");
}

TEST(UnifiedSocialCreditCodeTest, AcceptsCodesWhoseCheckMatchesTheReference) {
  for (std::string first17 : {"91110105MA01ABCDE", "91440300708461136", "12100000400000362",
                              "52310115MJ4938517", "91330106YX1234567", "Y1510107000000000"}) {
    const std::string code = WithCheck(first17);
    auto parsed = UnifiedSocialCreditCode::Parse(code);
    ASSERT_TRUE(parsed) << code;
    EXPECT_EQ(parsed->value(), code);
    EXPECT_EQ(CreditCodeCheckCharacter(first17), code[17]);
  }
}

TEST(UnifiedSocialCreditCodeTest, FoldsUpperCasesAndRemovesSpacesAndDashes) {
  auto code = UnifiedSocialCreditCode::Parse(" ９１３５０１００ｍ０００１００ｙ４３ ");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->value(), "91350100M000100Y43");
  auto grouped = UnifiedSocialCreditCode::Parse("9135-0100-m000-100y-43");
  ASSERT_TRUE(grouped);
  EXPECT_EQ(grouped->value(), "91350100M000100Y43");
  auto spaced = UnifiedSocialCreditCode::Parse("91 350100 M000100Y4 3");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->value(), "91350100M000100Y43");
}

TEST(UnifiedSocialCreditCodeTest, RejectsWrongLengths) {
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("")), "invalid_length");
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("91350100M000100Y4")), "invalid_length");
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("91350100M000100Y433")), "invalid_length");
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("---")), "invalid_length");
}

TEST(UnifiedSocialCreditCodeTest, RejectsLettersTheStandardLeavesOut) {
  for (char letter : {'I', 'O', 'Z', 'S', 'V'}) {
    std::string code = "91350100M000100Y43";
    code[8] = letter;
    auto parsed = UnifiedSocialCreditCode::Parse(code);
    EXPECT_EQ(CodeOf(parsed), "invalid_character") << letter;
  }
  auto o = UnifiedSocialCreditCode::Parse("91350100MOOO100Y43", "company.credit_code");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().field_violations[0].field, "company.credit_code");
  EXPECT_EQ(o.error().field_violations[0].message.zh_cn,
            "第 10 位“O”不合法：统一社会信用代码只含数字和除 I、O、Z、S、V 外的大写字母");
}

TEST(UnifiedSocialCreditCodeTest, RejectsPunctuationAndChineseCharacters) {
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("91350100M000100Y4*")), "invalid_character");
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse("91350100M000100Y4号")), "invalid_character");
}

TEST(UnifiedSocialCreditCodeTest, KeepsItsMessageValidUtf8ForIllFormedInput) {
  auto code = UnifiedSocialCreditCode::Parse("91350100M000100Y4\xff");
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().field_violations[0].code, "invalid_character");
  EXPECT_EQ(code.error().field_violations[0].message.en_us.find('\xff'), std::string::npos);
  EXPECT_NE(code.error().field_violations[0].message.en_us.find("(\uFFFD)"), std::string::npos);
}

TEST(UnifiedSocialCreditCodeTest, RequiresDigitsInTheRegionCode) {
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse(WithCheck("913501A0M000100Y4"))),
            "invalid_character");
}

TEST(UnifiedSocialCreditCodeTest, RejectsAWrongCheckCharacterAndSaysWhichIsExpected) {
  auto code = UnifiedSocialCreditCode::Parse("91350100M000100Y44");
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().field_violations[0].code, "invalid_checksum");
  EXPECT_EQ(code.error().field_violations[0].field, "credit_code");
  EXPECT_EQ(code.error().field_violations[0].message.en_us,
            "Check character is wrong; expected 3. Please check the whole code");
}

TEST(UnifiedSocialCreditCodeTest, CatchesASingleMistypedCharacter) {
  // Changing any one of the first 17 characters changes the weighted sum by a non-multiple of 31
  // (31 is prime and no weight is 0 mod 31).
  const std::string good = "91350100M000100Y43";
  std::string typo = good;
  typo[5] = '2';
  EXPECT_EQ(CodeOf(UnifiedSocialCreditCode::Parse(typo)), "invalid_checksum");
}

}  // namespace
}  // namespace oc
