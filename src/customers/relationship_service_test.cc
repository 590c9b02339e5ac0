#include "customers/relationship_service.h"

#include <gtest/gtest.h>

#include <cctype>

#include "customers/customers_test_fixture.h"

namespace oc::customers {
namespace {

namespace json = boost::json;
using testing::Codes;
using testing::CustomersFixture;
using testing::IdOf;
using testing::RelationIdOf;

class RelationshipServiceTest : public CustomersFixture {};

TEST_P(RelationshipServiceTest, ALinkIsVisibleFromBothSides) {
  auto borrower = CreateAs("am.east", Individual(1, "借款人"));
  auto guarantor = CreateAs("am.east", Individual(2, "担保人"));
  ASSERT_TRUE(borrower && guarantor);
  CustomerId b = IdOf(*borrower);
  CustomerId g = IdOf(*guarantor);
  auto link = relationships_->Add(As("am.east"), ActorOf("am.east"), b,
                                  {.role = RelationRole::kGuarantor, .related_customer_id = g});
  ASSERT_TRUE(link) << link.error().message.en_us;
  EXPECT_EQ(link->at("direction").as_string(), "outgoing");
  EXPECT_EQ(link->at("counterpart").at("name").as_string(), "担保人");

  auto from_guarantor = relationships_->List(As("am.east"), g);
  ASSERT_TRUE(from_guarantor);
  ASSERT_EQ(from_guarantor->size(), 1u);
  EXPECT_EQ((*from_guarantor)[0].at("direction").as_string(), "incoming");
  EXPECT_EQ((*from_guarantor)[0].at("role").as_string(), "guarantor");
  EXPECT_EQ((*from_guarantor)[0].at("counterpart").at("customer_id").as_int64(), b.value());

  auto again = relationships_->Add(As("am.east"), ActorOf("am.east"), b,
                                   {.role = RelationRole::kGuarantor, .related_customer_id = g});
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(RelationshipServiceTest, APersonWhoIsNotACustomerKeepsAMaskedPhone) {
  auto c = CreateAs("am.east", Individual(3));
  ASSERT_TRUE(c);
  auto link = relationships_->Add(As("am.east"), ActorOf("am.east"), IdOf(*c),
                                  {.role = RelationRole::kEmergencyContact,
                                   .person_name = "王 大 妈",
                                   .person_phone = "139 0000 1111"});
  ASSERT_TRUE(link) << link.error().message.en_us;
  EXPECT_EQ(link->at("counterpart").at("phone").as_string(), "139****1111");
}

TEST_P(RelationshipServiceTest, ShareholdersNeedAShareOthersMustNotHaveOne) {
  auto company = CreateAs("am.east", json::object{{"type", "enterprise"},
                                                  {"name", "某某有限公司"},
                                                  {"credit_code", "91350100M000100Y43"}});
  auto owner = CreateAs("am.east", Individual(4));
  ASSERT_TRUE(company && owner);
  CustomerId c = IdOf(*company);
  CustomerId o = IdOf(*owner);
  auto missing = relationships_->Add(As("am.east"), ActorOf("am.east"), c,
                                     {.role = RelationRole::kShareholder, .related_customer_id = o});
  EXPECT_EQ(Codes(missing.error()), std::vector<std::string>{"share_percent:required"});
  auto too_much = relationships_->Add(
      As("am.east"), ActorOf("am.east"), c,
      {.role = RelationRole::kShareholder, .related_customer_id = o, .share_percent = "120"});
  EXPECT_EQ(Codes(too_much.error()), std::vector<std::string>{"share_percent:out_of_range"});
  auto ok = relationships_->Add(
      As("am.east"), ActorOf("am.east"), c,
      {.role = RelationRole::kShareholder, .related_customer_id = o, .share_percent = "35.5"});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at("share_percent").as_string(), "35.50");
  auto spouse_share = relationships_->Add(
      As("am.east"), ActorOf("am.east"), o,
      {.role = RelationRole::kSpouse, .person_name = "配偶", .share_percent = "10"});
  EXPECT_EQ(Codes(spouse_share.error()), std::vector<std::string>{"share_percent:not_applicable"});
}

TEST_P(RelationshipServiceTest, ARelatedPersonsIdNumberIsCheckedEncryptedAndShownMasked) {
  auto c = CreateAs("am.east", Individual(9));
  ASSERT_TRUE(c);
  const std::string id_number = MakeResidentIdNumber("110105", *Date::FromYmd(1975, 3, 9), 21);
  std::string lower = id_number;
  lower.back() = static_cast<char>(std::tolower(static_cast<unsigned char>(lower.back())));
  auto link = relationships_->Add(
      As("am.east"), ActorOf("am.east"), IdOf(*c),
      {.role = RelationRole::kGuarantor, .person_name = "担保人甲", .person_id_number = lower});
  ASSERT_TRUE(link) << link.error().message.en_us;
  EXPECT_EQ(link->at("counterpart").at("id_number").as_string(),
            id_number.front() + std::string(16, '*') + id_number.back());

  // The same person in the same role again: found through the blind index.
  auto again = relationships_->Add(
      As("am.east"), ActorOf("am.east"), IdOf(*c),
      {.role = RelationRole::kGuarantor, .person_name = "担保人甲", .person_id_number = id_number});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Codes(again.error()), std::vector<std::string>{"person_id_number:duplicate"});
  EXPECT_TRUE(relationships_->Add(As("am.east"), ActorOf("am.east"), IdOf(*c),
                                  {.role = RelationRole::kEmergencyContact,
                                   .person_name = "担保人甲",
                                   .person_id_number = id_number}));

  std::string wrong = id_number;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  auto bad = relationships_->Add(
      As("am.east"), ActorOf("am.east"), IdOf(*c),
      {.role = RelationRole::kSpouse, .person_name = "配偶", .person_id_number = wrong});
  EXPECT_EQ(Codes(bad.error()), std::vector<std::string>{"person_id_number:invalid_checksum"});
  auto other = CreateAs("am.east", Individual(10));
  ASSERT_TRUE(other);
  auto beside_customer = relationships_->Add(
      As("am.east"), ActorOf("am.east"), IdOf(*c),
      {.role = RelationRole::kSpouse, .related_customer_id = IdOf(*other),
       .person_id_number = id_number});
  EXPECT_EQ(Codes(beside_customer.error()),
            std::vector<std::string>{"person_id_number:not_applicable"});

  // Neither the trail nor the table holds the number in plaintext.
  auto entries = audit_.List(*db_, {.action = "customer.relation_added"});
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  for (const auto& entry : *entries) {
    EXPECT_EQ(entry.changes_json.find(id_number), std::string::npos) << entry.changes_json;
    EXPECT_EQ(entry.detail.find(id_number), std::string::npos) << entry.detail;
  }
  auto stored = db_->ReadValue<std::string>([](storage::Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT person_id_number_enc FROM customer_relations "
                                           "WHERE person_id_number_enc IS NOT NULL"));
    return row->Bytes("person_id_number_enc");
  });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->find(id_number), std::string::npos);
}

TEST_P(RelationshipServiceTest, SelfLinksAndInvisibleCustomersAreRefused) {
  auto mine = CreateAs("am.east", Individual(5));
  auto theirs = CreateAs("am.west", Individual(6));
  ASSERT_TRUE(mine && theirs);
  CustomerId m = IdOf(*mine);
  auto self = relationships_->Add(As("am.east"), ActorOf("am.east"), m,
                                  {.role = RelationRole::kSpouse, .related_customer_id = m});
  EXPECT_EQ(Codes(self.error()), std::vector<std::string>{"related_customer_id:self_link"});
  auto other = relationships_->Add(As("am.east"), ActorOf("am.east"), IdOf(*theirs),
                                   {.role = RelationRole::kSpouse, .person_name = "某人"});
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  // A customer outside one's scope is no counterpart: answered as one that does not exist.
  auto cross = relationships_->Add(
      As("am.east"), ActorOf("am.east"), m,
      {.role = RelationRole::kCoBorrower, .related_customer_id = IdOf(*theirs)});
  EXPECT_EQ(Codes(cross.error()), std::vector<std::string>{"related_customer_id:unknown_customer"});
}

TEST_P(RelationshipServiceTest, RemovingALinkHidesItFromBothSides) {
  auto a = CreateAs("am.east", Individual(7));
  auto b = CreateAs("am.east", Individual(8));
  ASSERT_TRUE(a && b);
  auto link = relationships_->Add(As("am.east"), ActorOf("am.east"), IdOf(*a),
                                  {.role = RelationRole::kSpouse, .related_customer_id = IdOf(*b)});
  ASSERT_TRUE(link);
  ASSERT_TRUE(
      relationships_->Remove(As("am.east"), ActorOf("am.east"), IdOf(*b), RelationIdOf(*link)));
  EXPECT_TRUE(relationships_->List(As("am.east"), IdOf(*a))->empty());
  EXPECT_EQ(relationships_->Remove(As("am.east"), ActorOf("am.east"), IdOf(*a), RelationIdOf(*link))
                .error()
                .code,
            ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, RelationshipServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::customers
