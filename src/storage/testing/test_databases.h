#pragma once
// Test support for running every storage-backed test on both backends (tests only: the CMake
// target oc::storage_testing is linked by test binaries, never by the product).
//
//   class CustomerRepositoryTest : public oc::storage::testing::BackendTest {};
//   TEST_P(CustomerRepositoryTest, CreateThenGet) { … db() … }
//   INSTANTIATE_TEST_SUITE_P(Backends, CustomerRepositoryTest,
//                            ::testing::ValuesIn(oc::storage::testing::AllBackends()),
//                            oc::storage::testing::BackendTestName);
//
// SQLite databases live in a fresh temporary directory; PostgreSQL databases are a fresh schema
// in the server named by the environment variable OC_TEST_POSTGRES_URL (scripts/with-postgres.sh
// starts a throwaway server and sets it). Without that variable PostgreSQL tests fail, unless
// OC_TEST_ALLOW_NO_POSTGRES=1, in which case they are skipped.
//
// Thread-safety: the functions are safe to call from any thread; a ScratchDir is owned by one.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "storage/db.h"

namespace oc::storage::testing {

enum class Backend { kSqlite, kPostgres };

// Every backend, in a stable order.
std::vector<Backend> AllBackends();

// "Sqlite" / "Postgres": usable as a gtest parameter name.
std::string BackendName(Backend backend);

// For INSTANTIATE_TEST_SUITE_P's name generator argument.
std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info);

// Why `backend` cannot run in this environment, or nullopt when it can.
std::optional<std::string> BackendUnavailableReason(Backend backend);

// True when OC_TEST_ALLOW_NO_POSTGRES=1: a missing backend skips its tests instead of failing.
bool MaySkipUnavailableBackend();

// An empty, isolated database on `backend`, deleted (SQLite: the directory; PostgreSQL: the
// schema, CASCADE) when the returned Db is destroyed.
// Errors: kFailedPrecondition when the backend is not configured (see above); the backend's
// Open errors otherwise.
Result<std::unique_ptr<Db>> OpenTestDb(Backend backend);

// Every file of a SQLite test database opened by OpenTestDb (the database, its write-ahead log and
// shared memory), for tests that check what reaches the disk; empty for other backends.
std::vector<std::filesystem::path> SqliteFilesOf(const Db& db);

// A new empty directory under the system temporary directory, removed with everything in it
// when the ScratchDir is destroyed.
class ScratchDir {
 public:
  // Aborts if the directory cannot be created: a test environment without a writable temporary
  // directory cannot run any storage test.
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A parameterised fixture whose SetUp opens a fresh test database on GetParam(): db() is ready
// in the test body. Fails (or skips, see MaySkipUnavailableBackend) when the backend is absent.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Db& db() { return *db_; }

  std::unique_ptr<Db> db_;
};

}  // namespace oc::storage::testing

// In a test body or SetUp: returns from the test when `backend` is unavailable here — as a skip
// when OC_TEST_ALLOW_NO_POSTGRES=1, as a failure otherwise.
#define OC_REQUIRE_BACKEND(backend)                                                         \
  do {                                                                                      \
    if (auto oc_reason_ = ::oc::storage::testing::BackendUnavailableReason(backend)) {      \
      if (::oc::storage::testing::MaySkipUnavailableBackend()) GTEST_SKIP() << *oc_reason_; \
      FAIL() << *oc_reason_;                                                                \
    }                                                                                       \
  } while (false)
