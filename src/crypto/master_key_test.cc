#include "crypto/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace oc::crypto {
namespace {

namespace fs = std::filesystem;

std::string Key(char fill) { return Base64Encode(std::string(kFieldKeySize, fill)); }

// Each test gets its own directory under the test temp dir, removed afterwards.
class MasterKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("oc_master_key_" + HexEncode(RandomBytes(8)));
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static unsigned Mode(const fs::path& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 07777;
  }

  fs::path dir_;
};

TEST(KeyringFromConfigTest, BareKeyIsKeyOne) {
  auto keyring = KeyringFromConfig(Key('a'), CipherSuite::kAes256Gcm);
  ASSERT_TRUE(keyring) << keyring.error().message.en_us;
  EXPECT_EQ(keyring->active_key_id(), 1u);
  EXPECT_EQ(keyring->suite(), CipherSuite::kAes256Gcm);
}

TEST(KeyringFromConfigTest, FirstEntryIsActiveAndOthersStillDecrypt) {
  auto old_keyring = KeyringFromConfig("1:" + Key('a'), CipherSuite::kSm4Gcm);
  ASSERT_TRUE(old_keyring);
  FieldCipher old_cipher(std::move(*old_keyring));
  std::string old_row = old_cipher.Encrypt("13800138000", "customer.phone").value();

  auto keyring =
      KeyringFromConfig(" 2:" + Key('b') + " , 1:" + Key('a') + "\n", CipherSuite::kSm4Gcm);
  ASSERT_TRUE(keyring) << keyring.error().message.en_us;
  EXPECT_EQ(keyring->active_key_id(), 2u);
  EXPECT_EQ(keyring->index_key_id(), 1u);
  FieldCipher cipher(std::move(*keyring));
  EXPECT_EQ(cipher.Decrypt(old_row, "customer.phone").value(), "13800138000");
}

struct BadSpec {
  std::string spec;
  std::string en_fragment;
  std::string zh_fragment;
};

TEST(KeyringFromConfigTest, RejectsBadSpecsNamingTheProblemWithoutTheKey) {
  std::string secret = Key('s');
  std::string short_key = Base64Encode(std::string(16, 's'));
  std::vector<BadSpec> cases = {
      {"", "No master key", "未配置主密钥"},
      {"  \n", "No master key", "未配置主密钥"},
      {"not base64!", "not valid base64", "base64"},
      {short_key, "decodes to 16 bytes; a key must be 32 bytes", "16 字节"},
      {"1:" + secret + ",1:" + secret, "entry #2 repeats key id 1", "重复"},
      {"1:" + secret + ",", "entry #2 is empty", "为空"},
      {"1:" + secret + "," + secret, "entry #2 has no key id", "缺少密钥编号"},
      {"x:" + secret, "entry #1 has a key id that is not a whole number", "不是"},
      {"4294967296:" + secret, "not a whole number", "不是"},
      {"-1:" + secret, "not a whole number", "不是"},
      {"2:" + secret + ",1:" + secret.substr(0, 43), "entry #2 is not valid base64", "base64"},
  };
  for (const BadSpec& bad : cases) {
    auto keyring = KeyringFromConfig(bad.spec, CipherSuite::kAes256Gcm);
    ASSERT_FALSE(keyring) << bad.spec;
    const Error& error = keyring.error();
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument) << bad.spec;
    EXPECT_NE(error.message.en_us.find(bad.en_fragment), std::string::npos) << error.message.en_us;
    EXPECT_NE(error.message.zh_cn.find(bad.zh_fragment), std::string::npos) << error.message.zh_cn;
    for (const std::string& text :
         {error.message.en_us, error.message.zh_cn, error.internal_detail}) {
      EXPECT_EQ(text.find(secret.substr(0, 12)), std::string::npos) << text;
      EXPECT_EQ(text.find(short_key.substr(0, 12)), std::string::npos) << text;
    }
  }
}

TEST_F(MasterKeyFileTest, CreatesAPrivateKeyFileOnceAndReusesIt) {
  bool created = false;
  auto spec = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_TRUE(spec) << spec.error().internal_detail;
  EXPECT_TRUE(created);
  EXPECT_EQ(Mode(dir_ / "master.key"), 0600u);
  EXPECT_TRUE(spec->starts_with("1:"));
  auto keyring = KeyringFromConfig(*spec, CipherSuite::kAes256Gcm);
  ASSERT_TRUE(keyring) << keyring.error().message.en_us;
  EXPECT_EQ(keyring->active_key_id(), 1u);

  auto again = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_TRUE(again);
  EXPECT_FALSE(created);
  EXPECT_EQ(*again, *spec);
  // No temporary file is left beside the key.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(MasterKeyFileTest, ReadsAnOperatorWrittenFile) {
  fs::create_directories(dir_);
  std::string spec = "2:" + Key('b') + ",1:" + Key('a');
  { std::ofstream(dir_ / "master.key") << spec << "\n"; }
  fs::permissions(dir_ / "master.key", fs::perms::owner_read | fs::perms::owner_write);
  bool created = true;
  auto loaded = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_TRUE(loaded) << loaded.error().message.en_us;
  EXPECT_FALSE(created);
  EXPECT_EQ(*loaded, spec);
}

TEST_F(MasterKeyFileTest, RefusesAKeyFileOthersCanRead) {
  bool created = false;
  ASSERT_TRUE(LoadOrCreateKeyFile(dir_, &created));
  fs::permissions(dir_ / "master.key", fs::perms::owner_read | fs::perms::owner_write |
                                           fs::perms::group_read | fs::perms::others_read);
  auto result = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(result.error().message.en_us.find("0644"), std::string::npos);
  EXPECT_NE(result.error().message.en_us.find("chmod 600"), std::string::npos);
  EXPECT_NE(result.error().message.zh_cn.find("chmod 600"), std::string::npos);
  EXPECT_FALSE(created);
}

TEST_F(MasterKeyFileTest, RefusesAGroupWritableKeyFile) {
  bool created = false;
  ASSERT_TRUE(LoadOrCreateKeyFile(dir_, &created));
  fs::permissions(dir_ / "master.key", fs::perms::group_write, fs::perm_options::add);
  auto result = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(MasterKeyFileTest, RefusesADirectoryInPlaceOfTheKeyFile) {
  fs::create_directories(dir_ / "master.key");
  fs::permissions(dir_ / "master.key", fs::perms::owner_all);
  bool created = false;
  auto result = LoadOrCreateKeyFile(dir_, &created);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace oc::crypto
