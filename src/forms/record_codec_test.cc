#include "forms/record_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "forms/test_entity.h"
#include "storage/sqlite/sqlite_db.h"

namespace oc::forms {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using testing::FormsTest;
using testing::ViolationCodes;

class RecordCodecTest : public FormsTest {
 protected:
  // One custom field of every type.
  void AddEveryType() {
    Add({.name = "note", .label = {"备注", "Note"}, .type = "text", .max_length = 10});
    Add({.name = "story", .label = {"经历", "Story"}, .type = "long_text"});
    Add({.name = "children", .label = {"子女数", "Children"}, .type = "integer"});
    Add({.name = "weight", .label = {"权重", "Weight"}, .type = "decimal"});
    Add({.name = "income", .label = {"月收入", "Income"}, .type = "money", .required = true});
    Add({.name = "debt_ratio", .label = {"负债率", "Debt ratio"}, .type = "percent"});
    Add({.name = "visit_date", .label = {"走访日期", "Visit date"}, .type = "date"});
    Add({.name = "called_at", .label = {"来电时间", "Called at"}, .type = "datetime"});
    Add({.name = "vip", .label = {"贵宾", "VIP"}, .type = "boolean"});
    Add({.name = "level",
         .label = {"等级", "Level"},
         .type = "single_select",
         .options = {{"low", {"低", "Low"}}, {"high", {"高", "High"}}}});
    Add({.name = "tags",
         .label = {"标签", "Tags"},
         .type = "multi_select",
         .options = {{"a", {"甲", "A"}}, {"b", {"乙", "B"}}, {"c", {"丙", "C"}}}});
  }

  Error DecodeError(const json::object& input, DecodeMode mode = DecodeMode::kCreate) {
    auto result = DecodeInput(*Def(), input, {.mode = mode}, cipher_);
    EXPECT_FALSE(result);
    return result ? Error{} : result.error();
  }
};

TEST_P(RecordCodecTest, EveryTypeRoundTripsThroughItsTypedColumn) {
  AddEveryType();
  const int64_t id = Insert({{"name", "  欧阳　娜娜 "},
                             {"note", "中文备注"},
                             {"story", "第一行\r\n第二行"},
                             {"children", 2},
                             {"weight", "-3.141592"},
                             {"income", "100000.00"},
                             {"debt_ratio", "0.83"},
                             {"visit_date", "2024-02-29"},
                             {"called_at", "2024-05-01T08:00:00+08:00"},
                             {"vip", true},
                             {"level", "high"},
                             {"tags", json::array{"c", "a"}}});
  json::object out = Output(id);
  EXPECT_EQ(out["name"], "欧阳 娜娜");
  EXPECT_EQ(out["note"], "中文备注");
  EXPECT_EQ(out["story"], "第一行\n第二行");
  EXPECT_EQ(out["children"], 2);
  EXPECT_EQ(out["weight"], "-3.141592");
  EXPECT_EQ(out["income"], "100000.00");
  EXPECT_EQ(out["debt_ratio"], "0.8300");
  EXPECT_EQ(out["visit_date"], "2024-02-29");
  EXPECT_EQ(out["called_at"], "2024-05-01T00:00:00.000000Z");
  EXPECT_EQ(out["vip"], true);
  EXPECT_EQ(out["level"], "high");
  EXPECT_EQ(out["tags"], (json::array{"a", "c"}));
  EXPECT_TRUE(out["phone"].is_null());
  EXPECT_EQ(out["created_at"], "2024-05-01T00:00:00.000000Z");

  // Stored as the documented column values.
  auto row = Read(id);
  EXPECT_EQ(row->Int("x_income"), 10'000'000);
  EXPECT_EQ(row->Int("x_debt_ratio"), 830'000);
  EXPECT_EQ(row->Int("x_weight"), -3'141'592);
  EXPECT_EQ(row->Text("x_tags"), "|a|c|");
  EXPECT_EQ(row->Int("x_vip"), 1);
}

TEST_P(RecordCodecTest, NumbersAreParsedExactly) {
  AddEveryType();
  auto values = DecodeInput(*Def(),
                            {{"name", "王五"},
                             {"income", 1234.5},
                             {"weight", 0.1},
                             {"debt_ratio", "1.500000000"},
                             {"children", "-7"}},
                            {}, cipher_);
  ASSERT_TRUE(values);
  EXPECT_EQ(values->Find("income")->value, "1234.50");
  EXPECT_EQ(values->Find("weight")->value, "0.1");
  EXPECT_EQ(values->Find("debt_ratio")->value, "1.5000");
  EXPECT_EQ(values->Find("children")->value, -7);
  EXPECT_EQ(std::get<int64_t>(values->Find("weight")->columns[0]), 100'000);
}

TEST_P(RecordCodecTest, EveryViolationIsReportedWithItsFieldAndCode) {
  AddEveryType();
  Error error = DecodeError({{"note", "这段备注超过了十个字符的限制"},
                             {"children", "2.5"},
                             {"weight", "1.0000001"},
                             {"debt_ratio", "abc"},
                             {"visit_date", "2023-02-29"},
                             {"called_at", "yesterday"},
                             {"vip", "yes"},
                             {"level", "medium"},
                             {"tags", json::array{"a", "a"}},
                             {"id_number", "110105194912310021"},
                             {"phone", "12345"},
                             {"nickname", "x"},
                             {"created_at", "2024-01-01T00:00:00Z"}});
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(ViolationCodes(error),
              UnorderedElementsAre(
                  "name:required", "id_number:invalid_checksum", "phone:invalid_mobile",
                  "created_at:read_only", "note:too_long", "children:invalid_integer",
                  "weight:too_many_decimals", "income:required", "debt_ratio:invalid_decimal",
                  "visit_date:invalid_date", "called_at:invalid_datetime", "vip:wrong_type",
                  "level:invalid_option", "tags:duplicate_value", "nickname:unknown_field"));
  // Messages use the field's label in both languages.
  for (const FieldViolation& v : error.field_violations) {
    if (v.field == "income") {
      EXPECT_EQ(v.message.zh_cn, "月收入不能为空");
      EXPECT_EQ(v.message.en_us, "Income is required");
    }
  }
}

TEST_P(RecordCodecTest, TextRejectsControlCharactersAndMoneyRejectsThreePlaces) {
  AddEveryType();
  Error error = DecodeError({{"name", "张三"}, {"note", "a\x01" "b"}, {"income", "1.005"}});
  EXPECT_THAT(ViolationCodes(error),
              ElementsAre("note:control_character", "income:too_many_decimals"));
}

TEST_P(RecordCodecTest, PatchDecodesOnlyGivenFieldsAndNullClearsOptionalOnes) {
  AddEveryType();
  auto patch = DecodeInput(*Def(), {{"note", nullptr}, {"tags", json::array{}}},
                           {.mode = DecodeMode::kPatch}, cipher_);
  ASSERT_TRUE(patch);
  ASSERT_EQ(patch->fields.size(), 2u);
  EXPECT_EQ(patch->SetList(), "x_note = ?, x_tags = ?");
  EXPECT_TRUE(std::holds_alternative<storage::Null>(patch->Params()[0]));
  EXPECT_TRUE(std::holds_alternative<storage::Null>(patch->Params()[1]));

  Error error = DecodeError({{"name", nullptr}, {"income", ""}}, DecodeMode::kPatch);
  EXPECT_THAT(ViolationCodes(error), ElementsAre("name:required", "income:required"));
}

TEST_P(RecordCodecTest, CallerFieldsAreLeftToTheCaller) {
  auto values = DecodeInput(*Def(), {{"name", "张三"}, {"owner_id", 7}},
                            {.caller_fields = {"owner_id"}}, cipher_);
  ASSERT_TRUE(values);
  EXPECT_EQ(values->ColumnList(), "name");
}

TEST_P(RecordCodecTest, SensitiveFieldsAreEncryptedIndexedAndMasked) {
  const int64_t id = Insert({{"name", "张三"},
                             {"id_number", "11010519491231002x"},
                             {"phone", "+86 138-0013-8000"}});
  auto row = Read(id);
  ASSERT_TRUE(row);
  const std::string& ciphertext = row->Bytes("id_number_enc");
  EXPECT_EQ(ciphertext.find("11010519491231002X"), std::string::npos);
  const auto& def = *Def();
  const FieldDef& field = *def.Find("id_number");
  auto plain = cipher_.Decrypt(ciphertext, CipherContext(def, field));
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, "11010519491231002X");
  auto index = db().ReadValue<std::string>([&](storage::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT id_number_bidx FROM test_records WHERE id = ?",
                                         {id}));
    return r->Bytes("id_number_bidx");
  });
  ASSERT_TRUE(index);
  EXPECT_EQ(*index, cipher_.BlindIndex("11010519491231002X", "test_record.id_number"));

  json::object masked = Output(id, OutputMode::kMasked);
  EXPECT_EQ(masked["id_number"], "1****************X");
  EXPECT_EQ(masked["phone"], "138****8000");
  json::object unmasked = Output(id, OutputMode::kPlain);
  EXPECT_EQ(unmasked["id_number"], "11010519491231002X");
  EXPECT_EQ(unmasked["phone"], "13800138000");
}

TEST_P(RecordCodecTest, ChangesListOnlyChangedFieldsMaskedForTheTrailAndWithheldFromEvents) {
  AddEveryType();
  const int64_t id = Insert({{"name", "张三"},
                             {"id_number", "11010519491231002X"},
                             {"income", "100.00"},
                             {"tags", json::array{"a"}}});
  auto before = Read(id);
  auto after = DecodeInput(*Def(),
                           {{"name", "张三"},
                            {"id_number", "110105194912310038"},
                            {"income", "200"},
                            {"tags", json::array{"a", "b"}}},
                           {.mode = DecodeMode::kPatch}, cipher_);
  ASSERT_TRUE(after);
  auto all = ChangesOf(*Def(), &*before, *after, cipher_);
  ASSERT_TRUE(all);
  const auto* changes = &all->audit;
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].field, "id_number");
  // Masked here, with the API's mask for the field's format: the plaintext never leaves.
  EXPECT_EQ((*changes)[0].before, "1****************X");
  EXPECT_EQ((*changes)[0].after, "1****************8");
  EXPECT_EQ((*changes)[1].field, "income");
  EXPECT_EQ((*changes)[1].before, "100.00");
  EXPECT_EQ((*changes)[1].after, "200.00");
  EXPECT_EQ((*changes)[1].sensitivity, audit::Sensitivity::kPlain);
  EXPECT_EQ((*changes)[2].after, "a,b");
  // An event names a personal field as changed and withholds both values.
  EXPECT_EQ(json::serialize(all->event), R"([{"field":"id_number","sensitive":true},)"
                                         R"({"field":"income","old":"100.00","new":"200.00"},)"
                                         R"({"field":"tags","old":["a"],"new":["a","b"]}])");

  auto created = ChangesOf(*Def(), nullptr, *after, cipher_);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->audit.size(), 4u);
  EXPECT_EQ(created->event.size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordCodecTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

// The plaintext of a sensitive field must not reach the database file at all: not the table,
// not an index, not the write-ahead log.
TEST(RecordCodecFileTest, SensitivePlaintextAppearsNowhereInTheSqliteFiles) {
  storage::testing::ScratchDir dir;
  auto db = storage::SqliteDb::Open({.path = (dir.path() / "forms.db").string()});
  ASSERT_TRUE(db) << db.error().internal_detail;
  class Fixture : public FormsTest {
   public:
    void TestBody() override {}
    using FormsTest::Insert;
    using FormsTest::Prepare;
  } fixture;
  fixture.Prepare(**db);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  fixture.Insert({{"name", "张三"},
                  {"id_number", "11010519491231002X"},
                  {"phone", "13800138000"}});
  db->reset();

  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_NE(bytes.find("张三"), std::string::npos) << "the files were read";
  EXPECT_EQ(bytes.find("11010519491231002X"), std::string::npos);
  EXPECT_EQ(bytes.find("13800138000"), std::string::npos);
  EXPECT_EQ(bytes.find("138****8000"), std::string::npos);
}

}  // namespace
}  // namespace oc::forms
