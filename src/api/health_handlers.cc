#include "api/health_handlers.h"

#include <boost/json.hpp>

#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

void AddHealthRoutes(http::Router& router, storage::Db& db) {
  const boost::json::object status = Object({{"status", Type("string")}}, {"status"});
  AddPublicRoute(
      router, http::Method::kGet, "/healthz",
      {.id = "getHealth",
       .tag = "system",
       .summary = "Process is up",
       .description =
           "Answered on the network thread without touching the database: for a liveness probe.",
       .response = status},
      [](http::Request&) {
        http::Response response;
        response.status = 200;
        response.body = R"({"status":"ok"})";
        response.Set("Content-Type", "application/json");
        return response;
      },
      {.on_network_thread = true});
  AddPublicRoute(router, http::Method::kGet, "/readyz",
                 {.id = "getReadiness",
                  .tag = "system",
                  .summary = "Database is reachable",
                  .description = "503 while the database cannot be reached, so that a load "
                                 "balancer stops sending traffic.",
                  .response = status},
                 [&db](http::Request& request) {
                   auto ping = db.Ping();
                   if (!ping) {
                     return http::ProblemResponse(
                         503, "database_unavailable",
                         {"数据库暂不可用", "The database is not reachable"}, request);
                   }
                   return http::JsonResponse(200, boost::json::object{{"status", "ready"}});
                 });
}

}  // namespace oc::api
