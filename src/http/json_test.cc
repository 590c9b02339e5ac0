#include "http/json.h"

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace oc::http {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = Method::kPost;
  request.request_id = "req-1";
  request.headers.emplace("Content-Type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

json::object ProblemOf(const Response& response) {
  EXPECT_EQ(response.headers.find("Content-Type")->second, "application/problem+json");
  return json::parse(response.body).as_object();
}

std::string CodeOf(const Response& response) {
  return json::value_to<std::string>(ProblemOf(response).at("code"));
}

TEST(ParseJsonBodyTest, ParsesObject) {
  auto value = ParseJsonBody(JsonRequest(R"({"name":"张三","amount":"100.00"})"));
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->at("name").as_string(), "张三");
}

TEST(ParseJsonBodyTest, AcceptsJsonSuffixTypesAndUtf8Charset) {
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/merge-patch+json")).has_value());
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "Application/JSON; charset=UTF-8")).has_value());
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/json;charset=\"utf-8\"")).has_value());
}

TEST(ParseJsonBodyTest, RejectsOtherContentTypesWith415) {
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "application/+json",
                           "application/json; charset=gbk", "multipart/form-data"}) {
    auto value = ParseJsonBody(JsonRequest("{}", type));
    ASSERT_FALSE(value.has_value()) << type;
    EXPECT_EQ(value.error().status, 415) << type;
    EXPECT_EQ(CodeOf(value.error()), "unsupported_media_type");
  }
  Request no_type = JsonRequest("{}");
  no_type.headers.clear();
  EXPECT_EQ(ParseJsonBody(no_type).error().status, 415);
}

TEST(ParseJsonBodyTest, EmptyBodyIs400) {
  auto value = ParseJsonBody(JsonRequest(""));
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().status, 400);
  EXPECT_EQ(CodeOf(value.error()), "empty_body");
}

TEST(ParseJsonBodyTest, MalformedBodyNamesTheByteOffset) {
  auto value = ParseJsonBody(JsonRequest(R"({"a":1,})"));
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().status, 400);
  json::object problem = ProblemOf(value.error());
  EXPECT_EQ(problem.at("code"), "malformed_json");
  EXPECT_THAT(json::value_to<std::string>(problem.at("detail")), HasSubstr("第 7 字节"));

  Request english = JsonRequest("[1, 2 x]");
  english.headers.emplace("Accept-Language", "en-US");
  auto error = ParseJsonBody(english);
  ASSERT_FALSE(error.has_value());
  EXPECT_THAT(json::value_to<std::string>(ProblemOf(error.error()).at("detail")),
              HasSubstr("at byte 6"));
}

TEST(ParseJsonBodyTest, TruncatedAndTrailingDataAre400) {
  auto truncated = ParseJsonBody(JsonRequest(R"({"a":[1,2)"));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(CodeOf(truncated.error()), "malformed_json");
  auto trailing = ParseJsonBody(JsonRequest(R"({"a":1} {"b":2})"));
  ASSERT_FALSE(trailing.has_value());
  EXPECT_EQ(CodeOf(trailing.error()), "malformed_json");
}

TEST(ParseJsonBodyTest, InvalidUtf8IsRejected) {
  for (std::string body : {"\"\xFF\"", "{\"name\":\"\xE5\xBC\"}", "\"\xED\xA0\x80\"",
                           "\"\\ud800\""}) {
    auto value = ParseJsonBody(JsonRequest(body));
    ASSERT_FALSE(value.has_value()) << body;
    EXPECT_EQ(CodeOf(value.error()), "malformed_json");
  }
}

TEST(ParseJsonBodyTest, DeepNestingIsRejectedWithoutRecursion) {
  auto deep = ParseJsonBody(JsonRequest(std::string(10'000, '[') + std::string(10'000, ']')));
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().status, 400);
  EXPECT_EQ(CodeOf(deep.error()), "json_too_deep");

  std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJsonBody(JsonRequest(at_limit)).has_value());
  std::string over = "[" + at_limit + "]";
  EXPECT_FALSE(ParseJsonBody(JsonRequest(over)).has_value());
}

TEST(ParseJsonBodyTest, HugeNumbersAreRejectedNotCrashed) {
  for (std::string body : {std::string("[1e400]"), std::string("{\"a\":-1e999}"), std::string(5000, '9'),
                           std::string("1e99999999999999999999")}) {
    auto value = ParseJsonBody(JsonRequest(body));
    ASSERT_FALSE(value.has_value()) << body.substr(0, 20);
    EXPECT_EQ(value.error().status, 400);
  }
  EXPECT_EQ(CodeOf(ParseJsonBody(JsonRequest("[1e400]")).error()), "number_out_of_range");
  EXPECT_TRUE(ParseJsonBody(JsonRequest("[123456789012345678901234567890]")).has_value());
}

// A money or decimal field reads a number's text; the nearest double of 123456789012.345678 is
// 123456789012.34567260…, whose shortest text drops the last digit.
TEST(ParseJsonBodyTest, NumbersADoubleCannotHoldExactlyKeepTheirText) {
  auto value = ParseJsonBody(
      JsonRequest(R"({"rate":123456789012.345678,"neg":-0.10000000000000000001,"tiny":1e-400,)"
                  R"("big":123456789012345678901234567890,"score":0.83,"half":2.5e-1,"count":42,)"
                  R"("list":[9007199254740993.5, 1.5]})"));
  ASSERT_TRUE(value.has_value()) << value.error().body;
  const json::object& o = value->as_object();
  EXPECT_EQ(o.at("rate"), json::value("123456789012.345678"));
  EXPECT_EQ(o.at("neg"), json::value("-0.10000000000000000001"));
  EXPECT_EQ(o.at("tiny"), json::value("1e-400"));
  EXPECT_EQ(o.at("big"), json::value("123456789012345678901234567890"));
  EXPECT_EQ(o.at("list").as_array().at(0), json::value("9007199254740993.5"));
  ASSERT_TRUE(o.at("score").is_double());
  EXPECT_EQ(o.at("score").as_double(), 0.83);
  ASSERT_TRUE(o.at("half").is_double());
  EXPECT_EQ(o.at("half").as_double(), 0.25);
  EXPECT_EQ(o.at("list").as_array().at(1), json::value(1.5));
  EXPECT_EQ(o.at("count"), json::value(42));
}

// Memory follows the body: a document of tiny values (sixteen bytes a value for two bytes of text)
// is refused before the parse holds more than its bound, while an ordinary one parses.
TEST(ParseJsonBodyTest, DocumentsThatWouldTakeTooMuchMemoryAre413) {
  std::string ones = "[";
  for (int i = 0; i < 200'000; ++i) ones += i == 0 ? "1" : ",1";
  ones += "]";
  auto refused = ParseJsonBody(JsonRequest(ones));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().status, 413);
  EXPECT_EQ(CodeOf(refused.error()), "json_too_large");
  std::string empties = "[";
  for (int i = 0; i < 100'000; ++i) empties += i == 0 ? "{}" : ",{}";
  empties += "]";
  EXPECT_EQ(CodeOf(ParseJsonBody(JsonRequest(empties)).error()), "json_too_large");

  std::string records = "[";
  for (int i = 0; i < 2'000; ++i) {
    records += std::string(i == 0 ? "" : ",") +
               R"({"type":"individual","name":"张三","phone":"13800138000","tags":["vip"]})";
  }
  records += "]";
  auto parsed = ParseJsonBody(JsonRequest(records));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->as_array().size(), 2'000u);
}

TEST(HttpStatusForTest, MapsEveryCode) {
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kInvalidArgument, {})), 400);
  EXPECT_EQ(HttpStatusFor(InvalidField("phone", "invalid", {})), 422);
  EXPECT_EQ(HttpStatusFor(NotFound({})), 404);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kAlreadyExists, {})), 409);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kFailedPrecondition, {})), 409);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kAborted, {})), 409);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kPermissionDenied, {})), 403);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kUnauthenticated, {})), 401);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kResourceExhausted, {})), 429);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kUnavailable, {})), 503);
  EXPECT_EQ(HttpStatusFor(MakeError(ErrorCode::kDeadlineExceeded, {})), 504);
  EXPECT_EQ(HttpStatusFor(Internal("x")), 500);
}

TEST(ProblemResponseTest, ValidationErrorIs422WithFieldErrors) {
  Request request = JsonRequest("{}");
  Error error = InvalidArgument(
      {FieldViolation{"id_number", "invalid_checksum", {"身份证号校验位错误", "Bad checksum"}},
       FieldViolation{"address.city", "required", {"必填", "Required"}}});
  Response response = ProblemResponse(error, request);
  EXPECT_EQ(response.status, 422);
  json::object problem = ProblemOf(response);
  EXPECT_EQ(problem.at("type"), "about:blank");
  EXPECT_EQ(problem.at("status"), 422);
  EXPECT_EQ(problem.at("code"), "invalid_argument");
  EXPECT_EQ(problem.at("request_id"), "req-1");
  EXPECT_EQ(problem.at("detail"), "请求中有字段不合法");
  const json::array& errors = problem.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "id_number");
  EXPECT_EQ(errors[0].at("code"), "invalid_checksum");
  EXPECT_EQ(errors[0].at("message"), "身份证号校验位错误");
  EXPECT_EQ(errors[1].at("field"), "address.city");
}

// However many fields a request got wrong, the answer lists a few and counts the rest.
TEST(ProblemResponseTest, ListsAtMostAFewViolationsAndCountsTheRest) {
  std::vector<FieldViolation> violations;
  for (int i = 0; i < 120; ++i) {
    violations.push_back({"k" + std::to_string(i), "unknown_field", {"未知字段", "Unknown field"}});
  }
  json::object problem = ProblemOf(ProblemResponse(InvalidArgument(violations), JsonRequest("{}")));
  EXPECT_EQ(problem.at("errors").as_array().size(), kMaxListedViolations);
  EXPECT_EQ(problem.at("errors").as_array()[0].at("field"), "k0");
  EXPECT_EQ(problem.at("errors_not_listed"), 120 - static_cast<int64_t>(kMaxListedViolations));
  json::object few =
      ProblemOf(ProblemResponse(InvalidArgument({violations[0]}), JsonRequest("{}")));
  EXPECT_FALSE(few.contains("errors_not_listed"));
}

TEST(ProblemResponseTest, LanguageFollowsAcceptLanguage) {
  Request request = JsonRequest("{}");
  request.headers.emplace("Accept-Language", "en-GB,en;q=0.8");
  Response response = ProblemResponse(NotFound({"客户不存在", "No such customer"}), request);
  json::object problem = ProblemOf(response);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(problem.at("title"), "Not Found");
  EXPECT_EQ(problem.at("detail"), "No such customer");
}

TEST(ProblemResponseTest, NeverIncludesInternalDetail) {
  Request request = JsonRequest("{}");
  Response response =
      ProblemResponse(Internal("SELECT * FROM customers WHERE secret"), request);
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, Not(HasSubstr("SELECT")));
  EXPECT_EQ(ProblemOf(response).at("detail"), "服务器内部错误");
}

TEST(ProblemResponseTest, ProtocolProblemCarriesGivenCode) {
  Request request = JsonRequest("{}");
  Response response =
      ProblemResponse(412, "stale_version", {"数据已被他人修改", "Modified by someone else"},
                      request);
  EXPECT_EQ(response.status, 412);
  json::object problem = ProblemOf(response);
  EXPECT_EQ(problem.at("code"), "stale_version");
  EXPECT_EQ(problem.at("title"), "前置条件不满足");
  EXPECT_TRUE(problem.at("errors").as_array().empty());
}

TEST(ProblemResponseTest, RetryAfterIsSentAsHeader) {
  Request request = JsonRequest("{}");
  Error error = MakeError(ErrorCode::kResourceExhausted, {"请求过于频繁", "Too many requests"});
  error.retry_after = std::chrono::seconds(30);
  Response response = ProblemResponse(error, request);
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.headers.find("Retry-After")->second, "30");
  EXPECT_EQ(ProblemResponse(NotFound({}), request).headers.count("Retry-After"), 0u);
}

TEST(JsonResponseTest, SerializesWithContentType) {
  Response response = JsonResponse(201, json::object{{"id", 5}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"id":5})");
  EXPECT_EQ(response.headers.find("content-type")->second, "application/json");
}

}  // namespace
}  // namespace oc::http
