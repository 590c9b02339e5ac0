#include "core/masking.h"

#include <algorithm>
#include <vector>

#include "core/text_normalize.h"

namespace oc {
namespace {

// Keeps `head` leading and `tail` trailing characters of a value of at least `standard_length`
// characters. Shorter values reveal at most half: the tail gets up to half of that budget
// (rounded down), the head the rest, so "1234" shows "1**4" and "12" shows "1*".
// REQUIRES: head + tail < standard_length, so a standard value always hides something.
std::string MaskKeeping(std::string_view value, size_t head, size_t tail, size_t standard_length) {
  std::vector<std::string_view> chars;
  for (size_t pos = 0; pos < value.size();) {
    const size_t length = DecodeUtf8At(value, pos).length;
    chars.push_back(value.substr(pos, length));
    pos += length;
  }
  const size_t n = chars.size();
  if (n < standard_length) {
    const size_t budget = n / 2;
    tail = std::min(tail, budget / 2);
    head = std::min(head, budget - tail);
  }
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < n; ++i) {
    if (i < head || i >= n - tail) {
      out.append(chars[i]);
    } else {
      out += '*';
    }
  }
  return out;
}

}  // namespace

std::string MaskIdNumber(std::string_view id_number) { return MaskKeeping(id_number, 1, 1, 18); }

std::string MaskMobile(std::string_view mobile) { return MaskKeeping(mobile, 3, 4, 11); }

std::string MaskPhone(std::string_view phone) {
  const size_t dash = phone.find('-');
  if (dash == std::string_view::npos) return MaskMobile(phone);
  std::string out(phone.substr(0, dash + 1));
  std::string_view rest = phone.substr(dash + 1);
  const size_t extension = rest.find('-');
  out += MaskKeeping(rest.substr(0, extension), 0, 4, 7);
  if (extension != std::string_view::npos) {
    out += '-';
    out += std::string(Utf8Length(rest.substr(extension + 1)), '*');
  }
  return out;
}

std::string MaskBankCard(std::string_view card_number) {
  return MaskKeeping(card_number, 6, 4, 16);
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return MaskKeeping(email, 1, 1, 4);
  return MaskKeeping(email.substr(0, at), 1, 1, 4) + std::string(email.substr(at));
}

std::string MaskAddressDetail(std::string_view detail) { return MaskKeeping(detail, 3, 0, 6); }

}  // namespace oc
