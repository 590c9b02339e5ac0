#include "core/contact.h"

#include <vector>

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

Result<std::string> NormalizeLandline(std::string_view input, std::string_view field) {
  const Error invalid = Violation(
      field, "invalid_landline",
      {"座机号码应带区号，如 0571-88886666、021 6888 6666、(010)12345678，分机号可加在末尾如 -123",
       "A landline needs its area code, as in 0571-88886666, 021 6888 6666 or (010)12345678, "
       "with an optional extension such as -123"});
  const std::string folded = FoldFullWidth(input);
  std::string_view text = TrimAsciiSpace(folded);
  bool international = false;
  for (std::string_view code : {"+86", "0086"}) {
    if (text.starts_with(code)) {
      text.remove_prefix(code.size());
      international = true;
      break;
    }
  }
  text = TrimAsciiSpace(text);
  // Parentheses may only enclose the area code, at the start.
  std::string area_digits;
  if (text.starts_with('(')) {
    const size_t close = text.find(')');
    if (close == std::string_view::npos) return invalid;
    area_digits = std::string(TrimAsciiSpace(text.substr(1, close - 1)));
    if (area_digits.empty()) return invalid;
    for (char c : area_digits) {
      if (!IsDigit(c)) return invalid;
    }
    text.remove_prefix(close + 1);
  }
  // The digit groups after the area code, and whether a dash came before the last one.
  std::vector<std::string> groups;
  bool dash_before_last = false;
  bool separated = true;
  bool dash_seen = false;
  for (char c : text) {
    if (IsDigit(c)) {
      if (separated) {
        groups.emplace_back();
        dash_before_last = dash_seen;
        dash_seen = false;
        separated = false;
      }
      groups.back() += c;
    } else if (IsSpace(c) || c == '-') {
      separated = true;
      dash_seen = dash_seen || c == '-';
    } else {
      return invalid;
    }
  }
  if (dash_seen) return invalid;  // a dash after the last digit
  std::string digits = area_digits;
  for (const std::string& g : groups) digits += g;
  if (international && !digits.empty() && digits[0] != '0') digits.insert(0, 1, '0');
  if (digits.size() < 2 || digits[0] != '0') return invalid;
  size_t area_length = 0;
  if (digits[1] == '1') {
    area_length = digits.starts_with("010") ? 3 : 0;
  } else if (digits[1] == '2') {
    area_length = 3;
  } else if (digits[1] >= '3' && digits[1] <= '9') {
    area_length = 4;
  }
  if (area_length == 0 || digits.size() < area_length) return invalid;
  const size_t dropped_zero = international && !area_digits.empty() && area_digits[0] != '0' ? 1 : 0;
  if (!area_digits.empty() && area_digits.size() + dropped_zero != area_length) return invalid;
  std::string_view rest = std::string_view(digits).substr(area_length);
  std::string_view extension;
  if (rest.size() > 8) {
    if (groups.size() < 2 || !dash_before_last) return invalid;
    const std::string& last = groups.back();
    const size_t number_length = rest.size() - last.size();
    if (last.size() > 6 || (number_length != 7 && number_length != 8)) {
      return invalid;
    }
    extension = rest.substr(number_length);
    rest = rest.substr(0, number_length);
  }
  if (rest.size() != 7 && rest.size() != 8) return invalid;
  if (rest[0] == '0') return invalid;
  std::string out = digits.substr(0, area_length) + "-" + std::string(rest);
  if (!extension.empty()) out += "-" + std::string(extension);
  return out;
}

Result<std::string> NormalizePhone(std::string_view input, std::string_view field) {
  if (auto mobile = NormalizeMobile(input, field)) return mobile;
  if (auto landline = NormalizeLandline(input, field)) return landline;
  return Violation(field, "invalid_phone",
                   {"电话号码应为 11 位手机号码，或带区号的座机号码（如 0571-88886666，分机号可加在末尾如 "
                    "-123）",
                    "A phone is an 11-digit mobile number or a landline with its area code (as "
                    "in 0571-88886666, with an optional extension such as -123)"});
}

std::string PhoneTail(std::string_view phone) {
  // A landline is AREA-NUMBER[-EXTENSION]: the number is its second part.
  if (const size_t dash = phone.find('-'); dash != std::string_view::npos) {
    phone.remove_prefix(dash + 1);
    phone = phone.substr(0, phone.find('-'));
  }
  if (phone.size() < 4) return {};
  return std::string(phone.substr(phone.size() - 4));
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
