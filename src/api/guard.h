#pragma once
// The one gate every protected API route goes through: it resolves the session cookie, checks the
// CSRF token on state-changing requests, checks the route's permission, and audits every refusal
// (permission denied, bad CSRF token). Modules register their routes through Guard::Protect and
// never read cookies or check roles themselves.
//
// Records outside a caller's data scope are answered 404, like records that do not exist; a
// user who gets many such answers for record ids is probing, and the guard audits it
// ("security.scope_probe") each time the count within the window reaches the threshold — the
// rate, not every single 404.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/rate_limiter.h"
#include "auth/session_service.h"
#include "http/router.h"
#include "storage/db.h"

namespace oc::api {

inline constexpr std::string_view kSessionCookie = "oc_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct CookieOptions {
  bool secure = false;  // set Secure: the deployment terminates TLS in front of us
};

// Record lookups answered 404 per user that count as probing.
inline constexpr auth::RateLimit kScopeProbes{
    .bucket = "record_not_found", .max_events = 20, .window = std::chrono::minutes(10)};

// What a protected handler knows about the caller.
struct Caller {
  const auth::Principal& principal;
  const auth::Session& session;
  std::string_view token;
  audit::Actor actor;
};

using ProtectedHandler = std::function<http::Response(http::Request&, const Caller&)>;

struct Protection {
  std::optional<auth::Permission> permission;  // none: any signed-in user
  // Admits, instead of `permission`, a caller holding this one; the handler's service then
  // decides what the caller may do with it (customer.classify patches two fields only).
  std::optional<auth::Permission> alternative;
  // Users who must change their password may still reach this route (me, password, logout).
  bool allowed_before_password_change = false;
};

class Guard {
 public:
  Guard(auth::SessionService& sessions, audit::AuditLog& audit, storage::Db& db, const Clock& clock,
        CookieOptions cookies)
      : sessions_(sessions), audit_(audit), db_(db), limiter_(clock), cookies_(cookies) {}

  // The endpoint for a protected route: its admission check refuses, before the body is read,
  // whatever the handler would refuse (no or an ended session, a bad CSRF token, a missing
  // permission), and the handler then runs with the admitted caller.
  http::Endpoint Protect(Protection protection, ProtectedHandler handler) const;

  // Set-Cookie values for a new session and for signing out.
  std::string SessionCookie(std::string_view token, std::chrono::seconds max_age) const;
  std::string ClearedSessionCookie() const;

 private:
  // Every check of Protect, in order. The refusal, or nullopt after leaving the admitted session
  // in request.context.
  std::optional<http::Response> Admit(http::Request& request, const Protection& protection) const;
  http::Response Refuse(const http::Request& request, const auth::Principal* principal,
                        audit::Action action, std::string detail, http::Response response) const;
  // Counts a record lookup answered 404 and audits the user once their count reaches
  // kScopeProbes.
  void CountNotFound(const http::Request& request, const auth::Principal& principal) const;

  auth::SessionService& sessions_;
  audit::AuditLog& audit_;
  storage::Db& db_;
  auth::RateLimiter limiter_;
  CookieOptions cookies_;
};

}  // namespace oc::api
