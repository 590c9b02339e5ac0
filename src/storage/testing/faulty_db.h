#pragma once
// A Db that passes everything through to a real one and fails on demand: the next statement whose
// SQL contains a given fragment returns an error instead of running, as if the process or the
// connection had died between two steps of a use case. Tests use it to show that a unit of work
// leaves nothing half-done behind (tests only, like the rest of storage/testing).
//
// Thread-safety: as the wrapped Db; arming a fault is safe from any thread.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/error.h"
#include "storage/db.h"

namespace oc::storage::testing {

class FaultyDb : public Db {
 public:
  explicit FaultyDb(std::unique_ptr<Db> real) : real_(std::move(real)) {}

  // Arms one failure: the next Query, Execute, Insert or ExecuteScript whose SQL contains
  // `sql_fragment` returns kUnavailable without reaching the database. Replaces an armed one.
  void FailNextStatement(std::string sql_fragment);
  // Whether the armed failure has happened yet.
  bool armed() const;

  Dialect dialect() const override { return real_->dialect(); }
  Status Run(TxMode mode, const std::function<Status(Tx&)>& work) override;
  Status Ping() override { return real_->Ping(); }

 private:
  friend class FaultyTx;
  // Takes the armed failure when `sql` matches it.
  std::optional<Error> Strike(std::string_view sql);

  std::unique_ptr<Db> real_;
  mutable std::mutex mu_;
  std::optional<std::string> fragment_;
};

}  // namespace oc::storage::testing
