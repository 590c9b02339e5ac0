#include "api/auth_handlers.h"

#include <boost/json.hpp>
#include <cstdio>
#include <string>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

// Anyone may send a sign-in, so its body is kept to what a username and a password need.
constexpr size_t kLoginBodyLimit = 4 * 1024;

auth::ClientInfo ClientOf(const http::Request& request) {
  auto agent = request.Header("User-Agent");
  return {request.request_id, request.remote_ip, agent ? std::string(*agent) : std::string()};
}

// "+08:00": the business zone as the browser's date formatting takes it.
std::string UtcOffset(const TimeZone& zone) {
  const int minutes = zone.utc_offset_minutes();
  const int magnitude = minutes < 0 ? -minutes : minutes;
  char text[8];
  std::snprintf(text, sizeof text, "%c%02d:%02d", minutes < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return text;
}

boost::json::object SessionJson(const auth::Session& session, const TimeZone& zone) {
  boost::json::object body;
  body["csrf_token"] = session.csrf_token;
  body["user"] = PrincipalJson(*session.principal);
  body["must_change_password"] = session.must_change_password;
  body["expires_at"] = FormatInstant(session.expires_at);
  body["time_zone"] = UtcOffset(zone);
  return body;
}

}  // namespace

boost::json::object PrincipalJson(const auth::Principal& p) {
  boost::json::object user;
  user["id"] = p.user_id.value();
  user["username"] = p.username;
  user["display_name"] = p.display_name;
  user["language"] = p.language;
  user["department"] = boost::json::object{{"id", p.department_id.value()},
                                           {"name", p.department_name},
                                           {"path", p.department_path}};
  boost::json::array roles;
  for (const auto& r : p.role_keys) roles.emplace_back(r);
  user["roles"] = std::move(roles);
  boost::json::array permissions;
  for (auth::Permission perm : p.permissions) permissions.emplace_back(auth::PermissionName(perm));
  user["permissions"] = std::move(permissions);
  boost::json::object scopes;
  for (const auto& [entity, scope] : p.scopes) scopes[entity] = auth::DataScopeName(scope);
  user["scopes"] = std::move(scopes);
  return user;
}

void AddAuthRoutes(http::Router& router, const ApiContext& ctx) {
  AddPublicRoute(router, http::Method::kPost, "/api/v1/auth/login",
                 {.id = "login",
                  .tag = "auth",
                  .summary = "Sign in; sets the session cookie",
                  .request = Object({{"username", Type("string")}, {"password", Type("string")}},
                                    {"username", "password"}),
                  .response = Ref("Session")},
                 [&ctx](http::Request& request) {
                   auto body = http::ParseJsonBody(request);
                   if (!body) return body.error();
                   JsonReader reader(*body);
                   auto username = reader.String("username", true, 256);
                   auto password = reader.String("password", true, 1024);
                   if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);

                   auto login = ctx.sessions.Login(*username, *password, ClientOf(request));
                   if (!login) return ErrorResponse(login.error(), request);
                   http::Response response =
                       http::JsonResponse(200, SessionJson(login->session, ctx.zone));
                   response.Set("Set-Cookie",
                                ctx.guard.SessionCookie(
                                    login->token, std::chrono::duration_cast<std::chrono::seconds>(
                                                      ctx.sessions.options().absolute_timeout)));
                   return response;
                 },
                 {.max_body_bytes = kLoginBodyLimit});

  AddProtectedRoute(router, ctx.guard, http::Method::kPost, "/api/v1/auth/logout",
                    {.allowed_before_password_change = true},
                    {.id = "logout", .tag = "auth", .summary = "Sign out", .success = 204},
                    [&ctx](http::Request& request, const Caller& caller) {
                      auto s = ctx.sessions.Logout(caller.token, ClientOf(request));
                      if (!s) return ErrorResponse(s.error(), request);
                      http::Response response = NoContent();
                      response.Set("Set-Cookie", ctx.guard.ClearedSessionCookie());
                      return response;
                    });

  AddProtectedRoute(router, ctx.guard, http::Method::kGet, "/api/v1/auth/me",
                    {.allowed_before_password_change = true},
                    {.id = "getMe",
                     .tag = "auth",
                     .summary = "The signed-in user and the CSRF token",
                     .response = Ref("Session")},
                    [&ctx](http::Request&, const Caller& caller) {
                      return http::JsonResponse(200, SessionJson(caller.session, ctx.zone));
                    });

  // Self-service preferences: today the interface language, remembered per user.
  AddProtectedRoute(router, ctx.guard, http::Method::kPatch, "/api/v1/auth/me",
                    {.allowed_before_password_change = true},
                    {.id = "updateMe",
                     .tag = "auth",
                     .summary = "Change own preferences (language)",
                     .request = Object({{"language", Type("string")}}, {"language"}),
                     .response = Ref("Session")},
                    [&ctx](http::Request& request, const Caller& caller) {
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auto language = reader.String("language", true, 16);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      auto user = ctx.organization.GetUser(caller.principal.user_id);
                      if (!user) return ErrorResponse(user.error(), request);
                      auto updated = ctx.organization.UpdateUser(
                          caller.actor, user->id, {.language = *language}, user->version);
                      if (!updated) return ErrorResponse(updated.error(), request);
                      auto session = ctx.sessions.Authenticate(caller.token);
                      if (!session) return ErrorResponse(session.error(), request);
                      return http::JsonResponse(200, SessionJson(*session, ctx.zone));
                    });

  AddProtectedRoute(
      router, ctx.guard, http::Method::kPost, "/api/v1/auth/password",
      {.allowed_before_password_change = true},
      {.id = "changePassword",
       .tag = "auth",
       .summary = "Change own password",
       .request = Object({{"current_password", Type("string")}, {"new_password", Type("string")}},
                         {"current_password", "new_password"}),
       .success = 204},
      [&ctx](http::Request& request, const Caller& caller) {
        auto body = http::ParseJsonBody(request);
        if (!body) return body.error();
        JsonReader reader(*body);
        auto current = reader.String("current_password", true, 1024);
        auto next = reader.String("new_password", true, 1024);
        if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
        auto changed = ctx.sessions.ChangePassword(caller.principal, *current, *next, caller.token,
                                                   ClientOf(request));
        if (!changed) return ErrorResponse(changed.error(), request);
        return NoContent();
      });
}

}  // namespace oc::api
