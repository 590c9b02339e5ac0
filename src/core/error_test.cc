#include "core/error.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return InvalidField("value", "not_positive", {"必须为正数", "must be positive"});
  return value;
}

Result<int> Doubled(int value) {
  ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status Check(int value) {
  RETURN_IF_ERROR(ParsePositive(value));
  return Ok();
}

TEST(ErrorTest, AssignOrReturnPropagatesTheFirstError) {
  auto bad = Doubled(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(bad.error().field_violations.size(), 1u);
  EXPECT_EQ(bad.error().field_violations[0].field, "value");
  EXPECT_EQ(*Doubled(4), 8);
}

TEST(ErrorTest, ReturnIfErrorPassesOkThrough) {
  EXPECT_TRUE(Check(3));
  EXPECT_EQ(Check(0).error().field_violations[0].code, "not_positive");
}

TEST(ErrorTest, MessagePicksTheRequestLanguageAndFallsBackToChinese) {
  Message m{"中文", "English"};
  EXPECT_EQ(m.In("en-US"), "English");
  EXPECT_EQ(m.In("EN"), "English");
  EXPECT_EQ(m.In("zh-CN"), "中文");
  EXPECT_EQ(m.In(""), "中文");
  Message only_english{"", "English"};
  EXPECT_EQ(only_english.In("zh-CN"), "English");
}

TEST(ErrorTest, InternalNeverShowsItsDetailInTheMessage) {
  Error e = Internal("sqlite: no such table users");
  EXPECT_EQ(e.code, ErrorCode::kInternal);
  EXPECT_EQ(e.message.en_us.find("sqlite"), std::string::npos);
  EXPECT_EQ(ErrorCodeName(e.code), "internal");
}

}  // namespace
}  // namespace oc
