#pragma once
// Sign-in, sessions and the lockout policy.
//
// Failed sign-ins are counted per username at a client address and per address, never per
// account alone: five wrong passwords for "admin" from one address lock "admin" at that address
// only, so nobody can lock the administrator out from outside, and an address that fails many
// usernames is throttled as a whole. Unknown usernames are counted like existing ones, so the
// answers — "wrong username or password", then "too many failures" — are the same for both
// and tell nobody who exists. A wrong current password on password change counts as a failure.
//
// A session is an opaque random token held by the browser in an HttpOnly cookie; the database
// keeps only its SHA-256, so a leaked database cannot be replayed as sessions. Each session has a
// CSRF token the browser must echo in X-CSRF-Token on every state-changing request. Sessions end
// on logout, after the idle timeout, after the absolute timeout, when the user is disabled or
// their password is reset.
//
// Authenticate() is on the path of every API request, so resolved principals are cached in
// memory for a few seconds (SessionOptions::cache_ttl). Logout and organisation changes on this
// node drop the cache at once; on other nodes a revoked session stops working within cache_ttl.
//
// Thread-safe; blocks on the database and on password hashing: call from worker threads.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "audit/audit_log.h"
#include "auth/organization.h"
#include "auth/password.h"
#include "auth/principal.h"
#include "auth/rate_limiter.h"
#include "core/clock.h"
#include "storage/db.h"

namespace oc::auth {

// The rate limiter's buckets for sign-ins. Subjects: "<username>|<address>" for the first two,
// "<address>" for the last two; an administrator's password reset forgets "<username>|*".
inline constexpr std::string_view kFailedSignIns = "login_failure";
inline constexpr std::string_view kLockedSignIns = "login_lockout";
inline constexpr std::string_view kFailedAddressSignIns = "login_failure_address";
inline constexpr std::string_view kLockedAddresses = "login_lockout_address";

struct SessionOptions {
  int max_failed_logins = 5;               // per username at one client address
  int max_failed_logins_per_address = 30;  // any usernames, one client address
  std::chrono::minutes failure_window{15};
  std::chrono::minutes lockout{15};
  std::chrono::minutes idle_timeout{30};
  std::chrono::minutes absolute_timeout{12 * 60};
  std::chrono::seconds cache_ttl{5};
  PasswordPolicy password_policy;
};

struct Session {
  std::shared_ptr<const Principal> principal;
  std::string csrf_token;
  Instant expires_at;  // the earlier of the idle and the absolute deadline, as of now
  bool must_change_password = false;
};

struct LoginResult {
  std::string token;  // for the cookie; never stored
  Session session;
};

// Where a request came from, for the audit trail and the session record.
struct ClientInfo {
  std::string request_id;
  std::string ip;
  std::string user_agent;
};

class SessionService {
 public:
  SessionService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                 const PasswordHasher& hasher, SessionOptions options);

  // Errors: kUnauthenticated for an unknown user or a wrong password (the same message for both,
  // and the same time spent); kResourceExhausted with retry_after while the username is locked
  // out at the client's address, or the address is — even with the right password, and alike for
  // unknown usernames; kPermissionDenied for a disabled user with the right password. Every
  // failure and every lockout is audited.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const ClientInfo& client);

  // Ends the session. Unknown or expired tokens are fine (idempotent).
  Status Logout(std::string_view token, const ClientInfo& client);

  // Resolves a session token. Errors: kUnauthenticated (unknown, revoked, expired, disabled).
  Result<Session> Authenticate(std::string_view token);

  // Errors: kInvalidArgument naming current_password when it is wrong (counts as a failed sign-in
  // of the user at the client's address), or naming new_password per the policy or when it
  // equals the current one; kResourceExhausted while the user is locked out at that address.
  // Ends the user's other sessions; `keep_token`'s stays.
  Status ChangePassword(const Principal& principal, std::string_view current_password,
                        std::string_view new_password, std::string_view keep_token,
                        const ClientInfo& client);

  // The principal of an active user as a session would carry it, for work done on a user's
  // behalf without a session (demo data, scheduled jobs). Errors: kUnauthenticated when the user
  // does not exist or is disabled.
  Result<std::shared_ptr<const Principal>> PrincipalOf(UserId id);

  // Drops every cached principal; called after organisation changes.
  void InvalidateCache();

  // Deletes the sessions that can no longer be used (past their absolute end, or idle longer
  // than the idle timeout): housekeeping, run in the background, never by a request.
  Status PurgeExpired();

  const SessionOptions& options() const { return options_; }

 private:
  struct CachedSession {
    Session session;
    int64_t user_id;
    Instant last_seen;     // as stored
    Instant absolute_end;
    Instant cached_at;
  };

  Result<std::shared_ptr<const Principal>> LoadPrincipal(storage::Tx& tx, UserId id);
  Result<Session> AuthenticateUncached(const std::string& token_hash);
  // The lockout in force for `username` at the client's address, or for the address.
  Result<std::optional<Error>> Throttled(std::string_view username, const ClientInfo& client);
  // Counts a failed sign-in (audited with `actor` and `detail`); returns the lockout it brings
  // about, if any.
  Result<std::optional<Error>> RecordFailure(std::string_view username, const ClientInfo& client,
                                             const audit::Actor& actor, std::string entity_id,
                                             audit::Action action, std::string detail);

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const PasswordHasher& hasher_;
  SessionOptions options_;
  RateLimiter limiter_;

  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;  // by token hash
};

}  // namespace oc::auth
