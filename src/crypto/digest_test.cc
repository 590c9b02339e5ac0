#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.h"

namespace oc::crypto {
namespace {

std::string Hex(std::string_view bytes) { return HexEncode(bytes); }
std::string Unhex(std::string_view hex) { return HexDecode(hex).value(); }

// FIPS 180-2 appendix B.
TEST(DigestTest, Sha256MatchesFips180Vectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256("abc").size(), 32u);
  EXPECT_EQ(Hex(Sha256("abc")), Sha256Hex("abc"));
}

// RFC 4231 §4.
TEST(DigestTest, HmacSha256MatchesRfc4231Vectors) {
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(Hex(HmacSha256(Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                           std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 6: a key longer than the block size is hashed first.
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(DigestTest, HmacWithAnEmptyKeyDoesNotReuseThePreviousKey) {
  // The per-thread MAC context has just been keyed with "secret"; an empty key must not inherit it.
  std::string keyed = HmacSha256("secret", "");
  EXPECT_EQ(Hex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_NE(keyed, HmacSha256("", ""));
}

TEST(DigestTest, HmacGivesTheSameAnswerWhicheverKeysWereUsedBefore) {
  // More keys than each thread keeps keyed contexts for, cycled twice, in both algorithms.
  std::vector<std::string> first;
  for (int round = 0; round < 2; ++round) {
    for (int k = 0; k < 6; ++k) {
      std::string key(static_cast<size_t>(k) * 7, static_cast<char>('a' + k));
      std::string mac = HmacSha256(key, "data") + HmacSm3(key, "data");
      if (round == 0) {
        first.push_back(mac);
      } else {
        EXPECT_EQ(mac, first[k]) << k;
      }
    }
    EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}

// GB/T 32905-2016 appendix A.
TEST(DigestTest, Sm3MatchesGbt32905Vectors) {
  EXPECT_EQ(Hex(Sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string abcd_16;
  for (int i = 0; i < 16; ++i) abcd_16 += "abcd";
  EXPECT_EQ(Hex(Sm3(abcd_16)), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

// Expected values cross-checked with `openssl dgst -sm3 -hmac`.
TEST(DigestTest, HmacSm3MatchesReferenceValues) {
  EXPECT_EQ(Hex(HmacSm3(std::string(20, '\x0b'), "Hi There")),
            "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70");
  EXPECT_EQ(Hex(HmacSm3("Jefe", "what do ya want for nothing?")),
            "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");
  EXPECT_NE(HmacSm3("Jefe", "x"), HmacSha256("Jefe", "x"));
}

TEST(DigestTest, ThreadsComputeIndependently) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);  // not vector<bool>: its packed bits would race
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      bool all = true;
      for (int i = 0; i < 200; ++i) {
        all = all && Hex(HmacSha256("Jefe", "what do ya want for nothing?")) ==
                         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        all = all && Hex(Sm3("abc")).starts_with("66c7f0f4");
      }
      ok[t] = all;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
}

TEST(DigestTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace oc::crypto
