#pragma once
// Sign-in, sessions and the lockout policy.
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
#include "core/clock.h"
#include "storage/db.h"

namespace oc::auth {

struct SessionOptions {
  int max_failed_logins = 5;
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
  // and the same time spent); kResourceExhausted with retry_after while the user is locked out —
  // even with the right password; kPermissionDenied for a disabled user with the right password.
  // Every failure and every lockout is audited.
  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            const ClientInfo& client);

  // Ends the session. Unknown or expired tokens are fine (idempotent).
  Status Logout(std::string_view token, const ClientInfo& client);

  // Resolves a session token. Errors: kUnauthenticated (unknown, revoked, expired, disabled).
  Result<Session> Authenticate(std::string_view token);

  // Errors: kUnauthenticated when `current_password` is wrong (counts as a failed login),
  // kInvalidArgument on new_password per the policy or when it equals the current one.
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

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const PasswordHasher& hasher_;
  SessionOptions options_;

  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;  // by token hash
};

}  // namespace oc::auth
