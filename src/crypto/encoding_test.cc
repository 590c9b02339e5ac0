#include "crypto/encoding.h"

#include <gtest/gtest.h>

namespace oc::crypto {
namespace {

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

TEST(EncodingTest, HexEncodesLowerCase) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

TEST(EncodingTest, HexRoundTripsEveryByteValueAndAcceptsUpperCase) {
  std::string bytes = AllByteValues();
  EXPECT_EQ(HexDecode(HexEncode(bytes)), bytes);
  EXPECT_EQ(HexDecode("ABFF"), std::string("\xab\xff", 2));
}

TEST(EncodingTest, HexDecodeRejectsOddLengthAndNonHexCharacters) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
  EXPECT_EQ(HexDecode("0g"), std::nullopt);
  EXPECT_EQ(HexDecode(" 00"), std::nullopt);
  EXPECT_EQ(HexDecode(""), std::string());
}

// RFC 4648 §10 test vectors.
TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode(""), "");
}

TEST(EncodingTest, Base64RoundTripsEveryLengthAndByteValue) {
  std::string bytes = AllByteValues();
  for (size_t length = 0; length <= bytes.size(); ++length) {
    std::string prefix = bytes.substr(0, length);
    ASSERT_EQ(Base64Decode(Base64Encode(prefix)), prefix) << length;
  }
}

TEST(EncodingTest, Base64DecodeRejectsMalformedText) {
  EXPECT_EQ(Base64Decode("Zg"), std::nullopt);        // missing padding
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);       // length not a multiple of 4
  EXPECT_EQ(Base64Decode("Z==="), std::nullopt);      // too much padding
  EXPECT_EQ(Base64Decode("Zg==Zg=="), std::nullopt);  // padding in the middle
  EXPECT_EQ(Base64Decode("Zm9v\n"), std::nullopt);    // whitespace
  EXPECT_EQ(Base64Decode("Zm-_"), std::nullopt);      // url alphabet
  EXPECT_EQ(Base64Decode("Zh=="), std::nullopt);      // non-zero unused bits
  EXPECT_EQ(Base64Decode("Zm9="), std::nullopt);      // non-zero unused bits
}

TEST(EncodingTest, Base64UrlUsesUrlAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff", 2)), "+/8=");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
}

}  // namespace
}  // namespace oc::crypto
