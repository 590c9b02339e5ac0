#include "storage/sqlite/sqlite_db.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "storage/testing/test_databases.h"

namespace oc::storage {
namespace {

using testing::ScratchDir;

std::unique_ptr<SqliteDb> OpenOrDie(const ScratchDir& dir) {
  SqliteOptions options;
  options.path = (dir.path() / "opencredit.db").string();
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(options);
  EXPECT_TRUE(db) << db.error().internal_detail;
  return db ? std::move(*db) : nullptr;
}

Status CreateSchema(Db& db) {
  return db.Write([](Tx& tx) -> Status {
    return tx.ExecuteScript(
        "CREATE TABLE IF NOT EXISTS repayments (id INTEGER PRIMARY KEY, loan TEXT NOT NULL, "
        "amount_fen INTEGER NOT NULL, UNIQUE (loan, amount_fen))");
  });
}

int64_t CountRows(Db& db) {
  Result<int64_t> count = db.ReadValue<int64_t>([](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT COUNT(*) FROM repayments"));
    return rows[0].Int(0);
  });
  return count.value_or(-1);
}

TEST(SqliteDbTest, GroupCommitMakesEveryConcurrentWriteDurableInFewerTransactions) {
  ScratchDir dir;
  constexpr int kThreads = 32;
  constexpr int kWritesPerThread = 200;
  constexpr int64_t kWrites = int64_t{kThreads} * kWritesPerThread;
  {
    std::unique_ptr<SqliteDb> db = OpenOrDie(dir);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(CreateSchema(*db));
    const int64_t batches_before = db->committed_batches();
    const int64_t writes_before = db->committed_writes();

    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string loan = "L" + std::to_string(t);
        for (int i = 0; i < kWritesPerThread; ++i) {
          Status status = db->Write([&](Tx& tx) -> Status {
            RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES (?, ?)",
                                       {loan, int64_t{i}}));
            return Ok();
          });
          if (!status) ++failures;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    EXPECT_EQ(failures.load(), 0);
    const int64_t writes = db->committed_writes() - writes_before;
    const int64_t batches = db->committed_batches() - batches_before;
    EXPECT_EQ(writes, kWrites);
    EXPECT_LT(batches, kWrites);
    std::printf(
        "[ info     ] group commit, synchronous=FULL, %s: %lld writes from %d threads in "
        "%lld transactions, %.3f s, %.0f writes/s\n",
        dir.path().c_str(), static_cast<long long>(writes), kThreads,
        static_cast<long long>(batches), seconds, static_cast<double>(writes) / seconds);
  }
  // Every acknowledged write is in the file after the Db is closed and opened again.
  std::unique_ptr<SqliteDb> reopened = OpenOrDie(dir);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(CountRows(*reopened), kWrites);
}

TEST(SqliteDbTest, FailingJobInABatchDoesNotUndoTheOthers) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenOrDie(dir);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateSchema(*db));
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES ('taken', 1)"));
    return Ok();
  }));

  // The gate holds the writer thread until every job below is queued, so they all land in the
  // next batch together.
  constexpr int kJobs = 12;
  const int64_t batches_before = db->committed_batches();
  std::atomic<bool> gate_running{false};
  std::thread gate([&] {
    EXPECT_TRUE(db->Write([&](Tx&) -> Status {
      gate_running = true;
      while (db->queued_writes() < kJobs) std::this_thread::yield();
      return Ok();
    }));
  });
  while (!gate_running) std::this_thread::yield();

  std::vector<Status> results(kJobs);
  std::vector<std::thread> threads;
  for (int i = 0; i < kJobs; ++i) {
    threads.emplace_back([&, i] {
      results[i] = db->Write([&](Tx& tx) -> Status {
        if (i == 5) {
          // Fails inside the database: a unique violation in the middle of the batch.
          RETURN_IF_ERROR(
              tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES ('taken', 1)"));
        }
        RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES (?, ?)",
                                   {std::string("batch"), int64_t{i}}));
        if (i % 3 == 0) return NotFound({"还款计划不存在", "No such repayment schedule"});
        return Ok();
      });
    });
  }
  for (std::thread& thread : threads) thread.join();
  gate.join();

  EXPECT_EQ(db->committed_batches() - batches_before, 2) << "gate batch plus one batch of jobs";
  std::vector<int64_t> committed;
  ASSERT_TRUE(db->Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT amount_fen FROM repayments WHERE loan = ? "
                                         "ORDER BY amount_fen",
                                         {std::string("batch")}));
    for (const Row& row : rows) committed.push_back(row.Int(0));
    return Ok();
  }));
  std::vector<int64_t> expected;
  for (int i = 0; i < kJobs; ++i) {
    if (i == 5) {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, ErrorCode::kAlreadyExists);
    } else if (i % 3 == 0) {
      ASSERT_FALSE(results[i]);
      EXPECT_EQ(results[i].error().code, ErrorCode::kNotFound);
    } else {
      EXPECT_TRUE(results[i]) << results[i].error().internal_detail;
      expected.push_back(i);
    }
  }
  EXPECT_EQ(committed, expected);
}

TEST(SqliteDbTest, ExceptionInOneJobReachesItsCallerOnly) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenOrDie(dir);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(CreateSchema(*db));
  EXPECT_THROW((void)db->Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES ('x', 1)"));
    throw std::logic_error("bug in a callback");
  }),
               std::logic_error);
  EXPECT_EQ(CountRows(*db), 0);
  EXPECT_TRUE(db->Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES ('x', 1)"));
    return Ok();
  }));
  EXPECT_EQ(CountRows(*db), 1);
}

TEST(SqliteDbDeathTest, NestedWriteFromInsideAWriteAborts) {
  // The writer thread must exist in the child, so the child re-runs this test from the start and
  // dies without cleaning up. Its scratch directory goes inside ours (TMPDIR is inherited), and
  // ours is removed here.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ScratchDir outer;
  const char* previous_tmpdir = std::getenv("TMPDIR");
  const std::string saved_tmpdir = previous_tmpdir != nullptr ? previous_tmpdir : "";
  setenv("TMPDIR", outer.path().c_str(), 1);
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenOrDie(dir);
  ASSERT_NE(db, nullptr);
  EXPECT_DEATH((void)db->Write([&](Tx&) -> Status { return db->Write([](Tx&) { return Ok(); }); }),
               "nested transaction");
  EXPECT_DEATH((void)db->Read([&](Tx&) -> Status { return db->Ping(); }), "nested transaction");
  if (previous_tmpdir != nullptr) {
    setenv("TMPDIR", saved_tmpdir.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
}

// Personal data sits in the database, its log and its shared memory: each is readable by the
// service's account only, even when the process was started with a umask that would open them to
// everyone, and files a looser earlier start left behind are narrowed.
TEST(SqliteDbTest, DatabaseLogAndSharedMemoryAreOwnerOnlyWhateverTheUmask) {
  ScratchDir dir;
  const mode_t saved = ::umask(0);
  auto mode_of = [](const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  };
  const std::filesystem::path db_path = dir.path() / "opencredit.db";
  {
    auto db = OpenOrDie(dir);
    ASSERT_TRUE(db);
    ASSERT_TRUE(CreateSchema(*db));
    for (const char* suffix : {"", "-wal", "-shm"}) {
      EXPECT_EQ(mode_of(db_path.string() + suffix), 0600u) << suffix;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
      ::chmod((db_path.string() + suffix).c_str(), 0644);
    }
    auto again = OpenOrDie(dir);
    ASSERT_TRUE(again);
    for (const char* suffix : {"", "-wal", "-shm"}) {
      EXPECT_EQ(mode_of(db_path.string() + suffix), 0600u) << "narrowed: " << suffix;
    }
  }
  ::umask(saved);
}

TEST(SqliteDbTest, OpenRejectsAMissingPath) {
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(SqliteOptions{});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(db.error().field_violations.size(), 1u);
  EXPECT_EQ(db.error().field_violations[0].field, "path");
}

TEST(SqliteDbTest, OpenInAMissingDirectoryIsUnavailable) {
  ScratchDir dir;
  SqliteOptions options;
  options.path = (dir.path() / "no" / "such" / "dir.db").string();
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

TEST(SqliteDbTest, ForeignKeysAreEnforced) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenOrDie(dir);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
    return tx.ExecuteScript(
        "CREATE TABLE loans (id INTEGER PRIMARY KEY);"
        "CREATE TABLE schedules (id INTEGER PRIMARY KEY, loan_id INTEGER NOT NULL "
        "REFERENCES loans (id))");
  }));
  Status orphan = db->Write([](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO schedules (loan_id) VALUES (?)", {int64_t{99}}));
    return Ok();
  });
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kInternal);
}

TEST(SqliteDbTest, TheLogIsCopiedIntoTheDatabaseFileBehindTheWriter) {
  ScratchDir dir;
  SqliteOptions options;
  options.path = (dir.path() / "opencredit.db").string();
  options.checkpoint_pages = 16;
  auto opened = SqliteDb::Open(options);
  ASSERT_TRUE(opened) << opened.error().internal_detail;
  std::unique_ptr<SqliteDb> db = std::move(*opened);
  ASSERT_TRUE(CreateSchema(*db));
  const auto initial_size = std::filesystem::file_size(options.path);
  // About 2 MB through the log: only a checkpoint writes pages into the database file itself.
  const std::string loan(1000, 'L');
  for (int batch = 0; batch < 20; ++batch) {
    ASSERT_TRUE(db->Write([&](Tx& tx) -> Status {
      for (int i = 0; i < 100; ++i) {
        RETURN_IF_ERROR(tx.Execute("INSERT INTO repayments (loan, amount_fen) VALUES (?, ?)",
                                   {loan + std::to_string(batch), int64_t{i}}));
      }
      return Ok();
    }));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(options.path) < initial_size + 1'000'000 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(std::filesystem::file_size(options.path), initial_size + 1'000'000);
  EXPECT_EQ(CountRows(*db), 2000);
}

TEST(SqliteDbTest, OpenRejectsBadCacheAndCheckpointSizes) {
  ScratchDir dir;
  SqliteOptions options;
  options.path = (dir.path() / "opencredit.db").string();
  options.writer_cache_mib = 1;
  options.checkpoint_pages = 0;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().field_violations.at(0).field, "writer_cache_mib");
  options.writer_cache_mib = 2;
  db = SqliteDb::Open(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().field_violations.at(0).field, "checkpoint_pages");
}

}  // namespace
}  // namespace oc::storage
