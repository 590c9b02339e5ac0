#pragma once
// Administration of departments, users and roles. Every change is validated, written together
// with its audit entry in one transaction, and guarded by optimistic versions where a record is
// edited (stale version → kFailedPrecondition, nothing changed).
//
// Permission checks are the caller's (the API guard checks user.admin, role.admin,
// department.admin before calling); this service enforces the organisation's invariants: a
// department tree without cycles, a supervisor chain without cycles, built-in roles kept intact,
// a role that is still assigned cannot be deleted, and the organisation keeps an active holder of
// user.admin and of role.admin once it has one.
//
// Separation of duties (三权分立, 等保 2.0 level 3):
//  - Nobody changes their own roles, department or password here, nor the permissions of a role
//    they hold (kPermissionDenied).
//  - What one administrator alone must not grant waits for a second: a role that brings a
//    permission for which NeedsSecondApproval holds, such a permission added to a role, and a new
//    password for a privileged user (one who holds such a permission or user.admin, whom a reset
//    would let the administrator impersonate). The rest of the same change applies at once; each
//    of these becomes a PendingChange, audited as "change.requested", which takes effect when a
//    holder of role.admin other than the requester and the user concerned approves it
//    ("change.approved"), or never ("change.rejected", "change.cancelled", or expired after
//    kPendingChangeLifetime).
//  - Changes by an actor without a user id (the shell: `opencredit admin`, the demo seeding) take
//    effect at once: whoever runs the binary on the server holds its keys anyway.
//
// Each use case that changes something comes in two forms: one that takes part in the caller's
// unit of work (storage/unit_of_work.h), and one that runs in a unit of its own. Those that set a
// password take it prepared (PrepareUser, PreparePasswordReset): hashing is slow by design, and
// inside a unit it would hold the database's writer, which on SQLite every request shares; the
// forms that run a unit of their own prepare before it begins.
//
// Thread-safe; blocks on the database: call from worker threads.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/organization.h"
#include "auth/password.h"
#include "auth/pending_changes.h"
#include "core/clock.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/unit_of_work.h"

namespace oc::auth {

struct NewDepartment {
  std::string name;
  std::optional<DepartmentId> parent_id;  // none: a top-level unit (the head office)
};

struct DepartmentPatch {
  std::optional<std::string> name;
  std::optional<std::optional<DepartmentId>> parent_id;  // set to move; inner nullopt: to top
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string password;
  DepartmentId department_id;
  std::optional<UserId> supervisor_id;
  std::vector<std::string> role_keys;
  std::string language = "zh-CN";
  bool must_change_password = false;
};

// A new user checked and their password hashed, before any unit of work begins: made by
// OrganizationService::PrepareUser, for CreateUser.
class PreparedUser {
 private:
  friend class OrganizationService;
  PreparedUser() = default;

  NewUser input_;  // its password cleared
  std::string display_name_;
  std::string password_hash_;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<DepartmentId> department_id;
  std::optional<std::optional<UserId>> supervisor_id;  // inner nullopt: remove the supervisor
  std::optional<std::vector<std::string>> role_keys;
  std::optional<std::string> language;
  std::optional<UserStatus> status;
};

struct UserFilter {
  std::optional<DepartmentId> department_id;
  std::optional<UserStatus> status;
  std::string query;  // prefix of username or display name
  std::optional<int64_t> after_id;  // cursor
  int limit = 50;
};

struct NewRole {
  std::string key;
  Message name;
  std::vector<std::string> permissions;
  std::map<std::string, DataScope> scopes;
};

struct RolePatch {
  std::optional<Message> name;
  std::optional<std::vector<std::string>> permissions;
  std::optional<std::map<std::string, DataScope>> scopes;
};

// A new password an administrator chose for a user, checked and hashed before any unit of work
// begins: made by OrganizationService::PreparePasswordReset, for ResetPassword.
class PreparedPasswordReset {
 private:
  friend class OrganizationService;
  PreparedPasswordReset() = default;

  UserId user_id_;
  std::string password_hash_;
};

class OrganizationService {
 public:
  // `on_change` runs after any committed change to users or roles, so cached principals can be
  // dropped (the session cache): for the forms that take a unit of work, once that unit commits.
  // Every change appends, with its audit entry, its domain event (`user.created`,
  // `user.updated`, `user.password_reset`, `department.created|updated|deleted`,
  // `role.created|updated|deleted`) with the changed fields; a staff member's name, username or
  // contact details are listed as changed without their values.
  OrganizationService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                      const runtime::EventLog& events, const PasswordHasher& hasher,
                      PasswordPolicy policy, std::function<void()> on_change);

  // Departments. Errors: kInvalidArgument (name empty or longer than 64 characters, unknown
  // parent), kAlreadyExists (same name under the same parent), kNotFound, kFailedPrecondition
  // (stale version; moving under itself or a descendant; deleting one with users or children).
  Result<Department> CreateDepartment(const audit::Actor& actor, const NewDepartment& input);
  Result<Department> CreateDepartment(storage::UnitOfWork& unit, const audit::Actor& actor,
                                      const NewDepartment& input);
  Result<Department> UpdateDepartment(const audit::Actor& actor, DepartmentId id,
                                      const DepartmentPatch& patch, int64_t expected_version);
  Result<Department> UpdateDepartment(storage::UnitOfWork& unit, const audit::Actor& actor,
                                      DepartmentId id, const DepartmentPatch& patch,
                                      int64_t expected_version);
  Status DeleteDepartment(const audit::Actor& actor, DepartmentId id);
  Status DeleteDepartment(storage::UnitOfWork& unit, const audit::Actor& actor, DepartmentId id);
  Result<std::vector<Department>> ListDepartments();
  Result<Department> GetDepartment(DepartmentId id);
  Result<std::optional<Department>> FindDepartmentByName(std::string_view name);

  // Users. Errors: kInvalidArgument naming the field (username must be 3–32 of [a-z0-9._-]
  // starting with a letter or digit; display name 1–64 characters; password policy; unknown
  // department, supervisor or role; unsupported language), kAlreadyExists (username taken),
  // kNotFound, kFailedPrecondition (stale version, supervisor cycle, disabling or demoting the
  // last active administrator).
  // The roles that need a second administrator are not given yet: they are appended to `pending`
  // (when not null) as PendingChanges of kind kUserRole. In a caller's unit they are appended
  // when CreateUser returns, and exist once the unit commits.
  Result<User> CreateUser(const audit::Actor& actor, const NewUser& input,
                          std::vector<PendingChange>* pending = nullptr);
  Result<User> CreateUser(storage::UnitOfWork& unit, const audit::Actor& actor,
                          const PreparedUser& user, std::vector<PendingChange>* pending = nullptr);
  // The checks of CreateUser that need no database, and the password's hash. It uses no
  // transaction, so a unit may call it too (for a user of a department the unit creates), at the
  // cost of holding the writer while it hashes. Errors: kInvalidArgument naming every field that
  // fails them.
  Result<PreparedUser> PrepareUser(const NewUser& input) const;
  // As CreateUser for the roles added; roles removed go at once. Errors: also kPermissionDenied
  // for changing one's own roles or department.
  Result<User> UpdateUser(const audit::Actor& actor, UserId id, const UserPatch& patch,
                          int64_t expected_version, std::vector<PendingChange>* pending = nullptr);
  Result<User> UpdateUser(storage::UnitOfWork& unit, const audit::Actor& actor, UserId id,
                          const UserPatch& patch, int64_t expected_version,
                          std::vector<PendingChange>* pending = nullptr);
  // Sets a new password chosen by an administrator, requires the user to change it at next
  // sign-in, lifts the user's sign-in lockouts at every address and ends the user's sessions.
  // For a privileged user the reset waits for a second administrator: the PendingChange is
  // returned, and nothing has changed yet. Errors: also kPermissionDenied for one's own password
  // (change it with the current one instead).
  Result<std::optional<PendingChange>> ResetPassword(const audit::Actor& actor, UserId id,
                                                     std::string_view new_password);
  Result<std::optional<PendingChange>> ResetPassword(storage::UnitOfWork& unit,
                                                     const audit::Actor& actor,
                                                     const PreparedPasswordReset& reset);
  // The checks of ResetPassword before any change, and the new password's hash. It reads the
  // user in a transaction of its own. Errors: kPermissionDenied for one's own password; kNotFound;
  // kInvalidArgument per the password policy.
  // REQUIRES: not inside a unit of work on this service's Db.
  Result<PreparedPasswordReset> PreparePasswordReset(const audit::Actor& actor, UserId id,
                                                     std::string_view new_password);
  Result<User> GetUser(UserId id);
  Result<User> GetUser(storage::Tx& tx, UserId id);
  Result<std::optional<User>> FindUserByUsername(std::string_view username);
  Result<std::vector<User>> ListUsers(const UserFilter& filter);

  // Roles. Errors: kInvalidArgument (key must be [a-z][a-z0-9_]{1,31}; names required in both
  // languages; unknown permission, entity or scope), kAlreadyExists, kNotFound,
  // kFailedPrecondition (changing or deleting a built-in role's key or permissions; deleting a
  // role still assigned; stale version).
  // Permissions that need a second administrator are not added yet: they are appended to
  // `pending` as PendingChanges of kind kRolePermission. Errors of UpdateRole: also
  // kPermissionDenied for changing the permissions or scopes of a role the actor holds.
  Result<Role> CreateRole(const audit::Actor& actor, const NewRole& input,
                          std::vector<PendingChange>* pending = nullptr);
  Result<Role> CreateRole(storage::UnitOfWork& unit, const audit::Actor& actor,
                          const NewRole& input, std::vector<PendingChange>* pending = nullptr);
  Result<Role> UpdateRole(const audit::Actor& actor, RoleId id, const RolePatch& patch,
                          int64_t expected_version, std::vector<PendingChange>* pending = nullptr);
  Result<Role> UpdateRole(storage::UnitOfWork& unit, const audit::Actor& actor, RoleId id,
                          const RolePatch& patch, int64_t expected_version,
                          std::vector<PendingChange>* pending = nullptr);
  Status DeleteRole(const audit::Actor& actor, RoleId id);
  Status DeleteRole(storage::UnitOfWork& unit, const audit::Actor& actor, RoleId id);
  Result<std::vector<Role>> ListRoles();
  Result<Role> GetRole(RoleId id);

  // Privileged changes, newest first. Errors: kInvalidArgument for a limit outside 1..500.
  Result<std::vector<PendingChange>> ListPendingChanges(const PendingFilter& filter);
  // Carries out a pending change. The approver must be someone else than the requester and the
  // user concerned, and must not hold the role it changes. Errors: kNotFound; kFailedPrecondition
  // when it was already decided, has expired, or what it grants no longer exists;
  // kPermissionDenied for the requester, the user concerned or a holder of the role.
  Result<PendingChange> ApprovePendingChange(const audit::Actor& actor, int64_t id);
  Result<PendingChange> ApprovePendingChange(storage::UnitOfWork& unit, const audit::Actor& actor,
                                             int64_t id);
  // Refuses it; the requester withdrawing their own request cancels it instead. Errors:
  // kNotFound; kFailedPrecondition when it was already decided.
  Result<PendingChange> RejectPendingChange(const audit::Actor& actor, int64_t id);
  Result<PendingChange> RejectPendingChange(storage::UnitOfWork& unit, const audit::Actor& actor,
                                            int64_t id);

 private:
  // Appends `entry` to the trail and the domain event of the change it records.
  Status Record(storage::Tx& tx, const audit::Actor& actor, audit::Event entry) const;
  Status ApplyPasswordReset(storage::Tx& tx, const audit::Actor& actor, const User& user,
                            const std::string& hash);

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const runtime::EventLog& events_;
  const PasswordHasher& hasher_;
  PasswordPolicy policy_;
  std::function<void()> on_change_;
  PendingChanges pending_;
};

// Row readers shared by the services of this module.
Result<User> LoadUser(storage::Tx& tx, UserId id);
Result<Department> LoadDepartment(storage::Tx& tx, DepartmentId id);
Result<Role> LoadRole(storage::Tx& tx, RoleId id);

}  // namespace oc::auth
