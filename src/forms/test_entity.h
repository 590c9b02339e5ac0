#pragma once
// Test support for the forms tests: a real entity ("test_record", table test_records) with a
// few built-in fields, registered on a fresh database of each backend, plus a cipher, clock,
// audit log and registry, and helpers to insert and read records through the record codec.
// Tests only.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "crypto/testing/test_keys.h"
#include "forms/entity_registry.h"
#include "forms/field.h"
#include "forms/record_codec.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::forms::testing {

inline const Instant kStart = FromUnixMicros(1'714'521'600'000'000);  // 2024-05-01T00:00:00Z

inline crypto::FieldCipher MakeCipher() {
  auto keyring = crypto::Keyring::Create(crypto::CipherSuite::kAes256Gcm,
                                         {{1, std::string(crypto::kFieldKeySize, 'k')}}, 1);
  if (!keyring) std::abort();
  return crypto::FieldCipher(std::move(*keyring));
}

// The built-in part of the test entity, as an owning module would declare it.
inline EntityDef TestEntity() {
  EntityDef def;
  def.key = "test_record";
  def.label = {"测试记录", "Test record"};
  def.table = "test_records";
  def.sections = {{"basic", {"基本信息", "Basics"}}, {"contact", {"联系方式", "Contact"}}};
  def.fields = {
      {.name = "name", .label = {"姓名", "Name"}, .type = FieldType::kText,
       .format = FieldFormat::kPersonName, .required = true, .builtin = true,
       .filterable = true, .sortable = true, .section = "basic", .position = 1,
       .max_length = 50, .column = "name"},
      {.name = "id_number", .label = {"身份证号码", "ID number"}, .type = FieldType::kText,
       .format = FieldFormat::kResidentId, .builtin = true, .sensitive = true,
       .filterable = true, .section = "basic", .position = 2, .column = "id_number"},
      {.name = "phone", .label = {"手机号码", "Mobile"}, .type = FieldType::kText,
       .format = FieldFormat::kMobile, .builtin = true, .sensitive = true, .filterable = true,
       .section = "contact", .position = 3, .column = "phone"},
      {.name = "created_at", .label = {"创建时间", "Created at"}, .type = FieldType::kDateTime,
       .builtin = true, .read_only = true, .filterable = true, .sortable = true,
       .position = 100, .column = "created_at_us"},
  };
  return def;
}

// The owning module's migration: its table, built from the same declarations.
inline std::vector<storage::Migration> TestEntityMigrations(storage::Dialect dialect) {
  const EntityDef def = TestEntity();
  std::string sql = "CREATE TABLE test_records (id {{id}}, version {{bigint}} NOT NULL";
  for (const FieldDef& field : def.fields) {
    for (const std::string& column : ColumnDefinitions(field)) sql += ", " + column;
  }
  sql += ");\n";
  for (const FieldDef& field : def.fields) {
    for (const std::string& index : IndexStatements(def, field, dialect)) sql += index + ";\n";
  }
  return {{.id = "test_0001_records", .sql = sql}};
}

// Opens the database, applies the audit, forms and test migrations and registers the entity.
class FormsTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Prepare(db());
  }

  void Prepare(storage::Db& database) {
    std::vector<storage::Migration> migrations = audit::Migrations();
    for (auto& m : forms::Migrations()) migrations.push_back(std::move(m));
    for (auto& m : TestEntityMigrations(database.dialect())) migrations.push_back(std::move(m));
    auto applied = storage::ApplyMigrations(database, migrations);
    ASSERT_TRUE(applied) << applied.error().internal_detail;
    registry_ = std::make_unique<EntityRegistry>(database, clock_, audit_,
                                                 RegistryOptions{.max_staleness = {}});
    auto registered = database.Write(
        [&](storage::Tx& tx) { return registry_->RegisterBuiltin(tx, TestEntity()); });
    ASSERT_TRUE(registered) << registered.error().internal_detail;
    database_ = &database;
  }

  std::shared_ptr<const EntityDef> Def() {
    auto def = registry_->Get("test_record");
    EXPECT_TRUE(def) << def.error().internal_detail;
    return def ? *def : nullptr;
  }

  FieldDef Add(CustomFieldInput input) {
    auto field = registry_->AddCustomField(actor_, "test_record", input);
    EXPECT_TRUE(field) << (field ? "" : field.error().internal_detail + " " +
                                            (field.error().field_violations.empty()
                                                 ? ""
                                                 : field.error().field_violations[0].code));
    return field ? *field : FieldDef{};
  }

  // Decodes `input` (kCreate) and inserts it; returns the new id.
  int64_t Insert(const boost::json::object& input) {
    auto def = Def();
    auto values = DecodeInput(*def, input, {}, cipher_);
    EXPECT_TRUE(values) << (values ? "" : values.error().field_violations.empty()
                                              ? values.error().internal_detail
                                              : values.error().field_violations[0].field + " " +
                                                    values.error().field_violations[0].code);
    if (!values) return 0;
    auto id = database_->WriteValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      storage::Params params = {ToUnixMicros(clock_.Now())};
      for (auto& p : values->Params()) params.push_back(p);
      ASSIGN_OR_RETURN(auto row,
                       tx.QueryOne("INSERT INTO test_records (version, created_at_us, " +
                                       values->ColumnList() + ") VALUES (1, ?, " +
                                       values->PlaceholderList() + ") RETURNING id",
                                   params));
      return row->Int("id");
    });
    EXPECT_TRUE(id) << id.error().internal_detail;
    clock_.Advance(std::chrono::seconds(1));
    return id ? *id : 0;
  }

  std::optional<storage::Row> Read(int64_t id) {
    auto def = Def();
    std::optional<storage::Row> out;
    auto status = database_->Read([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(out, tx.QueryOne("SELECT id, " + SelectColumns(*def) +
                                            " FROM test_records WHERE id = ?",
                                        {id}));
      return Ok();
    });
    EXPECT_TRUE(status) << status.error().internal_detail;
    return out;
  }

  boost::json::object Output(int64_t id, OutputMode mode = OutputMode::kPlain) {
    auto row = Read(id);
    if (!row) return {};
    auto out = EncodeOutput(*Def(), *row, cipher_, mode);
    EXPECT_TRUE(out) << out.error().internal_detail;
    return out ? *out : boost::json::object{};
  }

  FakeClock clock_{kStart};
  crypto::MacKeyring audit_keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, audit_keys_};
  crypto::FieldCipher cipher_ = MakeCipher();
  audit::Actor actor_{.user_id = 1, .username = "admin", .request_id = "r1"};
  std::unique_ptr<EntityRegistry> registry_;
  storage::Db* database_ = nullptr;
};

// The codes of an error's violations, "field:code", in order.
inline std::vector<std::string> ViolationCodes(const Error& error) {
  std::vector<std::string> out;
  for (const FieldViolation& v : error.field_violations) out.push_back(v.field + ":" + v.code);
  return out;
}

}  // namespace oc::forms::testing
