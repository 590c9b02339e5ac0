#pragma once
// Text encodings of binary values: keys in configuration, tokens in cookies and URLs, digests in
// logs and the audit chain. Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace oc::crypto {

// Lower-case hexadecimal, two characters per byte.
std::string HexEncode(std::string_view bytes);

// Accepts upper- or lower-case digits. Returns nullopt on an odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view hex);

// RFC 4648 base64, standard alphabet, with '=' padding.
std::string Base64Encode(std::string_view bytes);

// Strict RFC 4648 base64 (standard alphabet, padding required). Returns nullopt on a length that
// is not a multiple of 4, any character outside the alphabet (whitespace included), misplaced
// padding, or non-zero unused bits, so every value has exactly one accepted spelling.
std::optional<std::string> Base64Decode(std::string_view text);

// RFC 4648 §5 base64url ('-' and '_'), without padding: safe in URLs, cookies and file names.
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace oc::crypto
