#pragma once
// Text standardisation shared by customer intake, forms, imports and the expression language:
// UTF-8 inspection and the folds that make text typed through a Chinese input method (全角
// letters and digits, the ideographic space) compare equal to its ASCII form. Every function is
// pure and thread-safe. CJK characters are never changed except by the folds documented below.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace oc {

// One character decoded from UTF-8.
struct Utf8Char {
  char32_t code_point = 0;  // U+FFFD when !valid
  size_t length = 0;        // bytes consumed: 1–4; 1 for an invalid byte, 0 only at the end
  bool valid = false;       // false for a byte that does not start a well-formed sequence
};

// Decodes the character starting at byte `pos`. Well-formed means RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF. An ill-formed byte is reported as one invalid
// character of length 1, so callers always make progress.
// REQUIRES: pos <= s.size() (at the end, returns length 0).
Utf8Char DecodeUtf8At(std::string_view s, size_t pos);

// True when `s` is well-formed UTF-8 (the empty string is).
bool IsValidUtf8(std::string_view s);

// The number of characters (code points) in `s`; each ill-formed byte counts as one character.
size_t Utf8Length(std::string_view s);

// True when `s` holds a character that has no place in stored text: a C0 control (U+0000–U+001F,
// NUL included), DEL, a C1 control (U+0080–U+009F), or a bidirectional override or isolate
// (U+202A–U+202E, U+2066–U+2069), which would make the text display as something else in lists,
// exports and the audit trail. With `allow_line_breaks`, tab, line feed and carriage return are
// accepted, for multi-line text.
bool HasControlCharacter(std::string_view s, bool allow_line_breaks = false);

// Folds full-width forms to ASCII: U+FF01–U+FF5E (！…～, including ０–９, Ａ–Ｚ, ａ–ｚ, ＠, ＋, －)
// become U+0021–U+007E and the ideographic space U+3000 becomes a space. Everything else,
// ill-formed bytes included, is copied unchanged.
std::string FoldFullWidth(std::string_view s);

// Standardises a person's or company's name: folds as FoldFullWidth, turns every run of
// whitespace (ASCII whitespace, no-break and other Unicode spaces, the ideographic space) into
// one space, trims both ends, and removes control characters (C0, DEL, C1) and the invisible
// zero-width space and byte-order mark that pasting often brings along. The result is always
// well-formed UTF-8: an ill-formed byte becomes U+FFFD (callers that must reject such input
// check IsValidUtf8 first).
std::string NormalizeName(std::string_view s);

// The reason a member of staff gives for an irreversible step (deleting a customer, discarding an
// undeliverable event), standardised as NormalizeName: what the audit trail keeps of it.
// `what` names the reason in the messages ({"删除原因", "reason for deleting"}).
// Errors: kInvalidArgument on `field`: control_character, required, too_short or too_long
// (2 to 200 characters).
Result<std::string> CheckReason(std::string_view raw, std::string_view field, const Message& what);

}  // namespace oc
