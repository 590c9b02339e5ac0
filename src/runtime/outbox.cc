#include "runtime/outbox.h"

#include <algorithm>
#include <array>

#include "core/text_normalize.h"

namespace oc::runtime {

using storage::Tx;

namespace {

constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 5> kStatusNames = {{
    {DeliveryStatus::kPending, "pending"},
    {DeliveryStatus::kLeased, "leased"},
    {DeliveryStatus::kDone, "done"},
    {DeliveryStatus::kDead, "dead"},
    {DeliveryStatus::kDiscarded, "discarded"},
}};

constexpr std::string_view kRecordSelect =
    "SELECT o.id, o.event_id, e.type, e.stream_type, e.stream_id, o.consumer, o.idem_key, "
    "o.status, o.attempts, o.last_error, o.created_at_us, o.due_at_us, o.finished_at_us "
    "FROM outbox o JOIN domain_events e ON e.id = o.event_id";

DeliveryRecord FromRow(const storage::Row& row) {
  DeliveryRecord r;
  r.id = row.Int(0);
  r.event_seq = row.Int(1);
  r.event_type = row.Text(2);
  r.stream_type = row.Text(3);
  r.stream_id = row.Text(4);
  r.consumer = row.Text(5);
  r.idem_key = row.Text(6);
  r.status = DeliveryStatusFromName(row.Text(7)).value_or(DeliveryStatus::kPending);
  r.attempts = static_cast<int>(row.Int(8));
  r.last_error = row.OptText("last_error").value_or("");
  r.created_at = FromUnixMicros(row.Int(10));
  r.due_at = FromUnixMicros(row.Int(11));
  if (auto finished = row.OptInt("finished_at_us")) r.finished_at = FromUnixMicros(*finished);
  return r;
}

Error NotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, {"投递记录 " + std::to_string(id) + " 不存在",
                                          "Delivery " + std::to_string(id) + " does not exist"});
}

}  // namespace

std::string_view DeliveryStatusName(DeliveryStatus status) {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "pending";
}

std::optional<DeliveryStatus> DeliveryStatusFromName(std::string_view name) {
  for (const auto& [s, n] : kStatusNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

Result<std::vector<DeliveryRecord>> Outbox::List(storage::Db& db,
                                                 const DeliveryFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  std::string sql = std::string(kRecordSelect) + " WHERE 1 = 1";
  storage::Params params;
  if (filter.status) {
    sql += " AND o.status = ?";
    params.push_back(std::string(DeliveryStatusName(*filter.status)));
  }
  if (!filter.consumer.empty()) {
    sql += " AND o.consumer = ?";
    params.push_back(filter.consumer);
  }
  if (filter.before_id) {
    sql += " AND o.id < ?";
    params.push_back(*filter.before_id);
  }
  sql += " ORDER BY o.id DESC LIMIT ?";
  params.push_back(static_cast<int64_t>(filter.limit));
  return db.ReadValue<std::vector<DeliveryRecord>>(
      [&](Tx& tx) -> Result<std::vector<DeliveryRecord>> {
        ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
        std::vector<DeliveryRecord> records;
        records.reserve(rows.size());
        for (const storage::Row& row : rows) records.push_back(FromRow(row));
        return records;
      });
}

Result<DeliveryRecord> Outbox::Get(Tx& tx, int64_t id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kRecordSelect) + " WHERE o.id = ?", {id}));
  if (!row) return NotFound(id);
  return FromRow(*row);
}

Result<DeliveryRecord> Outbox::Retry(Tx& tx, const audit::AuditLog& audit,
                                     const audit::Actor& actor, int64_t id) const {
  ASSIGN_OR_RETURN(DeliveryRecord before, Get(tx, id));
  if (before.status != DeliveryStatus::kDead && before.status != DeliveryStatus::kDiscarded) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"只有投递失败或已放弃的记录可以重新投递",
                      "Only a dead or discarded delivery can be retried"});
  }
  RETURN_IF_ERROR(
      tx.Execute("UPDATE outbox SET status = 'pending', attempts = 0, due_at_us = ?, "
                 "finished_at_us = NULL WHERE id = ?",
                 {ToUnixMicros(clock_.Now()), id}));
  RETURN_IF_ERROR(audit.Append(
      tx, actor,
      {.action = audit::Action::kOutboxRetried,
       .entity_type = "outbox",
       .entity_id = std::to_string(id),
       .changes = {{"status", std::string(DeliveryStatusName(before.status)), "pending"}},
       .detail = before.idem_key}));
  return Get(tx, id);
}

Result<DeliveryRecord> Outbox::Discard(Tx& tx, const audit::AuditLog& audit,
                                       const audit::Actor& actor, int64_t id,
                                       std::string_view reason) const {
  ASSIGN_OR_RETURN(const std::string trimmed,
                   CheckReason(reason, "reason", {"放弃原因", "reason for discarding"}));
  ASSIGN_OR_RETURN(DeliveryRecord before, Get(tx, id));
  if (before.status != DeliveryStatus::kDead) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     {"只有投递失败的记录可以放弃", "Only a dead delivery can be discarded"});
  }
  RETURN_IF_ERROR(
      tx.Execute("UPDATE outbox SET status = 'discarded', finished_at_us = ? WHERE id = ?",
                 {ToUnixMicros(clock_.Now()), id}));
  RETURN_IF_ERROR(audit.Append(tx, actor,
                               {.action = audit::Action::kOutboxDiscarded,
                                .entity_type = "outbox",
                                .entity_id = std::to_string(id),
                                .changes = {{"status", "dead", "discarded"}},
                                .detail = trimmed}));
  return Get(tx, id);
}

Result<int64_t> Outbox::PurgeDone(storage::Db& db, Instant before) const {
  return db.WriteValue<int64_t>([&](Tx& tx) {
    return tx.Execute("DELETE FROM outbox WHERE status = 'done' AND finished_at_us < ?",
                      {ToUnixMicros(before)});
  });
}

Dispatcher::Dispatcher(storage::Db& db, const Clock& clock, const EventLog& events,
                       DispatcherOptions options)
    : db_(db),
      clock_(clock),
      events_(events),
      options_(std::move(options)),
      jitter_(std::random_device{}()),
      worker_([this] { return DispatchOnce(); }, options_.idle_wait) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Register(std::string consumer, Consumer handle) {
  consumers_.emplace(std::move(consumer), std::move(handle));
  consumer_condition_ = "consumer IN (";
  consumer_params_.clear();
  for (const auto& [name, unused] : consumers_) {
    consumer_condition_ += consumer_params_.empty() ? "?" : ", ?";
    consumer_params_.push_back(name);
  }
  consumer_condition_ += ")";
}

Result<int> Dispatcher::DispatchOnce() {
  if (consumers_.empty()) return 0;
  const std::string token = NewLeaseToken(options_.node);
  ASSIGN_OR_RETURN(std::vector<Claimed> claimed, db_.WriteValue<std::vector<Claimed>>([&](Tx& tx) {
    return queue_.Claim(tx, clock_.Now(), options_.lease, token, options_.batch,
                        consumer_condition_, consumer_params_);
  }));
  if (claimed.empty()) return 0;

  std::vector<Delivery> deliveries;
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    deliveries.clear();
    std::string sql = "SELECT id, consumer, idem_key, event_id FROM outbox WHERE id IN (";
    storage::Params params;
    for (const Claimed& c : claimed) {
      sql += params.empty() ? "?" : ", ?";
      params.push_back(c.id);
    }
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql + ") ORDER BY id", params));
    std::vector<int64_t> seqs;
    for (const storage::Row& row : rows) seqs.push_back(row.Int(3));
    ASSIGN_OR_RETURN(auto events, events_.GetMany(tx, seqs));
    for (size_t i = 0; i < rows.size(); ++i) {
      const storage::Row& row = rows[i];
      auto event = events.find(row.Int(3));
      if (event == events.end()) {
        return Internal("delivery " + std::to_string(row.Int(0)) + " has no event");
      }
      deliveries.push_back({.id = row.Int(0),
                            .consumer = row.Text(1),
                            .idem_key = row.Text(2),
                            .attempt = claimed[i].attempts,
                            .event = event->second});
    }
    return Ok();
  }));

  std::vector<int64_t> done;
  std::vector<int64_t> undelivered;
  std::vector<std::pair<const Delivery*, std::string>> failed;
  for (const Delivery& d : deliveries) {
    if (worker_.stopping()) {
      undelivered.push_back(d.id);  // back to the queue, for this node's restart or another
      continue;
    }
    Status outcome = consumers_.at(d.consumer)(d);
    if (outcome) {
      done.push_back(d.id);
    } else {
      failed.emplace_back(&d, FailureText(outcome.error()));
    }
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    const Instant now = clock_.Now();
    RETURN_IF_ERROR(queue_.Complete(tx, now, done, token));
    RETURN_IF_ERROR(queue_.Release(tx, now, undelivered, token));
    for (const auto& [d, error] : failed) {
      RETURN_IF_ERROR(
          queue_.Fail(tx, now, d->id, d->attempt, token, error, options_.retry, unit(jitter_)));
    }
    return Ok();
  }));
  return static_cast<int>(claimed.size());
}

}  // namespace oc::runtime
