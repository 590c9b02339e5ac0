#include "api/user_handlers.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "api/pending_change_handlers.h"
#include "http/json.h"

namespace oc::api {

namespace {

constexpr auth::Permission kPermission = auth::Permission::kUserAdmin;

// The user, and what of the change waits for a second administrator ("pending_changes").
http::Response UserResponse(int status, const auth::User& user,
                            const std::vector<auth::PendingChange>& pending = {}) {
  boost::json::object body = UserJson(user);
  body["pending_changes"] = PendingChangesJson(pending);
  http::Response response = http::JsonResponse(status, body);
  response.Set("ETag", ETag(user.version));
  return response;
}

// Optional id fields: absent → no change; null → clear; number → set.
template <class IdT>
std::optional<std::optional<IdT>> NullableId(JsonReader& reader, std::string_view field) {
  if (reader.IsNull(field)) {
    (void)reader.Int(field, false);  // marks the field as known
    return std::optional<IdT>();
  }
  if (auto v = reader.Int(field, false)) return std::optional<IdT>(IdT(*v));
  return std::nullopt;
}

http::Response Create(const ApiContext& ctx, http::Request& request, const Caller& caller) {
  auto body = http::ParseJsonBody(request);
  if (!body) return body.error();
  JsonReader reader(*body);
  auth::NewUser input;
  auto username = reader.String("username", true, 64);
  auto display_name = reader.String("display_name", true, 256);
  auto password = reader.String("password", true, 1024);
  auto department = reader.Int("department_id", true);
  auto supervisor = reader.Int("supervisor_id", false);
  auto roles = reader.Strings("roles", true);
  auto language = reader.String("language", false, 16);
  auto must_change = reader.Bool("must_change_password", false);
  if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
  input.username = *username;
  input.display_name = *display_name;
  input.password = *password;
  input.department_id = auth::DepartmentId(*department);
  if (supervisor) input.supervisor_id = auth::UserId(*supervisor);
  input.role_keys = *roles;
  if (language) input.language = *language;
  // Accounts an administrator creates carry a password someone else chose: change it at first
  // sign-in unless the administrator says otherwise.
  input.must_change_password = must_change.value_or(true);
  std::vector<auth::PendingChange> pending;
  auto user = ctx.organization.CreateUser(caller.actor, input, &pending);
  if (!user) return ErrorResponse(user.error(), request);
  http::Response response = UserResponse(201, *user, pending);
  response.Set("Location", "/api/v1/users/" + std::to_string(user->id.value()));
  return response;
}

http::Response List(const ApiContext& ctx, http::Request& request) {
  http::Response error;
  auto page = ReadPage(request, &error);
  if (!page) return error;
  auth::UserFilter filter{.after_id = page->after, .limit = page->limit + 1};
  if (auto q = request.QueryParam("q")) filter.query = std::string(*q);
  if (auto d = request.QueryParam("department_id")) {
    int64_t id = 0;
    auto [p, ec] = std::from_chars(d->data(), d->data() + d->size(), id);
    if (ec != std::errc() || p != d->data() + d->size()) {
      return ErrorResponse(InvalidField("department_id", "invalid",
                                        {"必须是整数", "must be an integer"}),
                           request);
    }
    filter.department_id = auth::DepartmentId(id);
  }
  if (auto s = request.QueryParam("status")) {
    filter.status = auth::UserStatusFromName(*s);
    if (!filter.status) {
      return ErrorResponse(InvalidField("status", "invalid",
                                        {"只能是 active 或 disabled",
                                         "must be active or disabled"}),
                           request);
    }
  }
  auto users = ctx.organization.ListUsers(filter);
  if (!users) return ErrorResponse(users.error(), request);
  const std::optional<int64_t> next =
      TrimPage(*users, page->limit, [](const auto& row) { return row.id.value(); });
  boost::json::array items;
  for (const auto& u : *users) items.push_back(UserJson(u));
  return http::JsonResponse(200, ListBody(std::move(items), next));
}

http::Response Update(const ApiContext& ctx, http::Request& request, const Caller& caller) {
  http::Response error;
  auto id = PathId(request, "id", &error);
  if (!id) return error;
  auto version = ExpectedVersion(request, &error);
  if (!version) return error;
  auto body = http::ParseJsonBody(request);
  if (!body) return body.error();
  JsonReader reader(*body);
  auth::UserPatch patch;
  patch.display_name = reader.String("display_name", false, 256);
  if (auto d = reader.Int("department_id", false)) patch.department_id = auth::DepartmentId(*d);
  patch.supervisor_id = NullableId<auth::UserId>(reader, "supervisor_id");
  patch.role_keys = reader.Strings("roles", false);
  patch.language = reader.String("language", false, 16);
  if (auto s = reader.String("status", false, 16)) {
    patch.status = auth::UserStatusFromName(*s);
    if (!patch.status) {
      reader.AddViolation("status", "invalid",
                          {"只能是 active 或 disabled", "must be active or disabled"});
    }
  }
  if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
  std::vector<auth::PendingChange> pending;
  auto user =
      ctx.organization.UpdateUser(caller.actor, auth::UserId(*id), patch, *version, &pending);
  if (!user) return ErrorResponse(user.error(), request);
  return UserResponse(200, *user, pending);
}

http::Response ResetPassword(const ApiContext& ctx, http::Request& request,
                             const Caller& caller) {
  http::Response error;
  auto id = PathId(request, "id", &error);
  if (!id) return error;
  auto body = http::ParseJsonBody(request);
  if (!body) return body.error();
  JsonReader reader(*body);
  auto password = reader.String("password", true, 1024);
  if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
  auto reset = ctx.organization.ResetPassword(caller.actor, auth::UserId(*id), *password);
  if (!reset) return ErrorResponse(reset.error(), request);
  // 202: accepted, and in force once a second administrator approves it.
  if (*reset) return http::JsonResponse(202, PendingChangeJson(**reset));
  return NoContent();
}

}  // namespace

boost::json::object UserJson(const auth::User& user) {
  boost::json::object out;
  out["id"] = user.id.value();
  out["username"] = user.username;
  out["display_name"] = user.display_name;
  out["department_id"] = user.department_id.value();
  out["supervisor_id"] = user.supervisor_id ? boost::json::value(user.supervisor_id->value())
                                            : boost::json::value(nullptr);
  out["status"] = auth::UserStatusName(user.status);
  out["language"] = user.language;
  boost::json::array roles;
  for (const auto& r : user.role_keys) roles.emplace_back(r);
  out["roles"] = std::move(roles);
  out["must_change_password"] = user.must_change_password;
  out["version"] = user.version;
  out["created_at"] = FormatInstant(user.created_at);
  out["updated_at"] = FormatInstant(user.updated_at);
  return out;
}

void AddUserRoutes(http::Router& router, const ApiContext& ctx) {
  const Guard& guard = ctx.guard;
  Protection admin{.permission = kPermission};
  // The security administrator, who confirms privileged changes, sees the users they concern.
  Protection readers{.permission = auth::Permission::kUserRead};
  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/users", readers,
                    {.id = "listUsers",
                     .tag = "users",
                     .summary = "List users",
                     .response = ListOf("User"),
                     .query = {"q", "department_id", "status", "limit", "cursor"}},
                    [&ctx](http::Request& r, const Caller&) { return List(ctx, r); });
  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/users", admin,
      {.id = "createUser",
       .tag = "users",
       .summary = "Create a user",
       .description = "A role bringing pii.unmask, audit.read or role.admin waits for a second "
                      "administrator (pending_changes).",
       .request = Object({{"username", Type("string")},
                          {"display_name", Type("string")},
                          {"password", Type("string")},
                          {"department_id", Type("integer")},
                          {"supervisor_id", Nullable("integer")},
                          {"roles", ArrayOf(Type("string"))},
                          {"language", Type("string")},
                          {"must_change_password", Type("boolean")}},
                         {"username", "display_name", "password", "department_id", "roles"}),
       .success = 201,
       .response = Ref("User")},
      [&ctx](http::Request& r, const Caller& c) { return Create(ctx, r, c); });
  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/users/{id}", readers,
      {.id = "getUser", .tag = "users", .summary = "Get a user", .response = Ref("User")},
      [&ctx](http::Request& request, const Caller&) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto user = ctx.organization.GetUser(auth::UserId(*id));
        if (!user) return ErrorResponse(user.error(), request);
        return UserResponse(200, *user);
      });
  AddProtectedRoute(router, guard, http::Method::kPatch, "/api/v1/users/{id}", admin,
                    {.id = "updateUser",
                     .tag = "users",
                     .summary = "Update a user",
                     .description = "Roles, department, status…; privileged roles wait for a "
                                    "second administrator as on create.",
                     .request = Object({{"display_name", Type("string")},
                                        {"department_id", Type("integer")},
                                        {"supervisor_id", Nullable("integer")},
                                        {"roles", ArrayOf(Type("string"))},
                                        {"language", Type("string")},
                                        {"status", Type("string")}}),
                     .response = Ref("User"),
                     .if_match = true},
                    [&ctx](http::Request& r, const Caller& c) { return Update(ctx, r, c); });
  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/users/{id}/reset-password", admin,
                    {.id = "resetUserPassword",
                     .tag = "users",
                     .summary = "Set a new password the user must change",
                     .description = "204 when done; for a privileged user, 202 with the change "
                                    "that waits for a second administrator.",
                     .request = Object({{"password", Type("string")}}, {"password"}),
                     .success = 204,
                     .also = std::pair{202, boost::json::value(Ref("PendingChange"))}},
                    [&ctx](http::Request& r, const Caller& c) { return ResetPassword(ctx, r, c); });
}

}  // namespace oc::api
