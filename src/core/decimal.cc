#include "core/decimal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace oc {
namespace {

using u128 = unsigned __int128;
using i128 = __int128;

// The largest magnitude a coefficient may have; keeping -kMax..kMax symmetric means negation can
// never overflow.
constexpr u128 kMaxMagnitude = (u128(1) << 127) - 1;

constexpr int kMaxPow10 = 38;

struct Pow10Table {
  u128 value[kMaxPow10 + 1];
  constexpr Pow10Table() : value() {
    value[0] = 1;
    for (int i = 1; i <= kMaxPow10; ++i) value[i] = value[i - 1] * 10;
  }
};
constexpr Pow10Table kPow10;

u128 Magnitude(i128 v) { return v < 0 ? u128(0) - u128(v) : u128(v); }

std::optional<i128> Signed(u128 magnitude, bool negative) {
  if (magnitude > kMaxMagnitude) return std::nullopt;
  return negative ? -i128(magnitude) : i128(magnitude);
}

// magnitude * 10^k, or nullopt on overflow.
std::optional<u128> ScaleUp(u128 magnitude, int k) {
  if (k == 0) return magnitude;
  if (k > kMaxPow10) return magnitude == 0 ? std::optional<u128>(0) : std::nullopt;
  u128 out;
  if (__builtin_mul_overflow(magnitude, kPow10.value[k], &out) || out > kMaxMagnitude) {
    return std::nullopt;
  }
  return out;
}

// Divides by 10^k and rounds the dropped digits according to `mode` (sign given separately,
// since rounding is defined on the signed value).
u128 DivideRounded(u128 magnitude, int k, bool negative, Decimal::Rounding mode) {
  using Rounding = Decimal::Rounding;
  if (k <= 0) return magnitude;
  if (k > kMaxPow10) {
    bool up = magnitude != 0 && (mode == Rounding::kUp || (mode == Rounding::kFloor && negative) ||
                                 (mode == Rounding::kCeiling && !negative));
    return up ? 1 : 0;  // callers turn a 1 at this size into overflow via scaling
  }
  u128 divisor = kPow10.value[k];
  u128 q = magnitude / divisor;
  u128 r = magnitude % divisor;
  if (r == 0) return q;
  switch (mode) {
    case Rounding::kHalfUp:
      return r >= divisor - r ? q + 1 : q;
    case Rounding::kHalfEven:
      if (r != divisor - r) return r > divisor - r ? q + 1 : q;
      return q % 2 == 0 ? q : q + 1;
    case Rounding::kDown:
      return q;
    case Rounding::kUp:
      return q + 1;
    case Rounding::kFloor:
      return negative ? q + 1 : q;
    case Rounding::kCeiling:
      return negative ? q : q + 1;
  }
  return q;
}

// A 256-bit unsigned integer as four 64-bit limbs, least significant first. Only what exact
// multiplication followed by rescaling needs.
struct U256 {
  uint64_t limb[4] = {0, 0, 0, 0};
};

U256 MultiplyWide(u128 a, u128 b) {
  uint64_t x[2] = {uint64_t(a), uint64_t(a >> 64)};
  uint64_t y[2] = {uint64_t(b), uint64_t(b >> 64)};
  U256 out;
  for (int i = 0; i < 2; ++i) {
    u128 carry = 0;
    for (int j = 0; j < 2; ++j) {
      u128 cur = u128(x[i]) * y[j] + out.limb[i + j] + carry;
      out.limb[i + j] = uint64_t(cur);
      carry = cur >> 64;
    }
    out.limb[i + 2] = uint64_t(carry);
  }
  return out;
}

// Divides in place by a divisor below 2^64 and returns the remainder.
uint64_t DivideSmall(U256& n, uint64_t divisor) {
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    u128 cur = (rem << 64) | n.limb[i];
    n.limb[i] = uint64_t(cur / divisor);
    rem = cur % divisor;
  }
  return uint64_t(rem);
}

std::string MagnitudeDigits(u128 v) {
  if (v == 0) return "0";
  char buf[48];
  int pos = sizeof buf;
  while (v != 0) {
    buf[--pos] = char('0' + int(v % 10));
    v /= 10;
  }
  return std::string(buf + pos, sizeof buf - pos);
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
  u128 magnitude = 0;
  int scale = 0;
  bool in_fraction = false;
  bool round_up = false;
  bool dropped = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
      if (i + 1 >= text.size()) return std::nullopt;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (in_fraction && scale == kMaxScale) {
      // Digits past the 18th fractional place are rounded half away from zero.
      if (!dropped) round_up = c >= '5';
      dropped = true;
      continue;
    }
    auto scaled = ScaleUp(magnitude, 1);
    if (!scaled || *scaled + u128(c - '0') > kMaxMagnitude) return std::nullopt;
    magnitude = *scaled + u128(c - '0');
    if (in_fraction) ++scale;
  }
  if (round_up) {
    if (magnitude + 1 > kMaxMagnitude) return std::nullopt;
    ++magnitude;
  }
  auto coefficient = Signed(magnitude, negative);
  if (!coefficient) return std::nullopt;
  return Decimal(*coefficient, scale);
}

std::optional<Decimal> Decimal::FromDouble(long double value, int significant_digits) {
  if (!std::isfinite(value)) return std::nullopt;
  if (value == 0) return Decimal();
  significant_digits = std::clamp(significant_digits, 1, 18);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.*Le", significant_digits - 1, value);
  // "d.ddddde±x": rebuild as plain digits so Parse does the exact work.
  std::string_view text(buf);
  size_t e = text.find('e');
  if (e == std::string_view::npos) return std::nullopt;
  int exponent = std::atoi(buf + e + 1);
  bool negative = text[0] == '-';
  std::string digits;
  for (size_t i = negative ? 1 : 0; i < e; ++i) {
    if (text[i] != '.') digits.push_back(text[i]);
  }
  int point = 1 + exponent;  // digits before the decimal point
  if (point > 38) return std::nullopt;
  std::string plain = negative ? "-" : "";
  if (point <= 0) {
    plain += "0." + std::string(size_t(-point), '0') + digits;
  } else if (size_t(point) >= digits.size()) {
    plain += digits + std::string(size_t(point) - digits.size(), '0');
  } else {
    plain += digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
  }
  auto parsed = Parse(plain);
  if (!parsed) return std::nullopt;
  return parsed->Normalized();
}

bool Decimal::IsInteger() const {
  return scale_ == 0 || Magnitude(coefficient_) % kPow10.value[scale_] == 0;
}

std::optional<int64_t> Decimal::ToInt64() const {
  if (!IsInteger()) return std::nullopt;
  i128 whole = coefficient_ / i128(kPow10.value[scale_]);
  if (whole > INT64_MAX || whole < INT64_MIN) return std::nullopt;
  return int64_t(whole);
}

long double Decimal::ToLongDouble() const {
  return static_cast<long double>(coefficient_) / static_cast<long double>(kPow10.value[scale_]);
}

std::string Decimal::ToString() const {
  Decimal n = Normalized();
  std::string digits = MagnitudeDigits(Magnitude(n.coefficient_));
  std::string out = n.coefficient_ < 0 ? "-" : "";
  if (n.scale_ == 0) return out + digits;
  if (digits.size() <= size_t(n.scale_)) {
    digits.insert(0, size_t(n.scale_) + 1 - digits.size(), '0');
  }
  size_t point = digits.size() - size_t(n.scale_);
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

std::string Decimal::ToString(int min_places) const {
  std::string text = ToString();
  const size_t point = text.find('.');
  const int places = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
  if (places >= min_places) return text;
  if (point == std::string::npos) text += '.';
  return text + std::string(size_t(min_places - places), '0');
}

std::optional<int64_t> Decimal::ToScaledInt64(int places) const {
  i128 coefficient = coefficient_;
  if (places < scale_) {
    const u128 divisor = kPow10.value[scale_ - places];
    if (Magnitude(coefficient) % divisor != 0) return std::nullopt;
    coefficient /= i128(divisor);
  } else if (places > scale_) {
    auto scaled = ScaleUp(Magnitude(coefficient), places - scale_);
    if (!scaled) return std::nullopt;
    auto signed_value = Signed(*scaled, coefficient < 0);
    if (!signed_value) return std::nullopt;
    coefficient = *signed_value;
  }
  if (coefficient > INT64_MAX || coefficient < INT64_MIN) return std::nullopt;
  return int64_t(coefficient);
}

Decimal Decimal::Normalized() const {
  Decimal out = *this;
  while (out.scale_ > 0 && out.coefficient_ % 10 == 0) {
    out.coefficient_ /= 10;
    --out.scale_;
  }
  if (out.coefficient_ == 0) out.scale_ = 0;
  return out;
}

std::optional<Decimal> Decimal::Round(int digits, Rounding mode) const {
  if (digits >= scale_) return *this;
  bool negative = coefficient_ < 0;
  int drop = scale_ - digits;
  u128 rounded = DivideRounded(Magnitude(coefficient_), drop, negative, mode);
  if (digits >= 0) {
    auto c = Signed(rounded, negative);
    if (!c) return std::nullopt;
    return Decimal(*c, digits);
  }
  auto scaled = ScaleUp(rounded, -digits);
  if (!scaled) return std::nullopt;
  auto c = Signed(*scaled, negative);
  if (!c) return std::nullopt;
  return Decimal(*c, 0);
}

std::optional<Decimal> Add(Decimal a, Decimal b) {
  if (a.scale_ < b.scale_) std::swap(a, b);
  // Align b to a's (larger) scale.
  auto scaled = ScaleUp(Magnitude(b.coefficient_), a.scale_ - b.scale_);
  if (!scaled) return std::nullopt;
  i128 bc = b.coefficient_ < 0 ? -i128(*scaled) : i128(*scaled);
  i128 sum;
  if (__builtin_add_overflow(a.coefficient_, bc, &sum)) return std::nullopt;
  if (Magnitude(sum) > kMaxMagnitude) return std::nullopt;
  return Decimal(sum, a.scale_);
}

std::optional<Decimal> Subtract(Decimal a, Decimal b) { return Add(a, b.Negate()); }

std::optional<Decimal> Multiply(Decimal a, Decimal b) {
  bool negative = (a.coefficient_ < 0) != (b.coefficient_ < 0);
  u128 x = Magnitude(a.coefficient_);
  u128 y = Magnitude(b.coefficient_);
  int scale = a.scale_ + b.scale_;
  u128 product;
  if (!__builtin_mul_overflow(x, y, &product) && scale <= Decimal::kMaxScale) {
    auto c = Signed(product, negative);
    if (!c) return std::nullopt;
    return Decimal(*c, scale);
  }
  // The exact product needs up to 256 bits; drop the digits beyond the maximum scale there,
  // rounding half away from zero, before narrowing.
  U256 wide = MultiplyWide(x, y);
  int drop = std::max(0, scale - Decimal::kMaxScale);
  bool round_up = false;
  if (drop > 0) {
    // Both scales are at most 18, so at most 18 digits are dropped: one division below 2^64.
    uint64_t divisor = uint64_t(kPow10.value[drop]);
    uint64_t rem = DivideSmall(wide, divisor);
    round_up = rem >= divisor - rem;  // half away from zero
    scale = Decimal::kMaxScale;
  }
  if (wide.limb[2] != 0 || wide.limb[3] != 0) return std::nullopt;
  u128 narrowed = (u128(wide.limb[1]) << 64) | wide.limb[0];
  if (round_up) {
    if (narrowed == ~u128(0)) return std::nullopt;
    ++narrowed;
  }
  auto c = Signed(narrowed, negative);
  if (!c) return std::nullopt;
  return Decimal(*c, scale);
}

std::optional<Decimal> Multiply(Decimal a, Decimal b, int places, Decimal::Rounding mode) {
  using Rounding = Decimal::Rounding;
  const bool negative = (a.coefficient_ < 0) != (b.coefficient_ < 0);
  U256 wide = MultiplyWide(Magnitude(a.coefficient_), Magnitude(b.coefficient_));
  const int scale = a.scale_ + b.scale_;
  auto narrow = [&]() -> std::optional<u128> {
    if (wide.limb[2] != 0 || wide.limb[3] != 0) return std::nullopt;
    return (u128(wide.limb[1]) << 64) | wide.limb[0];
  };
  if (scale <= places) {
    auto exact = narrow();
    if (!exact) return std::nullopt;
    auto scaled = ScaleUp(*exact, places - scale);
    if (!scaled) return std::nullopt;
    auto c = Signed(*scaled, negative);
    if (!c) return std::nullopt;
    return Decimal(*c, places);
  }
  // Drop the surplus digits below the first one, remembering whether any was non-zero; the first
  // dropped digit and that memory decide the rounding exactly, in one step (no double rounding).
  bool sticky = false;
  for (int rest = scale - places - 1; rest > 0;) {
    const int step = std::min(rest, 18);
    sticky |= DivideSmall(wide, uint64_t(kPow10.value[step])) != 0;
    rest -= step;
  }
  const uint64_t first_dropped = DivideSmall(wide, 10);
  auto kept = narrow();
  if (!kept) return std::nullopt;
  const bool inexact = first_dropped != 0 || sticky;
  bool up = false;
  switch (mode) {
    case Rounding::kHalfUp:
      up = first_dropped >= 5;
      break;
    case Rounding::kHalfEven:
      up = first_dropped > 5 || (first_dropped == 5 && (sticky || *kept % 2 == 1));
      break;
    case Rounding::kDown:
      break;
    case Rounding::kUp:
      up = inexact;
      break;
    case Rounding::kFloor:
      up = inexact && negative;
      break;
    case Rounding::kCeiling:
      up = inexact && !negative;
      break;
  }
  if (up) ++*kept;
  auto c = Signed(*kept, negative);
  if (!c) return std::nullopt;
  return Decimal(*c, places);
}

std::optional<Decimal> Divide(Decimal a, Decimal b) {
  bool negative = (a.coefficient_ < 0) != (b.coefficient_ < 0);
  u128 x = Magnitude(a.coefficient_);
  u128 y = Magnitude(b.coefficient_);
  // value = (x / y) * 10^(b.scale - a.scale); produce kMaxScale fractional digits by long
  // division, one decimal digit at a time, so no intermediate ever needs more than 128 bits.
  int extra = Decimal::kMaxScale + b.scale_ - a.scale_;
  if (y > (~u128(0)) / 10) return std::nullopt;
  u128 q = x / y;
  u128 r = x % y;
  for (int i = 0; i < extra; ++i) {
    u128 next;
    if (__builtin_mul_overflow(q, u128(10), &next)) return std::nullopt;
    r *= 10;
    next += r / y;
    r %= y;
    q = next;
    if (q > kMaxMagnitude) return std::nullopt;
  }
  // One more digit decides rounding, half away from zero.
  if ((r * 10) / y >= 5) ++q;
  auto c = Signed(q, negative);
  if (!c) return std::nullopt;
  return Decimal(*c, Decimal::kMaxScale).Normalized();
}

int Compare(Decimal a, Decimal b) {
  if (a.scale_ == b.scale_) {
    return a.coefficient_ < b.coefficient_ ? -1 : (a.coefficient_ > b.coefficient_ ? 1 : 0);
  }
  // Fast path for the common case (rule thresholds against field values): coefficients within
  // int64 scaled by at most 10^18 stay far inside int128, so no overflow check is needed.
  if (a.coefficient_ >= INT64_MIN && a.coefficient_ <= INT64_MAX && b.coefficient_ >= INT64_MIN &&
      b.coefficient_ <= INT64_MAX) {
    i128 x = a.coefficient_;
    i128 y = b.coefficient_;
    if (a.scale_ < b.scale_) {
      x *= i128(kPow10.value[b.scale_ - a.scale_]);
    } else {
      y *= i128(kPow10.value[a.scale_ - b.scale_]);
    }
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  bool flipped = false;
  if (a.scale_ > b.scale_) {
    std::swap(a, b);
    flipped = true;
  }
  int result;
  auto scaled = ScaleUp(Magnitude(a.coefficient_), b.scale_ - a.scale_);
  if (!scaled) {
    // a's magnitude exceeds anything b can hold at this scale, so a's sign decides.
    result = a.coefficient_ < 0 ? -1 : 1;
  } else {
    i128 ac = a.coefficient_ < 0 ? -i128(*scaled) : i128(*scaled);
    result = ac < b.coefficient_ ? -1 : (ac > b.coefficient_ ? 1 : 0);
  }
  return flipped ? -result : result;
}

}  // namespace oc
