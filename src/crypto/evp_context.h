#pragma once
// Internal to the crypto module (not for other modules): owners of OpenSSL objects, the
// process-wide algorithm handles, and the per-thread contexts that the hot paths reuse.
//
// Why per-thread contexts: fetching an algorithm takes a lock and a name lookup, and allocating an
// EVP context costs more than hashing a phone number; a context is not thread-safe, so each thread
// keeps its own and re-keys it per call. Algorithm handles (EVP_MD, EVP_CIPHER, EVP_MAC) are
// immutable once fetched and safe to share between threads.

#include <openssl/evp.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace oc::crypto::internal {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter>;

enum class HashAlgorithm { kSha256, kSm3 };

// Aborts the process, printing `what` and the OpenSSL error queue to stderr. For failures that
// can only mean a broken library or exhausted memory, where carrying on would be unsafe.
[[noreturn]] void DieOpenSslFailure(const char* what);

// The fetched digest. Never null: both are in OpenSSL 3's default provider, and a build without
// them aborts on first use rather than hashing with something else.
const EVP_MD* Digest(HashAlgorithm algorithm);

// The fetched AES-256-GCM cipher (never null), and SM4-CTR, which is null when the loaded
// providers do not offer it (for example a FIPS-only configuration).
const EVP_CIPHER* Aes256Gcm();
const EVP_CIPHER* Sm4Ctr();

// The calling thread's cipher context for `cipher`, already initialised with it, so callers only
// set key and IV. Valid until the thread exits; never share it with another thread.
EVP_CIPHER_CTX* ThreadCipherContext(const EVP_CIPHER* cipher);

// HMAC of the concatenation of `parts` under `key`, using the calling thread's MAC contexts.
// Each thread keeps contexts keyed with its four most recent keys (with copies of those keys,
// wiped when replaced or at thread exit), so repeated keys skip the key setup.
// Returns the full-length MAC (32 bytes for both algorithms). Aborts on an OpenSSL failure.
std::string Hmac(HashAlgorithm algorithm, std::string_view key,
                 std::initializer_list<std::string_view> parts);

// RFC 5869 extract-and-expand of `length` bytes from `master`, with the purpose's salt and label
// (info). Errors: kInternal when OpenSSL fails.
Result<std::string> Hkdf(HashAlgorithm hash, std::string_view master, std::string_view salt,
                         std::string_view label, size_t length);

}  // namespace oc::crypto::internal
