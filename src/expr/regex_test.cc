#include "expr/regex.h"

#include <gtest/gtest.h>

#include <chrono>

namespace oc::expr {
namespace {

TEST(RegexTest, CatastrophicBacktrackingPatternRunsInLinearTime) {
  auto re = Regex::Compile("^(a*)*b$");
  ASSERT_TRUE(re);
  std::u32string input(10000, U'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(re->Search(input));
  auto elapsed = std::chrono::steady_clock::now() - start;
  // std::regex would not finish; the NFA simulation takes milliseconds even under sanitizers.
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(RegexTest, RejectsPatternsOverTheSizeLimits) {
  auto long_pattern = Regex::Compile(std::string(Regex::kMaxPatternBytes + 1, 'a'));
  ASSERT_FALSE(long_pattern);
  EXPECT_TRUE(long_pattern.error().too_costly);
  auto expanded = Regex::Compile("(((a{20}){20}){20})");
  ASSERT_FALSE(expanded);
  EXPECT_TRUE(expanded.error().too_costly);
}

TEST(RegexTest, ReportsMalformedPatternsAsNotCostly) {
  auto bad = Regex::Compile("(ab");
  ASSERT_FALSE(bad);
  EXPECT_FALSE(bad.error().too_costly);
}

}  // namespace
}  // namespace oc::expr
