#pragma once
// A unit of work: one use case's one write transaction, shared by every service the use case
// calls. A change, its audit entry, its domain events and the request's idempotency record all
// write through the same Tx, so they commit together or not at all; a crash between two of them
// can never leave one without the others.
//
// Services offer their use cases in two forms: `Create(UnitOfWork&, …)` takes part in the
// caller's unit, and `Create(…)` runs a unit of its own around it. Code inside a unit must never
// call Db::Run (or Read/Write) on the same Db: that would be a second, nested transaction.
//
// Some records must outlive a refusal: the audit entry of a refused attempt, the rate-limit count
// of a duplicate found. `Regardless` keeps them: they are written in the unit when it commits,
// and in a transaction of their own after it rolls back.
//
// Other effects must wait for the commit: dropping a cache of what the unit changed, announcing
// it. `AfterCommit` holds them until the unit has committed, and drops them when it does not.
//
// Thread-safety: a UnitOfWork belongs to the callback it was passed to, like its Tx.

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "storage/db.h"

namespace oc::storage {

class UnitOfWork {
 public:
  using Work = std::function<Status(Tx&)>;

  // Runs `work` in one write transaction of `db` and commits when it returns Ok, then runs what
  // it asked to do AfterCommit; rolls back otherwise and then writes what `work` asked to keep
  // Regardless. Returns `work`'s error, the commit's, or (after a rollback) that of writing the
  // kept records. Like Db::Run, `work` may run again after a serialization failure; what an
  // abandoned attempt kept or asked to do after the commit is dropped.
  static Status Run(Db& db, const std::function<Status(UnitOfWork&)>& work);

  template <class T>
  static Result<T> RunValue(Db& db, const std::function<Result<T>(UnitOfWork&)>& work) {
    std::optional<T> out;
    RETURN_IF_ERROR(Run(db, [&](UnitOfWork& unit) -> Status {
      auto result = work(unit);
      if (!result) return Error(std::move(result).error());
      out.emplace(std::move(*result));
      return Ok();
    }));
    return std::move(*out);
  }

  Tx& tx() const { return tx_; }

  // Keeps `work` whatever becomes of the unit (see above). It runs at the end of the unit, after
  // everything else the unit did, or alone after the rollback: it must not depend on the rest.
  void Regardless(Work work) { kept_.push_back(std::move(work)); }

  // Runs `callback` once the unit has committed, in the order given, on the thread that called
  // Run and before Run returns; never when the unit rolls back. The transaction is over by then,
  // so `callback` may use the Db; it cannot fail the unit, which has already committed.
  void AfterCommit(std::function<void()> callback) { after_commit_.push_back(std::move(callback)); }

  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

 private:
  explicit UnitOfWork(Tx& tx) : tx_(tx) {}
  Status WriteKept(Tx& tx) const;

  Tx& tx_;
  std::vector<Work> kept_;
  std::vector<std::function<void()>> after_commit_;
};

}  // namespace oc::storage
