#include "core/resident_id.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/text_normalize.h"

namespace oc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

std::string_view TrimAsciiSpace(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Province-level codes of GB/T 2260: the first two digits of every division code.
bool IsProvinceCode(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82;
}

int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

Error Violation(std::string_view field, std::string code, std::string zh, std::string en) {
  return InvalidField(std::string(field), std::move(code), Message{std::move(zh), std::move(en)});
}

}  // namespace

char ResidentIdCheckCharacter(std::string_view first17) {
  if (first17.size() != 17 || !IsAllDigits(first17)) {
    std::fprintf(stderr, "ResidentIdCheckCharacter: needs 17 digits, got \"%.*s\"\n",
                 static_cast<int>(first17.size()), first17.data());
    std::abort();
  }
  // GB 11643-1999: weight of position i (1-based from the left) is 2^(18-i) mod 11; the check
  // character makes the weighted sum ≡ 1 (mod 11), with X standing for 10.
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

Result<ResidentIdNumber> ResidentIdNumber::Parse(std::string_view input, std::string_view field) {
  std::string folded = FoldFullWidth(input);
  std::string_view id = TrimAsciiSpace(folded);

  const size_t length = Utf8Length(id);
  if (length != 18 && length != 15) {
    return Violation(
        field, "invalid_length",
        "身份证号码应为 18 位（旧版为 15 位），当前为 " + std::to_string(length) + " 位",
        "An ID number has 18 characters (15 in the old format); this one has " +
            std::to_string(length));
  }
  for (size_t pos = 0, index = 0; pos < id.size(); ++index) {
    const Utf8Char c = DecodeUtf8At(id, pos);
    pos += c.length;
    const bool check_position = length == 18 && index == 17;
    if ((c.code_point >= U'0' && c.code_point <= U'9') ||
        (check_position && (c.code_point == U'X' || c.code_point == U'x'))) {
      continue;
    }
    const std::string position = std::to_string(index + 1);
    return Violation(field, "invalid_character",
                     "身份证号码只能由数字组成（第 18 位可为 X），第 " + position + " 位不合法",
                     "An ID number has only digits (the 18th may be X); character " + position +
                         " is not allowed");
  }
  // From here on every character is a single ASCII byte.

  const std::string_view province = id.substr(0, 2);
  if (!IsProvinceCode(DigitsValue(province))) {
    return Violation(
        field, "invalid_region", "前两位 " + std::string(province) + " 不是有效的省级行政区划代码",
        "The first two digits, " + std::string(province) + ", are not a valid province code");
  }

  // The 15-digit format (GB 11643-1989) has a two-digit year, all of them in the 1900s, and no
  // check character.
  std::string birth =
      id.size() == 15 ? "19" + std::string(id.substr(6, 6)) : std::string(id.substr(6, 8));
  std::optional<Date> birth_date =
      Date::FromYmd(DigitsValue(std::string_view(birth).substr(0, 4)),
                    static_cast<unsigned>(DigitsValue(std::string_view(birth).substr(4, 2))),
                    static_cast<unsigned>(DigitsValue(std::string_view(birth).substr(6, 2))));
  if (!birth_date) {
    return Violation(field, "invalid_birth_date",
                     "号码中的出生日期 " + birth + " 不是真实存在的日期",
                     "The birth date in the number, " + birth + ", is not a real date");
  }
  if (birth_date->year() < 1900) {
    return Violation(field, "invalid_birth_date", "号码中的出生日期 " + birth + " 早于 1900 年",
                     "The birth date in the number, " + birth + ", is before 1900");
  }

  std::string canonical;
  if (id.size() == 15) {
    canonical = std::string(id.substr(0, 6)) + birth + std::string(id.substr(12, 3));
    canonical += ResidentIdCheckCharacter(canonical);
  } else {
    canonical = std::string(id);
    if (canonical[17] == 'x') canonical[17] = 'X';
    const char expected = ResidentIdCheckCharacter(std::string_view(canonical).substr(0, 17));
    if (canonical[17] != expected) {
      return Violation(field, "invalid_checksum",
                       std::string("校验位不正确，应为 ") + expected + "，请核对整个号码",
                       std::string("Check digit is wrong; expected ") + expected +
                           ". Please check the whole number");
    }
  }
  return ResidentIdNumber(std::move(canonical), *birth_date);
}

ResidentIdNumber::Gender ResidentIdNumber::gender() const {
  return (value_[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
}

std::string_view ResidentIdNumber::region_code() const {
  return std::string_view(value_).substr(0, 6);
}

int ResidentIdNumber::AgeOn(Date today) const {
  int age = today.year() - birth_date_.year();
  const bool birthday_passed =
      today.month() > birth_date_.month() ||
      (today.month() == birth_date_.month() && today.day() >= birth_date_.day());
  return birthday_passed ? age : age - 1;
}

}  // namespace oc
