#include "http/request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace oc::http {
namespace {

using ::testing::ElementsAre;

TEST(RequestTest, HeaderLookupIgnoresCase) {
  Request request;
  request.headers.emplace("Content-Type", "application/json");
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(request.Header("Accept").has_value());
}

TEST(RequestTest, CookieFindsNameAcrossPairsAndHeaders) {
  Request request;
  request.headers.emplace("Cookie", "theme=dark; session=abc123");
  request.headers.emplace("cookie", "csrf=\"quoted\"");
  EXPECT_EQ(request.Cookie("session"), "abc123");
  EXPECT_EQ(request.Cookie("theme"), "dark");
  EXPECT_EQ(request.Cookie("csrf"), "quoted");
  EXPECT_FALSE(request.Cookie("sess").has_value());
  EXPECT_FALSE(request.Cookie("missing").has_value());
}

TEST(RequestTest, CookieWithoutEqualsSignIsSkipped) {
  Request request;
  request.headers.emplace("Cookie", "flag; id=7");
  EXPECT_FALSE(request.Cookie("flag").has_value());
  EXPECT_EQ(request.Cookie("id"), "7");
}

TEST(RequestTest, LanguageIsFirstTagOfAcceptLanguage) {
  Request request;
  EXPECT_EQ(request.Language(), "zh-CN");
  request.headers.emplace("Accept-Language", "en-US,en;q=0.9,zh-CN;q=0.8");
  EXPECT_EQ(request.Language(), "en-US");
}

TEST(RequestTest, LanguageStripsQualityAndDefaultsOnWildcard) {
  Request with_quality;
  with_quality.headers.emplace("Accept-Language", " en ;q=0.5");
  EXPECT_EQ(with_quality.Language(), "en");
  Request wildcard;
  wildcard.headers.emplace("Accept-Language", "*");
  EXPECT_EQ(wildcard.Language(), "zh-CN");
}

TEST(RequestTest, QueryParamsReturnsRepeatedValuesInOrder) {
  Request request;
  request.query.emplace("status", "active");
  request.query.emplace("status", "overdue");
  request.query.emplace("limit", "20");
  EXPECT_EQ(request.QueryParam("status"), "active");
  EXPECT_THAT(request.QueryParams("status"), ElementsAre("active", "overdue"));
  EXPECT_THAT(request.QueryParams("cursor"), ElementsAre());
  EXPECT_FALSE(request.QueryParam("cursor").has_value());
}

TEST(RequestTest, PathParamIsEmptyWhenAbsent) {
  Request request;
  request.path_params.emplace("id", "42");
  EXPECT_EQ(request.PathParam("id"), "42");
  EXPECT_EQ(request.PathParam("name"), "");
}

TEST(RequestTest, OnlyGetHeadOptionsAreSafe) {
  Request request;
  for (Method method : {Method::kGet, Method::kHead, Method::kOptions}) {
    request.method = method;
    EXPECT_FALSE(request.IsStateChanging()) << MethodName(method);
  }
  for (Method method : {Method::kPost, Method::kPut, Method::kPatch, Method::kDelete}) {
    request.method = method;
    EXPECT_TRUE(request.IsStateChanging()) << MethodName(method);
  }
}

}  // namespace
}  // namespace oc::http
