#include "customers/followup_service.h"

#include <gtest/gtest.h>

#include "customers/customer_entity.h"
#include "customers/customers_test_fixture.h"
#include "expr/expr.h"

namespace oc::customers {
namespace {

namespace json = boost::json;
using testing::Codes;
using testing::CustomersFixture;
using testing::IdOf;

class FollowUpServiceTest : public CustomersFixture {};

TEST(VocabularyTest, ChannelsAndCustomerTypesReadBackFromTheirNames) {
  for (auto channel : {FollowUpChannel::kPhone, FollowUpChannel::kVisit, FollowUpChannel::kWechat,
                       FollowUpChannel::kEmail, FollowUpChannel::kOther}) {
    EXPECT_EQ(FollowUpChannelFromName(FollowUpChannelName(channel)), channel);
  }
  EXPECT_EQ(FollowUpChannelName(FollowUpChannel::kWechat), "wechat");
  EXPECT_FALSE(FollowUpChannelFromName("fax"));
  EXPECT_EQ(CustomerTypeFromName("enterprise"), CustomerType::kEnterprise);
  EXPECT_EQ(CustomerTypeName(CustomerType::kIndividual), kIndividualSection);
  EXPECT_FALSE(CustomerTypeFromName("Individual"));
}

TEST_P(FollowUpServiceTest, FollowUpsAreValidated) {
  auto c = CreateAs("am.east", Individual(1));
  ASSERT_TRUE(c);
  auto bad =
      followups_->Add(As("am.east"), ActorOf("am.east"), IdOf(*c),
                      {.channel = "fax", .content = "  ", .next_followup_date = "2020-01-01"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(Codes(bad.error()),
            (std::vector<std::string>{"channel:invalid_option", "content:required",
                                      "next_followup_date:in_the_past"}));
  auto not_a_date =
      followups_->Add(As("am.east"), ActorOf("am.east"), IdOf(*c),
                      {.channel = "phone", .content = "x", .next_followup_date = "next week"});
  EXPECT_EQ(Codes(not_a_date.error()),
            std::vector<std::string>{"next_followup_date:invalid_date"});
}

// At 07:30 in Beijing it is still yesterday in UTC: the follow-up's "today" and the expression
// language's TODAY() must both be Beijing's date, or staff could schedule a follow-up for a day
// that has already passed while a rule on TODAY() sees another day.
TEST_P(FollowUpServiceTest, TodayIsTheConfiguredZonesDateForFollowUpsAndExpressionsAlike) {
  auto c = CreateAs("am.east", Individual(7));
  ASSERT_TRUE(c);
  const CustomerId id = IdOf(*c);
  Instant morning;
  ASSERT_TRUE(ParseInstant("2026-12-02T23:30:00Z", &morning));  // 2026-12-03 07:30 Beijing
  clock_.Set(morning);
  const TimeZone beijing;

  auto yesterday = followups_->Add(
      As("am.east"), ActorOf("am.east"), id,
      {.channel = "phone", .content = "晨间回访", .next_followup_date = "2026-12-02"});
  ASSERT_FALSE(yesterday);
  EXPECT_EQ(Codes(yesterday.error()), std::vector<std::string>{"next_followup_date:in_the_past"});
  ASSERT_TRUE(followups_->Add(
      As("am.east"), ActorOf("am.east"), id,
      {.channel = "phone", .content = "晨间回访", .next_followup_date = "2026-12-03"}));

  const expr::Schema schema;
  auto today = expr::Compile("TODAY()", schema);
  ASSERT_TRUE(today);
  expr::EvalContext context{.clock = &clock_, .utc_offset_minutes = beijing.utc_offset_minutes()};
  auto value = expr::Evaluate(*today, expr::Record(schema), context);
  ASSERT_TRUE(value);
  EXPECT_EQ(value->date(), beijing.Today(clock_));
  EXPECT_EQ(value->date().ToString(), "2026-12-03");
}

TEST_P(FollowUpServiceTest, TimelineMergesFollowUpsAndChangesNewestFirst) {
  auto c = CreateAs("am.east", Individual(2));
  ASSERT_TRUE(c);
  CustomerId id = IdOf(*c);
  clock_.Advance(std::chrono::minutes(1));
  auto f1 = followups_->Add(As("am.east"), ActorOf("am.east"), id,
                            {.channel = "phone", .content = "首次电话沟通", .outcome = "有意向",
                             .next_followup_date = "2026-12-31"});
  ASSERT_TRUE(f1) << f1.error().message.en_us;
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(customers_->Update(As("am.east"), ActorOf("am.east"), id,
                                 json::object{{"occupation", "个体户"}}, 1));
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(followups_->Add(As("am.east"), ActorOf("am.east"), id,
                              {.channel = "visit", .content = "上门拜访"}));

  auto all = followups_->Timeline(As("am.east"), id, "", 50);
  ASSERT_TRUE(all) << all.error().message.en_us;
  std::vector<std::string> kinds;
  for (const auto& item : all->items) {
    kinds.push_back(std::string(item.at("kind").as_string()) +
                    (item.contains("action") ? ":" + std::string(item.at("action").as_string())
                                             : ":" + std::string(item.at("channel").as_string())));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"followup:visit", "change:customer.update",
                                             "followup:phone", "change:customer.create"}));
  EXPECT_FALSE(all->next_cursor);

  // Page by two: the pages join up without gaps or repeats.
  auto first = followups_->Timeline(As("am.east"), id, "", 2);
  ASSERT_TRUE(first && first->next_cursor);
  auto second = followups_->Timeline(As("am.east"), id, *first->next_cursor, 2);
  ASSERT_TRUE(second);
  ASSERT_EQ(first->items.size() + second->items.size(), 4u);
  EXPECT_EQ(second->items[0].at("kind").as_string(), "followup");
  EXPECT_EQ(second->items[1].at("action").as_string(), "customer.create");
  EXPECT_EQ(followups_->Timeline(As("am.east"), id, "garbage!", 2).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(FollowUpServiceTest, OthersCannotSeeOrWriteFollowUps) {
  auto c = CreateAs("am.east", Individual(3));
  ASSERT_TRUE(c);
  CustomerId id = IdOf(*c);
  EXPECT_EQ(followups_->Add(As("am.west"), ActorOf("am.west"), id,
                            {.channel = "phone", .content = "x"})
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(followups_->Timeline(As("am.west"), id, "", 10).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(followups_->Add(As("auditor"), ActorOf("auditor"), id,
                            {.channel = "phone", .content = "x"})
                .error()
                .code,
            ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::customers
