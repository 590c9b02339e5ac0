// The attacks of a hostile review, each written as the attack it stops: the request an outsider,
// an account manager or an administrator sent, the refusal it now gets, and that nothing changed.
// Both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/china_regions.h"
#include "core/date.h"
#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

class AttackTest : public ServerTest {
 protected:
  // Low rates, so that a test reaches them in a few requests.
  void Configure(app::Config& config) override {
    config.pii_lookups_per_hour = kLookupsPerHour;
    config.duplicate_findings_per_hour = kDuplicatesPerHour;
  }
  static constexpr int kLookupsPerHour = 5;
  static constexpr int kDuplicatesPerHour = 3;

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
  auto security = SignedIn("sec.zhou");
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
        {security.get(),
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

// How many characters of `plain` stay hidden from someone who saw every one of `views`: a
// character is revealed where any view of the same length shows it in its place.
size_t HiddenCharacters(const std::string& plain, const std::vector<std::string>& views) {
  std::vector<bool> revealed(plain.size(), false);
  for (const std::string& view : views) {
    if (view.size() != plain.size()) continue;
    for (size_t i = 0; i < plain.size(); ++i) revealed[i] = revealed[i] || view[i] == plain[i];
  }
  return static_cast<size_t>(std::count(revealed.begin(), revealed.end(), false));
}

// Every string in `doc`, however deep.
void CollectStrings(const json::value& doc, std::vector<std::string>& out) {
  if (doc.is_string()) out.emplace_back(doc.get_string());
  if (doc.is_array()) {
    for (const auto& item : doc.get_array()) CollectStrings(item, out);
  }
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.get_object()) CollectStrings(value, out);
  }
}

// Everyone who reads customers without pii.unmask — an account manager, a department manager,
// an administrator, an auditor — looks at a customer through every endpoint that returns it or
// its history, including its error messages and the server's logs; from all of that together,
// no ID number, phone, bank card or e-mail can be rebuilt: neither is any of them shown whole,
// nor do the views add up to more than one mask reveals, nor does the birth date fill in the
// digits the ID mask hides.
TEST_P(AttackTest, MaskedPersonalDataCannotBeRebuiltFromAnythingShown) {
  auto am = SignedIn("am.zhang");
  const std::string id_number = MakeResidentIdNumber("110105", *Date::FromYmd(1986, 7, 23), 417);
  const std::string phone = "13812345678";
  const std::string new_phone = "13987654321";
  const std::string card = BankCard("622202123456789012");
  const std::string email = "zhangsanfeng@example.com";
  const std::string new_email = "sanfeng.zhang@example.com";
  std::vector<std::string> seen;
  auto look = [&](const HttpResult& r) {
    EXPECT_LT(r.status, 500) << r.body;
    seen.push_back(r.body);
    CollectStrings(r.Json(), seen);
  };
  auto created =
      am->PostJson("/api/v1/customers", json::object{{"type", "individual"},
                                                     {"name", "张三丰"},
                                                     {"id_number", id_number},
                                                     {"phone", phone},
                                                     {"bank_card", card},
                                                     {"email", email},
                                                     {"address_detail", "武当山紫霄宫一号院"}});
  ASSERT_EQ(created.status, 201) << created.body;
  look(created);
  const int64_t id = created.Json().at("id").as_int64();
  auto patched = am->Send(
      "PATCH", Path(id), json::serialize(json::object{{"phone", new_phone}, {"email", new_email}}),
      {{"Content-Type", "application/json"}, {"If-Match", created.Header("etag").value_or("")}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  look(patched);
  // The error messages: a wrong birth date, a duplicate.
  auto wrong_birth = am->Send(
      "PATCH", Path(id),
      json::serialize(json::object{{"birth_date", "1986-07-24"}, {"id_number", id_number}}),
      {{"Content-Type", "application/json"}, {"If-Match", patched.Header("etag").value_or("")}});
  EXPECT_EQ(wrong_birth.status, 422) << wrong_birth.body;
  look(wrong_birth);
  json::object again{
      {"type", "individual"}, {"name", "张三丰"}, {"id_number", id_number}, {"phone", phone}};
  look(am->PostJson("/api/v1/customers", again));
  const int64_t other = Create(*am, Individual("宋远桥", 77));
  look(am->PostJson(Path(other) + "/relations",
                    json::object{{"role", "guarantor"}, {"related_customer_id", id}}));

  for (const char* viewer : {"am.zhang", "manager.chen", "admin", "auditor.sun"}) {
    SCOPED_TRACE(viewer);
    auto client = SignedIn(viewer);
    look(client->Get(Path(id)));
    look(client->Get("/api/v1/customers?q=%E5%BC%A0%E4%B8%89"));  // 张三
    look(client->Get("/api/v1/customers?sort=-created_at&limit=500"));
    look(client->Get(Path(id) + "/timeline"));
    look(client->Get(Path(other) + "/relations"));
    look(client->Get("/api/v1/audit-events?entity_type=customer&limit=500"));
    look(client->Get("/api/v1/audit-events?limit=500"));
    // A cursor carries the sort keys of the last row: a birth date would be one.
    look(client->Get("/api/v1/customers?sort=birth_date&limit=1"));
  }
  seen.push_back(AppLog());
  seen.push_back(AccessLog());

  const std::string birth = "1986-07-23";
  for (const std::string& plain :
       {id_number, phone, new_phone, card, email, new_email, birth, std::string("紫霄宫")}) {
    for (const std::string& text : seen) {
      ASSERT_EQ(text.find(plain), std::string::npos) << plain << " is shown in " << text;
    }
  }
  // The views together reveal no more than one mask.
  EXPECT_EQ(HiddenCharacters(phone, seen), 4u);
  EXPECT_EQ(HiddenCharacters(new_phone, seen), 4u);
  EXPECT_GE(HiddenCharacters(card, seen), 9u);
  EXPECT_GE(HiddenCharacters(email.substr(0, email.find('@')), seen), 10u);
  // The ID number shows its first and last character, the birth date its year: of the
  // seventeen meaningful digits, the month and day and the sequence number stay hidden (with the
  // region guessed from the address, 366 × 1,000 ÷ 11 ≈ 33,000 candidates), far beyond what the
  // rate-limited lookups test.
  std::vector<std::string> id_views = seen;
  id_views.push_back("      1986        ");
  EXPECT_EQ(HiddenCharacters(id_number, id_views), 12u);
  EXPECT_NE(std::find(seen.begin(), seen.end(), "1986-**-**"), seen.end());
}

// The attack that recovered a masked phone in 13 requests: ~700 candidate values of `phone=` per
// request. Now a sensitive field takes one value, one sensitive field is looked up per request —
// built-in or custom — and every lookup is audited (the field, never the value) and counted,
// until the user's rate is spent.
TEST_P(AttackTest, ExactLookupsOfMaskedValuesTestOneCandidateAndAreRateLimited) {
  auto am = SignedIn("am.zhang");
  const int64_t target = Create(*am, Individual("目标客户", 301));
  std::string many = "/api/v1/customers?";
  for (int i = 0; i < 700; ++i) many += (i ? "&phone=" : "phone=") + Phone(1000 + i);
  auto repeated = am->Get(many);
  EXPECT_EQ(repeated.status, 422) << repeated.body.substr(0, 300);
  EXPECT_TRUE(Has(repeated, "phone:one_value")) << repeated.body.substr(0, 300);
  auto combined = am->Get("/api/v1/customers?phone=" + Phone(301) + "&email=a@example.com");
  EXPECT_EQ(combined.status, 422);
  EXPECT_TRUE(Has(combined, "phone:one_sensitive_lookup")) << combined.body;
  auto with_id = am->Get("/api/v1/customers?phone=" + Phone(301) + "&id_number=" + IdNumber(301));
  EXPECT_EQ(with_id.status, 422);
  auto ids =
      am->Get("/api/v1/customers?id_number=" + IdNumber(301) + "&id_number=" + IdNumber(302));
  EXPECT_EQ(ids.status, 422);
  EXPECT_TRUE(Has(ids, "id_number:one_value")) << ids.body;
  // A custom field holding personal data is guarded alike.
  auto added = admin_->PostJson(
      "/api/v1/entities/customer/fields",
      json::object{{"name", "spouse_phone"},
                   {"label", json::object{{"zh-CN", "配偶电话"}, {"en-US", "Spouse phone"}}},
                   {"type", "text"},
                   {"format", "mobile"},
                   {"sensitive", true},
                   {"filterable", true}});
  ASSERT_EQ(added.status, 201) << added.body;
  auto custom = am->Get("/api/v1/customers?spouse_phone=" + Phone(1) + "&spouse_phone=" + Phone(2));
  EXPECT_EQ(custom.status, 422);
  EXPECT_TRUE(Has(custom, "spouse_phone:one_value")) << custom.body;
  // None of the refused requests was a lookup.
  auto auditor = SignedIn("auditor.sun");
  auto audited = [&] {
    return auditor->Get("/api/v1/audit-events?action=pii.lookup").Json().at("items").as_array();
  };
  EXPECT_EQ(audited().size(), 0u);

  // One at a time, they run out: the first kLookupsPerHour are answered, then 429.
  for (int i = 0; i < kLookupsPerHour; ++i) {
    const std::string query = i % 2 == 0 ? "phone=" + Phone(301 + i) : "spouse_phone=" + Phone(i);
    auto r = am->Get("/api/v1/customers?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    if (i == 0) {
      ASSERT_EQ(r.Json().at("items").as_array().size(), 1u);
      EXPECT_EQ(r.Json().at("items").as_array()[0].at("id").as_int64(), target);
    }
  }
  auto spent = am->Get("/api/v1/customers?id_number=" + IdNumber(301));
  EXPECT_EQ(spent.status, 429) << spent.body;
  EXPECT_TRUE(spent.Header("retry-after")) << spent.body;
  // Other lists still work; only lookups by personal data are spent.
  EXPECT_EQ(am->Get("/api/v1/customers?q=%E7%9B%AE").status, 200);
  // Another user has a rate of their own.
  EXPECT_EQ(SignedIn("manager.chen")->Get("/api/v1/customers?phone=" + Phone(301)).status, 200);
  auto entries = audited();
  EXPECT_EQ(entries.size(), static_cast<size_t>(kLookupsPerHour + 1));
  for (const auto& entry : entries) {
    const std::string text = json::serialize(entry);
    EXPECT_EQ(text.find(Phone(301)), std::string::npos) << "the value never reaches the trail";
    EXPECT_NE(text.find("\"detail\":\"by "), std::string::npos) << text;
  }
}

// Finding out that an ID number already belongs to another manager's customer (撞单) stays
// possible, with the customer named, but each finding is audited and counted, and beyond the
// rate every registration that carries an identity is refused before anything is looked up —
// so the 429 itself says nothing about the number.
TEST_P(AttackTest, DuplicateFindingsAreAuditedAndRateLimited) {
  auto zhang = SignedIn("am.zhang");
  auto liu = SignedIn("am.liu");
  std::vector<int64_t> theirs;
  for (int i = 0; i < kDuplicatesPerHour + 1; ++i) {
    theirs.push_back(Create(*zhang, Individual("张的客户", 400 + i)));
  }
  for (int i = 0; i < kDuplicatesPerHour; ++i) {
    auto found = liu->PostJson("/api/v1/customers", Individual("撞单", 400 + i));
    EXPECT_EQ(found.status, 409) << found.body;
    EXPECT_EQ(found.Json().at("existing_id").as_int64(), theirs[i]);
  }
  const int64_t customers = CountRows("customers");
  for (int sequence : {400 + kDuplicatesPerHour, 499}) {
    auto refused = liu->PostJson("/api/v1/customers", Individual("撞单", sequence));
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_FALSE(refused.Json().as_object().contains("existing_id")) << refused.body;
    EXPECT_TRUE(refused.Header("retry-after"));
  }
  EXPECT_EQ(CountRows("customers"), customers) << "the number that is new was not registered";
  auto trail = SignedIn("auditor.sun")
                   ->Get("/api/v1/audit-events?action=customer.duplicate_found")
                   .Json()
                   .at("items")
                   .as_array();
  EXPECT_EQ(trail.size(), static_cast<size_t>(kDuplicatesPerHour));
  for (const auto& entry : trail) {
    EXPECT_EQ(entry.at("username"), "am.liu");
    EXPECT_EQ(json::serialize(entry).find(IdNumber(400)), std::string::npos);
  }
  // The owner, and customers without an identity to look up, are unaffected.
  EXPECT_EQ(zhang->PostJson("/api/v1/customers", Individual("张的新客户", 450)).status, 201);
}

// What a response tells an attacker: its status, its Retry-After, and its body without the
// request id (which differs on every request).
std::string Observable(const HttpResult& r) {
  json::value body = r.Json();
  if (body.is_object()) body.as_object().erase("request_id");
  return std::to_string(r.status) + " " + r.Header("retry-after").value_or("-") + " " +
         json::serialize(body);
}

// An outsider learns nothing about who exists: an unknown username gets the very answers an
// existing one gets, failure by failure, before and after the lockout (which once came for
// existing users only, after five failures).
TEST_P(AttackTest, SignInAnswersAreTheSameForUnknownAndExistingUsernames) {
  auto existing = NewClient();
  auto unknown = NewClient();
  for (int attempt = 0; attempt < 7; ++attempt) {
    SCOPED_TRACE(attempt);
    auto a = existing->Login("am.zhang", "Wrong-Password-" + std::to_string(attempt));
    auto b = unknown->Login("am.nobody", "Wrong-Password-" + std::to_string(attempt));
    EXPECT_EQ(a.status, attempt < 4 ? 401 : 429) << a.body;
    EXPECT_EQ(Observable(a), Observable(b));
  }
}

// Someone outside fails the administrator's password over and over: the administrator, at
// another address, still signs in; the outsider's own address is locked even for the right
// password; and an address that sprays many usernames is throttled as a whole.
TEST_P(AttackTest, NobodyCanLockTheAdministratorOutFromOutside) {
  TestClient outsider(client_->port(), "127.0.0.9");
  for (int i = 0; i < 8; ++i) outsider.Login("admin", "Guess-" + std::to_string(i));
  EXPECT_EQ(outsider.Login("admin", "Known-Password-admin").status, 429);
  TestClient office(client_->port(), "127.0.0.2");
  EXPECT_EQ(office.Login("admin", "Known-Password-admin").status, 200) << "the administrator is in";

  TestClient sprayer(client_->port(), "127.0.0.10");
  int refused = 0;
  for (int i = 0; i < 40 && refused == 0; ++i) {
    if (sprayer.Login("user" + std::to_string(i), "Spring-2026!").status == 429) ++refused;
  }
  EXPECT_EQ(refused, 1) << "the address is throttled before it has tried forty usernames";
  EXPECT_EQ(TestClient(client_->port(), "127.0.0.11").Login("admin", "Known-Password-admin").status,
            200);
  auto trail = SignedIn("auditor.sun")
                   ->Get("/api/v1/audit-events?action=auth.address_lockout")
                   .Json()
                   .at("items")
                   .as_array();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_NE(json::serialize(trail[0]).find("127.0.0.10"), std::string::npos);
}

// The password-change form is no way around the lockout: wrong current passwords count as
// failed sign-ins, and once locked, even the right one is refused there and at the sign-in.
TEST_P(AttackTest, WrongCurrentPasswordsOnChangeCountTowardsTheLockout) {
  auto am = SignedIn("am.zhang");
  auto change = [&](const std::string& current) {
    return am->PostJson(
        "/api/v1/auth/password",
        json::object{{"current_password", current}, {"new_password", "A-New-Password-2026"}});
  };
  for (int i = 0; i < 4; ++i) {
    auto wrong = change("Guess-" + std::to_string(i));
    EXPECT_EQ(wrong.status, 422) << wrong.body;
    EXPECT_TRUE(Has(wrong, "current_password:incorrect"));
  }
  EXPECT_EQ(change("Guess-4").status, 429);
  EXPECT_EQ(change("Known-Password-am.zhang").status, 429);
  EXPECT_EQ(NewClient()->Login("am.zhang", "Known-Password-am.zhang").status, 429);
}

// When an administrator disables a user or resets their password, the user's sessions end at
// once, not when they would have expired.
TEST_P(AttackTest, DisablingOrResettingAUserEndsTheirSessionsAtOnce) {
  auto user_json = [&](const std::string& username) {
    return admin_->Get("/api/v1/users?q=" + username).Json().at("items").as_array().at(0);
  };
  auto zhang = SignedIn("am.zhang");
  auto zhang_elsewhere = NewClient();
  ASSERT_EQ(zhang_elsewhere->Login("am.zhang", "Known-Password-am.zhang").status, 200);
  const int64_t zhang_id = user_json("am.zhang").at("id").as_int64();
  auto reset = admin_->PostJson("/api/v1/users/" + std::to_string(zhang_id) + "/reset-password",
                                json::object{{"password", "Reset-By-Admin-2026"}});
  ASSERT_EQ(reset.status, 204) << reset.body;
  EXPECT_EQ(zhang->Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(zhang_elsewhere->Get("/api/v1/customers").status, 401);

  auto liu = SignedIn("am.liu");
  auto user = user_json("am.liu");
  auto disabled = admin_->PatchJson(
      "/api/v1/users/" + std::to_string(user.at("id").as_int64()),
      json::object{{"status", "disabled"}},
      {{"If-Match", "\"" + std::to_string(user.at("version").as_int64()) + "\""}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(liu->Get("/api/v1/customers").status, 401);
  EXPECT_EQ(NewClient()->Login("am.liu", "Known-Password-am.liu").status, 403);
}

// An account manager linked to, and unlinked, any customer by id. A link needs read access to
// both customers and write access to the side that owns it: one outside the caller's scope is
// answered exactly like one that does not exist, and nothing changes.
TEST_P(AttackTest, RelationsNeedAccessToBothCustomers) {
  auto zhang = SignedIn("am.zhang");
  auto liu = SignedIn("am.liu");
  const int64_t mine = Create(*zhang, Individual("张的客户", 501));
  const int64_t theirs = Create(*liu, Individual("刘的客户", 502));
  const int64_t relations = CountRows("customer_relations");
  auto outside =
      zhang->PostJson(Path(mine) + "/relations",
                      json::object{{"role", "guarantor"}, {"related_customer_id", theirs}});
  auto missing =
      zhang->PostJson(Path(mine) + "/relations",
                      json::object{{"role", "guarantor"}, {"related_customer_id", 987654321}});
  EXPECT_EQ(outside.status, 422) << outside.body;
  EXPECT_EQ(outside.ViolationCodes(), missing.ViolationCodes());
  EXPECT_EQ(Observable(outside).substr(0, 3), Observable(missing).substr(0, 3));
  EXPECT_EQ(json::serialize(outside.Json().at("errors")),
            json::serialize(missing.Json().at("errors")));
  EXPECT_EQ(CountRows("customer_relations"), relations);

  // A link made by someone who sees both: "张的客户 guarantees 刘的客户", owned by 刘的客户.
  auto linked =
      admin_->PostJson(Path(theirs) + "/relations",
                       json::object{{"role", "guarantor"}, {"related_customer_id", mine}});
  ASSERT_EQ(linked.status, 201) << linked.body;
  const int64_t link = linked.Json().at("id").as_int64();
  auto listed = zhang->Get(Path(mine) + "/relations");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json().at("items").as_array().size(), 1u);
  EXPECT_TRUE(listed.Json().at("items").as_array()[0].at("counterpart").at("name").is_null());
  auto unlinked = zhang->Delete(Path(mine) + "/relations/" + std::to_string(link));
  EXPECT_EQ(unlinked.status, 404) << unlinked.body;
  EXPECT_EQ(CountRows("customer_relations"), relations + 1);
  EXPECT_EQ(admin_->Delete(Path(mine) + "/relations/" + std::to_string(link)).status, 204);
}

// A department manager created customers for, or moved them to, a manager outside their scope:
// the customer was saved and then answered 404. Now the owner is checked first: a 422 naming
// owner_id, and nothing saved or moved.
TEST_P(AttackTest, AnOwnerOutsideTheCallersScopeIsRefusedBeforeAnythingIsSaved) {
  auto chen = SignedIn("manager.chen");                  // 城东支行 and below
  const int64_t outside = UserIdOf("am.liu");            // 城西支行
  const int64_t inside = UserIdOf("am.zhang");           // 城东支行营销一组
  const int64_t customers = CountRows("customers");
  json::object body = Individual("越权客户", 601);
  body["owner_id"] = outside;
  auto created = chen->PostJson("/api/v1/customers", body);
  EXPECT_EQ(created.status, 422) << created.body;
  EXPECT_TRUE(Has(created, "owner_id:out_of_scope")) << created.body;
  EXPECT_EQ(CountRows("customers"), customers);

  body["owner_id"] = inside;
  const int64_t id = Create(*chen, body);
  ASSERT_GT(id, 0);
  auto moved = chen->PostJson(Path(id) + "/reassign", json::object{{"owner_id", outside}});
  EXPECT_EQ(moved.status, 422) << moved.body;
  EXPECT_TRUE(Has(moved, "owner_id:out_of_scope")) << moved.body;
  EXPECT_EQ(chen->Get(Path(id)).Json().at("owner_id").as_int64(), inside);
}

// Probing ids outside one's scope: each answer is the 404 of a record that does not exist, and
// the trail notes the rate — once when it reaches the threshold, not every single 404.
TEST_P(AttackTest, ProbingRecordIdsOutsideOnesScopeIsAudited) {
  auto liu = SignedIn("am.liu");
  std::vector<int64_t> theirs;
  for (int i = 0; i < 3; ++i) theirs.push_back(Create(*liu, Individual("刘的客户", 700 + i)));
  auto zhang = SignedIn("am.zhang");
  auto outside = zhang->Get(Path(theirs[0]));
  auto missing = zhang->Get(Path(987654321));
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(Observable(outside), Observable(missing));
  for (int i = 0; i < 25; ++i) zhang->Get(Path(theirs[i % 3]) + (i % 2 ? "/timeline" : ""));
  auto trail = SignedIn("auditor.sun")
                   ->Get("/api/v1/audit-events?action=security.scope_probe")
                   .Json()
                   .at("items")
                   .as_array();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].at("username"), "am.zhang");
  EXPECT_NE(trail[0].at("detail").as_string().find("/api/v1/customers/"), json::string::npos);
}

std::vector<std::string> PermissionsOf(TestClient& client) {
  std::vector<std::string> out;
  const json::value me = client.Get("/api/v1/auth/me").Json();
  for (const auto& p : me.at("user").at("permissions").as_array()) out.emplace_back(p.as_string());
  return out;
}

bool Holds(const std::vector<std::string>& permissions, const std::string& permission) {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

HttpResult Decide(TestClient& who, const json::value& change, const std::string& decision) {
  return who.PostJson(
      "/api/v1/pending-changes/" + std::to_string(change.at("id").as_int64()) + "/" + decision,
      json::object{});
}

// The three requests that took an administrator to the plaintext of every customer: create a
// role with pii.unmask, give it to oneself, unmask. The system administrator may not define
// roles at all; the security administrator's role waits for a second security administrator;
// nobody gives a role to themselves; the grant to someone else waits too; and the requester,
// the user concerned and a system administrator cannot approve it. Every step is audited.
TEST_P(AttackTest, NoAdministratorGrantsThemselvesOrAnAccompliceTheRightToUnmask) {
  auto am = SignedIn("am.zhang");
  const int64_t customer = Create(*am, Individual("被窥探的客户", 801));
  const json::object role_body{{"key", "unmasker"},
                               {"name", json::object{{"zh-CN", "查看明文"}, {"en-US", "Unmasker"}}},
                               {"permissions", json::array{"customer.read", "pii.unmask"}},
                               {"scopes", json::object{{"customer", "all"}}}};
  EXPECT_EQ(admin_->PostJson("/api/v1/roles", role_body).status, 403);

  auto zhou = SignedIn("sec.zhou");
  auto wu = SignedIn("sec.wu");
  auto role = zhou->PostJson("/api/v1/roles", role_body);
  ASSERT_EQ(role.status, 201) << role.body;
  EXPECT_EQ(role.Json().at("permissions"), (json::array{"customer.read"}));
  ASSERT_EQ(role.Json().at("pending_changes").as_array().size(), 1u);
  const json::value permission_change = role.Json().at("pending_changes").as_array()[0];
  EXPECT_EQ(permission_change.at("status"), "pending");
  EXPECT_EQ(Decide(*zhou, permission_change, "approve").status, 403) << "not one's own request";
  EXPECT_EQ(Decide(*admin_, permission_change, "approve").status, 403) << "needs role.admin";
  auto approved = Decide(*wu, permission_change, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json().at("status"), "approved");
  EXPECT_EQ(Decide(*wu, permission_change, "approve").status, 409) << "decided once";

  // Giving it to oneself: refused outright, for a system administrator as for anyone.
  const int64_t admin_id = UserIdOf("admin");
  auto admin_json = admin_->Get("/api/v1/users/" + std::to_string(admin_id)).Json();
  auto to_self = admin_->PatchJson(
      "/api/v1/users/" + std::to_string(admin_id),
      json::object{{"roles", json::array{"admin", "unmasker"}}},
      {{"If-Match", "\"" + std::to_string(admin_json.at("version").as_int64()) + "\""}});
  EXPECT_EQ(to_self.status, 403) << to_self.body;
  EXPECT_FALSE(Holds(PermissionsOf(*admin_), "pii.unmask"));

  // Giving it to an accomplice: recorded, and waiting.
  const int64_t am_id = UserIdOf("am.zhang");
  auto am_json = admin_->Get("/api/v1/users/" + std::to_string(am_id)).Json();
  auto to_accomplice = admin_->PatchJson(
      "/api/v1/users/" + std::to_string(am_id),
      json::object{{"roles", json::array{"account_manager", "unmasker"}}},
      {{"If-Match", "\"" + std::to_string(am_json.at("version").as_int64()) + "\""}});
  ASSERT_EQ(to_accomplice.status, 200) << to_accomplice.body;
  EXPECT_EQ(to_accomplice.Json().at("roles"), (json::array{"account_manager"}));
  ASSERT_EQ(to_accomplice.Json().at("pending_changes").as_array().size(), 1u);
  const json::value role_change = to_accomplice.Json().at("pending_changes").as_array()[0];
  auto unmask = [&] {
    return am->PostJson(Path(customer) + "/unmask",
                        json::object{{"fields", json::array{"id_number"}}});
  };
  EXPECT_EQ(unmask().status, 403) << "not before a second administrator confirms";
  EXPECT_EQ(Decide(*am, role_change, "approve").status, 403);
  auto listed = zhou->Get("/api/v1/pending-changes?status=pending");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.Json().at("items").as_array()[0].at("user").at("username"), "am.zhang");
  ASSERT_EQ(Decide(*zhou, role_change, "approve").status, 200);
  auto plain = unmask();
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.Json().at("id_number"), json::value(IdNumber(801)));

  auto auditor = SignedIn("auditor.sun");
  auto count = [&](const std::string& action) {
    return auditor->Get("/api/v1/audit-events?action=" + action)
        .Json()
        .at("items")
        .as_array()
        .size();
  };
  EXPECT_EQ(count("change.requested"), 2u);
  EXPECT_EQ(count("change.approved"), 2u);
}

// The built-in roles keep system administration, security administration and audit apart.
TEST_P(AttackTest, TheBuiltInRolesKeepSystemSecurityAndAuditApart) {
  auto system = PermissionsOf(*admin_);
  auto security = PermissionsOf(*SignedIn("sec.zhou"));
  auto audit = PermissionsOf(*SignedIn("auditor.sun"));
  for (const char* p : {"role.admin", "audit.read", "pii.unmask"})
    EXPECT_FALSE(Holds(system, p)) << p;
  for (const char* p : {"user.admin", "audit.read", "pii.unmask"})
    EXPECT_FALSE(Holds(security, p)) << p;
  for (const char* p : {"user.admin", "role.admin", "pii.unmask"})
    EXPECT_FALSE(Holds(audit, p)) << p;
  EXPECT_TRUE(Holds(system, "user.admin"));
  EXPECT_TRUE(Holds(security, "role.admin"));
  EXPECT_TRUE(Holds(audit, "audit.read"));
  EXPECT_EQ(admin_->Get("/api/v1/audit-events").status, 403);
  EXPECT_EQ(admin_->Get("/api/v1/roles").status, 403);
}

// A security administrator cannot widen a role they hold, and a password reset of someone who
// may unmask — which would let the system administrator sign in as them — waits for a second
// administrator; until then the user's password and session stand.
TEST_P(AttackTest, ChangingOnesOwnPowersOrTakingOverAPrivilegedAccountTakesTwo) {
  auto zhou = SignedIn("sec.zhou");
  auto wu = SignedIn("sec.wu");
  auto role =
      zhou->PostJson("/api/v1/roles",
                     json::object{{"key", "reviewer"},
                                  {"name", json::object{{"zh-CN", "复核"}, {"en-US", "Reviewer"}}},
                                  {"permissions", json::array{"customer.read"}}});
  ASSERT_EQ(role.status, 201) << role.body;
  const int64_t zhou_id = UserIdOf("sec.zhou");
  auto zhou_json = admin_->Get("/api/v1/users/" + std::to_string(zhou_id)).Json();
  auto given = admin_->PatchJson(
      "/api/v1/users/" + std::to_string(zhou_id),
      json::object{{"roles", json::array{"security_admin", "reviewer"}}},
      {{"If-Match", "\"" + std::to_string(zhou_json.at("version").as_int64()) + "\""}});
  ASSERT_EQ(given.status, 200) << given.body;
  ASSERT_TRUE(given.Json().at("pending_changes").as_array().empty());
  auto widen = zhou->PatchJson(
      "/api/v1/roles/" + std::to_string(role.Json().at("id").as_int64()),
      json::object{{"permissions", json::array{"customer.read", "customer.write"}}},
      {{"If-Match", "\"" + std::to_string(role.Json().at("version").as_int64()) + "\""}});
  EXPECT_EQ(widen.status, 403) << widen.body;

  auto risk = SignedIn("risk.li");
  const int64_t risk_id = UserIdOf("risk.li");
  auto reset = admin_->PostJson("/api/v1/users/" + std::to_string(risk_id) + "/reset-password",
                                json::object{{"password", "Taken-Over-2026"}});
  ASSERT_EQ(reset.status, 202) << reset.body;
  EXPECT_EQ(reset.Json().at("kind"), "password_reset");
  EXPECT_EQ(risk->Get("/api/v1/auth/me").status, 200) << "the session stands";
  EXPECT_EQ(NewClient()->Login("risk.li", "Taken-Over-2026").status, 401);
  EXPECT_EQ(Decide(*admin_, reset.Json(), "approve").status, 403);
  EXPECT_EQ(reset.body.find("Taken-Over"), std::string::npos);
  ASSERT_EQ(Decide(*wu, reset.Json(), "approve").status, 200);
  EXPECT_EQ(risk->Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(NewClient()->Login("risk.li", "Taken-Over-2026").status, 200);

  // An ordinary account manager's reset needs no second administrator; a rejected or withdrawn
  // request never takes effect.
  const int64_t liu_id = UserIdOf("am.liu");
  EXPECT_EQ(admin_
                ->PostJson("/api/v1/users/" + std::to_string(liu_id) + "/reset-password",
                           json::object{{"password", "Plain-Reset-2026"}})
                .status,
            204);
  auto again = admin_->PostJson("/api/v1/users/" + std::to_string(risk_id) + "/reset-password",
                                json::object{{"password", "Second-Try-2026"}});
  ASSERT_EQ(again.status, 202);
  auto rejected = Decide(*wu, again.Json(), "reject");
  ASSERT_EQ(rejected.status, 200);
  EXPECT_EQ(rejected.Json().at("status"), "rejected");
  EXPECT_EQ(Decide(*zhou, again.Json(), "approve").status, 409);
  EXPECT_EQ(NewClient()->Login("risk.li", "Second-Try-2026").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, AttackTest, ::testing::ValuesIn(storage::testing::AllBackends()),
                         BackendParamName);

}  // namespace
}  // namespace oc::testing
