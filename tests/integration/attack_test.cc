// The attacks of a hostile review, each written as the attack it stops: the request an outsider,
// an account manager or an administrator sent, the refusal it now gets, and that nothing changed.
// Both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

class AttackTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
  }

  static std::string Path(int64_t id) { return "/api/v1/customers/" + std::to_string(id); }

  int64_t Create(TestClient& client, const json::object& body) {
    auto created = client.PostJson("/api/v1/customers", body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  static bool Has(const HttpResult& r, const std::string& field_code) {
    auto codes = r.ViolationCodes();
    return std::find(codes.begin(), codes.end(), field_code) != codes.end();
  }

  std::unique_ptr<TestClient> admin_;
};

// NUL and other control characters, and the bidirectional overrides that make text display as
// something else, get into no text field of any resource: each is a 422 naming the field, and
// nothing is stored.
TEST_P(AttackTest, ControlCharactersAreRefusedInEveryTextField) {
  const std::vector<std::string> poisons = {std::string("a\0b", 3), "bell\x07",
                                            "\xe2\x80\xae"
                                            "txt",
                                            "esc\x1b[31m", "c1\xc2\x9b"};
  auto am = SignedIn("am.zhang");
  const int64_t customer = Create(*am, Individual("控制字符", 1));
  const int64_t customers_before = CountRows("customers");
  const int64_t followups_before = CountRows("customer_followups");
  const int64_t relations_before = CountRows("customer_relations");
  for (const std::string& poison : poisons) {
    SCOPED_TRACE(::testing::PrintToString(poison));
    struct Case {
      TestClient* client;
      std::string target;
      json::object body;
      std::string field;
    };
    json::object label{{"zh-CN", "字段" + poison}, {"en-US", "Field"}};
    const std::vector<Case> cases = {
        {admin_.get(), "/api/v1/departments", {{"name", "部门" + poison}}, "name"},
        {admin_.get(),
         "/api/v1/users",
         {{"username", "new.user"},
          {"display_name", "新用户" + poison},
          {"password", "A-Strong-Password-2026"},
          {"department_id", 1}},
         "display_name"},
        {admin_.get(),
         "/api/v1/users",
         {{"username", "new.user"},
          {"display_name", "新用户"},
          {"password", "A-Strong-Password-2026" + poison},
          {"department_id", 1}},
         "password"},
        {admin_.get(),
         "/api/v1/roles",
         {{"key", "poisoned"},
          {"name", json::object{{"zh-CN", "角色" + poison}, {"en-US", "R"}}},
          {"permissions", json::array{"customer.read"}}},
         "name.zh-CN"},
        {admin_.get(),
         "/api/v1/entities/customer/fields",
         {{"name", "poisoned"}, {"label", label}, {"type", "text"}},
         "label.zh-CN"},
        {am.get(),
         "/api/v1/customers",
         {{"type", "individual"},
          {"name", "王" + poison},
          {"id_number", IdNumber(2)},
          {"phone", Phone(2)}},
         "name"},
        {am.get(),
         "/api/v1/customers",
         {{"type", "individual"},
          {"name", "王五"},
          {"id_number", IdNumber(3)},
          {"phone", Phone(3)},
          {"employer", "单位" + poison}},
         "employer"},
        {am.get(),
         Path(customer) + "/followups",
         {{"channel", "phone"}, {"content", "电话" + poison}},
         "content"},
        {am.get(),
         Path(customer) + "/relations",
         {{"role", "emergency_contact"}, {"person_name", "李" + poison}},
         "person_name"},
        {am.get(),
         Path(customer) + "/relations",
         {{"role", "emergency_contact"}, {"person_name", "李四"}, {"note", "备注" + poison}},
         "note"},
    };
    for (const Case& c : cases) {
      SCOPED_TRACE(c.target + " " + c.field);
      auto r = c.client->PostJson(c.target, c.body);
      EXPECT_EQ(r.status, 422) << r.body;
      EXPECT_TRUE(Has(r, c.field + ":control_character")) << r.body;
    }
    // Remarks are multi-line: line breaks and tabs are kept, the poison is not.
    auto fetched = am->Get(Path(customer));
    auto patched = am->Send(
        "PATCH", Path(customer),
        json::serialize(json::object{{"remarks", "第一行\n\t第二行" + poison}}),
        {{"Content-Type", "application/json"}, {"If-Match", fetched.Header("etag").value_or("")}});
    EXPECT_EQ(patched.status, 422) << patched.body;
    EXPECT_TRUE(Has(patched, "remarks:control_character")) << patched.body;
    auto login = NewClient()->PostJson(
        "/api/v1/auth/login",
        json::object{{"username", "admin" + poison}, {"password", "whatever-it-is"}});
    EXPECT_EQ(login.status, 422) << login.body;
    EXPECT_TRUE(Has(login, "username:control_character")) << login.body;
  }
  auto fetched = am->Get(Path(customer));
  auto multiline = am->Send(
      "PATCH", Path(customer), json::serialize(json::object{{"remarks", "第一行\n\t第二行"}}),
      {{"Content-Type", "application/json"}, {"If-Match", fetched.Header("etag").value_or("")}});
  EXPECT_EQ(multiline.status, 200) << multiline.body;
  EXPECT_EQ(multiline.Json().at("remarks"), "第一行\n\t第二行");
  EXPECT_EQ(CountRows("customers"), customers_before);
  EXPECT_EQ(CountRows("customer_followups"), followups_before);
  EXPECT_EQ(CountRows("customer_relations"), relations_before);
  auto departments = admin_->Get("/api/v1/departments");
  EXPECT_EQ(departments.body.find("部门"), std::string::npos) << departments.body;
}

// A custom field may not take a name the system shows records with, nor a physical column
// another field owns, in either order of adding them: a 422 naming "name", never a 500 from
// the database.
TEST_P(AttackTest, CustomFieldNamesCollidingWithSystemNamesOrColumnsAre422) {
  auto field = [](const std::string& name, bool sensitive) {
    return json::object{{"name", name},
                        {"label", json::object{{"zh-CN", "字段"}, {"en-US", "Field"}}},
                        {"type", "text"},
                        {"sensitive", sensitive}};
  };
  const std::string target = "/api/v1/entities/customer/fields";
  for (const char* system : {"id", "version", "owner_name", "department_name", "owner_id"}) {
    auto r = admin_->PostJson(target, field(system, false));
    EXPECT_EQ(r.status, 422) << system << r.body;
    EXPECT_EQ(r.ViolationCodes(), std::vector<std::string>{"name:reserved_name"}) << system;
  }
  // A plain field first, then a sensitive one whose ciphertext column it holds …
  ASSERT_EQ(admin_->PostJson(target, field("zz_enc", false)).status, 201);
  auto sensitive_second = admin_->PostJson(target, field("zz", true));
  EXPECT_EQ(sensitive_second.status, 422) << sensitive_second.body;
  EXPECT_EQ(sensitive_second.ViolationCodes(), std::vector<std::string>{"name:name_taken"});
  // … and the other way round, for the blind-index column.
  ASSERT_EQ(admin_->PostJson(target, field("yy", true)).status, 201);
  auto plain_second = admin_->PostJson(target, field("yy_bidx", false));
  EXPECT_EQ(plain_second.status, 422) << plain_second.body;
  EXPECT_EQ(plain_second.ViolationCodes(), std::vector<std::string>{"name:name_taken"});
  // Customers still work with the fields that were added.
  auto am = SignedIn("am.zhang");
  json::object body = Individual("字段测试", 9);
  body["zz_enc"] = "plain";
  body["yy"] = "secret";
  auto created = am->PostJson("/api/v1/customers", body);
  EXPECT_EQ(created.status, 201) << created.body;
}

// A patch cannot erase what the customer's type needs: the ID number or phone of an individual,
// the credit code of an enterprise. Each way of clearing is a 422 naming the field, and the
// stored values stay.
TEST_P(AttackTest, APatchCannotClearWhatTheCustomersTypeRequires) {
  auto am = SignedIn("am.zhang");
  const int64_t person = Create(*am, Individual("必填测试", 11));
  const int64_t enterprise =
      Create(*am, json::object{{"type", "enterprise"},
                               {"name", "必填测试有限公司"},
                               {"credit_code", CreditCode("91110105MA01ABCD1")}});
  ASSERT_GT(enterprise, 0);
  struct Case {
    int64_t id;
    std::string field;
    json::value value;
  };
  const std::vector<Case> cases = {
      {person, "phone", nullptr},
      {person, "phone", ""},
      {person, "phone", "   "},
      {person, "phone", "\u3000"},
      {person, "id_number", nullptr},
      {person, "id_number", ""},
      {enterprise, "credit_code", nullptr},
      {enterprise, "credit_code", " "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field + " = " + json::serialize(c.value));
    auto before = am->Get(Path(c.id));
    ASSERT_EQ(before.status, 200);
    auto r = am->Send(
        "PATCH", Path(c.id), json::serialize(json::object{{c.field, c.value}}),
        {{"Content-Type", "application/json"}, {"If-Match", before.Header("etag").value_or("")}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(Has(r, c.field + ":required")) << r.body;
    auto after = am->Get(Path(c.id));
    EXPECT_EQ(after.Json().at(c.field), before.Json().at(c.field));
    EXPECT_EQ(after.Header("etag"), before.Header("etag")) << "nothing was written";
  }
  // Optional personal data may still be cleared.
  auto before = am->Get(Path(person));
  auto cleared = am->Send(
      "PATCH", Path(person), R"({"email": null})",
      {{"Content-Type", "application/json"}, {"If-Match", before.Header("etag").value_or("")}});
  EXPECT_EQ(cleared.status, 200) << cleared.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, AttackTest, ::testing::ValuesIn(storage::testing::AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace oc::testing
