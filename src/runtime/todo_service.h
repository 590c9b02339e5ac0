#pragma once
// To-dos (待办): a piece of work for one person, with a deadline, about one record. Staff make
// them for themselves or for their team; the rule engine ("debt ratio above 80% → follow-up task
// for the account manager") and the approval engine (one to-do per approval task) make them in
// their own units of work through Create(UnitOfWork&, …).
//
// A to-do is open until its assignee completes it (with a note saying what was done) or cancels
// it. Only the assignee sees or changes it through this service: someone else's to-do is
// kNotFound, exactly like one that does not exist, so ids cannot be probed.
//
// The deadline is an instant, not a business date. A to-do is a person's work and falls due by
// the clock the person lives by: an approval task due within four working hours, a call to
// return by 15:00. The business date is the ledger's day, which stands still until close of
// business has run (and over a holiday), so a to-do measured against it would not fall overdue
// during the very day it is late. A rule that means "by the due date D" passes the end of D in
// the business zone. Overdue therefore means: open, and the clock is past due_at.
//
// Created from a source (manual, a rule, an approval, the system) with that source's own key, a
// to-do is unique per (source, key): a rule that fires twice for the same thing — as an
// at-least-once consumer may — gets the first to-do back instead of a second one.
//
// A to-do with a deadline sets a durable timer for it (kTodoDueTimer), which tells the assignee
// when it falls due; closing the to-do cancels it.
//
// Every change appends its domain event (`todo.created`, `todo.completed`, `todo.cancelled`) and
// its audit entry in the same transaction. The events name the assignee under
// kRecipientKey (live_feed.h), which puts them on the assignee's live stream; they carry ids and
// states only — a title may name a customer, so it stays in the table.
//
// Thread-safe; blocks on the database.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/migrations.h"
#include "storage/unit_of_work.h"

namespace oc::runtime {

struct TodoTag;
struct UserRefTag;
using TodoId = Id<TodoTag>;
// A user, by the id the organisation gives them; the runtime sits below auth and cannot name
// auth::UserId.
using UserRef = Id<UserRefTag>;

// Stored names "open", "done", "cancelled"; never renamed.
enum class TodoStatus { kOpen, kDone, kCancelled };
std::string_view TodoStatusName(TodoStatus status);
std::optional<TodoStatus> TodoStatusFromName(std::string_view name);

// Where a to-do came from. Stored names "manual", "rule", "approval", "system"; never renamed.
enum class TodoSource { kManual, kRule, kApproval, kSystem };
std::string_view TodoSourceName(TodoSource source);
std::optional<TodoSource> TodoSourceFromName(std::string_view name);

// The record a to-do or notification is about: {"customer", "42"}. Both empty: none.
struct RecordLink {
  std::string entity_type;
  std::string entity_id;
  friend bool operator==(const RecordLink&, const RecordLink&) = default;
};

struct NewTodo {
  UserRef assignee;
  std::string title;              // 1–200 characters
  std::optional<Instant> due_at;  // none: no deadline
  RecordLink link;
  TodoSource source = TodoSource::kManual;
  std::string source_key;  // empty: no deduplication; at most 200 characters
};

struct Todo {
  TodoId id;
  UserRef assignee;
  std::string title;
  std::optional<Instant> due_at;
  RecordLink link;
  TodoSource source = TodoSource::kManual;
  std::string source_key;
  TodoStatus status = TodoStatus::kOpen;
  std::string completion_note;        // what was done; empty unless done
  std::optional<int64_t> created_by;  // the user who made it; none for the engines
  Instant created_at;
  std::optional<Instant> closed_at;  // when it was completed or cancelled
  // How long past due an open to-do is, by the service's clock when it was read; none when it
  // is not overdue (closed, no deadline, or not yet due).
  std::optional<std::chrono::microseconds> overdue_by;
};

struct CreatedTodo {
  Todo todo;
  bool created = true;  // false: the source key already had this to-do
};

struct TodoPage {
  std::vector<Todo> items;
  std::optional<int64_t> next_after;  // the cursor of the next page
};

struct TodoCounts {
  int64_t open = 0;
  int64_t overdue = 0;
};

// The tables of to-dos and notifications (one migration: they arrived together).
std::vector<storage::Migration> TodoMigrations();

// The to-dos linked to a record that are open or done (a cancelled one never happened), newest
// first, strictly before `before` = (created_at, id) when given; for the record's timeline, whose
// reader's right to see the record the caller has checked. At most `limit`.
Result<std::vector<Todo>> LinkedTodos(storage::Tx& tx, const RecordLink& link,
                                      std::optional<std::pair<Instant, int64_t>> before, int limit);

// The timer kind that tells the assignee when an open to-do falls due (RegisterDueReminders).
inline constexpr std::string_view kTodoDueTimer = "todo.due";

class TodoService {
 public:
  // `committed` runs after each unit of work that appended a to-do event has committed (it
  // wakes this node's live feed); it may be empty.
  TodoService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
              const EventLog& events, std::function<void()> committed = {});

  // Creates a to-do, or returns the one its (source, source key) already made.
  // Errors: kInvalidArgument naming the field: "title" (required, at most 200 characters),
  // "source_key" (at most 200 characters), "link" (an entity id without a type or the reverse,
  // either longer than 100 characters), "assignee_id" (not a positive id).
  // REQUIRES for the unit form: the caller has checked that the assignee exists and may be given
  // work by the actor.
  Result<CreatedTodo> Create(const audit::Actor& actor, const NewTodo& input);
  Result<CreatedTodo> Create(storage::UnitOfWork& unit, const audit::Actor& actor,
                             const NewTodo& input);

  // Marks the assignee's open to-do done, with what was done. Errors: kNotFound when the to-do
  // is not `assignee`'s; kFailedPrecondition when it is no longer open; kInvalidArgument
  // ("note" longer than 1,000 characters).
  Result<Todo> Complete(const audit::Actor& actor, UserRef assignee, TodoId id,
                        std::string_view note);
  Result<Todo> Complete(storage::UnitOfWork& unit, const audit::Actor& actor, UserRef assignee,
                        TodoId id, std::string_view note);

  // Cancels the assignee's open to-do. Errors: as Complete, without the note.
  Result<Todo> Cancel(const audit::Actor& actor, UserRef assignee, TodoId id);
  Result<Todo> Cancel(storage::UnitOfWork& unit, const audit::Actor& actor, UserRef assignee,
                      TodoId id);

  // The assignee's to-do. Errors: kNotFound when it is not theirs.
  Result<Todo> Get(UserRef assignee, TodoId id);

  // A page of the assignee's to-dos in `status`: open ones soonest due first (those without a
  // deadline last), closed ones most recently closed first; `after` is the last id of the
  // previous page. Errors: kInvalidArgument for a limit outside 1–500 ("limit") or a cursor that
  // is not one of the assignee's to-dos in that status ("cursor").
  Result<TodoPage> List(UserRef assignee, TodoStatus status, std::optional<int64_t> after,
                        int limit);

  // How many open to-dos the assignee has, and how many of them are overdue.
  Result<TodoCounts> CountsOf(UserRef assignee);

 private:
  Result<Todo> Close(storage::UnitOfWork& unit, const audit::Actor& actor, UserRef assignee,
                     TodoId id, TodoStatus to, std::string_view note);
  Result<Todo> Load(storage::Tx& tx, UserRef assignee, TodoId id) const;
  void AnnounceAfter(storage::UnitOfWork& unit) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const EventLog& events_;
  std::function<void()> committed_;
};

class NotificationService;
class Scheduler;

// Sends the assignee a notification (待办已到期) when an open to-do with a deadline reaches it.
// Create schedules that timer and closing the to-do cancels it.
// REQUIRES: before the scheduler starts; the services outlive it.
void RegisterDueReminders(Scheduler& scheduler, TodoService& todos,
                          NotificationService& notifications);

}  // namespace oc::runtime
