// Sign-in, sessions, CSRF, lockout and password changes over HTTP, on both backends.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

class AuthApiTest : public ServerTest {
 protected:
  void Configure(app::Config& config) override {
    config.max_failed_logins = 3;
    config.lockout_minutes = 15;
  }
};

TEST_P(AuthApiTest, LoginSetsAStrictHttpOnlyCookieAndReturnsTheUser) {
  auto login = client_->Login("admin", kAdminPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  auto cookie = login.Header("set-cookie").value_or("");
  EXPECT_TRUE(cookie.starts_with("oc_session=")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  auto body = login.Json();
  EXPECT_FALSE(body.at("csrf_token").as_string().empty());
  EXPECT_EQ(body.at("user").at("username").as_string(), "admin");
  EXPECT_EQ(login.Header("cache-control").value_or(""), "no-store");
}

TEST_P(AuthApiTest, MeReturnsRolesPermissionsAndDepartment) {
  ASSERT_EQ(client_->Login("admin", kAdminPassword).status, 200);
  auto me = client_->Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto doc = me.Json();
  const auto& user = doc.at("user");
  EXPECT_EQ(user.at("roles").as_array().front().as_string(), "admin");
  EXPECT_EQ(user.at("department").at("name").as_string(), "总行");
  bool has_user_admin = false;
  for (const auto& p : user.at("permissions").as_array()) has_user_admin |= p == "user.admin";
  EXPECT_TRUE(has_user_admin);
  EXPECT_EQ(doc.at("csrf_token"), json::value(client_->csrf_token()));
}

TEST_P(AuthApiTest, WrongPasswordAndUnknownUserGetTheSame401) {
  auto wrong = client_->Login("admin", "definitely-wrong");
  auto unknown = client_->Login("ghost", "definitely-wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.Json().at("detail"), unknown.Json().at("detail"));
  EXPECT_EQ(wrong.Header("content-type").value_or(""), "application/problem+json");
  EXPECT_FALSE(wrong.Header("set-cookie"));
}

TEST_P(AuthApiTest, MessagesFollowAcceptLanguage) {
  auto zh = client_->Send("POST", "/api/v1/auth/login",
                          R"({"username":"admin","password":"nope-nope"})",
                          {{"Content-Type", "application/json"}});
  auto en = client_->Send("POST", "/api/v1/auth/login",
                          R"({"username":"admin","password":"nope-nope"})",
                          {{"Content-Type", "application/json"}, {"Accept-Language", "en-US"}});
  EXPECT_EQ(zh.Json().at("detail").as_string(), "用户名或密码错误");
  EXPECT_EQ(en.Json().at("detail").as_string(), "Incorrect username or password");
}

TEST_P(AuthApiTest, RepeatedFailuresLockTheAccountWithRetryAfter) {
  for (int i = 0; i < 2; ++i) EXPECT_EQ(client_->Login("admin", "wrong-password").status, 401);
  auto locking = client_->Login("admin", "wrong-password");
  EXPECT_EQ(locking.status, 429);
  auto right = client_->Login("admin", kAdminPassword);
  ASSERT_EQ(right.status, 429) << right.body;
  int retry_after = std::stoi(right.Header("retry-after").value_or("0"));
  EXPECT_GT(retry_after, 14 * 60);
  EXPECT_LE(retry_after, 15 * 60);
  EXPECT_EQ(right.Json().at("code").as_string(), "resource_exhausted");
}

TEST_P(AuthApiTest, StateChangesWithACookieNeedTheCsrfToken) {
  ASSERT_EQ(client_->Login("admin", kAdminPassword).status, 200);
  auto without = client_->Send("POST", "/api/v1/departments", R"({"name":"风控二部"})",
                               {{"Content-Type", "application/json"}}, /*with_csrf=*/false);
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.Json().at("code").as_string(), "csrf_token_invalid");
  auto forged = client_->Send("POST", "/api/v1/departments", R"({"name":"风控二部"})",
                              {{"Content-Type", "application/json"}, {"X-CSRF-Token", "forged"}},
                              /*with_csrf=*/false);
  EXPECT_EQ(forged.status, 403);
  auto with = client_->PostJson("/api/v1/departments", json::object{{"name", "风控二部"}});
  EXPECT_EQ(with.status, 201) << with.body;
  // Reads need no token.
  EXPECT_EQ(client_->Get("/api/v1/departments").status, 200);
}

TEST_P(AuthApiTest, LogoutEndsTheSession) {
  ASSERT_EQ(client_->Login("admin", kAdminPassword).status, 200);
  auto logout = client_->Send("POST", "/api/v1/auth/logout");
  EXPECT_EQ(logout.status, 204);
  EXPECT_NE(logout.Header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/auth/me").status, 401);
}

TEST_P(AuthApiTest, NoCookieIs401) {
  auto me = client_->Get("/api/v1/auth/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.Json().at("code").as_string(), "unauthenticated");
}

TEST_P(AuthApiTest, UsersChangeTheirOwnPasswordAndOtherSessionsEnd) {
  auto here = SignedIn("am.zhang");
  auto other = NewClient();
  ASSERT_EQ(other->Login("am.zhang", "Known-Password-am.zhang").status, 200);
  auto weak = here->PostJson("/api/v1/auth/password",
                             json::object{{"current_password", "Known-Password-am.zhang"},
                                          {"new_password", "short"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(weak.ViolationCodes(), std::vector<std::string>{"new_password:too_short"});
  auto changed = here->PostJson("/api/v1/auth/password",
                                json::object{{"current_password", "Known-Password-am.zhang"},
                                             {"new_password", "A-much-better-secret-7"}});
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(here->Get("/api/v1/auth/me").status, 200);
  EXPECT_EQ(other->Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(NewClient()->Login("am.zhang", "A-much-better-secret-7").status, 200);
}

TEST_P(AuthApiTest, ResetPasswordForcesAChangeBeforeAnythingElse) {
  auto admin = SignedIn("admin");
  auto users = admin->Get("/api/v1/users?q=am.liu");
  ASSERT_EQ(users.status, 200);
  int64_t id = users.Json().at("items").as_array().at(0).at("id").as_int64();
  auto reset = admin->PostJson("/api/v1/users/" + std::to_string(id) + "/reset-password",
                               json::object{{"password", "Temporary-Pass-2026"}});
  ASSERT_EQ(reset.status, 204) << reset.body;

  auto user = NewClient();
  auto login = user->Login("am.liu", "Temporary-Pass-2026");
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(login.Json().at("must_change_password").as_bool());
  auto blocked = user->Get("/api/v1/departments");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.Json().at("code").as_string(), "password_change_required");
  ASSERT_EQ(user->PostJson("/api/v1/auth/password",
                           json::object{{"current_password", "Temporary-Pass-2026"},
                                        {"new_password", "Chosen-By-Liu-2026"}})
                .status,
            204);
  EXPECT_EQ(user->Get("/api/v1/departments").status, 200);
}

TEST_P(AuthApiTest, LanguagePreferenceIsRememberedPerUser) {
  auto client = SignedIn("am.zhang");
  auto changed = client->PatchJson("/api/v1/auth/me", json::object{{"language", "en-US"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json().at("user").at("language").as_string(), "en-US");
  auto again = NewClient();
  ASSERT_EQ(again->Login("am.zhang", "Known-Password-am.zhang").status, 200);
  EXPECT_EQ(again->Get("/api/v1/auth/me").Json().at("user").at("language").as_string(), "en-US");
  auto bad = client->PatchJson("/api/v1/auth/me", json::object{{"language", "fr-FR"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ViolationCodes(), std::vector<std::string>{"language:unsupported"});
}

TEST_P(AuthApiTest, LoginAndFailuresAreAudited) {
  ASSERT_EQ(client_->Login("admin", "wrong-password").status, 401);
  auto auditor = SignedIn("auditor.sun");
  auto events = auditor->Get("/api/v1/audit-events?action=auth.");
  ASSERT_EQ(events.status, 200) << events.body;
  std::vector<std::string> actions;
  auto doc = events.Json();
  for (const auto& e : doc.at("items").as_array()) {
    actions.emplace_back(e.at("action").as_string());
  }
  EXPECT_NE(std::find(actions.begin(), actions.end(), "auth.login_failed"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "auth.login"), actions.end());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
