#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

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

TEST(RandomTest, NoncesDoNotRepeatAcrossBufferRefillsAndThreads) {
  // 12-byte nonces: 341 fit in one 4 KiB buffer, so this crosses several refills per thread.
  std::vector<std::string> a, b;
  std::thread other([&] {
    for (int i = 0; i < 2000; ++i) b.push_back(RandomNonce(12));
  });
  for (int i = 0; i < 2000; ++i) a.push_back(RandomNonce(12));
  other.join();
  std::set<std::string> seen;
  for (const auto* list : {&a, &b}) {
    for (const auto& nonce : *list) {
      EXPECT_EQ(nonce.size(), 12u);
      EXPECT_TRUE(seen.insert(nonce).second);
    }
  }
  EXPECT_EQ(RandomNonce(64).size(), 64u);
  EXPECT_EQ(RandomNonce(0), "");
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
