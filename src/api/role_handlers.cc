#include "api/role_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "api/pending_change_handlers.h"
#include "http/json.h"

namespace oc::api {

namespace {

constexpr auth::Permission kPermission = auth::Permission::kRoleAdmin;

boost::json::object NameJson(const Message& name) {
  return boost::json::object{{"zh-CN", name.zh_cn}, {"en-US", name.en_us}};
}

boost::json::object RoleJson(const auth::Role& role) {
  boost::json::object out;
  out["id"] = role.id.value();
  out["key"] = role.key;
  out["name"] = NameJson(role.name);
  out["builtin"] = role.builtin;
  boost::json::array permissions;
  for (const auto& p : role.permissions) permissions.emplace_back(p);
  out["permissions"] = std::move(permissions);
  boost::json::object scopes;
  for (const auto& [entity, scope] : role.scopes) scopes[entity] = auth::DataScopeName(scope);
  out["scopes"] = std::move(scopes);
  out["version"] = role.version;
  return out;
}

// The role, and which of its permissions wait for a second administrator ("pending_changes").
http::Response RoleResponse(int status, const auth::Role& role,
                            const std::vector<auth::PendingChange>& pending = {}) {
  boost::json::object body = RoleJson(role);
  body["pending_changes"] = PendingChangesJson(pending);
  http::Response response = http::JsonResponse(status, body);
  response.Set("ETag", ETag(role.version));
  return response;
}

// {"zh-CN": "…", "en-US": "…"}
std::optional<Message> ReadName(JsonReader& reader, bool required) {
  const auto* name = reader.Object("name", required);
  if (!name) return std::nullopt;
  Message out;
  bool ok = true;
  for (const auto& [key, value] : *name) {
    if (!value.is_string()) {
      ok = false;
    } else if (key == "zh-CN") {
      out.zh_cn = std::string(value.get_string());
    } else if (key == "en-US") {
      out.en_us = std::string(value.get_string());
    } else {
      ok = false;
    }
  }
  if (!ok) {
    reader.AddViolation("name", "invalid",
                        {"须为 {\"zh-CN\": 文本, \"en-US\": 文本}",
                         "must be {\"zh-CN\": text, \"en-US\": text}"});
    return std::nullopt;
  }
  return out;
}

std::optional<std::map<std::string, auth::DataScope>> ReadScopes(JsonReader& reader,
                                                                 bool required) {
  const auto* scopes = reader.Object("scopes", required);
  if (!scopes) return std::nullopt;
  std::map<std::string, auth::DataScope> out;
  for (const auto& [entity, value] : *scopes) {
    auto scope = value.is_string() ? auth::DataScopeFromName(value.get_string())
                                   : std::optional<auth::DataScope>();
    if (!scope) {
      reader.AddViolation("scopes." + std::string(entity), "invalid_scope",
                          {"数据范围只能是 own、department、subtree 或 all",
                           "Scope must be own, department, subtree or all"});
      continue;
    }
    out[std::string(entity)] = *scope;
  }
  return out;
}

}  // namespace

void AddRoleRoutes(http::Router& router, const ApiContext& ctx) {
  const Guard& guard = ctx.guard;
  Protection admin{.permission = kPermission};

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/permissions", admin,
      {.id = "listPermissions",
       .tag = "roles",
       .summary = "The permission catalogue",
       .response = Object(
           {{"items", ArrayOf(Object({{"key", Type("string")}, {"description", LocalizedName()}}))},
            {"scoped_entities", ArrayOf(Type("string"))},
            {"scopes", ArrayOf(Ref("DataScope"))}})},
      [](http::Request&, const Caller&) {
        boost::json::array items;
        for (const auto& p : auth::PermissionCatalog()) {
          items.push_back(
              boost::json::object{{"key", p.key}, {"description", NameJson(p.description)}});
        }
        boost::json::array entities;
        for (auto e : auth::ScopedEntities()) entities.emplace_back(e);
        return http::JsonResponse(
            200, boost::json::object{{"items", std::move(items)},
                                     {"scoped_entities", std::move(entities)},
                                     {"scopes", {"own", "department", "subtree", "all"}}});
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/roles", admin,
      {.id = "listRoles", .tag = "roles", .summary = "List roles", .response = ListOf("Role")},
      [&ctx](http::Request& request, const Caller&) {
        auto roles = ctx.organization.ListRoles();
        if (!roles) return ErrorResponse(roles.error(), request);
        boost::json::array items;
        for (const auto& r : *roles) items.push_back(RoleJson(r));
        return http::JsonResponse(200, ListBody(std::move(items), std::nullopt));
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/roles/{id}", admin,
      {.id = "getRole", .tag = "roles", .summary = "Get a role", .response = Ref("Role")},
      [&ctx](http::Request& request, const Caller&) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto role = ctx.organization.GetRole(auth::RoleId(*id));
        if (!role) return ErrorResponse(role.error(), request);
        return RoleResponse(200, *role);
      });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/roles", admin,
                    {.id = "createRole",
                     .tag = "roles",
                     .summary = "Create a role",
                     .request = Object({{"key", Type("string")},
                                        {"name", LocalizedName()},
                                        {"permissions", ArrayOf(Type("string"))},
                                        {"scopes", MapOf(Ref("DataScope"))}},
                                       {"key", "name", "permissions"}),
                     .success = 201,
                     .response = Ref("Role")},
                    [&ctx](http::Request& request, const Caller& caller) {
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auto key = reader.String("key", true, 64);
                      auto name = ReadName(reader, true);
                      auto permissions = reader.Strings("permissions", true);
                      auto scopes = ReadScopes(reader, false);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      std::vector<auth::PendingChange> pending;
                      auto role = ctx.organization.CreateRole(
                          caller.actor,
                          {.key = *key,
                           .name = *name,
                           .permissions = *permissions,
                           .scopes = scopes.value_or(std::map<std::string, auth::DataScope>{})},
                          &pending);
                      if (!role) return ErrorResponse(role.error(), request);
                      http::Response response = RoleResponse(201, *role, pending);
                      response.Set("Location", "/api/v1/roles/" + std::to_string(role->id.value()));
                      return response;
                    });

  AddProtectedRoute(router, guard, http::Method::kPatch, "/api/v1/roles/{id}", admin,
                    {.id = "updateRole",
                     .tag = "roles",
                     .summary = "Update a role",
                     .request = Object({{"name", LocalizedName()},
                                        {"permissions", ArrayOf(Type("string"))},
                                        {"scopes", MapOf(Ref("DataScope"))}}),
                     .response = Ref("Role"),
                     .if_match = true},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto version = ExpectedVersion(request, &error);
                      if (!version) return error;
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auth::RolePatch patch;
                      patch.name = ReadName(reader, false);
                      patch.permissions = reader.Strings("permissions", false);
                      patch.scopes = ReadScopes(reader, false);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      std::vector<auth::PendingChange> pending;
                      auto role = ctx.organization.UpdateRole(caller.actor, auth::RoleId(*id),
                                                              patch, *version, &pending);
                      if (!role) return ErrorResponse(role.error(), request);
                      return RoleResponse(200, *role, pending);
                    });

  AddProtectedRoute(router, guard, http::Method::kDelete, "/api/v1/roles/{id}", admin,
                    {.id = "deleteRole",
                     .tag = "roles",
                     .summary = "Delete an unassigned custom role",
                     .success = 204},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto s = ctx.organization.DeleteRole(caller.actor, auth::RoleId(*id));
                      if (!s) return ErrorResponse(s.error(), request);
                      return NoContent();
                    });
}

}  // namespace oc::api
