#include "app/expr_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace oc::app {
namespace {

using ::testing::HasSubstr;

std::pair<int, std::string> RunCommand(ExprCommandOptions options, bool evaluate = true) {
  std::ostringstream out;
  int code = RunExprCommand(options, evaluate, out);
  return {code, out.str()};
}

TEST(ExprCommandTest, EvalPrintsValueAndType) {
  auto [code, out] = RunCommand({.expression = "0.1 + 0.2"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "{\"value\":\"0.3\",\"type\":\"number\"}\n");
}

TEST(ExprCommandTest, EvalInfersTheSchemaFromVars) {
  auto [code, out] = RunCommand({.expression = R"(AND(负债率 > 0.8, 逾期天数 >= 3, 客户类型 = "个人"))",
                          .vars_json = R"({"负债率": 0.83, "逾期天数": 5, "客户类型": "个人"})"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "{\"value\":true,\"type\":\"boolean\"}\n");
}

TEST(ExprCommandTest, EvalCountsWorkingDaysByTheShippedNationalCalendar) {
  // 2026: National Day 10/1–10/7, and Saturday 10/10 worked instead (调休).
  EXPECT_EQ(RunCommand({.expression = "WORKDAY(DATE(2026, 9, 30), 1)"}).second,
            "{\"value\":\"2026-10-08\",\"type\":\"date\"}\n");
  EXPECT_EQ(RunCommand({.expression = "ISWORKDAY(DATE(2026, 10, 10))"}).second,
            "{\"value\":true,\"type\":\"boolean\"}\n");
  EXPECT_EQ(RunCommand({.expression = "NETWORKDAYS(DATE(2026, 9, 28), DATE(2026, 10, 11))"}).second,
            "{\"value\":6,\"type\":\"integer\"}\n");
}

TEST(ExprCommandTest, EvalUsesTodayAndSchema) {
  auto [code, out] = RunCommand({.expression = "DAYS(应还款日, TODAY())",
                          .vars_json = R"({"应还款日": "2024-03-18"})",
                          .schema_json = R"([{"name": "应还款日", "type": "date"}])",
                          .today = "2024-03-15"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "{\"value\":3,\"type\":\"integer\"}\n");
}

TEST(ExprCommandTest, ErrorsArePrintedAsJsonWithExitCode2) {
  auto [code, out] = RunCommand({.expression = "SUMM(1)", .language = "en-US"});
  EXPECT_EQ(code, 2);
  EXPECT_THAT(out, HasSubstr("\"code\":\"unknown_function\""));
  EXPECT_THAT(out, HasSubstr("did you mean 'SUM'"));
  EXPECT_THAT(out, HasSubstr("\"line\":1,\"column\":1"));
}

TEST(ExprCommandTest, RuntimeErrorExitsWith2) {
  auto [code, out] = RunCommand({.expression = "1 / 0"});
  EXPECT_EQ(code, 2);
  EXPECT_THAT(out, HasSubstr("division_by_zero"));
}

TEST(ExprCommandTest, CheckOnlyTypeChecks) {
  auto [code, out] = RunCommand({.expression = "1 / 0"}, false);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "{\"valid\":true,\"type\":\"number\",\"referenced_fields\":[]}\n");
}

TEST(ExprCommandTest, MalformedVarsAreReported) {
  auto [code, out] = RunCommand({.expression = "1", .vars_json = "{"});
  EXPECT_EQ(code, 2);
  EXPECT_THAT(out, HasSubstr("invalid_json"));
}

}  // namespace
}  // namespace oc::app
