#include "core/contact.h"

#include "core/text_normalize.h"

namespace oc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsLocalPartChar(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         kSpecials.find(c) != std::string_view::npos;
}

bool IsLabelChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || c == '-'; }

bool ValidLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  for (char c : local) {
    if (!IsLocalPartChar(c)) return false;
  }
  return true;
}

// REQUIRES: `domain` is already lower case.
bool ValidDomain(std::string_view domain) {
  size_t labels = 0;
  bool last_all_digits = false;
  while (true) {
    const size_t dot = domain.find('.');
    const std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    last_all_digits = true;
    for (char c : label) {
      if (!IsLabelChar(c)) return false;
      last_all_digits = last_all_digits && IsDigit(c);
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2 && !last_all_digits;
}

Error Violation(std::string_view field, std::string code, Message message) {
  return InvalidField(std::string(field), std::move(code), std::move(message));
}

}  // namespace

Result<std::string> NormalizeMobile(std::string_view input, std::string_view field) {
  std::string digits;
  for (char c : FoldFullWidth(input)) {
    if (IsSpace(c) || c == '-' || c == '(' || c == ')') continue;
    digits += c;
  }
  std::string_view number = digits;
  if (number.starts_with("+86")) {
    number.remove_prefix(3);
  } else if (number.starts_with("0086")) {
    number.remove_prefix(4);
  } else if (number.size() == 13 && number.starts_with("86")) {
    number.remove_prefix(2);
  }
  bool ok = number.size() == 11 && number[0] == '1' && number[1] >= '3' && number[1] <= '9';
  for (size_t i = 0; ok && i < number.size(); ++i) ok = IsDigit(number[i]);
  if (!ok) {
    return Violation(field, "invalid_mobile",
                     {"手机号码应为以 13–19 开头的 11 位数字（可带 +86）",
                      "A mobile number has 11 digits starting with 13–19 (+86 may precede it)"});
  }
  return std::string(number);
}

Result<std::string> NormalizeEmail(std::string_view input, std::string_view field) {
  const std::string folded = FoldFullWidth(input);
  std::string email(TrimAsciiSpace(folded));
  const size_t at = email.find('@');
  bool ok = !email.empty() && email.size() <= 254 && at != std::string::npos &&
            email.find('@', at + 1) == std::string::npos;
  if (ok) {
    for (size_t i = at + 1; i < email.size(); ++i) {
      if (email[i] >= 'A' && email[i] <= 'Z') email[i] = static_cast<char>(email[i] - 'A' + 'a');
    }
    const std::string_view view = email;
    ok = ValidLocalPart(view.substr(0, at)) && ValidDomain(view.substr(at + 1));
  }
  if (!ok) {
    return Violation(field, "invalid_email",
                     {"电子邮箱格式不正确，应形如 name@example.com",
                      "The e-mail address is not valid; it should look like name@example.com"});
  }
  return email;
}

Result<std::string> NormalizeBankCard(std::string_view input, std::string_view field) {
  std::string digits;
  for (char c : FoldFullWidth(input)) {
    if (IsSpace(c) || c == '-') continue;
    digits += c;
  }
  for (char c : digits) {
    if (!IsDigit(c)) {
      return Violation(field, "invalid_character",
                       {"银行卡号只能包含数字", "A bank card number has only digits"});
    }
  }
  if (digits.size() < 12 || digits.size() > 19) {
    return Violation(
        field, "invalid_length",
        {"银行卡号应为 12–19 位数字，当前为 " + std::to_string(digits.size()) + " 位",
         "A bank card number has 12–19 digits; this one has " + std::to_string(digits.size())});
  }
  if (!LuhnValid(digits)) {
    return Violation(field, "invalid_checksum",
                     {"银行卡号校验不通过，请核对卡号",
                      "The bank card number fails its check digit; please check it"});
  }
  return digits;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool doubled = false;
  // From the right: every second digit is doubled and its digits summed (x2 − 9 when > 9).
  for (size_t i = digits.size(); i-- > 0;) {
    if (!IsDigit(digits[i])) return false;
    int d = digits[i] - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubled = !doubled;
  }
  return sum % 10 == 0;
}

}  // namespace oc
