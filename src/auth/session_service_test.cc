#include "auth/session_service.h"

#include <gtest/gtest.h>

#include "auth/auth_test_fixture.h"
#include "storage/unit_of_work.h"

namespace oc::auth {
namespace {

using testing::AuthFixture;
using testing::kAdminPassword;

class SessionServiceTest : public AuthFixture {
 protected:
  // Signs in within a unit that also creates a department, then fails for a reason of its own
  // when the sign-in succeeded; returns the unit's outcome.
  Status SignInWithinAFailingUnit(std::string_view password, std::string* token = nullptr) {
    auto attempt = sessions_->CheckSignIn("admin", password, client_);
    if (!attempt) return attempt.error();
    return storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
      RETURN_IF_ERROR(org_->CreateDepartment(unit, system_, {.name = "临时"}));
      ASSIGN_OR_RETURN(LoginResult login, sessions_->Login(unit, *attempt));
      if (token) *token = login.token;
      return LaterStepFailed();
    });
  }

  static Error LaterStepFailed() {
    return MakeError(ErrorCode::kFailedPrecondition, {"后续步骤失败", "A later step failed"});
  }

  ClientInfo client_{.request_id = "r1", .ip = "10.0.0.8", .user_agent = "test"};
};

TEST_P(SessionServiceTest, LoginReturnsATokenAndTheUsersPermissions) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login) << login.error().message.en_us;
  EXPECT_GE(login->token.size(), 40u);
  EXPECT_FALSE(login->session.csrf_token.empty());
  const Principal& p = *login->session.principal;
  EXPECT_EQ(p.username, "admin");
  EXPECT_TRUE(p.Has(Permission::kUserAdmin));
  EXPECT_EQ(p.ScopeFor("customer"), DataScope::kAll);
  EXPECT_EQ(p.department_path, head_office_.path);
  EXPECT_EQ(CountAudit("auth.login"), 1);
}

TEST_P(SessionServiceTest, UsernameIsCaseInsensitive) {
  EXPECT_TRUE(sessions_->Login(" Admin ", kAdminPassword, client_));
}

TEST_P(SessionServiceTest, TheDatabaseKeepsOnlyAHashOfTheToken) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  auto rows = db_->ReadValue<storage::Rows>([](storage::Tx& tx) {
    return tx.Query("SELECT token_hash FROM sessions");
  });
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_NE((*rows)[0].Text(0), login->token);
}

TEST_P(SessionServiceTest, HousekeepingDeletesOnlySessionsThatCanNoLongerBeUsed) {
  auto count = [&] {
    auto rows = db_->ReadValue<storage::Rows>(
        [](storage::Tx& tx) { return tx.Query("SELECT COUNT(*) FROM sessions"); });
    return rows ? (*rows)[0].Int(0) : -1;
  };
  auto idle = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(idle);
  clock_.Advance(std::chrono::minutes(20));
  auto busy = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(busy);
  clock_.Advance(std::chrono::minutes(15));  // the first is idle past 30 minutes now
  ASSERT_TRUE(sessions_->PurgeExpired());
  EXPECT_EQ(count(), 1);
  EXPECT_TRUE(sessions_->Authenticate(busy->token));
  EXPECT_FALSE(sessions_->Authenticate(idle->token));

  // Signing in no longer sweeps on the side: an expired session stays until housekeeping runs.
  clock_.Advance(std::chrono::hours(13));
  ASSERT_TRUE(sessions_->Login("admin", kAdminPassword, client_));
  EXPECT_EQ(count(), 2);
  ASSERT_TRUE(sessions_->PurgeExpired());
  EXPECT_EQ(count(), 1);
}

TEST_P(SessionServiceTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = sessions_->Login("admin", "not-the-password", client_);
  auto unknown = sessions_->Login("nobody", "not-the-password", client_);
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message.en_us, unknown.error().message.en_us);
  EXPECT_EQ(CountAudit("auth.login_failed"), 2);
}

TEST_P(SessionServiceTest, FiveFailuresLockTheUsernameAtThatAddressEvenForTheRightPassword) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sessions_->Login("admin", "wrong-password", client_).error().code,
              ErrorCode::kUnauthenticated);
  }
  auto fifth = sessions_->Login("admin", "wrong-password", client_);
  EXPECT_EQ(fifth.error().code, ErrorCode::kResourceExhausted);
  auto right = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().code, ErrorCode::kResourceExhausted);
  ASSERT_TRUE(right.error().retry_after);
  EXPECT_GT(right.error().retry_after->count(), 14 * 60);
  EXPECT_NE(right.error().message.en_us.find("15 minutes"), std::string::npos);
  EXPECT_EQ(CountAudit("auth.lockout"), 1);

  clock_.Advance(std::chrono::minutes(15) + std::chrono::seconds(1));
  EXPECT_TRUE(sessions_->Login("admin", kAdminPassword, client_));
}

// Someone outside who fails the administrator's password five times locks "admin" at their own
// address; the administrator, elsewhere, signs in as always.
TEST_P(SessionServiceTest, NobodyLocksTheAdministratorOutFromOutside) {
  ClientInfo outsider{.request_id = "r2", .ip = "203.0.113.7", .user_agent = "curl"};
  for (int i = 0; i < 10; ++i)
    (void)sessions_->Login("admin", "guess-" + std::to_string(i), outsider);
  EXPECT_EQ(sessions_->Login("admin", kAdminPassword, outsider).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_TRUE(sessions_->Login("admin", kAdminPassword, client_));
}

// The answers tell nobody who exists: an unknown username is refused, and then locked, exactly
// like an existing one.
TEST_P(SessionServiceTest, UnknownUsernamesAreRefusedAndLockedExactlyLikeExistingOnes) {
  std::vector<Error> existing;
  std::vector<Error> unknown;
  for (int i = 0; i < 6; ++i) {
    existing.push_back(sessions_->Login("admin", "wrong-password", client_).error());
    unknown.push_back(sessions_->Login("no.such.user", "wrong-password", client_).error());
  }
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(existing[i].code, unknown[i].code);
    EXPECT_EQ(existing[i].message.zh_cn, unknown[i].message.zh_cn);
    EXPECT_EQ(existing[i].message.en_us, unknown[i].message.en_us);
    EXPECT_EQ(existing[i].retry_after.has_value(), unknown[i].retry_after.has_value());
  }
  EXPECT_EQ(existing[3].code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(existing[4].code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(existing[5].code, ErrorCode::kResourceExhausted);
}

// An address that tries many usernames is throttled as a whole; other addresses are not.
TEST_P(SessionServiceTest, AnAddressThatFailsManyUsernamesIsThrottled) {
  SessionService strict(*db_, clock_, audit_, hasher_,
                        SessionOptions{.max_failed_logins_per_address = 6});
  ClientInfo sprayer{.request_id = "r3", .ip = "198.51.100.2", .user_agent = "spray"};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(strict.Login("user" + std::to_string(i), "Password-123", sprayer).error().code,
              ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(strict.Login("user5", "Password-123", sprayer).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(strict.Login("admin", kAdminPassword, sprayer).error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(CountAudit("auth.address_lockout"), 1);
  EXPECT_TRUE(strict.Login("admin", kAdminPassword, client_));
}

// Guessing through the password-change form is guessing through the sign-in.
TEST_P(SessionServiceTest, WrongCurrentPasswordsOnChangeCountTowardsTheLockout) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  const Principal& admin = *login->session.principal;
  for (int i = 0; i < 4; ++i) {
    auto wrong = sessions_->ChangePassword(admin, "guess-" + std::to_string(i),
                                           "Another-Password-2026", login->token, client_);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  }
  auto fifth =
      sessions_->ChangePassword(admin, "guess-5", "Another-Password-2026", login->token, client_);
  EXPECT_EQ(fifth.error().code, ErrorCode::kResourceExhausted);
  auto right = sessions_->ChangePassword(admin, kAdminPassword, "Another-Password-2026",
                                         login->token, client_);
  EXPECT_EQ(right.error().code, ErrorCode::kResourceExhausted) << "locked even when right";
  EXPECT_EQ(sessions_->Login("admin", kAdminPassword, client_).error().code,
            ErrorCode::kResourceExhausted);
}

// An administrator's reset lifts the lockout at every address.
TEST_P(SessionServiceTest, APasswordResetLiftsTheLockout) {
  auto user = AddUser("am.two", branch_.id, {"account_manager"});
  ASSERT_TRUE(user);
  for (int i = 0; i < 5; ++i) (void)sessions_->Login("am.two", "wrong-password", client_);
  EXPECT_EQ(sessions_->Login("am.two", kAdminPassword, client_).error().code,
            ErrorCode::kResourceExhausted);
  ASSERT_TRUE(org_->ResetPassword(system_, user->id, "Reset-By-Admin-2026"));
  EXPECT_TRUE(sessions_->Login("am.two", "Reset-By-Admin-2026", client_));
}

TEST_P(SessionServiceTest, FailuresOutsideTheWindowDoNotCount) {
  for (int i = 0; i < 4; ++i) (void)sessions_->Login("admin", "wrong-password", client_);
  clock_.Advance(std::chrono::minutes(16));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sessions_->Login("admin", "wrong-password", client_).error().code,
              ErrorCode::kUnauthenticated);
  }
  EXPECT_TRUE(sessions_->Login("admin", kAdminPassword, client_));
}

TEST_P(SessionServiceTest, LockoutFiguresAreConfigurable) {
  SessionService strict(*db_, clock_, audit_, hasher_,
                        SessionOptions{.max_failed_logins = 2, .lockout = std::chrono::minutes(1)});
  (void)strict.Login("admin", "wrong-password", client_);
  auto second = strict.Login("admin", "wrong-password", client_);
  EXPECT_EQ(second.error().code, ErrorCode::kResourceExhausted);
  EXPECT_LE(second.error().retry_after->count(), 60);
}

TEST_P(SessionServiceTest, AuthenticateResolvesTheSessionUntilLogout) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  auto session = sessions_->Authenticate(login->token);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->csrf_token, login->session.csrf_token);
  ASSERT_TRUE(sessions_->Logout(login->token, client_));
  EXPECT_EQ(sessions_->Authenticate(login->token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(sessions_->Logout(login->token, client_));  // idempotent
  EXPECT_EQ(CountAudit("auth.logout"), 1);
}

TEST_P(SessionServiceTest, IdleSessionsExpireAndActiveOnesStayAlive) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(std::chrono::minutes(20));
    ASSERT_TRUE(sessions_->Authenticate(login->token)) << "after " << (i + 1) * 20 << " minutes";
  }
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_EQ(sessions_->Authenticate(login->token).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(SessionServiceTest, AbsoluteTimeoutEndsEvenAnActiveSession) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  for (int i = 0; i < 12 * 3; ++i) {
    clock_.Advance(std::chrono::minutes(20));
    auto s = sessions_->Authenticate(login->token);
    if (i < 12 * 3 - 1) ASSERT_TRUE(s) << i;
    else EXPECT_FALSE(s);
  }
}

TEST_P(SessionServiceTest, DisablingAUserEndsTheirSessions) {
  auto user = AddUser("am.one", branch_.id, {"account_manager"});
  ASSERT_TRUE(user);
  auto login = sessions_->Login("am.one", kAdminPassword, client_);
  ASSERT_TRUE(login);
  ASSERT_TRUE(org_->UpdateUser(system_, user->id, {.status = UserStatus::kDisabled},
                               user->version));
  EXPECT_FALSE(sessions_->Authenticate(login->token));
  auto again = sessions_->Login("am.one", kAdminPassword, client_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(SessionServiceTest, ChangingThePasswordKeepsThisSessionAndEndsOthers) {
  auto here = sessions_->Login("admin", kAdminPassword, client_);
  auto elsewhere = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(here && elsewhere);
  const Principal& p = *here->session.principal;
  auto wrong = sessions_->ChangePassword(p, "not-it", "A-brand-new-pass-1", here->token, client_);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field_violations[0].field, "current_password");
  auto weak = sessions_->ChangePassword(p, kAdminPassword, "1234567890", here->token, client_);
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().field_violations[0].field, "new_password");

  ASSERT_TRUE(sessions_->ChangePassword(p, kAdminPassword, "A-brand-new-pass-1", here->token,
                                        client_));
  EXPECT_TRUE(sessions_->Authenticate(here->token));
  EXPECT_FALSE(sessions_->Authenticate(elsewhere->token));
  EXPECT_FALSE(sessions_->Login("admin", kAdminPassword, client_));
  EXPECT_TRUE(sessions_->Login("admin", "A-brand-new-pass-1", client_));
}

TEST_P(SessionServiceTest, AdminResetForcesAChangeAndClearsTheLock) {
  auto user = AddUser("am.two", branch_.id, {"account_manager"});
  ASSERT_TRUE(user);
  for (int i = 0; i < 5; ++i) (void)sessions_->Login("am.two", "wrong-password", client_);
  ASSERT_TRUE(org_->ResetPassword(system_, user->id, "Reset-by-admin-42"));
  auto login = sessions_->Login("am.two", "Reset-by-admin-42", client_);
  ASSERT_TRUE(login) << login.error().message.en_us;
  EXPECT_TRUE(login->session.must_change_password);
}

TEST_P(SessionServiceTest, RoleChangesReachTheNextRequest) {
  auto user = AddUser("am.three", branch_.id, {"account_manager"});
  auto login = sessions_->Login("am.three", kAdminPassword, client_);
  ASSERT_TRUE(user && login);
  EXPECT_FALSE(sessions_->Authenticate(login->token)->principal->Has(Permission::kPiiUnmask));
  ASSERT_TRUE(org_->UpdateUser(system_, user->id,
                               {.role_keys = std::vector<std::string>{"risk_officer"}},
                               user->version));
  EXPECT_TRUE(sessions_->Authenticate(login->token)->principal->Has(Permission::kPiiUnmask));
}

// A failed sign-in is counted whatever becomes of the unit it was made in, so a use case that
// fails for another reason cannot be used to guess passwords past the lockout.
TEST_P(SessionServiceTest, AFailedSignInInAUnitThatRollsBackIsStillCounted) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(SignInWithinAFailingUnit("wrong-password").error().code, ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ(SignInWithinAFailingUnit("wrong-password").error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(CountAudit("auth.login_failed"), 5);
  EXPECT_EQ(CountAudit("auth.lockout"), 1);
  EXPECT_EQ(SignInWithinAFailingUnit(kAdminPassword).error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(CountAudit("auth.login_locked"), 1);
  EXPECT_EQ(org_->ListDepartments()->size(), 2u) << "the rest of each unit rolled back";
}

TEST_P(SessionServiceTest, ASessionCreatedInAUnitThatRollsBackNeverAuthenticates) {
  std::string token;
  EXPECT_EQ(SignInWithinAFailingUnit(kAdminPassword, &token).error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(sessions_->Authenticate(token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(CountAudit("auth.login"), 0);

  auto attempt = sessions_->CheckSignIn("admin", kAdminPassword, client_);
  ASSERT_TRUE(attempt);
  auto login = storage::UnitOfWork::RunValue<LoginResult>(
      *db_, [&](storage::UnitOfWork& unit) { return sessions_->Login(unit, *attempt); });
  ASSERT_TRUE(login);
  EXPECT_TRUE(sessions_->Authenticate(login->token));
}

TEST_P(SessionServiceTest, AWrongCurrentPasswordInAUnitThatRollsBackIsStillCounted) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  const Principal& admin = *login->session.principal;
  std::vector<ErrorCode> answers;
  for (int i = 0; i < 5; ++i) {
    auto attempt = sessions_->CheckPasswordChange(admin, "guess-" + std::to_string(i),
                                                  "Another-Password-2026", login->token, client_);
    ASSERT_TRUE(attempt);
    Status outcome = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
      RETURN_IF_ERROR(sessions_->ChangePassword(unit, *attempt));
      return LaterStepFailed();
    });
    ASSERT_FALSE(outcome);
    answers.push_back(outcome.error().code);
  }
  EXPECT_EQ(answers,
            (std::vector<ErrorCode>{ErrorCode::kInvalidArgument, ErrorCode::kInvalidArgument,
                                    ErrorCode::kInvalidArgument, ErrorCode::kInvalidArgument,
                                    ErrorCode::kResourceExhausted}));
  EXPECT_EQ(CountAudit("auth.password_change_failed"), 5);
  EXPECT_EQ(sessions_->Login("admin", kAdminPassword, client_).error().code,
            ErrorCode::kResourceExhausted);
}

TEST_P(SessionServiceTest, APasswordChangeThatRollsBackChangesNothing) {
  auto here = sessions_->Login("admin", kAdminPassword, client_);
  auto elsewhere = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(here && elsewhere);
  auto attempt = sessions_->CheckPasswordChange(*here->session.principal, kAdminPassword,
                                                "A-brand-new-pass-1", here->token, client_);
  ASSERT_TRUE(attempt);
  Status outcome = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(sessions_->ChangePassword(unit, *attempt));
    return LaterStepFailed();
  });
  EXPECT_EQ(outcome.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(sessions_->Authenticate(elsewhere->token));
  EXPECT_TRUE(sessions_->Login("admin", kAdminPassword, client_));
  EXPECT_EQ(CountAudit("auth.password_change"), 0);
}

TEST_P(SessionServiceTest, ALogoutThatRollsBackKeepsTheSession) {
  auto login = sessions_->Login("admin", kAdminPassword, client_);
  ASSERT_TRUE(login);
  ASSERT_TRUE(sessions_->Authenticate(login->token));
  Status outcome = storage::UnitOfWork::Run(*db_, [&](storage::UnitOfWork& unit) -> Status {
    RETURN_IF_ERROR(sessions_->Logout(unit, login->token, client_));
    return LaterStepFailed();
  });
  EXPECT_EQ(outcome.error().code, ErrorCode::kFailedPrecondition);
  clock_.Advance(std::chrono::seconds(10));  // past the cache: the stored session decides
  EXPECT_TRUE(sessions_->Authenticate(login->token));
  EXPECT_EQ(CountAudit("auth.logout"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionServiceTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace oc::auth
