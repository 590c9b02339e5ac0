#pragma once
// Keys for sealing records that someone able to write the database must not be able to forge:
// the links of the audit trail's chain. A plain hash chain can be recomputed by anyone who edits
// a row; a chain of MACs only by someone who also holds the master key, which never enters the
// database.
//
// Each master key of the deployment yields its own MAC key, derived with HKDF under a salt and
// label of the purpose's own, so it is independent of the field-encryption keys derived from the
// same master key. New records are sealed under the active (first configured) key; every
// configured key still verifies what it sealed, so a rotation keeps old seals verifiable for as
// long as the old key stays in the configuration. HMAC-SHA256, or HMAC-SM3 in the SM suite.
//
// Move-only; key material is wiped on destruction. Thread-safe: const methods may be called from
// any number of threads at once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/field_cipher.h"

namespace oc::crypto {

class MacKeyring {
 public:
  // The purposes MAC keys are derived for. The labels are part of every key: never change them.
  static constexpr std::string_view kAuditChain = "opencredit/audit-chain/v1";

  // Derives one MAC key per master key for `purpose`.
  // Errors: kInvalidArgument when `keys` is empty, a key is not kFieldKeySize bytes, two keys
  // share an id or `active_key_id` is not among them; kInternal when OpenSSL fails.
  static Result<MacKeyring> Derive(CipherSuite suite, const std::vector<FieldKey>& keys,
                                   uint32_t active_key_id, std::string_view purpose);

  MacKeyring(MacKeyring&&) noexcept = default;
  MacKeyring& operator=(MacKeyring&&) noexcept = default;
  MacKeyring(const MacKeyring&) = delete;
  MacKeyring& operator=(const MacKeyring&) = delete;
  ~MacKeyring();

  uint32_t active_key_id() const { return active_key_id_; }

  // The 32-byte MAC of `data` under the active key.
  std::string Mac(std::string_view data) const;
  // The MAC under key `key_id`; nullopt when that key is not configured.
  std::optional<std::string> MacWith(uint32_t key_id, std::string_view data) const;

 private:
  struct Key {
    uint32_t id = 0;
    std::string material;
  };
  MacKeyring() = default;

  CipherSuite suite_ = CipherSuite::kAes256Gcm;
  uint32_t active_key_id_ = 0;
  std::vector<Key> keys_;
};

}  // namespace oc::crypto
