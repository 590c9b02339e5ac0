#include "crypto/mac_keyring.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "crypto/master_key.h"

namespace oc::crypto {
namespace {

std::vector<FieldKey> Keys(std::initializer_list<std::pair<uint32_t, char>> spec) {
  std::vector<FieldKey> keys;
  for (auto [id, fill] : spec) keys.push_back({id, std::string(kFieldKeySize, fill)});
  return keys;
}

TEST(MacKeyringTest, SealsUnderTheActiveKeyAndVerifiesUnderEveryConfiguredOne) {
  auto old_only =
      MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{1, 'a'}}), 1, MacKeyring::kAuditChain);
  ASSERT_TRUE(old_only);
  const std::string sealed_before_rotation = old_only->Mac("entry 1");
  EXPECT_EQ(sealed_before_rotation.size(), 32u);

  auto rotated = MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{2, 'b'}, {1, 'a'}}), 2,
                                    MacKeyring::kAuditChain);
  ASSERT_TRUE(rotated);
  EXPECT_EQ(rotated->active_key_id(), 2u);
  EXPECT_EQ(rotated->MacWith(1, "entry 1"), sealed_before_rotation);
  EXPECT_NE(rotated->Mac("entry 1"), sealed_before_rotation);
  EXPECT_EQ(rotated->MacWith(3, "entry 1"), std::nullopt);
}

// The MAC key is derived, never the master key itself, and differs by purpose and by suite.
TEST(MacKeyringTest, TheKeyIsDerivedForItsPurposeAndSuite) {
  const std::string master(kFieldKeySize, 'k');
  auto chain =
      MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{1, 'k'}}), 1, MacKeyring::kAuditChain);
  auto other = MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{1, 'k'}}), 1, "other/v1");
  auto sm = MacKeyring::Derive(CipherSuite::kSm4Gcm, Keys({{1, 'k'}}), 1, MacKeyring::kAuditChain);
  ASSERT_TRUE(chain && other && sm);
  EXPECT_NE(chain->Mac("x"), HmacSha256(master, "x"));
  EXPECT_NE(chain->Mac("x"), other->Mac("x"));
  EXPECT_NE(chain->Mac("x"), sm->Mac("x"));
  EXPECT_EQ(chain->Mac("x"), chain->Mac("x"));
}

TEST(MacKeyringTest, BadKeysAreRefusedWithoutNamingTheirMaterial) {
  EXPECT_EQ(
      MacKeyring::Derive(CipherSuite::kAes256Gcm, {}, 1, MacKeyring::kAuditChain).error().code,
      ErrorCode::kInvalidArgument);
  auto short_key =
      MacKeyring::Derive(CipherSuite::kAes256Gcm, {{1, "short"}}, 1, MacKeyring::kAuditChain);
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().message.en_us.find("short"), std::string::npos);
  EXPECT_FALSE(MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{1, 'a'}, {1, 'b'}}), 1,
                                  MacKeyring::kAuditChain));
  EXPECT_FALSE(
      MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{1, 'a'}}), 2, MacKeyring::kAuditChain));
}

TEST(MacKeyringTest, TheConfiguredSpecsFirstKeyIsActive) {
  const std::string spec = "2:" + std::string("YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmI=") +
                           ",1:" + std::string("YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=");
  auto keys = MacKeyringFromConfig(spec, CipherSuite::kAes256Gcm, MacKeyring::kAuditChain);
  ASSERT_TRUE(keys) << keys.error().message.en_us;
  EXPECT_EQ(keys->active_key_id(), 2u);
  auto direct = MacKeyring::Derive(CipherSuite::kAes256Gcm, Keys({{2, 'b'}, {1, 'a'}}), 2,
                                   MacKeyring::kAuditChain);
  EXPECT_EQ(keys->MacWith(1, "x"), direct->MacWith(1, "x"));
  EXPECT_FALSE(MacKeyringFromConfig("", CipherSuite::kAes256Gcm, MacKeyring::kAuditChain));
}

}  // namespace
}  // namespace oc::crypto
