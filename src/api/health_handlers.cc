#include "api/health_handlers.h"

#include <boost/json.hpp>

#include "http/json.h"

namespace oc::api {

void AddHealthRoutes(http::Router& router, storage::Db& db) {
  router.Add(
      http::Method::kGet, "/healthz",
      [](http::Request&) {
        http::Response response;
        response.status = 200;
        response.body = R"({"status":"ok"})";
        response.Set("Content-Type", "application/json");
        return response;
      },
      {.on_network_thread = true});
  router.Add(http::Method::kGet, "/readyz", [&db](http::Request& request) {
    auto ping = db.Ping();
    if (!ping) {
      return http::ProblemResponse(503, "database_unavailable",
                                   {"数据库暂不可用", "The database is not reachable"}, request);
    }
    return http::JsonResponse(200, boost::json::object{{"status", "ready"}});
  });
}

}  // namespace oc::api
