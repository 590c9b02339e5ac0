#pragma once
// Display masks for personal data (the "masked on the way out"): what a response shows
// instead of an ID number, phone, bank card, e-mail or detail address unless the caller may
// unmask it. Masks count characters, not bytes, so Chinese text is never cut mid-character;
// each hidden character becomes one '*'. Every mask accepts any input (empty, short, not
// standardised) without failing. A value shorter than its mask's standard length reveals at
// most half of its characters (rounded down), taken from the tail first at most half of that.
// Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace oc {

// The first and the last character of an 18-character ID number: "1****************1". The
// digits in between are the place of registration (often guessable from the address), the birth
// date and a sequence number; showing the customary first six and last four leaves only the
// month and day unknown, about 33 candidates once the check digit and the birth year are known,
// which an attacker with any lookup at all tries in minutes. Shorter values (passports) follow
// the half rule above.
std::string MaskIdNumber(std::string_view id_number);

// First 3 and last 4 of an 11-digit mobile number: "138****8000". Shorter values follow the
// half rule.
std::string MaskMobile(std::string_view mobile);

// A phone as NormalizePhone stands it: a mobile (no dash) as MaskMobile; a landline
// "AREA-NUMBER[-EXTENSION]" keeps its area code and the number's last four digits, the
// extension hidden: "0571-88886666-123" → "0571-****6666-***". The area code says no more than
// a mobile's first three digits do; the last four are PhoneTail's.
std::string MaskPhone(std::string_view phone);

// First 6 and last 4 of a bank card number of 16 or more digits:
// "6222021234567890123" → "622202*********0123". Shorter values follow the half rule.
std::string MaskBankCard(std::string_view card_number);

// The local part keeps its first and last characters when it has four or more and follows
// the half rule otherwise; the domain stays visible so staff can tell which provider it is:
// "zhangsan@example.com" → "z******n@example.com", "abc@x.cn" → "a**@x.cn". A value without
// '@' is masked as a whole by the same rule.
std::string MaskEmail(std::string_view email);

// The first 3 characters of a detail address, the rest hidden:
// "朝阳路88号院3号楼" → "朝阳路*******". Shorter than 6 characters: the half rule.
std::string MaskAddressDetail(std::string_view detail);

}  // namespace oc
