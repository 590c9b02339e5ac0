#include "runtime/notification_service.h"

#include <boost/json.hpp>
#include <utility>

#include "audit/action.h"
#include "core/text_normalize.h"
#include "runtime/live_feed.h"

namespace oc::runtime {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::string_view kColumns =
    "id, recipient_id, title, body, link_type, link_id, created_at_us, read_at_us";

Notification FromRow(const storage::Row& row) {
  Notification n;
  n.id = NotificationId(row.Int("id"));
  n.recipient = UserRef(row.Int("recipient_id"));
  n.title = row.Text("title");
  n.body = row.Text("body");
  n.link = {row.Text("link_type"), row.Text("link_id")};
  n.created_at = FromUnixMicros(row.Int("created_at_us"));
  if (auto read = row.OptInt("read_at_us")) n.read_at = FromUnixMicros(*read);
  return n;
}

std::vector<FieldViolation> CheckNew(const NewNotification& input) {
  std::vector<FieldViolation> violations;
  if (!input.recipient.valid()) {
    violations.push_back({"recipient_id", "required", {"请指定接收人", "Name a recipient"}});
  }
  if (input.title.find_first_not_of(" \t\r\n") == std::string::npos) {
    violations.push_back({"title", "required", {"请填写标题", "A title is required"}});
  } else if (Utf8Length(input.title) > 200) {
    violations.push_back({"title", "too_long", {"最多 200 字", "At most 200 characters"}});
  }
  if (Utf8Length(input.body) > 2000) {
    violations.push_back({"body", "too_long", {"最多 2000 字", "At most 2,000 characters"}});
  }
  if (input.dedup_key.size() > 200) {
    violations.push_back(
        {"dedup_key", "too_long", {"去重键最多 200 字节", "The dedup key is at most 200 bytes"}});
  }
  const RecordLink& link = input.link;
  if (link.entity_type.empty() != link.entity_id.empty() || link.entity_type.size() > 100 ||
      link.entity_id.size() > 100) {
    violations.push_back({"link",
                          "invalid_link",
                          {"关联记录须同时给出类型和编号，各不超过 100 字节",
                           "A linked record needs both a type and an id, each at most 100 bytes"}});
  }
  return violations;
}

Error NotificationNotFound(NotificationId id) {
  return NotFound({"通知 " + std::to_string(id.value()) + " 不存在",
                   "Notification " + std::to_string(id.value()) + " does not exist"});
}

}  // namespace

NotificationService::NotificationService(storage::Db& db, const Clock& clock,
                                         const audit::AuditLog& audit, const EventLog& events,
                                         std::function<void()> committed)
    : db_(db), clock_(clock), audit_(audit), events_(events), committed_(std::move(committed)) {}

Result<Notification> NotificationService::Send(const audit::Actor& actor,
                                               const NewNotification& input) {
  return storage::UnitOfWork::RunValue<Notification>(
      db_, [&](storage::UnitOfWork& unit) { return Send(unit, actor, input); });
}

Result<Notification> NotificationService::Send(storage::UnitOfWork& unit, const audit::Actor& actor,
                                               const NewNotification& input) {
  if (auto violations = CheckNew(input); !violations.empty()) {
    return InvalidArgument(std::move(violations));
  }
  Tx& tx = unit.tx();
  auto existing = [&]() -> Result<std::optional<Notification>> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kColumns) +
                                               " FROM notifications WHERE dedup_key = ?",
                                           {input.dedup_key}));
    if (!row) return std::optional<Notification>();
    return std::optional<Notification>(FromRow(*row));
  };
  if (!input.dedup_key.empty()) {
    ASSIGN_OR_RETURN(auto found, existing());
    if (found) return std::move(*found);
  }
  storage::Value dedup = storage::Null{};
  if (!input.dedup_key.empty()) dedup = input.dedup_key;
  const std::string insert =
      "INSERT INTO notifications (recipient_id, title, body, link_type, link_id, dedup_key, "
      "created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?)";
  const storage::Params params{input.recipient.value(),   input.title,          input.body,
                               input.link.entity_type,    input.link.entity_id, dedup,
                               ToUnixMicros(clock_.Now())};
  // A concurrent sender of the same key wins, and its row is returned.
  ASSIGN_OR_RETURN(std::optional<int64_t> id, tx.InsertUnlessTaken(insert, params));
  if (!id) {
    ASSIGN_OR_RETURN(auto found, existing());
    if (found) return std::move(*found);
    return Internal("notification refused by its dedup key's index, which names none");
  }
  ASSIGN_OR_RETURN(Notification sent, Load(tx, input.recipient, NotificationId(*id)));
  json::object payload{{"notification_id", *id}, {kRecipientKey, input.recipient.value()}};
  if (!input.link.entity_type.empty()) {
    payload["link"] = {{"entity_type", input.link.entity_type},
                       {"entity_id", input.link.entity_id}};
  }
  RETURN_IF_ERROR(events_.Append(tx, actor,
                                 {.stream_type = "notification",
                                  .stream_id = std::to_string(*id),
                                  .type = "notification.created",
                                  .payload = std::move(payload)}));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kNotificationCreated,
                                 .entity_type = "notification",
                                 .entity_id = std::to_string(*id),
                                 .detail = "to user " + std::to_string(input.recipient.value())}));
  if (committed_) unit.AfterCommit(committed_);
  return sent;
}

Result<Notification> NotificationService::MarkRead(const audit::Actor& actor, UserRef recipient,
                                                   NotificationId id) {
  return storage::UnitOfWork::RunValue<Notification>(
      db_, [&](storage::UnitOfWork& unit) -> Result<Notification> {
        Tx& tx = unit.tx();
        ASSIGN_OR_RETURN(Notification n, Load(tx, recipient, id));
        if (n.read_at) return n;
        const int64_t now = ToUnixMicros(clock_.Now());
        RETURN_IF_ERROR(
            tx.Execute("UPDATE notifications SET read_at_us = ? WHERE id = ? AND "
                       "read_at_us IS NULL",
                       {now, id.value()}));
        RETURN_IF_ERROR(events_.Append(tx, actor,
                                       {.stream_type = "notification",
                                        .stream_id = std::to_string(id.value()),
                                        .type = "notification.read",
                                        .payload = {{"notification_ids", json::array{id.value()}},
                                                    {kRecipientKey, recipient.value()}}}));
        RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {.action = audit::Action::kNotificationRead,
                                       .entity_type = "notification",
                                       .entity_id = std::to_string(id.value())}));
        if (committed_) unit.AfterCommit(committed_);
        n.read_at = FromUnixMicros(now);
        return n;
      });
}

Result<int64_t> NotificationService::MarkAllRead(const audit::Actor& actor, UserRef recipient) {
  return storage::UnitOfWork::RunValue<int64_t>(
      db_, [&](storage::UnitOfWork& unit) -> Result<int64_t> {
        Tx& tx = unit.tx();
        ASSIGN_OR_RETURN(auto newest,
                         tx.QueryOne("SELECT MAX(id), COUNT(*) FROM notifications WHERE "
                                     "recipient_id = ? AND read_at_us IS NULL",
                                     {recipient.value()}));
        if (newest->Int(1) == 0) return int64_t{0};
        const int64_t through = newest->Int(0);
        // Up to the newest seen, so one that arrives meanwhile stays unread.
        ASSIGN_OR_RETURN(int64_t marked,
                         tx.Execute("UPDATE notifications SET read_at_us = ? WHERE recipient_id "
                                    "= ? AND read_at_us IS NULL AND id <= ?",
                                    {ToUnixMicros(clock_.Now()), recipient.value(), through}));
        RETURN_IF_ERROR(events_.Append(
            tx, actor,
            {.stream_type = "notification",
             .stream_id = std::to_string(through),
             .type = "notification.read",
             .payload = {
                 {"through_id", through}, {"count", marked}, {kRecipientKey, recipient.value()}}}));
        RETURN_IF_ERROR(audit_.Append(tx, actor,
                                      {.action = audit::Action::kNotificationRead,
                                       .entity_type = "notification",
                                       .entity_id = std::to_string(through),
                                       .detail = "all " + std::to_string(marked) + " unread"}));
        if (committed_) unit.AfterCommit(committed_);
        return marked;
      });
}

Result<NotificationPage> NotificationService::List(UserRef recipient, bool unread_only,
                                                   std::optional<int64_t> after, int limit) {
  if (limit < 1 || limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  return db_.ReadValue<NotificationPage>([&](Tx& tx) -> Result<NotificationPage> {
    std::string sql =
        "SELECT " + std::string(kColumns) + " FROM notifications WHERE recipient_id = ?";
    storage::Params params{recipient.value()};
    if (unread_only) sql += " AND read_at_us IS NULL";
    if (after) {
      sql += " AND id < ?";
      params.push_back(*after);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(int64_t{limit + 1});
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
    NotificationPage page;
    for (const storage::Row& row : rows) page.items.push_back(FromRow(row));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_after = page.items.back().id.value();
    }
    return page;
  });
}

Result<int64_t> NotificationService::UnreadCount(UserRef recipient) {
  return db_.ReadValue<int64_t>([&](Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM notifications WHERE "
                                           "recipient_id = ? AND read_at_us IS NULL",
                                           {recipient.value()}));
    return row->Int(0);
  });
}

Result<Notification> NotificationService::Load(Tx& tx, UserRef recipient, NotificationId id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kColumns) +
                                             " FROM notifications WHERE id = ? AND "
                                             "recipient_id = ?",
                                         {id.value(), recipient.value()}));
  if (!row) return NotificationNotFound(id);
  return FromRow(*row);
}

}  // namespace oc::runtime
