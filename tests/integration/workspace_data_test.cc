// The shape of customer data over HTTP (issue 13): every built-in field's maximum length, the
// search by the last four digits of the phone, the list's total, enterprises with landlines or a
// pending credit code, related persons with an ID number, and custom fields changed or archived
// by an administrator. Both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <string>

#include "core/credit_code.h"
#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

const HeaderList kEnglish = {{"Accept-Language", "en-US"}};

std::string Path(int64_t id) { return "/api/v1/customers/" + std::to_string(id); }

bool Has(const HttpResult& r, const std::string& field_code) {
  auto codes = r.ViolationCodes();
  return std::find(codes.begin(), codes.end(), field_code) != codes.end();
}

std::string FirstMessage(const HttpResult& r) {
  auto doc = r.Json();
  if (!doc.is_object() || !doc.as_object().contains("errors")) return "";
  const auto& errors = doc.at("errors").as_array();
  return errors.empty() ? "" : std::string(errors[0].at("message").as_string());
}

std::set<int64_t> Ids(const HttpResult& r) {
  std::set<int64_t> ids;
  auto doc = r.Json();
  if (!doc.is_object() || !doc.as_object().contains("items")) return ids;
  for (const auto& item : doc.at("items").as_array()) ids.insert(item.at("id").as_int64());
  return ids;
}

json::object Enterprise(const std::string& name, const std::string& first17) {
  return json::object{{"type", "enterprise"}, {"name", name}, {"credit_code", CreditCode(first17)}};
}

class WorkspaceDataTest : public ServerTest {
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

  // The field named `name` of GET /entities/customer, and the entity's ETag.
  std::pair<json::object, std::string> Field(const std::string& name) {
    auto meta = admin_->Get("/api/v1/entities/customer");
    EXPECT_EQ(meta.status, 200) << meta.body;
    auto doc = meta.Json();
    for (const auto& field : doc.at("fields").as_array()) {
      if (field.at("name") == json::value(name)) {
        return {field.as_object(), meta.Header("etag").value_or("")};
      }
    }
    ADD_FAILURE() << "no field " << name;
    return {{}, meta.Header("etag").value_or("")};
  }

  std::unique_ptr<TestClient> admin_;
};

TEST_P(WorkspaceDataTest, EveryBuiltInTextFieldCarriesAMaximumLengthTheServerEnforces) {
  auto meta = admin_->Get("/api/v1/entities/customer");
  ASSERT_EQ(meta.status, 200);
  auto doc = meta.Json();
  for (const auto& field : doc.at("fields").as_array()) {
    const auto& type = field.at("type").as_string();
    if (type != "text" && type != "long_text") continue;
    EXPECT_TRUE(field.at("max_length").is_int64()) << field;
    EXPECT_EQ(field.at("archived"), json::value(false)) << field;
  }
  auto [name, etag] = Field("name");
  EXPECT_EQ(name.at("max_length").as_int64(), 100);

  auto am = SignedIn("am.zhang");
  json::object body = Individual("王", 500);
  body["name"] = std::string(300, 'a');
  auto zh = am->PostJson("/api/v1/customers", body);
  EXPECT_EQ(zh.status, 422) << zh.body;
  EXPECT_EQ(zh.ViolationCodes(), std::vector<std::string>{"name:too_long"});
  EXPECT_EQ(FirstMessage(zh), "客户名称最多 100 个字符");
  auto en = am->PostJson("/api/v1/customers", body, kEnglish);
  EXPECT_EQ(FirstMessage(en), "Name must be at most 100 characters");

  body["name"] = "王小二";
  body["remarks"] = std::string(2001, 'x');
  auto remarks = am->PostJson("/api/v1/customers", body);
  EXPECT_EQ(remarks.ViolationCodes(), std::vector<std::string>{"remarks:too_long"});
}

TEST_P(WorkspaceDataTest, PhoneTailFindsWhatTheListShowsAndIsNoLookupOfPersonalData) {
  auto am = SignedIn("am.zhang");
  json::object person = Individual("尾号客户", 501);
  person["phone"] = "13912348000";
  const int64_t individual = Create(*am, person);
  json::object company = Enterprise("某某贸易有限公司", "91330100MA2H10001");
  company["contact_phone"] = "0571-88888000";
  const int64_t enterprise = Create(*am, company);
  Create(*am, Individual("别的客户", 502));
  json::object theirs = Individual("刘的客户", 503);
  theirs["phone"] = "13700008000";
  Create(*SignedIn("am.liu"), theirs);

  auto found = am->Get("/api/v1/customers?phone_tail=8000");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(Ids(found), (std::set<int64_t>{individual, enterprise}));
  auto doc = found.Json();
  EXPECT_EQ(doc.at("total").as_int64(), 2);
  for (const auto& item : doc.at("items").as_array()) {
    const std::string shown(item.at("display_phone").as_string());
    EXPECT_TRUE(shown.ends_with("8000")) << shown;
    EXPECT_NE(shown.find('*'), std::string::npos) << shown;
  }

  for (const char* bad : {"800", "80000", "80a0"}) {
    auto refused = am->Get(std::string("/api/v1/customers?phone_tail=") + bad);
    EXPECT_EQ(refused.status, 422) << bad;
    EXPECT_TRUE(Has(refused, "phone_tail:invalid_phone_tail")) << refused.body;
  }
  // Not counted or audited like an exact lookup.
  auto lookups = SignedIn("auditor.sun")->Get("/api/v1/audit-events?action=pii.lookup");
  ASSERT_EQ(lookups.status, 200);
  EXPECT_TRUE(lookups.Json().at("items").as_array().empty()) << lookups.body;
}

TEST_P(WorkspaceDataTest, TheListTotalCountsTheCallersScopeWithItsFilters) {
  auto am = SignedIn("am.zhang");
  for (int i = 0; i < 3; ++i) Create(*am, Individual("总数客户" + std::to_string(i), 510 + i));
  Create(*SignedIn("am.liu"), Individual("刘的客户", 513));
  auto page = am->Get("/api/v1/customers?limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(page.Json().at("total").as_int64(), 3);
  EXPECT_EQ(admin_->Get("/api/v1/customers?limit=1").Json().at("total").as_int64(), 4);
  EXPECT_EQ(am->Get("/api/v1/customers?q=%E5%88%98").Json().at("total").as_int64(), 0);  // 刘
}

TEST_P(WorkspaceDataTest, EnterprisesTakeLandlinesAndAPendingCreditCodeReason) {
  auto am = SignedIn("am.zhang");
  json::object company = Enterprise("杭州某某科技有限公司", "91330100MA2H10002");
  company["phone"] = "021 6888 6666";
  const int64_t id = Create(*am, company);
  auto listed = am->Get("/api/v1/customers?phone_tail=6666");
  ASSERT_EQ(Ids(listed), std::set<int64_t>{id}) << listed.body;
  EXPECT_EQ(listed.Json().at("items").at(0).at("display_phone"), "021-****6666");

  json::object pending{{"type", "enterprise"},
                       {"name", "筹建中的公司"},
                       {"credit_code_pending_reason", "营业执照办理中"},
                       {"contact_phone", "(010)12345678-9"}};
  auto created = am->PostJson("/api/v1/customers", pending);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("contact_phone"), "010-****5678-*");

  auto missing = am->PostJson("/api/v1/customers",
                              json::object{{"type", "enterprise"}, {"name", "无代码公司"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_TRUE(Has(missing, "credit_code:required")) << missing.body;
  auto person = Individual("座机个人", 520);
  person["phone"] = "0571-88886666";
  auto landline = am->PostJson("/api/v1/customers", person);
  EXPECT_EQ(landline.ViolationCodes(), std::vector<std::string>{"phone:invalid_mobile"});
}

TEST_P(WorkspaceDataTest, RelatedPersonsCarryAMaskedIdNumberAndOnlyShareholdersAShare) {
  auto am = SignedIn("am.zhang");
  const int64_t id = Create(*am, Individual("借款人", 530));
  const std::string id_number = IdNumber(531, 1970);
  auto added = am->PostJson(Path(id) + "/relations",
                            json::object{{"role", "guarantor"},
                                         {"person_name", "担保人乙"},
                                         {"person_id_number", id_number}});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string masked = id_number.front() + std::string(16, '*') + id_number.back();
  EXPECT_EQ(added.Json().at("counterpart").at("id_number"), json::value(masked));
  auto relations = am->Get(Path(id) + "/relations");
  EXPECT_EQ(relations.Json().at("items").at(0).at("counterpart").at("id_number"),
            json::value(masked));
  EXPECT_EQ(relations.body.find(id_number), std::string::npos);

  auto share = am->PostJson(Path(id) + "/relations",
                            json::object{{"role", "spouse"},
                                         {"person_name", "配偶"},
                                         {"share_percent", "30"}});
  EXPECT_EQ(share.status, 422);
  EXPECT_EQ(share.ViolationCodes(), std::vector<std::string>{"share_percent:not_applicable"});
  EXPECT_EQ(FirstMessage(share), "只有股东有持股比例");
  auto bad = am->PostJson(Path(id) + "/relations",
                          json::object{{"role", "guarantor"},
                                       {"person_name", "担保人丙"},
                                       {"person_id_number", "110105"}});
  EXPECT_TRUE(Has(bad, "person_id_number:invalid_length")) << bad.body;

  auto trail = SignedIn("auditor.sun")->Get("/api/v1/audit-events?entity_type=customer&limit=500");
  ASSERT_EQ(trail.status, 200);
  EXPECT_EQ(trail.body.find(id_number), std::string::npos);
}

TEST_P(WorkspaceDataTest, AnAdministratorChangesAndArchivesACustomFieldWhoseDataStays) {
  auto added = admin_->PostJson(
      "/api/v1/entities/customer/fields",
      json::object{{"name", "wechat"},
                   {"label", json::object{{"zh-CN", "微信号"}, {"en-US", "WeChat"}}},
                   {"type", "text"},
                   {"filterable", true}});
  ASSERT_EQ(added.status, 201) << added.body;
  auto am = SignedIn("am.zhang");
  json::object body = Individual("微信客户", 540);
  body["wechat"] = "wx_540";
  const int64_t id = Create(*am, body);

  auto [field, etag] = Field("wechat");
  const std::string path = "/api/v1/entities/customer/fields/wechat";
  auto relabelled = admin_->PatchJson(
      path, json::object{{"label", json::object{{"zh-CN", "微信"}}}, {"max_length", 40}},
      {{"If-Match", etag}});
  ASSERT_EQ(relabelled.status, 200) << relabelled.body;
  EXPECT_EQ(relabelled.Json().at("label").at("zh-CN"), "微信");
  EXPECT_EQ(relabelled.Json().at("label").at("en-US"), "WeChat");
  EXPECT_EQ(relabelled.Json().at("max_length").as_int64(), 40);
  const std::string next = relabelled.Header("etag").value_or("");
  EXPECT_NE(next, etag);
  auto stale = admin_->PatchJson(path, json::object{{"archived", true}}, {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(admin_->PatchJson(path, json::object{{"archived", true}}).status, 428);
  EXPECT_EQ(am->PatchJson(path, json::object{{"archived", true}}, {{"If-Match", next}}).status,
            403);

  auto archived = admin_->PatchJson(path, json::object{{"archived", true}}, {{"If-Match", next}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(Field("wechat").first.at("archived"), json::value(true));
  // The data stays readable; new input is refused.
  EXPECT_EQ(am->Get(Path(id)).Json().at("wechat"), "wx_540");
  json::object again = Individual("新微信客户", 541);
  again["wechat"] = "wx_541";
  auto refused = am->PostJson("/api/v1/customers", again);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Has(refused, "wechat:archived")) << refused.body;

  auto events = SignedIn("auditor.sun")->Get("/api/v1/audit-events?action=entity.field_updated");
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(events.Json().at("items").as_array().size(), 2u) << events.body;
}

TEST_P(WorkspaceDataTest, ABuiltInFieldTakesANewLabelAndNothingElse) {
  auto [field, etag] = Field("occupation");
  const std::string path = "/api/v1/entities/customer/fields/occupation";
  auto refused = admin_->PatchJson(
      path, json::object{{"required", true}, {"archived", true}}, {{"If-Match", etag}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Has(refused, "required:builtin_field")) << refused.body;
  EXPECT_TRUE(Has(refused, "archived:builtin_field")) << refused.body;
  EXPECT_EQ(FirstMessage(refused), "内置字段只能修改名称");

  auto renamed = admin_->PatchJson(
      path, json::object{{"label", json::object{{"zh-CN", "职业/岗位"}}}}, {{"If-Match", etag}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Field("occupation").first.at("label").at("zh-CN"), "职业/岗位");
  EXPECT_EQ(admin_->PatchJson("/api/v1/entities/customer/fields/nothing",
                              json::object{{"required", true}},
                              {{"If-Match", renamed.Header("etag").value_or("")}})
                .status,
            404);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkspaceDataTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
