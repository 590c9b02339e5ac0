// Migrations are frozen in time: a database the first release made, upgraded by today's
// migrations, must have the schema and built-in roles of a fresh one, on both backends; no
// released migration may change its text; and today's definitions (the customer entity, the
// built-in roles) must be what the migrations give, since nothing renders them into a database.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/application.h"
#include "auth/permissions.h"
#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "customers/customer_entity.h"
#include "forms/field.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::app {
namespace {

using storage::Dialect;
using storage::Migration;
using storage::Tx;

// What every database made by the first release recorded: the migrations of commit 32dff7e
// ("Customer registry: individuals and enterprises on the metadata layer"), the first with
// customers.
constexpr std::string_view kFirstRelease[] = {
    "audit_0001_events",          "auth_0001_organisation",
    "auth_0002_builtin_roles",    "auth_0003_role_sequence",
    "forms_0001_entity_metadata", "api_0001_idempotency_keys",
    "customers_0001_customers",   "customers_0002_relations_and_followups",
};

// SHA-256 of what each migration runs on SQLite, a NUL, and what it runs on PostgreSQL, with the
// dialect tokens expanded; a code step counts only its SQL (forms_0002 has none). The first
// release's are the digests of the text commit 32dff7e ran, so the database SchemaUpgradeTest
// builds from today's list is the one that release made. A released migration never changes and
// is never removed: a database that recorded its id will not run it again. A new migration is
// pinned here with the digest this test reports for it.
struct PinnedText {
  std::string_view id;
  std::string_view sha256;
};
constexpr PinnedText kReleasedText[] = {
    {"audit_0001_events", "af3c92ef220bd3fe49430dd1a92ce4fc6101d2d392820fa8265e7a82b80530e3"},
    {"audit_0002_hash_version", "42b4de51ad10bdc563ff954a6d28939213236b35849d957ea3ac6dfb365f8182"},
    {"audit_0003_keyed_chain", "4db6f046e3a5d514a72886de02c27799c92fc3b7071be66268cbfb83d2d9d804"},
    {"runtime_0001_domain_events_and_outbox",
     "8c886776d5f3e2ee4ce3fe96e48a1327abc16274e94e2d3bb45083911f982a31"},
    {"runtime_0002_timers_and_jobs",
     "65d50f019bb5e7827a91d0a37cc8f3775e60939b7d237cf6f0af950a13110493"},
    {"runtime_0003_business_calendar",
     "16fbc474c000a89f1c578bb514711c46236f14731504df033a7289aaec769314"},
    {"runtime_0004_business_date",
     "9c30f1c6a98b988d819f6d4c0d4645b145d28cbb7e7d768019fb55ae69370a01"},
    {"runtime_0005_definitions",
     "8ad5264928fb4ce10a61ba8a5f1664d74f4e864c18f42910ddb68335b9ee9e31"},
    {"runtime_0006_todos_and_notifications",
     "51a1de053a079791816a8023c51360531c13f5fec14428a8ad91e6020eec417f"},
    {"runtime_0007_no_event_type_index",
     "0731b0014d558874c3a4193fbb14966cbee7e1bc96046423d6787f6ce06d42cb"},
    {"auth_0001_organisation", "b655664e834bfc5039335e8bd2e9acf5edb04f197762eaf9d9667015d9956e36"},
    {"auth_0002_builtin_roles", "7529658ee500b747754d7fb6102e0f58ddd83f7228de433e5fd7f5fd1bea927f"},
    {"auth_0003_role_sequence", "1b4df23055e4832ce735539daaf0bee112444ae1b88df1b33174a5b4c249e9e1"},
    {"auth_0004_rate_events", "11f9f9a5dbf00a97587884ca8692f20b1e27c82f168089048a196c3fa2a31c16"},
    {"auth_0005_no_account_lockout",
     "ba2f2684860f14e661d579e7f92c5c19b52e01e88c92e3c6bface1e1eb3e2cfc"},
    {"auth_0006_separation_of_duties",
     "c9598038d5c1656f045099c289f9725e7b8b8b349451cdf4fc8d4623401afa75"},
    {"auth_0007_customer_classify",
     "798a6554e3727c0b56663d2b2d6b891260287bc9b55bfec8d036b8d00cb63aa9"},
    {"auth_0008_calendar_and_operations",
     "6dba9942120e6b06b62db64db98944eb13f202acc42ad9cac45d2265fb9ffff3"},
    {"forms_0001_entity_metadata",
     "c3dc5d11b0d619467c3986624710e9dfed212fa8f52411e12dc212f25edcdce4"},
    {"forms_0002_short_blind_indexes",
     "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"},
    {"forms_0003_masked_to_year",
     "adecfd967144d507450f74f00ed1b6d4a3fba9f3fd991547bf1d5ee389dc2cd0"},
    {"forms_0004_archived_fields_and_edited_labels",
     "d317bbd917764b7b9b63fa0fcb14c017bf412d27e58fbbf6f3263d746615bfc1"},
    {"api_0001_idempotency_keys",
     "8edd204c91e3786a7b2cd7d79c5d0cc61ee3a89b61945d4b03ac79505ac9627b"},
    {"api_0002_idempotency_etag",
     "1942a15a0c4c024c7328fdcee19ad3dbf52f5f17bfc6b832a80530f175dd755c"},
    {"api_0003_free_stuck_keys",
     "8bf1c8a2eb4797ce81f9641bc6ad94533c10a4ad7d02f2c973ca9e705e722371"},
    {"customers_0001_customers",
     "2ea6a0d08390814e573ca3d6922f4718c87c2ac3122f93026d6850458e502c7f"},
    {"customers_0002_relations_and_followups",
     "723fe23e1da283b51c8671e41b754616e194bf677e5a1a74d9d5e3e999ebcb99"},
    {"customers_0003_lean_indexes",
     "05e9528335af1f4652ac8a64193aba0468bc0af6108221e782a55ec658e0b625"},
    {"customers_0004_one_name_index",
     "9eb1e090f79bedefb7cacc27a75da8c133369d082592648c9d83f750349ef7a9"},
    {"customers_0005_no_street_address_index",
     "b102e15d512964ab09ae6c29f785ea8e0ac51905cdb81e4a61e9911bc7fd9c07"},
    {"customers_0006_credit_code_pending_reason",
     "2f969909d595b28dc19666ac68cdde17324f774d1d99f633565c72d885f5ca54"},
    {"customers_0007_phone_tail",
     "da03e95c225421361c74051a22d185b572c3f99b1edfb86594106dd99b83d189"},
    {"customers_0008_relation_person_id_number",
     "3f27767f330c49261337a73a01df8f1775e7f17116ea5289f87c0e9e180d752d"},
};

std::string RunText(const Migration& migration, Dialect dialect) {
  const std::string& override_sql =
      dialect == Dialect::kSqlite ? migration.sqlite_sql : migration.postgres_sql;
  return storage::ExpandDialect(override_sql.empty() ? migration.sql : override_sql, dialect);
}

std::string TextDigest(const Migration& migration) {
  return crypto::Sha256Hex(RunText(migration, Dialect::kSqlite) + '\0' +
                           RunText(migration, Dialect::kPostgres));
}

// Today's list without the migrations the first release did not have, in today's order.
std::vector<Migration> FirstReleaseMigrations() {
  std::vector<Migration> first;
  for (Migration& migration : AllMigrations()) {
    if (std::find(std::begin(kFirstRelease), std::end(kFirstRelease), migration.id) !=
        std::end(kFirstRelease)) {
      first.push_back(std::move(migration));
    }
  }
  return first;
}

// A database's schema or built-in roles, one entry per object ("column customers.name" →
// "type=TEXT not_null=1 …"), so that two databases compare entry by entry.
using Description = std::map<std::string, std::string>;

std::string Show(const storage::Value& value) {
  if (std::holds_alternative<storage::Null>(value)) return "none";
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return std::to_string(*d);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return crypto::HexEncode(std::get<storage::Blob>(value).bytes);
}

// SQL as stored, with every run of white space made one space.
std::string Normalized(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

Status DescribeSqlite(Tx& tx, Description& out) {
  ASSIGN_OR_RETURN(storage::Rows tables,
                   tx.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY name"));
  for (const storage::Row& table_row : tables) {
    const std::string& table = table_row.Text(0);
    out["table " + table] = "";
    ASSIGN_OR_RETURN(storage::Rows columns,
                     tx.Query("SELECT name, type, \"notnull\", dflt_value, pk FROM "
                              "pragma_table_info(?)",
                              {table}));
    for (const storage::Row& c : columns) {
      out["column " + table + "." + c.Text(0)] =
          "type=" + Upper(Show(c.at(1))) + " not_null=" + Show(c.at(2)) +
          " default=" + Show(c.at(3)) + " primary_key=" + Show(c.at(4));
    }
    ASSIGN_OR_RETURN(storage::Rows indexes,
                     tx.Query("SELECT l.name, l.\"unique\", l.origin, l.partial, m.sql FROM "
                              "pragma_index_list(?) l LEFT JOIN sqlite_master m "
                              "ON m.type = 'index' AND m.name = l.name",
                              {table}));
    for (const storage::Row& index : indexes) {
      const std::string& name = index.Text(0);
      ASSIGN_OR_RETURN(storage::Rows keys, tx.Query("SELECT cid, name, \"desc\", coll, key FROM "
                                                    "pragma_index_xinfo(?) ORDER BY seqno",
                                                    {name}));
      std::string key_list;
      for (const storage::Row& key : keys) {
        if (!key_list.empty()) key_list += ", ";
        key_list += Show(key.at(1)) + "#" + Show(key.at(0)) + (key.Int(2) ? " DESC" : "") + " " +
                    Show(key.at(3)) + (key.Int(4) ? "" : " (stored)");
      }
      out["index " + name] = "on " + table + " unique=" + Show(index.at(1)) +
                             " origin=" + Show(index.at(2)) + " partial=" + Show(index.at(3)) +
                             " keys=(" + key_list + ") sql=" + Normalized(Show(index.at(4)));
    }
    ASSIGN_OR_RETURN(storage::Rows keys,
                     tx.Query("SELECT \"from\", \"table\", \"to\", on_update, on_delete, "
                              "\"match\" FROM pragma_foreign_key_list(?)",
                              {table}));
    for (const storage::Row& key : keys) {
      out["foreign key " + table + "." + key.Text(0)] =
          "references " + Show(key.at(1)) + " (" + Show(key.at(2)) + ") on update " +
          Show(key.at(3)) + " on delete " + Show(key.at(4)) + " match " + Show(key.at(5));
    }
  }
  ASSIGN_OR_RETURN(storage::Rows others,
                   tx.Query("SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', "
                            "'trigger')"));
  for (const storage::Row& other : others) {
    out[other.Text(0) + " " + other.Text(1)] = Normalized(Show(other.at(2)));
  }
  return Ok();
}

Status DescribePostgres(Tx& tx, Description& out) {
  ASSIGN_OR_RETURN(storage::Rows tables,
                   tx.Query("SELECT table_name::text FROM information_schema.tables WHERE "
                            "table_schema = current_schema() AND table_type = 'BASE TABLE'"));
  for (const storage::Row& table : tables) out["table " + table.Text(0)] = "";
  ASSIGN_OR_RETURN(storage::Rows columns,
                   tx.Query("SELECT table_name::text, column_name::text, data_type::text, "
                            "is_nullable::text, column_default::text, is_identity::text, "
                            "identity_generation::text FROM information_schema.columns "
                            "WHERE table_schema = current_schema()"));
  for (const storage::Row& c : columns) {
    out["column " + c.Text(0) + "." + c.Text(1)] =
        "type=" + Upper(c.Text(2)) + " not_null=" + (c.Text(3) == "NO" ? "1" : "0") +
        " default=" + Show(c.at(4)) + " identity=" + Show(c.at(5)) + " " + Show(c.at(6));
  }
  // pg_get_indexdef names the table with its schema, which differs between test databases.
  ASSIGN_OR_RETURN(storage::Rows indexes,
                   tx.Query("SELECT indexname::text, tablename::text, "
                            "replace(indexdef, ' ON ' || current_schema() || '.', ' ON ') "
                            "FROM pg_indexes WHERE schemaname = current_schema()"));
  for (const storage::Row& index : indexes) {
    out["index " + index.Text(0)] = "on " + index.Text(1) + " " + index.Text(2);
  }
  ASSIGN_OR_RETURN(storage::Rows constraints,
                   tx.Query("SELECT t.relname::text, c.conname::text, pg_get_constraintdef(c.oid) "
                            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                            "WHERE c.connamespace = current_schema()::regnamespace"));
  for (const storage::Row& constraint : constraints) {
    out["constraint " + constraint.Text(0) + "." + constraint.Text(1)] = constraint.Text(2);
  }
  return Ok();
}

Result<Description> DescribeSchema(storage::Db& db) {
  Description out;
  RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    return tx.dialect() == Dialect::kSqlite ? DescribeSqlite(tx, out) : DescribePostgres(tx, out);
  }));
  return out;
}

// With `row_state`, also each role's id and version, which only two databases can compare.
Result<Description> DescribeBuiltinRoles(storage::Db& db, bool row_state) {
  Description out;
  RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(storage::Rows roles,
                     tx.Query("SELECT role_key, name_zh, name_en, id, version FROM roles "
                              "WHERE builtin = 1"));
    for (const storage::Row& role : roles) {
      out["role " + role.Text(0)] = role.Text(1) + " / " + role.Text(2);
      if (row_state) {
        out["role " + role.Text(0) + " row"] =
            "id=" + Show(role.at(3)) + " version=" + Show(role.at(4));
      }
    }
    ASSIGN_OR_RETURN(storage::Rows permissions,
                     tx.Query("SELECT r.role_key, p.permission FROM role_permissions p "
                              "JOIN roles r ON r.id = p.role_id WHERE r.builtin = 1"));
    for (const storage::Row& p : permissions) {
      out["role " + p.Text(0) + " permission " + p.Text(1)] = "granted";
    }
    ASSIGN_OR_RETURN(storage::Rows scopes,
                     tx.Query("SELECT r.role_key, s.entity, s.scope FROM role_scopes s "
                              "JOIN roles r ON r.id = s.role_id WHERE r.builtin = 1"));
    for (const storage::Row& s : scopes) {
      out["role " + s.Text(0) + " scope " + s.Text(1)] = s.Text(2);
    }
    return Ok();
  }));
  return out;
}

Description DescribeTodaysBuiltinRoles() {
  Description out;
  for (const auth::BuiltinRole& role : auth::BuiltinRoles()) {
    const std::string key(role.key);
    out["role " + key] = role.name.zh_cn + " / " + role.name.en_us;
    for (auth::Permission permission : role.permissions) {
      out["role " + key + " permission " + std::string(auth::PermissionName(permission))] =
          "granted";
    }
    for (const auto& [entity, scope] : role.scopes) {
      out["role " + key + " scope " + std::string(entity)] = auth::DataScopeName(scope);
    }
  }
  return out;
}

// Every entry in which `a` and `b` differ, one a line, or "" when they are equal.
std::string Differences(const Description& a, std::string_view a_name, const Description& b,
                        std::string_view b_name) {
  std::string out;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end()) {
      out += "  " + key + " only in " + std::string(a_name) + ": " + value + "\n";
    } else if (it->second != value) {
      out += "  " + key + ":\n    " + std::string(a_name) + ": " + value + "\n    " +
             std::string(b_name) + ": " + it->second + "\n";
    }
  }
  for (const auto& [key, value] : b) {
    if (!a.contains(key))
      out += "  " + key + " only in " + std::string(b_name) + ": " + value + "\n";
  }
  return out;
}

TEST(MigrationTextTest, EveryReleasedMigrationRunsTheTextItWasReleasedWith) {
  const std::vector<Migration> today = AllMigrations();
  for (const Migration& migration : today) {
    auto pinned = std::find_if(std::begin(kReleasedText), std::end(kReleasedText),
                               [&](const PinnedText& p) { return p.id == migration.id; });
    if (pinned == std::end(kReleasedText)) {
      ADD_FAILURE() << migration.id << " is new: pin it in kReleasedText as {\"" << migration.id
                    << "\", \"" << TextDigest(migration) << "\"}";
      continue;
    }
    EXPECT_EQ(TextDigest(migration), pinned->sha256)
        << migration.id << " runs other text than it was released with: a database that "
        << "recorded it will never run the new text, so the change needs a migration of its own";
  }
  for (const PinnedText& pinned : kReleasedText) {
    EXPECT_TRUE(std::any_of(today.begin(), today.end(),
                            [&](const Migration& m) { return m.id == pinned.id; }))
        << pinned.id << " was released but is gone: databases that recorded it would refuse "
        << "this binary";
  }
}

TEST(MigrationTextTest, TheFirstReleasesMigrationsAreInTodaysList) {
  EXPECT_EQ(FirstReleaseMigrations().size(), std::size(kFirstRelease));
}

// db() is built by the first release's migrations, given rows, and upgraded by today's;
// fresh() is built by today's alone.
class SchemaUpgradeTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto opened = storage::testing::OpenTestDb(GetParam());
    ASSERT_TRUE(opened) << opened.error().internal_detail;
    fresh_ = std::move(*opened);

    const std::vector<Migration> first = FirstReleaseMigrations();
    auto made = storage::ApplyMigrations(db(), first);
    ASSERT_TRUE(made) << made.error().internal_detail;
    Status inserted = db().Write(InsertFirstReleaseRows);
    ASSERT_TRUE(inserted) << inserted.error().internal_detail;
    const std::vector<Migration> today = AllMigrations();
    auto upgraded = storage::ApplyMigrations(db(), today);
    ASSERT_TRUE(upgraded) << upgraded.error().internal_detail;
    ASSERT_EQ(upgraded->size(), today.size() - first.size());
    auto created = storage::ApplyMigrations(fresh(), today);
    ASSERT_TRUE(created) << created.error().internal_detail;
  }

  void TearDown() override {
    fresh_.reset();
    BackendTest::TearDown();
  }

  storage::Db& fresh() { return *fresh_; }

  // The full 32-byte HMAC the first release stored as a blind index.
  static std::string FirstReleaseBlindIndex() {
    std::string bytes;
    for (int i = 0; i < 32; ++i) bytes += static_cast<char>(0xa0 + i);
    return bytes;
  }

  // A department, an administrator in it, and a customer with a phone number, written as the
  // first release wrote them; the customer entity's metadata lists the phone as sensitive, as
  // the first release registered it at start-up.
  static Status InsertFirstReleaseRows(Tx& tx) {
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO departments (id, parent_id, name, path, version, created_at_us, "
                   "updated_at_us) VALUES (1, NULL, '总行', '/1/', 1, 1000, 1000)"));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO users (id, username, display_name, password_hash, department_id, "
        "supervisor_id, status, language, must_change_password, locked_until_us, "
        "password_changed_at_us, version, created_at_us, updated_at_us) VALUES (1, 'admin', "
        "'管理员', '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA', 1, NULL, 'active', 'zh-CN', 0, "
        "NULL, 1000, 1, 1000, 1000)"));
    RETURN_IF_ERROR(tx.Execute("INSERT INTO user_roles (user_id, role_id) VALUES (1, 6)"));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO entities (entity_key, label_zh, label_en, table_name, sections_json, "
        "version, created_at_us, updated_at_us) VALUES ('customer', '客户', 'Customer', "
        "'customers', '[]', 1, 1000, 1000)"));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO entity_fields (entity_key, name, label_zh, label_en, field_type, "
        "field_format, required, builtin, read_only, sensitive, filterable, sortable, "
        "options_json, section, position, max_length, column_name, created_at_us, created_by) "
        "VALUES ('customer', 'phone', '手机号码', 'Mobile phone', 'text', 'mobile', 0, 1, 0, 1, "
        "1, 0, '[]', 'contact', 230, NULL, 'phone', 1000, NULL)"));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO customers (id, type, name, phone_enc, phone_bidx, owner_id, department_id, "
        "created_at_us, updated_at_us, version, created_by) VALUES (1, 'individual', '张三', ?, "
        "?, 1, 1, 1000, 1000, 1, 1)",
        {storage::Blob{"sealed phone"}, storage::Blob{FirstReleaseBlindIndex()}}));
    return Ok();
  }

  std::unique_ptr<storage::Db> fresh_;
};

TEST_P(SchemaUpgradeTest, FirstReleaseDatabaseUpgradesToTheSchemaOfAFreshOne) {
  auto upgraded = DescribeSchema(db());
  ASSERT_TRUE(upgraded) << upgraded.error().internal_detail;
  auto fresh_schema = DescribeSchema(fresh());
  ASSERT_TRUE(fresh_schema) << fresh_schema.error().internal_detail;
  ASSERT_TRUE(fresh_schema->contains("column customers.name"));
  ASSERT_TRUE(fresh_schema->contains("index customers_by_name"));
  EXPECT_EQ(Differences(*upgraded, "upgraded", *fresh_schema, "fresh"), "");
}

TEST_P(SchemaUpgradeTest, FirstReleaseDatabaseUpgradesToTheBuiltinRolesOfAFreshOne) {
  auto upgraded = DescribeBuiltinRoles(db(), /*row_state=*/true);
  ASSERT_TRUE(upgraded) << upgraded.error().internal_detail;
  auto fresh_roles = DescribeBuiltinRoles(fresh(), /*row_state=*/true);
  ASSERT_TRUE(fresh_roles) << fresh_roles.error().internal_detail;
  ASSERT_TRUE(fresh_roles->contains("role admin"));
  EXPECT_EQ(Differences(*upgraded, "upgraded", *fresh_roles, "fresh"), "");
}

TEST_P(SchemaUpgradeTest, UpgradeKeepsTheFirstReleasesRowsAndShortensTheirBlindIndexes) {
  ASSERT_TRUE(db().Read([](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto department, tx.QueryOne("SELECT name FROM departments WHERE id = 1"));
    EXPECT_TRUE(department);
    if (department) EXPECT_EQ(department->Text("name"), "总行");
    ASSIGN_OR_RETURN(auto user, tx.QueryOne("SELECT u.username, r.role_key FROM users u "
                                            "JOIN user_roles ur ON ur.user_id = u.id "
                                            "JOIN roles r ON r.id = ur.role_id WHERE u.id = 1"));
    EXPECT_TRUE(user);
    if (user) {
      EXPECT_EQ(user->Text("username"), "admin");
      EXPECT_EQ(user->Text("role_key"), "admin");
    }
    ASSIGN_OR_RETURN(auto customer,
                     tx.QueryOne("SELECT name, owner_id, department_id, phone_enc, phone_bidx "
                                 "FROM customers WHERE id = 1"));
    EXPECT_TRUE(customer);
    if (customer) {
      EXPECT_EQ(customer->Text("name"), "张三");
      EXPECT_EQ(customer->Int("owner_id"), 1);
      EXPECT_EQ(customer->Int("department_id"), 1);
      EXPECT_EQ(customer->Bytes("phone_enc"), "sealed phone");
      // forms_0002: lookups compute the first 16 bytes of the same HMAC.
      EXPECT_EQ(crypto::HexEncode(customer->Bytes("phone_bidx")),
                crypto::HexEncode(FirstReleaseBlindIndex().substr(0, 16)));
    }
    return Ok();
  }));
}

TEST_P(SchemaUpgradeTest, FreshDatabaseHoldsTodaysBuiltinRoles) {
  auto roles = DescribeBuiltinRoles(fresh(), /*row_state=*/false);
  ASSERT_TRUE(roles) << roles.error().internal_detail;
  EXPECT_EQ(Differences(*roles, "the migrated database", DescribeTodaysBuiltinRoles(),
                        "auth::BuiltinRoles()"),
            "")
      << "a change to BuiltinRoles() needs a migration that makes it";
}

TEST_P(SchemaUpgradeTest, FreshCustomersTableHoldsTheColumnsOfEveryCustomerField) {
  auto schema = DescribeSchema(fresh());
  ASSERT_TRUE(schema) << schema.error().internal_detail;
  const Dialect dialect = fresh().dialect();
  for (const forms::FieldDef& field : customers::CustomerEntity().fields) {
    for (const std::string& definition : forms::ColumnDefinitions(field)) {
      const std::string expanded = storage::ExpandDialect(definition, dialect);
      const std::string column = expanded.substr(0, expanded.find(' '));
      const std::string type = expanded.substr(expanded.find(' ') + 1);
      auto it = schema->find("column customers." + column);
      if (it == schema->end()) {
        ADD_FAILURE() << "field " << field.name << ": customers has no column " << column
                      << "; a field added to CustomerEntity() needs a migration that adds it";
        continue;
      }
      EXPECT_TRUE(it->second.starts_with("type=" + type + " "))
          << "field " << field.name << ": column " << column << " is " << it->second
          << ", the field needs " << type;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaUpgradeTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::app
