#pragma once
// In-app notifications (站内通知): a short message to one person — "张三's application awaits
// your approval", "客户 李四 moved to the watch list" — with a link to the record it is about,
// read or unread. The rule and approval engines send them inside their own units of work
// (Send(UnitOfWork&, …)); the top bar's bell shows the unread ones.
//
// Only the recipient sees or marks a notification: someone else's is kNotFound, like one that
// does not exist. A sender that may run twice for the same thing (an at-least-once consumer)
// passes a dedup key and gets the first notification back.
//
// Every change appends its domain event (`notification.created`, `notification.read`) and its
// audit entry in the same transaction; the events name the recipient under kRecipientKey
// (live_feed.h) and carry ids only — a title or body may name a customer.
//
// Thread-safe; blocks on the database.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "runtime/event_log.h"
#include "runtime/todo_service.h"
#include "storage/db.h"
#include "storage/unit_of_work.h"

namespace oc::runtime {

struct NotificationTag;
using NotificationId = Id<NotificationTag>;

struct NewNotification {
  UserRef recipient;
  std::string title;  // 1–200 characters
  std::string body;   // at most 2,000 characters
  RecordLink link;
  std::string dedup_key;  // empty: none; at most 200 bytes
};

struct Notification {
  NotificationId id;
  UserRef recipient;
  std::string title;
  std::string body;
  RecordLink link;
  Instant created_at;
  std::optional<Instant> read_at;  // none: unread
};

struct NotificationPage {
  std::vector<Notification> items;
  std::optional<int64_t> next_after;
};

class NotificationService {
 public:
  // `committed`: as TodoService's.
  NotificationService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                      const EventLog& events, std::function<void()> committed = {});

  // Sends a notification, or returns the one its dedup key already sent.
  // Errors: kInvalidArgument naming the field: "title" (required, at most 200 characters),
  // "body" (at most 2,000), "dedup_key" (at most 200 bytes), "link" (as for to-dos),
  // "recipient_id" (not a positive id).
  Result<Notification> Send(const audit::Actor& actor, const NewNotification& input);
  Result<Notification> Send(storage::UnitOfWork& unit, const audit::Actor& actor,
                            const NewNotification& input);

  // Marks the recipient's notification read; reading a read one changes nothing and appends
  // nothing. Errors: kNotFound when it is not the recipient's.
  Result<Notification> MarkRead(const audit::Actor& actor, UserRef recipient, NotificationId id);

  // Marks every unread notification of the recipient read, as one change. Returns how many.
  Result<int64_t> MarkAllRead(const audit::Actor& actor, UserRef recipient);

  // Newest first; `after` is the last id of the previous page. Errors: kInvalidArgument for a
  // limit outside 1–500 ("limit").
  Result<NotificationPage> List(UserRef recipient, bool unread_only, std::optional<int64_t> after,
                                int limit);

  Result<int64_t> UnreadCount(UserRef recipient);

 private:
  Result<Notification> Load(storage::Tx& tx, UserRef recipient, NotificationId id) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const EventLog& events_;
  std::function<void()> committed_;
};

}  // namespace oc::runtime
