#include "core/credit_code.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "core/text_normalize.h"

namespace oc {
namespace {

// GB 32100-2015 leaves out I, O, Z, S and V so they cannot be mistaken for 1, 0, 2, 5 and U.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int AlphabetIndex(char c) {
  const size_t index = kAlphabet.find(c);
  return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

Error Violation(std::string_view field, std::string code, std::string zh, std::string en) {
  return InvalidField(std::string(field), std::move(code), Message{std::move(zh), std::move(en)});
}

}  // namespace

char CreditCodeCheckCharacter(std::string_view first17) {
  bool ok = first17.size() == 17;
  for (size_t i = 0; ok && i < 17; ++i) ok = AlphabetIndex(first17[i]) >= 0;
  if (!ok) {
    std::fprintf(stderr, "CreditCodeCheckCharacter: needs 17 code characters, got \"%.*s\"\n",
                 static_cast<int>(first17.size()), first17.data());
    std::abort();
  }
  // GB 32100-2015 §5: weights 3^(i-1) mod 31; the check value is 31 − (Σ value·weight mod 31),
  // with 31 written as 0.
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += AlphabetIndex(first17[i]) * kWeights[i];
  const int check = 31 - sum % 31;
  return kAlphabet[check == 31 ? 0 : check];
}

Result<UnifiedSocialCreditCode> UnifiedSocialCreditCode::Parse(std::string_view input,
                                                               std::string_view field) {
  std::string folded = FoldFullWidth(input);
  std::string code;
  code.reserve(folded.size());
  for (char c : folded) {
    if (c == ' ' || (c >= '\t' && c <= '\r') || c == '-') continue;
    code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }

  const size_t length = Utf8Length(code);
  if (length != 18) {
    return Violation(
        field, "invalid_length",
        "统一社会信用代码应为 18 位，当前为 " + std::to_string(length) + " 位",
        "A unified social credit code has 18 characters; this one has " + std::to_string(length));
  }
  for (size_t pos = 0, index = 0; pos < code.size(); ++index) {
    const Utf8Char c = DecodeUtf8At(code, pos);
    // An ill-formed byte is shown as U+FFFD so the message itself stays valid UTF-8.
    const std::string shown = c.valid ? code.substr(pos, c.length) : "\uFFFD";
    pos += c.length;
    const std::string position = std::to_string(index + 1);
    const bool in_alphabet = c.length == 1 && AlphabetIndex(code[pos - 1]) >= 0;
    if (!in_alphabet) {
      return Violation(field, "invalid_character",
                       "第 " + position + " 位“" + shown +
                           "”不合法：统一社会信用代码只含数字和除 I、O、Z、S、V 外的大写字母",
                       "Character " + position + " (" + shown +
                           ") is not allowed: a credit code has digits and the letters A–Z "
                           "except I, O, Z, S and V");
    }
    const bool division_code = index >= 2 && index <= 7;
    if (division_code && !(c.code_point >= U'0' && c.code_point <= U'9')) {
      return Violation(
          field, "invalid_character",
          "第 " + position + " 位“" + shown + "”不合法：第 3–8 位是行政区划代码，只能是数字",
          "Character " + position + " (" + shown +
              ") is not allowed: characters 3–8 are a region code and must be digits");
    }
  }
  // All 18 characters are single bytes of the alphabet from here on.
  const char expected = CreditCodeCheckCharacter(std::string_view(code).substr(0, 17));
  if (code[17] != expected) {
    return Violation(field, "invalid_checksum",
                     std::string("校验码不正确，应为 ") + expected + "，请核对整个代码",
                     std::string("Check character is wrong; expected ") + expected +
                         ". Please check the whole code");
  }
  return UnifiedSocialCreditCode(std::move(code));
}

}  // namespace oc
