#include "storage/unit_of_work.h"

namespace oc::storage {

Status UnitOfWork::WriteKept(Tx& tx) const {
  for (const Work& work : kept_) RETURN_IF_ERROR(work(tx));
  return Ok();
}

Status UnitOfWork::Run(Db& db, const std::function<Status(UnitOfWork&)>& work) {
  std::vector<Work> kept;
  std::vector<std::function<void()>> after_commit;
  Status outcome = db.Write([&](Tx& tx) -> Status {
    UnitOfWork unit(tx);
    Status done = work(unit);
    if (done) done = unit.WriteKept(tx);
    kept = std::move(unit.kept_);
    after_commit = std::move(unit.after_commit_);
    return done;
  });
  if (outcome) {
    for (const auto& callback : after_commit) callback();
    return outcome;
  }
  if (kept.empty()) return outcome;
  // A refusal whose record could not be written is reported as the storage failure it is: the
  // caller must not believe the refusal was recorded.
  RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    UnitOfWork after_rollback(tx);
    after_rollback.kept_ = kept;
    return after_rollback.WriteKept(tx);
  }));
  return outcome;
}

}  // namespace oc::storage
