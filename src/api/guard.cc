#include "api/guard.h"

#include <spdlog/spdlog.h>

#include "api/conventions.h"
#include "crypto/digest.h"
#include "http/json.h"

namespace oc::api {

namespace {

// What the admission check leaves for the handler.
struct AdmittedSession {
  auth::Session session;
  std::string token;
};

}  // namespace

std::optional<http::Response> Guard::Admit(http::Request& request,
                                           const Protection& protection) const {
  auto token = request.Cookie(kSessionCookie);
  if (!token) {
    return http::ProblemResponse(401, "unauthenticated", {"请先登录", "Please sign in first"},
                                 request);
  }
  auto session = sessions_.Authenticate(*token);
  if (!session) {
    http::Response response = ErrorResponse(session.error(), request);
    response.Set("Set-Cookie", ClearedSessionCookie());
    return response;
  }
  const auth::Principal& principal = *session->principal;
  if (request.IsStateChanging()) {
    auto csrf = request.Header(kCsrfHeader);
    if (!csrf || !crypto::ConstantTimeEquals(*csrf, session->csrf_token)) {
      return Refuse(request, &principal, audit::Action::kSecurityCsrfRejected,
                    std::string(http::MethodName(request.method)) + " " + request.path,
                    http::ProblemResponse(403, "csrf_token_invalid",
                                          {"缺少或无效的 CSRF 令牌，请刷新页面后重试",
                                           "Missing or invalid CSRF token; reload the page "
                                           "and try again"},
                                          request));
    }
  }
  if (session->must_change_password && !protection.allowed_before_password_change) {
    return http::ProblemResponse(403, "password_change_required",
                                 {"请先修改密码", "You must change your password first"}, request);
  }
  if (protection.permission &&
      !(protection.alternative && principal.Has(*protection.alternative))) {
    if (auto allowed = principal.Require(*protection.permission); !allowed) {
      return Refuse(request, &principal, audit::Action::kPermissionDenied,
                    std::string(http::MethodName(request.method)) + " " + request.path +
                        " requires " + std::string(auth::PermissionName(*protection.permission)),
                    ErrorResponse(allowed.error(), request));
    }
  }
  request.context = AdmittedSession{std::move(*session), std::move(*token)};
  return std::nullopt;
}

http::Endpoint Guard::Protect(Protection protection, ProtectedHandler handler) const {
  auto admit = [this, protection](http::Request& request) { return Admit(request, protection); };
  auto handle = [this, protection = std::move(protection),
                 handler = std::move(handler)](http::Request& request) -> http::Response {
    // Requests without a body were not admitted before they arrived here.
    if (!std::any_cast<AdmittedSession>(&request.context)) {
      if (auto refused = Admit(request, protection)) return std::move(*refused);
    }
    const auto& admitted = std::any_cast<const AdmittedSession&>(request.context);
    const auth::Principal& principal = *admitted.session.principal;
    Caller caller{principal, admitted.session, admitted.token, ActorOf(request, &principal)};
    http::Response response = handler(request, caller);
    if (response.status == 404 && !request.path_params.empty()) CountNotFound(request, principal);
    return response;
  };
  return {std::move(handle), std::move(admit)};
}

http::Response Guard::Refuse(const http::Request& request, const auth::Principal* principal,
                             audit::Action action, std::string detail,
                             http::Response response) const {
  auto status = db_.Write([&](storage::Tx& tx) {
    return audit_.Append(tx, ActorOf(request, principal),
                         {.action = action, .detail = std::move(detail)});
  });
  if (!status) {
    spdlog::error("could not audit a refused request {}: {}", request.request_id,
                  status.error().internal_detail);
  }
  return response;
}

void Guard::CountNotFound(const http::Request& request, const auth::Principal& principal) const {
  const std::string subject = "user:" + std::to_string(principal.user_id.value());
  auto counted = db_.Write([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t count, limiter_.Record(tx, kScopeProbes, subject));
    if (count != kScopeProbes.max_events) return Ok();
    return audit_.Append(
        tx, ActorOf(request, &principal),
        {.action = audit::Action::kSecurityScopeProbe,
         .detail = std::to_string(count) + " record lookups not found within " +
                   std::to_string(kScopeProbes.window.count() / 60) + " minutes; the last: " +
                   std::string(http::MethodName(request.method)) + " " + request.path});
  });
  if (!counted) {
    spdlog::error("could not count a record not found for {}: {}", request.request_id,
                  counted.error().internal_detail);
  }
}

std::string Guard::SessionCookie(std::string_view token, std::chrono::seconds max_age) const {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(max_age.count());
  if (cookies_.secure) cookie += "; Secure";
  return cookie;
}

std::string Guard::ClearedSessionCookie() const {
  std::string cookie = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (cookies_.secure) cookie += "; Secure";
  return cookie;
}

}  // namespace oc::api
