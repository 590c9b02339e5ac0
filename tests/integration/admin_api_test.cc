// Administration of users, departments and roles over HTTP, the permission gate in front of it,
// optimistic concurrency with ETag / If-Match, and the audit trail it leaves. Both backends.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

class AdminApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
  }

  int64_t DepartmentId(const std::string& name) {
    auto list = admin_->Get("/api/v1/departments");
    auto doc = list.Json();
    for (const auto& d : doc.at("items").as_array()) {
      if (d.at("name") == json::value(name)) return d.at("id").as_int64();
    }
    ADD_FAILURE() << "no department " << name;
    return 0;
  }

  std::vector<std::string> AuditActions(const std::string& query) {
    auto auditor = SignedIn("auditor.sun");
    auto events = auditor->Get("/api/v1/audit-events?" + query);
    EXPECT_EQ(events.status, 200) << events.body;
    std::vector<std::string> actions;
    auto doc = events.Json();
    for (const auto& e : doc.at("items").as_array()) actions.emplace_back(e.at("action").as_string());
    return actions;
  }

  std::unique_ptr<TestClient> admin_;
};

TEST_P(AdminApiTest, CreatesAUserWhoCanSignInAfterChangingThePassword) {
  auto created = admin_->PostJson(
      "/api/v1/users", json::object{{"username", "am.huang"},
                                    {"display_name", "黄客户经理"},
                                    {"password", "Initial-Pass-2026"},
                                    {"department_id", DepartmentId("城东支行营销一组")},
                                    {"roles", json::array{"account_manager"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("etag").value_or(""), "\"1\"");
  EXPECT_TRUE(created.Header("location").value_or("").starts_with("/api/v1/users/"));
  auto doc = created.Json();
  EXPECT_TRUE(doc.at("must_change_password").as_bool());
  EXPECT_EQ(doc.at("roles").as_array().at(0).as_string(), "account_manager");
  EXPECT_FALSE(doc.as_object().contains("password"));
  EXPECT_EQ(created.body.find("Initial-Pass-2026"), std::string::npos);

  auto login = NewClient()->Login("am.huang", "Initial-Pass-2026");
  EXPECT_EQ(login.status, 200);
  EXPECT_TRUE(login.Json().at("must_change_password").as_bool());
}

TEST_P(AdminApiTest, InvalidUserFieldsAreAll422WithCodes) {
  auto bad = admin_->PostJson("/api/v1/users",
                              json::object{{"username", "X Y"},
                                           {"display_name", ""},
                                           {"password", "123"},
                                           {"department_id", 999999},
                                           {"roles", json::array{"account_manager"}}},
                              {{"Accept-Language", "en-US"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto codes = bad.ViolationCodes();
  EXPECT_NE(std::find(codes.begin(), codes.end(), "username:invalid_format"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "display_name:required"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "password:too_short"), codes.end());
  auto doc = bad.Json();
  EXPECT_EQ(doc.at("errors").as_array().at(0).at("message").as_string().find("用户"),
            std::string::npos);  // English, as asked
  auto missing = admin_->PostJson("/api/v1/users", json::object{{"username", "only.this"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.ViolationCodes().size(), 4u);  // display_name, password, department, roles
}

TEST_P(AdminApiTest, DuplicateUsernameIs409) {
  auto dup = admin_->PostJson("/api/v1/users",
                              json::object{{"username", "am.zhang"},
                                           {"display_name", "重复"},
                                           {"password", "Another-Pass-2026"},
                                           {"department_id", DepartmentId("总行")},
                                           {"roles", json::array{"auditor"}}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.ViolationCodes(), std::vector<std::string>{"username:taken"});
}

TEST_P(AdminApiTest, UpdatesNeedAFreshIfMatch) {
  auto list = admin_->Get("/api/v1/users?q=am.liu");
  auto user = list.Json().at("items").as_array().at(0).as_object();
  std::string path = "/api/v1/users/" + std::to_string(user.at("id").as_int64());
  std::string etag = "\"" + std::to_string(user.at("version").as_int64()) + "\"";

  auto no_header = admin_->PatchJson(path, json::object{{"display_name", "刘经理"}});
  EXPECT_EQ(no_header.status, 428);
  auto ok = admin_->PatchJson(path, json::object{{"display_name", "刘经理"}}, {{"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json().at("display_name").as_string(), "刘经理");
  auto stale = admin_->PatchJson(path, json::object{{"display_name", "别的名字"}},
                                 {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(admin_->Get(path).Json().at("display_name").as_string(), "刘经理");
}

TEST_P(AdminApiTest, DisablingAUserEndsTheirSession) {
  auto victim = SignedIn("am.liu");
  auto list = admin_->Get("/api/v1/users?q=am.liu");
  auto user = list.Json().at("items").as_array().at(0).as_object();
  std::string path = "/api/v1/users/" + std::to_string(user.at("id").as_int64());
  auto disabled = admin_->PatchJson(
      path, json::object{{"status", "disabled"}},
      {{"If-Match", "\"" + std::to_string(user.at("version").as_int64()) + "\""}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(victim->Get("/api/v1/auth/me").status, 401);
}

TEST_P(AdminApiTest, DepartmentTreeCanGrowAndMoveButNotLoop) {
  auto east = DepartmentId("城东支行");
  auto team = admin_->PostJson("/api/v1/departments",
                               json::object{{"name", "城东支行营销二组"}, {"parent_id", east}});
  ASSERT_EQ(team.status, 201) << team.body;
  int64_t team_id = team.Json().at("id").as_int64();
  auto loop = admin_->PatchJson("/api/v1/departments/" + std::to_string(east),
                                json::object{{"parent_id", team_id}}, {{"If-Match", "\"1\""}});
  EXPECT_EQ(loop.status, 409) << loop.body;
  auto gone = admin_->Delete("/api/v1/departments/" + std::to_string(team_id));
  EXPECT_EQ(gone.status, 204);
  auto in_use = admin_->Delete("/api/v1/departments/" + std::to_string(east));
  EXPECT_EQ(in_use.status, 409);
}

TEST_P(AdminApiTest, CustomRolesGrantExactlyTheirPermissions) {
  // Roles are the security administrator's; reading the trail waits for a second one.
  auto security = SignedIn("sec.zhou");
  auto second = SignedIn("sec.wu");
  auto catalogue = security->Get("/api/v1/permissions");
  ASSERT_EQ(catalogue.status, 200);
  auto role = security->PostJson(
      "/api/v1/roles",
      json::object{{"key", "collector"},
                   {"name", json::object{{"zh-CN", "催收专员"}, {"en-US", "Collector"}}},
                   {"permissions", json::array{"customer.read", "audit.read"}},
                   {"scopes", json::object{{"customer", "department"}}}});
  ASSERT_EQ(role.status, 201) << role.body;
  EXPECT_EQ(role.Json().at("permissions"), (json::array{"customer.read"}));
  const json::array waiting = role.Json().at("pending_changes").as_array();
  ASSERT_EQ(waiting.size(), 1u);
  auto approve = [&](TestClient& who, const json::value& change) {
    return who.PostJson(
        "/api/v1/pending-changes/" + std::to_string(change.at("id").as_int64()) + "/approve",
        json::object{});
  };
  ASSERT_EQ(approve(*second, waiting[0]).status, 200);
  auto bad_scope = security->PostJson(
      "/api/v1/roles", json::object{{"key", "odd"},
                                    {"name", json::object{{"zh-CN", "怪"}, {"en-US", "Odd"}}},
                                    {"permissions", json::array{}},
                                    {"scopes", json::object{{"customer", "galaxy"}}}});
  EXPECT_EQ(bad_scope.status, 422);
  EXPECT_EQ(bad_scope.ViolationCodes(), std::vector<std::string>{"scopes.customer:invalid_scope"});

  auto created = admin_->PostJson("/api/v1/users",
                                  json::object{{"username", "collector.one"},
                                               {"display_name", "催收一号"},
                                               {"password", "Collector-Pass-2026"},
                                               {"department_id", DepartmentId("城西支行")},
                                               {"roles", json::array{"collector"}},
                                               {"must_change_password", false}});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(created.Json().at("pending_changes").as_array().size(), 1u);
  ASSERT_EQ(approve(*security, created.Json().at("pending_changes").as_array()[0]).status, 200);
  auto collector = NewClient();
  ASSERT_EQ(collector->Login("collector.one", "Collector-Pass-2026").status, 200);
  EXPECT_EQ(collector->Get("/api/v1/audit-events").status, 200);
  EXPECT_EQ(collector->Get("/api/v1/users").status, 403);
}

TEST_P(AdminApiTest, AccountManagersCannotAdministerAndTheRefusalIsAudited) {
  auto am = SignedIn("am.zhang");
  EXPECT_EQ(am->Get("/api/v1/users").status, 403);
  EXPECT_EQ(am->PostJson("/api/v1/roles", json::object{{"key", "x"}}).status, 403);
  EXPECT_EQ(am->Get("/api/v1/audit-events").status, 403);
  auto actions = AuditActions("action=permission.denied");
  EXPECT_EQ(actions.size(), 3u);
}

TEST_P(AdminApiTest, AuditEventsRecordWhoChangedWhatAndFilter) {
  auto created = admin_->PostJson("/api/v1/departments", json::object{{"name", "稽核部"}});
  ASSERT_EQ(created.status, 201);
  std::string id = std::to_string(created.Json().at("id").as_int64());
  auto auditor = SignedIn("auditor.sun");
  auto events = auditor->Get("/api/v1/audit-events?entity_type=department&entity_id=" + id);
  ASSERT_EQ(events.status, 200) << events.body;
  auto doc = events.Json();
  const auto& items = doc.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("action").as_string(), "department.create");
  EXPECT_EQ(items[0].at("username").as_string(), "admin");
  EXPECT_FALSE(items[0].at("request_id").as_string().empty());
  EXPECT_EQ(items[0].at("client_ip").as_string(), "127.0.0.1");
  EXPECT_EQ(items[0].at("changes").as_array().at(0).at("after").as_string(), "稽核部");

  auto page = auditor->Get("/api/v1/audit-events?limit=2");
  auto page_doc = page.Json();
  ASSERT_EQ(page_doc.at("items").as_array().size(), 2u);
  std::string cursor(page_doc.at("next_cursor").as_string());
  auto next = auditor->Get("/api/v1/audit-events?limit=2&cursor=" + cursor);
  ASSERT_EQ(next.status, 200);
  EXPECT_LT(next.Json().at("items").as_array().at(0).at("id").as_int64(),
            page_doc.at("items").as_array().at(1).at("id").as_int64());
  EXPECT_EQ(auditor->Get("/api/v1/audit-events?from=yesterday").status, 422);
  EXPECT_EQ(auditor->Get("/api/v1/audit-events?cursor=%%%").status, 400);
}

TEST_P(AdminApiTest, TheLargestPageSizeIsAccepted) {
  EXPECT_EQ(admin_->Get("/api/v1/users?limit=500").status, 200);
  EXPECT_EQ(SignedIn("auditor.sun")->Get("/api/v1/audit-events?limit=500").status, 200);
  EXPECT_EQ(admin_->Get("/api/v1/users?limit=501").status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
