#pragma once
// An amount of renminbi in integer fen (分), the unit every ledger rounds to. Parsed from and
// printed as decimal strings with two places ("100000.00"); never a binary floating point value,
// so amounts add and compare exactly. Arithmetic beyond sums (interest, fees, ratios) goes through
// Decimal and comes back to the fen by an explicit rounding mode. Immutable; thread-safe.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.h"
#include "core/error.h"

namespace oc {

class Money {
 public:
  constexpr Money() = default;  // zero
  static constexpr Money FromFen(int64_t fen) { return Money(fen); }

  // Parses a decimal amount in yuan: optional leading '-', digits, optional '.' and up to two
  // decimal places ("100000", "100000.5", "100000.50"). Surrounding whitespace is trimmed and
  // full-width digits are folded. Decisions for pasted values:
  //   - thousands separators are accepted only in the integer part and only when every group
  //     after the first has exactly three digits and the first has one to three
  //     ("1,000,000.00" yes; "1,00,000" and "1000,000" no), since lenders paste amounts from
  //     spreadsheets and a misplaced comma is more likely a typo than a grouping;
  //   - decimal places beyond the second are accepted when they are zeros ("1.500" is exactly
  //     1.50); a non-zero third place would need rounding and is rejected;
  //   - the integer part is required and the point must be followed by a digit (".5" and "5."
  //     are rejected); '+', currency signs, exponents ("1e5") and inner spaces are rejected;
  //   - "-0" and "-0.00" are zero, which is not negative.
  // Errors (kInvalidArgument, one violation on `field`):
  //   "invalid_decimal"      — empty or not a decimal number in the form above;
  //   "too_many_decimals"    — a non-zero digit after the second decimal place;
  //   "out_of_range"         — beyond what int64 fen holds (±92233720368547758.07);
  //   "negative_not_allowed" — below zero and `allow_negative` is false.
  static Result<Money> Parse(std::string_view decimal, std::string_view field,
                             bool allow_negative = false);

  constexpr int64_t fen() const { return fen_; }
  // The amount in yuan, exactly, with two places.
  Decimal yuan() const { return Decimal::FromParts(fen_, 2); }
  // `yuan` rounded to the fen by `mode`; nullopt when it does not fit.
  static std::optional<Money> FromYuan(Decimal yuan, Decimal::Rounding mode);

  // Sums and differences; nullopt on overflow (they never wrap).
  std::optional<Money> Plus(Money other) const;
  std::optional<Money> Minus(Money other) const;
  // This amount times `factor` (a rate, a share, days over a year's basis), rounded once to the
  // fen by `mode`: 1,000,000.00 × 0.049 / 12 is interest only after the rounding the contract
  // names. nullopt when the result does not fit.
  std::optional<Money> Times(Decimal factor, Decimal::Rounding mode) const;
  // Two decimal places, '-' for negatives, no grouping: "100000.00", "-5.10", "0.00".
  std::string ToString() const;

  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}

  int64_t fen_ = 0;
};

}  // namespace oc
