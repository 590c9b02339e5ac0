#include "crypto/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/encoding.h"
#include "crypto/evp_context.h"

namespace oc::crypto {
namespace {

std::string Hash(internal::HashAlgorithm algorithm, std::string_view data) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
                 internal::Digest(algorithm), nullptr) != 1) {
    internal::DieOpenSslFailure("EVP_Digest");
  }
  digest.resize(length);
  return digest;
}

}  // namespace

std::string Sha256(std::string_view data) { return Hash(internal::HashAlgorithm::kSha256, data); }

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  return internal::Hmac(internal::HashAlgorithm::kSha256, key, {data});
}

std::string Sm3(std::string_view data) { return Hash(internal::HashAlgorithm::kSm3, data); }

std::string HmacSm3(std::string_view key, std::string_view data) {
  return internal::Hmac(internal::HashAlgorithm::kSm3, key, {data});
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace oc::crypto
