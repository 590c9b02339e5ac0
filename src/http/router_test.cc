#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace oc::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Handler Named(std::string name) {
  return [name](Request&) {
    Response response;
    response.body = name;
    return response;
  };
}

std::string Call(const Router::Match& match) {
  Request request;
  return match.route->handler(request).body;
}

TEST(RouterTest, MatchesLiteralRoutes) {
  Router router;
  router.Add(Method::kGet, "/", Named("root"));
  router.Add(Method::kGet, "/healthz", Named("health"));
  EXPECT_EQ(Call(router.Find(Method::kGet, "/")), "root");
  EXPECT_EQ(Call(router.Find(Method::kGet, "/healthz")), "health");
}

TEST(RouterTest, CapturesParameters) {
  Router router;
  router.Add(Method::kGet, "/api/v1/customers/{id}/loans/{loan_id}", Named("loan"));
  auto match = router.Find(Method::kGet, "/api/v1/customers/42/loans/7");
  ASSERT_EQ(match.outcome, Router::Outcome::kFound);
  EXPECT_EQ(match.route->pattern, "/api/v1/customers/{id}/loans/{loan_id}");
  EXPECT_THAT(match.params, ElementsAre(Pair("id", "42"), Pair("loan_id", "7")));
}

TEST(RouterTest, LiteralBeatsParameter) {
  Router router;
  router.Add(Method::kGet, "/users/{id}", Named("by-id"));
  router.Add(Method::kGet, "/users/me", Named("me"));
  EXPECT_EQ(Call(router.Find(Method::kGet, "/users/me")), "me");
  auto match = router.Find(Method::kGet, "/users/17");
  EXPECT_EQ(Call(match), "by-id");
  EXPECT_THAT(match.params, ElementsAre(Pair("id", "17")));
}

TEST(RouterTest, BacktracksFromLiteralToParameter) {
  Router router;
  router.Add(Method::kGet, "/users/me/profile", Named("profile"));
  router.Add(Method::kGet, "/users/{id}/orders", Named("orders"));
  auto match = router.Find(Method::kGet, "/users/me/orders");
  ASSERT_EQ(match.outcome, Router::Outcome::kFound);
  EXPECT_EQ(Call(match), "orders");
  EXPECT_THAT(match.params, ElementsAre(Pair("id", "me")));
}

TEST(RouterTest, UnknownPathIsNotFound) {
  Router router;
  router.Add(Method::kGet, "/users/{id}", Named("by-id"));
  EXPECT_EQ(router.Find(Method::kGet, "/users").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/users/1/x").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/users/").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/nothing").outcome, Router::Outcome::kNotFound);
}

TEST(RouterTest, WrongMethodListsAllowedMethods) {
  Router router;
  router.Add(Method::kGet, "/users/{id}", Named("get"));
  router.Add(Method::kDelete, "/users/{id}", Named("delete"));
  router.Add(Method::kPost, "/users/me", Named("post-me"));
  auto match = router.Find(Method::kPut, "/users/me");
  ASSERT_EQ(match.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_THAT(match.allowed,
              ElementsAre(Method::kGet, Method::kHead, Method::kPost, Method::kDelete));
}

TEST(RouterTest, MethodMatchOnParameterRouteWinsOverLiteralWithoutIt) {
  Router router;
  router.Add(Method::kGet, "/users/me", Named("me"));
  router.Add(Method::kDelete, "/users/{id}", Named("delete"));
  EXPECT_EQ(Call(router.Find(Method::kDelete, "/users/me")), "delete");
}

TEST(RouterTest, HeadFallsBackToGetButPrefersItsOwnRoute) {
  Router router;
  router.Add(Method::kGet, "/a", Named("get-a"));
  router.Add(Method::kGet, "/b", Named("get-b"));
  router.Add(Method::kHead, "/b", Named("head-b"));
  EXPECT_EQ(Call(router.Find(Method::kHead, "/a")), "get-a");
  EXPECT_EQ(Call(router.Find(Method::kHead, "/b")), "head-b");
  EXPECT_EQ(router.Find(Method::kPost, "/a").outcome, Router::Outcome::kMethodNotAllowed);
}

TEST(RouterTest, RoutesAreListedInOrderAdded) {
  Router router;
  router.Add(Method::kPost, "/b", Named("b"), RouteOptions{.max_body_bytes = 10});
  router.Add(Method::kGet, "/a", Named("a"), RouteOptions{.on_network_thread = true});
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->pattern, "/b");
  EXPECT_EQ(router.routes()[0]->options.max_body_bytes, 10u);
  EXPECT_TRUE(router.routes()[1]->options.on_network_thread);
}

TEST(RouterTest, SurvivesMove) {
  Router router;
  router.Add(Method::kGet, "/x/{id}", Named("x"));
  Router moved = std::move(router);
  EXPECT_EQ(Call(moved.Find(Method::kGet, "/x/1")), "x");
}

}  // namespace
}  // namespace oc::http
