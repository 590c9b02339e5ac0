#pragma once
// Check-digit validators for identifiers lenders see every day, used by IDCARD_*, USCC_VALID and
// LUHN_VALID. Pure functions; thread-safe.

#include <optional>
#include <string_view>

#include "core/date.h"

namespace oc::expr {

struct IdCardInfo {
  Date birth_date;
  bool male = false;
};

// Parses a mainland resident identity card number (公民身份号码, GB 11643-1999): 18 characters,
// a known province code in the first two digits, a real birth date (YYYYMMDD, year 1900 or
// later) in digits 7-14, and the ISO 7064 MOD 11-2 check character (0-9 or X, either case) last.
// With allow_legacy, a 15-digit number issued before 1999 (birth date YYMMDD in the 1900s, no
// check digit) is accepted as well. Returns nullopt for anything else.
std::optional<IdCardInfo> ParseIdCard(std::string_view number, bool allow_legacy);

// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from
// "0123456789ABCDEFGHJKLMNPQRTUWXY" (upper case), digits 3-8 an administrative division code,
// and the MOD 31 check character last.
bool IsValidUscc(std::string_view code);

// The Luhn (ISO/IEC 7812) check used by bank card numbers: 2 or more digits, nothing else.
bool IsValidLuhn(std::string_view digits);

}  // namespace oc::expr
