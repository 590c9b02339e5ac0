#include "core/money.h"

#include <cstdio>
#include <limits>

#include "core/text_normalize.h"

namespace oc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Removes valid thousands separators from `integer`; false when the grouping is not 1–3 digits
// followed by groups of exactly 3.
bool Ungroup(std::string_view integer, std::string& out) {
  const size_t first = integer.find(',');
  if (first == std::string_view::npos) {
    out = integer;
    return true;
  }
  if (first == 0 || first > 3) return false;
  out = integer.substr(0, first);
  std::string_view rest = integer.substr(first);
  while (!rest.empty()) {
    if (rest.size() < 4 || rest[0] != ',' ||
        rest.substr(1, 3).find(',') != std::string_view::npos) {
      return false;
    }
    out += rest.substr(1, 3);
    rest.remove_prefix(4);
  }
  return true;
}

Error Violation(std::string_view field, std::string code, Message message) {
  return InvalidField(std::string(field), std::move(code), std::move(message));
}

Error InvalidDecimal(std::string_view field) {
  return Violation(field, "invalid_decimal",
                   {"金额格式不正确，应为数字，最多两位小数，如 100000.00",
                    "Not a valid amount; use digits with at most two decimal places, e.g. "
                    "100000.00"});
}

}  // namespace

Result<Money> Money::Parse(std::string_view decimal, std::string_view field, bool allow_negative) {
  const std::string folded = FoldFullWidth(decimal);
  std::string_view s = folded;
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);

  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  const size_t point = s.find('.');
  std::string integer;
  if (!Ungroup(s.substr(0, point), integer) || integer.empty() || !AllDigits(integer)) {
    return InvalidDecimal(field);
  }
  std::string_view fraction;
  if (point != std::string_view::npos) {
    fraction = s.substr(point + 1);
    if (fraction.empty() || !AllDigits(fraction)) return InvalidDecimal(field);
  }
  if (fraction.size() > 2 && fraction.find_first_not_of('0', 2) != std::string_view::npos) {
    return Violation(
        field, "too_many_decimals",
        {"金额最多保留两位小数（到分）", "An amount has at most two decimal places (fen)"});
  }

  // The magnitude is accumulated unsigned so that the most negative amount, whose magnitude is
  // one more than the largest positive, still parses.
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1u : 0u);
  uint64_t magnitude = 0;
  bool overflow = false;
  for (char c : integer) {
    overflow = overflow || __builtin_mul_overflow(magnitude, 10u, &magnitude) ||
               __builtin_add_overflow(magnitude, static_cast<uint64_t>(c - '0'), &magnitude);
  }
  const uint64_t fen_part = (fraction.size() >= 1 ? (fraction[0] - '0') * 10u : 0u) +
                            (fraction.size() >= 2 ? static_cast<uint64_t>(fraction[1] - '0') : 0u);
  overflow = overflow || __builtin_mul_overflow(magnitude, 100u, &magnitude) ||
             __builtin_add_overflow(magnitude, fen_part, &magnitude) || magnitude > limit;
  if (overflow) {
    return Violation(field, "out_of_range",
                     {"金额超出可处理的范围", "The amount is too large to be handled"});
  }
  if (negative && magnitude != 0 && !allow_negative) {
    return Violation(field, "negative_not_allowed",
                     {"金额不能为负数", "The amount cannot be negative"});
  }
  // Two's complement negation of the magnitude gives the fen even for the int64 minimum.
  const int64_t fen =
      negative ? static_cast<int64_t>(0u - magnitude) : static_cast<int64_t>(magnitude);
  return Money(fen);
}

std::string Money::ToString() const {
  const uint64_t magnitude =
      fen_ < 0 ? 0u - static_cast<uint64_t>(fen_) : static_cast<uint64_t>(fen_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", fen_ < 0 ? "-" : "",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return buf;
}

std::optional<Money> Money::FromYuan(Decimal yuan, Decimal::Rounding mode) {
  auto rounded = yuan.Round(2, mode);
  if (!rounded) return std::nullopt;
  auto fen = rounded->ToScaledInt64(2);
  if (!fen) return std::nullopt;
  return Money(*fen);
}

std::optional<Money> Money::Plus(Money other) const {
  int64_t sum = 0;
  if (__builtin_add_overflow(fen_, other.fen_, &sum)) return std::nullopt;
  return Money(sum);
}

std::optional<Money> Money::Minus(Money other) const {
  int64_t difference = 0;
  if (__builtin_sub_overflow(fen_, other.fen_, &difference)) return std::nullopt;
  return Money(difference);
}

std::optional<Money> Money::Times(Decimal factor, Decimal::Rounding mode) const {
  auto product = Multiply(yuan(), factor, 2, mode);
  if (!product) return std::nullopt;
  auto fen = product->ToScaledInt64(2);
  if (!fen) return std::nullopt;
  return Money(*fen);
}

}  // namespace oc
