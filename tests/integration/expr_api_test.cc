// The expression language over HTTP, as the web designers use it: schemas from an entity's
// fields (names and Chinese labels), positions on errors, sign-in required.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

class ExprApiTest : public ServerTest {};

TEST_P(ExprApiTest, EvaluatesAgainstTheCustomerEntityByNameOrChineseLabel) {
  auto client = SignedIn("risk.li");
  auto result = client->PostJson(
      "/api/v1/expr/evaluate",
      json::object{{"expression", "AND(月收入 > 10000, monthly_income < 20000, 客户类型 = \"individual\")"},
                   {"entity", "customer"},
                   {"variables", json::object{{"monthly_income", 12000.5}, {"type", "individual"}}},
                   {"explain", true}});
  ASSERT_EQ(result.status, 200) << result.body;
  auto doc = result.Json();
  EXPECT_EQ(doc.at("value"), json::value(true));
  EXPECT_EQ(doc.at("type").as_string(), "boolean");
  EXPECT_FALSE(doc.at("explain").as_array().empty());
}

TEST_P(ExprApiTest, CheckGivesTheExpressionToStoreWithFieldKeysInsteadOfLabels) {
  auto client = SignedIn("admin");
  auto result = client->PostJson(
      "/api/v1/expr/check",
      json::object{
          {"expression", "月收入 > 10000 AND {Monthly income} < 20000 AND 客户类型 = \"月收入\""},
          {"entity", "customer"}});
  ASSERT_EQ(result.status, 200) << result.body;
  auto doc = result.Json();
  EXPECT_EQ(doc.at("stored").as_string(),
            "monthly_income > 10000 AND monthly_income < 20000 AND type = \"月收入\"");
  EXPECT_EQ(doc.at("referenced_fields"), (json::array{"monthly_income", "type"}));
}

TEST_P(ExprApiTest, CheckReportsTheUnknownFieldWithItsPositionInTheRequestLanguage) {
  auto client = SignedIn("admin");
  auto result = client->PostJson("/api/v1/expr/check",
                                 json::object{{"expression", "monthly_incom > 1"},
                                              {"entity", "customer"}},
                                 {{"Accept-Language", "en-US"}});
  ASSERT_EQ(result.status, 422) << result.body;
  auto doc = result.Json();
  const auto& error = doc.at("errors").as_array().at(0);
  EXPECT_EQ(error.at("field").as_string(), "expression");
  EXPECT_EQ(error.at("line").as_int64(), 1);
  EXPECT_EQ(error.at("column").as_int64(), 1);
  EXPECT_NE(error.at("message").as_string().find("monthly_income"), std::string::npos)
      << "suggests the closest field";
}

TEST_P(ExprApiTest, UnknownEntitiesAndAnonymousCallersAreRefused) {
  auto client = SignedIn("admin");
  auto unknown = client->PostJson("/api/v1/expr/check",
                                  json::object{{"expression", "1"}, {"entity", "spaceship"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.ViolationCodes(), std::vector<std::string>{"entity:unknown_entity"});
  auto anonymous = NewClient()->PostJson("/api/v1/expr/check", json::object{{"expression", "1"}});
  EXPECT_EQ(anonymous.status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExprApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing
