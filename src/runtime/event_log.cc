#include "runtime/event_log.h"

#include <algorithm>
#include <boost/json.hpp>

namespace oc::runtime {

namespace json = boost::json;
using storage::Tx;

void Subscriptions::Subscribe(std::string consumer, std::string event_type) {
  consumers_.insert(consumer);
  if (event_type == "*") {
    everything_.insert(std::move(consumer));
  } else {
    by_type_[std::move(event_type)].insert(std::move(consumer));
  }
}

std::vector<std::string> Subscriptions::ConsumersOf(std::string_view event_type) const {
  std::set<std::string> names = everything_;
  if (auto it = by_type_.find(event_type); it != by_type_.end()) {
    names.insert(it->second.begin(), it->second.end());
  }
  return {names.begin(), names.end()};
}

std::vector<storage::Migration> EventMigrations() {
  // Frozen text: a change to these tables needs a migration of its own.
  return {{.id = "runtime_0001_domain_events_and_outbox", .sql = R"sql(
CREATE TABLE domain_events (
  id {{id}},
  stream_type TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  actor_user_id {{bigint}},
  actor_name TEXT NOT NULL,
  causation_id {{bigint}},
  correlation_id TEXT NOT NULL,
  at_us {{bigint}} NOT NULL
);
CREATE INDEX domain_events_by_stream ON domain_events (stream_type, stream_id, id);
CREATE INDEX domain_events_by_type ON domain_events (type, id);

CREATE TABLE outbox (
  id {{id}},
  event_id {{bigint}} NOT NULL,
  consumer TEXT NOT NULL,
  idem_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at_us {{bigint}} NOT NULL,
  lease_owner TEXT,
  last_error TEXT,
  created_at_us {{bigint}} NOT NULL,
  finished_at_us {{bigint}}
);
CREATE INDEX outbox_due ON outbox (due_at_us, id) WHERE status IN ('pending', 'leased');
CREATE INDEX outbox_by_status ON outbox (status, id);
)sql"},
          // Every change of every module appends an event, so each index on the log is paid on
          // every write; no query reads the log by type (consumers are reached through the
          // outbox, the live feed reads by seq), and this one cost a tenth of an append.
          {.id = "runtime_0007_no_event_type_index", .sql = R"sql(
DROP INDEX domain_events_by_type;
)sql"}};
}

namespace {

Status CheckNewEvent(const NewEvent& event) {
  if (event.stream_type.empty() || event.stream_id.empty() || event.type.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     {"领域事件缺少流类型、流标识或事件类型",
                      "A domain event needs a stream type, a stream id and a type"});
  }
  return Ok();
}

constexpr std::string_view kEventColumns =
    "id, stream_type, stream_id, type, payload, actor_user_id, actor_name, causation_id, "
    "correlation_id, at_us";

Result<StoredEvent> FromRow(const storage::Row& row) {
  StoredEvent e;
  e.seq = row.Int("id");
  e.stream_type = row.Text("stream_type");
  e.stream_id = row.Text("stream_id");
  e.type = row.Text("type");
  json::error_code ec;
  json::value payload = json::parse(row.Text("payload"), ec);
  if (ec || !payload.is_object()) {
    return Internal("domain event " + std::to_string(e.seq) +
                    " has a payload that is not an "
                    "object");
  }
  e.payload = std::move(payload.as_object());
  e.actor_user_id = row.OptInt("actor_user_id");
  e.actor_name = row.Text("actor_name");
  e.causation_seq = row.OptInt("causation_id");
  e.correlation_id = row.Text("correlation_id");
  e.at = FromUnixMicros(row.Int("at_us"));
  return e;
}

}  // namespace

Result<int64_t> EventLog::Append(Tx& tx, const audit::Actor& actor, const NewEvent& event) const {
  RETURN_IF_ERROR(CheckNewEvent(event));
  const int64_t now = ToUnixMicros(clock_.Now());
  std::string correlation = actor.request_id;
  if (event.causation_seq) {
    ASSIGN_OR_RETURN(auto cause,
                     tx.QueryOne("SELECT correlation_id FROM domain_events WHERE id = ?",
                                 {*event.causation_seq}));
    if (cause) correlation = cause->Text(0);
  }
  storage::Value actor_id = storage::Null{};
  if (actor.user_id) actor_id = *actor.user_id;
  storage::Value causation = storage::Null{};
  if (event.causation_seq) causation = *event.causation_seq;
  ASSIGN_OR_RETURN(
      int64_t seq,
      tx.Insert("INSERT INTO domain_events (stream_type, stream_id, type, payload, actor_user_id, "
                "actor_name, causation_id, correlation_id, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                {event.stream_type, event.stream_id, event.type, json::serialize(event.payload),
                 actor_id, actor.username, causation, correlation, now}));
  for (const std::string& consumer : subscriptions_.ConsumersOf(event.type)) {
    RETURN_IF_ERROR(
        tx.Execute("INSERT INTO outbox (event_id, consumer, idem_key, status, due_at_us, "
                   "created_at_us) VALUES (?, ?, ?, 'pending', ?, ?)",
                   {seq, consumer, consumer + ":" + std::to_string(seq), now, now}));
  }
  return seq;
}

Status EventLog::AppendAll(Tx& tx, const audit::Actor& actor,
                           std::span<const NewEvent> events) const {
  for (const NewEvent& event : events) RETURN_IF_ERROR(Append(tx, actor, event));
  return Ok();
}

Result<std::vector<StoredEvent>> EventLog::List(Tx& tx, const EventFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 1000) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 1000 之间", "limit must be between 1 and 1000"});
  }
  std::string sql = "SELECT " + std::string(kEventColumns) + " FROM domain_events WHERE 1 = 1";
  storage::Params params;
  if (filter.after_seq) {
    sql += " AND id > ?";
    params.push_back(*filter.after_seq);
  }
  if (!filter.stream_type.empty()) {
    sql += " AND stream_type = ?";
    params.push_back(filter.stream_type);
    if (!filter.stream_id.empty()) {
      sql += " AND stream_id = ?";
      params.push_back(filter.stream_id);
    }
  }
  if (!filter.type.empty()) {
    if (filter.type.back() == '.') {
      // A prefix range instead of LIKE, so that '_' and '%' in a type mean themselves.
      sql += " AND type >= ? AND type < ?";
      params.push_back(filter.type);
      std::string end = filter.type;
      end.back() = '.' + 1;
      params.push_back(end);
    } else {
      sql += " AND type = ?";
      params.push_back(filter.type);
    }
  }
  sql += " ORDER BY id LIMIT ?";
  params.push_back(static_cast<int64_t>(filter.limit));
  ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
  std::vector<StoredEvent> events;
  events.reserve(rows.size());
  for (const storage::Row& row : rows) {
    ASSIGN_OR_RETURN(StoredEvent e, FromRow(row));
    events.push_back(std::move(e));
  }
  return events;
}

Result<std::vector<StoredEvent>> EventLog::List(storage::Db& db, const EventFilter& filter) const {
  return db.ReadValue<std::vector<StoredEvent>>([&](Tx& tx) { return List(tx, filter); });
}

Result<StoredEvent> EventLog::Get(Tx& tx, int64_t seq) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kEventColumns) +
                                             " FROM domain_events WHERE id = ?",
                                         {seq}));
  if (!row) {
    return MakeError(ErrorCode::kNotFound,
                     {"领域事件 " + std::to_string(seq) + " 不存在",
                      "Domain event " + std::to_string(seq) + " does not exist"});
  }
  return FromRow(*row);
}

Result<std::map<int64_t, StoredEvent>> EventLog::GetMany(Tx& tx,
                                                         std::span<const int64_t> seqs) const {
  std::map<int64_t, StoredEvent> events;
  constexpr size_t kSlice = 500;
  for (size_t start = 0; start < seqs.size(); start += kSlice) {
    std::string sql = "SELECT " + std::string(kEventColumns) + " FROM domain_events WHERE id IN (";
    storage::Params params;
    for (size_t i = start; i < std::min(seqs.size(), start + kSlice); ++i) {
      sql += params.empty() ? "?" : ", ?";
      params.push_back(seqs[i]);
    }
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql + ")", params));
    for (const storage::Row& row : rows) {
      ASSIGN_OR_RETURN(StoredEvent e, FromRow(row));
      const int64_t seq = e.seq;
      events.emplace(seq, std::move(e));
    }
  }
  return events;
}

json::object RecordChange(std::string_view field, const json::value& old_value,
                          const json::value& new_value) {
  return {{"field", field}, {"old", old_value}, {"new", new_value}};
}

json::object SensitiveChange(std::string_view field) {
  return {{"field", field}, {"sensitive", true}};
}

}  // namespace oc::runtime
