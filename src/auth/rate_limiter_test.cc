#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

#include "auth/auth_test_fixture.h"

namespace oc::auth {
namespace {

using testing::AuthFixture;

class RateLimiterTest : public AuthFixture {
 protected:
  Result<int64_t> Record(const RateLimit& limit, std::string_view subject) {
    return db_->WriteValue<int64_t>(
        [&](storage::Tx& tx) { return limiter_.Record(tx, limit, subject); });
  }
  std::optional<std::chrono::seconds> RetryAfter(const RateLimit& limit, std::string_view subject) {
    auto retry = db_->ReadValue<std::optional<std::chrono::seconds>>(
        [&](storage::Tx& tx) { return limiter_.RetryAfter(tx, limit, subject); });
    EXPECT_TRUE(retry);
    return retry ? *retry : std::nullopt;
  }

  RateLimiter limiter_{clock_};
  RateLimit three_a_minute_{
      .bucket = "pii_lookup", .max_events = 3, .window = std::chrono::seconds(60)};
};

TEST_P(RateLimiterTest, CountsPerSubjectWithinTheWindowAndSaysWhenTheNextIsAllowed) {
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(Record(three_a_minute_, "user:7"), i);
    clock_.Advance(std::chrono::seconds(10));
  }
  EXPECT_EQ(Record(three_a_minute_, "user:8"), 1) << "another subject has its own count";
  // The first event (at 0 s) leaves the window at 60 s; it is now 30 s.
  EXPECT_EQ(RetryAfter(three_a_minute_, "user:7"), std::chrono::seconds(30));
  EXPECT_EQ(RetryAfter(three_a_minute_, "user:8"), std::nullopt);
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(RetryAfter(three_a_minute_, "user:7"), std::nullopt);
  EXPECT_EQ(Record(three_a_minute_, "user:7"), 3) << "the oldest left the window";
}

TEST_P(RateLimiterTest, BucketsAreCountedApart) {
  RateLimit other = three_a_minute_;
  other.bucket = "duplicate_finding";
  ASSERT_TRUE(Record(three_a_minute_, "user:7"));
  EXPECT_EQ(Record(other, "user:7"), 1);
}

TEST_P(RateLimiterTest, ForgetsASubjectOrEverySubjectWithAPrefix) {
  ASSERT_TRUE(Record(three_a_minute_, "zhang|10.0.0.1"));
  ASSERT_TRUE(Record(three_a_minute_, "zhang|10.0.0.2"));
  ASSERT_TRUE(Record(three_a_minute_, "zhang_x|10.0.0.1"));
  ASSERT_TRUE(Record(three_a_minute_, "zhangsan|10.0.0.1"));
  ASSERT_TRUE(db_->Write(
      [&](storage::Tx& tx) { return limiter_.Forget(tx, three_a_minute_.bucket, "zhang|*"); }));
  auto count = [&](std::string_view subject) {
    return *db_->ReadValue<int64_t>(
        [&](storage::Tx& tx) { return limiter_.Count(tx, three_a_minute_, subject); });
  };
  EXPECT_EQ(count("zhang|10.0.0.1"), 0);
  EXPECT_EQ(count("zhang|10.0.0.2"), 0);
  EXPECT_EQ(count("zhang_x|10.0.0.1"), 1) << "'_' is not a wildcard";
  EXPECT_EQ(count("zhangsan|10.0.0.1"), 1);
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) {
    return limiter_.Forget(tx, three_a_minute_.bucket, "zhangsan|10.0.0.1");
  }));
  EXPECT_EQ(count("zhangsan|10.0.0.1"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RateLimiterTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::auth
