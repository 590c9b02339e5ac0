#pragma once
// Hashes and MACs: SHA-256 and HMAC-SHA256 by default, SM3 and HMAC-SM3 (GB/T 32905, 国密) for
// deployments that must use Chinese national algorithms. Used by auth (token hashes), audit (the
// hash chain) and webhooks (signatures). All functions are thread-safe and return raw bytes unless
// named …Hex. They abort only if OpenSSL itself fails (out of memory, broken installation).

#include <string>
#include <string_view>

namespace oc::crypto {

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);

// SHA-256 of `data` as 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 (RFC 2104) of `data` under `key`: 32 raw bytes. Any key length, including empty.
std::string HmacSha256(std::string_view key, std::string_view data);

// SM3 of `data`: 32 raw bytes.
std::string Sm3(std::string_view data);

// HMAC-SM3 of `data` under `key`: 32 raw bytes. Any key length, including empty.
std::string HmacSm3(std::string_view key, std::string_view data);

// True when `a` and `b` hold the same bytes. For equal lengths the time taken does not depend on
// where they differ, so comparing a secret (a MAC, a token hash) leaks nothing through timing;
// different lengths return false at once, as lengths of MACs and hashes are public.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace oc::crypto
