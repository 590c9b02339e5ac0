// The engine runtime as staff and administrators reach it over HTTP (issue 14), on both
// backends: to-dos and notifications within each caller's own reach, the live stream that tells
// the browser about them, to-dos on the customer's timeline, and the operations pages' API over
// dead deliveries and background jobs.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <future>
#include <map>
#include <string>
#include <thread>

#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class RuntimeApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
  }

  static int64_t NewTodo(TestClient& client, const json::object& body) {
    auto created = client.PostJson("/api/v1/todos", body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  static std::vector<std::string> Titles(TestClient& client, const std::string& query = "") {
    auto list = client.Get("/api/v1/todos" + query);
    EXPECT_EQ(list.status, 200) << list.body;
    std::vector<std::string> titles;
    if (list.status != 200) return titles;
    const json::value list_doc = list.Json();
    for (const auto& t : list_doc.at("items").as_array()) titles.push_back(Str(t, "title"));
    return titles;
  }

  // The raw bytes of GET /api/v1/live for `client` over `wait`, while `during` runs.
  std::string Stream(TestClient& client, std::chrono::milliseconds wait,
                     const std::function<void()>& during, const std::string& last_event_id = "") {
    std::string request =
        "GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + client.session_cookie() +
        "\r\nAccept: text/event-stream\r\n";
    if (!last_event_id.empty()) request += "Last-Event-ID: " + last_event_id + "\r\n";
    request += "\r\n";
    auto read = std::async(std::launch::async,
                           [&] { return RawExchange(application_->port(), request, wait); });
    std::this_thread::sleep_for(300ms);  // the stream is open before the change
    during();
    return read.get();
  }

  std::unique_ptr<TestClient> admin_;
};

TEST_P(RuntimeApiTest, StaffKeepTheirOwnToDosAndCloseThemWithANote) {
  auto zhang = SignedIn("am.zhang");
  const int64_t call = NewTodo(*zhang, {{"title", "给客户回电话"}});
  const int64_t late =
      NewTodo(*zhang, {{"title", "补交材料"}, {"due_at", "2020-01-01T09:00:00+08:00"}});
  NewTodo(*zhang, {{"title", "明天拜访"}, {"due_at", "2099-01-01T09:00:00Z"}});

  // Soonest due first, those without a deadline last; the late one says how late.
  EXPECT_EQ(Titles(*zhang), (std::vector<std::string>{"补交材料", "明天拜访", "给客户回电话"}));
  const json::value first = zhang->Get("/api/v1/todos").Json().at("items").at(0);
  EXPECT_TRUE(first.at("overdue").as_bool());
  EXPECT_GT(first.at("overdue_seconds").as_int64(), 86400);
  EXPECT_EQ(Str(first, "assignee_name"), "张客户经理");
  EXPECT_EQ(Str(first, "source"), "manual");
  auto counts = zhang->Get("/api/v1/todos/counts").Json();
  EXPECT_EQ(counts.at("open").as_int64(), 3);
  EXPECT_EQ(counts.at("overdue").as_int64(), 1);

  auto done = zhang->PostJson("/api/v1/todos/" + std::to_string(late) + "/complete",
                              {{"note", "客户已通过微信发来流水"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Str(done.Json(), "status"), "done");
  EXPECT_EQ(Str(done.Json(), "completion_note"), "客户已通过微信发来流水");
  EXPECT_FALSE(done.Json().at("overdue").as_bool());
  EXPECT_EQ(
      zhang->PostJson("/api/v1/todos/" + std::to_string(late) + "/complete", json::object{}).status,
      409)
      << "a closed to-do stays closed";
  ASSERT_EQ(
      zhang->PostJson("/api/v1/todos/" + std::to_string(call) + "/cancel", json::object{}).status,
      200);
  EXPECT_EQ(Titles(*zhang, "?status=done"), std::vector<std::string>{"补交材料"});
  EXPECT_EQ(Titles(*zhang, "?status=cancelled"), std::vector<std::string>{"给客户回电话"});
  EXPECT_EQ(zhang->Get("/api/v1/todos/counts").Json().at("overdue").as_int64(), 0);

  // Someone else's to-do is not found, exactly like one that does not exist.
  auto liu = SignedIn("am.liu");
  EXPECT_TRUE(Titles(*liu).empty());
  const std::string other = "/api/v1/todos/" + std::to_string(call + 1000);
  const std::string zhangs = "/api/v1/todos/" + std::to_string(call + 2);
  EXPECT_EQ(liu->PostJson(zhangs + "/complete", json::object{}).status, 404);
  EXPECT_EQ(liu->PostJson(other + "/complete", json::object{}).status, 404);
  EXPECT_EQ(liu->PostJson(zhangs + "/cancel", json::object{}).status, 404);
}

TEST_P(RuntimeApiTest, ABadToDoIsRefusedFieldByField) {
  auto zhang = SignedIn("am.zhang");
  auto refused = zhang->PostJson("/api/v1/todos", {{"due_at", "tomorrow"}, {"colour", "red"}});
  EXPECT_EQ(refused.status, 422);
  const auto codes = refused.ViolationCodes();
  EXPECT_NE(std::find(codes.begin(), codes.end(), "title:required"), codes.end()) << refused.body;
  EXPECT_NE(std::find(codes.begin(), codes.end(), "due_at:invalid"), codes.end()) << refused.body;
  EXPECT_NE(std::find(codes.begin(), codes.end(), "colour:unknown_field"), codes.end())
      << refused.body;
  EXPECT_EQ(zhang->PostJson("/api/v1/todos", {{"title", std::string(201, 'x')}}).status, 422);
  auto unseen = zhang->PostJson(
      "/api/v1/todos",
      {{"title", "看看"}, {"link", {{"entity_type", "customer"}, {"entity_id", "999999"}}}});
  EXPECT_EQ(unseen.status, 422);
  EXPECT_EQ(unseen.ViolationCodes(), std::vector<std::string>{"link.entity_id:not_found"});
  auto kind =
      zhang->PostJson("/api/v1/todos",
                      {{"title", "看看"}, {"link", {{"entity_type", "loan"}, {"entity_id", "1"}}}});
  EXPECT_EQ(kind.ViolationCodes(), std::vector<std::string>{"link.entity_type:unknown_entity"});
  // An account manager's scope is their own: they cannot hand work to a colleague.
  auto handed = zhang->PostJson("/api/v1/todos",
                                {{"title", "帮我跑一趟"}, {"assignee_id", UserIdOf("am.liu")}});
  EXPECT_EQ(handed.ViolationCodes(), std::vector<std::string>{"assignee_id:not_assignable"});
  EXPECT_EQ(zhang->PostJson("/api/v1/todos", json::value("[]")).status, 422);
  EXPECT_EQ(zhang->Get("/api/v1/todos?status=later").status, 422);
  EXPECT_EQ(zhang->Get("/api/v1/todos?limit=0").status, 422);
  EXPECT_EQ(CountRows("todos"), 0) << "nothing refused was kept";
}

TEST_P(RuntimeApiTest, AManagerHandsWorkToTheTeamAndTheAssigneeHearsOfIt) {
  auto chen = SignedIn("manager.chen");
  auto zhang = SignedIn("am.zhang");
  const int64_t customer = [&] {
    auto created = chen->PostJson("/api/v1/customers", Individual("孙三", 71));
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json().at("id").as_int64();
  }();
  const int64_t todo = NewTodo(
      *chen, {{"title", "核实孙三的经营流水"},
              {"assignee_id", UserIdOf("am.zhang")},
              {"due_at", "2099-06-01T17:00:00+08:00"},
              {"link", {{"entity_type", "customer"}, {"entity_id", std::to_string(customer)}}}});
  EXPECT_EQ(Titles(*zhang), std::vector<std::string>{"核实孙三的经营流水"});
  EXPECT_TRUE(Titles(*chen).empty()) << "the list is the assignee's";
  // The linked customer is named only to someone who may see it.
  const std::string customer_path = "/api/v1/customers/" + std::to_string(customer);
  EXPECT_EQ(Str(zhang->Get("/api/v1/todos").Json().at("items").at(0).at("link"), "label"), "");
  ASSERT_EQ(
      chen->PostJson(customer_path + "/reassign", {{"owner_id", UserIdOf("am.zhang")}}).status,
      204);
  const json::value listed = zhang->Get("/api/v1/todos").Json().at("items").at(0);
  EXPECT_EQ(Str(listed.at("link"), "label"), "孙三");
  EXPECT_EQ(Str(listed.at("link"), "entity_id"), std::to_string(customer));
  // Outside the branch the manager cannot hand work.
  EXPECT_EQ(
      chen->PostJson("/api/v1/todos", {{"title", "x"}, {"assignee_id", UserIdOf("am.liu")}}).status,
      422);

  auto bell = zhang->Get("/api/v1/notifications?unread=true");
  ASSERT_EQ(bell.status, 200) << bell.body;
  ASSERT_EQ(bell.Json().at("items").as_array().size(), 1u);
  const json::value note = bell.Json().at("items").at(0);
  EXPECT_EQ(Str(note, "title"), "陈经理 给您安排了一项待办");
  EXPECT_EQ(Str(note, "body"), "核实孙三的经营流水");
  EXPECT_EQ(Str(note.at("link"), "entity_id"), std::to_string(todo));
  EXPECT_EQ(zhang->Get("/api/v1/todos/counts").Json().at("unread_notifications").as_int64(), 1);
  EXPECT_EQ(
      chen->PostJson("/api/v1/notifications/" + std::to_string(note.at("id").as_int64()) + "/read",
                     json::object{})
          .status,
      404)
      << "only the recipient reads it";
  auto read =
      zhang->PostJson("/api/v1/notifications/" + std::to_string(note.at("id").as_int64()) + "/read",
                      json::object{});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_FALSE(read.Json().at("read_at").is_null());
  EXPECT_TRUE(
      zhang->Get("/api/v1/notifications?unread=true").Json().at("items").as_array().empty());
  EXPECT_EQ(zhang->Get("/api/v1/notifications").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(zhang->PostJson("/api/v1/notifications/read-all", json::object{}).Json().at("marked"),
            0);
  EXPECT_EQ(zhang->Get("/api/v1/notifications?unread=maybe").status, 422);

  // The to-do is on the customer's timeline for whoever sees the customer.
  auto timeline = chen->Get("/api/v1/customers/" + std::to_string(customer) + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  bool found = false;
  const json::value timeline_doc = timeline.Json();
  for (const auto& item : timeline_doc.at("items").as_array()) {
    // Everyone on the timeline is named alike: the manager made and reassigned the customer.
    EXPECT_EQ(Str(item, "actor"), "陈经理") << json::serialize(item);
    if (Str(item, "kind") != "todo") continue;
    found = true;
    EXPECT_EQ(Str(item.at("todo"), "title"), "核实孙三的经营流水");
    EXPECT_EQ(Str(item.at("todo"), "assignee_name"), "张客户经理");
    EXPECT_EQ(Str(item.at("todo"), "status"), "open");
  }
  EXPECT_TRUE(found) << timeline.body;
}

TEST_P(RuntimeApiTest, ARetriedCreateGetsTheFirstToDoBack) {
  auto zhang = SignedIn("am.zhang");
  const HeaderList key = {{"Idempotency-Key", "5b0e6a52-3c1f-4d7e-9a61-0d2b8c4f7e11"}};
  auto first = zhang->PostJson("/api/v1/todos", {{"title", "只要一条"}}, key);
  auto again = zhang->PostJson("/api/v1/todos", {{"title", "只要一条"}}, key);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(first.Json().at("id"), again.Json().at("id"));
  EXPECT_EQ(CountRows("todos"), 1);
}

TEST_P(RuntimeApiTest, TheLiveStreamTellsTheAssigneeAndResumesAfterWhatItSaw) {
  auto chen = SignedIn("manager.chen");
  auto zhang = SignedIn("am.zhang");
  const int64_t zhang_id = UserIdOf("am.zhang");
  std::string seen = Stream(*zhang, 2500ms, [&] {
    NewTodo(*chen, {{"title", "今天要办"}, {"assignee_id", zhang_id}});
  });
  EXPECT_NE(seen.find("text/event-stream"), std::string::npos) << seen;
  EXPECT_NE(seen.find("retry: 3000"), std::string::npos) << seen;
  EXPECT_NE(seen.find("event: ready"), std::string::npos) << seen;
  EXPECT_NE(seen.find("event: todo.created"), std::string::npos) << seen;
  EXPECT_NE(seen.find("event: notification.created"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("今天要办"), std::string::npos) << "titles stay in the table";

  // Someone else's stream hears nothing of it.
  auto liu = SignedIn("am.liu");
  std::string other = Stream(*liu, 1500ms, [&] {
    NewTodo(*chen, {{"title", "再办一件"}, {"assignee_id", zhang_id}});
  });
  EXPECT_NE(other.find("event: ready"), std::string::npos) << other;
  EXPECT_EQ(other.find("event: todo."), std::string::npos) << other;

  // A browser that reconnects says the last id it saw and gets what it missed meanwhile.
  const size_t id_at = seen.rfind("\nid: ");
  ASSERT_NE(id_at, std::string::npos) << seen;
  const std::string last_id = seen.substr(id_at + 5, seen.find('\n', id_at + 5) - id_at - 5);
  std::string resumed = Stream(
      *zhang, 1500ms, [] {}, last_id);
  EXPECT_NE(resumed.find("\"resumed\":true"), std::string::npos) << resumed;
  EXPECT_NE(resumed.find("event: todo.created"), std::string::npos)
      << "the to-do made while it was away: " << resumed;

  EXPECT_EQ(NewClient()->Get("/api/v1/live").status, 401);
}

// A delivery that failed for good, as the dispatcher leaves it: dead, with its last error.
int64_t PlantDeadDelivery(storage::Db& db) {
  auto id = db.WriteValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto event, tx.QueryOne("SELECT MIN(id) FROM domain_events"));
    ASSIGN_OR_RETURN(int64_t rows,
                     tx.Execute("INSERT INTO outbox (event_id, consumer, idem_key, status, "
                                "attempts, last_error, created_at_us, due_at_us) VALUES (?, "
                                "'webhook.crm', ?, 'dead', 8, 'HTTP 503 from the gateway', 1, 1)",
                                {event->Int(0), "webhook.crm:" + std::to_string(event->Int(0))}));
    (void)rows;
    ASSIGN_OR_RETURN(auto planted, tx.QueryOne("SELECT MAX(id) FROM outbox"));
    return planted->Int(0);
  });
  EXPECT_TRUE(id) << id.error().internal_detail;
  return id ? *id : 0;
}

TEST_P(RuntimeApiTest, AnAdministratorInspectsRetriesAndDiscardsDeadDeliveries) {
  SignedIn("am.zhang")->PostJson("/api/v1/todos", {{"title", "留下一个事件"}});
  const int64_t dead = PlantDeadDelivery(application_->db());
  const std::string path = "/api/v1/outbox/" + std::to_string(dead);

  EXPECT_EQ(SignedIn("am.zhang")->Get("/api/v1/outbox").status, 403);
  auto list = admin_->Get("/api/v1/outbox?status=dead");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json().at("items").as_array().size(), 1u);
  const json::value row = list.Json().at("items").at(0);
  EXPECT_EQ(Str(row, "consumer"), "webhook.crm");
  EXPECT_EQ(Str(row, "last_error"), "HTTP 503 from the gateway");
  EXPECT_EQ(row.at("attempts").as_int64(), 8);
  EXPECT_EQ(admin_->Get("/api/v1/outbox?status=lost").status, 422);
  EXPECT_TRUE(admin_->Get("/api/v1/outbox?consumer=sms").Json().at("items").as_array().empty());

  auto detail = admin_->Get(path);
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_FALSE(Str(detail.Json().at("event"), "type").empty());
  EXPECT_TRUE(detail.Json().at("event").at("payload").is_object());
  EXPECT_EQ(admin_->Get("/api/v1/outbox/999999").status, 404);

  auto short_reason = admin_->PostJson(path + "/discard", {{"reason", "x"}});
  EXPECT_EQ(short_reason.status, 422) << short_reason.body;
  auto discarded = admin_->PostJson(path + "/discard", {{"reason", "客户系统已下线，不再补发"}});
  ASSERT_EQ(discarded.status, 200) << discarded.body;
  EXPECT_EQ(Str(discarded.Json(), "status"), "discarded");
  EXPECT_EQ(admin_->PostJson(path + "/discard", {{"reason", "再丢一次"}}).status, 409);
  auto retried = admin_->PostJson(path + "/retry", json::object{});
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(Str(retried.Json(), "status"), "pending");
  EXPECT_EQ(retried.Json().at("attempts").as_int64(), 0);

  auto trail = SignedIn("auditor.sun")->Get("/api/v1/audit-events?entity_type=outbox");
  ASSERT_EQ(trail.status, 200) << trail.body;
  std::vector<std::string> actions;
  const json::value trail_doc = trail.Json();
  for (const auto& e : trail_doc.at("items").as_array()) actions.push_back(Str(e, "action"));
  EXPECT_EQ(actions, (std::vector<std::string>{"outbox.retried", "outbox.discarded"}));
}

TEST_P(RuntimeApiTest, EveryoneReadsTheBusinessDateAndOnlyACalendarAdministratorMovesIt) {
  auto zhang = SignedIn("am.zhang");
  auto shown = zhang->Get("/api/v1/business-date");
  ASSERT_EQ(shown.status, 200) << shown.body;
  const std::string today = Str(shown.Json(), "date");
  EXPECT_EQ(Str(shown.Json(), "calendar_key"), "cn");
  const std::string next = Str(shown.Json(), "next_working_day");
  EXPECT_GT(next, today);

  EXPECT_EQ(zhang->PostJson("/api/v1/business-date/advance", json::object{}).status, 403);
  auto backwards = admin_->PostJson("/api/v1/business-date/advance", {{"to", "2020-01-02"}});
  EXPECT_EQ(backwards.status, 409) << backwards.body;
  auto holiday = admin_->PostJson("/api/v1/business-date/advance", {{"to", "2026-10-01"}});
  EXPECT_EQ(holiday.status, today < "2026-10-01" ? 422 : 409) << holiday.body;
  auto garbled = admin_->PostJson("/api/v1/business-date/advance", {{"to", "next monday"}});
  EXPECT_EQ(garbled.ViolationCodes(), std::vector<std::string>{"to:invalid_date"});

  // The date never moves into a year whose holidays are not imported: from late December on,
  // the next working day lies in a year this release does not ship.
  if (next.substr(0, 4) > "2026") {
    ASSERT_EQ(admin_
                  ->Send("PUT", "/api/v1/calendars/cn/years/" + next.substr(0, 4),
                         R"({"days": []})", {{"Content-Type", "application/json"}})
                  .status,
              200);
  }
  auto moved = admin_->PostJson("/api/v1/business-date/advance", json::object{});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Str(moved.Json(), "from"), today);
  EXPECT_EQ(Str(moved.Json(), "to"), next);
  EXPECT_EQ(Str(moved.Json(), "how"), "manual");
  EXPECT_EQ(Str(zhang->Get("/api/v1/business-date").Json(), "date"), next);
  auto history = admin_->Get("/api/v1/business-date/history");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(Str(history.Json().at("items").at(0), "to"), next);
  EXPECT_EQ(Str(history.Json().at("items").at(0), "actor"), "admin");

  // TODAY() is the business date, and working days follow the State Council's schedule.
  auto evaluate = [&](const std::string& expression) {
    auto result = zhang->PostJson("/api/v1/expr/evaluate", {{"expression", expression}});
    EXPECT_EQ(result.status, 200) << result.body;
    return result.status == 200 ? json::serialize(result.Json().at("value")) : std::string();
  };
  EXPECT_EQ(evaluate("TODAY()"), "\"" + next + "\"");
  EXPECT_EQ(evaluate("WORKDAY(DATE(2026, 9, 30), 1)"), "\"2026-10-08\"");
  EXPECT_EQ(evaluate("ISWORKDAY(DATE(2026, 10, 10))"), "true") << "a make-up working day (调休)";
}

TEST_P(RuntimeApiTest, ACalendarAdministratorKeepsTheHolidaysAndImportsAYear) {
  auto calendars = admin_->Get("/api/v1/calendars");
  ASSERT_EQ(calendars.status, 200) << calendars.body;
  const json::value cn = calendars.Json().at("items").at(0);
  EXPECT_EQ(Str(cn, "key"), "cn");
  EXPECT_EQ(Str(cn, "name"), "中国大陆");
  EXPECT_EQ(json::serialize(cn.at("work_week")), "[1,2,3,4,5]");
  EXPECT_EQ(SignedIn("am.zhang")->Get("/api/v1/calendars").status, 403);

  auto days = admin_->Get("/api/v1/calendars/cn/days?year=2026");
  ASSERT_EQ(days.status, 200) << days.body;
  EXPECT_EQ(Str(days.Json().at("imported"), "source"), "shipped");
  bool national_day = false;
  const json::value days_doc = days.Json();
  for (const auto& d : days_doc.at("items").as_array()) {
    national_day |= Str(d, "date") == "2026-10-01" && Str(d, "kind") == "holiday";
  }
  EXPECT_TRUE(national_day) << days.body;
  EXPECT_EQ(admin_->Get("/api/v1/calendars/cn/days").status, 422);
  EXPECT_EQ(admin_->Get("/api/v1/calendars/mars/days?year=2026").status, 404);

  auto set = admin_->Send("PUT", "/api/v1/calendars/cn/days/2026-12-31",
                          R"({"kind": "holiday", "name": "年终决算"})",
                          {{"Content-Type", "application/json"}});
  ASSERT_EQ(set.status, 200) << set.body;
  auto bad_day =
      admin_->Send("PUT", "/api/v1/calendars/cn/days/2026-13-01",
                   R"({"kind": "holiday", "name": "x"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad_day.status, 422);
  auto bad_kind =
      admin_->Send("PUT", "/api/v1/calendars/cn/days/2026-12-30",
                   R"({"kind": "party", "name": "x"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad_kind.ViolationCodes(), std::vector<std::string>{"kind:invalid"});
  EXPECT_EQ(admin_->Delete("/api/v1/calendars/cn/days/2026-12-31").status, 204);
  EXPECT_EQ(admin_->Delete("/api/v1/calendars/cn/days/2026-12-31").status, 404);

  // The next year arrives as the State Council publishes it.
  auto imported =
      admin_->Send("PUT", "/api/v1/calendars/cn/years/2027",
                   R"({"days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                   {"date": "2027-02-20", "kind": "workday", "name": "春节调休上班"}]})",
                   {{"Content-Type", "application/json"}});
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.Json().at("year").as_int64(), 2027);
  auto wrong = admin_->Send(
      "PUT", "/api/v1/calendars/cn/years/2028",
      R"({"days": [{"date": "2029-01-01", "kind": "holiday", "name": "元旦"}, {"date": "x"}]})",
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  const auto codes = wrong.ViolationCodes();
  EXPECT_NE(std::find(codes.begin(), codes.end(), "days[1].date:invalid_date"), codes.end())
      << wrong.body;

  // Settings change under If-Match, field by field.
  const std::string etag = "\"" + std::to_string(cn.at("version").as_int64() + 3) + "\"";
  auto patched = admin_->PatchJson(
      "/api/v1/calendars/cn",
      {{"work_week", json::array{1, 2, 3, 4, 5, 6}},
       {"working_hours", json::array{json::object{{"start", "08:30"}, {"end", "17:00"}}}}},
      {{"If-Match", etag}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::serialize(patched.Json().at("work_week")), "[1,2,3,4,5,6]");
  auto refused = admin_->PatchJson("/api/v1/calendars/cn",
                                   {{"work_week", json::array{0, 9}},
                                    {"working_hours", json::array{json::object{{"start", "9"}}}}},
                                   {{"If-Match", *patched.Header("etag")}});
  EXPECT_EQ(refused.status, 422);
  const auto refusals = refused.ViolationCodes();
  EXPECT_NE(std::find(refusals.begin(), refusals.end(), "work_week:invalid"), refusals.end());
  EXPECT_NE(std::find(refusals.begin(), refusals.end(), "working_hours[0]:invalid"), refusals.end())
      << refused.body;
  EXPECT_EQ(admin_->PatchJson("/api/v1/calendars/cn", {{"name_zh", "x"}}).status, 428);
}

TEST_P(RuntimeApiTest, TheJobsPageListsTheJobsAndARunAskedForRunsAndIsLogged) {
  auto jobs = admin_->Get("/api/v1/jobs");
  ASSERT_EQ(jobs.status, 200) << jobs.body;
  std::map<std::string, json::value> by_key;
  const json::value jobs_doc = jobs.Json();
  for (const auto& job : jobs_doc.at("items").as_array()) by_key[Str(job, "key")] = job;
  ASSERT_TRUE(by_key.contains("business_date.close")) << jobs.body;
  ASSERT_TRUE(by_key.contains("housekeeping")) << jobs.body;
  EXPECT_EQ(Str(by_key["business_date.close"], "schedule"), "30 23 * * *");
  EXPECT_EQ(Str(by_key["business_date.close"], "catch_up"), "every");
  EXPECT_FALSE(Str(by_key["housekeeping"], "schedule_label").empty());
  EXPECT_EQ(SignedIn("am.zhang")->Get("/api/v1/jobs").status, 403);

  auto asked = admin_->PostJson("/api/v1/jobs/housekeeping/run", json::object{});
  ASSERT_EQ(asked.status, 202) << asked.body;
  EXPECT_TRUE(asked.Json().at("manual").as_bool());
  const std::string run = "/api/v1/job-runs/" + std::to_string(asked.Json().at("id").as_int64());
  std::string status;
  for (int i = 0; i < 100 && status != "succeeded"; ++i) {
    std::this_thread::sleep_for(100ms);
    status = Str(admin_->Get(run).Json(), "status");
  }
  EXPECT_EQ(status, "succeeded");
  const json::value done = admin_->Get(run).Json();
  EXPECT_FALSE(done.at("duration_ms").is_null());
  EXPECT_EQ(Str(done, "requested_by"), "admin");
  auto runs = admin_->Get("/api/v1/job-runs?job_key=housekeeping&status=succeeded");
  ASSERT_EQ(runs.status, 200) << runs.body;
  EXPECT_EQ(runs.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(admin_->Get("/api/v1/job-runs?status=odd").status, 422);
  EXPECT_EQ(admin_->PostJson("/api/v1/jobs/nothing/run", json::object{}).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, RuntimeApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
