#include "http/target.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace oc::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(TargetTest, DecodesPathAndQuery) {
  auto decoded = DecodeTarget("/api/v1/customers/%E5%BC%A0%E4%B8%89?name=a+b%2Bc&tag=x&tag=y&flag");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->path, "/api/v1/customers/张三");
  EXPECT_THAT(decoded->query, ElementsAre(Pair("flag", ""), Pair("name", "a b+c"),
                                          Pair("tag", "x"), Pair("tag", "y")));
}

TEST(TargetTest, PlusIsLiteralInPath) {
  auto decoded = DecodeTarget("/files/a+b");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->path, "/files/a+b");
}

TEST(TargetTest, EmptyQueryPiecesAreSkipped) {
  auto decoded = DecodeTarget("/x?&&a=1&");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_THAT(decoded->query, ElementsAre(Pair("a", "1")));
}

TEST(TargetTest, RejectsInvalidPercentEncoding) {
  for (std::string_view target : {"/a%", "/a%4", "/a%zz", "/a?x=%G1", "/a?%=1"}) {
    auto decoded = DecodeTarget(target);
    ASSERT_FALSE(decoded.has_value()) << target;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument) << target;
  }
}

TEST(TargetTest, RejectsNulAndInvalidUtf8) {
  EXPECT_FALSE(DecodeTarget("/a%00b").has_value());
  EXPECT_FALSE(DecodeTarget("/a?x=%00").has_value());
  EXPECT_FALSE(DecodeTarget("/a%FF").has_value());
  EXPECT_FALSE(DecodeTarget("/a%C0%AF").has_value());  // overlong '/'
}

TEST(TargetTest, RejectsDotDotSegmentsAfterDecoding) {
  EXPECT_FALSE(DecodeTarget("/../etc/passwd").has_value());
  EXPECT_FALSE(DecodeTarget("/static/%2e%2e/%2E%2E/etc/passwd").has_value());
  EXPECT_FALSE(DecodeTarget("/a/..").has_value());
  EXPECT_TRUE(DecodeTarget("/a/..b/c..").has_value());
}

TEST(TargetTest, RejectsTargetsThatAreNotOriginForm) {
  EXPECT_FALSE(DecodeTarget("").has_value());
  EXPECT_FALSE(DecodeTarget("*").has_value());
  EXPECT_FALSE(DecodeTarget("http://example.com/").has_value());
}

TEST(TargetTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("信贷 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xBF"));          // truncated
}

}  // namespace
}  // namespace oc::http
