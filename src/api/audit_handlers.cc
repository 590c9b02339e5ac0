#include "api/audit_handlers.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <memory>

#include "api/conventions.h"
#include "api/openapi.h"
#include "forms/record_codec.h"
#include "http/json.h"

namespace oc::api {

namespace {

// `changes` is the entry's changes as they are to be shown.
boost::json::object EntryJson(const audit::Entry& e, std::string_view changes) {
  boost::json::object out;
  out["id"] = e.id;
  out["at"] = FormatInstant(e.at);
  out["user_id"] = e.user_id ? boost::json::value(*e.user_id) : boost::json::value(nullptr);
  out["username"] = e.username;
  out["action"] = e.action;
  out["entity_type"] = e.entity_type;
  out["entity_id"] = e.entity_id;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(changes, ec);
  out["changes"] = ec ? boost::json::value(boost::json::array()) : std::move(parsed);
  out["detail"] = e.detail;
  out["request_id"] = e.request_id;
  out["client_ip"] = e.client_ip;
  out["hash"] = e.hash;
  return out;
}

Error BadParam(std::string field, Message message) {
  return InvalidField(std::move(field), "invalid", std::move(message));
}

}  // namespace

void AddAuditRoutes(http::Router& router, const ApiContext& ctx, forms::EntityRegistry& entities) {
  AddProtectedRoute(
      router, ctx.guard, http::Method::kGet, "/api/v1/audit-events",
      {.permission = auth::Permission::kAuditRead},
      {.id = "listAuditEvents",
       .tag = "audit",
       .summary = "Search the audit trail",
       .response = ListOf("AuditEvent"),
       .query = {"user_id", "entity_type", "entity_id", "action", "from", "to", "limit", "cursor"}},
      [&ctx, &entities](http::Request& request, const Caller&) {
        http::Response error;
        auto page = ReadPage(request, &error);
        if (!page) return error;
        audit::Filter filter{.before_id = page->after, .limit = page->limit + 1};
        std::vector<FieldViolation> violations;
        if (auto u = request.QueryParam("user_id")) {
          int64_t id = 0;
          auto [p, ec] = std::from_chars(u->data(), u->data() + u->size(), id);
          if (ec != std::errc() || p != u->data() + u->size()) {
            violations.push_back(BadParam("user_id", {"必须是整数", "must be an integer"})
                                     .field_violations[0]);
          } else {
            filter.user_id = id;
          }
        }
        if (auto v = request.QueryParam("entity_type")) filter.entity_type = std::string(*v);
        if (auto v = request.QueryParam("entity_id")) filter.entity_id = std::string(*v);
        if (auto v = request.QueryParam("action")) filter.action = std::string(*v);
        for (auto [name, target] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
          if (auto v = request.QueryParam(name)) {
            Instant t;
            if (!ParseInstant(*v, &t)) {
              violations.push_back(BadParam(name, {"须为 RFC 3339 时间，如 2026-01-01T00:00:00Z",
                                                   "must be an RFC 3339 time such as "
                                                   "2026-01-01T00:00:00Z"})
                                       .field_violations[0]);
            } else {
              *target = t;
            }
          }
        }
        if (!violations.empty()) return ErrorResponse(InvalidArgument(violations), request);
        auto entries = ctx.audit.List(ctx.db, filter);
        if (!entries) return ErrorResponse(entries.error(), request);
        std::optional<int64_t> next;
        if (static_cast<int>(entries->size()) > page->limit) {
          entries->pop_back();
          next = entries->back().id;
        }
        // Entries about records were written under the masks of their day; an auditor sees their
        // personal data under today's, as every other reader does.
        auto keys = entities.ListKeys();
        if (!keys) return ErrorResponse(keys.error(), request);
        std::map<std::string, std::shared_ptr<const forms::EntityDef>, std::less<>> definitions;
        boost::json::array items;
        for (const auto& e : *entries) {
          if (std::find(keys->begin(), keys->end(), e.entity_type) == keys->end()) {
            items.push_back(EntryJson(e, e.changes_json));
            continue;
          }
          auto& definition = definitions[e.entity_type];
          if (!definition) {
            auto loaded = entities.Get(e.entity_type);
            if (!loaded) return ErrorResponse(loaded.error(), request);
            definition = *loaded;
          }
          items.push_back(EntryJson(e, forms::RemaskRecordedChanges(*definition, e.changes_json)));
        }
        return http::JsonResponse(200, ListBody(std::move(items), next));
      });
}

}  // namespace oc::api
