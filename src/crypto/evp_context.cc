#include "crypto/evp_context.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace oc::crypto::internal {
namespace {

// The handles below are fetched once and deliberately never freed: they are immutable, shared by
// every thread, and must outlive the per-thread contexts that reference them.
EVP_MD* FetchDigestOrDie(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) DieOpenSslFailure(name);
  return md;
}

EVP_MAC_CTX* NewHmacContext(HashAlgorithm algorithm) {
  static EVP_MAC* const hmac = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (mac == nullptr) DieOpenSslFailure("HMAC");
    return mac;
  }();
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac);
  if (ctx == nullptr) DieOpenSslFailure("EVP_MAC_CTX_new");
  // Setting the digest by name costs a fetch, so it is done once per thread context, not per call.
  char* digest_name = const_cast<char*>(algorithm == HashAlgorithm::kSm3 ? "SM3" : "SHA256");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_CTX_set_params(ctx, params) != 1) DieOpenSslFailure("HMAC digest");
  return ctx;
}

}  // namespace

void DieOpenSslFailure(const char* what) {
  std::fprintf(stderr, "fatal: OpenSSL failure in %s\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

const EVP_MD* Digest(HashAlgorithm algorithm) {
  static const EVP_MD* const sha256 = FetchDigestOrDie("SHA2-256");
  static const EVP_MD* const sm3 = FetchDigestOrDie("SM3");
  return algorithm == HashAlgorithm::kSm3 ? sm3 : sha256;
}

const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (fetched == nullptr) DieOpenSslFailure("AES-256-GCM");
    return fetched;
  }();
  return cipher;
}

const EVP_CIPHER* Sm4Ctr() {
  static const EVP_CIPHER* const cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
    // Absence is reported by the caller as a configuration error, so the queue is not left
    // holding a stale error for an unrelated later call to print.
    if (fetched == nullptr) ERR_clear_error();
    return fetched;
  }();
  return cipher;
}

EVP_CIPHER_CTX* ThreadCipherContext(const EVP_CIPHER* cipher) {
  thread_local CipherCtxPtr aes_gcm;
  thread_local CipherCtxPtr sm4_ctr;
  CipherCtxPtr& slot = cipher == Aes256Gcm() ? aes_gcm : sm4_ctr;
  if (slot == nullptr) {
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (ctx == nullptr) DieOpenSslFailure("EVP_CIPHER_CTX_new");
    if (EVP_CipherInit_ex2(ctx.get(), cipher, nullptr, nullptr, 1, nullptr) != 1) {
      DieOpenSslFailure("EVP_CipherInit_ex2");
    }
    slot = std::move(ctx);
  }
  return slot.get();
}

std::string Hmac(HashAlgorithm algorithm, std::string_view key,
                 std::initializer_list<std::string_view> parts) {
  // Keying an HMAC context hashes two key blocks, as much work as MACing a short value, and field
  // encryption alternates between a few fixed keys (tag key, blind-index key). So each thread keeps
  // a few contexts already keyed, recognised by their key bytes; a hit restarts the context from
  // its saved keyed state instead.
  struct KeyedContext {
    MacCtxPtr ctx;
    std::string key;
    ~KeyedContext() {
      if (!key.empty()) OPENSSL_cleanse(key.data(), key.size());
    }
  };
  constexpr size_t kCacheSize = 4;
  struct Cache {
    std::array<KeyedContext, kCacheSize> entries;
    size_t next_victim = 0;
  };
  thread_local Cache sha256_cache;
  thread_local Cache sm3_cache;
  Cache& cache = algorithm == HashAlgorithm::kSm3 ? sm3_cache : sha256_cache;

  EVP_MAC_CTX* ctx = nullptr;
  for (KeyedContext& entry : cache.entries) {
    if (entry.ctx != nullptr && entry.key.size() == key.size() &&
        CRYPTO_memcmp(entry.key.data(), key.data(), key.size()) == 0) {
      ctx = entry.ctx.get();
      // A null key restarts from the keyed state saved at the last keying.
      if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1) DieOpenSslFailure("EVP_MAC_init");
      break;
    }
  }
  if (ctx == nullptr) {
    KeyedContext& entry = cache.entries[cache.next_victim];
    cache.next_victim = (cache.next_victim + 1) % kCacheSize;
    if (entry.ctx == nullptr) entry.ctx.reset(NewHmacContext(algorithm));
    if (!entry.key.empty()) OPENSSL_cleanse(entry.key.data(), entry.key.size());
    entry.key.assign(key);
    ctx = entry.ctx.get();
    // An empty key must still be a non-null pointer, or OpenSSL would keep the previous key.
    static const unsigned char kEmpty = 0;
    const auto* key_bytes =
        key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1) DieOpenSslFailure("EVP_MAC_init");
  }
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) !=
        1) {
      DieOpenSslFailure("EVP_MAC_update");
    }
  }
  std::string mac(EVP_MAX_MD_SIZE, '\0');
  size_t length = 0;
  if (EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(mac.data()), &length, mac.size()) != 1) {
    DieOpenSslFailure("EVP_MAC_final");
  }
  mac.resize(length);
  return mac;
}

Result<std::string> Hkdf(HashAlgorithm hash, std::string_view master, std::string_view salt,
                         std::string_view label, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
  if (kdf == nullptr) return Internal("EVP_KDF_fetch(HKDF) failed");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return Internal("EVP_KDF_CTX_new failed");
  char* digest = const_cast<char*>(hash == HashAlgorithm::kSm3 ? "SM3" : "SHA256");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(master.data()),
                                        master.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(label.data()),
                                        label.size()),
      OSSL_PARAM_construct_end(),
  };
  std::string key(length, '\0');
  int ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(key.data()), key.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    return Internal("HKDF derivation failed: " +
                    std::string(ERR_reason_error_string(code) != nullptr
                                    ? ERR_reason_error_string(code)
                                    : "unknown"));
  }
  return key;
}

}  // namespace oc::crypto::internal
