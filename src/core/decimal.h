#pragma once
// Exact decimal numbers, the one number type of credit arithmetic (amounts in yuan, rates, ratios,
// the expression language's numbers): a signed 128-bit coefficient and a scale of 0..18
// fractional digits (value = coefficient / 10^scale). Money and rates are computed here, never in
// binary floating point, so 0.1 + 0.2 is exactly 0.3. Money (core/money.h) is integer fen and
// converts to and from Decimal with an explicit rounding mode. The coefficient holds 38 decimal
// digits, so a value keeps at least 18 significant digits at full scale. Operations that cannot
// be represented return nullopt (the caller reports a "number_overflow" error); they never wrap.
// Results are not normalised (2.50 and 2.5 may both occur); Compare and ToString hide that.
// A plain value type; thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oc {

class Decimal {
 public:
  static constexpr int kMaxScale = 18;

  // How the digits a result cannot keep are dropped. Interest is usually rounded half up to the
  // fen (四舍五入); some contracts and GB/T 8170 ask for half even (四舍六入五成双); fees and caps
  // may be cut (舍去).
  enum class Rounding {
    kHalfUp,    // half away from zero: 2.5 → 3, -2.5 → -3 (Excel ROUND)
    kHalfEven,  // half to the even neighbour: 2.5 → 2, 3.5 → 4 (banker's rounding)
    kDown,      // toward zero: 1.29 → 1.2, -1.29 → -1.2 (Excel ROUNDDOWN)
    kUp,        // away from zero: 1.21 → 1.3 (Excel ROUNDUP)
    kFloor,     // toward negative infinity: -1.1 → -2 (Excel INT)
    kCeiling,   // toward positive infinity: 1.1 → 2, -1.9 → -1
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
  // As ToString, with at least `min_places` fractional digits: a rate as "0.0490" (4).
  std::string ToString(int min_places) const;
  // The coefficient of this value at exactly `places` fractional digits (the decimal as an
  // integer count of 10^-places: fen for 2), or nullopt when that would drop a non-zero digit or
  // does not fit in int64. REQUIRES: 0 <= places <= kMaxScale.
  std::optional<int64_t> ToScaledInt64(int places) const;

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
  // The exact product rounded once, by `mode`, to `places` fractional digits (interest to the
  // fen: places 2). REQUIRES: 0 <= places <= kMaxScale.
  friend std::optional<Decimal> Multiply(Decimal a, Decimal b, int places, Rounding mode);
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
std::optional<Decimal> Multiply(Decimal a, Decimal b, int places, Decimal::Rounding mode);
std::optional<Decimal> Divide(Decimal a, Decimal b);
int Compare(Decimal a, Decimal b);

}  // namespace oc
