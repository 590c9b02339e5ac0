#include "auth/session_service.h"

#include <algorithm>
#include <cctype>

#include "crypto/digest.h"
#include "crypto/random.h"

namespace oc::auth {

namespace {

using storage::Tx;

// A session's last_seen is written at most this often: every request would otherwise be a write.
constexpr std::chrono::seconds kTouchInterval{60};

Error WrongCredentials() {
  return MakeError(ErrorCode::kUnauthenticated,
                   {"用户名或密码错误", "Incorrect username or password"});
}

Error SessionExpired() {
  return MakeError(ErrorCode::kUnauthenticated,
                   {"登录已失效，请重新登录", "Your session has ended; please sign in again"});
}

Error LockedOut(std::chrono::seconds wait) {
  const std::string m = std::to_string(std::max<int64_t>(1, (wait.count() + 59) / 60));
  Error e = MakeError(ErrorCode::kResourceExhausted,
                      {"登录失败次数过多，已暂时锁定，请 " + m + " 分钟后再试",
                       "Too many failed sign-ins: locked for now; try again in " + m + " minutes"});
  e.retry_after = std::max(wait, std::chrono::seconds(1));
  return e;
}

std::string NormalizeUsername(std::string_view username) {
  std::string out;
  for (char c : username) {
    if (c != ' ' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

audit::Actor ActorFor(std::optional<int64_t> user_id, std::string username,
                      const ClientInfo& client) {
  return audit::Actor{.user_id = user_id,
                      .username = std::move(username),
                      .request_id = client.request_id,
                      .client_ip = client.ip};
}

std::string TokenHash(std::string_view token) { return crypto::Sha256Hex(token); }

// Attempted usernames go into the trail; cap them so the trail cannot be flooded through it.
std::string Truncated(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

}  // namespace

SessionService::SessionService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                               const PasswordHasher& hasher, SessionOptions options)
    : db_(db),
      clock_(clock),
      audit_(audit),
      hasher_(hasher),
      options_(std::move(options)),
      limiter_(clock) {}

namespace {

std::string AccountSubject(std::string_view username, const ClientInfo& client) {
  return std::string(username) + "|" + client.ip;
}

}  // namespace

Result<std::optional<Error>> SessionService::Throttled(std::string_view username,
                                                       const ClientInfo& client) {
  const RateLimit account_lock{kLockedSignIns, 1, options_.lockout};
  const RateLimit address_lock{kLockedAddresses, 1, options_.lockout};
  return db_.ReadValue<std::optional<Error>>([&](Tx& tx) -> Result<std::optional<Error>> {
    ASSIGN_OR_RETURN(auto account,
                     limiter_.RetryAfter(tx, account_lock, AccountSubject(username, client)));
    ASSIGN_OR_RETURN(auto address, limiter_.RetryAfter(tx, address_lock, client.ip));
    if (!account && !address) return std::optional<Error>();
    return std::optional<Error>(LockedOut(std::max(account.value_or(std::chrono::seconds(0)),
                                                   address.value_or(std::chrono::seconds(0)))));
  });
}

Status SessionService::RecordFailure(Tx& tx, const Failure& failure) const {
  const RateLimit failures{kFailedSignIns, options_.max_failed_logins, options_.failure_window};
  const RateLimit address_failures{kFailedAddressSignIns, options_.max_failed_logins_per_address,
                                   options_.failure_window};
  const RateLimit account_lock{kLockedSignIns, 1, options_.lockout};
  const RateLimit address_lock{kLockedAddresses, 1, options_.lockout};
  const ClientInfo& client = failure.client;
  const audit::Actor& actor = failure.actor;
  const std::string subject = AccountSubject(failure.username, client);
  const std::string window = std::to_string(options_.failure_window.count()) + " minutes";
  ASSIGN_OR_RETURN(int64_t failed, limiter_.Record(tx, failures, subject));
  ASSIGN_OR_RETURN(int64_t failed_here, limiter_.Record(tx, address_failures, client.ip));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = failure.action,
                                 .entity_type = "user",
                                 .entity_id = failure.entity_id,
                                 .detail = failure.detail}));
  if (failed >= options_.max_failed_logins) {
    RETURN_IF_ERROR(limiter_.Record(tx, account_lock, subject));
    RETURN_IF_ERROR(limiter_.Forget(tx, kFailedSignIns, subject));
    RETURN_IF_ERROR(audit_.Append(
        tx, actor,
        {.action = audit::Action::kAuthLockout,
         .entity_type = "user",
         .entity_id = failure.entity_id,
         .detail = std::to_string(failed) + " failed sign-ins as " +
                   Truncated(failure.username, 64) + " from " + client.ip + " within " + window}));
  }
  if (failed_here >= options_.max_failed_logins_per_address) {
    RETURN_IF_ERROR(limiter_.Record(tx, address_lock, client.ip));
    RETURN_IF_ERROR(limiter_.Forget(tx, kFailedAddressSignIns, client.ip));
    RETURN_IF_ERROR(
        audit_.Append(tx, actor,
                      {.action = audit::Action::kAuthAddressLockout,
                       .detail = std::to_string(failed_here) + " failed sign-ins from " +
                                 client.ip + " within " + window}));
  }
  return Ok();
}

Error SessionService::RefuseSignIn(storage::UnitOfWork& unit, Failure failure, Error refusal) {
  const RateLimit failures{kFailedSignIns, options_.max_failed_logins, options_.failure_window};
  const RateLimit address_failures{kFailedAddressSignIns, options_.max_failed_logins_per_address,
                                   options_.failure_window};
  const std::string subject = AccountSubject(failure.username, failure.client);
  const std::string ip = failure.client.ip;
  unit.Regardless(
      [this, failure = std::move(failure)](Tx& tx) { return RecordFailure(tx, failure); });
  // The answer follows the counts the unit sees, the lockout those when the failure is counted:
  // they differ only when sign-ins race, and then the failure that reaches the limit still locks.
  auto failed = limiter_.Count(unit.tx(), failures, subject);
  if (!failed) return failed.error();
  auto failed_here = limiter_.Count(unit.tx(), address_failures, ip);
  if (!failed_here) return failed_here.error();
  if (*failed + 1 >= options_.max_failed_logins ||
      *failed_here + 1 >= options_.max_failed_logins_per_address) {
    return LockedOut(options_.lockout);
  }
  return refusal;
}

Result<LoginResult> SessionService::Login(std::string_view username, std::string_view password,
                                          const ClientInfo& client) {
  ASSIGN_OR_RETURN(SignInAttempt attempt, CheckSignIn(username, password, client));
  return storage::UnitOfWork::RunValue<LoginResult>(
      db_, [&](storage::UnitOfWork& unit) { return Login(unit, attempt); });
}

Result<SignInAttempt> SessionService::CheckSignIn(std::string_view raw_username,
                                                  std::string_view password,
                                                  const ClientInfo& client) {
  SignInAttempt attempt;
  attempt.username_ = Truncated(NormalizeUsername(raw_username), 64);
  attempt.client_ = client;
  const std::string& username = attempt.username_;
  const bool plausible = !username.empty() && NormalizeUsername(raw_username).size() <= 64 &&
                         !password.empty() &&
                         password.size() <= options_.password_policy.max_length * 4;
  // Locked or not, the answer does not depend on whether the username exists.
  ASSIGN_OR_RETURN(attempt.lockout_, Throttled(username, client));
  if (attempt.lockout_) {
    attempt.verdict_ = SignInAttempt::Verdict::kThrottled;
    return attempt;
  }
  struct Account {
    int64_t id;
    std::string password_hash;
    std::string status;
    bool must_change_password;
  };
  std::optional<Account> account;
  if (plausible) {
    ASSIGN_OR_RETURN(
        account,
        db_.ReadValue<std::optional<Account>>([&](Tx& tx) -> Result<std::optional<Account>> {
          ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, password_hash, status, "
                                                 "must_change_password FROM users WHERE "
                                                 "username = ?",
                                                 {username}));
          if (!row) return std::optional<Account>();
          return std::optional<Account>(Account{row->Int("id"), row->Text("password_hash"),
                                                row->Text("status"),
                                                row->Bool("must_change_password")});
        }));
  }
  if (!account) {
    // The same work as a wrong password, so that timing tells nothing either.
    hasher_.VerifyDummy(password);
    attempt.verdict_ = SignInAttempt::Verdict::kUnknownUser;
    return attempt;
  }
  attempt.user_id_ = account->id;
  attempt.must_change_password_ = account->must_change_password;
  if (!hasher_.Verify(password, account->password_hash)) {
    attempt.verdict_ = SignInAttempt::Verdict::kWrongPassword;
  } else if (UserStatusFromName(account->status) != UserStatus::kActive) {
    attempt.verdict_ = SignInAttempt::Verdict::kDisabled;
  } else {
    attempt.verdict_ = SignInAttempt::Verdict::kVerified;
  }
  return attempt;
}

Result<LoginResult> SessionService::Login(storage::UnitOfWork& unit, const SignInAttempt& attempt) {
  using Verdict = SignInAttempt::Verdict;
  const std::string& username = attempt.username_;
  const ClientInfo& client = attempt.client_;
  if (attempt.verdict_ == Verdict::kThrottled) {
    unit.Regardless([this, actor = ActorFor(std::nullopt, "", client), username](Tx& tx) {
      return audit_.Append(tx, actor,
                           {.action = audit::Action::kAuthLoginLocked,
                            .entity_type = "user",
                            .detail = "sign-in as " + username + " refused while locked"});
    });
    return *attempt.lockout_;
  }
  if (attempt.verdict_ == Verdict::kUnknownUser) {
    return RefuseSignIn(unit,
                        {.username = username,
                         .client = client,
                         .actor = ActorFor(std::nullopt, "", client),
                         .action = audit::Action::kAuthLoginFailed,
                         .detail = "unknown username: " + username},
                        WrongCredentials());
  }
  audit::Actor actor = ActorFor(attempt.user_id_, username, client);
  std::string user_id_text = std::to_string(attempt.user_id_);
  if (attempt.verdict_ == Verdict::kWrongPassword) {
    return RefuseSignIn(unit,
                        {.username = username,
                         .client = client,
                         .actor = actor,
                         .entity_id = user_id_text,
                         .action = audit::Action::kAuthLoginFailed,
                         .detail = "wrong password"},
                        WrongCredentials());
  }
  if (attempt.verdict_ == Verdict::kDisabled) {
    unit.Regardless([this, actor, user_id_text](Tx& tx) {
      return audit_.Append(tx, actor,
                           {.action = audit::Action::kAuthLoginFailed,
                            .entity_type = "user",
                            .entity_id = user_id_text,
                            .detail = "account disabled"});
    });
    return MakeError(ErrorCode::kPermissionDenied,
                     {"账号已停用，请联系管理员", "This account is disabled; contact an "
                                                  "administrator"});
  }

  Instant now = clock_.Now();
  std::string token = crypto::RandomToken(32);
  std::string csrf = crypto::RandomToken(24);
  std::string token_hash = TokenHash(token);
  Instant absolute_end = now + options_.absolute_timeout;
  Tx& tx = unit.tx();
  int64_t now_us = ToUnixMicros(now);
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_us, last_seen_us, "
      "expires_at_us, revoked, client_ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
      {token_hash, attempt.user_id_, csrf, now_us, now_us, ToUnixMicros(absolute_end),
       Truncated(client.ip, 64), Truncated(client.user_agent, 256)}));
  RETURN_IF_ERROR(limiter_.Forget(tx, kFailedSignIns, AccountSubject(username, client)));
  RETURN_IF_ERROR(audit_.Append(
      tx, actor,
      {.action = audit::Action::kAuthLogin, .entity_type = "user", .entity_id = user_id_text}));
  ASSIGN_OR_RETURN(std::shared_ptr<const Principal> principal,
                   LoadPrincipal(tx, UserId(attempt.user_id_)));

  Session session{principal, csrf, std::min(now + options_.idle_timeout, absolute_end),
                  attempt.must_change_password_};
  // A session whose unit never commits must not authenticate from the cache either.
  unit.AfterCommit([this, token_hash,
                    cached = CachedSession{session, attempt.user_id_, now, absolute_end, now}] {
    std::lock_guard lock(cache_mu_);
    cache_[token_hash] = cached;
  });
  return LoginResult{std::move(token), std::move(session)};
}

Status SessionService::Logout(std::string_view token, const ClientInfo& client) {
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return Logout(unit, token, client); });
}

Status SessionService::Logout(storage::UnitOfWork& unit, std::string_view token,
                              const ClientInfo& client) {
  std::string token_hash = TokenHash(token);
  // Dropped once the revocation has committed, not before: a request in between would cache the
  // session again from the row not yet revoked.
  unit.AfterCommit([this, token_hash] {
    std::lock_guard lock(cache_mu_);
    cache_.erase(token_hash);
  });
  Tx& tx = unit.tx();
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT s.user_id, u.username FROM sessions s JOIN "
                                         "users u ON u.id = s.user_id WHERE s.token_hash = ? "
                                         "AND s.revoked = 0",
                                         {token_hash}));
  if (!row) return Ok();
  RETURN_IF_ERROR(tx.Execute("UPDATE sessions SET revoked = 1 WHERE token_hash = ?", {token_hash}));
  return audit_.Append(tx, ActorFor(row->Int(0), row->Text(1), client),
                       {.action = audit::Action::kAuthLogout,
                        .entity_type = "user",
                        .entity_id = std::to_string(row->Int(0))});
}

Result<Session> SessionService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 128) return SessionExpired();
  std::string token_hash = TokenHash(token);
  Instant now = clock_.Now();
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(token_hash);
    if (it != cache_.end()) {
      const CachedSession& c = it->second;
      Instant idle_end = c.last_seen + options_.idle_timeout;
      if (now - c.cached_at < options_.cache_ttl && now < idle_end && now < c.absolute_end) {
        Session s = c.session;
        s.expires_at = std::min(idle_end, c.absolute_end);
        return s;
      }
      cache_.erase(it);
    }
  }
  return AuthenticateUncached(token_hash);
}

Result<Session> SessionService::AuthenticateUncached(const std::string& token_hash) {
  Instant now = clock_.Now();
  struct Stored {
    int64_t user_id;
    std::string csrf;
    Instant last_seen;
    Instant absolute_end;
    bool must_change_password;
    std::shared_ptr<const Principal> principal;
  };
  ASSIGN_OR_RETURN(auto stored, db_.ReadValue<std::optional<Stored>>(
                                    [&](Tx& tx) -> Result<std::optional<Stored>> {
                                      ASSIGN_OR_RETURN(
                                          auto row,
                                          tx.QueryOne(
                                              "SELECT s.user_id, s.csrf_token, s.last_seen_us, "
                                              "s.expires_at_us, u.must_change_password FROM "
                                              "sessions s JOIN users u ON u.id = s.user_id "
                                              "WHERE s.token_hash = ? AND s.revoked = 0 AND "
                                              "u.status = 'active'",
                                              {token_hash}));
                                      if (!row) return std::optional<Stored>();
                                      Stored s{row->Int(0), row->Text(1),
                                               FromUnixMicros(row->Int(2)),
                                               FromUnixMicros(row->Int(3)), row->Bool(
                                                   "must_change_password"),
                                               nullptr};
                                      ASSIGN_OR_RETURN(s.principal,
                                                       LoadPrincipal(tx, UserId(s.user_id)));
                                      return std::optional<Stored>(std::move(s));
                                    }));
  if (!stored) return SessionExpired();
  Instant idle_end = stored->last_seen + options_.idle_timeout;
  if (now >= idle_end || now >= stored->absolute_end) return SessionExpired();

  Instant last_seen = stored->last_seen;
  if (now - stored->last_seen >= kTouchInterval) {
    RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      RETURN_IF_ERROR(tx.Execute("UPDATE sessions SET last_seen_us = ? WHERE token_hash = ?",
                                 {ToUnixMicros(now), token_hash}));
      return Ok();
    }));
    last_seen = now;
  }
  Session session{stored->principal, stored->csrf,
                  std::min(last_seen + options_.idle_timeout, stored->absolute_end),
                  stored->must_change_password};
  std::lock_guard lock(cache_mu_);
  cache_[token_hash] =
      CachedSession{session, stored->user_id, last_seen, stored->absolute_end, now};
  return session;
}

Status SessionService::ChangePassword(const Principal& principal,
                                      std::string_view current_password,
                                      std::string_view new_password, std::string_view keep_token,
                                      const ClientInfo& client) {
  ASSIGN_OR_RETURN(
      PasswordChangeAttempt attempt,
      CheckPasswordChange(principal, current_password, new_password, keep_token, client));
  return storage::UnitOfWork::Run(
      db_, [&](storage::UnitOfWork& unit) { return ChangePassword(unit, attempt); });
}

Result<PasswordChangeAttempt> SessionService::CheckPasswordChange(const Principal& principal,
                                                                  std::string_view current_password,
                                                                  std::string_view new_password,
                                                                  std::string_view keep_token,
                                                                  const ClientInfo& client) {
  PasswordChangeAttempt attempt;
  attempt.user_id_ = principal.user_id;
  attempt.username_ = principal.username;
  attempt.client_ = client;
  attempt.keep_token_hash_ = TokenHash(keep_token);
  int64_t user_id = principal.user_id.value();
  ASSIGN_OR_RETURN(attempt.refusal_, Throttled(principal.username, client));
  if (attempt.refusal_) return attempt;
  ASSIGN_OR_RETURN(auto stored_hash, db_.ReadValue<std::string>([&](Tx& tx) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto row,
                     tx.QueryOne("SELECT password_hash FROM users WHERE id = ?", {user_id}));
    if (!row) return SessionExpired();
    return row->Text(0);
  }));
  if (!hasher_.Verify(current_password, stored_hash)) {
    attempt.wrong_current_password_ = true;
    return attempt;
  }
  if (auto strong = CheckPasswordStrength(new_password, principal.username,
                                          options_.password_policy, "new_password");
      !strong) {
    attempt.refusal_ = std::move(strong).error();
    return attempt;
  }
  if (current_password == new_password) {
    attempt.refusal_ = InvalidField(
        "new_password", "unchanged",
        {"新密码不能与当前密码相同", "The new password must differ from the current one"});
    return attempt;
  }
  attempt.new_password_hash_ = hasher_.Hash(new_password);
  return attempt;
}

Status SessionService::ChangePassword(storage::UnitOfWork& unit,
                                      const PasswordChangeAttempt& attempt) {
  if (attempt.refusal_) return *attempt.refusal_;
  int64_t user_id = attempt.user_id_.value();
  audit::Actor actor = ActorFor(user_id, attempt.username_, attempt.client_);
  if (attempt.wrong_current_password_) {
    // Guessing the password through the change form is guessing it through the sign-in.
    return RefuseSignIn(unit,
                        {.username = attempt.username_,
                         .client = attempt.client_,
                         .actor = actor,
                         .entity_id = std::to_string(user_id),
                         .action = audit::Action::kAuthPasswordChangeFailed,
                         .detail = "wrong current password"},
                        InvalidField("current_password", "incorrect",
                                     {"当前密码不正确", "The current password is incorrect"}));
  }
  Instant now = clock_.Now();
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(
      tx.Execute("UPDATE users SET password_hash = ?, must_change_password = 0, "
                 "password_changed_at_us = ?, version = version + 1, "
                 "updated_at_us = ? WHERE id = ?",
                 {attempt.new_password_hash_, ToUnixMicros(now), ToUnixMicros(now), user_id}));
  RETURN_IF_ERROR(
      tx.Execute("UPDATE sessions SET revoked = 1 WHERE user_id = ? AND "
                 "token_hash <> ?",
                 {user_id, attempt.keep_token_hash_}));
  RETURN_IF_ERROR(
      audit_.Append(tx, actor,
                    {.action = audit::Action::kAuthPasswordChange,
                     .entity_type = "user",
                     .entity_id = std::to_string(user_id),
                     .changes = {{"password", "old", "new", audit::Sensitivity::kSecret}}}));
  unit.AfterCommit([this] { InvalidateCache(); });
  return Ok();
}

Result<std::shared_ptr<const Principal>> SessionService::PrincipalOf(UserId id) {
  return db_.ReadValue<std::shared_ptr<const Principal>>(
      [&](Tx& tx) -> Result<std::shared_ptr<const Principal>> {
        ASSIGN_OR_RETURN(auto active, tx.QueryOne("SELECT 1 FROM users WHERE id = ? AND status = "
                                                  "'active'",
                                                  {id.value()}));
        if (!active) return SessionExpired();
        return LoadPrincipal(tx, id);
      });
}

void SessionService::InvalidateCache() {
  std::lock_guard lock(cache_mu_);
  cache_.clear();
}

Result<std::shared_ptr<const Principal>> SessionService::LoadPrincipal(Tx& tx, UserId id) {
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT u.username, u.display_name, u.department_id, "
                                         "u.language, d.path, d.name FROM users u JOIN departments d ON "
                                         "d.id = u.department_id WHERE u.id = ?",
                                         {id.value()}));
  if (!row) return SessionExpired();
  auto p = std::make_shared<Principal>();
  p->user_id = id;
  p->username = row->Text(0);
  p->display_name = row->Text(1);
  p->department_id = DepartmentId(row->Int(2));
  p->language = row->Text(3);
  p->department_path = row->Text(4);
  p->department_name = row->Text(5);
  ASSIGN_OR_RETURN(auto roles, tx.Query("SELECT r.role_key FROM user_roles ur JOIN roles r ON "
                                        "r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.id",
                                        {id.value()}));
  for (const auto& r : roles) p->role_keys.push_back(r.Text(0));
  ASSIGN_OR_RETURN(auto perms, tx.Query("SELECT DISTINCT rp.permission FROM user_roles ur JOIN "
                                        "role_permissions rp ON rp.role_id = ur.role_id WHERE "
                                        "ur.user_id = ?",
                                        {id.value()}));
  // A name no longer in the catalogue grants nothing: a permission withdrawn from the code
  // leaves its stored grants behind until an administrator edits the role.
  for (const auto& r : perms) {
    if (auto permission = PermissionFromName(r.Text(0))) p->permissions.insert(*permission);
  }
  ASSIGN_OR_RETURN(auto scopes, tx.Query("SELECT rs.entity, rs.scope FROM user_roles ur JOIN "
                                         "role_scopes rs ON rs.role_id = ur.role_id WHERE "
                                         "ur.user_id = ?",
                                         {id.value()}));
  for (const auto& r : scopes) {
    DataScope scope = DataScopeFromName(r.Text(1)).value_or(DataScope::kOwn);
    auto [it, inserted] = p->scopes.emplace(r.Text(0), scope);
    // Several roles: the widest scope wins (the enum is ordered narrowest first).
    if (!inserted && scope > it->second) it->second = scope;
  }
  return std::shared_ptr<const Principal>(std::move(p));
}

Status SessionService::PurgeExpired() {
  const int64_t now = ToUnixMicros(clock_.Now());
  const int64_t idle_since = now - std::chrono::microseconds(options_.idle_timeout).count();
  return db_.Write([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("DELETE FROM sessions WHERE expires_at_us < ? OR last_seen_us < ?",
                               {now, idle_since}));
    return Ok();
  });
}

}  // namespace oc::auth
