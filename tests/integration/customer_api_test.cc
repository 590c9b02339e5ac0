// The customer registry over HTTP (issue 3): intake with validation and standardisation, masking
// and unmasking, optimistic concurrency, soft deletes, list filters and cursors, idempotent
// creates, duplicates across data scopes, reassignment, related parties, follow-ups and the
// timeline, and custom fields added at run time. Both backends.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <set>

#include "core/china_regions.h"
#include "core/credit_code.h"
#include "core/date.h"
#include "storage/testing/faulty_db.h"
#include "test_customers.h"
#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

const HeaderList kEnglish = {{"Accept-Language", "en-US"}};

// The first sequence from `from` whose ID number ends in the check character X.
int SequenceEndingInX(int from) {
  for (int s = from; s < 1000; ++s) {
    if (IdNumber(s).back() == 'X') return s;
  }
  ADD_FAILURE() << "no ID number ending in X";
  return from;
}

// The same code with a wrong check character.
std::string WrongCreditCode(const std::string& first17) {
  char right = CreditCodeCheckCharacter(first17);
  return first17 + (right == '0' ? '1' : '0');
}

std::string Etag(const HttpResult& r) { return r.Header("etag").value_or(""); }

bool HasCode(const HttpResult& r, const std::string& field_code) {
  auto codes = r.ViolationCodes();
  return std::find(codes.begin(), codes.end(), field_code) != codes.end();
}

std::vector<int64_t> Ids(const HttpResult& r) {
  std::vector<int64_t> ids;
  auto doc = r.Json();
  if (!doc.is_object() || !doc.as_object().contains("items")) return ids;
  for (const auto& item : doc.at("items").as_array()) ids.push_back(item.at("id").as_int64());
  return ids;
}

class CustomerApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
  }

  // Creates a customer as `client` and returns its id (0 after a failure, reported).
  int64_t Create(TestClient& client, const json::object& body) {
    auto created = client.PostJson("/api/v1/customers", body);
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    return created.Json().at("id").as_int64();
  }

  static std::string Path(int64_t id) { return "/api/v1/customers/" + std::to_string(id); }

  int64_t UserId(const std::string& username) {
    auto list = admin_->Get("/api/v1/users?q=" + username);
    auto doc = list.Json();
    for (const auto& u : doc.at("items").as_array()) {
      if (u.at("username") == json::value(username)) return u.at("id").as_int64();
    }
    ADD_FAILURE() << "no user " << username;
    return 0;
  }

  int64_t DepartmentId(const std::string& name) {
    auto doc = admin_->Get("/api/v1/departments").Json();
    for (const auto& d : doc.at("items").as_array()) {
      if (d.at("name") == json::value(name)) return d.at("id").as_int64();
    }
    ADD_FAILURE() << "no department " << name;
    return 0;
  }

  // Audit events of one customer, newest first, as the auditor sees them.
  json::array AuditOf(int64_t customer_id, const std::string& action) {
    auto auditor = SignedIn("auditor.sun");
    auto events = auditor->Get("/api/v1/audit-events?entity_type=customer&entity_id=" +
                               std::to_string(customer_id) + "&action=" + action);
    EXPECT_EQ(events.status, 200) << events.body;
    return events.Json().at("items").as_array();
  }

  std::unique_ptr<TestClient> admin_;
};

TEST_P(CustomerApiTest, CreateReturns201WithLocationETagAndMaskedPersonalData) {
  auto am = SignedIn("am.zhang");
  std::string id_number = IdNumber(3);
  auto created = am->PostJson("/api/v1/customers",
                              json::object{{"type", "individual"},
                                           {"name", "王小明"},
                                           {"id_number", id_number},
                                           {"phone", "13800138000"},
                                           {"email", "wang.xm@example.com"},
                                           {"monthly_income", "12000.50"},
                                           {"province", "北京市"},
                                           {"address_detail", "朝阳区建国路 88 号"},
                                           {"tags", json::array{"vip", "new"}},
                                           {"risk_level", "low"},
                                           {"source_channel", "walk_in"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = created.Json();
  int64_t id = doc.at("id").as_int64();
  EXPECT_EQ(created.Header("location").value_or(""), Path(id));
  EXPECT_EQ(Etag(created), "\"1\"");
  EXPECT_EQ(Str(doc, "id_number"), id_number.front() + std::string(16, '*') + id_number.back());
  EXPECT_EQ(Str(doc, "phone"), "138****8000");
  EXPECT_EQ(Str(doc, "id_type"), "resident_id");
  EXPECT_EQ(Str(doc, "birth_date"), "1990-**-**");
  EXPECT_EQ(Str(doc, "gender"), "male");  // GB 11643: an odd 17th digit
  EXPECT_EQ(Str(doc, "monthly_income"), "12000.50");
  EXPECT_EQ(doc.at("owner_id").as_int64(), UserId("am.zhang"));
  EXPECT_EQ(doc.at("department_id").as_int64(), DepartmentId("城东支行营销一组"));
  EXPECT_EQ(created.body.find(id_number), std::string::npos);
  EXPECT_EQ(created.body.find("13800138000"), std::string::npos);
  EXPECT_EQ(created.body.find("建国路"), std::string::npos);

  auto fetched = am->Get(Path(id));
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(Etag(fetched), "\"1\"");
  EXPECT_EQ(Str(fetched.Json(), "name"), "王小明");
  EXPECT_EQ(Str(fetched.Json(), "phone"), "138****8000");

  if (GetParam() == storage::testing::Backend::kSqlite) {
    // Encrypted at rest: neither plaintext is anywhere in the database files.
    for (const auto& file : storage::testing::SqliteFilesOf(application_->db())) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find(id_number), std::string::npos) << file;
      EXPECT_EQ(bytes.find("13800138000"), std::string::npos) << file;
    }
  }
}

TEST_P(CustomerApiTest, GenderAndBirthDateComeFromTheIdNumberAndMustAgreeWithIt) {
  auto am = SignedIn("am.zhang");
  // GB 11643: the 17th digit is odd for a man.
  auto man = am->PostJson("/api/v1/customers", Individual("赵一", 5));
  ASSERT_EQ(man.status, 201) << man.body;
  EXPECT_EQ(Str(man.Json(), "gender"), "male");
  auto woman = am->PostJson("/api/v1/customers", Individual("钱二", 6));
  ASSERT_EQ(woman.status, 201) << woman.body;
  EXPECT_EQ(Str(woman.Json(), "gender"), "female");

  json::object wrong = Individual("孙三", 7);
  wrong["birth_date"] = "1991-02-03";
  wrong["gender"] = "female";
  auto refused = am->PostJson("/api/v1/customers", wrong);
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(HasCode(refused, "birth_date:mismatch_id_number")) << refused.body;
  EXPECT_TRUE(HasCode(refused, "gender:mismatch_id_number")) << refused.body;
}

TEST_P(CustomerApiTest, EveryInvalidFieldIs422NamingItInTheRequestLanguageAndNothingIsStored) {
  auto am = SignedIn("am.zhang");
  int64_t before = CountRows("customers");
  std::string bad_check = IdNumber(9);
  bad_check.back() = bad_check.back() == '0' ? '1' : '0';
  json::object body{{"type", "individual"},
                    {"name", "李四"},
                    {"id_number", bad_check},
                    {"phone", "12345678901"},
                    {"email", "not-an-email"},
                    {"monthly_income", "-100.00"}};

  auto zh = am->PostJson("/api/v1/customers", body);
  ASSERT_EQ(zh.status, 422) << zh.body;
  EXPECT_EQ(zh.Header("content-type").value_or(""), "application/problem+json");
  EXPECT_TRUE(HasCode(zh, "id_number:invalid_checksum")) << zh.body;
  EXPECT_TRUE(HasCode(zh, "phone:invalid_mobile")) << zh.body;
  EXPECT_TRUE(HasCode(zh, "email:invalid_email")) << zh.body;
  EXPECT_TRUE(HasCode(zh, "monthly_income:negative_not_allowed")) << zh.body;
  auto zh_doc = zh.Json();
  for (const auto& e : zh_doc.at("errors").as_array()) {
    std::string message(e.at("message").as_string());
    // Chinese by default: at least one CJK character (three-byte UTF-8 lead byte 0xE4–0xE9).
    EXPECT_TRUE(std::any_of(message.begin(), message.end(),
                            [](char c) {
                              auto b = static_cast<unsigned char>(c);
                              return b >= 0xE4 && b <= 0xE9;
                            }))
        << e.at("field").as_string() << ": " << message;
  }

  auto en = am->PostJson("/api/v1/customers", body, kEnglish);
  ASSERT_EQ(en.status, 422);
  EXPECT_EQ(en.ViolationCodes(), zh.ViolationCodes());
  auto en_doc = en.Json();
  for (const auto& e : en_doc.at("errors").as_array()) {
    std::string message(e.at("message").as_string());
    EXPECT_TRUE(std::all_of(message.begin(), message.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0xE4; }))
        << message;
    EXPECT_FALSE(message.empty());
  }

  json::object decimals = Individual("周五", 10);
  decimals["monthly_income"] = "100.123";
  auto three_places = am->PostJson("/api/v1/customers", decimals, kEnglish);
  EXPECT_EQ(three_places.status, 422);
  EXPECT_EQ(three_places.ViolationCodes(),
            std::vector<std::string>{"monthly_income:too_many_decimals"});

  auto enterprise = am->PostJson("/api/v1/customers",
                                 json::object{{"type", "enterprise"},
                                              {"name", "北京某某科技有限公司"},
                                              {"credit_code", WrongCreditCode("91110105MA01ABCDE")},
                                              {"registered_capital", "-1.00"}});
  EXPECT_EQ(enterprise.status, 422);
  EXPECT_TRUE(HasCode(enterprise, "credit_code:invalid_checksum")) << enterprise.body;
  EXPECT_TRUE(HasCode(enterprise, "registered_capital:negative_not_allowed")) << enterprise.body;

  EXPECT_EQ(CountRows("customers"), before);
}

TEST_P(CustomerApiTest, InputIsStandardisedOnTheWayIn) {
  auto am = SignedIn("am.zhang");
  int x_sequence = SequenceEndingInX(20);
  std::string id_number = IdNumber(x_sequence);
  std::string lower = id_number.substr(0, 17) + "x";
  // Full-width digits, +86, spaces and dashes all fold to the 11 digits.
  auto created = am->PostJson("/api/v1/customers",
                              json::object{{"type", "individual"},
                                           {"name", "  吴  　六 "},
                                           {"id_number", lower},
                                           {"phone", "+86 １３８-0013 8001"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = created.Json();
  int64_t id = doc.at("id").as_int64();
  EXPECT_EQ(Str(doc, "name"), "吴 六");
  EXPECT_EQ(Str(doc, "phone"), "138****8001");
  EXPECT_EQ(Str(doc, "id_number").back(), 'X');

  auto risk = SignedIn("risk.li");
  auto plain = risk->PostJson(Path(id) + "/unmask",
                              json::object{{"fields", json::array{"id_number", "phone"}}});
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(Str(plain.Json(), "id_number"), id_number);
  EXPECT_EQ(Str(plain.Json(), "phone"), "13800138001");

  // A 15-digit legacy number (no century, no check digit) becomes the 18-digit one.
  std::string modern = IdNumber(31, 1975);
  std::string legacy = modern.substr(0, 6) + modern.substr(8, 9);
  ASSERT_EQ(legacy.size(), 15u);
  json::object old_card{{"type", "individual"},
                        {"name", "郑七"},
                        {"id_number", legacy},
                        {"phone", Phone(31)}};
  auto converted = am->PostJson("/api/v1/customers", old_card);
  ASSERT_EQ(converted.status, 201) << converted.body;
  EXPECT_EQ(Str(converted.Json(), "birth_date"), "1975-**-**");
  auto converted_plain =
      risk->PostJson(Path(converted.Json().at("id").as_int64()) + "/unmask",
                     json::object{{"fields", json::array{"id_number"}}});
  EXPECT_EQ(Str(converted_plain.Json(), "id_number"), modern);

  // Exact lookups standardise the same way.
  auto by_lower = am->Get("/api/v1/customers?id_number=" + lower);
  ASSERT_EQ(by_lower.status, 200) << by_lower.body;
  EXPECT_EQ(Ids(by_lower), std::vector<int64_t>{id});
  auto by_phone = am->Get("/api/v1/customers?phone=%2B86%20138-0013-8001");
  ASSERT_EQ(by_phone.status, 200) << by_phone.body;
  EXPECT_EQ(Ids(by_phone), std::vector<int64_t>{id});
}

TEST_P(CustomerApiTest, PatchNeedsAFreshIfMatchAndAStaleOneChangesNothing) {
  auto am = SignedIn("am.zhang");
  int64_t id = Create(*am, Individual("冯八", 40));
  std::string path = Path(id);

  auto missing = am->PatchJson(path, json::object{{"occupation", "教师"}});
  EXPECT_EQ(missing.status, 428) << missing.body;
  auto ok = am->PatchJson(path, json::object{{"occupation", "教师"}, {"phone", "13900001111"}},
                          {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Etag(ok), "\"2\"");
  EXPECT_EQ(Str(ok.Json(), "occupation"), "教师");
  EXPECT_EQ(Str(ok.Json(), "phone"), "139****1111");

  auto stale = am->PatchJson(path, json::object{{"occupation", "医生"}}, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto now = am->Get(path);
  EXPECT_EQ(Str(now.Json(), "occupation"), "教师");
  EXPECT_EQ(Etag(now), "\"2\"");

  auto invalid = am->PatchJson(path, json::object{{"email", "nope"}}, {{"If-Match", "\"2\""}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.ViolationCodes(), std::vector<std::string>{"email:invalid_email"});
  auto owner = am->PatchJson(path, json::object{{"owner_id", UserId("am.liu")}},
                             {{"If-Match", "\"2\""}});
  EXPECT_EQ(owner.status, 422);
  EXPECT_EQ(owner.ViolationCodes(), std::vector<std::string>{"owner_id:immutable"});
  EXPECT_EQ(Etag(am->Get(path)), "\"2\"");
}

TEST_P(CustomerApiTest, DeleteIsSoftAndForAdministratorsOnly) {
  auto am = SignedIn("am.zhang");
  json::object body = Individual("陈九", 50);
  int64_t id = Create(*am, body);
  const json::object reason{{"reason", "重复录入"}};
  EXPECT_EQ(am->DeleteJson(Path(id), reason).status, 403);
  for (const auto& [bad, code] : std::vector<std::pair<json::object, std::string>>{
           {{}, "reason:required"},
           {{{"reason", "  "}}, "reason:required"},
           {{{"reason", "重"}}, "reason:too_short"},
           {{{"reason", std::string(201, 'x')}}, "reason:too_long"},
           {{{"reason", "重复\u202e录入"}}, "reason:control_character"}}) {
    auto refused = admin_->DeleteJson(Path(id), bad);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.ViolationCodes(), std::vector<std::string>{code}) << refused.body;
  }
  EXPECT_EQ(am->Get(Path(id)).status, 200);
  auto gone = admin_->DeleteJson(Path(id), reason);
  EXPECT_EQ(gone.status, 204) << gone.body;
  EXPECT_EQ(am->Get(Path(id)).status, 404);
  EXPECT_EQ(admin_->Get(Path(id)).status, 404);
  EXPECT_TRUE(Ids(admin_->Get("/api/v1/customers")).empty());
  EXPECT_EQ(CountRows("customers"), 1);  // kept for its history
  auto deletion = AuditOf(id, "customer.delete");
  ASSERT_EQ(deletion.size(), 1u);
  EXPECT_EQ(deletion[0].at("detail").as_string(), "重复录入");
  // Its ID number is free for a new record.
  EXPECT_NE(Create(*am, body), 0);
  EXPECT_EQ(admin_->DeleteJson(Path(id), reason).status, 404);
}

TEST_P(CustomerApiTest, ARiskOfficerRatesACustomerWithoutEditingTheRest) {
  auto am = SignedIn("am.zhang");
  int64_t id = Create(*am, Individual("卫十", 51));
  auto risk = SignedIn("risk.li");
  auto rated =
      risk->PatchJson(Path(id), json::object{{"risk_level", "high"}, {"status", "dormant"}},
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_EQ(Str(rated.Json(), "risk_level"), "high");
  EXPECT_EQ(Etag(rated), "\"2\"");
  ASSERT_EQ(AuditOf(id, "customer.update").size(), 1u);

  // Anything beside the rating is an edit, which customer.classify does not allow.
  for (const json::object& patch : {json::object{{"risk_level", "low"}, {"remarks", "顺手改"}},
                                    json::object{{"name", "卫拾"}}, json::object{}}) {
    auto refused = risk->PatchJson(Path(id), patch, {{"If-Match", "\"2\""}});
    EXPECT_EQ(refused.status, 403) << refused.body;
  }
  auto bad =
      risk->PatchJson(Path(id), json::object{{"risk_level", "extreme"}}, {{"If-Match", "\"2\""}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ViolationCodes(), std::vector<std::string>{"risk_level:invalid_option"});
  EXPECT_EQ(Str(am->Get(Path(id)).Json(), "name"), "卫十");
}

TEST_P(CustomerApiTest, ListFiltersByEveryKindOfParameter) {
  auto zhang = SignedIn("am.zhang");
  auto liu = SignedIn("am.liu");
  json::object a = Individual("张三", 60);
  a["tags"] = json::array{"vip"};
  a["risk_level"] = "high";
  a["status"] = "active";
  a["source_channel"] = "online";
  json::object b = Individual("张四", 61);
  b["tags"] = json::array{"new", "farmer"};
  b["risk_level"] = "low";
  b["status"] = "prospect";
  b["source_channel"] = "referral";
  json::object c = Individual("李五", 62);
  c["tags"] = json::array{"vip", "farmer"};
  c["risk_level"] = "high";
  c["status"] = "active";
  c["source_channel"] = "online";
  int64_t ida = Create(*zhang, a);
  int64_t idb = Create(*zhang, b);
  int64_t idc = Create(*liu, c);
  auto list = [&](const std::string& query) {
    auto r = admin_->Get("/api/v1/customers?" + query);
    EXPECT_EQ(r.status, 200) << query << " " << r.body;
    auto ids = Ids(r);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(list(""), (V{ida, idb, idc}));
  EXPECT_EQ(list("q=%E5%BC%A0"), (V{ida, idb}));  // 张
  EXPECT_EQ(list("q=%E5%BC%A0%E5%9B%9B"), (V{idb}));  // 张四
  EXPECT_EQ(list("id_number=" + IdNumber(62)), (V{idc}));
  EXPECT_EQ(list("phone=" + Phone(61)), (V{idb}));
  EXPECT_EQ(list("phone=13000000000"), V{});
  EXPECT_EQ(list("owner_id=" + std::to_string(UserId("am.liu"))), (V{idc}));
  EXPECT_EQ(list("department_id=" + std::to_string(DepartmentId("城东支行营销一组"))),
            (V{ida, idb}));
  EXPECT_EQ(list("tags=farmer"), (V{idb, idc}));
  EXPECT_EQ(list("tags=vip&tags=new"), (V{ida, idb, idc}));
  EXPECT_EQ(list("risk_level=high"), (V{ida, idc}));
  EXPECT_EQ(list("status=prospect"), (V{idb}));
  EXPECT_EQ(list("source_channel=online&risk_level=high"), (V{ida, idc}));
  EXPECT_EQ(list("created_at.from=2000-01-01T00:00:00Z"), (V{ida, idb, idc}));
  EXPECT_EQ(list("created_at.to=2000-01-01T00:00:00Z"), V{});
  // Even sequences; by whole years for a caller who sees birth dates masked.
  EXPECT_EQ(list("gender=female&birth_date.from=1990-01-01&birth_date.to=1990-12-31"),
            (V{ida, idc}));
  auto to_the_day = admin_->Get("/api/v1/customers?birth_date=1990-01-01");
  EXPECT_EQ(to_the_day.status, 422);
  EXPECT_EQ(to_the_day.ViolationCodes(), std::vector<std::string>{"birth_date:years_only"});
  auto risk = SignedIn("risk.li");
  auto exact = risk->Get("/api/v1/customers?gender=female&birth_date=1990-01-01");
  EXPECT_EQ(exact.status, 200) << exact.body;
  EXPECT_EQ(Ids(exact).size(), 2u) << "pii.unmask narrows to the day";
  auto bad = admin_->Get("/api/v1/customers?risk_level=extreme", kEnglish);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ViolationCodes(), std::vector<std::string>{"risk_level:invalid_value"});
  auto unknown = admin_->Get("/api/v1/customers?favourite_colour=red");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.ViolationCodes(),
            std::vector<std::string>{"favourite_colour:unknown_parameter"});
}

TEST_P(CustomerApiTest, SortingAndCursorPagesCoverEveryCustomerOnce) {
  auto am = SignedIn("am.zhang");
  const char* names[] = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈", "褚", "卫"};
  std::set<int64_t> created;
  for (int i = 0; i < 12; ++i) {
    json::object body = Individual(std::string(names[i]) + "客户", 100 + i);
    body["monthly_income"] = std::to_string(1000 * (i % 5)) + ".00";
    created.insert(Create(*am, body));
  }
  auto by_income = am->Get("/api/v1/customers?sort=-monthly_income&limit=50");
  ASSERT_EQ(by_income.status, 200) << by_income.body;
  std::vector<std::pair<int64_t, int64_t>> keys;  // (income, id)
  auto by_income_doc = by_income.Json();
  for (const auto& item : by_income_doc.at("items").as_array()) {
    keys.emplace_back(std::stoll(Str(item, "monthly_income")), item.at("id").as_int64());
  }
  ASSERT_EQ(keys.size(), 12u);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end(), [](const auto& x, const auto& y) {
    // The id breaks ties, ascending, whatever the direction of the named keys.
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  }));

  std::vector<int64_t> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string target = "/api/v1/customers?sort=-monthly_income&limit=5";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto page = am->Get(target);
    ASSERT_EQ(page.status, 200) << page.body;
    auto doc = page.Json();
    for (const auto& item : doc.at("items").as_array()) seen.push_back(item.at("id").as_int64());
    cursor = doc.at("next_cursor").is_null() ? "" : std::string(doc.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  std::vector<int64_t> expected;
  for (const auto& k : keys) expected.push_back(k.second);
  EXPECT_EQ(seen, expected);  // same order as one page: no gaps, no repeats
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()), created);

  auto wrong_sort = am->Get("/api/v1/customers?sort=phone");
  EXPECT_EQ(wrong_sort.status, 422);
  EXPECT_EQ(wrong_sort.ViolationCodes(), std::vector<std::string>{"sort:not_sortable"});
}

TEST_P(CustomerApiTest, IdempotencyKeyReplaysTheFirstCreate) {
  auto am = SignedIn("am.zhang");
  json::object body = Individual("卫十", 70);
  HeaderList key = {{"Idempotency-Key", "create-wei-shi-1"}};
  auto first = am->PostJson("/api/v1/customers", body, key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.Header("idempotent-replayed"));
  auto again = am->PostJson("/api/v1/customers", body, key);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Header("idempotent-replayed").value_or(""), "true");
  EXPECT_EQ(again.Json().at("id"), first.Json().at("id"));
  EXPECT_EQ(again.Header("location"), first.Header("location"));
  EXPECT_EQ(again.Header("etag"), first.Header("etag"));
  EXPECT_EQ(CountRows("customers"), 1);

  json::object other = Individual("卫十一", 71);
  auto reused = am->PostJson("/api/v1/customers", other, key);
  EXPECT_EQ(reused.status, 422) << reused.body;
  EXPECT_EQ(Str(reused.Json(), "code"), "idempotency_key_reused");
  EXPECT_EQ(CountRows("customers"), 1);
}

TEST_P(CustomerApiTest, DuplicateIdNumberIs409NamingTheExistingCustomerEvenOutOfScope) {
  auto liu = SignedIn("am.liu");
  auto zhang = SignedIn("am.zhang");
  int64_t existing = Create(*liu, Individual("蒋十二", 80));
  // The same person, typed with a lower-case x or not, by someone who cannot see the record.
  auto dup = zhang->PostJson("/api/v1/customers", Individual("蒋十二", 80));
  ASSERT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(dup.Json().at("existing_id").as_int64(), existing);
  EXPECT_EQ(dup.ViolationCodes(), std::vector<std::string>{"id_number:duplicate"});
  EXPECT_EQ(dup.body.find("蒋十二"), std::string::npos);
  EXPECT_EQ(dup.body.find(Phone(80)), std::string::npos);
  EXPECT_EQ(zhang->Get(Path(existing)).status, 404);
  // Out of scope: the manager to settle it with, not the customer.
  EXPECT_EQ(dup.Json().at("existing_owner_name").as_string(), "刘客户经理");
  EXPECT_FALSE(dup.Json().at("may_open").as_bool());
  EXPECT_EQ(dup.Json().at("errors").at(0).at("message").as_string(),
            "该证件号码已登记为客户（客户经理 刘客户经理）");
  // In scope: the customer too, and the page may link to it.
  auto seen = admin_->PostJson("/api/v1/customers", Individual("蒋十二", 80));
  ASSERT_EQ(seen.status, 409) << seen.body;
  EXPECT_TRUE(seen.Json().at("may_open").as_bool());
  EXPECT_EQ(seen.Json().at("existing_name").as_string(), "蒋十二");
  EXPECT_EQ(seen.Json().at("errors").at(0).at("message").as_string(),
            "该证件号码已登记为客户 蒋十二（客户经理 刘客户经理）");

  std::string credit_code = CreditCode("91110105MA01ABCDE");
  existing = Create(*liu, json::object{{"type", "enterprise"},
                                       {"name", "某某科技有限公司"},
                                       {"credit_code", credit_code}});
  auto dup_code = zhang->PostJson("/api/v1/customers", json::object{{"type", "enterprise"},
                                                                     {"name", "另一个名字"},
                                                                     {"credit_code", credit_code}});
  ASSERT_EQ(dup_code.status, 409) << dup_code.body;
  EXPECT_EQ(dup_code.Json().at("existing_id").as_int64(), existing);
  EXPECT_EQ(dup_code.ViolationCodes(), std::vector<std::string>{"credit_code:duplicate"});
}

TEST_P(CustomerApiTest, UnmaskNeedsThePermissionAndBothOutcomesAreAudited) {
  auto am = SignedIn("am.zhang");
  json::object body = Individual("沈十三", 90);
  body["email"] = "shen@example.com";
  int64_t id = Create(*am, body);

  auto denied = am->PostJson(Path(id) + "/unmask",
                             json::object{{"fields", json::array{"id_number"}}});
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(denied.body.find(IdNumber(90)), std::string::npos);

  auto risk = SignedIn("risk.li");
  auto plain = risk->PostJson(Path(id) + "/unmask",
                              json::object{{"fields", json::array{"id_number", "phone", "email"}}});
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(Str(plain.Json(), "id_number"), IdNumber(90));
  EXPECT_EQ(Str(plain.Json(), "phone"), Phone(90));
  EXPECT_EQ(Str(plain.Json(), "email"), "shen@example.com");
  EXPECT_EQ(plain.Header("cache-control").value_or(""), "no-store");

  auto not_sensitive = risk->PostJson(Path(id) + "/unmask",
                                      json::object{{"fields", json::array{"name"}}});
  EXPECT_EQ(not_sensitive.status, 422);
  EXPECT_EQ(not_sensitive.ViolationCodes(), std::vector<std::string>{"fields:not_sensitive"});

  auto granted = AuditOf(id, "pii.unmask");
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_EQ(Str(granted[0], "username"), "risk.li");
  EXPECT_NE(Str(granted[0], "detail").find("id_number"), std::string::npos);
  auto refused = AuditOf(id, "pii.unmask_denied");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(Str(refused[0], "username"), "am.zhang");
}

TEST_P(CustomerApiTest, DataScopeHidesCustomersOutsideItAs404) {
  auto zhang = SignedIn("am.zhang");
  auto liu = SignedIn("am.liu");
  int64_t east = Create(*zhang, Individual("韩十四", 110));
  int64_t west = Create(*liu, Individual("杨十五", 111));

  EXPECT_EQ(zhang->Get(Path(west)).status, 404);
  EXPECT_EQ(zhang->PatchJson(Path(west), json::object{{"occupation", "x"}},
                             {{"If-Match", "\"1\""}})
                .status,
            404);
  EXPECT_EQ(Ids(zhang->Get("/api/v1/customers")), std::vector<int64_t>{east});
  EXPECT_EQ(Ids(liu->Get("/api/v1/customers")), std::vector<int64_t>{west});

  // The manager of 城东支行 sees its subtree (营销一组), not 城西支行.
  auto chen = SignedIn("manager.chen");
  EXPECT_EQ(chen->Get(Path(east)).status, 200);
  EXPECT_EQ(chen->Get(Path(west)).status, 404);
  EXPECT_EQ(Ids(chen->Get("/api/v1/customers")), std::vector<int64_t>{east});

  for (const char* everyone : {"risk.li", "gm.wang"}) {
    auto client = SignedIn(everyone);
    EXPECT_EQ(client->Get(Path(east)).status, 200) << everyone;
    EXPECT_EQ(client->Get(Path(west)).status, 200) << everyone;
    auto ids = Ids(client->Get("/api/v1/customers"));
    EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()), (std::set<int64_t>{east, west}))
        << everyone;
  }
}

TEST_P(CustomerApiTest, ReassignmentIsGatedAndAudited) {
  auto zhang = SignedIn("am.zhang");
  auto chen = SignedIn("manager.chen");
  int64_t one = Create(*zhang, Individual("朱十六", 120));
  int64_t two = Create(*zhang, Individual("秦十七", 121));
  int64_t three = Create(*zhang, Individual("尤十八", 122));
  int64_t chen_id = UserId("manager.chen");
  int64_t liu_id = UserId("am.liu");

  auto refused = zhang->PostJson(Path(one) + "/reassign", json::object{{"owner_id", chen_id}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(zhang->PostJson("/api/v1/customers/reassign",
                            json::object{{"ids", json::array{one, two}}, {"owner_id", chen_id}})
                .status,
            403);

  auto single = chen->PostJson(Path(one) + "/reassign", json::object{{"owner_id", chen_id}});
  EXPECT_EQ(single.status, 204) << single.body;
  auto moved = chen->Get(Path(one));
  EXPECT_EQ(moved.Json().at("owner_id").as_int64(), chen_id);
  EXPECT_EQ(moved.Json().at("department_id").as_int64(), DepartmentId("城东支行"));
  EXPECT_EQ(Etag(moved), "\"2\"");
  EXPECT_EQ(zhang->Get(Path(one)).status, 404);

  // The branch manager cannot hand customers to the other branch: they would leave his scope.
  auto outside =
      chen->PostJson("/api/v1/customers/reassign",
                     json::object{{"ids", json::array{two, three}}, {"owner_id", liu_id}});
  EXPECT_EQ(outside.status, 422) << outside.body;
  EXPECT_EQ(outside.ViolationCodes(), std::vector<std::string>{"owner_id:out_of_scope"});
  // The general manager can; the department follows the new owner.
  auto gm = SignedIn("gm.wang");
  auto bulk = gm->PostJson("/api/v1/customers/reassign",
                           json::object{{"ids", json::array{two, three}}, {"owner_id", liu_id}});
  EXPECT_EQ(bulk.status, 204) << bulk.body;
  auto liu = SignedIn("am.liu");
  auto liu_ids = Ids(liu->Get("/api/v1/customers"));
  EXPECT_EQ(std::set<int64_t>(liu_ids.begin(), liu_ids.end()), (std::set<int64_t>{two, three}));
  EXPECT_EQ(chen->Get(Path(two)).status, 404);

  auto unknown_owner = chen->PostJson(Path(one) + "/reassign", json::object{{"owner_id", 987654}});
  EXPECT_EQ(unknown_owner.status, 422);
  EXPECT_EQ(unknown_owner.ViolationCodes(), std::vector<std::string>{"owner_id:unknown_owner"});

  for (int64_t id : {one, two, three}) {
    auto events = AuditOf(id, "customer.reassign");
    ASSERT_EQ(events.size(), 1u) << id;
    EXPECT_EQ(Str(events[0], "username"), id == one ? "manager.chen" : "gm.wang");
  }
}

TEST_P(CustomerApiTest, RelationsBetweenCustomersAndPeople) {
  auto am = SignedIn("am.zhang");
  int64_t borrower = Create(*am, Individual("许十九", 130));
  int64_t spouse = Create(*am, Individual("何二十", 131));

  auto link = am->PostJson(Path(borrower) + "/relations",
                           json::object{{"role", "spouse"}, {"related_customer_id", spouse}});
  ASSERT_EQ(link.status, 201) << link.body;
  auto person = am->PostJson(Path(borrower) + "/relations",
                             json::object{{"role", "emergency_contact"},
                                          {"person_name", "吕大姐"},
                                          {"person_phone", "13712345678"}});
  ASSERT_EQ(person.status, 201) << person.body;
  int64_t company = Create(*am, json::object{{"type", "enterprise"},
                                             {"name", "北京测试贸易有限公司"},
                                             {"credit_code", CreditCode("91110105MA01XYK12")}});
  auto holder = am->PostJson(Path(company) + "/relations",
                             json::object{{"role", "shareholder"},
                                          {"related_customer_id", spouse},
                                          {"share_percent", "35.5"}});
  ASSERT_EQ(holder.status, 201) << holder.body;
  auto person_holder = am->PostJson(Path(company) + "/relations",
                                    json::object{{"role", "shareholder"},
                                                 {"person_name", "施股东"},
                                                 {"share_percent", "64.5"}});
  ASSERT_EQ(person_holder.status, 201) << person_holder.body;
  auto no_share = am->PostJson(Path(company) + "/relations",
                               json::object{{"role", "shareholder"}, {"person_name", "张股东"}});
  EXPECT_EQ(no_share.status, 422);
  EXPECT_EQ(no_share.ViolationCodes(), std::vector<std::string>{"share_percent:required"});
  auto self = am->PostJson(Path(spouse) + "/relations",
                           json::object{{"role", "guarantor"}, {"related_customer_id", spouse}});
  EXPECT_EQ(self.status, 422);
  auto bad_role = am->PostJson(Path(spouse) + "/relations",
                               json::object{{"role", "cousin"}, {"person_name", "某人"}});
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_EQ(bad_role.ViolationCodes(), std::vector<std::string>{"role:invalid_option"});

  auto from_borrower = am->Get(Path(borrower) + "/relations");
  ASSERT_EQ(from_borrower.status, 200) << from_borrower.body;
  auto items = from_borrower.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  bool saw_spouse = false, saw_person = false;
  for (const auto& item : items) {
    if (Str(item, "role") == "spouse") {
      saw_spouse = true;
      EXPECT_EQ(Str(item, "direction"), "outgoing");
      EXPECT_EQ(item.at("counterpart").at("customer_id").as_int64(), spouse);
      EXPECT_EQ(Str(item.at("counterpart"), "name"), "何二十");
    } else if (Str(item, "role") == "emergency_contact") {
      saw_person = true;
      EXPECT_EQ(Str(item.at("counterpart"), "name"), "吕大姐");
      EXPECT_EQ(Str(item.at("counterpart"), "phone"), "137****5678");
    }
  }
  EXPECT_TRUE(saw_spouse && saw_person);

  auto from_spouse = am->Get(Path(spouse) + "/relations");
  ASSERT_EQ(from_spouse.status, 200);
  bool saw_incoming = false, saw_share = false;
  auto from_spouse_doc = from_spouse.Json();
  for (const auto& item : from_spouse_doc.at("items").as_array()) {
    if (Str(item, "role") == "spouse") {
      saw_incoming = true;
      EXPECT_EQ(Str(item, "direction"), "incoming");
      EXPECT_EQ(item.at("counterpart").at("customer_id").as_int64(), borrower);
    } else if (Str(item, "role") == "shareholder") {
      saw_share = true;
      EXPECT_EQ(Str(item, "direction"), "incoming");
      EXPECT_EQ(item.at("counterpart").at("customer_id").as_int64(), company);
      EXPECT_EQ(Str(item, "share_percent"), "35.50");
    }
  }
  EXPECT_TRUE(saw_incoming && saw_share);
  auto from_company = am->Get(Path(company) + "/relations");
  ASSERT_EQ(from_company.status, 200);
  std::set<std::string> shares;
  auto from_company_doc = from_company.Json();
  for (const auto& item : from_company_doc.at("items").as_array()) {
    EXPECT_EQ(Str(item, "direction"), "outgoing");
    shares.insert(Str(item.at("counterpart"), "name") + "=" + Str(item, "share_percent"));
  }
  EXPECT_EQ(shares, (std::set<std::string>{"何二十=35.50", "施股东=64.50"}));

  // The other account manager can neither see nor link to these customers.
  auto liu = SignedIn("am.liu");
  EXPECT_EQ(liu->Get(Path(borrower) + "/relations").status, 404);
}

TEST_P(CustomerApiTest, FollowUpsAndFieldChangesMergeIntoOneTimelineNewestFirst) {
  auto am = SignedIn("am.zhang");
  int64_t id = Create(*am, Individual("吕二一", 140));
  auto first = am->PostJson(Path(id) + "/followups",
                            json::object{{"channel", "phone"},
                                         {"content", "电话回访，了解资金需求"},
                                         {"outcome", "有贷款意向"},
                                         {"next_followup_date", "2099-01-15"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto patched = am->PatchJson(Path(id), json::object{{"risk_level", "medium"}},
                               {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto second = am->PostJson(Path(id) + "/followups",
                             json::object{{"channel", "visit"}, {"content", "上门走访"}});
  ASSERT_EQ(second.status, 201) << second.body;
  auto bad = am->PostJson(Path(id) + "/followups",
                          json::object{{"channel", "pigeon"}, {"content", "x"}}, kEnglish);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ViolationCodes(), std::vector<std::string>{"channel:invalid_option"});

  auto followups = am->Get(Path(id) + "/followups");
  ASSERT_EQ(followups.status, 200);
  auto list = followups.Json().at("items").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(Str(list[0], "channel"), "visit");
  EXPECT_EQ(Str(list[1], "next_followup_date"), "2099-01-15");

  auto timeline = am->Get(Path(id) + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  auto items = timeline.Json().at("items").as_array();
  // Newest first: visit, the risk-level change, the phone call, the creation.
  ASSERT_EQ(items.size(), 4u) << timeline.body;
  EXPECT_EQ(Str(items[0], "kind"), "followup");
  EXPECT_EQ(Str(items[0], "channel"), "visit");
  EXPECT_EQ(Str(items[1], "kind"), "change");
  EXPECT_EQ(Str(items[1], "action"), "customer.update");
  bool risk_change = false;
  for (const auto& change : items[1].at("changes").as_array()) {
    if (Str(change, "field") == "risk_level") {
      risk_change = true;
      EXPECT_EQ(Str(change, "after"), "medium");
    }
  }
  EXPECT_TRUE(risk_change) << json::serialize(items[1]);
  EXPECT_EQ(Str(items[2], "channel"), "phone");
  EXPECT_EQ(Str(items[3], "action"), "customer.create");
  for (size_t i = 1; i < items.size(); ++i) {
    EXPECT_GE(Str(items[i - 1], "at"), Str(items[i], "at"));
  }

  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = am->Get(Path(id) + "/timeline?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = r.Json();
    ASSERT_EQ(doc.at("items").as_array().size(), 1u);
    const auto& item = doc.at("items").as_array()[0];
    paged.push_back(Str(item, "kind") + ":" + std::to_string(item.at("id").as_int64()));
    if (doc.at("next_cursor").is_null()) break;
    cursor = std::string(doc.at("next_cursor").as_string());
  }
  std::vector<std::string> whole;
  for (const auto& item : items) {
    whole.push_back(Str(item, "kind") + ":" + std::to_string(item.at("id").as_int64()));
  }
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(SignedIn("am.liu")->Get(Path(id) + "/timeline").status, 404);
}

TEST_P(CustomerApiTest, ACustomFieldBehavesLikeABuiltInOne) {
  auto added = admin_->PostJson("/api/v1/entities/customer/fields",
                                json::object{{"name", "debt_ratio"},
                                             {"label", json::object{{"zh-CN", "负债率"},
                                                                    {"en-US", "Debt ratio"}}},
                                             {"type", "percent"},
                                             {"filterable", true},
                                             {"sortable", true}});
  ASSERT_EQ(added.status, 201) << added.body;
  auto meta = admin_->Get("/api/v1/entities/customer");
  ASSERT_EQ(meta.status, 200);
  bool listed = false;
  auto meta_doc = meta.Json();
  for (const auto& field : meta_doc.at("fields").as_array()) {
    if (Str(field, "name") == "debt_ratio") {
      listed = true;
      EXPECT_EQ(Str(field, "type"), "percent");
    }
  }
  EXPECT_TRUE(listed) << meta.body;

  auto am = SignedIn("am.zhang");
  std::vector<int64_t> ids;
  for (auto [seq, ratio] : {std::pair{150, "0.8300"}, std::pair{151, "0.2500"},
                            std::pair{152, "0.9100"}}) {
    json::object body = Individual("负债客户" + std::to_string(seq), seq);
    body["debt_ratio"] = ratio;
    auto created = am->PostJson("/api/v1/customers", body);
    ASSERT_EQ(created.status, 201) << created.body;
    ids.push_back(created.Json().at("id").as_int64());
    if (seq == 150) {
      EXPECT_EQ(Str(created.Json(), "debt_ratio"), "0.8300");
    }
  }
  auto high = am->Get("/api/v1/customers?debt_ratio.from=0.8&sort=-debt_ratio");
  ASSERT_EQ(high.status, 200) << high.body;
  EXPECT_EQ(Ids(high), (std::vector<int64_t>{ids[2], ids[0]}));
  auto sorted = am->Get("/api/v1/customers?sort=debt_ratio");
  EXPECT_EQ(Ids(sorted), (std::vector<int64_t>{ids[1], ids[0], ids[2]}));

  json::object bad = Individual("负债客户坏", 153);
  bad["debt_ratio"] = "abc";
  auto refused = am->PostJson("/api/v1/customers", bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.ViolationCodes(), std::vector<std::string>{"debt_ratio:invalid_decimal"});

  auto field = [&](const std::string& name) {
    return json::object{{"name", name},
                        {"label", json::object{{"zh-CN", "字段"}, {"en-US", "Field"}}},
                        {"type", "text"}};
  };
  for (const char* clash : {"name", "phone", "debt_ratio"}) {
    auto r = admin_->PostJson("/api/v1/entities/customer/fields", field(clash));
    EXPECT_EQ(r.status, 422) << clash;
    EXPECT_EQ(r.ViolationCodes(), std::vector<std::string>{"name:name_taken"}) << clash;
  }
  for (const char* invalid : {"Debt", "1x", "debt-ratio"}) {
    auto r = admin_->PostJson("/api/v1/entities/customer/fields", field(invalid));
    EXPECT_EQ(r.status, 422) << invalid;
    EXPECT_EQ(r.ViolationCodes(), std::vector<std::string>{"name:invalid_name"}) << invalid;
  }
  EXPECT_EQ(am->PostJson("/api/v1/entities/customer/fields", field("by_am")).status, 403);
}

// A JSON number reaches a decimal or money field as the text the client wrote, never through a
// double (whose nearest value of 123456789012.345678 would be stored as …34567).
TEST_P(CustomerApiTest, NumbersInTheBodyAreStoredExactlyInDecimalAndMoneyFields) {
  json::object label{{"zh-CN", "字段"}, {"en-US", "Field"}};
  for (const char* type : {"decimal", "money", "percent"}) {
    json::object field{{"name", std::string("f_") + type}, {"label", label}, {"type", type}};
    ASSERT_EQ(admin_->PostJson("/api/v1/entities/customer/fields", field).status, 201) << type;
  }
  json::object body = Individual("精确数", 170);
  std::string text = json::serialize(body);
  text.pop_back();
  text += R"(,"f_decimal":123456789012.345678,"f_money":12345678901234567.89,"f_percent":0.1234)";
  text += "}";
  auto created =
      admin_->Send("POST", "/api/v1/customers", text, {{"Content-Type", "application/json"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = created.Json();
  EXPECT_EQ(doc.at("f_decimal"), json::value("123456789012.345678"));
  EXPECT_EQ(doc.at("f_money"), json::value("12345678901234567.89"));
  EXPECT_EQ(doc.at("f_percent"), json::value("0.1234"));

  // Digits beyond what the field keeps are refused, not rounded away.
  std::string too_precise = json::serialize(Individual("精确数二", 171));
  too_precise.pop_back();
  too_precise += R"(,"f_decimal":0.1000000000000000000001,"f_money":1.005})";
  auto refused = admin_->Send("POST", "/api/v1/customers", too_precise,
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(HasCode(refused, "f_decimal:too_many_decimals")) << refused.body;
  EXPECT_TRUE(HasCode(refused, "f_money:too_many_decimals")) << refused.body;
}

TEST_P(CustomerApiTest, EveryCustomFieldTypeRoundTrips) {
  json::object label{{"zh-CN", "字段"}, {"en-US", "Field"}};
  json::array options{json::object{{"value", "a"}, {"label", label}},
                      json::object{{"value", "b"}, {"label", label}},
                      json::object{{"value", "c"}, {"label", label}}};
  struct Case {
    const char* name;
    const char* type;
    json::value value;
  };
  const std::vector<Case> cases = {
      {"f_text", "text", "一行文字"},
      {"f_long", "long_text", "第一行\n第二行"},
      {"f_int", "integer", 42},
      {"f_dec", "decimal", "3.141593"},
      {"f_money", "money", "1234567.89"},
      {"f_pct", "percent", "0.0490"},
      {"f_date", "date", "2024-05-01"},
      {"f_time", "datetime", "2024-05-01T08:00:00.000000Z"},
      {"f_bool", "boolean", true},
      {"f_one", "single_select", "b"},
      {"f_many", "multi_select", json::array{"a", "c"}},
  };
  json::object body = Individual("全类型", 160);
  for (const auto& c : cases) {
    json::object field{{"name", c.name}, {"label", label}, {"type", c.type}, {"filterable", true}};
    if (std::string_view(c.type).ends_with("select")) field["options"] = options;
    auto r = admin_->PostJson("/api/v1/entities/customer/fields", field);
    ASSERT_EQ(r.status, 201) << c.type << " " << r.body;
    body[c.name] = c.value;
  }
  auto created = admin_->PostJson("/api/v1/customers", body);
  ASSERT_EQ(created.status, 201) << created.body;
  auto fetched = admin_->Get(Path(created.Json().at("id").as_int64()));
  ASSERT_EQ(fetched.status, 200);
  auto doc = fetched.Json();
  for (const auto& c : cases) {
    EXPECT_EQ(doc.at(c.name), c.value) << c.type << ": " << json::serialize(doc.at(c.name));
  }
  auto by_many = admin_->Get("/api/v1/customers?f_many=c&f_bool=true&f_one=b&f_int=42");
  EXPECT_EQ(Ids(by_many), std::vector<int64_t>{created.Json().at("id").as_int64()})
      << by_many.body;
  auto wrong_option = admin_->PostJson("/api/v1/customers",
                                       json::object{{"type", "individual"},
                                                    {"name", "错选项"},
                                                    {"id_number", IdNumber(161)},
                                                    {"phone", Phone(161)},
                                                    {"f_one", "z"}});
  EXPECT_EQ(wrong_option.status, 422);
  EXPECT_EQ(wrong_option.ViolationCodes(), std::vector<std::string>{"f_one:invalid_option"});
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

// A create is one unit of work: claiming the Idempotency-Key, the customer, its audit entry and
// the remembered response. The database fails between those steps here, as a crash would.
class IdempotentCreateFaultTest : public CustomerApiTest {
 protected:
  std::unique_ptr<storage::Db> WrapDb(std::unique_ptr<storage::Db> db) override {
    auto faulty = std::make_unique<storage::testing::FaultyDb>(std::move(db));
    faults_ = faulty.get();
    return faulty;
  }

  int64_t CreatesAudited() {
    auto count = application_->db().ReadValue<int64_t>([](storage::Tx& tx) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM audit_events WHERE action = "
                                             "'customer.create'"));
      return row->Int(0);
    });
    return count ? *count : -1;
  }

  // Fails the create at the statement containing `step`, then shows that nothing of it stayed
  // and that retries with the same key create the customer once and then replay that response.
  void CrashAtThenRetry(const std::string& step, const std::string& name, int sequence) {
    SCOPED_TRACE(step);
    auto am = SignedIn("am.zhang");
    json::object body = Individual(name, sequence);
    HeaderList key = {{"Idempotency-Key", "crash-" + std::to_string(sequence)}};
    const int64_t customers = CountRows("customers");
    const int64_t keys = CountRows("idempotency_keys");
    const int64_t audited = CreatesAudited();

    faults_->FailNextStatement(step);
    auto crashed = am->PostJson("/api/v1/customers", body, key);
    EXPECT_FALSE(faults_->armed()) << "the create never reached " << step;
    EXPECT_EQ(crashed.status, 503) << crashed.body;
    EXPECT_EQ(CountRows("customers"), customers);
    EXPECT_EQ(CountRows("idempotency_keys"), keys);
    EXPECT_EQ(CreatesAudited(), audited);

    auto retried = am->PostJson("/api/v1/customers", body, key);
    ASSERT_EQ(retried.status, 201) << retried.body;
    EXPECT_FALSE(retried.Header("idempotent-replayed"));
    auto again = am->PostJson("/api/v1/customers", body, key);
    ASSERT_EQ(again.status, 201) << again.body;
    EXPECT_EQ(again.Header("idempotent-replayed").value_or(""), "true");
    EXPECT_EQ(again.body, retried.body);
    EXPECT_EQ(again.Header("etag"), retried.Header("etag"));
    EXPECT_EQ(CountRows("customers"), customers + 1);
    EXPECT_EQ(CreatesAudited(), audited + 1);
  }

  storage::testing::FaultyDb* faults_ = nullptr;
};

TEST_P(IdempotentCreateFaultTest, ACrashBetweenAnyTwoStepsLeavesNothingAndTheRetryIsAnsweredOnce) {
  CrashAtThenRetry("INSERT INTO customers", "韩三〇一", 301);
  CrashAtThenRetry("INSERT INTO audit_events", "韩三〇二", 302);
  CrashAtThenRetry("UPDATE idempotency_keys", "韩三〇三", 303);
}

TEST_P(IdempotentCreateFaultTest, AFollowUpOrRelationCreatedTwiceUnderOneKeyIsStoredOnce) {
  auto am = SignedIn("am.zhang");
  int64_t id = Create(*am, Individual("韩三一〇", 310));
  HeaderList key = {{"Idempotency-Key", "followup-310"}};
  json::object followup{{"channel", "phone"}, {"content", "电话回访"}};
  faults_->FailNextStatement("UPDATE idempotency_keys");
  EXPECT_EQ(am->PostJson(Path(id) + "/followups", followup, key).status, 503);
  EXPECT_EQ(CountRows("customer_followups"), 0);
  auto first = am->PostJson(Path(id) + "/followups", followup, key);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = am->PostJson(Path(id) + "/followups", followup, key);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(CountRows("customer_followups"), 1);

  HeaderList relation_key = {{"Idempotency-Key", "relation-310"}};
  json::object relation{{"role", "emergency_contact"}, {"person_name", "韩父"}};
  auto linked = am->PostJson(Path(id) + "/relations", relation, relation_key);
  ASSERT_EQ(linked.status, 201) << linked.body;
  EXPECT_EQ(am->PostJson(Path(id) + "/relations", relation, relation_key).body, linked.body);
  EXPECT_EQ(CountRows("customer_relations"), 1);
}

TEST_P(IdempotentCreateFaultTest, ARefusedCreateIsNotRememberedButItsDuplicateFindingIs) {
  auto liu = SignedIn("am.liu");
  auto zhang = SignedIn("am.zhang");
  Create(*liu, Individual("韩三二〇", 320));
  HeaderList key = {{"Idempotency-Key", "dup-320"}};
  auto dup = zhang->PostJson("/api/v1/customers", Individual("韩三二〇", 320), key);
  ASSERT_EQ(dup.status, 409) << dup.body;
  EXPECT_EQ(CountRows("idempotency_keys"), 0);
  auto found = application_->db().ReadValue<int64_t>([](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM audit_events WHERE action = "
                                           "'customer.duplicate_found'"));
    return row->Int(0);
  });
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, 1);
  // The same key may carry the corrected request.
  auto fixed = zhang->PostJson("/api/v1/customers", Individual("韩三二一", 321), key);
  EXPECT_EQ(fixed.status, 201) << fixed.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotentCreateFaultTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
