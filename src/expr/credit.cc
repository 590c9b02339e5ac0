#include "expr/credit.h"

namespace oc::expr {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int Number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Province-level codes of GB/T 2260 (plus 71 Taiwan, 81 Hong Kong, 82 Macao, and 83 used by
// residence permits for Taiwan residents).
bool KnownProvince(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || code == 81 || code == 82 || code == 83;
}

}  // namespace

std::optional<IdCardInfo> ParseIdCard(std::string_view number, bool allow_legacy) {
  if (number.size() == 15 && allow_legacy) {
    if (!AllDigits(number) || !KnownProvince(Number(number.substr(0, 2)))) return std::nullopt;
    auto birth = Date::FromYmd(1900 + Number(number.substr(6, 2)),
                               unsigned(Number(number.substr(8, 2))),
                               unsigned(Number(number.substr(10, 2))));
    if (!birth) return std::nullopt;
    return IdCardInfo{*birth, (number[14] - '0') % 2 == 1};
  }
  if (number.size() != 18 || !AllDigits(number.substr(0, 17))) return std::nullopt;
  if (!KnownProvince(Number(number.substr(0, 2)))) return std::nullopt;
  // ISO 7064 MOD 11-2: weight of position i (from the left) is 2^(17-i) mod 11.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (number[size_t(i)] - '0') * kWeights[i];
  char last = number[17] == 'x' ? 'X' : number[17];
  if (kCheck[sum % 11] != last) return std::nullopt;
  int year = Number(number.substr(6, 4));
  if (year < 1900) return std::nullopt;
  auto birth = Date::FromYmd(year, unsigned(Number(number.substr(10, 2))),
                             unsigned(Number(number.substr(12, 2))));
  if (!birth) return std::nullopt;
  // The 17th digit is the sequence code: odd for men, even for women.
  return IdCardInfo{*birth, (number[16] - '0') % 2 == 1};
}

bool IsValidUscc(std::string_view code) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18 || !AllDigits(code.substr(2, 6))) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t v = kAlphabet.find(code[i]);
    if (v == std::string_view::npos) return false;
    sum += int(v) * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return code[17] == kAlphabet[size_t(check)];
}

bool IsValidLuhn(std::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits)) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

}  // namespace oc::expr
