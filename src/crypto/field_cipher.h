#pragma once
// Field-level encryption of sensitive values (ID numbers, phones, bank cards) before they reach
// the database, with key rotation, and a blind index (a keyed hash stored beside the ciphertext)
// so that exact search works without decrypting every row.
//
// Ownership: a Keyring owns the keys derived from the configured master keys; a FieldCipher owns
// its Keyring. Keys come from configuration (see master_key.h), never from the database.
// Thread-safety: Keyring and FieldCipher are immutable after construction; every const method
// may be called from any number of threads at once. Share one FieldCipher by const reference.
//
// Ciphertext format, version 1 (binary; store it in a BLOB/BYTEA column):
//   version (1 byte, = 1) | suite (1 byte) | key id (4 bytes, big-endian) | nonce (12 bytes) |
//   ciphertext (as long as the plaintext) | tag (16 bytes)
// The header and the caller's context ("customer.id_number") are authenticated with the data, so
// a ciphertext moved to another column, or with a rewritten key id, does not decrypt:
//   AES-256-GCM: additional data = header | context.
//   SM suite:    tag = HMAC-SM3(auth key, header | nonce | len(context) as 8 bytes BE | context |
//                ciphertext), first 16 bytes; SM4-CTR counter block = nonce | 0x00000000.
// Subkeys: HKDF(master key, salt "OpenCredit field cipher", info
// "opencredit/field-cipher/v1/{encryption,authentication,blind-index}"). Blind index =
// HMAC(blind-index key, len(context) as 8 bytes BE | context | value).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace oc::crypto {

// The algorithms of a deployment. The values are written into every ciphertext: never renumber.
enum class CipherSuite : uint8_t {
  // AES-256-GCM; HKDF-SHA256 subkeys; HMAC-SHA256 blind index.
  kAes256Gcm = 1,
  // The 国密 suite: SM4 encryption, HKDF-SM3 subkeys, HMAC-SM3 blind index. OpenSSL 3.0 (Debian
  // 12) has no SM4-GCM (it arrived in 3.2), so this suite is SM4-CTR encrypt-then-MAC with
  // HMAC-SM3 truncated to a 16-byte tag: the same format, nonce and tag sizes as GCM, and the same
  // guarantees (confidentiality, integrity, context binding).
  kSm4Gcm = 2,
};

// "aes-256-gcm" or "sm4"; the spelling used in configuration (crypto.cipher_suite).
std::string_view CipherSuiteName(CipherSuite suite);
// Parses CipherSuiteName's output. Returns nullopt for any other text.
std::optional<CipherSuite> ParseCipherSuite(std::string_view name);

// One master key as configured. `material` must be exactly kFieldKeySize random bytes.
struct FieldKey {
  uint32_t id = 0;
  std::string material;
};

inline constexpr size_t kFieldKeySize = 32;

// The keys of one deployment, each master key replaced by per-purpose subkeys derived with HKDF
// (SHA-256, or SM3 in the SM suite), so no key material serves two purposes. Move-only, so key
// material is never copied by accident; subkeys are wiped on destruction.
class Keyring {
 public:
  // Builds a keyring whose blind-index key is the lowest key id (the oldest key, as ids grow with
  // each rotation).
  // Errors: kInvalidArgument when `keys` is empty, a key is not kFieldKeySize bytes, two keys share
  // an id, or `active_key_id` is not among them; kFailedPrecondition when the SM suite is asked for
  // but the loaded OpenSSL providers lack SM4 or SM3. Messages never contain key material.
  static Result<Keyring> Create(CipherSuite suite, std::vector<FieldKey> keys,
                                uint32_t active_key_id);

  // As above with an explicit blind-index key. Errors: also kInvalidArgument when
  // `index_key_id` is not among `keys`.
  static Result<Keyring> Create(CipherSuite suite, std::vector<FieldKey> keys,
                                uint32_t active_key_id, uint32_t index_key_id);

  Keyring(Keyring&&) noexcept = default;
  Keyring& operator=(Keyring&&) noexcept = default;
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;
  ~Keyring();

  CipherSuite suite() const { return suite_; }
  // The key that new ciphertexts are written with.
  uint32_t active_key_id() const { return active_key_id_; }
  // The key whose subkey computes every blind index. It must stay in the keyring for as long as
  // any stored blind index exists: if it changed, exact search would stop finding old rows.
  uint32_t index_key_id() const { return index_key_id_; }

 private:
  friend class FieldCipher;

  struct Subkeys {
    uint32_t id = 0;
    std::string encryption;      // AES-256 key (32 bytes) or SM4 key (16 bytes)
    std::string authentication;  // HMAC-SM3 tag key in the SM suite; empty for AES-GCM
  };

  Keyring() = default;

  CipherSuite suite_ = CipherSuite::kAes256Gcm;
  uint32_t active_key_id_ = 0;
  uint32_t index_key_id_ = 0;
  std::vector<Subkeys> keys_;
  std::string blind_index_key_;
};

// Encrypts, decrypts and blind-indexes field values under a Keyring. New ciphertexts use the
// active key; any key in the keyring decrypts, so rows written before a rotation stay readable.
// Under one key, random 96-bit nonces stay safe for about 2^32 encryptions: rotate well before.
class FieldCipher {
 public:
  // Bytes that Encrypt adds to the plaintext: header, nonce and tag.
  static constexpr size_t kOverhead = 1 + 1 + 4 + 12 + 16;
  // Field values are short; the bound keeps lengths within what OpenSSL's int-sized calls accept.
  static constexpr size_t kMaxPlaintextSize = size_t{1} << 24;
  static constexpr size_t kMaxContextSize = 1024;

  explicit FieldCipher(Keyring keyring);

  // Encrypts `plaintext` (any bytes, including empty) under the active key with a fresh random
  // nonce, binding `context` — the column it belongs to, e.g. "customer.id_number" — so it only
  // decrypts with the same context. Equal plaintexts give different ciphertexts.
  // Returns plaintext.size() + kOverhead bytes.
  // Errors: kInvalidArgument when plaintext exceeds kMaxPlaintextSize or context exceeds
  // kMaxContextSize; kInternal if OpenSSL fails.
  Result<std::string> Encrypt(std::string_view plaintext, std::string_view context) const;

  // Decrypts what Encrypt returned for the same `context`, under whichever keyring key wrote it.
  // Errors:
  //  - kFailedPrecondition: the key id in the ciphertext is not in the keyring (it was rotated out
  //    of the configuration too early), or it was written under another cipher suite. The data is
  //    intact; the configuration must be fixed, and the message says how.
  //  - kInternal: truncated, unknown format version, or the tag does not verify (tampered,
  //    corrupted, or a different context). Stored data that fails authentication is corruption or
  //    an attack on our own storage, not a mistake by the caller, so it is never kInvalidArgument.
  Result<std::string> Decrypt(std::string_view ciphertext, std::string_view context) const;

  // The blind index of `normalized_value` for `context`: the first kBlindIndexSize bytes of a
  // keyed hash (HMAC-SHA256, or HMAC-SM3 in the SM suite) under the index key, which does not
  // change when the active key rotates. Equal (value, context) pairs give equal indexes; the same
  // value in two contexts gives unrelated ones, so columns cannot be joined on it. The caller
  // normalises first (trim, upper-case the ID-number check letter, strip phone formatting) or
  // equal values will not match.
  // 128 bits keep two different values from sharing an index (at a billion values the chance is
  // about 10^-21) while every index entry, and so every page an import dirties, is smaller.
  static constexpr size_t kBlindIndexSize = 16;
  std::string BlindIndex(std::string_view normalized_value, std::string_view context) const;

  uint32_t active_key_id() const { return keyring_.active_key_id(); }
  CipherSuite suite() const { return keyring_.suite(); }

 private:
  const Keyring::Subkeys* FindKey(uint32_t id) const;

  Keyring keyring_;
  size_t active_index_ = 0;
};

}  // namespace oc::crypto
