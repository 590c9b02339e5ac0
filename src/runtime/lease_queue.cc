#include "runtime/lease_queue.h"

#include <algorithm>
#include <atomic>

namespace oc::runtime {

using storage::Tx;

std::chrono::microseconds RetryPolicy::DelayAfter(int attempts, double unit) const {
  std::chrono::microseconds delay = first_delay;
  for (int i = 1; i < attempts && delay < max_delay; ++i) delay *= 2;
  delay = std::min(delay, max_delay);
  const auto half = delay / 2;
  return half + std::chrono::microseconds(static_cast<int64_t>(
                    static_cast<double>((delay - half).count()) * std::clamp(unit, 0.0, 1.0)));
}

Result<std::vector<Claimed>> LeaseQueue::Claim(Tx& tx, Instant now, std::chrono::microseconds lease,
                                               std::string_view token, int limit,
                                               std::string_view extra_condition,
                                               const storage::Params& extra_params) const {
  const int64_t now_us = ToUnixMicros(now);
  std::string pick =
      "SELECT id FROM " + table_ + " WHERE status IN ('pending', 'leased') AND due_at_us <= ?";
  if (!extra_condition.empty()) pick += " AND (" + std::string(extra_condition) + ")";
  pick += " ORDER BY due_at_us, id LIMIT ?";
  if (tx.dialect() == storage::Dialect::kPostgres) pick += " FOR UPDATE SKIP LOCKED";
  storage::Params params{std::string(token), now_us + lease.count(), now_us};
  params.insert(params.end(), extra_params.begin(), extra_params.end());
  params.push_back(static_cast<int64_t>(limit));
  ASSIGN_OR_RETURN(storage::Rows rows,
                   tx.Query("UPDATE " + table_ +
                                " SET status = 'leased', lease_owner = ?, attempts = attempts + 1, "
                                "due_at_us = ? WHERE id IN (" +
                                pick + ") RETURNING id, attempts",
                            params));
  std::vector<Claimed> claimed;
  claimed.reserve(rows.size());
  for (const storage::Row& row : rows) {
    claimed.push_back({.id = row.Int(0), .attempts = static_cast<int>(row.Int(1))});
  }
  std::sort(claimed.begin(), claimed.end(),
            [](const Claimed& a, const Claimed& b) { return a.id < b.id; });
  return claimed;
}

namespace {

// Runs `set` ("status = 'done', …") over the rows of `ids` that `token` holds, in slices of at
// most 500 ids so that a batch of any size makes bounded statements.
Result<int64_t> SettleHeld(Tx& tx, std::string_view table, std::string_view set,
                           storage::Params set_params, std::span<const int64_t> ids,
                           std::string_view token) {
  int64_t settled = 0;
  constexpr size_t kSlice = 500;
  for (size_t start = 0; start < ids.size(); start += kSlice) {
    const size_t end = std::min(ids.size(), start + kSlice);
    std::string sql = "UPDATE " + std::string(table) + " SET " + std::string(set) +
                      " WHERE lease_owner = ? AND status = 'leased' AND id IN (";
    storage::Params params = set_params;
    params.push_back(std::string(token));
    for (size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.push_back(ids[i]);
    }
    sql += ")";
    ASSIGN_OR_RETURN(int64_t n, tx.Execute(sql, params));
    settled += n;
  }
  return settled;
}

}  // namespace

Result<int64_t> LeaseQueue::Complete(Tx& tx, Instant now, std::span<const int64_t> ids,
                                     std::string_view token) const {
  return SettleHeld(tx, table_,
                    "status = 'done', lease_owner = NULL, last_error = NULL, finished_at_us = ?",
                    {ToUnixMicros(now)}, ids, token);
}

Result<int64_t> LeaseQueue::Release(Tx& tx, Instant now, std::span<const int64_t> ids,
                                    std::string_view token) const {
  return SettleHeld(tx, table_,
                    "status = 'pending', lease_owner = NULL, attempts = attempts - 1, "
                    "due_at_us = ?",
                    {ToUnixMicros(now)}, ids, token);
}

Result<bool> LeaseQueue::Fail(Tx& tx, Instant now, int64_t id, int attempts, std::string_view token,
                              std::string_view error, const RetryPolicy& policy,
                              double unit) const {
  const bool dead = attempts >= policy.max_attempts;
  const int64_t now_us = ToUnixMicros(now);
  // An error is shown to an administrator: keep it short enough for a table cell and a log line.
  const std::string kept(error.substr(0, 2000));
  if (dead) {
    RETURN_IF_ERROR(tx.Execute("UPDATE " + table_ +
                                   " SET status = 'dead', lease_owner = NULL, last_error = ?, "
                                   "finished_at_us = ? WHERE id = ? AND lease_owner = ?",
                               {kept, now_us, id, std::string(token)}));
  } else {
    RETURN_IF_ERROR(tx.Execute(
        "UPDATE " + table_ +
            " SET status = 'pending', lease_owner = NULL, last_error = ?, due_at_us = ? "
            "WHERE id = ? AND lease_owner = ?",
        {kept, now_us + policy.DelayAfter(attempts, unit).count(), id, std::string(token)}));
  }
  return dead;
}

std::string FailureText(const Error& error) {
  return error.internal_detail.empty() ? error.message.en_us
                                       : error.message.en_us + ": " + error.internal_detail;
}

std::string NewLeaseToken(std::string_view node) {
  static std::atomic<uint64_t> counter{0};
  return std::string(node) + "#" + std::to_string(++counter);
}

}  // namespace oc::runtime
