#include "api/expr_handlers.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/expr_json.h"

namespace oc::api {
namespace {

namespace json = boost::json;

http::Request Post(std::string body, std::string language = "zh-CN") {
  http::Request request;
  request.method = http::Method::kPost;
  request.path = "/api/v1/expr/evaluate";
  request.target = request.path;
  request.headers.emplace("Content-Type", "application/json");
  request.headers.emplace("Accept-Language", language);
  request.body = std::move(body);
  return request;
}

json::object Body(const http::Response& response) {
  return json::parse(response.body).as_object();
}

FakeClock TestClock() {
  Instant t;
  EXPECT_TRUE(ParseInstant("2024-03-15T02:00:00Z", &t));
  return FakeClock(t);
}

TEST(ExprHandlersTest, EvaluateReturnsValueAndTypeWithExactDecimals) {
  auto clock = TestClock();
  auto request = Post(R"({"expression": "0.1 + 0.2", "variables": {}})");
  auto response = HandleExprEvaluate(request, clock, TimeZone(), nullptr);
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = Body(response);
  EXPECT_EQ(body["value"], json::value("0.3"));
  EXPECT_EQ(body["type"], json::value("number"));
}

TEST(ExprHandlersTest, EvaluateUsesInlineSchemaAndVariables) {
  auto clock = TestClock();
  auto request = Post(R"json({
    "expression": "IF(AND(负债率 > 0.8, 逾期天数 >= 3), \"高\", \"中\")",
    "schema": [{"name": "负债率", "type": "number"}, {"name": "逾期天数", "type": "integer"}],
    "variables": {"负债率": "0.83", "逾期天数": 5},
    "explain": true})json");
  auto response = HandleExprEvaluate(request, clock, TimeZone(), nullptr);
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = Body(response);
  EXPECT_EQ(body["value"], json::value("高"));
  EXPECT_EQ(body["type"], json::value("text"));
  ASSERT_TRUE(body["explain"].is_array());
  EXPECT_EQ(body["explain"].as_array().front().as_object()["text"], json::value("负债率"));
}

TEST(ExprHandlersTest, TodayComesFromTheBodyOrTheClock) {
  auto clock = TestClock();
  auto request = Post(R"json({"expression": "TODAY()"})json");
  EXPECT_EQ(Body(HandleExprEvaluate(request, clock, TimeZone(), nullptr))["value"],
            json::value("2024-03-15"));
  request = Post(R"json({"expression": "TODAY() + 1", "today": "2024-02-28"})json");
  EXPECT_EQ(Body(HandleExprEvaluate(request, clock, TimeZone(), nullptr))["value"],
            json::value("2024-02-29"));
}

TEST(ExprHandlersTest, InvalidExpressionIs422WithPositionsInTheRequestLanguage) {
  auto request = Post(R"({"expression": "负债率2 > 0.8", "schema": {"负债率": "number"}})",
                      "en-US");
  auto response = HandleExprCheck(request, nullptr);
  ASSERT_EQ(response.status, 422) << response.body;
  auto errors = Body(response)["errors"].as_array();
  ASSERT_EQ(errors.size(), 1u);
  auto error = errors[0].as_object();
  EXPECT_EQ(error["field"], json::value("expression"));
  EXPECT_EQ(error["code"], json::value("unknown_field"));
  EXPECT_THAT(std::string(error["message"].as_string()), ::testing::HasSubstr("did you mean"));
  EXPECT_EQ(error["line"], json::value(1));
  EXPECT_EQ(error["column"], json::value(1));
  EXPECT_EQ(error["length"], json::value(4));
}

TEST(ExprHandlersTest, RuntimeErrorIs422OnTheExpression) {
  auto clock = TestClock();
  auto request = Post(R"({"expression": "1 / 0"})");
  auto response = HandleExprEvaluate(request, clock, TimeZone(), nullptr);
  ASSERT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(Body(response)["errors"].as_array()[0].as_object()["code"],
            json::value("division_by_zero"));
}

TEST(ExprHandlersTest, CheckReportsTypeAndReferencedFields) {
  auto request = Post(R"({"expression": "金额 >= 100000", "schema": {"金额": "number"}})");
  auto response = HandleExprCheck(request, nullptr);
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = Body(response);
  EXPECT_EQ(body["type"], json::value("boolean"));
  EXPECT_EQ(body["referenced_fields"].as_array()[0], json::value("金额"));
}

TEST(ExprHandlersTest, EntitiesAreNotAvailableYet) {
  auto request = Post(R"({"expression": "1", "entity": "customer"})");
  auto response = HandleExprCheck(request, nullptr);
  ASSERT_EQ(response.status, 422) << response.body;
  auto error = Body(response)["errors"].as_array()[0].as_object();
  EXPECT_EQ(error["field"], json::value("entity"));
  EXPECT_EQ(error["code"], json::value("unknown_entity"));
}

TEST(ExprHandlersTest, BadVariablesAndFieldsAreNamed) {
  auto clock = TestClock();
  auto request = Post(R"({"expression": "a", "schema": {"a": "integer"},
                          "variables": {"a": "x", "b": 1}, "bogus": 1})");
  auto response = HandleExprEvaluate(request, clock, TimeZone(), nullptr);
  ASSERT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(Body(response)["errors"].as_array()[0].as_object()["field"], json::value("bogus"));
  request = Post(R"({"expression": "a", "schema": {"a": "integer"},
                     "variables": {"a": "x", "b": 1}})");
  response = HandleExprEvaluate(request, clock, TimeZone(), nullptr);
  ASSERT_EQ(response.status, 422) << response.body;
  auto errors = Body(response)["errors"].as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].as_object()["field"], json::value("variables.a"));
  EXPECT_EQ(errors[1].as_object()["code"], json::value("unknown_variable"));
}

TEST(ExprJsonTest, InfersTypesFromVariables) {
  auto vars = json::parse(R"({"n": 1, "x": 0.5, "d": "2024-01-31", "t": "张三",
                             "l": [1, 2.5], "b": true, "z": null})").as_object();
  auto schema = InferExprSchema(vars);
  ASSERT_TRUE(schema);
  auto type_of = [&](std::string_view name) {
    return schema->fields()[*schema->Find(name)].type.Name();
  };
  EXPECT_EQ(type_of("n"), "integer");
  EXPECT_EQ(type_of("x"), "number");
  EXPECT_EQ(type_of("d"), "date");
  EXPECT_EQ(type_of("t"), "text");
  EXPECT_EQ(type_of("l"), "list<number>");
  EXPECT_EQ(type_of("b"), "boolean");
  EXPECT_EQ(type_of("z"), "null");
}

TEST(ExprJsonTest, JsonNumbersBecomeExactDecimals) {
  auto v = ExprValueFromJson(json::parse("0.1"), expr::Type::Of(expr::TypeKind::kNumber), "x");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->number().ToString(), "0.1");
}

}  // namespace
}  // namespace oc::api
