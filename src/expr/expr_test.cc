#include "expr/expr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace oc::expr {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

Schema CreditSchema() {
  auto schema = Schema::Create({{"负债率", Type::Of(TypeKind::kNumber)},
                                {"逾期天数", Type::Of(TypeKind::kInteger)},
                                {"客户类型", Type::Of(TypeKind::kText)}});
  EXPECT_TRUE(schema.has_value());
  return *schema;
}

TEST(CompileTest, ReportsEveryIndependentNameError) {
  Schema schema = CreditSchema();
  auto compiled = Compile("负债率2 > 0.8 AND 逾期天 >= 3 AND FOO(1)", schema);
  ASSERT_FALSE(compiled);
  EXPECT_THAT(compiled.error(), ElementsAre(Field(&Diagnostic::code, "unknown_field"),
                                            Field(&Diagnostic::code, "unknown_field"),
                                            Field(&Diagnostic::code, "unknown_function")));
}

TEST(CompileTest, PositionsCountLinesAndCharacters) {
  Schema schema = CreditSchema();
  auto compiled = Compile("IF(负债率 > 0.8,\n   \"高\",\n   逾期 )", schema);
  ASSERT_FALSE(compiled);
  const Diagnostic& d = compiled.error().front();
  EXPECT_EQ(d.code, "unknown_field");
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 4);
  EXPECT_EQ(d.offset, 25);
  EXPECT_EQ(d.length, 2);
  EXPECT_THAT(d.message.en_us, ::testing::HasSubstr("did you mean '逾期天数'"));
}

TEST(CompileTest, ConditionMustBeBooleanWhenRequested) {
  Schema schema = CreditSchema();
  CompileOptions options;
  options.expected_type = Type::Of(TypeKind::kBoolean);
  auto compiled = Compile("负债率 * 2", schema, options);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().front().code, "wrong_result_type");
}

TEST(RenameFieldsTest, RenamesReferencesOnlyAndBracesNamesThatNeedIt) {
  auto rename = [](std::string_view name) -> std::optional<std::string> {
    if (name == "负债率") return "debt_ratio";
    if (name == "amount") return "Loan amount";
    if (name == "flag") return "and";
    return std::nullopt;
  };
  auto renamed =
      RenameFields(R"(IF(负债率 > 0.8, "负债率", amount) & {负债率} & flag & other)", rename);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(*renamed,
            R"(IF(debt_ratio > 0.8, "负债率", {Loan amount}) & debt_ratio & {and} & other)");
  EXPECT_FALSE(RenameFields("负债率 >", rename));
}

TEST(CompileTest, ListsReferencedFieldsOnce) {
  Schema schema = CreditSchema();
  auto compiled = Compile("逾期天数 > 3 OR 负债率 > 0.8 OR 逾期天数 < 0", schema);
  ASSERT_TRUE(compiled);
  EXPECT_THAT(compiled->referenced_fields(), ElementsAre("逾期天数", "负债率"));
}

TEST(CompileTest, DeepNestingIsAnErrorNotACrash) {
  Schema schema;
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  auto compiled = Compile(deep, schema);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().front().code, "expression_too_deep");
  std::string chain = "1";
  for (int i = 0; i < 1000; ++i) chain += " + 1";
  compiled = Compile(chain, schema);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().front().code, "expression_too_deep");
}

TEST(CompileTest, RejectsOverlongSourceAndInvalidUtf8) {
  Schema schema;
  CompileOptions options;
  options.max_source_bytes = 8;
  auto long_source = Compile("1 + 2 + 3 + 4", schema, options);
  ASSERT_FALSE(long_source);
  EXPECT_EQ(long_source.error().front().code, "expression_too_long");
  auto bad_utf8 = Compile("\"a\" & \xE5\x80", schema);
  ASSERT_FALSE(bad_utf8);
  EXPECT_EQ(bad_utf8.error().front().code, "invalid_utf8");
  EXPECT_EQ(bad_utf8.error().front().column, 7);
  auto bad_text = Compile("\"\xFF\"", schema);
  ASSERT_FALSE(bad_text);
  EXPECT_EQ(bad_text.error().front().code, "invalid_utf8");
}

TEST(SchemaTest, RejectsDuplicateAndEmptyNames) {
  auto duplicate = Schema::Create({{"a", Type::Of(TypeKind::kText)}, {"a", Type::Of(TypeKind::kText)}});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().field_violations.front().code, "duplicate_name");
  auto empty = Schema::Create({{"", Type::Of(TypeKind::kText)}});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field_violations.front().code, "empty_name");
}

TEST(RecordTest, SetChecksNamesAndTypesAndWidensIntegers) {
  Schema schema = CreditSchema();
  Record record(schema);
  auto unknown = record.Set("nope", Value::Integer(1));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto wrong = record.Set("客户类型", Value::Integer(1));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(wrong.error().field_violations.front().code, "wrong_type");
  ASSERT_TRUE(record.Set("负债率", Value::Integer(1)));
  EXPECT_EQ(record.Get(0).kind(), TypeKind::kNumber);
}

TEST(EvaluateTest, RejectsARecordOfAnotherSchema) {
  Schema schema = CreditSchema();
  auto compiled = Compile("逾期天数 > 3", schema);
  ASSERT_TRUE(compiled);
  auto other = Schema::Create({{"逾期天数", Type::Of(TypeKind::kNumber)}});
  ASSERT_TRUE(other);
  Record record(*other);
  auto v = Evaluate(*compiled, record, EvalContext{});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "record_mismatch");
}

TEST(EvaluateTest, NullConditionCountsAsFalse) {
  Schema schema = CreditSchema();
  auto compiled = Compile("负债率 > 0.8", schema);
  ASSERT_TRUE(compiled);
  Record record(schema);
  auto v = EvaluateCondition(*compiled, record, EvalContext{});
  ASSERT_TRUE(v);
  EXPECT_FALSE(*v);
}

TEST(EvaluateTest, TodayFollowsTheClockInTheContextZone) {
  Schema schema;
  auto compiled = Compile("TODAY()", schema);
  ASSERT_TRUE(compiled);
  Instant instant;
  ASSERT_TRUE(ParseInstant("2024-03-15T17:00:00Z", &instant));
  FakeClock clock(instant);
  EvalContext ctx;
  ctx.clock = &clock;
  Record record(schema);
  EXPECT_EQ(Evaluate(*compiled, record, ctx)->date().ToString(), "2024-03-16");  // UTC+8
  ctx.utc_offset_minutes = 0;
  EXPECT_EQ(Evaluate(*compiled, record, ctx)->date().ToString(), "2024-03-15");
  ctx.today = Date::Parse("2024-01-02");  // the business date wins over the clock
  EXPECT_EQ(Evaluate(*compiled, record, ctx)->date().ToString(), "2024-01-02");
}

TEST(EvaluateTest, RuntimeErrorsCarryThePositionOfTheFailingPart) {
  Schema schema;
  auto compiled = Compile("1 + (2 / 0)", schema);
  ASSERT_TRUE(compiled);
  Record record(schema);
  auto v = Evaluate(*compiled, record, EvalContext{});
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, "division_by_zero");
  EXPECT_EQ(v.error().column, 5);
  EXPECT_EQ(v.error().length, 7);
  EXPECT_EQ(v.error().message.zh_cn, "除数为零");
}

TEST(ExplainTest, ReturnsEachEvaluatedSubExpression) {
  Schema schema = CreditSchema();
  auto compiled = Compile("负债率 > 0.8 OR 逾期天数 >= 3", schema);
  ASSERT_TRUE(compiled);
  Record record(schema);
  ASSERT_TRUE(record.Set("负债率", Value::Number(*Decimal::Parse("0.83"))));
  ASSERT_TRUE(record.Set("逾期天数", Value::Integer(5)));
  auto explained = Explain(*compiled, record, EvalContext{});
  ASSERT_TRUE(explained);
  EXPECT_EQ(explained->value, Value::Boolean(true));
  std::vector<std::string> lines;
  for (const auto& step : explained->steps) {
    lines.push_back(std::string(size_t(step.depth) * 2, ' ') + step.text + " = " +
                    step.value.ToLiteral());
  }
  // OR stopped at the first true operand, so 逾期天数 >= 3 was never evaluated.
  EXPECT_THAT(lines, ElementsAre("    负债率 = 0.83", "    0.8 = 0.8", "  负债率 > 0.8 = true",
                                 "负债率 > 0.8 OR 逾期天数 >= 3 = true"));
}

TEST(EvaluateTest, OneCompiledExpressionServesManyThreads) {
  Schema schema = CreditSchema();
  auto compiled = Compile(R"(AND(负债率 > 0.8, 逾期天数 >= 3, 客户类型 = "个人"))", schema);
  ASSERT_TRUE(compiled);
  std::vector<std::thread> threads;
  std::atomic<int> trues{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Record record(schema);
      record.SetSlot(0, Value::Number(*Decimal::Parse("0.9")));
      record.SetSlot(1, Value::Integer(t));
      record.SetSlot(2, Value::Text("个人"));
      for (int i = 0; i < 1000; ++i) {
        if (*EvaluateCondition(*compiled, record, EvalContext{}) && i == 0) ++trues;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(trues.load(), 1);  // only the thread with 逾期天数 = 3
}

TEST(FunctionNamesTest, IncludesEveryFunctionOfTheLanguage) {
  auto names = FunctionNames();
  for (const char* fn : {"IF",
                         "IFS",
                         "SWITCH",
                         "AND",
                         "OR",
                         "NOT",
                         "ISBLANK",
                         "COALESCE",
                         "SUM",
                         "MIN",
                         "MAX",
                         "AVERAGE",
                         "COUNT",
                         "ROUND",
                         "ROUNDUP",
                         "ROUNDDOWN",
                         "INT",
                         "ABS",
                         "MOD",
                         "POWER",
                         "SQRT",
                         "LEN",
                         "LEFT",
                         "RIGHT",
                         "MID",
                         "FIND",
                         "CONTAINS",
                         "STARTSWITH",
                         "UPPER",
                         "LOWER",
                         "TRIM",
                         "SUBSTITUTE",
                         "TEXT",
                         "VALUE",
                         "CONCAT",
                         "REGEXMATCH",
                         "TODAY",
                         "NOW",
                         "DATE",
                         "YEAR",
                         "MONTH",
                         "DAY",
                         "WEEKDAY",
                         "DAYS",
                         "DATEDIF",
                         "EDATE",
                         "EOMONTH",
                         "ADDDAYS",
                         "WORKDAY",
                         "NETWORKDAYS",
                         "ISWORKDAY",
                         "IDCARD_VALID",
                         "IDCARD_BIRTHDATE",
                         "IDCARD_GENDER",
                         "IDCARD_AGE",
                         "USCC_VALID",
                         "LUHN_VALID",
                         "PMT"}) {
    EXPECT_THAT(names, ::testing::Contains(fn));
  }
}

TEST(DiagnosticTest, ToErrorNamesTheExpressionField) {
  Schema schema;
  auto compiled = Compile("1 +", schema);
  ASSERT_FALSE(compiled);
  Error error = ToError(compiled.error());
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(error.field_violations.size(), 1u);
  EXPECT_EQ(error.field_violations[0].field, "expression");
  EXPECT_EQ(error.field_violations[0].code, "unexpected_end");
}

}  // namespace
}  // namespace oc::expr
