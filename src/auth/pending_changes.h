#pragma once
// Privileged changes waiting for a second administrator (see OrganizationService, "Separation of
// duties"): the record of each request and of its decision, in table pending_changes. This is the
// store; OrganizationService decides what needs one and carries out what is approved.
//
// Thread-safe: stateless apart from its clock; the methods run in the caller's transaction.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/db.h"

namespace oc::auth {

// How long a privileged change waits for its second administrator.
inline constexpr std::chrono::hours kPendingChangeLifetime{72};

enum class PendingKind {
  kUserRole,        // give `role` to `user`
  kRolePermission,  // add `permission` to `role`
  kPasswordReset,   // set a new password for `user`
};
std::string_view PendingKindName(PendingKind kind);  // "user_role", "role_permission", …

enum class PendingStatus { kPending, kApproved, kRejected, kCancelled, kExpired };
std::string_view PendingStatusName(PendingStatus status);  // "pending", "approved", …
std::optional<PendingStatus> PendingStatusFromName(std::string_view name);

struct PendingChange {
  int64_t id = 0;
  PendingKind kind = PendingKind::kUserRole;
  PendingStatus status = PendingStatus::kPending;
  std::optional<UserId> user_id;  // kUserRole, kPasswordReset
  std::string username;           // of user_id, for display
  std::optional<RoleId> role_id;  // kUserRole, kRolePermission
  std::string role_key;           // of role_id, for display
  std::string permission;         // kRolePermission
  UserId requested_by;
  std::string requested_by_name;
  Instant requested_at;
  Instant expires_at;
  std::optional<UserId> decided_by;
  std::optional<Instant> decided_at;
};

struct PendingFilter {
  std::optional<PendingStatus> status;  // none: every status
  std::optional<int64_t> before_id;     // cursor: newer first
  int limit = 50;
};

// The request for one privileged change.
struct PendingRequest {
  PendingKind kind = PendingKind::kUserRole;
  std::optional<UserId> user_id;
  std::optional<RoleId> role_id;
  std::string permission;
  std::string password_hash;  // kPasswordReset: the new password's hash, wiped when decided
};

class PendingChanges {
 public:
  PendingChanges(const Clock& clock, const audit::AuditLog& audit) : clock_(clock), audit_(audit) {}

  // Records `request` by `actor` and audits it ("change.requested"), or returns the equal request
  // still pending. REQUIRES: actor.user_id.
  Result<PendingChange> Request(storage::Tx& tx, const audit::Actor& actor,
                                const PendingRequest& request) const;

  // The change and, for a password reset, the new password's hash. Errors: kNotFound.
  struct Loaded {
    PendingChange change;
    std::string password_hash;
  };
  Result<Loaded> Load(storage::Tx& tx, int64_t id) const;

  // Records the decision on a change still pending, wiping a password hash; the caller audits.
  // Errors: kFailedPrecondition when it is no longer pending (decided, or it expired — then it
  // is recorded as expired).
  Status Decide(storage::Tx& tx, const audit::Actor& actor, int64_t id,
                PendingStatus decision) const;

  // Newest first. Errors: kInvalidArgument for a limit outside 1..500.
  Result<std::vector<PendingChange>> List(storage::Tx& tx, const PendingFilter& filter) const;

 private:
  const Clock& clock_;
  const audit::AuditLog& audit_;
};

}  // namespace oc::auth
