#pragma once
// Fixed keys for tests, so that test fixtures need no configuration. Never used outside tests.

#include <cstdlib>
#include <string>

#include "crypto/mac_keyring.h"

namespace oc::crypto::testing {

// The audit-chain keys of master key 1, 32 bytes of 't'.
inline MacKeyring TestAuditKeys() {
  auto keys = MacKeyring::Derive(CipherSuite::kAes256Gcm, {{1, std::string(kFieldKeySize, 't')}}, 1,
                                 MacKeyring::kAuditChain);
  if (!keys) std::abort();
  return std::move(*keys);
}

}  // namespace oc::crypto::testing
