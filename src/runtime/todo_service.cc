#include "runtime/todo_service.h"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "audit/action.h"
#include "core/text_normalize.h"
#include "runtime/live_feed.h"
#include "runtime/notification_service.h"
#include "runtime/scheduler.h"

namespace oc::runtime {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::array<std::pair<TodoStatus, std::string_view>, 3> kStatuses = {{
    {TodoStatus::kOpen, "open"},
    {TodoStatus::kDone, "done"},
    {TodoStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<TodoSource, std::string_view>, 4> kSources = {{
    {TodoSource::kManual, "manual"},
    {TodoSource::kRule, "rule"},
    {TodoSource::kApproval, "approval"},
    {TodoSource::kSystem, "system"},
}};

constexpr std::string_view kTodoColumns =
    "id, assignee_id, title, due_at_us, link_type, link_id, source, source_key, status, "
    "completion_note, created_by, created_at_us, closed_at_us";

Todo FromRow(const storage::Row& row, Instant now) {
  Todo todo;
  todo.id = TodoId(row.Int("id"));
  todo.assignee = UserRef(row.Int("assignee_id"));
  todo.title = row.Text("title");
  if (auto due = row.OptInt("due_at_us")) todo.due_at = FromUnixMicros(*due);
  todo.link = {row.Text("link_type"), row.Text("link_id")};
  todo.source = TodoSourceFromName(row.Text("source")).value_or(TodoSource::kSystem);
  todo.source_key = row.OptText("source_key").value_or("");
  todo.status = TodoStatusFromName(row.Text("status")).value_or(TodoStatus::kCancelled);
  todo.completion_note = row.Text("completion_note");
  todo.created_by = row.OptInt("created_by");
  todo.created_at = FromUnixMicros(row.Int("created_at_us"));
  if (auto closed = row.OptInt("closed_at_us")) todo.closed_at = FromUnixMicros(*closed);
  if (todo.status == TodoStatus::kOpen && todo.due_at && now > *todo.due_at) {
    todo.overdue_by = now - *todo.due_at;
  }
  return todo;
}

Error TodoNotFound(TodoId id) {
  return NotFound({"待办 " + std::to_string(id.value()) + " 不存在",
                   "To-do " + std::to_string(id.value()) + " does not exist"});
}

std::vector<FieldViolation> CheckNewTodo(const NewTodo& input) {
  std::vector<FieldViolation> violations;
  if (!input.assignee.valid()) {
    violations.push_back({"assignee_id", "required", {"请选择负责人", "Choose an assignee"}});
  }
  if (input.title.find_first_not_of(" \t\r\n") == std::string::npos) {
    violations.push_back({"title", "required", {"请填写待办事项", "Say what is to be done"}});
  } else if (Utf8Length(input.title) > 200) {
    violations.push_back({"title", "too_long", {"最多 200 字", "At most 200 characters"}});
  } else if (HasControlCharacter(input.title)) {
    violations.push_back(
        {"title", "control_character", {"不能包含控制字符", "Control characters are not allowed"}});
  }
  if (input.source_key.size() > 200) {
    violations.push_back(
        {"source_key", "too_long", {"来源键最多 200 字节", "The source key is at most 200 bytes"}});
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

json::object LinkJson(const RecordLink& link) {
  if (link.entity_type.empty()) return {};
  return {{"entity_type", link.entity_type}, {"entity_id", link.entity_id}};
}

NewEvent TodoEvent(std::string type, const Todo& todo) {
  json::object payload{{"todo_id", todo.id.value()},
                       {kRecipientKey, todo.assignee.value()},
                       {"status", TodoStatusName(todo.status)},
                       {"source", TodoSourceName(todo.source)}};
  if (!todo.link.entity_type.empty()) payload["link"] = LinkJson(todo.link);
  if (todo.due_at) payload["due_at"] = FormatInstant(*todo.due_at);
  return {.stream_type = "todo",
          .stream_id = std::to_string(todo.id.value()),
          .type = std::move(type),
          .payload = std::move(payload)};
}

}  // namespace

std::string_view TodoStatusName(TodoStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "open";
}

std::optional<TodoStatus> TodoStatusFromName(std::string_view name) {
  for (const auto& [value, spelled] : kStatuses) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

std::string_view TodoSourceName(TodoSource source) {
  for (const auto& [value, name] : kSources) {
    if (value == source) return name;
  }
  return "system";
}

std::optional<TodoSource> TodoSourceFromName(std::string_view name) {
  for (const auto& [value, spelled] : kSources) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

std::vector<storage::Migration> TodoMigrations() {
  // Frozen text: a change to these tables needs a migration of its own. No foreign keys to
  // users: the organisation's tables are created after the runtime's.
  return {{.id = "runtime_0006_todos_and_notifications", .sql = R"sql(
CREATE TABLE todos (
  id {{id}},
  assignee_id {{bigint}} NOT NULL,
  title TEXT NOT NULL,
  due_at_us {{bigint}},
  link_type TEXT NOT NULL,
  link_id TEXT NOT NULL,
  source TEXT NOT NULL,
  source_key TEXT,
  status TEXT NOT NULL,
  completion_note TEXT NOT NULL,
  created_by {{bigint}},
  created_at_us {{bigint}} NOT NULL,
  closed_at_us {{bigint}}
);
CREATE UNIQUE INDEX todos_by_source_key ON todos (source, source_key)
  WHERE source_key IS NOT NULL;
CREATE INDEX todos_by_assignee ON todos (assignee_id, status, id);
CREATE INDEX todos_by_link ON todos (link_type, link_id, created_at_us, id)
  WHERE link_type <> '';

CREATE TABLE notifications (
  id {{id}},
  recipient_id {{bigint}} NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link_type TEXT NOT NULL,
  link_id TEXT NOT NULL,
  dedup_key TEXT UNIQUE,
  created_at_us {{bigint}} NOT NULL,
  read_at_us {{bigint}}
);
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_unread ON notifications (recipient_id, id)
  WHERE read_at_us IS NULL;
)sql"}};
}

Result<std::vector<Todo>> LinkedTodos(Tx& tx, const RecordLink& link,
                                      std::optional<std::pair<Instant, int64_t>> before,
                                      int limit) {
  std::string sql = "SELECT " + std::string(kTodoColumns) +
                    " FROM todos WHERE link_type = ? AND link_id = ? AND status <> 'cancelled'";
  storage::Params params{link.entity_type, link.entity_id};
  if (before) {
    const int64_t at = ToUnixMicros(before->first);
    sql += " AND (created_at_us < ? OR (created_at_us = ? AND id < ?))";
    params.insert(params.end(), {at, at, before->second});
  }
  sql += " ORDER BY created_at_us DESC, id DESC LIMIT ?";
  params.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
  std::vector<Todo> todos;
  // The timeline shows what happened; how late an open to-do is belongs to its assignee's list.
  for (const storage::Row& row : rows) todos.push_back(FromRow(row, Instant::min()));
  return todos;
}

TodoService::TodoService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                         const EventLog& events, std::function<void()> committed)
    : db_(db), clock_(clock), audit_(audit), events_(events), committed_(std::move(committed)) {}

void TodoService::AnnounceAfter(storage::UnitOfWork& unit) const {
  if (committed_) unit.AfterCommit(committed_);
}

Result<CreatedTodo> TodoService::Create(const audit::Actor& actor, const NewTodo& input) {
  return storage::UnitOfWork::RunValue<CreatedTodo>(
      db_, [&](storage::UnitOfWork& unit) { return Create(unit, actor, input); });
}

Result<CreatedTodo> TodoService::Create(storage::UnitOfWork& unit, const audit::Actor& actor,
                                        const NewTodo& input) {
  if (auto violations = CheckNewTodo(input); !violations.empty()) {
    return InvalidArgument(std::move(violations));
  }
  Tx& tx = unit.tx();
  const Instant now = clock_.Now();
  storage::Value source_key = storage::Null{};
  if (!input.source_key.empty()) source_key = input.source_key;
  auto existing = [&]() -> Result<std::optional<CreatedTodo>> {
    ASSIGN_OR_RETURN(auto row,
                     tx.QueryOne("SELECT " + std::string(kTodoColumns) +
                                     " FROM todos WHERE source = ? AND source_key = ?",
                                 {std::string(TodoSourceName(input.source)), input.source_key}));
    if (!row) return std::optional<CreatedTodo>();
    return std::optional<CreatedTodo>(CreatedTodo{FromRow(*row, now), false});
  };
  if (!input.source_key.empty()) {
    ASSIGN_OR_RETURN(auto found, existing());
    if (found) return std::move(*found);
  }
  storage::Value due = storage::Null{};
  if (input.due_at) due = ToUnixMicros(*input.due_at);
  storage::Value created_by = storage::Null{};
  if (actor.user_id) created_by = *actor.user_id;
  const std::string insert =
      "INSERT INTO todos (assignee_id, title, due_at_us, link_type, link_id, source, source_key, "
      "status, completion_note, created_by, created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', "
      "'', ?, ?)";
  const storage::Params params{input.assignee.value(),
                               input.title,
                               due,
                               input.link.entity_type,
                               input.link.entity_id,
                               std::string(TodoSourceName(input.source)),
                               source_key,
                               created_by,
                               ToUnixMicros(now)};
  // A concurrent creator of the same key wins; its to-do is found below.
  ASSIGN_OR_RETURN(std::optional<int64_t> id, tx.InsertUnlessTaken(insert, params));
  if (!id) {
    ASSIGN_OR_RETURN(auto found, existing());
    if (found) return std::move(*found);
    return Internal("to-do refused by its source key's index, which names no to-do");
  }
  ASSIGN_OR_RETURN(Todo todo, Load(tx, input.assignee, TodoId(*id)));
  RETURN_IF_ERROR(events_.Append(tx, actor, TodoEvent("todo.created", todo)));
  if (todo.due_at) {
    RETURN_IF_ERROR(Timers().Schedule(tx, now,
                                      {.owner_type = "todo",
                                       .owner_id = std::to_string(*id),
                                       .kind = std::string(kTodoDueTimer),
                                       .fire_at = *todo.due_at,
                                       .payload = {{"assignee_id", input.assignee.value()}},
                                       .dedup_key = "todo.due:" + std::to_string(*id)}));
  }
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kTodoCreated,
                                 .entity_type = "todo",
                                 .entity_id = std::to_string(*id),
                                 .detail = "for user " + std::to_string(input.assignee.value()) +
                                           " from " + std::string(TodoSourceName(input.source))}));
  AnnounceAfter(unit);
  return CreatedTodo{std::move(todo), true};
}

Result<Todo> TodoService::Complete(const audit::Actor& actor, UserRef assignee, TodoId id,
                                   std::string_view note) {
  return storage::UnitOfWork::RunValue<Todo>(
      db_, [&](storage::UnitOfWork& unit) { return Complete(unit, actor, assignee, id, note); });
}

Result<Todo> TodoService::Complete(storage::UnitOfWork& unit, const audit::Actor& actor,
                                   UserRef assignee, TodoId id, std::string_view note) {
  if (Utf8Length(note) > 1000) {
    return InvalidField("note", "too_long", {"最多 1000 字", "At most 1,000 characters"});
  }
  return Close(unit, actor, assignee, id, TodoStatus::kDone, note);
}

Result<Todo> TodoService::Cancel(const audit::Actor& actor, UserRef assignee, TodoId id) {
  return storage::UnitOfWork::RunValue<Todo>(
      db_, [&](storage::UnitOfWork& unit) { return Cancel(unit, actor, assignee, id); });
}

Result<Todo> TodoService::Cancel(storage::UnitOfWork& unit, const audit::Actor& actor,
                                 UserRef assignee, TodoId id) {
  return Close(unit, actor, assignee, id, TodoStatus::kCancelled, "");
}

Result<Todo> TodoService::Close(storage::UnitOfWork& unit, const audit::Actor& actor,
                                UserRef assignee, TodoId id, TodoStatus to, std::string_view note) {
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(Todo before, Load(tx, assignee, id));
  if (before.status != TodoStatus::kOpen) {
    return MakeError(
        ErrorCode::kFailedPrecondition,
        {"该待办已" + std::string(before.status == TodoStatus::kDone ? "完成" : "取消"),
         "The to-do is already " + std::string(TodoStatusName(before.status))});
  }
  const int64_t now = ToUnixMicros(clock_.Now());
  ASSIGN_OR_RETURN(int64_t changed,
                   tx.Execute("UPDATE todos SET status = ?, completion_note = ?, closed_at_us = ? "
                              "WHERE id = ? AND assignee_id = ? AND status = 'open'",
                              {std::string(TodoStatusName(to)), std::string(note), now, id.value(),
                               assignee.value()}));
  if (changed != 1) {
    return MakeError(ErrorCode::kAborted,
                     {"待办刚被修改过，请刷新后重试", "The to-do just changed; reload and retry"});
  }
  ASSIGN_OR_RETURN(Todo after, Load(tx, assignee, id));
  RETURN_IF_ERROR(
      Timers().Cancel(tx, FromUnixMicros(now), "todo", std::to_string(id.value()), kTodoDueTimer));
  const bool done = to == TodoStatus::kDone;
  RETURN_IF_ERROR(
      events_.Append(tx, actor, TodoEvent(done ? "todo.completed" : "todo.cancelled", after)));
  RETURN_IF_ERROR(audit_.Append(
      tx, actor,
      {.action = done ? audit::Action::kTodoCompleted : audit::Action::kTodoCancelled,
       .entity_type = "todo",
       .entity_id = std::to_string(id.value()),
       .changes = {
           {.field = "status", .before = "open", .after = std::string(TodoStatusName(to))}}}));
  AnnounceAfter(unit);
  return after;
}

Result<Todo> TodoService::Load(Tx& tx, UserRef assignee, TodoId id) const {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kTodoColumns) +
                                             " FROM todos WHERE id = ? AND assignee_id = ?",
                                         {id.value(), assignee.value()}));
  if (!row) return TodoNotFound(id);
  return FromRow(*row, clock_.Now());
}

Result<Todo> TodoService::Get(UserRef assignee, TodoId id) {
  return db_.ReadValue<Todo>([&](Tx& tx) { return Load(tx, assignee, id); });
}

Result<TodoPage> TodoService::List(UserRef assignee, TodoStatus status,
                                   std::optional<int64_t> after, int limit) {
  if (limit < 1 || limit > 500) {
    return InvalidField("limit", "out_of_range",
                        {"limit 须在 1 到 500 之间", "limit must be between 1 and 500"});
  }
  const bool open = status == TodoStatus::kOpen;
  return db_.ReadValue<TodoPage>([&](Tx& tx) -> Result<TodoPage> {
    std::string sql =
        "SELECT " + std::string(kTodoColumns) + " FROM todos WHERE assignee_id = ? AND status = ?";
    storage::Params params{assignee.value(), std::string(TodoStatusName(status))};
    if (after) {
      // The cursor is the last id shown; its sort key is read back so the page continues where
      // the previous one stopped even when several share a deadline.
      ASSIGN_OR_RETURN(
          auto last, tx.QueryOne("SELECT due_at_us, closed_at_us FROM todos WHERE "
                                 "id = ? AND assignee_id = ? AND status = ?",
                                 {*after, assignee.value(), std::string(TodoStatusName(status))}));
      if (!last) {
        return InvalidField("cursor", "invalid_cursor",
                            {"分页游标无效", "The page cursor is not valid"});
      }
      if (!open) {
        const int64_t closed = last->OptInt("closed_at_us").value_or(0);
        sql += " AND (closed_at_us < ? OR (closed_at_us = ? AND id < ?))";
        params.insert(params.end(), {closed, closed, *after});
      } else if (auto due = last->OptInt("due_at_us")) {
        sql += " AND (due_at_us IS NULL OR due_at_us > ? OR (due_at_us = ? AND id > ?))";
        params.insert(params.end(), {*due, *due, *after});
      } else {
        sql += " AND due_at_us IS NULL AND id > ?";
        params.push_back(*after);
      }
    }
    sql += open ? " ORDER BY CASE WHEN due_at_us IS NULL THEN 1 ELSE 0 END, due_at_us, id"
                : " ORDER BY closed_at_us DESC, id DESC";
    sql += " LIMIT ?";
    params.emplace_back(int64_t{limit + 1});
    ASSIGN_OR_RETURN(storage::Rows rows, tx.Query(sql, params));
    const Instant now = clock_.Now();
    TodoPage page;
    for (const storage::Row& row : rows) page.items.push_back(FromRow(row, now));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_after = page.items.back().id.value();
    }
    return page;
  });
}

Result<TodoCounts> TodoService::CountsOf(UserRef assignee) {
  return db_.ReadValue<TodoCounts>([&](Tx& tx) -> Result<TodoCounts> {
    ASSIGN_OR_RETURN(auto row,
                     tx.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at_us < ? THEN 1 "
                                 "ELSE 0 END), 0) FROM todos WHERE assignee_id = ? AND "
                                 "status = 'open'",
                                 {ToUnixMicros(clock_.Now()), assignee.value()}));
    return TodoCounts{.open = row->Int(0), .overdue = row->Int(1)};
  });
}

void RegisterDueReminders(Scheduler& scheduler, TodoService& todos,
                          NotificationService& notifications) {
  scheduler.RegisterTimer(
      std::string(kTodoDueTimer), [&todos, &notifications](const FiredTimer& fired) -> Status {
        const boost::json::value* assignee = fired.timer.payload.if_contains("assignee_id");
        int64_t id = 0;
        const std::string& owner = fired.timer.owner_id;
        auto [end, ec] = std::from_chars(owner.data(), owner.data() + owner.size(), id);
        if (assignee == nullptr || !assignee->is_int64() || ec != std::errc() ||
            end != owner.data() + owner.size()) {
          return Internal("a to-do reminder without its to-do: timer " +
                          std::to_string(fired.timer.id));
        }
        auto todo = todos.Get(UserRef(assignee->as_int64()), TodoId(id));
        if (!todo) {
          if (todo.error().code == ErrorCode::kNotFound) return Ok();  // deleted with its user
          return todo.error();
        }
        // Closed since (a race with the cancellation of this timer): nothing is late.
        if (todo->status != TodoStatus::kOpen) return Ok();
        // Keyed by the to-do, so a reminder fired again after a crash tells the assignee once.
        auto sent = notifications.Send(audit::Actor{.username = "system"},
                                       {.recipient = todo->assignee,
                                        .title = "待办已到期",
                                        .body = todo->title,
                                        .link = {"todo", owner},
                                        .dedup_key = "todo.due:" + owner});
        if (!sent) return sent.error();
        return Ok();
      });
}

}  // namespace oc::runtime
