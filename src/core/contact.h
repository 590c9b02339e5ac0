#pragma once
// Standardisers for contact and payment identifiers as customers and clerks type them: mainland
// mobile numbers, e-mail addresses and bank card numbers. Each returns the canonical form that
// is stored, blind-indexed and compared, so "+86 138-0013-8000" and "13800138000" are the same
// phone. Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "core/error.h"

namespace oc {

// A mainland China mobile number as its 11 digits. Folds full-width characters, removes
// whitespace, dashes and parentheses and one leading country code (+86, 0086, or 86 followed by
// 11 digits), then requires 11 digits matching 1[3-9]\d{9}.
// Errors: kInvalidArgument, violation "invalid_mobile" on `field`.
Result<std::string> NormalizeMobile(std::string_view input, std::string_view field = "phone");

// A mainland China landline (固定电话) as "<area code>-<number>[-<extension>]":
// "0571-88886666", "010-12345678-123". Folds full-width characters and trims whitespace, then
// reads, in order: an optional country code (+86 or 0086, after which the area code's leading 0
// may be left out); the area code, optionally in parentheses ("(010)"); the subscriber number;
// and an optional extension of 1–6 digits after a last '-'. Spaces and dashes may separate
// digit groups anywhere ("021 6888 6666", "0571-8888-6666"). The area code is the length the
// numbering plan gives it: 010 and 020–029 have three digits, every other one (0311, 0571 …)
// four. The subscriber number has 7 or 8 digits and does not start with 0. The digits after
// the area code are the number alone when there are 7 or 8 of them; only beyond 8 is the last
// dash-separated group an extension, so "010-1234567-8" is read as the 8-digit number 12345678.
// Errors: kInvalidArgument, violation "invalid_landline" on `field`.
Result<std::string> NormalizeLandline(std::string_view input, std::string_view field = "phone");

// A phone as a company gives it: a mainland mobile (NormalizeMobile, 11 digits) or, failing
// that, a landline (NormalizeLandline, "0571-88886666").
// Errors: kInvalidArgument, violation "invalid_phone" on `field`.
Result<std::string> NormalizePhone(std::string_view input, std::string_view field = "phone");

// The last four digits of the number a standardised phone (NormalizePhone's output) dials,
// the extension left out: "13800138000" → "8000", "0571-88886666-123" → "6666". They are what
// MaskPhone keeps visible. Empty for a value with fewer than four digits there.
std::string PhoneTail(std::string_view phone);

// An e-mail address with its domain in lower case (the local part keeps its case: RFC 5321
// lets the receiving host treat it as case-sensitive). Folds full-width characters (an IME
// types ＠ and ．) and trims whitespace, then checks a practical syntax rather than all of
// RFC 5322: local@domain with one '@'; a local part of at most 64 characters from letters,
// digits and !#$%&'*+/=?^_`{|}~.- with no leading, trailing or consecutive dots (no quoted
// forms); a domain of at least two dot-separated labels of 1–63 letters, digits or inner
// hyphens, the last one not all digits (no IP literals); at most 254 characters in all;
// ASCII only (internationalised addresses are rejected).
// Errors: kInvalidArgument, violation "invalid_email" on `field`.
Result<std::string> NormalizeEmail(std::string_view input, std::string_view field = "email");

// A bank card number (PAN) as its digits. Folds full-width digits and removes whitespace and
// dashes. Errors (kInvalidArgument, one violation on `field`): "invalid_character" for anything
// but digits, "invalid_length" unless 12–19 digits (ISO/IEC 7812), "invalid_checksum" when the
// Luhn check fails.
Result<std::string> NormalizeBankCard(std::string_view input, std::string_view field = "bank_card");

// True when `digits` is non-empty, all ASCII digits, and passes the Luhn (mod 10) check of
// ISO/IEC 7812-1 with its last digit as the check digit.
bool LuhnValid(std::string_view digits);

}  // namespace oc
