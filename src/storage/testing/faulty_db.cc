#include "storage/testing/faulty_db.h"

namespace oc::storage::testing {

class FaultyTx : public Tx {
 public:
  FaultyTx(FaultyDb& db, Tx& real) : db_(db), real_(real) {}

  Dialect dialect() const override { return real_.dialect(); }
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    if (auto fault = db_.Strike(sql)) return *fault;
    return real_.Query(sql, params);
  }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    if (auto fault = db_.Strike(sql)) return *fault;
    return real_.Execute(sql, params);
  }
  Result<int64_t> Insert(std::string_view sql, const Params& params) override {
    if (auto fault = db_.Strike(sql)) return *fault;
    return real_.Insert(sql, params);
  }
  Status ExecuteScript(std::string_view sql) override {
    if (auto fault = db_.Strike(sql)) return *fault;
    return real_.ExecuteScript(sql);
  }

 private:
  FaultyDb& db_;
  Tx& real_;
};

void FaultyDb::FailNextStatement(std::string sql_fragment) {
  std::lock_guard lock(mu_);
  fragment_ = std::move(sql_fragment);
}

bool FaultyDb::armed() const {
  std::lock_guard lock(mu_);
  return fragment_.has_value();
}

std::optional<Error> FaultyDb::Strike(std::string_view sql) {
  std::lock_guard lock(mu_);
  if (!fragment_ || sql.find(*fragment_) == std::string_view::npos) return std::nullopt;
  Error error =
      MakeError(ErrorCode::kUnavailable, {"数据库暂不可用", "The database is unavailable"},
                "injected failure at: " + *fragment_);
  fragment_.reset();
  return error;
}

Status FaultyDb::Run(TxMode mode, const std::function<Status(Tx&)>& work) {
  return real_->Run(mode, [&](Tx& tx) {
    FaultyTx faulty(*this, tx);
    return work(faulty);
  });
}

}  // namespace oc::storage::testing
