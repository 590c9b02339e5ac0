#include "auth/password.h"

#include <argon2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <semaphore>
#include <thread>

#include "crypto/random.h"

namespace oc::auth {

namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

size_t Utf8Length(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// argon2id is memory-hard on purpose (19 MiB a hash by default). Requests that write run on a
// pool sized for waiting on disk flushes, so a burst of sign-ins could otherwise take that memory
// many times over and share the cores between all of them: as many hashes run at once as there
// are cores, the rest wait their turn.
class HashingSlot {
 public:
  HashingSlot() { Slots().acquire(); }
  ~HashingSlot() { Slots().release(); }
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;

 private:
  static std::counting_semaphore<>& Slots() {
    static auto* slots = new std::counting_semaphore<>(
        static_cast<std::ptrdiff_t>(std::max(2u, std::thread::hardware_concurrency())));
    return *slots;
  }
};

}  // namespace

std::string PasswordHasher::Hash(std::string_view password) const {
  HashingSlot slot;
  std::string salt = crypto::RandomBytes(kSaltBytes);
  size_t encoded_len = argon2_encodedlen(cost_.passes, cost_.memory_kib, cost_.lanes, kSaltBytes,
                                         kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2id_hash_encoded(cost_.passes, cost_.memory_kib, cost_.lanes, password.data(),
                                 password.size(), salt.data(), salt.size(), kHashBytes,
                                 encoded.data(), encoded.size());
  // Only a resource failure (out of memory) can make this fail; storing no hash would lock the
  // user out silently, so stop loudly instead.
  if (rc != ARGON2_OK) {
    std::fprintf(stderr, "argon2id_hash_encoded failed: %s\n", argon2_error_message(rc));
    std::abort();
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool PasswordHasher::Verify(std::string_view password, const std::string& encoded) const {
  if (!encoded.starts_with("$argon2id$")) return false;
  HashingSlot slot;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  // One fixed hash at the configured cost; its salt is public and its password unknowable.
  static const std::string* dummy = nullptr;
  static std::once_flag once;
  std::call_once(once, [&] { dummy = new std::string(Hash(crypto::RandomToken(24))); });
  (void)Verify(password, *dummy);
}

Status CheckPasswordStrength(std::string_view password, std::string_view username,
                             const PasswordPolicy& policy, std::string_view field) {
  std::string f(field);
  size_t length = Utf8Length(password);
  if (length < policy.min_length) {
    std::string n = std::to_string(policy.min_length);
    return InvalidField(f, "too_short",
                        {"密码至少需要 " + n + " 个字符", "Password must be at least " + n +
                                                             " characters long"});
  }
  if (length > policy.max_length) {
    std::string n = std::to_string(policy.max_length);
    return InvalidField(f, "too_long",
                        {"密码不能超过 " + n + " 个字符",
                         "Password must be at most " + n + " characters long"});
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    return InvalidField(f, "too_simple",
                        {"密码不能只由一个重复的字符组成",
                         "Password must not be a single repeated character"});
  }
  if (IsCommonPassword(password)) {
    return InvalidField(f, "common_password",
                        {"该密码过于常见，容易被猜到，请换一个",
                         "This password is too common and easy to guess; choose another"});
  }
  if (username.size() >= 3 && Lower(password).find(Lower(username)) != std::string::npos) {
    return InvalidField(f, "contains_username",
                        {"密码不能包含用户名", "Password must not contain the username"});
  }
  return Ok();
}

}  // namespace oc::auth
