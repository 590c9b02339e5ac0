#include "crypto/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "crypto/encoding.h"
#include "crypto/evp_context.h"

namespace oc::crypto {

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  auto* out = reinterpret_cast<unsigned char*>(bytes.data());
  // RAND_bytes takes an int length, so larger requests are filled in chunks.
  for (size_t done = 0; done < n;) {
    size_t chunk = std::min<size_t>(n - done, INT_MAX);
    if (RAND_bytes(out + done, static_cast<int>(chunk)) != 1) {
      internal::DieOpenSslFailure("RAND_bytes");
    }
    done += chunk;
  }
  return bytes;
}

std::string RandomNonce(size_t n) {
  constexpr size_t kBufferSize = 4096;
  constexpr size_t kMaxNonce = 64;
  if (n > kMaxNonce) return RandomBytes(n);
  struct Buffer {
    unsigned char bytes[kBufferSize];
    size_t used = kBufferSize;
  };
  thread_local Buffer buffer;
  if (kBufferSize - buffer.used < n) {
    if (RAND_bytes(buffer.bytes, static_cast<int>(kBufferSize)) != 1) {
      internal::DieOpenSslFailure("RAND_bytes");
    }
    buffer.used = 0;
  }
  std::string nonce(reinterpret_cast<const char*>(buffer.bytes + buffer.used), n);
  buffer.used += n;
  return nonce;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

}  // namespace oc::crypto
