#pragma once
// 居民身份证号码: the citizen identity number of GB 11643-1999, as a validated value. A
// ResidentIdNumber always holds the canonical 18-character form (digits, check character X in
// upper case) whose province code, birth date and ISO 7064 MOD 11-2 check character are valid,
// so the birth date and gender it carries can be trusted. Immutable; thread-safe.

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"

namespace oc {

class ResidentIdNumber {
 public:
  enum class Gender { kMale, kFemale };

  // Standardises and validates `input`: trims surrounding whitespace, folds full-width digits
  // and Ｘ, accepts a lower-case x (stored as X) and converts a 15-digit number of the 1980s
  // format to 18 digits (century 19 inserted, check character computed).
  // Errors (kInvalidArgument with one violation on `field`), checked in this order:
  //   "invalid_length"     — not 18 (or 15) characters;
  //   "invalid_character"  — anything but digits, or X other than as the 18th character;
  //   "invalid_region"     — the first two digits are not a province code of GB/T 2260;
  //   "invalid_birth_date" — digits 7–14 are not a real date, or the year is before 1900;
  //   "invalid_checksum"   — the 18th character is not the check character (the message
  //                          says which character the other 17 digits call for).
  // A birth date after today is not rejected here (there is no clock); callers compare
  // birth_date() with their business date.
  static Result<ResidentIdNumber> Parse(std::string_view input,
                                        std::string_view field = "id_number");

  // The canonical 18 characters.
  const std::string& value() const { return value_; }
  Date birth_date() const { return birth_date_; }
  // The 17th digit (the sequence code's last): odd for men, even for women.
  Gender gender() const;
  // The six-digit administrative division code of the place of first registration.
  std::string_view region_code() const;
  // Full years completed on `today` (周岁). A person born on 29 February turns a year older on
  // 1 March in common years. Negative when `today` is before the birth date.
  int AgeOn(Date today) const;

  friend bool operator==(const ResidentIdNumber&, const ResidentIdNumber&) = default;

 private:
  ResidentIdNumber(std::string value, Date birth_date)
      : value_(std::move(value)), birth_date_(birth_date) {}

  std::string value_;
  Date birth_date_;
};

// The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') for the first 17 digits of a resident
// ID number. REQUIRES: `first17` is exactly 17 ASCII digits (aborts otherwise: a wrong check
// character would be a silently invalid number).
char ResidentIdCheckCharacter(std::string_view first17);

}  // namespace oc
