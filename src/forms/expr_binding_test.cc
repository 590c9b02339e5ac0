#include "forms/expr_binding.h"

#include <gtest/gtest.h>

namespace oc::forms {
namespace {

FieldDef Field(std::string key, std::string zh, std::string en, FieldType type) {
  FieldDef field;
  field.name = std::move(key);
  field.label = {std::move(zh), std::move(en)};
  field.type = type;
  return field;
}

EntityDef Application() {
  EntityDef entity;
  entity.key = "loan_application";
  entity.fields = {Field("debt_ratio", "负债率", "Debt ratio", FieldType::kPercent),
                   Field("amount", "贷款金额", "Loan amount", FieldType::kMoney),
                   Field("channel", "渠道", "Channel", FieldType::kSingleSelect),
                   // Two fields whose label is the same: neither label names a field.
                   Field("note_a", "备注", "Note A", FieldType::kText),
                   Field("note_b", "备注", "Note B", FieldType::kText),
                   // A label that is another field's key names that field, not this one.
                   Field("source", "amount", "Source", FieldType::kText)};
  return entity;
}

TEST(ExprBindingTest, WhatStaffTypeWithLabelsIsStoredWithKeys) {
  auto binding = ExprBinding::Of(Application());
  ASSERT_TRUE(binding);
  auto stored = binding->ToStored(
      R"(负债率 > 0.8 AND {Loan amount} >= 100000 AND 渠道 = "渠道" AND amount < 5000000)");
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored,
            R"(debt_ratio > 0.8 AND amount >= 100000 AND channel = "渠道" AND amount < 5000000)");
  auto compiled = binding->Compile(*stored);
  ASSERT_TRUE(compiled);
  EXPECT_EQ(compiled->referenced_fields(),
            (std::vector<std::string>{"debt_ratio", "amount", "channel"}));

  // Ambiguous labels stay as typed, so compiling names them as unknown.
  auto ambiguous = binding->ToStored(R"(备注 = "x")");
  ASSERT_TRUE(ambiguous);
  EXPECT_EQ(*ambiguous, R"(备注 = "x")");
  EXPECT_FALSE(binding->Compile(*ambiguous));
  EXPECT_FALSE(binding->ToStored("负债率 >"));
}

TEST(ExprBindingTest, RenamingALabelNeitherBreaksNorChangesAStoredExpression) {
  auto before = ExprBinding::Of(Application());
  ASSERT_TRUE(before);
  const std::string stored = *before->ToStored("负债率 > 0.8 AND 贷款金额 >= 100000");

  EntityDef renamed = Application();
  renamed.fields[0].label = {"资产负债率", "Debt-to-asset ratio"};
  auto after = ExprBinding::Of(renamed);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->Compile(stored));
  EXPECT_EQ(*after->ForDisplay(stored, "zh-CN"), "资产负债率 > 0.8 AND 贷款金额 >= 100000");
  EXPECT_EQ(*after->ForDisplay(stored, "en-US"),
            "{Debt-to-asset ratio} > 0.8 AND {Loan amount} >= 100000");
  // The old label is no longer a name of the field.
  EXPECT_FALSE(after->Compile(*after->ToStored("负债率 > 0.8")));
}

TEST(ExprBindingTest, TypedExpressionsCompileWithPositionsInTheTextAsTyped) {
  auto binding = ExprBinding::Of(Application());
  ASSERT_TRUE(binding);
  auto typed = binding->CompileTyped(R"(负债率 > "高")");
  ASSERT_FALSE(typed);
  // 负债率 > "高" is nine characters; the stored form would be longer.
  EXPECT_LE(typed.error().at(0).offset + typed.error().at(0).length, 9);
  EXPECT_TRUE(binding->CompileTyped("{Debt ratio} > 0.8 AND debt_ratio < 1"));
  EXPECT_EQ(binding->schema().size(), 6u);
  EXPECT_EQ(ExprTypeOf(FieldType::kMoney), expr::Type::Of(expr::TypeKind::kNumber));
  EXPECT_EQ(ExprTypeOf(FieldType::kMultiSelect), expr::Type::ListOf(expr::TypeKind::kText));
}

}  // namespace
}  // namespace oc::forms
