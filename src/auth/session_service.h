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
// Sign-in, logout and password change come in two forms: one that takes part in the caller's
// unit of work (storage/unit_of_work.h), and one that runs in a unit of its own. What a refusal
// records (the failure counted, the lockout, their audit entries) is kept Regardless of the unit;
// what the cache learns waits for the unit's commit. The forms that check a password take it
// checked (CheckSignIn, CheckPasswordChange): verifying and hashing are slow by design, and inside
// a unit they would hold the database's writer, which on SQLite every request shares.
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
#include "storage/unit_of_work.h"

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

// A sign-in checked but not answered yet: made by SessionService::CheckSignIn, for Login. It tells
// nothing by itself; only Login answers it, and counts it when it fails, so that checking cannot
// serve to guess passwords past the lockout.
class SignInAttempt {
 private:
  friend class SessionService;
  enum class Verdict { kThrottled, kUnknownUser, kWrongPassword, kDisabled, kVerified };
  SignInAttempt() = default;

  Verdict verdict_ = Verdict::kUnknownUser;
  std::string username_;  // normalised
  ClientInfo client_;
  std::optional<Error> lockout_;  // kThrottled
  int64_t user_id_ = 0;           // kWrongPassword, kDisabled, kVerified
  bool must_change_password_ = false;
};

// A password change checked but not answered yet, like a SignInAttempt: made by
// SessionService::CheckPasswordChange, for ChangePassword.
class PasswordChangeAttempt {
 private:
  friend class SessionService;
  PasswordChangeAttempt() = default;

  UserId user_id_;
  std::string username_;
  ClientInfo client_;
  bool wrong_current_password_ = false;
  std::optional<Error> refusal_;  // a lockout, or the new password refused
  std::string new_password_hash_;
  std::string keep_token_hash_;
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
  // Answers `attempt` as Login would. The session authenticates once the unit commits; what a
  // refusal records is kept whatever becomes of the unit. An attempt holds the account as it was
  // when checked: answer it once, right after CheckSignIn.
  Result<LoginResult> Login(storage::UnitOfWork& unit, const SignInAttempt& attempt);
  // What Login does before any transaction: the lockout in force, the account, and the password
  // verified (or the same time spent on an unknown username). Errors: storage errors only.
  // REQUIRES: not inside a unit of work on this service's Db.
  Result<SignInAttempt> CheckSignIn(std::string_view username, std::string_view password,
                                    const ClientInfo& client);

  // Ends the session. Unknown or expired tokens are fine (idempotent).
  Status Logout(std::string_view token, const ClientInfo& client);
  // The cache forgets the session once the unit commits.
  Status Logout(storage::UnitOfWork& unit, std::string_view token, const ClientInfo& client);

  // Resolves a session token. Errors: kUnauthenticated (unknown, revoked, expired, disabled).
  Result<Session> Authenticate(std::string_view token);

  // Errors: kInvalidArgument naming current_password when it is wrong (counts as a failed sign-in
  // of the user at the client's address), or naming new_password per the policy or when it
  // equals the current one; kResourceExhausted while the user is locked out at that address.
  // Ends the user's other sessions; `keep_token`'s stays.
  Status ChangePassword(const Principal& principal, std::string_view current_password,
                        std::string_view new_password, std::string_view keep_token,
                        const ClientInfo& client);
  // Answers `attempt` as ChangePassword would; a wrong current password is counted whatever
  // becomes of the unit. Answer an attempt once, right after CheckPasswordChange.
  Status ChangePassword(storage::UnitOfWork& unit, const PasswordChangeAttempt& attempt);
  // What ChangePassword does before any transaction: the lockout in force, the current password
  // verified, the new one checked and hashed. Errors: kUnauthenticated when the user no longer
  // exists; storage errors. REQUIRES: not inside a unit of work on this service's Db.
  Result<PasswordChangeAttempt> CheckPasswordChange(const Principal& principal,
                                                    std::string_view current_password,
                                                    std::string_view new_password,
                                                    std::string_view keep_token,
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

  // A failed sign-in, and how the trail records it.
  struct Failure {
    std::string username;
    ClientInfo client;
    audit::Actor actor;
    std::string entity_id;
    audit::Action action = audit::Action::kAuthLoginFailed;
    std::string detail;
  };
  // Counts `failure` whatever becomes of `unit`, and returns the answer to it: the lockout it
  // brings about, else `refusal`.
  Error RefuseSignIn(storage::UnitOfWork& unit, Failure failure, Error refusal);
  // Counts a failed sign-in and locks the username at the address, or the address, at the limits.
  Status RecordFailure(storage::Tx& tx, const Failure& failure) const;

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
