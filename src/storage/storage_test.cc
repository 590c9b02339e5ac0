// Behaviour every Db backend must share. Runs on SQLite and on PostgreSQL.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::storage {
namespace {

using testing::AllBackends;
using testing::BackendTest;
using testing::BackendTestName;

class StorageTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (db_ == nullptr) return;
    ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
      return tx.ExecuteScript(ExpandDialect(
          "CREATE TABLE customers (id {{id}}, name TEXT NOT NULL UNIQUE, credit_limit {{bigint}}, "
          "score DOUBLE PRECISION, photo {{blob}}, vip {{bigint}} NOT NULL DEFAULT 0);"
          "CREATE TABLE counter (n {{bigint}} NOT NULL)",
          tx.dialect()));
    }));
  }

  int64_t CountCustomers() {
    Result<int64_t> count = db().ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT COUNT(*) AS n FROM customers"));
      return rows.at(0).Int("n");
    });
    EXPECT_TRUE(count) << count.error().internal_detail;
    return count.value_or(-1);
  }
};

TEST_P(StorageTest, InsertReturnsTheGeneratedIdAndReportsConstraintViolations) {
  std::vector<int64_t> ids;
  Status written = db().Write([&](Tx& tx) -> Status {
    for (const char* name : {"甲", "乙"}) {
      ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO customers (name) VALUES (?)",
                                             {std::string(name)}));
      ids.push_back(id);
    }
    return Ok();
  });
  ASSERT_TRUE(written) << written.error().internal_detail;
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_GT(ids[1], ids[0]);
  auto second = db().ReadValue<std::string>([&](Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT name FROM customers WHERE id = ?", {ids[1]}));
    return row->Text(0);
  });
  EXPECT_EQ(second.value_or(""), "乙");
  Status duplicate = db().Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Insert("INSERT INTO customers (name) VALUES (?)", {std::string("甲")}));
    return Ok();
  });
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
}

// A key taken already is an answer, not a failure: the transaction goes on, on PostgreSQL too,
// where a failed statement would abort it.
TEST_P(StorageTest, InsertUnlessTakenReturnsNothingForATakenKeyAndTheTransactionGoesOn) {
  std::optional<int64_t> first, again;
  int64_t after = 0;
  Status written = db().Write([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(first, tx.InsertUnlessTaken("INSERT INTO customers (name) VALUES (?)",
                                                 {std::string("丙")}));
    ASSIGN_OR_RETURN(again, tx.InsertUnlessTaken("INSERT INTO customers (name) VALUES (?)",
                                                 {std::string("丙")}));
    ASSIGN_OR_RETURN(after,
                     tx.Insert("INSERT INTO customers (name) VALUES (?)", {std::string("丁")}));
    return Ok();
  });
  ASSERT_TRUE(written) << written.error().internal_detail;
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(again.has_value());
  EXPECT_GT(after, *first);
  EXPECT_EQ(CountCustomers(), 2);
  Status wrong = db().Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.InsertUnlessTaken("INSERT INTO nowhere (name) VALUES (?)", {int64_t{1}}));
    return Ok();
  });
  EXPECT_FALSE(wrong) << "other errors are errors";
}

TEST_P(StorageTest, RoundTripsEveryValueType) {
  const std::string chinese = "张三（客户经理）— 信贷客户 🏦";
  const std::string binary("\0\x01\xff\0tail\0", 9);
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(db().Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO customers (id, name, credit_limit, score, photo) VALUES (?, ?, ?, ?, ?)",
        {int64_t{1}, chinese, big, 0.1, Blob{binary}}));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO customers (id, name, credit_limit, score, photo) VALUES (?, ?, ?, ?, ?)",
        {int64_t{2}, std::string(), small, -1e300, Blob{}}));
    RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO customers (id, name, credit_limit, score, photo) VALUES (?, ?, ?, ?, ?)",
        {int64_t{3}, std::string("null row"), Null{}, Null{}, Null{}}));
    return Ok();
  }));

  Result<Rows> rows = db().ReadValue<Rows>([](Tx& tx) {
    return tx.Query("SELECT id, name, credit_limit, score, photo FROM customers ORDER BY id");
  });
  ASSERT_TRUE(rows) << rows.error().internal_detail;
  ASSERT_EQ(rows->size(), 3u);
  const Row& first = (*rows)[0];
  EXPECT_EQ(first.at("id"), Value(int64_t{1}));
  EXPECT_EQ(first.at("name"), Value(chinese));
  EXPECT_EQ(first.at("credit_limit"), Value(big));
  EXPECT_EQ(first.at("score"), Value(0.1));
  EXPECT_EQ(first.at("photo"), Value(Blob{binary}));
  EXPECT_EQ(first.Bytes("photo").size(), 9u);

  const Row& second = (*rows)[1];
  EXPECT_EQ(second.at("name"), Value(std::string()));
  EXPECT_EQ(second.at("credit_limit"), Value(small));
  EXPECT_EQ(second.at("score"), Value(-1e300));
  EXPECT_EQ(second.at("photo"), Value(Blob{}));

  const Row& third = (*rows)[2];
  EXPECT_TRUE(third.IsNull(2));
  EXPECT_TRUE(third.IsNull(3));
  EXPECT_TRUE(third.IsNull(4));
  EXPECT_EQ(third.OptInt("credit_limit"), std::nullopt);
  EXPECT_EQ(third.OptBytes("photo"), std::nullopt);
}

TEST_P(StorageTest, BooleansAreStoredAsIntegers) {
  ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name, vip) VALUES (?, ?)",
                               {std::string("a"), int64_t{1}}));
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name, vip) VALUES (?, ?)",
                               {std::string("b"), int64_t{0}}));
    return Ok();
  }));
  Result<Rows> rows = db().ReadValue<Rows>(
      [](Tx& tx) { return tx.Query("SELECT name, vip FROM customers ORDER BY name"); });
  ASSERT_TRUE(rows);
  EXPECT_TRUE((*rows)[0].Bool("vip"));
  EXPECT_FALSE((*rows)[1].Bool("vip"));
}

TEST_P(StorageTest, AutoIncrementIdsAreAssigned) {
  Result<int64_t> id = db().WriteValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("x")}));
    ASSIGN_OR_RETURN(std::optional<Row> row,
                     tx.QueryOne("SELECT id FROM customers WHERE name = ?", {std::string("x")}));
    return row->Int("id");
  });
  ASSERT_TRUE(id) << id.error().internal_detail;
  EXPECT_GT(*id, 0);
}

TEST_P(StorageTest, UniqueViolationIsAlreadyExists) {
  auto insert = [&] {
    return db().Write([](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("李四")}));
      return Ok();
    });
  };
  ASSERT_TRUE(insert());
  Status again = insert();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().message.en_us.find("INSERT"), std::string::npos);
  EXPECT_NE(again.error().internal_detail.find("INSERT INTO customers"), std::string::npos);
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_P(StorageTest, FailedWorkRollsBackEverythingItWrote) {
  Status status = db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("b")}));
    return NotFound({"没有此产品", "No such product"});
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CountCustomers(), 0);
}

TEST_P(StorageTest, ExceptionFromWorkRollsBackAndReachesTheCaller) {
  EXPECT_THROW((void)db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(CountCustomers(), 0);
  // The connection is usable afterwards.
  EXPECT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    return Ok();
  }));
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_P(StorageTest, BadSqlIsInternalAndKeepsTheSqlOutOfTheMessage) {
  Status status = db().Read([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Query("SELEC name FROM customers_typo WHERE id = ?", {int64_t{1}}));
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(status.error().message.en_us.find("SELEC"), std::string::npos);
  EXPECT_EQ(status.error().message.zh_cn.find("SELEC"), std::string::npos);
  EXPECT_NE(status.error().internal_detail.find("customers_typo"), std::string::npos);
}

TEST_P(StorageTest, ReadTransactionRejectsWrites) {
  Status status = db().Read([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInternal);
  EXPECT_EQ(CountCustomers(), 0);
}

TEST_P(StorageTest, ExecuteReturnsTheNumberOfChangedRows) {
  Result<int64_t> changed = db().WriteValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    for (const char* name : {"a", "b", "c"}) {
      RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string(name)}));
    }
    return tx.Execute("UPDATE customers SET vip = 1 WHERE name <> ?", {std::string("b")});
  });
  ASSERT_TRUE(changed) << changed.error().internal_detail;
  EXPECT_EQ(*changed, 2);
}

TEST_P(StorageTest, QueryOneReturnsTheFirstRowOrNothing) {
  ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?), (?)",
                               {std::string("a"), std::string("b")}));
    return Ok();
  }));
  Status status = db().Read([](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::optional<Row> first,
                     tx.QueryOne("SELECT name FROM customers ORDER BY name"));
    EXPECT_TRUE(first.has_value());
    if (first) {
      EXPECT_EQ(first->Text("name"), "a");
    }
    ASSIGN_OR_RETURN(std::optional<Row> none,
                     tx.QueryOne("SELECT name FROM customers WHERE name = ?", {std::string("z")}));
    EXPECT_FALSE(none.has_value());
    return Ok();
  });
  EXPECT_TRUE(status) << status.error().internal_detail;
}

TEST_P(StorageTest, QuestionMarksInsideLiteralsAreNotPlaceholders) {
  Result<std::optional<Row>> row = db().ReadValue<std::optional<Row>>([](Tx& tx) {
    return tx.QueryOne(
        "SELECT '?' AS q, 'it''s ?' AS w, CAST(? AS TEXT) AS v /* ? */ -- trailing ?\n",
        {std::string("值")});
  });
  ASSERT_TRUE(row) << row.error().internal_detail;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Text("q"), "?");
  EXPECT_EQ((*row)->Text("w"), "it's ?");
  EXPECT_EQ((*row)->Text("v"), "值");
}

TEST_P(StorageTest, ReaderSeesCommittedData) {
  ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    return Ok();
  }));
  EXPECT_EQ(CountCustomers(), 1);
}

TEST_P(StorageTest, ReadTransactionSeesOneSnapshotWhileWritesCommit) {
  ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("a")}));
    return Ok();
  }));
  Status status = db().Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Rows before, tx.Query("SELECT COUNT(*) FROM customers"));
    Status written;
    std::thread writer([&] {
      written = db().Write([](Tx& w) -> Status {
        RETURN_IF_ERROR(w.Execute("INSERT INTO customers (name) VALUES (?)", {std::string("b")}));
        return Ok();
      });
    });
    writer.join();
    EXPECT_TRUE(written) << written.error().internal_detail;
    ASSIGN_OR_RETURN(Rows after, tx.Query("SELECT COUNT(*) FROM customers"));
    EXPECT_EQ(before[0].Int(0), 1);
    EXPECT_EQ(after[0].Int(0), 1);
    return Ok();
  });
  EXPECT_TRUE(status) << status.error().internal_detail;
  EXPECT_EQ(CountCustomers(), 2);
}

TEST_P(StorageTest, ConcurrentWritersAllSucceedAndAreCounted) {
  ASSERT_TRUE(db().Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO counter (n) VALUES (0)"));
    return Ok();
  }));
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        Status status = db().Write([&](Tx& tx) -> Status {
          RETURN_IF_ERROR(tx.Execute("UPDATE counter SET n = n + 1"));
          RETURN_IF_ERROR(tx.Execute("INSERT INTO customers (name) VALUES (?)",
                                     {std::to_string(t) + "-" + std::to_string(i)}));
          return Ok();
        });
        if (!status) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountCustomers(), kThreads * kWritesPerThread);
  Result<int64_t> n = db().ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(std::optional<Row> row, tx.QueryOne("SELECT n FROM counter"));
    return row->Int("n");
  });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, kThreads * kWritesPerThread);
}

TEST_P(StorageTest, PingSucceeds) { EXPECT_TRUE(db().Ping()); }

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(AllBackends()),
                         BackendTestName);

}  // namespace
}  // namespace oc::storage
