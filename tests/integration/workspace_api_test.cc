// The customer workspace as staff use it (issue 13), over HTTP on both backends: choosing people
// from a picker instead of typing ids, names instead of ids and codes in the timeline and the
// audit trail, department paths as names, the workbench and the business zone.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>

#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

const HeaderList kEnglish = {{"Accept-Language", "en-US"}};

class WorkspaceApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
  }

  int64_t Create(TestClient& client, const json::object& body) {
    auto created = client.PostJson("/api/v1/customers", body);
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    return created.Json().at("id").as_int64();
  }

  static std::string Path(int64_t id) { return "/api/v1/customers/" + std::to_string(id); }

  // The usernames the picker offers `client`, in its order.
  static std::vector<std::string> Offered(TestClient& client, const std::string& query = "") {
    auto list = client.Get("/api/v1/users/assignable" + query);
    EXPECT_EQ(list.status, 200) << list.body;
    std::vector<std::string> names;
    if (list.status != 200) return names;
    const json::value doc = list.Json();
    for (const auto& u : doc.at("items").as_array()) names.push_back(Str(u, "username"));
    return names;
  }

  std::unique_ptr<TestClient> admin_;
};

TEST_P(WorkspaceApiTest, ThePickerOffersOnlyTheManagersTheCallerMayAssignTo) {
  auto zhang = SignedIn("am.zhang");
  auto chen = SignedIn("manager.chen");
  // Own scope: an account manager can only keep customers; a department manager hands them
  // within the branch; the administrator anywhere. Users who may not own customers never show.
  EXPECT_EQ(Offered(*zhang), std::vector<std::string>{"am.zhang"});
  const std::vector<std::string> team = Offered(*chen);
  EXPECT_EQ(std::set<std::string>(team.begin(), team.end()),
            (std::set<std::string>{"manager.chen", "am.zhang"}));
  const std::vector<std::string> everyone = Offered(*admin_);
  EXPECT_EQ(std::set<std::string>(everyone.begin(), everyone.end()),
            (std::set<std::string>{"admin", "manager.chen", "am.zhang", "am.liu"}));
  EXPECT_EQ(Offered(*admin_, "?q=%E5%88%98"), std::vector<std::string>{"am.liu"});  // 刘
  EXPECT_EQ(Offered(*admin_, "?q=am."), (std::vector<std::string>{"am.liu", "am.zhang"}));
  EXPECT_TRUE(Offered(*admin_, "?q=%25").empty()) << "a wildcard is matched as itself";

  const json::value list = chen->Get("/api/v1/users/assignable?q=am.zhang").Json();
  const json::value& user = list.at("items").at(0);
  EXPECT_EQ(Str(user, "display_name"), "张客户经理");
  EXPECT_EQ(Str(user.at("department"), "name"), "城东支行营销一组");
  EXPECT_EQ(Str(user.at("department"), "path_names"), "总行 / 城东支行 / 城东支行营销一组");
  EXPECT_EQ(Str(user.at("roles").at(0), "name"), "客户经理");
  const json::value english = chen->Get("/api/v1/users/assignable?q=am.zhang", kEnglish).Json();
  EXPECT_EQ(Str(english.at("items").at(0).at("roles").at(0), "name"), "Account manager");

  EXPECT_EQ(admin_->Get("/api/v1/users/assignable?limit=0").status, 422);
  EXPECT_EQ(admin_->Get("/api/v1/users/assignable?limit=abc").status, 422);
  EXPECT_EQ(SignedIn("sec.zhou")->Get("/api/v1/users/assignable").status, 403);
}

TEST_P(WorkspaceApiTest, DepartmentsCarryTheNamesAlongTheirPath) {
  auto doc = admin_->Get("/api/v1/departments").Json();
  std::map<std::string, std::string> paths;
  for (const auto& d : doc.at("items").as_array()) paths[Str(d, "name")] = Str(d, "path_names");
  EXPECT_EQ(paths["总行"], "总行");
  EXPECT_EQ(paths["城西支行营销一组"], "总行 / 城西支行 / 城西支行营销一组");
  for (const auto& d : doc.at("items").as_array()) {
    if (Str(d, "name") != "城东支行") continue;
    auto one = admin_->Get("/api/v1/departments/" + std::to_string(d.at("id").as_int64()));
    EXPECT_EQ(Str(one.Json(), "path_names"), "总行 / 城东支行");
  }
}

TEST_P(WorkspaceApiTest, TheTimelineNamesManagersAndRelatedPartiesInsteadOfIdsAndCodes) {
  auto chen = SignedIn("manager.chen");
  int64_t borrower = Create(*chen, Individual("孔一", 61));
  int64_t guarantor = Create(*chen, Individual("孟二", 62));
  ASSERT_EQ(
      chen->PostJson(Path(borrower) + "/reassign", json::object{{"owner_id", UserIdOf("am.zhang")}})
          .status,
      204);
  auto link =
      chen->PostJson(Path(borrower) + "/relations",
                     json::object{{"role", "guarantor"}, {"related_customer_id", guarantor}});
  ASSERT_EQ(link.status, 201) << link.body;
  ASSERT_EQ(
      chen->Delete(Path(borrower) + "/relations/" + std::to_string(link.Json().at("id").as_int64()))
          .status,
      204);

  auto timeline = chen->Get(Path(borrower) + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  std::map<std::string, json::object> by_action;
  const json::value timeline_doc = timeline.Json();
  for (const auto& item : timeline_doc.at("items").as_array()) {
    by_action.emplace(Str(item, "action"), item.as_object());
  }
  ASSERT_TRUE(by_action.contains("customer.reassign")) << timeline.body;
  const json::object& moved = by_action["customer.reassign"];
  EXPECT_EQ(Str(moved, "action_label"), "调整客户经理");
  bool named_owner = false;
  for (const auto& change : moved.at("changes").as_array()) {
    if (Str(change, "field") != "owner_id") continue;
    EXPECT_EQ(Str(change, "before_display"), "陈经理");
    EXPECT_EQ(Str(change, "after_display"), "张客户经理");
    named_owner = true;
  }
  EXPECT_TRUE(named_owner) << timeline.body;
  for (const auto& change : moved.at("changes").as_array()) {
    if (Str(change, "field") == "department_id") {
      EXPECT_EQ(Str(change, "after_display"), "城东支行营销一组");
    }
  }

  ASSERT_TRUE(by_action.contains("customer.relation_added"));
  EXPECT_EQ(Str(by_action["customer.relation_added"], "summary"), "新增关联方：担保人 孟二");
  const json::value& relation = by_action["customer.relation_added"].at("changes").at(0);
  EXPECT_EQ(Str(relation, "field_label"), "担保人");
  EXPECT_EQ(Str(relation, "after_display"), "孟二");
  ASSERT_TRUE(by_action.contains("customer.relation_removed"));
  EXPECT_EQ(Str(by_action["customer.relation_removed"], "summary"), "解除关联方：担保人 孟二");

  const json::value english = chen->Get(Path(borrower) + "/timeline", kEnglish).Json();
  for (const auto& item : english.at("items").as_array()) {
    if (Str(item, "action") == "customer.relation_added") {
      EXPECT_EQ(Str(item, "summary"), "Related party added: Guarantor 孟二");
    }
  }
}

TEST_P(WorkspaceApiTest, TheAuditTrailNamesActionsAndObjectsAndListsItsActions) {
  auto zhang = SignedIn("am.zhang");
  int64_t id = Create(*zhang, Individual("尤三", 63));
  auto auditor = SignedIn("auditor.sun");
  auto events =
      auditor->Get("/api/v1/audit-events?entity_type=customer&entity_id=" + std::to_string(id));
  ASSERT_EQ(events.status, 200) << events.body;
  const json::value events_doc = events.Json();
  const json::value& created = events_doc.at("items").at(0);
  EXPECT_EQ(Str(created, "action_label"), "新建客户");
  EXPECT_EQ(Str(created, "object_label"), "客户 尤三");

  const json::value logins = auditor->Get("/api/v1/audit-events?action=auth.login&limit=5").Json();
  for (const auto& e : logins.at("items").as_array()) {
    EXPECT_EQ(Str(e, "action_label"), "登录");
    EXPECT_TRUE(Str(e, "object_label").starts_with("用户 ")) << Str(e, "object_label");
  }
  auto by_user =
      auditor->Get("/api/v1/audit-events?user_id=" + std::to_string(UserIdOf("am.zhang")) +
                   "&action=customer.create");
  ASSERT_EQ(by_user.Json().at("items").as_array().size(), 1u) << by_user.body;

  auto english = auditor->Get(
      "/api/v1/audit-events?entity_type=customer&entity_id=" + std::to_string(id), kEnglish);
  EXPECT_EQ(Str(english.Json().at("items").at(0), "object_label"), "Customer 尤三");

  auto actions = auditor->Get("/api/v1/audit-actions");
  ASSERT_EQ(actions.status, 200) << actions.body;
  std::map<std::string, std::string> labels;
  const json::value actions_doc = actions.Json();
  for (const auto& a : actions_doc.at("items").as_array()) labels[Str(a, "key")] = Str(a, "label");
  EXPECT_EQ(labels["auth.login"], "登录");
  EXPECT_EQ(labels["customer.reassign"], "调整客户经理");
  EXPECT_EQ(zhang->Get("/api/v1/audit-actions").status, 403);
}

TEST_P(WorkspaceApiTest, TheWorkbenchCountsTheCallersOwnCustomersAndFollowUps) {
  auto zhang = SignedIn("am.zhang");
  auto empty = zhang->Get("/api/v1/workbench");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json().at("my_customers").as_int64(), 0);
  const std::string today = Str(empty.Json(), "business_date");
  ASSERT_EQ(today.size(), 10u);

  int64_t due = Create(*zhang, Individual("许四", 64));
  int64_t later = Create(*zhang, Individual("何五", 65));
  Create(*SignedIn("am.liu"), Individual("吕六", 66));
  ASSERT_EQ(zhang
                ->PostJson(Path(due) + "/followups", json::object{{"channel", "phone"},
                                                                  {"content", "约今天回访"},
                                                                  {"next_followup_date", today}})
                .status,
            201);
  ASSERT_EQ(
      zhang
          ->PostJson(Path(later) + "/followups", json::object{{"channel", "visit"},
                                                              {"content", "已上门"},
                                                              {"next_followup_date", "2099-01-01"}})
          .status,
      201);
  auto counts = zhang->Get("/api/v1/workbench").Json();
  EXPECT_EQ(counts.at("my_customers").as_int64(), 2);
  EXPECT_EQ(counts.at("new_customers_this_month").as_int64(), 2);
  EXPECT_EQ(counts.at("followups_due_today").as_int64(), 1);
  EXPECT_EQ(counts.at("followups_overdue").as_int64(), 0);

  // A later follow-up with no next date replaces the plan.
  ASSERT_EQ(zhang
                ->PostJson(Path(due) + "/followups",
                           json::object{{"channel", "phone"}, {"content", "已回访"}})
                .status,
            201);
  EXPECT_EQ(zhang->Get("/api/v1/workbench").Json().at("followups_due_today").as_int64(), 0);

  auto security = SignedIn("sec.zhou")->Get("/api/v1/workbench");
  ASSERT_EQ(security.status, 200);
  EXPECT_EQ(security.Json().at("my_customers").as_int64(), 0);
}

TEST_P(WorkspaceApiTest, TheSessionGivesTheBusinessZone) {
  auto me = SignedIn("am.zhang")->Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Str(me.Json(), "time_zone"), "+08:00");
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkspaceApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
