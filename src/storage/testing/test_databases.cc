#include "storage/testing/test_databases.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "storage/postgres/postgres_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace oc::storage::testing {
namespace {

constexpr char kPostgresUrlVariable[] = "OC_TEST_POSTGRES_URL";
constexpr char kAllowNoPostgresVariable[] = "OC_TEST_ALLOW_NO_POSTGRES";

std::string RandomSuffix() {
  std::random_device device;
  std::uniform_int_distribution<uint64_t> distribution;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx",
                static_cast<unsigned long long>(distribution(device)));
  return buffer;
}

// A test database that takes its storage with it: the inner Db is closed first, then the
// directory or schema it lived in is removed.
class OwningTestDb final : public Db {
 public:
  OwningTestDb(std::unique_ptr<Db> inner, std::unique_ptr<ScratchDir> dir)
      : inner_(std::move(inner)), dir_(std::move(dir)) {}
  OwningTestDb(std::unique_ptr<Db> inner, std::unique_ptr<Db> admin, std::string schema)
      : inner_(std::move(inner)), admin_(std::move(admin)), schema_(std::move(schema)) {}

  ~OwningTestDb() override {
    inner_.reset();
    if (admin_ != nullptr) {
      Status dropped = admin_->Write([&](Tx& tx) -> Status {
        return tx.ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      });
      if (!dropped) {
        std::fprintf(stderr, "test database: could not drop schema %s: %s\n", schema_.c_str(),
                     dropped.error().internal_detail.c_str());
      }
    }
  }

  Dialect dialect() const override { return inner_->dialect(); }
  Status Run(TxMode mode, const std::function<Status(Tx&)>& work) override {
    return inner_->Run(mode, work);
  }
  Status Ping() override { return inner_->Ping(); }

  // The directory holding a SQLite database's files; nullptr for PostgreSQL.
  const ScratchDir* directory() const { return dir_.get(); }

 private:
  std::unique_ptr<Db> inner_;
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<Db> admin_;
  std::string schema_;
};

}  // namespace

std::vector<std::filesystem::path> SqliteFilesOf(const Db& db) {
  std::vector<std::filesystem::path> files;
  const auto* owning = dynamic_cast<const OwningTestDb*>(&db);
  if (owning == nullptr || owning->directory() == nullptr) return files;
  for (const auto& entry : std::filesystem::directory_iterator(owning->directory()->path())) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

namespace {

Result<std::unique_ptr<Db>> OpenSqlite() {
  auto dir = std::make_unique<ScratchDir>();
  SqliteOptions options;
  options.path = (dir->path() / "test.db").string();
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(std::move(options)));
  return std::unique_ptr<Db>(std::make_unique<OwningTestDb>(std::move(db), std::move(dir)));
}

Result<std::unique_ptr<Db>> OpenPostgres() {
  if (auto reason = BackendUnavailableReason(Backend::kPostgres)) {
    return MakeError(ErrorCode::kFailedPrecondition, {*reason, *reason}, *reason);
  }
  const std::string url = std::getenv(kPostgresUrlVariable);
  PostgresOptions admin_options;
  admin_options.conninfo = url;
  admin_options.pool_size = 1;
  ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> admin, PostgresDb::Open(admin_options));
  const std::string schema = "test_" + RandomSuffix();
  RETURN_IF_ERROR(
      admin->Write([&](Tx& tx) -> Status { return tx.ExecuteScript("CREATE SCHEMA " + schema); }));

  PostgresOptions options;
  options.conninfo = url;
  options.pool_size = 8;
  // Sanitizer builds on a shared machine are slow; a test waiting for the pool should not fail
  // for that.
  options.acquire_timeout = std::chrono::seconds(60);
  options.search_path = schema;
  Result<std::unique_ptr<PostgresDb>> db = PostgresDb::Open(std::move(options));
  if (!db) {
    (void)admin->Write(
        [&](Tx& tx) -> Status { return tx.ExecuteScript("DROP SCHEMA " + schema + " CASCADE"); });
    return std::move(db).error();
  }
  return std::unique_ptr<Db>(
      std::make_unique<OwningTestDb>(std::move(*db), std::move(admin), schema));
}

}  // namespace

std::vector<Backend> AllBackends() { return {Backend::kSqlite, Backend::kPostgres}; }

std::string BackendName(Backend backend) {
  switch (backend) {
    case Backend::kSqlite:
      return "Sqlite";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

std::optional<std::string> BackendUnavailableReason(Backend backend) {
  if (backend != Backend::kPostgres) return std::nullopt;
  const char* url = std::getenv(kPostgresUrlVariable);
  if (url != nullptr && url[0] != '\0') return std::nullopt;
  return std::string(kPostgresUrlVariable) +
         " is not set: run the tests under scripts/with-postgres.sh (or set " +
         kAllowNoPostgresVariable + "=1 to skip the PostgreSQL tests)";
}

bool MaySkipUnavailableBackend() {
  const char* allow = std::getenv(kAllowNoPostgresVariable);
  return allow != nullptr && std::string_view(allow) == "1";
}

Result<std::unique_ptr<Db>> OpenTestDb(Backend backend) {
  return backend == Backend::kSqlite ? OpenSqlite() : OpenPostgres();
}

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "oc-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("ScratchDir: mkdtemp");
    std::abort();
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void BackendTest::SetUp() {
  OC_REQUIRE_BACKEND(GetParam());
  Result<std::unique_ptr<Db>> db = OpenTestDb(GetParam());
  ASSERT_TRUE(db) << "cannot open a " << BackendName(GetParam())
                  << " test database: " << db.error().internal_detail;
  db_ = std::move(*db);
}

void BackendTest::TearDown() { db_.reset(); }

}  // namespace oc::storage::testing
