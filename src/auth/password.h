#pragma once
// Password hashing (argon2id) and the password policy.
//
// Hashing is deliberately slow and memory-hard; call it on a worker thread, never a network
// thread. The cost parameters live in the encoded hash, so raising them later keeps old hashes
// verifiable. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace oc::auth {

struct PasswordHashCost {
  uint32_t memory_kib = 19 * 1024;  // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane
  uint32_t passes = 2;
  uint32_t lanes = 1;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashCost cost = {}) : cost_(cost) {}

  // An encoded "$argon2id$v=19$m=…,t=…,p=…$salt$hash" string with a fresh random salt.
  std::string Hash(std::string_view password) const;
  // Constant-time check of `password` against an encoded hash; false for malformed hashes.
  bool Verify(std::string_view password, const std::string& encoded) const;
  // Spends the same time as a Verify, for unknown users, so timing does not reveal which
  // usernames exist.
  void VerifyDummy(std::string_view password) const;

 private:
  PasswordHashCost cost_;
};

struct PasswordPolicy {
  size_t min_length = 10;
  size_t max_length = 128;  // bounds the hashing work an attacker can ask for
};

// Ok, or kInvalidArgument with a violation on `field`: too short/long (counted in characters),
// a well-known common password, only one repeated character, or containing the username.
Status CheckPasswordStrength(std::string_view password, std::string_view username,
                             const PasswordPolicy& policy, std::string_view field = "password");

// Whether `password` (compared case-insensitively) is on the built-in list of common passwords.
bool IsCommonPassword(std::string_view password);

}  // namespace oc::auth
