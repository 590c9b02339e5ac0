#pragma once
// The composition root: the only place that knows every concrete class. It opens the database,
// applies migrations, loads the field-encryption keys, builds the services, registers every
// route and runs the HTTP server. main.cc, the integration tests and the benchmarks all start
// the system through this one class, so they exercise exactly what production runs.

#include <filesystem>
#include <memory>

#include "app/config.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/db.h"
#include "storage/migrations.h"

namespace spdlog {
class logger;
}

namespace oc::audit {
class AuditLog;
}

namespace oc::crypto {
class FieldCipher;
class MacKeyring;
}

namespace oc::app {

// Every module's migrations, in dependency order.
std::vector<storage::Migration> AllMigrations();

// Applies every pending migration and, when the audit chain was keyed by one of them, seals the
// trail written before (AuditLog::SealUpgradedChain). Returns the ids applied, in order.
Result<std::vector<std::string>> Migrate(storage::Db& db, const audit::AuditLog& audit);

// Opens the configured database: PostgreSQL when database_url is set, else the SQLite file
// DATA_DIR/opencredit.db (creating the directory). Errors: kUnavailable when it cannot be
// opened or reached.
Result<std::unique_ptr<storage::Db>> OpenDatabase(const Config& config);

// What the master keys yield: the field cipher (personal data) and the audit chain's MAC keys.
struct Keys {
  std::unique_ptr<crypto::FieldCipher> cipher;
  std::unique_ptr<crypto::MacKeyring> audit;
};

// Whether a missing key may be generated. Only a server or a migration that starts a data
// directory creates one; a check such as `audit verify` must never invent a key it would then
// verify against.
enum class KeyFile { kCreateIfMissing, kMustExist };

// The keys from the configured master key, or — only when the server listens on a loopback
// address — from a key file in the data directory, generated there with `kCreateIfMissing`.
// Errors: kFailedPrecondition on a non-loopback address without a configured key, or when the
// key file is missing and may not be created; the key parser's errors.
Result<Keys> LoadKeys(const Config& config, spdlog::logger& log,
                      KeyFile key_file = KeyFile::kCreateIfMissing);

struct Logs {
  std::shared_ptr<spdlog::logger> app;     // required
  // When null and config.access_log is on, JSON lines go to standard output asynchronously.
  std::shared_ptr<spdlog::logger> access;
};

class Application {
 public:
  // Takes over `db`, applies pending migrations, builds everything. `clock` must outlive the
  // Application. Errors: those of the migrations and of LoadKeys.
  static Result<std::unique_ptr<Application>> Create(const Config& config,
                                                     std::unique_ptr<storage::Db> db,
                                                     const Clock& clock, Logs logs);
  ~Application();

  // On an empty database (no users), seeds a demo organisation — and, with `with_customers`, its
  // demo customers — and logs the demo passwords once. Returns whether it seeded.
  Result<bool> SeedDemoIfEmpty(bool with_customers = true);

  // Binds the listening socket. Errors: kUnavailable when the address cannot be bound.
  Status Start();
  uint16_t port() const;
  // Serves until Stop() or, with `handle_signals`, SIGTERM/SIGINT; then drains and returns.
  void Run(bool handle_signals);
  void Stop();

  storage::Db& db();
  // Every registered route (the OpenAPI test compares them with the document).
  std::vector<std::pair<std::string, std::string>> Routes() const;  // (method, pattern)
  // The API document GET /api/v1/openapi.json serves, built from those routes.
  std::string OpenApiText() const;

 private:
  struct Parts;
  explicit Application(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace oc::app
