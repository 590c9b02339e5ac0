#include "expr/regex.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace oc::expr {
namespace {

using ::testing::HasSubstr;

// A backtracking matcher tries every way of splitting the run of "a" among the groups before it
// can answer no: "(a+)+$" has 2^(n-1) splits of n letters, "(a|aa)*b" Fibonacci(n) many, so
// 100,000 letters would take longer than the universe has existed. RE2's automaton reads each
// byte once, so these finish like any other search. Only the result is asserted: the test hangs
// if matching is not linear, and a timing assertion would flake.
TEST(RegexTest, PatternsThatBacktrackExponentiallyFinishOnLongInput) {
  const std::string letters(100'000, 'a');
  auto nested = Regex::Compile("(a+)+$");
  ASSERT_TRUE(nested);
  EXPECT_FALSE(nested->Search(letters + "!"));
  EXPECT_TRUE(nested->Search(letters));

  auto alternation = Regex::Compile("(a|aa)*b");
  ASSERT_TRUE(alternation);
  EXPECT_FALSE(alternation->Search(letters));
  EXPECT_TRUE(alternation->Search(letters + "b"));
}

TEST(RegexTest, MatchesCharactersNotBytes) {
  auto two = Regex::Compile("^..$");
  ASSERT_TRUE(two);
  EXPECT_TRUE(two->Search("张三"));
  EXPECT_FALSE(two->Search("张三丰"));
}

TEST(RegexTest, RejectsPatternsOverTheSizeLimits) {
  auto long_pattern = Regex::Compile(std::string(Regex::kMaxPatternBytes + 1, 'a'));
  ASSERT_FALSE(long_pattern);
  EXPECT_TRUE(long_pattern.error().too_costly);

  auto nested_counts = Regex::Compile("(((a{20}){20}){20})");
  ASSERT_FALSE(nested_counts);
  EXPECT_TRUE(nested_counts.error().too_costly);

  auto count = Regex::Compile("a{" + std::to_string(Regex::kMaxRepeat + 1) + "}");
  ASSERT_FALSE(count);
  EXPECT_TRUE(count.error().too_costly);
  EXPECT_TRUE(Regex::Compile("a{" + std::to_string(Regex::kMaxRepeat) + "}"));

  // Each "." is a small automaton of its own in UTF-8, so this program has about 8,000
  // instructions although its counts multiply to only 1,000.
  auto program = Regex::Compile("(.{100}){10}");
  ASSERT_FALSE(program);
  EXPECT_TRUE(program.error().too_costly);
  EXPECT_THAT(program.error().en_us, HasSubstr("too many steps"));
}

TEST(RegexTest, BracesInsideEscapesClassesAndQuotedTextAreNotRepetitions) {
  EXPECT_TRUE(Regex::Compile("[{101}]"));
  EXPECT_TRUE(Regex::Compile("\\{101}"));
  EXPECT_TRUE(Regex::Compile("\\Qa{101}\\E"));
  EXPECT_TRUE(Regex::Compile("\\x{4e00}{2}"));
  EXPECT_TRUE(Regex::Compile("[[:alpha:]{]{3}"));
}

TEST(RegexTest, ReportsMalformedPatternsAsNotCostly) {
  auto bad = Regex::Compile("(ab");
  ASSERT_FALSE(bad);
  EXPECT_FALSE(bad.error().too_costly);
  EXPECT_EQ(bad.error().en_us, "missing ')'");
  EXPECT_EQ(bad.error().zh_cn, "缺少“)”");

  auto reversed = Regex::Compile("a{5,2}");
  ASSERT_FALSE(reversed);
  EXPECT_FALSE(reversed.error().too_costly);
  EXPECT_EQ(reversed.error().en_us, "invalid repetition range '{5,2}'");
}

// Syntax other regex dialects have and RE2 does not: each is refused with a message that names
// it, in both languages, rather than a generic syntax error.
TEST(RegexTest, RefusesSyntaxRe2DoesNotRunWithAMessageNamingIt) {
  struct Case {
    const char* pattern;
    const char* en_us;
    const char* zh_cn;
  };
  const Case cases[] = {
      {"(a)\\1", "backreferences such as '\\1' are not supported", "不支持反向引用“\\1”"},
      {"(?=a)", "lookahead '(?=' is not supported", "不支持先行断言“(?=”"},
      {"(?<!a)b", "lookbehind", "不支持后行断言"},
      {"(?>a)", "unsupported group or flag syntax '(?>'", "不支持的分组或标志语法“(?>”"},
      {"a**", "quantifiers cannot be stacked ('**')", "量词不能叠加“**”"},
      {"a{3}{1,2}", "quantifiers cannot be stacked ('{3}{1,2}')", "量词不能叠加“{3}{1,2}”"},
      {"\\u4e00", "write \\x{4e00}", "请写作 \\x{4e00}"},
      {"a\\C", "'\\C' is not supported", "不支持“\\C”"},
      {"a{01}", "cannot start with 0", "不能以 0 开头"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pattern);
    auto re = Regex::Compile(c.pattern);
    ASSERT_FALSE(re);
    EXPECT_FALSE(re.error().too_costly);
    EXPECT_THAT(re.error().en_us, HasSubstr(c.en_us));
    EXPECT_THAT(re.error().zh_cn, HasSubstr(c.zh_cn));
  }
}

}  // namespace
}  // namespace oc::expr
