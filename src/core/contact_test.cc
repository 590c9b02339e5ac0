#include "core/contact.h"

#include <gtest/gtest.h>

#include <utility>

namespace oc {
namespace {

template <class T>
std::string CodeOf(const Result<T>& result) {
  if (result) return "";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().field_violations.size(), 1u);
  return result.error().field_violations.empty() ? "?" : result.error().field_violations[0].code;
}

TEST(NormalizeMobileTest, AcceptsPlainElevenDigits) {
  EXPECT_EQ(*NormalizeMobile("13800138000"), "13800138000");
  EXPECT_EQ(*NormalizeMobile("19912345678"), "19912345678");
}

TEST(NormalizeMobileTest, RemovesCountryCodesSeparatorsAndFullWidthForms) {
  for (const char* input :
       {"+86 138 0013 8000", "+86-138-0013-8000", "(+86) 13800138000", "008613800138000",
        "8613800138000", "138-0013-8000", "１３８００１３８０００", "＋８６１３８００１３８０００",
        "＋８６　１３８－００１３－８０００", " 13800138000\t"}) {
    auto mobile = NormalizeMobile(input);
    ASSERT_TRUE(mobile) << input;
    EXPECT_EQ(*mobile, "13800138000") << input;
  }
}

TEST(NormalizeMobileTest, RejectsWhatIsNotAMainlandMobile) {
  for (const char* input : {"", "1380013800", "138001380001", "12800138000", "23800138000",
                            "1380013800a", "010-12345678", "+1 415 555 0100", "+8612800138000",
                            "86138001380", "138.0013.8000", "+86+8613800138000"}) {
    EXPECT_EQ(CodeOf(NormalizeMobile(input)), "invalid_mobile") << input;
  }
}

TEST(NormalizeMobileTest, NamesTheGivenField) {
  auto mobile = NormalizeMobile("123", "contact.phone");
  ASSERT_FALSE(mobile);
  EXPECT_EQ(mobile.error().field_violations[0].field, "contact.phone");
}

TEST(NormalizeLandlineTest, ReadsTheAreaCodeNumberAndExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"0571-88886666", "0571-88886666"},
      {"021 6888 6666", "021-68886666"},
      {"(010)12345678", "010-12345678"},
      {"(0755) 8888 6666", "0755-88886666"},
      {"0571-88886666-123", "0571-88886666-123"},
      {"0571-8888-6666", "0571-88886666"},
      {"057188886666", "0571-88886666"},
      {"0311-2345678", "0311-2345678"},
      {"+86 571 8888 6666", "0571-88886666"},
      {"0086-10-12345678", "010-12345678"},
      {"０５７１－８８８８６６６６", "0571-88886666"},
      {"010-1234567-8", "010-12345678"},
      {"010-1234567-89", "010-1234567-89"},
  };
  for (const auto& [input, expected] : cases) {
    auto landline = NormalizeLandline(input);
    ASSERT_TRUE(landline) << input;
    EXPECT_EQ(*landline, expected) << input;
  }
}

TEST(NormalizeLandlineTest, RejectsNumbersWithoutAnAreaCodeOrOfTheWrongLength) {
  for (const char* input :
       {"", "88886666", "13800138000", "0571-888866", "0571-888866667", "011-12345678",
        "0571-08886666", "(0571-88886666", "(05)71-88886666",
        "0571-88886666-1234567", "0571 88886666 123", "0571-88886666-", "0571.88886666",
        "0000-12345678"}) {
    EXPECT_EQ(CodeOf(NormalizeLandline(input)), "invalid_landline") << input;
  }
}

TEST(NormalizePhoneTest, TakesAMobileOrALandline) {
  EXPECT_EQ(*NormalizePhone("+86 138 0013 8000"), "13800138000");
  EXPECT_EQ(*NormalizePhone("(010)12345678"), "010-12345678");
  EXPECT_EQ(CodeOf(NormalizePhone("12345")), "invalid_phone");
  auto named = NormalizePhone("12345", "contact_phone");
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().field_violations[0].field, "contact_phone");
}

TEST(PhoneTailTest, IsTheLastFourDigitsOfTheNumberWithoutTheExtension) {
  EXPECT_EQ(PhoneTail("13800138000"), "8000");
  EXPECT_EQ(PhoneTail("0571-88886666"), "6666");
  EXPECT_EQ(PhoneTail("010-1234567-89"), "4567");
  EXPECT_EQ(PhoneTail("123"), "");
}

TEST(NormalizeEmailTest, LowerCasesTheDomainOnly) {
  EXPECT_EQ(*NormalizeEmail("ZhangSan@Example.COM"), "ZhangSan@example.com");
  EXPECT_EQ(*NormalizeEmail("  li.si+loans@mail.example.com.cn "),
            "li.si+loans@mail.example.com.cn");
  EXPECT_EQ(*NormalizeEmail("wang_wu@xn--fiqs8s.cn"), "wang_wu@xn--fiqs8s.cn");
}

TEST(NormalizeEmailTest, FoldsFullWidthAtSignAndDots) {
  EXPECT_EQ(*NormalizeEmail("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "zhang@example.com");
}

TEST(NormalizeEmailTest, RejectsImpracticalSyntax) {
  for (const char* input : {"",
                            "zhang",
                            "@example.com",
                            "zhang@",
                            "zhang@example",
                            "zhang@@example.com",
                            "zh ang@example.com",
                            "zhang@exa mple.com",
                            ".zhang@example.com",
                            "zhang.@example.com",
                            "zh..ang@example.com",
                            "zhang@example..com",
                            "zhang@.example.com",
                            "zhang@example.com.",
                            "zhang@-example.com",
                            "zhang@example-.com",
                            "zhang@1.2.3.4",
                            "\"zhang\"@example.com",
                            "张三@example.com",
                            "zhang@例子.中国",
                            "a@b@example.com",
                            "zhang@exam_ple.com"}) {
    EXPECT_EQ(CodeOf(NormalizeEmail(input)), "invalid_email") << input;
  }
}

TEST(NormalizeEmailTest, EnforcesLengthLimits) {
  const std::string label63(63, 'a');
  EXPECT_TRUE(NormalizeEmail("x@" + label63 + ".com"));
  EXPECT_EQ(CodeOf(NormalizeEmail("x@" + label63 + "a.com")), "invalid_email");
  EXPECT_TRUE(NormalizeEmail(std::string(64, 'l') + "@example.com"));
  EXPECT_EQ(CodeOf(NormalizeEmail(std::string(65, 'l') + "@example.com")), "invalid_email");
  // 254 characters in all is the most a path can carry (RFC 5321 with its errata).
  const std::string domain = label63 + "." + label63 + "." + label63 + "." + std::string(57, 'b');
  EXPECT_EQ(domain.size(), 249u);
  EXPECT_TRUE(NormalizeEmail("abcd@" + domain));
  EXPECT_EQ(CodeOf(NormalizeEmail("abcde@" + domain)), "invalid_email");
}

TEST(LuhnTest, ValidatesKnownNumbers) {
  EXPECT_TRUE(LuhnValid("79927398713"));       // the textbook example
  EXPECT_TRUE(LuhnValid("4111111111111111"));  // a well-known test card
  EXPECT_TRUE(LuhnValid("6222021234567890128"));
  EXPECT_TRUE(LuhnValid("0"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("4111 1111 1111 1111"));
}

TEST(LuhnTest, CatchesEverySingleDigitError) {
  const std::string good = "6222021234567890128";
  for (size_t i = 0; i < good.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[i]) continue;
      std::string bad = good;
      bad[i] = d;
      EXPECT_FALSE(LuhnValid(bad)) << bad;
    }
  }
}

TEST(NormalizeBankCardTest, RemovesSpacesDashesAndFullWidthForms) {
  EXPECT_EQ(*NormalizeBankCard("6222 0212 3456 7890 128"), "6222021234567890128");
  EXPECT_EQ(*NormalizeBankCard("4111-1111-1111-1111"), "4111111111111111");
  EXPECT_EQ(*NormalizeBankCard("４１１１１１１１１１１１１１１１"), "4111111111111111");
}

TEST(NormalizeBankCardTest, ReportsEachFailureWithItsOwnCode) {
  EXPECT_EQ(CodeOf(NormalizeBankCard("4111 1111 1111 111A")), "invalid_character");
  EXPECT_EQ(CodeOf(NormalizeBankCard("")), "invalid_length");
  EXPECT_EQ(CodeOf(NormalizeBankCard("79927398713")), "invalid_length");           // 11 digits
  EXPECT_EQ(CodeOf(NormalizeBankCard("41111111111111111111")), "invalid_length");  // 20
  EXPECT_EQ(CodeOf(NormalizeBankCard("4111111111111112")), "invalid_checksum");
  auto bad = NormalizeBankCard("4111111111111112", "repayment.bank_card");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_violations[0].field, "repayment.bank_card");
}

TEST(NormalizeBankCardTest, AcceptsTwelveAndNineteenDigits) {
  EXPECT_TRUE(NormalizeBankCard("123456789015"));
  EXPECT_TRUE(NormalizeBankCard("6222021234567890128"));
}

}  // namespace
}  // namespace oc
