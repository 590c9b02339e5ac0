#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>

namespace oc::crypto {
namespace {

TEST(RandomTest, RandomBytesHasTheRequestedLength) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(1000).size(), 1000u);
}

TEST(RandomTest, RandomBytesDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomBytes(16)).second);
}

TEST(RandomTest, RandomTokenIsUnpaddedBase64UrlOfTheRequestedEntropy) {
  std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, unpadded
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(RandomToken(3).size(), 4u);
  EXPECT_NE(RandomToken(), RandomToken());
}

}  // namespace
}  // namespace oc::crypto
