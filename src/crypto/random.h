#pragma once
// Cryptographically secure randomness from OpenSSL's DRBG (seeded from the operating system).
// Thread-safe.

#include <cstddef>
#include <string>

namespace oc::crypto {

// `n` random bytes. Aborts the process if the generator fails: every caller (keys, nonces,
// session tokens) would be unsafe with predictable bytes, and there is no safe way to carry on.
std::string RandomBytes(size_t n);

// `n` random bytes for a nonce, up to 64 from a per-thread buffer that is refilled from
// the same generator 4 KiB at a time: a call into the generator costs more than encrypting a
// phone number, and every encrypted field needs a fresh nonce. The buffer lives in the process's
// memory, so a process must not fork and go on encrypting in both halves (OpenCredit never does).
std::string RandomNonce(size_t n);

// `bytes` random bytes as unpadded base64url: a session token, CSRF token or API key that is safe
// in cookies, headers and URLs. The default 32 bytes give 256 bits of entropy.
std::string RandomToken(size_t bytes = 32);

}  // namespace oc::crypto
