#include "storage/postgres/postgres_db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "storage/testing/test_databases.h"

namespace oc::storage {
namespace {

using testing::Backend;

TEST(RewritePlaceholdersTest, NumbersPlaceholdersInOrder) {
  EXPECT_EQ(RewritePlaceholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)"),
            "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(RewritePlaceholders("SELECT 1"), "SELECT 1");
  EXPECT_EQ(RewritePlaceholders("?"), "$1");
}

TEST(RewritePlaceholdersTest, IgnoresQuestionMarksInStringLiterals) {
  EXPECT_EQ(RewritePlaceholders("SELECT '?', 'it''s ?', ? FROM t"),
            "SELECT '?', 'it''s ?', $1 FROM t");
  EXPECT_EQ(RewritePlaceholders(R"(SELECT E'a\'?', ?)"), R"(SELECT E'a\'?', $1)");
  EXPECT_EQ(RewritePlaceholders("SELECT $$ ? $$, $tag$ '?' $tag$, ?"),
            "SELECT $$ ? $$, $tag$ '?' $tag$, $1");
}

TEST(RewritePlaceholdersTest, IgnoresQuestionMarksInIdentifiersAndComments) {
  EXPECT_EQ(RewritePlaceholders("SELECT \"odd?\"\"name\" FROM t -- why?\nWHERE x = ?"),
            "SELECT \"odd?\"\"name\" FROM t -- why?\nWHERE x = $1");
  EXPECT_EQ(RewritePlaceholders("SELECT /* a /* nested ? */ still ? */ ?"),
            "SELECT /* a /* nested ? */ still ? */ $1");
}

TEST(RewritePlaceholdersTest, LeavesPositionalParametersAndDollarNamesAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT $1, a$b, ?"), "SELECT $1, a$b, $1");
  // An unterminated literal is copied as is; the server reports the syntax error.
  EXPECT_EQ(RewritePlaceholders("SELECT '?"), "SELECT '?");
}

// The tests below talk to the server from OC_TEST_POSTGRES_URL directly, with options the
// shared test databases do not use. They create no tables.
class PostgresDbTest : public ::testing::Test {
 protected:
  void SetUp() override { OC_REQUIRE_BACKEND(Backend::kPostgres); }

  std::unique_ptr<PostgresDb> Open(int pool_size, std::chrono::milliseconds acquire_timeout) {
    PostgresOptions options;
    options.conninfo = std::getenv("OC_TEST_POSTGRES_URL");
    options.pool_size = pool_size;
    options.acquire_timeout = acquire_timeout;
    Result<std::unique_ptr<PostgresDb>> db = PostgresDb::Open(options);
    EXPECT_TRUE(db) << db.error().internal_detail;
    return db ? std::move(*db) : nullptr;
  }
};

TEST_F(PostgresDbTest, MapsColumnTypesToValues) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  Result<std::optional<Row>> row = db->ReadValue<std::optional<Row>>([](Tx& tx) {
    return tx.QueryOne(
        "SELECT 7::int2 AS i2, 8::int4 AS i4, 9::int8 AS i8, 1.5::float4 AS f4, "
        "2.25::float8 AS f8, 123456789012345678.90::numeric AS amount, true AS yes, "
        "false AS no, '\\x00ff00'::bytea AS bytes, DATE '2026-11-28' AS day, "
        "'文本'::text AS txt, NULL::int8 AS nothing");
  });
  ASSERT_TRUE(row) << row.error().internal_detail;
  ASSERT_TRUE(row->has_value());
  const Row& r = **row;
  EXPECT_EQ(r.at("i2"), Value(int64_t{7}));
  EXPECT_EQ(r.at("i4"), Value(int64_t{8}));
  EXPECT_EQ(r.at("i8"), Value(int64_t{9}));
  EXPECT_EQ(r.at("f4"), Value(1.5));
  EXPECT_EQ(r.at("f8"), Value(2.25));
  EXPECT_EQ(r.at("amount"), Value(std::string("123456789012345678.90")));
  EXPECT_EQ(r.at("yes"), Value(int64_t{1}));
  EXPECT_EQ(r.at("no"), Value(int64_t{0}));
  EXPECT_EQ(r.at("bytes"), Value(Blob{std::string("\0\xff\0", 3)}));
  EXPECT_EQ(r.at("day"), Value(std::string("2026-11-28")));
  EXPECT_EQ(r.at("txt"), Value(std::string("文本")));
  EXPECT_TRUE(r.IsNull(11));
}

TEST_F(PostgresDbTest, TextParametersTakeTheTypeTheContextNeeds) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  Result<std::optional<Row>> row = db->ReadValue<std::optional<Row>>([](Tx& tx) {
    return tx.QueryOne("SELECT DATE '2026-11-28' > ? AS later, ?::int8 + 1 AS next",
                       {std::string("2026-01-01"), std::string("41")});
  });
  ASSERT_TRUE(row) << row.error().internal_detail;
  EXPECT_TRUE((*row)->Bool("later"));
  EXPECT_EQ((*row)->Int("next"), 42);
}

TEST_F(PostgresDbTest, TextWithNulIsInvalidArgument) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  Status status = db->Read([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Query("SELECT CAST(? AS TEXT)", {std::string("a\0b", 3)}));
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PostgresDbTest, ReconnectsAfterTheServerDropsAPooledConnection) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::seconds(5));
  std::unique_ptr<PostgresDb> admin = Open(1, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  ASSERT_NE(admin, nullptr);
  Result<int64_t> pid = db->ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT pg_backend_pid()::int8"));
    return rows[0].Int(0);
  });
  ASSERT_TRUE(pid) << pid.error().internal_detail;
  ASSERT_TRUE(admin->Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Query("SELECT pg_terminate_backend(?::int4)", {*pid}));
    return Ok();
  }));
  // The termination is asynchronous: wait until the server no longer lists the backend.
  for (;;) {
    Result<std::optional<Row>> alive = admin->ReadValue<std::optional<Row>>([&](Tx& tx) {
      return tx.QueryOne("SELECT 1 FROM pg_stat_activity WHERE pid = ?::int4", {*pid});
    });
    ASSERT_TRUE(alive);
    if (!alive->has_value()) break;
    std::this_thread::yield();
  }
  Status ping = db->Ping();
  EXPECT_TRUE(ping) << ping.error().internal_detail;
}

TEST_F(PostgresDbTest, ExhaustedPoolFailsUnavailableAfterTheTimeout) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::milliseconds(50));
  ASSERT_NE(db, nullptr);
  std::mutex mu;
  std::condition_variable cv;
  bool holding = false;
  bool release = false;
  std::thread holder([&] {
    EXPECT_TRUE(db->Read([&](Tx&) -> Status {
      std::unique_lock lock(mu);
      holding = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      return Ok();
    }));
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return holding; });
  }
  Status status = db->Ping();
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  holder.join();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(db->Ping());
}

TEST_F(PostgresDbTest, RunRetriesAConflictAndReturnsTheLastError) {
  std::unique_ptr<PostgresDb> db = Open(1, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  int attempts = 0;
  Status recovered = db->Write([&](Tx&) -> Status {
    if (++attempts < 3) return MakeError(ErrorCode::kAborted, {"冲突", "conflict"});
    return Ok();
  });
  EXPECT_TRUE(recovered);
  EXPECT_EQ(attempts, 3);

  attempts = 0;
  Status gave_up = db->Write([&](Tx&) -> Status {
    ++attempts;
    return MakeError(ErrorCode::kAborted, {"冲突", "conflict"});
  });
  ASSERT_FALSE(gave_up);
  EXPECT_EQ(gave_up.error().code, ErrorCode::kAborted);
  EXPECT_EQ(attempts, 4);
}

TEST_F(PostgresDbTest, RealDeadlockIsRetriedUntilItCommits) {
  std::unique_ptr<PostgresDb> db = Open(2, std::chrono::seconds(5));
  ASSERT_NE(db, nullptr);
  // Two transactions lock two advisory keys in opposite orders; the server breaks the deadlock
  // by failing one with 40P01, which Run retries.
  std::atomic<int> first_locks{0};
  auto cross = [&](int64_t a, int64_t b) {
    return db->Write([&, a, b](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(?)", {a}));
      ++first_locks;
      while (first_locks.load() < 2) std::this_thread::yield();
      RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(?)", {b}));
      return Ok();
    });
  };
  Status left;
  Status right;
  std::thread t1([&] { left = cross(101, 202); });
  std::thread t2([&] { right = cross(202, 101); });
  t1.join();
  t2.join();
  EXPECT_TRUE(left) << left.error().internal_detail;
  EXPECT_TRUE(right) << right.error().internal_detail;
}

TEST_F(PostgresDbTest, OpenRejectsAMalformedConnectionString) {
  PostgresOptions options;
  options.conninfo = "postgresql://[broken";
  Result<std::unique_ptr<PostgresDb>> db = PostgresDb::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(PostgresDbOpenTest, UnreachableServerIsUnavailable) {
  PostgresOptions options;
  // Port 1 on the loopback interface: nothing listens there, the connect fails at once.
  options.conninfo = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  Result<std::unique_ptr<PostgresDb>> db = PostgresDb::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace oc::storage
