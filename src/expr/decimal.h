#pragma once
// Exact decimal numbers for the expression language: a signed 128-bit coefficient and a scale of
// 0..18 fractional digits (value = coefficient / 10^scale). Money and rates are computed here,
// never in binary floating point, so 0.1 + 0.2 is exactly 0.3. The coefficient holds 38 decimal
// digits, so a value keeps at least 18 significant digits at full scale. Operations that cannot
// be represented return nullopt (the caller reports a "number_overflow" error); they never wrap.
// Results are not normalised (2.50 and 2.5 may both occur); Compare and ToString hide that.
// A plain value type; thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oc::expr {

class Decimal {
 public:
  static constexpr int kMaxScale = 18;

  enum class Rounding {
    kHalfAwayFromZero,  // Excel ROUND
    kAwayFromZero,      // Excel ROUNDUP
    kTowardZero,        // Excel ROUNDDOWN
    kFloor,             // Excel INT
  };

  constexpr Decimal() = default;
  static Decimal FromInt(int64_t value) { return Decimal(value, 0); }
  // REQUIRES: 0 <= scale <= kMaxScale.
  static Decimal FromParts(__int128 coefficient, int scale) { return Decimal(coefficient, scale); }
  // Accepts an optional sign, digits, and an optional '.' followed by digits ("-12.50", "3",
  // ".5" is rejected). More than kMaxScale fractional digits are rounded half away from zero.
  // Returns nullopt for anything else or when the value does not fit.
  static std::optional<Decimal> Parse(std::string_view text);
  // The nearest decimal with `significant_digits` significant digits (1..18); nullopt for NaN,
  // infinity or values out of range. Only for results that are inherently approximate (SQRT).
  static std::optional<Decimal> FromDouble(long double value, int significant_digits = 15);

  __int128 coefficient() const { return coefficient_; }
  int scale() const { return scale_; }
  bool IsZero() const { return coefficient_ == 0; }
  bool IsNegative() const { return coefficient_ < 0; }
  bool IsInteger() const;
  // The value when it is integral and fits in int64_t.
  std::optional<int64_t> ToInt64() const;
  long double ToLongDouble() const;
  // Shortest exact text: "-12.5", "0.3", "100" (no exponent, no trailing zeros).
  std::string ToString() const;

  // The same value with trailing fractional zeros removed.
  Decimal Normalized() const;
  // Rounds to `digits` fractional digits (negative: to tens, hundreds, …).
  // Returns nullopt when the result does not fit.
  std::optional<Decimal> Round(int digits, Rounding mode) const;

  Decimal Negate() const { return Decimal(-coefficient_, scale_); }
  Decimal Abs() const { return coefficient_ < 0 ? Negate() : *this; }

  friend std::optional<Decimal> Add(Decimal a, Decimal b);
  friend std::optional<Decimal> Subtract(Decimal a, Decimal b);
  // The exact product rounded half away from zero to kMaxScale fractional digits.
  friend std::optional<Decimal> Multiply(Decimal a, Decimal b);
  // The quotient rounded half away from zero to kMaxScale fractional digits.
  // REQUIRES: !b.IsZero().
  friend std::optional<Decimal> Divide(Decimal a, Decimal b);
  // -1, 0 or 1; exact across scales.
  friend int Compare(Decimal a, Decimal b);

 private:
  constexpr Decimal(__int128 coefficient, int scale) : coefficient_(coefficient), scale_(scale) {}

  __int128 coefficient_ = 0;
  int scale_ = 0;
};

std::optional<Decimal> Add(Decimal a, Decimal b);
std::optional<Decimal> Subtract(Decimal a, Decimal b);
std::optional<Decimal> Multiply(Decimal a, Decimal b);
std::optional<Decimal> Divide(Decimal a, Decimal b);
int Compare(Decimal a, Decimal b);

}  // namespace oc::expr
