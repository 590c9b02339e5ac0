#include "auth/password.h"

#include <gtest/gtest.h>

namespace oc::auth {
namespace {

TEST(PasswordHasherTest, HashesWithArgon2idAtTheProductionCostAndVerifies) {
  PasswordHasher hasher;
  std::string hash = hasher.Hash("Tr0ub4dor&3-long");
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
  EXPECT_TRUE(hasher.Verify("Tr0ub4dor&3-long", hash));
  EXPECT_FALSE(hasher.Verify("Tr0ub4dor&3-lonG", hash));
}

TEST(PasswordHasherTest, SaltsEveryHash) {
  PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
  EXPECT_NE(hasher.Hash("same password"), hasher.Hash("same password"));
}

TEST(PasswordHasherTest, MalformedHashesNeverVerify) {
  PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
  EXPECT_FALSE(hasher.Verify("x", ""));
  EXPECT_FALSE(hasher.Verify("x", "$argon2i$v=19$m=256,t=1,p=1$abc$def"));
  EXPECT_FALSE(hasher.Verify("x", "$argon2id$garbage"));
}

TEST(PasswordPolicyTest, RejectsShortPasswordsCountingCharactersNotBytes) {
  auto r = CheckPasswordStrength("短密码短密码短密码", "alice", PasswordPolicy{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field_violations[0].code, "too_short");
  EXPECT_EQ(r.error().field_violations[0].field, "password");
  EXPECT_TRUE(CheckPasswordStrength("长一点的中文密码也可以用", "alice", PasswordPolicy{}));
}

TEST(PasswordPolicyTest, RejectsCommonPasswordsWhateverTheirCase) {
  for (const char* common : {"1234567890", "Password123", "WOAINI1314", "1qaz2wsx3edc"}) {
    auto r = CheckPasswordStrength(common, "alice", PasswordPolicy{});
    ASSERT_FALSE(r) << common;
    EXPECT_EQ(r.error().field_violations[0].code, "common_password") << common;
  }
}

TEST(PasswordPolicyTest, RejectsRepeatsAndTheUsername) {
  EXPECT_EQ(CheckPasswordStrength("aaaaaaaaaaaa", "bob", {}).error().field_violations[0].code,
            "too_simple");
  EXPECT_EQ(CheckPasswordStrength("xx-Alice-2026!", "alice", {}).error().field_violations[0].code,
            "contains_username");
}

TEST(PasswordPolicyTest, RejectsOverlongPasswordsAndNamesTheGivenField) {
  auto r = CheckPasswordStrength(std::string(200, 'x') + "y", "bob", {}, "new_password");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field_violations[0].code, "too_long");
  EXPECT_EQ(r.error().field_violations[0].field, "new_password");
}

TEST(PasswordPolicyTest, AcceptsAReasonablePassword) {
  EXPECT_TRUE(CheckPasswordStrength("Loan-officer-2026", "alice", {}));
}

}  // namespace
}  // namespace oc::auth
