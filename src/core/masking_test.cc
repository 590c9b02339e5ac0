#include "core/masking.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace oc {
namespace {

TEST(MaskIdNumberTest, KeepsOnlyTheFirstAndLastCharacter) {
  EXPECT_EQ(MaskIdNumber("110105199001010021"), "1****************1");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "1****************X");
}

// A mask of a mask is the same mask, so values recorded under a weaker one can be shown anew.
TEST(MaskIdNumberTest, MaskingAMaskedValueAgainChangesNothingMore) {
  EXPECT_EQ(MaskIdNumber("110105********0021"), "1****************1");
  EXPECT_EQ(MaskIdNumber(MaskIdNumber("110105199001010021")), "1****************1");
}

TEST(MaskIdNumberTest, RevealsAtMostHalfOfShorterValues) {
  EXPECT_EQ(MaskIdNumber("110105491231002"), "1*************2");  // 15 characters: 1 + 1
  EXPECT_EQ(MaskIdNumber("E12345678"), "E*******8");              // a passport: 1 + 1
  EXPECT_EQ(MaskIdNumber("1234"), "1**4");
  EXPECT_EQ(MaskIdNumber("12"), "1*");
  EXPECT_EQ(MaskIdNumber("1"), "*");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(MaskMobileTest, KeepsFirstThreeAndLastFour) {
  EXPECT_EQ(MaskMobile("13800138000"), "138****8000");
  EXPECT_EQ(MaskMobile("1380013"), "13****3");
  EXPECT_EQ(MaskMobile(""), "");
}

TEST(MaskPhoneTest, MasksAMobileAsAMobileAndALandlineBehindItsAreaCode) {
  EXPECT_EQ(MaskPhone("13800138000"), "138****8000");
  EXPECT_EQ(MaskPhone("0571-88886666"), "0571-****6666");
  EXPECT_EQ(MaskPhone("010-1234567-89"), "010-***4567-**");
  // Masking a mask changes nothing, as the audit trail's re-masking needs.
  EXPECT_EQ(MaskPhone("0571-****6666-***"), "0571-****6666-***");
}

TEST(MaskBankCardTest, KeepsFirstSixAndLastFour) {
  EXPECT_EQ(MaskBankCard("6222021234567890128"), "622202*********0128");
  EXPECT_EQ(MaskBankCard("4111111111111111"), "411111******1111");
  EXPECT_EQ(MaskBankCard("123456789015"), "123******015");  // 12 digits: 3 + 3
  EXPECT_EQ(MaskBankCard("9"), "*");
}

TEST(MaskEmailTest, KeepsFirstAndLastOfTheLocalPartAndTheDomain) {
  EXPECT_EQ(MaskEmail("zhangsan@example.com"), "z******n@example.com");
  EXPECT_EQ(MaskEmail("li.s@example.com"), "l**s@example.com");
  EXPECT_EQ(MaskEmail("abc@x.cn"), "a**@x.cn");
  EXPECT_EQ(MaskEmail("ab@x.cn"), "a*@x.cn");
  EXPECT_EQ(MaskEmail("a@x.cn"), "*@x.cn");
  EXPECT_EQ(MaskEmail("@x.cn"), "@x.cn");
  EXPECT_EQ(MaskEmail("not-an-email"), "n**********l");
  EXPECT_EQ(MaskEmail(""), "");
}

TEST(MaskAddressDetailTest, KeepsTheFirstThreeCharactersOfChineseText) {
  EXPECT_EQ(MaskAddressDetail("朝阳路88号院3号楼"), "朝阳路*******");
  EXPECT_EQ(MaskAddressDetail("建国门外大街1号"), "建国门*****");
  EXPECT_EQ(MaskAddressDetail("人民路1号"), "人民***");  // 5 characters: at most 2 shown
  EXPECT_EQ(MaskAddressDetail("中"), "*");
  EXPECT_EQ(MaskAddressDetail(""), "");
}

TEST(MaskingTest, NeverSplitsAMultiByteCharacterOrCrashesOnBadBytes) {
  EXPECT_EQ(MaskMobile("１３８００１３８０００"), "１３８****８０００");
  EXPECT_EQ(MaskAddressDetail("\xff\xfe\xe4\xb8"), "\xff\xfe**");
}

TEST(MaskingTest, ShortValuesNeverRevealMoreThanHalf) {
  struct Mask {
    std::string (*mask)(std::string_view);
    size_t standard_length;
  };
  for (const Mask& m : {Mask{MaskIdNumber, 18}, Mask{MaskMobile, 11}, Mask{MaskBankCard, 16},
                        Mask{MaskEmail, 4}, Mask{MaskAddressDetail, 6}}) {
    for (size_t n = 0; n < 30; ++n) {
      const std::string masked = m.mask(std::string(n, '7'));
      ASSERT_EQ(masked.size(), n);
      const size_t shown = n - static_cast<size_t>(std::count(masked.begin(), masked.end(), '*'));
      if (n < m.standard_length) {
        EXPECT_LE(shown, n / 2) << masked;
      }
      if (n > 0) {
        EXPECT_LT(shown, n) << masked;
      }
    }
  }
}

}  // namespace
}  // namespace oc
