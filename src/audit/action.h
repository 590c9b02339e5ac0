#pragma once
// What an audit entry records, as one vocabulary: each action's stored name ("customer.create",
// kept forever: the trail and its hash chain hold it) and its label in both interface languages
// for the audit pages. Every module appends with these values; a new use case adds its action
// here, once. Thread-safe (constant data).

#include <optional>
#include <span>
#include <string_view>

#include "core/error.h"

namespace oc::audit {

enum class Action {
  // Sign-in and sessions
  kAuthLogin,
  kAuthLoginFailed,
  kAuthLoginLocked,
  kAuthLockout,
  kAuthAddressLockout,
  kAuthLogout,
  kAuthPasswordChange,
  kAuthPasswordChangeFailed,
  // Refusals and probes the guard sees
  kPermissionDenied,
  kSecurityCsrfRejected,
  kSecurityScopeProbe,
  // Organisation
  kUserCreate,
  kUserUpdate,
  kUserDelete,
  kUserPasswordReset,
  kRoleCreate,
  kRoleUpdate,
  kRoleDelete,
  kDepartmentCreate,
  kDepartmentUpdate,
  kDepartmentDelete,
  // Changes that take a second administrator
  kChangeRequested,
  kChangeApproved,
  kChangeRejected,
  kChangeCancelled,
  // Metadata
  kEntityFieldAdded,
  kEntityFieldUpdated,
  // Customers
  kCustomerCreate,
  kCustomerUpdate,
  kCustomerDelete,
  kCustomerReassign,
  kCustomerRelationAdded,
  kCustomerRelationRemoved,
  kCustomerFollowupAdded,
  kCustomerDuplicateFound,
  // Personal data
  kPiiLookup,
  kPiiUnmask,
  kPiiUnmaskDenied,
  // The definitions registry
  kDefinitionDraftSaved,
  kDefinitionPublish,
  kDefinitionRetire,
  kDefinitionRollback,
  // To-dos and notifications
  kTodoCreated,
  kTodoCompleted,
  kTodoCancelled,
  kNotificationCreated,
  kNotificationRead,
  // The trail itself
  kAuditChainKeyed,
  // Runtime operations
  kOutboxRetried,
  kOutboxDiscarded,
  kJobRunRequested,
  // The business calendar and the business date
  kCalendarCreated,
  kCalendarUpdated,
  kCalendarDaySet,
  kCalendarDayRemoved,
  kCalendarYearImported,
  kBusinessDateAdvanced,
};

struct ActionInfo {
  Action action;
  std::string_view name;  // as stored
  Message label;          // 登录 / Sign-in
};

// Every action, in declaration order.
std::span<const ActionInfo> AllActions();
// The stored name of `action`.
std::string_view ActionName(Action action);
// The action stored as `name`, or nullopt for a name no action has.
std::optional<Action> ActionFromName(std::string_view name);
// The label of `action`.
const Message& ActionLabel(Action action);

}  // namespace oc::audit
