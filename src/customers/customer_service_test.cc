#include "customers/customer_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <span>
#include <sstream>

#include "core/credit_code.h"
#include "customers/customers_test_fixture.h"

namespace oc::customers {
namespace {

namespace json = boost::json;
using testing::Codes;
using testing::CustomersFixture;
using testing::IdOf;

class CustomerServiceTest : public CustomersFixture {};

bool Contains(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// A valid unified social credit code from its first 17 characters.
std::string CreditCode(const std::string& first17) {
  return first17 + CreditCodeCheckCharacter(first17);
}

json::object Enterprise(const std::string& name, const std::string& first17) {
  return json::object{{"type", "enterprise"}, {"name", name}, {"credit_code", CreditCode(first17)}};
}

TEST_P(CustomerServiceTest, CreatesAnIndividualWithDerivedBirthDateAndMaskedOutput) {
  auto created = CreateAs("am.east", json::object{{"type", "individual"},
                                                  {"name", "  张　三  "},
                                                  {"id_number", "11010519491231002x"},
                                                  {"phone", "+86 138-0013-8000"},
                                                  {"monthly_income", "12000.50"}});
  ASSERT_TRUE(created) << created.error().message.en_us << " "
                       << (created.error().field_violations.empty()
                               ? ""
                               : created.error().field_violations[0].field);
  EXPECT_EQ(created->at("name").as_string(), "张 三");
  EXPECT_EQ(created->at("id_number").as_string(), "1****************X");
  EXPECT_EQ(created->at("phone").as_string(), "138****8000");
  // Derived from the number; a masked viewer sees the year only, as the full date would
  // rebuild the number.
  EXPECT_EQ(created->at("birth_date").as_string(), "1949-**-**");
  EXPECT_EQ(created->at("gender").as_string(), "female");
  EXPECT_EQ(created->at("id_type").as_string(), "resident_id");
  EXPECT_EQ(created->at("monthly_income").as_string(), "12000.50");
  EXPECT_EQ(created->at("owner_id").as_int64(), As("am.east").user_id.value());
  EXPECT_EQ(created->at("department_id").as_int64(), As("am.east").department_id.value());
  EXPECT_EQ(created->at("owner_name").as_string(), "am.east");
  EXPECT_EQ(created->at("department_name").as_string(), "城东一组");
  EXPECT_EQ(created->at("version").as_int64(), 1);
}

TEST_P(CustomerServiceTest, LegacyFifteenDigitNumbersAreConverted) {
  auto created = CreateAs("am.east", json::object{{"type", "individual"},
                                                  {"name", "李四"},
                                                  {"id_number", "110105491231002"},
                                                  {"phone", "13900001111"}});
  ASSERT_TRUE(created);
  auto plain =
      customers_->Unmask(As("risk"), ActorOf("risk"), IdOf(*created), {"id_number", "birth_date"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->at("id_number").as_string().size(), 18u);
  EXPECT_EQ(plain->at("birth_date").as_string(), "1949-12-31");
}

TEST_P(CustomerServiceTest, EveryInvalidFieldIsReportedAndNothingIsStored) {
  auto bad = CreateAs("am.east", json::object{{"type", "individual"},
                                              {"name", "王五"},
                                              {"id_number", "110105194912310021"},
                                              {"phone", "12345"},
                                              {"email", "not-an-email"},
                                              {"monthly_income", "-5"},
                                              {"credit_code", "91350100M000100Y43"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto codes = Codes(bad.error());
  EXPECT_TRUE(Contains(codes, "id_number:invalid_checksum")) << ::testing::PrintToString(codes);
  EXPECT_TRUE(Contains(codes, "phone:invalid_mobile")) << ::testing::PrintToString(codes);
  EXPECT_TRUE(Contains(codes, "email:invalid_email")) << ::testing::PrintToString(codes);
  EXPECT_TRUE(Contains(codes, "credit_code:not_applicable")) << ::testing::PrintToString(codes);
  EXPECT_EQ(customers_->List(As("admin"), ActorOf("admin"), {})->items.size(), 0u);
}

TEST_P(CustomerServiceTest, BirthDateMustMatchTheIdNumber) {
  auto input = Individual(1);
  input["birth_date"] = "1999-01-01";
  auto bad = CreateAs("am.east", input);
  ASSERT_FALSE(bad);
  EXPECT_EQ(Codes(bad.error()), std::vector<std::string>{"birth_date:mismatch_id_number"});
}

TEST_P(CustomerServiceTest, IndividualsNeedAnIdNumberAndPhoneEnterprisesACreditCode) {
  auto individual = CreateAs("am.east", json::object{{"type", "individual"}, {"name", "赵六"}});
  ASSERT_FALSE(individual);
  auto codes = Codes(individual.error());
  EXPECT_TRUE(Contains(codes, "id_number:required"));
  EXPECT_TRUE(Contains(codes, "phone:required"));
  auto enterprise = CreateAs("am.east", json::object{{"type", "enterprise"}, {"name", "某公司"}});
  ASSERT_FALSE(enterprise);
  EXPECT_TRUE(Contains(Codes(enterprise.error()), "credit_code:required"));
}

TEST_P(CustomerServiceTest, CreatesAnEnterprise) {
  auto created = CreateAs("am.east", json::object{{"type", "enterprise"},
                                                  {"name", "福建某某科技有限公司"},
                                                  {"credit_code", "91350100m000100y43"},
                                                  {"legal_representative", "陈七"},
                                                  {"registered_capital", "5000000"},
                                                  {"established_date", "2015-06-01"},
                                                  {"contact_phone", "13800138000"}});
  ASSERT_TRUE(created) << created.error().message.en_us;
  EXPECT_EQ(created->at("credit_code").as_string(), "91350100M000100Y43");
  EXPECT_EQ(created->at("registered_capital").as_string(), "5000000.00");
  EXPECT_EQ(created->at("contact_phone").as_string(), "138****8000");
}

TEST_P(CustomerServiceTest, DuplicateIdNumberNamesTheExistingCustomerAcrossScopes) {
  auto first = CreateAs("am.east", Individual(7));
  ASSERT_TRUE(first);
  auto again = Individual(7);
  again["phone"] = "13999999999";
  // Lower-case, spaced input of the same number is still the same person.
  std::string id(again["id_number"].as_string());
  auto dup = CreateAs("am.west", again);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Codes(dup.error()), std::vector<std::string>{"id_number:duplicate"});
  auto existing = dup.error().extensions.at("existing_id");
  EXPECT_EQ(std::get<int64_t>(existing), first->at("id").as_int64());
  // am.west still cannot see it.
  EXPECT_EQ(customers_->Get(As("am.west"), IdOf(*first)).error().code, ErrorCode::kNotFound);
}

TEST_P(CustomerServiceTest, DeletedCustomersFreeTheirIdNumber) {
  auto first = CreateAs("am.east", Individual(8));
  ASSERT_TRUE(first);
  EXPECT_EQ(
      customers_->Delete(As("am.east"), ActorOf("am.east"), IdOf(*first), "重复录入").error().code,
      ErrorCode::kPermissionDenied);
  ASSERT_TRUE(customers_->Delete(As("admin"), ActorOf("admin"), IdOf(*first), "重复录入"));
  EXPECT_EQ(customers_->Get(As("admin"), IdOf(*first)).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(CreateAs("am.east", Individual(8)));
}

TEST_P(CustomerServiceTest, DataScopeDecidesWhoSeesACustomer) {
  auto east = CreateAs("am.east", Individual(11));
  auto west = CreateAs("am.west", Individual(12));
  ASSERT_TRUE(east && west);
  CustomerId east_id = IdOf(*east);
  CustomerId west_id = IdOf(*west);
  EXPECT_TRUE(customers_->Get(As("am.east"), east_id));
  EXPECT_EQ(customers_->Get(As("am.east"), west_id).error().code, ErrorCode::kNotFound);
  // The east branch manager sees the east team (a sub-department), not the west branch.
  EXPECT_TRUE(customers_->Get(As("manager.east"), east_id));
  EXPECT_EQ(customers_->Get(As("manager.east"), west_id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(customers_->Get(As("risk"), west_id));
  EXPECT_EQ(customers_->List(As("am.west"), ActorOf("am.west"), {})->items.size(), 1u);
  EXPECT_EQ(customers_->List(As("risk"), ActorOf("risk"), {})->items.size(), 2u);
  auto patch = customers_->Update(As("am.west"), ActorOf("am.west"), east_id,
                                  json::object{{"occupation", "教师"}}, 1);
  EXPECT_EQ(patch.error().code, ErrorCode::kNotFound);
}

TEST_P(CustomerServiceTest, UpdateNeedsTheCurrentVersionAndIsAudited) {
  auto created = CreateAs("am.east", Individual(21));
  ASSERT_TRUE(created);
  CustomerId id = IdOf(*created);
  auto stale = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                  json::object{{"occupation", "教师"}}, 7);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  auto updated = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                    json::object{{"occupation", "教师"},
                                                 {"phone", "13700001234"}},
                                    1);
  ASSERT_TRUE(updated) << updated.error().message.en_us;
  EXPECT_EQ(updated->at("version").as_int64(), 2);
  EXPECT_EQ(updated->at("occupation").as_string(), "教师");
  auto history = audit_.History(*db_, "customer", std::to_string(id.value()), std::nullopt, 10);
  ASSERT_TRUE(history);
  ASSERT_GE(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "customer.update");
  EXPECT_NE((*history)[0].changes_json.find("occupation"), std::string::npos);
  EXPECT_EQ((*history)[0].changes_json.find("13700001234"), std::string::npos);
  auto immutable = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                      json::object{{"type", "enterprise"}}, 2);
  EXPECT_EQ(Codes(immutable.error()), std::vector<std::string>{"type:immutable"});
}

TEST_P(CustomerServiceTest, UnmaskNeedsThePermissionAndIsAuditedEitherWay) {
  auto created = CreateAs("am.east", Individual(31));
  ASSERT_TRUE(created);
  CustomerId id = IdOf(*created);
  auto denied = customers_->Unmask(As("am.east"), ActorOf("am.east"), id, {"id_number"});
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto plain = customers_->Unmask(As("risk"), ActorOf("risk"), id, {"id_number", "phone"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->at("phone").as_string(), std::string(Individual(31)["phone"].as_string()));
  auto not_sensitive = customers_->Unmask(As("risk"), ActorOf("risk"), id, {"name"});
  EXPECT_EQ(Codes(not_sensitive.error()), std::vector<std::string>{"fields:not_sensitive"});
  auto entries = audit_.List(*db_, {.action = "pii."});
  ASSERT_TRUE(entries);
  std::vector<std::string> actions;
  for (const auto& e : *entries) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"pii.unmask", "pii.unmask_denied"}));
}

TEST_P(CustomerServiceTest, ListFiltersByPhoneIdNumberNamePrefixAndPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(CreateAs("am.east", Individual(100 + i, i % 2 ? "王小明" : "李小红")));
  }
  auto target = Individual(103);
  auto by_phone = customers_->List(As("am.east"), ActorOf("am.east"),
                                   {{"phone", "+86 " + std::string(target["phone"].as_string())}});
  ASSERT_TRUE(by_phone) << by_phone.error().message.en_us;
  ASSERT_EQ(by_phone->items.size(), 1u);
  std::string id_number(target["id_number"].as_string());
  std::transform(id_number.begin(), id_number.end(), id_number.begin(), ::tolower);
  auto by_id = customers_->List(As("am.east"), ActorOf("am.east"), {{"id_number", id_number}});
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->items.size(), 1u);
  auto by_prefix = customers_->List(As("am.east"), ActorOf("am.east"), {{"q", "王"}});
  EXPECT_EQ(by_prefix->items.size(), 2u);
  auto page1 = customers_->List(As("am.east"), ActorOf("am.east"),
                                {{"limit", "2"}, {"sort", "-created_at"}});
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->items.size(), 2u);
  ASSERT_TRUE(page1->next_cursor);
  auto page2 =
      customers_->List(As("am.east"), ActorOf("am.east"),
                       {{"limit", "2"}, {"sort", "-created_at"}, {"cursor", *page1->next_cursor}});
  ASSERT_TRUE(page2);
  EXPECT_EQ(page2->items.size(), 2u);
  EXPECT_NE(page2->items[0].at("id"), page1->items[1].at("id"));
  auto bad = customers_->List(As("am.east"), ActorOf("am.east"), {{"no_such_field", "x"}});
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CustomerServiceTest, NameSearchListsInNameOrderAcrossPages) {
  // Created out of name order, so id order and name order differ.
  const char* created[] = {"王五", "王一", "王四", "李一", "王二", "王三"};
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(CreateAs("am.east", Individual(200 + i, created[i])));
  std::vector<std::string> names;
  forms::QueryParams params{{"q", "王"}, {"limit", "2"}};
  for (;;) {
    auto page = customers_->List(As("am.east"), ActorOf("am.east"), params);
    ASSERT_TRUE(page) << page.error().message.en_us;
    for (const auto& item : page->items) names.emplace_back(item.at("name").as_string());
    if (!page->next_cursor) break;
    params = {{"q", "王"}, {"limit", "2"}, {"cursor", *page->next_cursor}};
  }
  // Code point order of 一 二 三 四 五: U+4E00 U+4E8C U+4E09 U+56DB U+4E94.
  EXPECT_EQ(names, (std::vector<std::string>{"王一", "王三", "王二", "王五", "王四"}));
  auto by_id = customers_->List(As("am.east"), ActorOf("am.east"), {{"q", "王"}, {"sort", "-id"}});
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->items.front().at("name").as_string(), "王三");
}

TEST_P(CustomerServiceTest, ReassignMovesOwnerAndDepartmentAndIsGated) {
  auto a = CreateAs("am.east", Individual(51));
  auto b = CreateAs("am.east", Individual(52));
  ASSERT_TRUE(a && b);
  std::vector<CustomerId> ids{IdOf(*a), IdOf(*b)};
  EXPECT_EQ(customers_->Reassign(As("am.east"), ActorOf("am.east"), ids, As("am.west").user_id)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  // The east branch's manager may not hand customers to the west: they would leave his scope.
  auto outside =
      customers_->Reassign(As("manager.east"), ActorOf("manager.east"), ids, As("am.west").user_id);
  EXPECT_EQ(Codes(outside.error()), std::vector<std::string>{"owner_id:out_of_scope"});
  ASSERT_TRUE(customers_->Reassign(As("admin"), ActorOf("admin"), ids, As("am.west").user_id));
  auto moved = customers_->Get(As("am.west"), ids[0]);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->at("department_id").as_int64(), As("am.west").department_id.value());
  EXPECT_EQ(customers_->Get(As("am.east"), ids[0]).error().code, ErrorCode::kNotFound);
  auto entries = audit_.List(*db_, {.action = "customer.reassign"});
  EXPECT_EQ(entries->size(), 2u);
}

TEST_P(CustomerServiceTest, BatchCreatesTheValidOnesAndReportsTheRest) {
  std::vector<json::object> inputs = {Individual(61), Individual(62), Individual(61),
                                      json::object{{"type", "individual"}, {"name", "x"}}};
  auto results = customers_->CreateBatch(As("am.east"), ActorOf("am.east"), inputs);
  ASSERT_TRUE(results);
  ASSERT_EQ(results->size(), 4u);
  EXPECT_TRUE((*results)[0].id);
  EXPECT_TRUE((*results)[1].id);
  ASSERT_TRUE((*results)[2].error);
  EXPECT_EQ((*results)[2].error->code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(std::get<int64_t>((*results)[2].error->extensions.at("existing_id")),
            (*results)[0].id->value());
  ASSERT_TRUE((*results)[3].error);
  EXPECT_EQ((*results)[3].error->code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(customers_->List(As("am.east"), ActorOf("am.east"), {})->items.size(), 2u);
  // One audit entry per customer created, naming it, and the chain still verifies.
  auto created = audit_.List(*db_, {.action = "customer.create"});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->size(), 2u);
  EXPECT_EQ((*created)[0].entity_id, std::to_string((*results)[1].id->value()));
  EXPECT_TRUE(audit_.Verify(*db_)->intact);
}

TEST_P(CustomerServiceTest, BatchLargerThanTheCommitUnitIsRefusedWhole) {
  std::vector<json::object> inputs(20001, Individual(63));
  auto results = customers_->CreateBatch(As("am.east"), ActorOf("am.east"), inputs);
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(results.error().field_violations.size(), 1u);
  EXPECT_EQ(results.error().field_violations[0].field, "items");
  EXPECT_EQ(results.error().field_violations[0].code, "too_many");
  EXPECT_NE(results.error().field_violations[0].message.zh_cn.find("20000"), std::string::npos);
  EXPECT_TRUE(customers_->List(As("am.east"), ActorOf("am.east"), {})->items.empty());
}

// Blind indexes written before forms_0002 held the whole 32-byte HMAC, of which today's index is
// the first 16 bytes. The upgrade cuts them, for built-in and custom fields alike, so exact
// lookups and the duplicate check keep finding the customers stored before it.
TEST(CustomerEntityTest, EveryTextFieldHasItsOwnMaximumLength) {
  for (const forms::FieldDef& field : CustomerEntity().fields) {
    if (field.type != forms::FieldType::kText && field.type != forms::FieldType::kLongText) {
      continue;
    }
    EXPECT_TRUE(field.max_length) << field.name;
  }
  const forms::EntityDef entity = CustomerEntity();
  EXPECT_EQ(entity.Find("name")->max_length, 100u);
  EXPECT_EQ(entity.Find("address_detail")->max_length, 200u);
  EXPECT_EQ(entity.Find("remarks")->max_length, 2000u);
  EXPECT_EQ(entity.Find("email")->max_length, 254u);
}

TEST_P(CustomerServiceTest, ANameLongerThanItsMaximumIsRefused) {
  auto input = Individual(60);
  input["name"] = std::string(300, 'a');
  auto refused = CreateAs("am.east", input);
  ASSERT_FALSE(refused);
  EXPECT_EQ(Codes(refused.error()), std::vector<std::string>{"name:too_long"});
  EXPECT_EQ(refused.error().field_violations[0].message.zh_cn, "客户名称最多 100 个字符");
}

TEST_P(CustomerServiceTest, AnEnterpriseMayGiveALandlineAnIndividualMayNot) {
  json::object company = Enterprise("杭州某某贸易有限公司", "91330100MA2H00001");
  company["phone"] = "0571 8888 6666-123";
  company["contact_phone"] = "(010)12345678";
  auto created = CreateAs("am.east", company);
  ASSERT_TRUE(created) << created.error().message.en_us;
  EXPECT_EQ(created->at("phone").as_string(), "0571-****6666-***");
  EXPECT_EQ(created->at("contact_phone").as_string(), "010-****5678");
  auto plain = customers_->Unmask(As("risk"), ActorOf("risk"), IdOf(*created), {"phone"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->at("phone").as_string(), "0571-88886666-123");

  auto person = Individual(61);
  person["phone"] = "0571-88886666";
  auto refused = CreateAs("am.east", person);
  ASSERT_FALSE(refused);
  EXPECT_EQ(Codes(refused.error()), std::vector<std::string>{"phone:invalid_mobile"});
  auto mine = CreateAs("am.east", Individual(62));
  ASSERT_TRUE(mine);
  auto patched = customers_->Update(As("am.east"), ActorOf("am.east"), IdOf(*mine),
                                    {{"phone", "021-68886666"}}, 1);
  ASSERT_FALSE(patched);
  EXPECT_EQ(Codes(patched.error()), std::vector<std::string>{"phone:invalid_mobile"});
  auto bad = CreateAs("am.east", json::object{{"type", "enterprise"},
                                              {"name", "某公司"},
                                              {"credit_code", CreditCode("91330100MA2H00002")},
                                              {"contact_phone", "8888 6666"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(Codes(bad.error()), std::vector<std::string>{"contact_phone:invalid_phone"});
}

TEST_P(CustomerServiceTest, AnEnterpriseGivesACreditCodeOrTheReasonItIsPending) {
  auto pending = CreateAs("am.east", json::object{{"type", "enterprise"},
                                                  {"name", "新设立的公司"},
                                                  {"credit_code_pending_reason", " 营业执照办理中 "}});
  ASSERT_TRUE(pending) << pending.error().message.en_us;
  EXPECT_EQ(pending->at("credit_code_pending_reason").as_string(), "营业执照办理中");
  EXPECT_TRUE(pending->at("credit_code").is_null());

  auto short_reason = CreateAs("am.east", json::object{{"type", "enterprise"},
                                                       {"name", "某公司"},
                                                       {"credit_code_pending_reason", "无"}});
  ASSERT_FALSE(short_reason);
  EXPECT_EQ(Codes(short_reason.error()),
            std::vector<std::string>{"credit_code_pending_reason:too_short"});
  auto long_reason = CreateAs("am.east", json::object{{"type", "enterprise"},
                                                      {"name", "某公司"},
                                                      {"credit_code_pending_reason",
                                                       std::string(201, 'x')}});
  ASSERT_FALSE(long_reason);
  EXPECT_EQ(Codes(long_reason.error()),
            std::vector<std::string>{"credit_code_pending_reason:too_long"});
  auto person = Individual(63);
  person["credit_code_pending_reason"] = "个人没有";
  auto not_applicable = CreateAs("am.east", person);
  ASSERT_FALSE(not_applicable);
  EXPECT_TRUE(Contains(Codes(not_applicable.error()), "credit_code_pending_reason:not_applicable"));

  // Clearing the reason while the code is still missing is refused; giving the code clears it.
  const CustomerId id = IdOf(*pending);
  auto cleared = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                    {{"credit_code_pending_reason", nullptr}}, 1);
  ASSERT_FALSE(cleared);
  EXPECT_EQ(Codes(cleared.error()), std::vector<std::string>{"credit_code:required"});
  auto coded = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                  {{"credit_code", CreditCode("91330100MA2H00003")}}, 1);
  ASSERT_TRUE(coded) << coded.error().message.en_us;
  EXPECT_TRUE(coded->at("credit_code_pending_reason").is_null());
  auto uncoded = customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                    {{"credit_code", nullptr}}, 2);
  ASSERT_FALSE(uncoded);
  EXPECT_EQ(Codes(uncoded.error()), std::vector<std::string>{"credit_code:required"});
  auto pending_again = customers_->Update(
      As("am.east"), ActorOf("am.east"), id,
      {{"credit_code", nullptr}, {"credit_code_pending_reason", "代码登记有误，重新办理"}}, 2);
  ASSERT_TRUE(pending_again) << pending_again.error().message.en_us;
  EXPECT_TRUE(pending_again->at("credit_code").is_null());
}

TEST_P(CustomerServiceTest, PhoneTailFindsTheCustomersWhosePhoneListsShowThoseDigits) {
  auto person = Individual(64);
  person["phone"] = "13912348000";
  auto individual = CreateAs("am.east", person);
  json::object company = Enterprise("某某餐饮有限公司", "91330100MA2H00004");
  company["phone"] = "13955558000";
  company["contact_phone"] = "0571-88888000";
  auto enterprise = CreateAs("am.east", company);
  json::object switchboard = Enterprise("某某物流有限公司", "91330100MA2H00005");
  switchboard["phone"] = "021-66668000-12";
  auto other = CreateAs("am.east", switchboard);
  ASSERT_TRUE(individual && enterprise && other);
  ASSERT_TRUE(CreateAs("am.east", Individual(65)));
  ASSERT_TRUE(CreateAs("am.west", [&] {
    auto theirs = Individual(66);
    theirs["phone"] = "13700008000";
    return theirs;
  }()));

  auto tail = [&](const std::string& digits) {
    auto page = customers_->List(As("am.east"), ActorOf("am.east"), {{"phone_tail", digits}});
    EXPECT_TRUE(page) << page.error().message.en_us;
    std::set<int64_t> ids;
    if (page) {
      for (const auto& item : page->items) ids.insert(item.at("id").as_int64());
      EXPECT_EQ(page->total, static_cast<int64_t>(ids.size()));
    }
    return ids;
  };
  // Outside am.east's scope, am.west's customer is not found.
  EXPECT_EQ(tail("8000"), (std::set<int64_t>{IdOf(*individual).value(),
                                             IdOf(*enterprise).value(), IdOf(*other).value()}));
  EXPECT_EQ(tail("８０００"), tail("8000"));

  // The enterprise's contact phone is the one shown; a new one moves its tail.
  auto listed = customers_->List(As("am.east"), ActorOf("am.east"), {{"phone_tail", "8000"}});
  for (const auto& item : listed->items) {
    const int64_t id = item.at("id").as_int64();
    if (id == IdOf(*individual).value()) EXPECT_EQ(item.at("display_phone"), "139****8000");
    if (id == IdOf(*enterprise).value()) EXPECT_EQ(item.at("display_phone"), "0571-****8000");
    if (id == IdOf(*other).value()) EXPECT_EQ(item.at("display_phone"), "021-****8000-**");
  }
  ASSERT_TRUE(customers_->Update(As("am.east"), ActorOf("am.east"), IdOf(*enterprise),
                                 {{"contact_phone", "0571-88881234"}}, 1));
  EXPECT_EQ(tail("1234"), std::set<int64_t>{IdOf(*enterprise).value()});
  ASSERT_TRUE(customers_->Update(As("am.east"), ActorOf("am.east"), IdOf(*enterprise),
                                 {{"contact_phone", nullptr}}, 2));
  EXPECT_TRUE(tail("1234").empty());
  EXPECT_TRUE(tail("8000").contains(IdOf(*enterprise).value())) << "back to its own phone";

  for (const char* bad : {"800", "80000", "80a0", ""}) {
    auto refused = customers_->List(As("am.east"), ActorOf("am.east"), {{"phone_tail", bad}});
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(Codes(refused.error()), std::vector<std::string>{"phone_tail:invalid_phone_tail"});
  }
  auto twice = customers_->List(As("am.east"), ActorOf("am.east"),
                                {{"phone_tail", "8000"}, {"phone_tail", "1234"}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(Codes(twice.error()), std::vector<std::string>{"phone_tail:one_value"});
  // Not a lookup of personal data: nothing counted, nothing audited.
  auto lookups = audit_.List(*db_, {.action = "pii.lookup"});
  ASSERT_TRUE(lookups);
  EXPECT_TRUE(lookups->empty());
}

TEST_P(CustomerServiceTest, TheListCountsEveryPageInTheCallersScope) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(CreateAs("am.east", Individual(70 + i)));
  ASSERT_TRUE(CreateAs("am.west", Individual(75)));
  auto page = customers_->List(As("am.east"), ActorOf("am.east"), {{"limit", "2"}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->total, 5);
  auto next = customers_->List(As("am.east"), ActorOf("am.east"),
                               {{"limit", "2"}, {"cursor", *page->next_cursor}});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->total, 5);
  EXPECT_EQ(customers_->List(As("admin"), ActorOf("admin"), {})->total, 6);
  auto filtered = customers_->List(As("admin"), ActorOf("admin"), {{"q", "张"}, {"limit", "1"}});
  EXPECT_EQ(filtered->total, 6);
  EXPECT_EQ(customers_->List(As("admin"), ActorOf("admin"), {{"q", "李"}})->total, 0);
}

// customers_0007 on a database that has customers: their tails are marked, then computed by the
// service through the field cipher, which the migration does not have.
TEST_P(CustomerServiceTest, UpgradeFillsThePhoneTailsOfExistingCustomersAtStartUp) {
  auto first = CreateAs("am.east", Individual(80));
  auto second = CreateAs("am.east", Individual(81));
  auto unreadable = CreateAs("am.east", Individual(82));
  ASSERT_TRUE(first && second && unreadable);
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DROP INDEX customers_phone_tail_idx"));
    RETURN_IF_ERROR(tx.Execute("ALTER TABLE customers DROP COLUMN phone_tail"));
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM schema_migrations WHERE id = 'customers_0007_phone_tail'"));
    RETURN_IF_ERROR(tx.Execute("UPDATE customers SET phone_enc = ? WHERE id = ?",
                               {storage::Blob{"not a ciphertext"}, IdOf(*unreadable).value()}));
    return Ok();
  }));
  auto applied = storage::ApplyMigrations(*db_, AllMigrations());
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  EXPECT_EQ(*applied, std::vector<std::string>{"customers_0007_phone_tail"});
  const std::string tail = std::string(Individual(80)["phone"].as_string()).substr(7);
  EXPECT_TRUE(customers_->List(As("am.east"), ActorOf("am.east"), {{"phone_tail", tail}})
                  ->items.empty());

  auto filled = customers_->FillPendingPhoneTails();
  ASSERT_TRUE(filled) << filled.error().internal_detail;
  EXPECT_EQ(filled->filled, 2);
  EXPECT_EQ(filled->unreadable, 1);
  auto found = customers_->List(As("am.east"), ActorOf("am.east"), {{"phone_tail", tail}});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].at("id").as_int64(), IdOf(*first).value());
  // Done once: only the unreadable one is tried again.
  auto again = customers_->FillPendingPhoneTails();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->filled, 0);
  EXPECT_EQ(again->unreadable, 1);
}

TEST_P(CustomerServiceTest, UpgradeCutsStoredBlindIndexesToWhatLookupsCompute) {
  auto field = registry_->AddCustomField(ActorOf("admin"), "customer",
                                         {.name = "spouse_phone",
                                          .label = {"配偶手机", "Spouse phone"},
                                          .type = "text",
                                          .format = "mobile",
                                          .sensitive = true,
                                          .filterable = true});
  ASSERT_TRUE(field) << field.error().message.en_us;
  auto input = Individual(7);
  input["spouse_phone"] = "13912345678";
  auto created = CreateAs("am.east", input);
  ASSERT_TRUE(created) << created.error().message.en_us;
  const int64_t id = created->at("id").as_int64();
  const std::vector<std::string> columns = {"id_number_bidx", "phone_bidx",
                                            field->column + "_bidx"};
  auto stored_sizes = [&] {
    std::vector<size_t> sizes;
    auto read = db_->Read([&](storage::Tx& tx) -> Status {
      for (const std::string& column : columns) {
        ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + column + " FROM customers WHERE id = ?",
                                               {id}));
        sizes.push_back(row->Bytes(column).size());
      }
      return Ok();
    });
    EXPECT_TRUE(read) << read.error().internal_detail;
    return sizes;
  };
  ASSERT_EQ(stored_sizes(), std::vector<size_t>(3, crypto::FieldCipher::kBlindIndexSize));

  // Back to what the first version wrote, and to before the migration.
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
    for (const std::string& column : columns) {
      ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + column + " FROM customers WHERE id = ?",
                                             {id}));
      std::string full = row->Bytes(column) + std::string(16, '\x5a');
      RETURN_IF_ERROR(tx.Execute("UPDATE customers SET " + column + " = ? WHERE id = ?",
                                 {storage::Blob{full}, id}));
    }
    RETURN_IF_ERROR(tx.Execute(
        "DELETE FROM schema_migrations WHERE id = 'forms_0002_short_blind_indexes'"));
    return Ok();
  }));
  const std::string phone(input["phone"].as_string());
  ASSERT_TRUE(customers_->List(As("risk"), ActorOf("risk"), {{"phone", phone}})->items.empty());

  auto applied = storage::ApplyMigrations(*db_, AllMigrations());
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  EXPECT_EQ(*applied, std::vector<std::string>{"forms_0002_short_blind_indexes"});
  EXPECT_EQ(stored_sizes(), std::vector<size_t>(3, crypto::FieldCipher::kBlindIndexSize));

  const std::string id_number(input["id_number"].as_string());
  for (const auto& [parameter, value] : std::map<std::string, std::string>{
           {"phone", phone}, {"id_number", id_number}, {"spouse_phone", "139 1234 5678"}}) {
    auto found = customers_->List(As("risk"), ActorOf("risk"), {{parameter, value}});
    ASSERT_TRUE(found) << parameter << ": " << found.error().message.en_us;
    ASSERT_EQ(found->items.size(), 1u) << parameter;
    EXPECT_EQ(found->items[0].at("id").as_int64(), id);
  }
  auto again = CreateAs("am.west", Individual(7));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(std::get<int64_t>(again.error().extensions.at("existing_id")), id);
}

// Reads the bytes of the database files, which only SQLite has on the test's own disk.
class SqliteFileTest : public CustomersFixture {};

TEST_P(SqliteFileTest, PlaintextIdNumberAndPhoneAppearNowhereInTheDatabase) {
  auto input = Individual(42);
  std::string id(input["id_number"].as_string());
  std::string phone(input["phone"].as_string());
  ASSERT_TRUE(CreateAs("am.east", input));
  // Every byte the database wrote: the main file and the write-ahead log.
  auto files = storage::testing::SqliteFilesOf(*db_);
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find(id), std::string::npos) << path;
    EXPECT_EQ(bytes.str().find(phone), std::string::npos) << path;
  }
}

// A database made by the first release, which indexed every filterable field, loses those
// indexes on upgrade and keeps the ones lists use.
class CustomerMigrationsTest : public storage::testing::BackendTest {
 protected:
  std::map<std::string, std::string> CustomerIndexes() {
    const char* sql = db().dialect() == storage::Dialect::kSqlite
                          ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = 'customers' AND sql IS NOT NULL"
                          : "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                            "'customers' AND schemaname = current_schema()";
    std::map<std::string, std::string> indexes;
    auto read = db().Read([&](storage::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto rows, tx.Query(sql));
      for (const auto& row : rows) indexes[row.Text(0)] = row.Text(1);
      return Ok();
    });
    EXPECT_TRUE(read) << read.error().internal_detail;
    return indexes;
  }
};

TEST_P(CustomerMigrationsTest, UpgradeDropsTheFirstVersionsIndexesAndKeepsWhatListsUse) {
  std::vector<storage::Migration> migrations;
  for (auto module : {audit::Migrations(), auth::Migrations(), forms::Migrations()}) {
    for (auto& m : module) migrations.push_back(std::move(m));
  }
  auto customer_migrations = customers::Migrations();
  ASSERT_EQ(customer_migrations.at(2).id, "customers_0003_lean_indexes");
  std::vector<storage::Migration> first_version = migrations;
  first_version.push_back(customer_migrations[0]);
  first_version.push_back(customer_migrations[1]);
  ASSERT_TRUE(storage::ApplyMigrations(db(), first_version));
  auto first = CustomerIndexes();
  ASSERT_TRUE(first.contains("customers_status_idx"));
  ASSERT_EQ(first["customers_phone_bidx_idx"].find("IS NOT NULL"), std::string::npos)
      << first["customers_phone_bidx_idx"];

  for (auto& m : customer_migrations) migrations.push_back(std::move(m));
  auto applied = storage::ApplyMigrations(db(), migrations);
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  ASSERT_GE(applied->size(), 3u);
  EXPECT_EQ(std::vector<std::string>(applied->begin(), applied->begin() + 3),
            (std::vector<std::string>{"customers_0003_lean_indexes",
                                      "customers_0004_one_name_index",
                                      "customers_0005_no_street_address_index"}));

  auto indexes = CustomerIndexes();
  for (const char* gone : {"customers_status_idx", "customers_province_idx",
                           "customers_address_detail_bidx_idx", "customers_name_idx",
                           "customers_by_owner_name"}) {
    EXPECT_FALSE(indexes.contains(gone)) << gone;
  }
  for (const char* kept : {"customers_by_name", "customers_by_owner_live",
                           "customers_identity_unique", "customers_created_at_us_idx"}) {
    EXPECT_TRUE(indexes.contains(kept)) << kept;
  }
  ASSERT_TRUE(indexes.contains("customers_phone_bidx_idx"));
  EXPECT_NE(indexes["customers_phone_bidx_idx"].find("IS NOT NULL"), std::string::npos)
      << indexes["customers_phone_bidx_idx"];
}

// customers_0003 as commits e715a45 to 5144c6d ran it kept the street address's blind index.
TEST_P(CustomerMigrationsTest, UpgradeDropsTheStreetAddressIndexTheFirstLeanIndexesKept) {
  std::vector<storage::Migration> migrations;
  for (auto module :
       {audit::Migrations(), auth::Migrations(), forms::Migrations(), customers::Migrations()}) {
    for (auto& m : module) migrations.push_back(std::move(m));
  }
  const auto fifth =
      std::find_if(migrations.begin(), migrations.end(), [](const storage::Migration& m) {
        return m.id == "customers_0005_no_street_address_index";
      });
  ASSERT_NE(fifth, migrations.end());
  migrations.erase(std::next(fifth), migrations.end());
  ASSERT_TRUE(storage::ApplyMigrations(db(), std::span(migrations).first(migrations.size() - 1)));
  ASSERT_TRUE(db().Write([](storage::Tx& tx) {
    return tx.ExecuteScript(
        "CREATE INDEX customers_address_detail_bidx_idx ON customers (address_detail_bidx) "
        "WHERE address_detail_bidx IS NOT NULL");
  }));

  auto applied = storage::ApplyMigrations(db(), migrations);
  ASSERT_TRUE(applied) << applied.error().internal_detail;
  ASSERT_EQ(*applied, std::vector<std::string>{"customers_0005_no_street_address_index"});
  EXPECT_FALSE(CustomerIndexes().contains("customers_address_detail_bidx_idx"));
}

TEST_P(CustomerServiceTest, EveryChangeAppendsItsDomainEventWithPersonalDataWithheld) {
  auto created = CreateAs("am.east", Individual(71, "王五"));
  ASSERT_TRUE(created);
  const CustomerId id = IdOf(*created);
  ASSERT_TRUE(customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                 {{"risk_level", "high"}, {"phone", "13900000071"}}, 1));
  // A refused change leaves no event behind: the event is part of the change's transaction.
  auto other = CreateAs("am.east", Individual(72));
  ASSERT_TRUE(other);
  EXPECT_EQ(customers_
                ->Update(As("am.east"), ActorOf("am.east"), IdOf(*other),
                         {{"id_number", Individual(71).at("id_number")}}, 1)
                .error()
                .code,
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(customers_->Reassign(As("admin"), ActorOf("admin"), {id}, As("am.west").user_id));
  ASSERT_TRUE(customers_->Delete(As("admin"), ActorOf("admin"), id, "重复录入"));
  ASSERT_TRUE(followups_->Add(As("am.east"), ActorOf("am.east"), IdOf(*other),
                              {.channel = "phone", .content = "客户王五说下周还款"}));

  auto events =
      events_.List(*db_, {.stream_type = "customer", .stream_id = std::to_string(id.value())});
  ASSERT_TRUE(events);
  std::vector<std::string> types;
  for (const auto& e : *events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"customer.created", "customer.updated",
                                             "customer.reassigned", "customer.deleted"}));
  const std::string everything = [&] {
    std::string all;
    for (const auto& e : *events) all += json::serialize(e.payload);
    auto followups = events_.List(*db_, {.type = "followup.created"});
    for (const auto& e : *followups) all += json::serialize(e.payload);
    return all;
  }();
  for (const char* personal : {"13900000071", "13800000071", "王五说"}) {
    EXPECT_EQ(everything.find(personal), std::string::npos) << personal << " in " << everything;
  }
  std::string id_number(Individual(71).at("id_number").as_string());
  EXPECT_EQ(everything.find(id_number), std::string::npos);

  const auto& updated = (*events)[1];
  EXPECT_EQ(updated.actor_name, "am.east");
  std::map<std::string, std::string> changes;
  for (const auto& change : updated.payload.at("changes").as_array()) {
    changes[std::string(change.at("field").as_string())] = json::serialize(change);
  }
  EXPECT_EQ(changes.at("phone"), R"({"field":"phone","sensitive":true})");
  EXPECT_EQ(changes.at("risk_level").find(R"("new":"high")") != std::string::npos, true)
      << changes.at("risk_level");
  EXPECT_EQ(updated.payload.at("version").as_int64(), 2);
  const auto& reassigned = (*events)[2].payload.at("changes").as_array();
  EXPECT_EQ(reassigned.at(0).at("new").as_int64(), As("am.west").user_id.value());
  EXPECT_EQ((*events)[3].payload.at("reason").as_string(), "重复录入");
  auto followups = events_.List(*db_, {.type = "followup.created"});
  ASSERT_EQ(followups->size(), 1u);
  EXPECT_EQ(followups->front().payload.at("customer_id").as_int64(), IdOf(*other).value());
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerMigrationsTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteFileTest,
                         ::testing::Values(storage::testing::Backend::kSqlite),
                         testing::BackendParamName);

INSTANTIATE_TEST_SUITE_P(Backends, CustomerServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::customers
