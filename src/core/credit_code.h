#pragma once
// 统一社会信用代码: the unified social credit code of GB 32100-2015 that identifies every
// company, institution and social organisation, as a validated value. The 18 characters are:
// the registration authority (1), the organisation type (1), the administrative division code of
// the registering authority (6 digits), the organisation code (9) and a check character (1),
// drawn from the 31-character alphabet 0–9 and A–Z without I, O, Z, S and V. Immutable;
// thread-safe.

#include <string>
#include <string_view>

#include "core/error.h"

namespace oc {

class UnifiedSocialCreditCode {
 public:
  // Standardises and validates `input`: folds full-width characters, upper-cases, and removes
  // spaces and dashes (codes are often printed in groups). Errors (kInvalidArgument with one
  // violation on `field`), checked in this order:
  //   "invalid_length"    — not 18 characters after standardising;
  //   "invalid_character" — a character outside the alphabet (the message names the letters
  //                         the standard leaves out), or a non-digit in the division code
  //                         (characters 3–8);
  //   "invalid_checksum"  — the 18th character is not the GB 32100 check character (the
  //                         message says which one the other 17 call for).
  // The authority and type codes are not checked against the standard's table: the table grows
  // (new authorities have been added since 2015) and the check character already catches typos.
  static Result<UnifiedSocialCreditCode> Parse(std::string_view input,
                                               std::string_view field = "credit_code");

  // The canonical 18 upper-case characters.
  const std::string& value() const { return value_; }

  friend bool operator==(const UnifiedSocialCreditCode&, const UnifiedSocialCreditCode&) = default;

 private:
  explicit UnifiedSocialCreditCode(std::string value) : value_(std::move(value)) {}

  std::string value_;
};

// The GB 32100-2015 check character for the first 17 characters of a credit code.
// REQUIRES: `first17` is 17 characters of the code alphabet, upper case (aborts otherwise: a
// wrong check character would be a silently invalid code).
char CreditCodeCheckCharacter(std::string_view first17);

}  // namespace oc
