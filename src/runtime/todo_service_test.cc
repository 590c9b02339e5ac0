#include "runtime/todo_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/testing/test_keys.h"
#include "runtime/testing/test_db.h"
#include "storage/testing/test_databases.h"

namespace oc::runtime {
namespace {

using namespace std::chrono_literals;
using storage::testing::Backend;

class TodoServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto db = OpenRuntimeTestDb(GetParam());
    ASSERT_TRUE(db) << db.error().internal_detail;
    db_ = std::move(*db);
  }

  int64_t Count(const std::string& sql) {
    auto n = db_->ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql));
      return row->Int(0);
    });
    return n ? *n : -1;
  }

  NewTodo Call(std::string title = "回访客户，确认还款意愿") {
    return {.assignee = kZhang,
            .title = std::move(title),
            .due_at = clock_.Now() + 24h,
            .link = {"customer", "42"}};
  }

  static constexpr UserRef kZhang{7};
  static constexpr UserRef kLi{8};
  FakeClock clock_{FromUnixMicros(1'767'225'600'000'000)};  // 2026-01-01T00:00:00Z
  crypto::MacKeyring keys_ = crypto::testing::TestAuditKeys();
  audit::AuditLog audit_{clock_, keys_};
  Subscriptions subscriptions_;
  EventLog events_{clock_, subscriptions_};
  int announced_ = 0;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<TodoService> todos_;
  audit::Actor zhang_{.user_id = 7, .username = "zhang", .request_id = "req-1"};

  TodoService& todos() {
    if (!todos_) {
      todos_ =
          std::make_unique<TodoService>(*db_, clock_, audit_, events_, [this] { ++announced_; });
    }
    return *todos_;
  }
};

TEST_P(TodoServiceTest, CreateStoresTheToDoWithItsEventAndAuditEntry) {
  auto created = todos().Create(zhang_, Call());
  ASSERT_TRUE(created) << created.error().message.en_us;
  EXPECT_TRUE(created->created);
  const Todo& todo = created->todo;
  EXPECT_EQ(todo.assignee, kZhang);
  EXPECT_EQ(todo.title, "回访客户，确认还款意愿");
  EXPECT_EQ(todo.status, TodoStatus::kOpen);
  EXPECT_EQ(todo.link, (RecordLink{"customer", "42"}));
  EXPECT_EQ(todo.source, TodoSource::kManual);
  EXPECT_EQ(todo.created_by, 7);
  EXPECT_EQ(todo.due_at, clock_.Now() + 24h);
  EXPECT_FALSE(todo.overdue_by);
  auto events = events_.List(*db_, {.type = "todo."});
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "todo.created");
  EXPECT_EQ(events->front().stream_id, std::to_string(todo.id.value()));
  EXPECT_EQ(events->front().payload.at("recipient_user_id"), 7);
  // A title may name a customer; the event carries ids only.
  EXPECT_EQ(boost::json::serialize(events->front().payload).find("回访"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'todo.created'"), 1);
  EXPECT_EQ(announced_, 1);
}

TEST_P(TodoServiceTest, ASourceKeyMakesOneToDoHoweverOftenTheSourceFires) {
  NewTodo input = Call("跟进负债率超标客户");
  input.source = TodoSource::kRule;
  input.source_key = "debt_ratio_high:customer:42";
  auto first = todos().Create(zhang_, input);
  auto second = todos().Create(zhang_, input);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->todo.id, first->todo.id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM todos"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 1);
  // The same key from another source is another to-do.
  input.source = TodoSource::kApproval;
  auto other = todos().Create(zhang_, input);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->created);
}

TEST_P(TodoServiceTest, BadInputIsRefusedNamingTheField) {
  auto field_of = [&](NewTodo input) {
    auto created = todos().Create(zhang_, input);
    EXPECT_FALSE(created);
    if (created || created.error().field_violations.empty()) return std::string("accepted");
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
    return created.error().field_violations.front().field + ":" +
           created.error().field_violations.front().code;
  };
  EXPECT_EQ(field_of(Call("   ")), "title:required");
  EXPECT_EQ(field_of(Call(std::string(201 * 3, 'x'))), "title:too_long");
  EXPECT_EQ(field_of(Call("call\r\nSet-Cookie: x")), "title:control_character");
  NewTodo no_assignee = Call();
  no_assignee.assignee = UserRef(0);
  EXPECT_EQ(field_of(no_assignee), "assignee_id:required");
  NewTodo half_link = Call();
  half_link.link = {"customer", ""};
  EXPECT_EQ(field_of(half_link), "link:invalid_link");
  NewTodo long_key = Call();
  long_key.source_key = std::string(201, 'k');
  EXPECT_EQ(field_of(long_key), "source_key:too_long");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM todos"), 0);
}

TEST_P(TodoServiceTest, CompleteRecordsTheNoteAndCannotBeRepeated) {
  auto created = todos().Create(zhang_, Call());
  ASSERT_TRUE(created);
  clock_.Advance(1h);
  auto done = todos().Complete(zhang_, kZhang, created->todo.id, "已电话联系，客户下周还款");
  ASSERT_TRUE(done) << done.error().message.en_us;
  EXPECT_EQ(done->status, TodoStatus::kDone);
  EXPECT_EQ(done->completion_note, "已电话联系，客户下周还款");
  EXPECT_EQ(done->closed_at, clock_.Now());
  auto again = todos().Complete(zhang_, kZhang, created->todo.id, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  auto cancel = todos().Cancel(zhang_, kZhang, created->todo.id);
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, ErrorCode::kFailedPrecondition);
  auto long_note = todos().Create(zhang_, Call());
  ASSERT_TRUE(long_note);
  auto refused = todos().Complete(zhang_, kZhang, long_note->todo.id, std::string(1001, 'n'));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field_violations.at(0).field, "note");
  auto events = events_.List(*db_, {.type = "todo.completed"});
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

TEST_P(TodoServiceTest, CancelClosesTheToDoWithItsEvent) {
  auto created = todos().Create(zhang_, Call());
  ASSERT_TRUE(created);
  auto cancelled = todos().Cancel(zhang_, kZhang, created->todo.id);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->status, TodoStatus::kCancelled);
  auto events = events_.List(*db_, {.type = "todo.cancelled"});
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'todo.cancelled'"), 1);
}

TEST_P(TodoServiceTest, SomeoneElsesToDoIsNotFound) {
  auto created = todos().Create(zhang_, Call());
  ASSERT_TRUE(created);
  audit::Actor li{.user_id = 8, .username = "li"};
  for (auto result :
       {todos().Get(kLi, created->todo.id), todos().Complete(li, kLi, created->todo.id, "not mine"),
        todos().Cancel(li, kLi, created->todo.id),
        todos().Get(kZhang, TodoId(created->todo.id.value() + 100))}) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  }
  auto page = todos().List(kLi, TodoStatus::kOpen, std::nullopt, 50);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
  auto still = todos().Get(kZhang, created->todo.id);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, TodoStatus::kOpen);
}

TEST_P(TodoServiceTest, OverdueIsMeasuredByTheClockAgainstTheDueInstant) {
  NewTodo soon = Call("两小时内回电");
  soon.due_at = clock_.Now() + 2h;
  NewTodo whenever = Call("整理资料");
  whenever.due_at.reset();
  auto due = todos().Create(zhang_, soon);
  ASSERT_TRUE(due && todos().Create(zhang_, whenever));
  auto counts = todos().CountsOf(kZhang);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->open, 2);
  EXPECT_EQ(counts->overdue, 0);
  clock_.Advance(2h);  // exactly due: not yet late
  EXPECT_FALSE(todos().Get(kZhang, due->todo.id)->overdue_by);
  clock_.Advance(3h + 30min);
  auto late = todos().Get(kZhang, due->todo.id);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->overdue_by, std::chrono::microseconds(3h + 30min));
  EXPECT_EQ(todos().CountsOf(kZhang)->overdue, 1);
  ASSERT_TRUE(todos().Complete(zhang_, kZhang, due->todo.id, "done late"));
  EXPECT_EQ(todos().CountsOf(kZhang)->overdue, 0);
  EXPECT_FALSE(todos().Get(kZhang, due->todo.id)->overdue_by);
}

TEST_P(TodoServiceTest, OpenToDosListSoonestDueFirstAcrossPages) {
  std::vector<TodoId> ids;
  for (auto offset : {5h, 1h, 3h}) {
    NewTodo input = Call();
    input.due_at = clock_.Now() + offset;
    ids.push_back(todos().Create(zhang_, input)->todo.id);
  }
  NewTodo undated = Call();
  undated.due_at.reset();
  ids.push_back(todos().Create(zhang_, undated)->todo.id);
  std::vector<TodoId> seen;
  std::optional<int64_t> after;
  do {
    auto page = todos().List(kZhang, TodoStatus::kOpen, after, 1);
    ASSERT_TRUE(page);
    for (const Todo& todo : page->items) seen.push_back(todo.id);
    after = page->next_after;
  } while (after);
  EXPECT_EQ(seen, (std::vector<TodoId>{ids[1], ids[2], ids[0], ids[3]}));
  auto bad = todos().List(kZhang, TodoStatus::kDone, ids[0].value(), 10);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field_violations.at(0).field, "cursor");
  auto too_many = todos().List(kZhang, TodoStatus::kOpen, std::nullopt, 501);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().field_violations.at(0).field, "limit");
}

TEST_P(TodoServiceTest, ClosedToDosListMostRecentlyClosedFirst) {
  auto a = todos().Create(zhang_, Call())->todo.id;
  auto b = todos().Create(zhang_, Call())->todo.id;
  ASSERT_TRUE(todos().Complete(zhang_, kZhang, b, ""));
  clock_.Advance(1min);
  ASSERT_TRUE(todos().Complete(zhang_, kZhang, a, ""));
  auto page = todos().List(kZhang, TodoStatus::kDone, std::nullopt, 1);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, a);
  auto next = todos().List(kZhang, TodoStatus::kDone, page->next_after, 1);
  ASSERT_TRUE(next);
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].id, b);
  EXPECT_FALSE(next->next_after);
}

TEST_P(TodoServiceTest, AFailureInTheCallersUnitRollsBackTheToDoAndItsEvent) {
  auto result = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    auto created = todos().Create(unit, zhang_, Call());
    if (!created) return created.error();
    return MakeError(ErrorCode::kAborted, {"审批失败", "The approval failed"});
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kAborted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM todos"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM domain_events"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events WHERE action = 'todo.created'"), 0);
  EXPECT_EQ(announced_, 0);  // nothing to announce for what never committed
}

TEST_P(TodoServiceTest, LinkedToDosAreTheRecordsOpenAndDoneOnesNewestFirst) {
  auto open = todos().Create(zhang_, Call("开放的"))->todo.id;
  clock_.Advance(1s);
  auto done = todos().Create(zhang_, Call("完成的"))->todo.id;
  ASSERT_TRUE(todos().Complete(zhang_, kZhang, done, "ok"));
  clock_.Advance(1s);
  auto cancelled = todos().Create(zhang_, Call("取消的"))->todo.id;
  ASSERT_TRUE(todos().Cancel(zhang_, kZhang, cancelled));
  NewTodo elsewhere = Call("别的客户");
  elsewhere.link = {"customer", "43"};
  ASSERT_TRUE(todos().Create(zhang_, elsewhere));
  auto linked = db_->ReadValue<std::vector<Todo>>([&](storage::Tx& tx) {
    return LinkedTodos(tx, {"customer", "42"}, std::nullopt, 10);
  });
  ASSERT_TRUE(linked);
  ASSERT_EQ(linked->size(), 2u);
  EXPECT_EQ((*linked)[0].id, done);
  EXPECT_EQ((*linked)[1].id, open);
  auto older = db_->ReadValue<std::vector<Todo>>([&](storage::Tx& tx) {
    return LinkedTodos(tx, {"customer", "42"},
                       std::pair{(*linked)[0].created_at, (*linked)[0].id.value()}, 10);
  });
  ASSERT_TRUE(older);
  ASSERT_EQ(older->size(), 1u);
  EXPECT_EQ((*older)[0].id, open);
}

INSTANTIATE_TEST_SUITE_P(Backends, TodoServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         storage::testing::BackendTestName);

}  // namespace
}  // namespace oc::runtime
