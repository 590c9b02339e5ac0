#pragma once
// The runtime's tests share one way to start: a fresh database of the backend under test with
// the audit trail's and the runtime's tables.

#include <memory>

#include "audit/audit_log.h"
#include "runtime/migrations.h"
#include "storage/migrations.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {

inline Result<std::unique_ptr<storage::Db>> OpenRuntimeTestDb(storage::testing::Backend backend) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Db> db, storage::testing::OpenTestDb(backend));
  std::vector<storage::Migration> migrations = audit::Migrations();
  for (auto& m : Migrations()) migrations.push_back(std::move(m));
  RETURN_IF_ERROR(storage::ApplyMigrations(*db, migrations));
  return db;
}

}  // namespace oc::runtime
