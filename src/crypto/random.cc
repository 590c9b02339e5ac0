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

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

}  // namespace oc::crypto
