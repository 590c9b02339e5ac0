#include "forms/entity_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "forms/test_entity.h"

namespace oc::forms {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using testing::FormsTest;
using testing::TestEntity;
using testing::ViolationCodes;

class EntityRegistryTest : public FormsTest {};

TEST(FieldTypeTest, NamesRoundTrip) {
  for (FieldType type : AllFieldTypes()) {
    EXPECT_EQ(FieldTypeFromName(FieldTypeName(type)), type);
  }
  EXPECT_EQ(AllFieldTypes().size(), 11u);
  EXPECT_EQ(FieldTypeFromName("money"), FieldType::kMoney);
  EXPECT_FALSE(FieldTypeFromName("float"));
  EXPECT_EQ(FieldFormatFromName("resident_id"), FieldFormat::kResidentId);
  EXPECT_FALSE(FieldFormatFromName("ssn"));
}

TEST_P(EntityRegistryTest, GetReturnsTheRegisteredBuiltinFieldsInPositionOrder) {
  auto def = Def();
  ASSERT_TRUE(def);
  EXPECT_EQ(def->table, "test_records");
  EXPECT_EQ(def->label.zh_cn, "测试记录");
  ASSERT_EQ(def->fields.size(), 4u);
  EXPECT_EQ(def->fields[0].name, "name");
  EXPECT_EQ(def->fields[3].name, "created_at");
  EXPECT_TRUE(def->Find("id_number")->sensitive);
  EXPECT_EQ(def->fields, TestEntity().fields);
  EXPECT_EQ(def->sections, TestEntity().sections);
}

TEST_P(EntityRegistryTest, GetOfAnUnknownEntityIsNotFound) {
  auto def = registry_->Get("loan");
  ASSERT_FALSE(def);
  EXPECT_EQ(def.error().code, ErrorCode::kNotFound);
}

TEST_P(EntityRegistryTest, RegisterBuiltinIsIdempotentAndBumpsTheVersionOnlyOnChange) {
  const int64_t version = Def()->version;
  ASSERT_TRUE(db().Write([&](storage::Tx& tx) {
    return registry_->RegisterBuiltin(tx, TestEntity());
  }));
  EXPECT_EQ(Def()->version, version);

  EntityDef changed = TestEntity();
  changed.fields[0].label = {"客户姓名", "Customer name"};
  changed.fields.pop_back();  // created_at no longer declared
  ASSERT_TRUE(db().Write([&](storage::Tx& tx) { return registry_->RegisterBuiltin(tx, changed); }));
  auto def = Def();
  EXPECT_GT(def->version, version);
  EXPECT_EQ(def->Find("name")->label.en_us, "Customer name");
  EXPECT_EQ(def->Find("created_at"), nullptr);
}

TEST_P(EntityRegistryTest, RegisterBuiltinRefusesToChangeAFieldsType) {
  EntityDef changed = TestEntity();
  changed.fields[0].type = FieldType::kLongText;
  auto status =
      db().Write([&](storage::Tx& tx) { return registry_->RegisterBuiltin(tx, changed); });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(EntityRegistryTest, AddCustomFieldAddsATypedColumnOnline) {
  const int64_t before_id = Insert({{"name", "张三"}});
  const int64_t version = Def()->version;
  FieldDef added = Add({.name = "debt_ratio",
                        .label = {"负债率", "Debt ratio"},
                        .type = "percent",
                        .filterable = true,
                        .sortable = true});
  EXPECT_EQ(added.column, "x_debt_ratio");
  EXPECT_EQ(added.type, FieldType::kPercent);
  EXPECT_FALSE(added.builtin);
  EXPECT_GT(added.position, 100);

  auto def = Def();
  EXPECT_GT(def->version, version);
  ASSERT_NE(def->Find("debt_ratio"), nullptr);
  // The row written before the column existed keeps its data and has no value for it.
  auto old = Output(before_id);
  EXPECT_EQ(old["name"], "张三");
  EXPECT_TRUE(old["debt_ratio"].is_null());
  // The new column takes values.
  const int64_t id = Insert({{"name", "李四"}, {"debt_ratio", "0.8300"}});
  EXPECT_EQ(Output(id)["debt_ratio"], "0.8300");
}

TEST_P(EntityRegistryTest, AddCustomFieldWorksForEveryType) {
  for (FieldType type : AllFieldTypes()) {
    CustomFieldInput input{.name = "f_" + std::string(FieldTypeName(type)),
                           .label = {"字段", "Field"},
                           .type = std::string(FieldTypeName(type)),
                           .filterable = true};
    if (type == FieldType::kSingleSelect || type == FieldType::kMultiSelect) {
      input.options = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}};
    }
    FieldDef added = Add(input);
    EXPECT_EQ(added.type, type);
  }
  EXPECT_EQ(Def()->fields.size(), 4u + AllFieldTypes().size());
}

TEST_P(EntityRegistryTest, AddCustomFieldIsAudited) {
  Add({.name = "hobby", .label = {"爱好", "Hobby"}, .type = "text"});
  auto entries = audit_.List(db(), {.action = "entity.field_added"});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].entity_id, "test_record");
  EXPECT_EQ((*entries)[0].username, "admin");
  EXPECT_NE((*entries)[0].changes_json.find("x_hobby"), std::string::npos);
}

TEST_P(EntityRegistryTest, AddCustomFieldRejectsBadNamesWithStableCodes) {
  auto invalid = registry_->AddCustomField(
      actor_, "test_record", {.name = "Debt-Ratio", .label = {"a", "a"}, .type = "text"});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(ViolationCodes(invalid.error()), ElementsAre("name:invalid_name"));

  auto reserved = registry_->AddCustomField(
      actor_, "test_record", {.name = "version", .label = {"a", "a"}, .type = "text"});
  ASSERT_FALSE(reserved);
  EXPECT_THAT(ViolationCodes(reserved.error()), ElementsAre("name:reserved_name"));

  auto builtin = registry_->AddCustomField(
      actor_, "test_record", {.name = "name", .label = {"a", "a"}, .type = "text"});
  ASSERT_FALSE(builtin);
  EXPECT_THAT(ViolationCodes(builtin.error()), ElementsAre("name:name_taken"));

  Add({.name = "hobby", .label = {"爱好", "Hobby"}, .type = "text"});
  auto custom = registry_->AddCustomField(
      actor_, "test_record", {.name = "hobby", .label = {"a", "a"}, .type = "integer"});
  ASSERT_FALSE(custom);
  EXPECT_THAT(ViolationCodes(custom.error()), ElementsAre("name:name_taken"));
}

TEST_P(EntityRegistryTest, AddCustomFieldReportsEveryViolationAtOnce) {
  auto result = registry_->AddCustomField(
      actor_, "test_record", {.name = "level", .label = {"", ""}, .type = "single_select"});
  ASSERT_FALSE(result);
  EXPECT_THAT(ViolationCodes(result.error()),
              UnorderedElementsAre("label.zh-CN:required", "label.en-US:required",
                                   "options:options_required"));

  auto duplicate = registry_->AddCustomField(
      actor_, "test_record",
      {.name = "level",
       .label = {"等级", "Level"},
       .type = "multi_select",
       .options = {{"a", {"甲", "A"}}, {"a", {"乙", "B"}}, {"b|c", {"丙", "C"}}}});
  ASSERT_FALSE(duplicate);
  EXPECT_THAT(ViolationCodes(duplicate.error()),
              UnorderedElementsAre("options:duplicate_option",
                                   "options[2].value:invalid_option_value"));

  auto unknown = registry_->AddCustomField(
      actor_, "test_record", {.name = "level", .label = {"等级", "Level"}, .type = "float"});
  ASSERT_FALSE(unknown);
  EXPECT_THAT(ViolationCodes(unknown.error()), ElementsAre("type:unknown_type"));

  auto misc = registry_->AddCustomField(actor_, "test_record",
                                        {.name = "notes",
                                         .label = {"备注", "Notes"},
                                         .type = "long_text",
                                         .format = "mobile",
                                         .sensitive = true,
                                         .sortable = true,
                                         .section = "nowhere"});
  ASSERT_FALSE(misc);
  EXPECT_THAT(ViolationCodes(misc.error()),
              UnorderedElementsAre("format:format_needs_text", "sensitive:sensitive_needs_text",
                                   "sortable:not_sortable", "section:unknown_section"));
  // Nothing was added by the failed attempts.
  EXPECT_EQ(Def()->fields.size(), 4u);
}

TEST_P(EntityRegistryTest, AddCustomFieldToAnUnknownEntityIsNotFound) {
  auto result = registry_->AddCustomField(actor_, "loan",
                                          {.name = "x", .label = {"a", "a"}, .type = "text"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
}

TEST_P(EntityRegistryTest, AnotherNodeSeesTheNewFieldOnceItsCacheIsStale) {
  // A second registry over the same database stands for a second server node.
  EntityRegistry other(db(), clock_, audit_,
                       RegistryOptions{.max_staleness = std::chrono::seconds(5)});
  auto cached = other.Get("test_record");
  ASSERT_TRUE(cached);
  EXPECT_EQ((*cached)->Find("score"), nullptr);

  Add({.name = "score", .label = {"评分", "Score"}, .type = "integer"});

  auto still = other.Get("test_record");
  ASSERT_TRUE(still);
  EXPECT_EQ((*still)->Find("score"), nullptr) << "served from cache within max_staleness";

  clock_.Advance(std::chrono::seconds(6));
  auto fresh = other.Get("test_record");
  ASSERT_TRUE(fresh);
  ASSERT_NE((*fresh)->Find("score"), nullptr);
  EXPECT_EQ((*fresh)->version, Def()->version);

  // Inside a transaction the definition is always checked against the database.
  Add({.name = "grade", .label = {"等级", "Grade"}, .type = "text"});
  auto in_tx = db().ReadValue<std::shared_ptr<const EntityDef>>(
      [&](storage::Tx& tx) { return other.Get(tx, "test_record"); });
  ASSERT_TRUE(in_tx);
  EXPECT_NE((*in_tx)->Find("grade"), nullptr);
}

TEST_P(EntityRegistryTest, UpdateFieldChangesACustomFieldAndIsAudited) {
  Add({.name = "grade",
       .label = {"等级", "Grade"},
       .type = "single_select",
       .options = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}}});
  const int64_t version = Def()->version;
  auto updated = registry_->UpdateField(
      actor_, "test_record", "grade",
      {.label_zh_cn = "客户等级",
       .options = std::vector<FieldOption>{{"b", {"乙", "B"}}, {"a", {"甲", "A"}}, {"c", {"丙", "C"}}},
       .required = true},
      version);
  ASSERT_TRUE(updated) << updated.error().internal_detail;
  EXPECT_GT((*updated)->version, version);
  const FieldDef* grade = (*updated)->Find("grade");
  ASSERT_NE(grade, nullptr);
  EXPECT_EQ(grade->label.zh_cn, "客户等级");
  EXPECT_EQ(grade->label.en_us, "Grade") << "a language the patch leaves out stays";
  ASSERT_EQ(grade->options.size(), 3u);
  EXPECT_EQ(grade->options[0].value, "b");
  EXPECT_TRUE(grade->required);
  EXPECT_EQ(*Def()->Find("grade"), *grade);

  auto entries = audit_.List(db(), {.action = "entity.field_updated"});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].entity_id, "test_record");
  EXPECT_NE((*entries)[0].changes_json.find("客户等级"), std::string::npos);
  EXPECT_NE((*entries)[0].changes_json.find("required"), std::string::npos);
}

TEST_P(EntityRegistryTest, UpdateFieldNeedsTheCurrentVersion) {
  Add({.name = "hobby", .label = {"爱好", "Hobby"}, .type = "text"});
  const int64_t version = Def()->version;
  ASSERT_TRUE(registry_->UpdateField(actor_, "test_record", "hobby", {.max_length = 80}, version));
  auto stale = registry_->UpdateField(actor_, "test_record", "hobby", {.required = true}, version);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  EXPECT_FALSE(Def()->Find("hobby")->required);
  EXPECT_EQ(Def()->Find("hobby")->max_length, 80u);

  auto unknown = registry_->UpdateField(actor_, "test_record", "nothing", {.required = true},
                                        Def()->version);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(EntityRegistryTest, UpdateFieldRefusesToRemoveOptionsOrToChangeABuiltinBeyondItsLabel) {
  Add({.name = "grade",
       .label = {"等级", "Grade"},
       .type = "single_select",
       .options = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}}});
  auto removed = registry_->UpdateField(
      actor_, "test_record", "grade",
      {.options = std::vector<FieldOption>{{"a", {"甲", "A"}}}, .max_length = 10},
      Def()->version);
  ASSERT_FALSE(removed);
  EXPECT_THAT(ViolationCodes(removed.error()),
              UnorderedElementsAre("options:option_removed", "max_length:invalid_max_length"));

  auto builtin = registry_->UpdateField(
      actor_, "test_record", "name",
      {.label_en_us = "Full name", .required = false, .max_length = 80, .archived = true},
      Def()->version);
  ASSERT_FALSE(builtin);
  EXPECT_THAT(ViolationCodes(builtin.error()),
              UnorderedElementsAre("required:builtin_field", "max_length:builtin_field",
                                   "archived:builtin_field"));
  auto empty_label =
      registry_->UpdateField(actor_, "test_record", "name", {.label_zh_cn = ""}, Def()->version);
  ASSERT_FALSE(empty_label);
  EXPECT_THAT(ViolationCodes(empty_label.error()), ElementsAre("label.zh-CN:required"));
}

TEST_P(EntityRegistryTest, ABuiltinFieldsNewLabelOutlivesTheNextStartUp) {
  auto renamed = registry_->UpdateField(actor_, "test_record", "name",
                                        {.label_zh_cn = "借款人姓名"}, Def()->version);
  ASSERT_TRUE(renamed) << renamed.error().internal_detail;
  const int64_t version = (*renamed)->version;
  ASSERT_TRUE(db().Write([&](storage::Tx& tx) {
    return registry_->RegisterBuiltin(tx, TestEntity());
  }));
  auto def = Def();
  EXPECT_EQ(def->Find("name")->label.zh_cn, "借款人姓名");
  EXPECT_EQ(def->version, version) << "nothing else changed";

  // The rest of the declaration still follows the code.
  EntityDef changed = TestEntity();
  changed.fields[0].max_length = 60;
  ASSERT_TRUE(db().Write([&](storage::Tx& tx) { return registry_->RegisterBuiltin(tx, changed); }));
  EXPECT_EQ(Def()->Find("name")->max_length, 60u);
  EXPECT_EQ(Def()->Find("name")->label.zh_cn, "借款人姓名");
}

TEST_P(EntityRegistryTest, AnArchivedFieldKeepsItsDataRefusesInputAndIsRequiredNoMore) {
  Add({.name = "hobby", .label = {"爱好", "Hobby"}, .type = "text", .required = true});
  const int64_t id = Insert({{"name", "张三"}, {"hobby", "围棋"}});
  auto archived =
      registry_->UpdateField(actor_, "test_record", "hobby", {.archived = true}, Def()->version);
  ASSERT_TRUE(archived) << archived.error().internal_detail;
  EXPECT_TRUE((*archived)->Find("hobby")->archived);
  EXPECT_EQ(Output(id)["hobby"], "围棋");

  auto def = Def();
  auto refused = DecodeInput(*def, {{"name", "李四"}, {"hobby", "象棋"}}, {}, cipher_);
  ASSERT_FALSE(refused);
  EXPECT_THAT(ViolationCodes(refused.error()), ElementsAre("hobby:archived"));
  EXPECT_TRUE(DecodeInput(*def, {{"name", "李四"}}, {}, cipher_));

  auto restored =
      registry_->UpdateField(actor_, "test_record", "hobby", {.archived = false}, def->version);
  ASSERT_TRUE(restored);
  EXPECT_FALSE((*restored)->Find("hobby")->archived);
}

TEST_P(EntityRegistryTest, ListKeysNamesEveryEntity) {
  auto keys = registry_->ListKeys();
  ASSERT_TRUE(keys);
  EXPECT_THAT(*keys, ElementsAre("test_record"));
}

INSTANTIATE_TEST_SUITE_P(Backends, EntityRegistryTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::forms
