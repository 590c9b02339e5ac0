#include "api/pending_change_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

Protection Readers() { return {.permission = auth::Permission::kUserRead}; }

}  // namespace

json::object PendingChangeJson(const auth::PendingChange& change) {
  json::object out;
  out["id"] = change.id;
  out["kind"] = auth::PendingKindName(change.kind);
  out["status"] = auth::PendingStatusName(change.status);
  out["user"] = change.user_id ? json::value(json::object{{"id", change.user_id->value()},
                                                          {"username", change.username}})
                               : json::value(nullptr);
  out["role"] =
      change.role_id
          ? json::value(json::object{{"id", change.role_id->value()}, {"key", change.role_key}})
          : json::value(nullptr);
  out["permission"] =
      change.permission.empty() ? json::value(nullptr) : json::value(change.permission);
  out["requested_by"] =
      json::object{{"id", change.requested_by.value()}, {"display_name", change.requested_by_name}};
  out["requested_at"] = FormatInstant(change.requested_at);
  out["expires_at"] = FormatInstant(change.expires_at);
  out["decided_by"] =
      change.decided_by ? json::value(change.decided_by->value()) : json::value(nullptr);
  out["decided_at"] =
      change.decided_at ? json::value(FormatInstant(*change.decided_at)) : json::value(nullptr);
  return out;
}

json::array PendingChangesJson(const std::vector<auth::PendingChange>& changes) {
  json::array out;
  for (const auto& change : changes) out.push_back(PendingChangeJson(change));
  return out;
}

void AddPendingChangeRoutes(http::Router& router, const ApiContext& ctx) {
  const Guard& guard = ctx.guard;
  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/pending-changes", Readers(),
      {.id = "listPendingChanges",
       .tag = "users",
       .summary = "List privileged changes",
       .description = "Changes waiting for, or decided by, a second administrator.",
       .response = ListOf("PendingChange"),
       .query = {"status", "limit", "cursor"}},
      [&ctx](http::Request& request, const Caller&) {
        http::Response error;
        auto page = ReadPage(request, &error);
        if (!page) return error;
        auth::PendingFilter filter{.before_id = page->after, .limit = page->limit + 1};
        if (auto status = request.QueryParam("status")) {
          filter.status = auth::PendingStatusFromName(*status);
          if (!filter.status) {
            return ErrorResponse(
                InvalidField("status", "invalid",
                             {"只能是 pending、approved、rejected、cancelled 或 expired",
                              "must be pending, approved, rejected, cancelled or expired"}),
                request);
          }
        }
        auto changes = ctx.organization.ListPendingChanges(filter);
        if (!changes) return ErrorResponse(changes.error(), request);
        const std::optional<int64_t> next =
            TrimPage(*changes, page->limit, [](const auto& row) { return row.id; });
        return http::JsonResponse(200, ListBody(PendingChangesJson(*changes), next));
      });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/pending-changes/{id}/approve",
                    {.permission = auth::Permission::kRoleAdmin},
                    {.id = "approvePendingChange",
                     .tag = "users",
                     .summary = "Approve another administrator's privileged change",
                     .response = Ref("PendingChange")},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto approved = ctx.organization.ApprovePendingChange(caller.actor, *id);
                      if (!approved) return ErrorResponse(approved.error(), request);
                      return http::JsonResponse(200, PendingChangeJson(*approved));
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/pending-changes/{id}/reject",
                    Readers(),
                    {.id = "rejectPendingChange",
                     .tag = "users",
                     .summary = "Reject a privileged change, or withdraw one's own",
                     .response = Ref("PendingChange")},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto rejected = ctx.organization.RejectPendingChange(caller.actor, *id);
                      if (!rejected) return ErrorResponse(rejected.error(), request);
                      return http::JsonResponse(200, PendingChangeJson(*rejected));
                    });
}

}  // namespace oc::api
