#include "crypto/mac_keyring.h"

#include <openssl/crypto.h>

#include <set>

#include "crypto/evp_context.h"

namespace oc::crypto {

namespace {

// Distinct from the field cipher's salt, so no subkey of one purpose can equal one of another.
constexpr std::string_view kSalt = "OpenCredit record seal";

internal::HashAlgorithm SuiteHash(CipherSuite suite) {
  return suite == CipherSuite::kSm4Gcm ? internal::HashAlgorithm::kSm3
                                       : internal::HashAlgorithm::kSha256;
}

Error KeyError(std::string zh_cn, std::string en_us) {
  return MakeError(ErrorCode::kInvalidArgument, {std::move(zh_cn), std::move(en_us)});
}

}  // namespace

Result<MacKeyring> MacKeyring::Derive(CipherSuite suite, const std::vector<FieldKey>& keys,
                                      uint32_t active_key_id, std::string_view purpose) {
  if (keys.empty()) return KeyError("未配置主密钥", "No master key is configured");
  std::set<uint32_t> ids;
  for (const FieldKey& key : keys) {
    const std::string id = std::to_string(key.id);
    if (key.material.size() != kFieldKeySize) {
      return KeyError("密钥 " + id + " 必须为 32 字节", "Key " + id + " must be 32 bytes");
    }
    if (!ids.insert(key.id).second) {
      return KeyError("密钥编号 " + id + " 重复", "Key id " + id + " appears more than once");
    }
  }
  if (!ids.contains(active_key_id)) {
    const std::string id = std::to_string(active_key_id);
    return KeyError("当前密钥 " + id + " 不在密钥列表中",
                    "The active key " + id + " is not among the configured keys");
  }
  MacKeyring keyring;
  keyring.suite_ = suite;
  keyring.active_key_id_ = active_key_id;
  for (const FieldKey& key : keys) {
    ASSIGN_OR_RETURN(std::string material,
                     internal::Hkdf(SuiteHash(suite), key.material, kSalt, purpose, kFieldKeySize));
    keyring.keys_.push_back({key.id, std::move(material)});
  }
  return keyring;
}

MacKeyring::~MacKeyring() {
  for (Key& key : keys_) {
    if (!key.material.empty()) OPENSSL_cleanse(key.material.data(), key.material.size());
  }
}

std::string MacKeyring::Mac(std::string_view data) const { return *MacWith(active_key_id_, data); }

std::optional<std::string> MacKeyring::MacWith(uint32_t key_id, std::string_view data) const {
  for (const Key& key : keys_) {
    if (key.id == key_id) return internal::Hmac(SuiteHash(suite_), key.material, {data});
  }
  return std::nullopt;
}

}  // namespace oc::crypto
