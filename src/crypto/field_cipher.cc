#include "crypto/field_cipher.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "crypto/digest.h"
#include "crypto/evp_context.h"
#include "crypto/random.h"

namespace oc::crypto {
namespace {

using internal::HashAlgorithm;

constexpr uint8_t kFormatVersion = 1;
constexpr size_t kHeaderSize = 6;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kSm4KeySize = 16;

// HKDF labels: one per purpose, so subkeys for different purposes are independent even though
// they come from the same master key. Changing a label changes every key: never edit them.
constexpr std::string_view kHkdfSalt = "OpenCredit field cipher";
constexpr std::string_view kEncryptionLabel = "opencredit/field-cipher/v1/encryption";
constexpr std::string_view kAuthenticationLabel = "opencredit/field-cipher/v1/authentication";
constexpr std::string_view kBlindIndexLabel = "opencredit/field-cipher/v1/blind-index";

HashAlgorithm SuiteHash(CipherSuite suite) {
  return suite == CipherSuite::kSm4Gcm ? HashAlgorithm::kSm3 : HashAlgorithm::kSha256;
}

Error KeyringError(std::string zh_cn, std::string en_us) {
  return MakeError(ErrorCode::kInvalidArgument, {std::move(zh_cn), std::move(en_us)});
}

void Cleanse(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
}

std::array<char, kHeaderSize> MakeHeader(CipherSuite suite, uint32_t key_id) {
  return {static_cast<char>(kFormatVersion), static_cast<char>(suite),
          static_cast<char>(key_id >> 24),   static_cast<char>(key_id >> 16),
          static_cast<char>(key_id >> 8),    static_cast<char>(key_id)};
}

uint32_t ReadKeyId(std::string_view ciphertext) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(ciphertext[i])); };
  return byte(2) << 24 | byte(3) << 16 | byte(4) << 8 | byte(5);
}

// The context's length goes in front of it so that (context, data) pairs cannot be re-split into
// another pair with the same concatenation.
std::array<char, 8> LengthPrefix(size_t length) {
  std::array<char, 8> prefix;
  for (int i = 7; i >= 0; --i) {
    prefix[i] = static_cast<char>(length & 0xff);
    length >>= 8;
  }
  return prefix;
}

std::string_view View(const std::array<char, 8>& bytes) { return {bytes.data(), bytes.size()}; }

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

Error OpenSslError(const char* what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  const char* reason = ERR_reason_error_string(code);
  return Internal(std::string("field cipher: ") + what +
                  " failed: " + (reason != nullptr ? reason : "unknown"));
}

Error CorruptCiphertext(std::string detail) {
  return MakeError(
      ErrorCode::kInternal,
      {"加密数据已损坏或被篡改，无法解密",
       "Encrypted data is corrupted or has been tampered with and cannot be decrypted"},
      "field cipher: " + std::move(detail));
}

// The SM suite's tag: HMAC-SM3 over everything that GCM would authenticate, truncated to 16
// bytes (as GM/T 0042 and NIST SP 800-107 allow), so both suites share one format.
std::string Sm4Tag(const std::string& key, std::string_view header, std::string_view nonce,
                   std::string_view context, std::string_view ciphertext) {
  std::string mac =
      internal::Hmac(HashAlgorithm::kSm3, key,
                     {header, nonce, View(LengthPrefix(context.size())), context, ciphertext});
  mac.resize(kTagSize);
  return mac;
}

// SM4-CTR's 16-byte counter block: the 12-byte nonce, then a 32-bit block counter from zero.
// kMaxPlaintextSize keeps the counter from wrapping into the nonce.
std::array<unsigned char, 16> Sm4CounterBlock(std::string_view nonce) {
  std::array<unsigned char, 16> iv{};
  std::copy(nonce.begin(), nonce.end(), iv.begin());
  return iv;
}

Status RunCipher(EVP_CIPHER_CTX* ctx, std::string_view in, unsigned char* out) {
  int length = 0;
  if (!in.empty() &&
      EVP_CipherUpdate(ctx, out, &length, Bytes(in), static_cast<int>(in.size())) != 1) {
    return OpenSslError("EVP_CipherUpdate");
  }
  return Ok();
}

}  // namespace

std::string_view CipherSuiteName(CipherSuite suite) {
  switch (suite) {
    case CipherSuite::kAes256Gcm:
      return "aes-256-gcm";
    case CipherSuite::kSm4Gcm:
      return "sm4";
  }
  return "aes-256-gcm";
}

std::optional<CipherSuite> ParseCipherSuite(std::string_view name) {
  if (name == "aes-256-gcm") return CipherSuite::kAes256Gcm;
  if (name == "sm4") return CipherSuite::kSm4Gcm;
  return std::nullopt;
}

Result<Keyring> Keyring::Create(CipherSuite suite, std::vector<FieldKey> keys,
                                uint32_t active_key_id) {
  if (keys.empty()) {
    return KeyringError("未配置任何加密密钥", "No encryption key is configured");
  }
  uint32_t lowest = std::min_element(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
                      return a.id < b.id;
                    })->id;
  return Create(suite, std::move(keys), active_key_id, lowest);
}

Result<Keyring> Keyring::Create(CipherSuite suite, std::vector<FieldKey> keys,
                                uint32_t active_key_id, uint32_t index_key_id) {
  // The caller's copies are wiped on every path, including errors.
  struct Wipe {
    std::vector<FieldKey>& keys;
    ~Wipe() {
      for (auto& key : keys) Cleanse(key.material);
    }
  } wipe{keys};

  if (keys.empty()) {
    return KeyringError("未配置任何加密密钥", "No encryption key is configured");
  }
  std::set<uint32_t> ids;
  for (const FieldKey& key : keys) {
    std::string id = std::to_string(key.id);
    if (key.material.size() != kFieldKeySize) {
      return KeyringError("密钥 " + id + " 的长度为 " + std::to_string(key.material.size()) +
                              " 字节，必须为 32 字节",
                          "Key " + id + " is " + std::to_string(key.material.size()) +
                              " bytes long; it must be 32 bytes");
    }
    if (!ids.insert(key.id).second) {
      return KeyringError("密钥编号 " + id + " 重复", "Key id " + id + " appears more than once");
    }
  }
  if (!ids.contains(active_key_id)) {
    std::string id = std::to_string(active_key_id);
    return KeyringError("当前密钥 " + id + " 不在密钥列表中",
                        "The active key " + id + " is not among the configured keys");
  }
  if (!ids.contains(index_key_id)) {
    std::string id = std::to_string(index_key_id);
    return KeyringError("盲索引密钥 " + id + " 不在密钥列表中",
                        "The blind-index key " + id + " is not among the configured keys");
  }
  if (suite == CipherSuite::kSm4Gcm && internal::Sm4Ctr() == nullptr) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"当前 OpenSSL 未提供 SM4 算法，无法使用国密套件",
                      "This OpenSSL installation does not provide SM4, so the SM cipher suite "
                      "cannot be used"},
                     "EVP_CIPHER_fetch(SM4-CTR) returned null");
  }

  HashAlgorithm hash = SuiteHash(suite);
  Keyring keyring;
  keyring.suite_ = suite;
  keyring.active_key_id_ = active_key_id;
  keyring.index_key_id_ = index_key_id;
  for (const FieldKey& key : keys) {
    Subkeys subkeys;
    subkeys.id = key.id;
    if (suite == CipherSuite::kSm4Gcm) {
      ASSIGN_OR_RETURN(subkeys.encryption, internal::Hkdf(hash, key.material, kHkdfSalt,
                                                          kEncryptionLabel, kSm4KeySize));
      ASSIGN_OR_RETURN(subkeys.authentication, internal::Hkdf(hash, key.material, kHkdfSalt,
                                                              kAuthenticationLabel, kFieldKeySize));
    } else {
      ASSIGN_OR_RETURN(subkeys.encryption, internal::Hkdf(hash, key.material, kHkdfSalt,
                                                          kEncryptionLabel, kFieldKeySize));
    }
    if (key.id == index_key_id) {
      ASSIGN_OR_RETURN(keyring.blind_index_key_, internal::Hkdf(hash, key.material, kHkdfSalt,
                                                                kBlindIndexLabel, kFieldKeySize));
    }
    keyring.keys_.push_back(std::move(subkeys));
  }
  return keyring;
}

Keyring::~Keyring() {
  for (Subkeys& subkeys : keys_) {
    Cleanse(subkeys.encryption);
    Cleanse(subkeys.authentication);
  }
  Cleanse(blind_index_key_);
}

FieldCipher::FieldCipher(Keyring keyring) : keyring_(std::move(keyring)) {
  for (size_t i = 0; i < keyring_.keys_.size(); ++i) {
    if (keyring_.keys_[i].id == keyring_.active_key_id_) active_index_ = i;
  }
}

const Keyring::Subkeys* FieldCipher::FindKey(uint32_t id) const {
  for (const Keyring::Subkeys& subkeys : keyring_.keys_) {
    if (subkeys.id == id) return &subkeys;
  }
  return nullptr;
}

Result<std::string> FieldCipher::Encrypt(std::string_view plaintext,
                                         std::string_view context) const {
  if (plaintext.size() > kMaxPlaintextSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"待加密的内容过长", "The value to encrypt is too long"},
                     "field cipher: plaintext of " + std::to_string(plaintext.size()) + " bytes");
  }
  if (context.size() > kMaxContextSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"加密上下文过长", "The encryption context is too long"},
                     "field cipher: context of " + std::to_string(context.size()) + " bytes");
  }
  const Keyring::Subkeys& key = keyring_.keys_[active_index_];
  auto header_bytes = MakeHeader(keyring_.suite_, key.id);
  std::string_view header(header_bytes.data(), header_bytes.size());

  std::string out;
  out.resize(kOverhead + plaintext.size());
  std::copy(header.begin(), header.end(), out.begin());
  std::string nonce = RandomNonce(kNonceSize);
  std::copy(nonce.begin(), nonce.end(), out.begin() + kHeaderSize);
  unsigned char* body = Bytes(out) + kHeaderSize + kNonceSize;
  unsigned char* tag = body + plaintext.size();

  if (keyring_.suite_ == CipherSuite::kSm4Gcm) {
    EVP_CIPHER_CTX* ctx = internal::ThreadCipherContext(internal::Sm4Ctr());
    auto iv = Sm4CounterBlock(nonce);
    if (EVP_CipherInit_ex2(ctx, nullptr, Bytes(key.encryption), iv.data(), 1, nullptr) != 1) {
      return OpenSslError("EVP_CipherInit_ex2(SM4-CTR)");
    }
    RETURN_IF_ERROR(RunCipher(ctx, plaintext, body));
    std::string mac =
        Sm4Tag(key.authentication, header, nonce, context,
               std::string_view(reinterpret_cast<const char*>(body), plaintext.size()));
    std::copy(mac.begin(), mac.end(), tag);
    return out;
  }

  EVP_CIPHER_CTX* ctx = internal::ThreadCipherContext(internal::Aes256Gcm());
  int length = 0;
  if (EVP_CipherInit_ex2(ctx, nullptr, Bytes(key.encryption), Bytes(nonce), 1, nullptr) != 1) {
    return OpenSslError("EVP_CipherInit_ex2(AES-256-GCM)");
  }
  // Additional authenticated data: the fixed-size header, then the context.
  if (EVP_CipherUpdate(ctx, nullptr, &length, Bytes(header), static_cast<int>(header.size())) !=
          1 ||
      (!context.empty() && EVP_CipherUpdate(ctx, nullptr, &length, Bytes(context),
                                            static_cast<int>(context.size())) != 1)) {
    return OpenSslError("GCM additional data");
  }
  RETURN_IF_ERROR(RunCipher(ctx, plaintext, body));
  if (EVP_CipherFinal_ex(ctx, tag, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, kTagSize, tag) != 1) {
    return OpenSslError("GCM finish");
  }
  return out;
}

Result<std::string> FieldCipher::Decrypt(std::string_view ciphertext,
                                         std::string_view context) const {
  if (ciphertext.size() < kOverhead) {
    return CorruptCiphertext("ciphertext of " + std::to_string(ciphertext.size()) +
                             " bytes is shorter than the format's " + std::to_string(kOverhead));
  }
  if (static_cast<uint8_t>(ciphertext[0]) != kFormatVersion) {
    return CorruptCiphertext("unknown format version " +
                             std::to_string(static_cast<uint8_t>(ciphertext[0])));
  }
  auto suite = static_cast<uint8_t>(ciphertext[1]);
  if (suite != static_cast<uint8_t>(keyring_.suite_)) {
    std::string written;
    if (suite == static_cast<uint8_t>(CipherSuite::kAes256Gcm) ||
        suite == static_cast<uint8_t>(CipherSuite::kSm4Gcm)) {
      written = CipherSuiteName(static_cast<CipherSuite>(suite));
    } else {
      written.append("#").append(std::to_string(suite));
    }
    std::string configured(CipherSuiteName(keyring_.suite_));
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"数据以加密套件 " + written + " 写入，但当前配置为 " + configured +
                          "；请改回原套件或重新加密数据",
                      "The data was written with cipher suite " + written + " but " + configured +
                          " is configured; restore that suite or re-encrypt the data"},
                     "field cipher: suite mismatch, context " + std::string(context));
  }
  uint32_t key_id = ReadKeyId(ciphertext);
  const Keyring::Subkeys* key = FindKey(key_id);
  if (key == nullptr) {
    std::string id = std::to_string(key_id);
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"数据由密钥 " + id +
                          " 加密，但当前密钥配置（crypto.master_key / OPENCREDIT_MASTER_KEY）"
                          "中没有该密钥；请将其加回配置",
                      "The data was encrypted with key " + id +
                          ", which is missing from the key configuration (crypto.master_key / "
                          "OPENCREDIT_MASTER_KEY); add it back"},
                     "field cipher: unknown key id " + id + ", context " + std::string(context));
  }

  std::string_view header = ciphertext.substr(0, kHeaderSize);
  std::string_view nonce = ciphertext.substr(kHeaderSize, kNonceSize);
  std::string_view body =
      ciphertext.substr(kHeaderSize + kNonceSize, ciphertext.size() - kOverhead);
  std::string_view tag = ciphertext.substr(ciphertext.size() - kTagSize);
  std::string plaintext(body.size(), '\0');
  auto authentication_failed = [&] {
    return CorruptCiphertext("authentication failed, key id " + std::to_string(key_id) +
                             ", context " + std::string(context));
  };

  if (keyring_.suite_ == CipherSuite::kSm4Gcm) {
    // Encrypt-then-MAC: nothing is decrypted until the tag verifies.
    if (!ConstantTimeEquals(Sm4Tag(key->authentication, header, nonce, context, body), tag)) {
      return authentication_failed();
    }
    EVP_CIPHER_CTX* ctx = internal::ThreadCipherContext(internal::Sm4Ctr());
    auto iv = Sm4CounterBlock(nonce);
    if (EVP_CipherInit_ex2(ctx, nullptr, Bytes(key->encryption), iv.data(), 0, nullptr) != 1) {
      return OpenSslError("EVP_CipherInit_ex2(SM4-CTR)");
    }
    RETURN_IF_ERROR(RunCipher(ctx, body, Bytes(plaintext)));
    return plaintext;
  }

  EVP_CIPHER_CTX* ctx = internal::ThreadCipherContext(internal::Aes256Gcm());
  int length = 0;
  if (EVP_CipherInit_ex2(ctx, nullptr, Bytes(key->encryption), Bytes(nonce), 0, nullptr) != 1) {
    return OpenSslError("EVP_CipherInit_ex2(AES-256-GCM)");
  }
  if (EVP_CipherUpdate(ctx, nullptr, &length, Bytes(header), static_cast<int>(header.size())) !=
          1 ||
      (!context.empty() && EVP_CipherUpdate(ctx, nullptr, &length, Bytes(context),
                                            static_cast<int>(context.size())) != 1)) {
    return OpenSslError("GCM additional data");
  }
  RETURN_IF_ERROR(RunCipher(ctx, body, Bytes(plaintext)));
  std::array<unsigned char, kTagSize> expected_tag;
  std::copy(tag.begin(), tag.end(), expected_tag.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, kTagSize, expected_tag.data()) != 1) {
    return OpenSslError("GCM set tag");
  }
  unsigned char final_block[16];
  if (EVP_CipherFinal_ex(ctx, final_block, &length) != 1) {
    ERR_clear_error();
    // GCM decrypts before it verifies; the unverified bytes must not linger in memory.
    Cleanse(plaintext);
    return authentication_failed();
  }
  return plaintext;
}

std::string FieldCipher::BlindIndex(std::string_view normalized_value,
                                    std::string_view context) const {
  std::string index = internal::Hmac(SuiteHash(keyring_.suite_), keyring_.blind_index_key_,
                                     {View(LengthPrefix(context.size())), context,
                                      normalized_value});
  index.resize(kBlindIndexSize);
  return index;
}

}  // namespace oc::crypto
