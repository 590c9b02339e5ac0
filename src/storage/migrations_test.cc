#include "storage/migrations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "storage/testing/test_databases.h"

namespace oc::storage {
namespace {

using testing::AllBackends;
using testing::BackendTest;
using testing::BackendTestName;

std::vector<Migration> CustomerMigrations() {
  return {
      {.id = "customers_0001_table",
       .sql = "CREATE TABLE customers (id {{id}}, name TEXT NOT NULL, photo {{blob}});"
              "CREATE INDEX customers_name ON customers (name)"},
      {.id = "customers_0002_limit",
       .sql = "ALTER TABLE customers ADD COLUMN credit_limit {{bigint}} NOT NULL DEFAULT 0"},
      {.id = "customers_0003_seed",
       .sql = "INSERT INTO customers (name, credit_limit) VALUES ('示例客户', 100000)"},
  };
}

Result<std::vector<std::string>> RecordedIds(Db& db) {
  return db.ReadValue<std::vector<std::string>>([](Tx& tx) -> Result<std::vector<std::string>> {
    ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT id, applied_at FROM schema_migrations "
                                         "ORDER BY id"));
    std::vector<std::string> ids;
    for (const Row& row : rows) {
      EXPECT_FALSE(row.Text("applied_at").empty());
      ids.push_back(row.Text("id"));
    }
    return ids;
  });
}

Result<bool> TableExists(Db& db, const std::string& table) {
  return db.ReadValue<bool>([&](Tx& tx) -> Result<bool> {
    const char* sql = tx.dialect() == Dialect::kSqlite
                          ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
                          : "SELECT 1 FROM information_schema.tables "
                            "WHERE table_schema = current_schema() AND table_name = ?";
    ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne(sql, {table}));
    return row.has_value();
  });
}

class MigrationsTest : public BackendTest {};

TEST_P(MigrationsTest, AppliesEachMigrationOnceInOrderAndRecordsIt) {
  std::vector<Migration> migrations = CustomerMigrations();
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  EXPECT_EQ(*applied, (std::vector<std::string>{"customers_0001_table", "customers_0002_limit",
                                                "customers_0003_seed"}));
  EXPECT_EQ(RecordedIds(db()).value_or(std::vector<std::string>{}), *applied);

  Result<std::vector<std::string>> again = ApplyMigrations(db(), migrations);
  ASSERT_TRUE(again) << again.error().internal_detail;
  EXPECT_TRUE(again->empty());

  // The seed ran exactly once, after the column it fills existed.
  Result<Rows> rows = db().ReadValue<Rows>(
      [](Tx& tx) { return tx.Query("SELECT name, credit_limit FROM customers"); });
  ASSERT_TRUE(rows) << rows.error().internal_detail;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text("name"), "示例客户");
  EXPECT_EQ((*rows)[0].Int("credit_limit"), 100000);
}

TEST_P(MigrationsTest, AppliesOnlyTheMigrationsAddedSinceLastTime) {
  std::vector<Migration> migrations = CustomerMigrations();
  ASSERT_TRUE(ApplyMigrations(db(), std::span(migrations).first(1)));
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  EXPECT_EQ(*applied, (std::vector<std::string>{"customers_0002_limit", "customers_0003_seed"}));
}

TEST_P(MigrationsTest, DialectOverrideIsUsedOnItsBackend) {
  std::vector<Migration> migrations = {
      {.id = "m1",
       .sql = "CREATE TABLE never (x INTEGER)",
       .sqlite_sql = "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID",
       .postgres_sql = "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)"},
  };
  ASSERT_TRUE(ApplyMigrations(db(), migrations));
  EXPECT_EQ(TableExists(db(), "kv").value_or(false), true);
  EXPECT_EQ(TableExists(db(), "never").value_or(true), false);
}

TEST_P(MigrationsTest, FailingMigrationLeavesNothingHalfApplied) {
  std::vector<Migration> migrations = CustomerMigrations();
  migrations.push_back({.id = "customers_0004_broken",
                        .sql = "CREATE TABLE follow_ups (id {{id}}, note TEXT);"
                               "ALTER TABLE no_such_table ADD COLUMN x TEXT"});
  migrations.push_back({.id = "customers_0005_after", .sql = "CREATE TABLE later (x TEXT)"});
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
  EXPECT_NE(applied.error().internal_detail.find("customers_0004_broken"), std::string::npos);

  EXPECT_EQ(RecordedIds(db()).value_or(std::vector<std::string>{}),
            (std::vector<std::string>{"customers_0001_table", "customers_0002_limit",
                                      "customers_0003_seed"}));
  EXPECT_EQ(TableExists(db(), "follow_ups").value_or(true), false);
  EXPECT_EQ(TableExists(db(), "later").value_or(true), false);
  EXPECT_EQ(TableExists(db(), "customers").value_or(false), true);
}

// A code step sees its migration's SQL applied, runs once, and a failure undoes both.
TEST_P(MigrationsTest, CodeStepRunsOnceAfterItsSqlInTheSameTransaction) {
  std::vector<Migration> migrations = CustomerMigrations();
  int runs = 0;
  migrations.push_back(
      {.id = "customers_0004_double_limits",
       .sql = "CREATE TABLE limit_log (note TEXT)",
       .run = [&](Tx& tx) -> Status {
         ++runs;
         ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT id, credit_limit FROM customers"));
         for (const Row& row : rows) {
           RETURN_IF_ERROR(tx.Execute("UPDATE customers SET credit_limit = ? WHERE id = ?",
                                      {row.Int(1) * 2, row.Int(0)}));
         }
         RETURN_IF_ERROR(tx.Execute("INSERT INTO limit_log (note) VALUES ('doubled')"));
         return Ok();
       }});
  migrations.push_back({.id = "customers_0005_broken_step",
                        .sql = "CREATE TABLE follow_ups (id {{id}}, note TEXT)",
                        .run = [](Tx& tx) -> Status {
                          RETURN_IF_ERROR(tx.Execute("UPDATE customers SET credit_limit = 0"));
                          return MakeError(ErrorCode::kInternal, {"失败", "failed"});
                        }});
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().internal_detail.find("customers_0005_broken_step"), std::string::npos);
  migrations.pop_back();
  applied = ApplyMigrations(db(), migrations);
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  EXPECT_TRUE(applied->empty());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(TableExists(db(), "follow_ups").value_or(true), false);
  Result<int64_t> limit = db().ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT credit_limit FROM customers"));
    return rows.at(0).Int(0);
  });
  EXPECT_EQ(limit.value_or(-1), 200000);
}

TEST_P(MigrationsTest, UnknownRecordedMigrationIsFailedPrecondition) {
  std::vector<Migration> migrations = CustomerMigrations();
  ASSERT_TRUE(ApplyMigrations(db(), migrations));
  // An older binary that knows only the first migration meets a database a newer one migrated.
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), std::span(migrations).first(1));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(applied.error().internal_detail.find("customers_0002_limit"), std::string::npos);
}

TEST_P(MigrationsTest, DuplicateIdInTheListIsRejected) {
  std::vector<Migration> migrations = {{.id = "a", .sql = "CREATE TABLE a (x TEXT)"},
                                       {.id = "a", .sql = "CREATE TABLE b (x TEXT)"}};
  Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
  EXPECT_EQ(TableExists(db(), "a").value_or(true), false);
}

TEST_P(MigrationsTest, ConcurrentMigratorsApplyEachMigrationExactlyOnce) {
  std::vector<Migration> migrations = CustomerMigrations();
  constexpr int kMigrators = 4;
  std::mutex mu;
  std::vector<std::string> all_applied;
  std::vector<std::thread> threads;
  int failures = 0;
  for (int i = 0; i < kMigrators; ++i) {
    threads.emplace_back([&] {
      Result<std::vector<std::string>> applied = ApplyMigrations(db(), migrations);
      std::lock_guard lock(mu);
      if (!applied) {
        ADD_FAILURE() << applied.error().internal_detail;
        ++failures;
        return;
      }
      all_applied.insert(all_applied.end(), applied->begin(), applied->end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  std::sort(all_applied.begin(), all_applied.end());
  EXPECT_EQ(all_applied, (std::vector<std::string>{"customers_0001_table", "customers_0002_limit",
                                                   "customers_0003_seed"}));
  Result<Rows> rows =
      db().ReadValue<Rows>([](Tx& tx) { return tx.Query("SELECT name FROM customers"); });
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest, ::testing::ValuesIn(AllBackends()),
                         BackendTestName);

}  // namespace
}  // namespace oc::storage
