#include "audit/action.h"

#include <array>
#include <cstdlib>

namespace oc::audit {
namespace {

// In declaration order, so that an action's index is its position here (checked in the test).
const std::array<ActionInfo, 57>& Table() {
  static const auto* table = new std::array<ActionInfo, 57>{{
      {Action::kAuthLogin, "auth.login", {"登录", "Sign-in"}},
      {Action::kAuthLoginFailed, "auth.login_failed", {"登录失败", "Failed sign-in"}},
      {Action::kAuthLoginLocked, "auth.login_locked", {"锁定期间登录", "Sign-in while locked"}},
      {Action::kAuthLockout, "auth.lockout", {"账号锁定", "Account locked"}},
      {Action::kAuthAddressLockout, "auth.address_lockout", {"地址锁定", "Address locked"}},
      {Action::kAuthLogout, "auth.logout", {"退出登录", "Sign-out"}},
      {Action::kAuthPasswordChange, "auth.password_change", {"修改密码", "Password changed"}},
      {Action::kAuthPasswordChangeFailed,
       "auth.password_change_failed",
       {"修改密码失败", "Failed password change"}},
      {Action::kPermissionDenied, "permission.denied", {"越权访问被拒绝", "Permission denied"}},
      {Action::kSecurityCsrfRejected,
       "security.csrf_rejected",
       {"跨站请求被拒绝", "Cross-site request refused"}},
      {Action::kSecurityScopeProbe,
       "security.scope_probe",
       {"越范围探测", "Probing outside the data scope"}},
      {Action::kUserCreate, "user.create", {"新建用户", "User created"}},
      {Action::kUserUpdate, "user.update", {"修改用户", "User changed"}},
      {Action::kUserDelete, "user.delete", {"删除用户", "User deleted"}},
      {Action::kUserPasswordReset, "user.password_reset", {"重置密码", "Password reset"}},
      {Action::kRoleCreate, "role.create", {"新建角色", "Role created"}},
      {Action::kRoleUpdate, "role.update", {"修改角色", "Role changed"}},
      {Action::kRoleDelete, "role.delete", {"删除角色", "Role deleted"}},
      {Action::kDepartmentCreate, "department.create", {"新建部门", "Department created"}},
      {Action::kDepartmentUpdate, "department.update", {"修改部门", "Department changed"}},
      {Action::kDepartmentDelete, "department.delete", {"删除部门", "Department deleted"}},
      {Action::kChangeRequested, "change.requested", {"提交待复核变更", "Change requested"}},
      {Action::kChangeApproved, "change.approved", {"复核通过", "Change approved"}},
      {Action::kChangeRejected, "change.rejected", {"复核驳回", "Change rejected"}},
      {Action::kChangeCancelled, "change.cancelled", {"撤回变更", "Change withdrawn"}},
      {Action::kEntityFieldAdded, "entity.field_added", {"新增字段", "Field added"}},
      {Action::kEntityFieldUpdated, "entity.field_updated", {"修改字段", "Field changed"}},
      {Action::kCustomerCreate, "customer.create", {"新建客户", "Customer created"}},
      {Action::kCustomerUpdate, "customer.update", {"修改客户", "Customer changed"}},
      {Action::kCustomerDelete, "customer.delete", {"删除客户", "Customer deleted"}},
      {Action::kCustomerReassign, "customer.reassign", {"调整客户经理", "Customer reassigned"}},
      {Action::kCustomerRelationAdded,
       "customer.relation_added",
       {"新增关联人", "Related party added"}},
      {Action::kCustomerRelationRemoved,
       "customer.relation_removed",
       {"移除关联人", "Related party removed"}},
      {Action::kCustomerFollowupAdded,
       "customer.followup_added",
       {"新增跟进记录", "Follow-up recorded"}},
      {Action::kCustomerDuplicateFound,
       "customer.duplicate_found",
       {"发现重复客户", "Duplicate customer found"}},
      {Action::kPiiLookup, "pii.lookup", {"按个人信息查询", "Lookup by personal data"}},
      {Action::kPiiUnmask, "pii.unmask", {"查看明文", "Personal data unmasked"}},
      {Action::kPiiUnmaskDenied, "pii.unmask_denied", {"查看明文被拒绝", "Unmask refused"}},
      {Action::kDefinitionDraftSaved,
       "definition.draft_saved",
       {"保存定义草稿", "Definition draft saved"}},
      {Action::kDefinitionPublish, "definition.publish", {"发布定义", "Definition published"}},
      {Action::kDefinitionRetire, "definition.retire", {"停用定义版本", "Definition retired"}},
      {Action::kDefinitionRollback, "definition.rollback", {"回滚定义", "Definition rolled back"}},
      {Action::kTodoCreated, "todo.created", {"新建待办", "To-do created"}},
      {Action::kTodoCompleted, "todo.completed", {"完成待办", "To-do completed"}},
      {Action::kTodoCancelled, "todo.cancelled", {"取消待办", "To-do cancelled"}},
      {Action::kNotificationCreated, "notification.created", {"发送通知", "Notification sent"}},
      {Action::kNotificationRead, "notification.read", {"通知已读", "Notification read"}},
      {Action::kAuditChainKeyed, "audit.chain_keyed", {"审计链启用密钥", "Audit chain keyed"}},
      {Action::kOutboxRetried, "outbox.retried", {"重新投递事件", "Event delivery retried"}},
      {Action::kOutboxDiscarded, "outbox.discarded", {"放弃投递事件", "Event delivery discarded"}},
      {Action::kJobRunRequested, "job.run_requested", {"手动运行任务", "Job run requested"}},
      {Action::kCalendarCreated, "calendar.created", {"新建工作日历", "Calendar created"}},
      {Action::kCalendarUpdated, "calendar.updated", {"修改工作日历", "Calendar changed"}},
      {Action::kCalendarDaySet, "calendar.day_set", {"设置节假日或调休日", "Calendar day set"}},
      {Action::kCalendarDayRemoved,
       "calendar.day_removed",
       {"删除节假日或调休日", "Calendar day removed"}},
      {Action::kCalendarYearImported,
       "calendar.year_imported",
       {"导入年度节假日安排", "Holiday schedule imported"}},
      {Action::kBusinessDateAdvanced,
       "business_date.advanced",
       {"推进营业日", "Business date advanced"}},
  }};
  return *table;
}

}  // namespace

std::span<const ActionInfo> AllActions() { return Table(); }

std::string_view ActionName(Action action) {
  const auto index = static_cast<size_t>(action);
  // Only a value cast from outside the enumeration can miss; that is a programming error.
  if (index >= Table().size()) std::abort();
  return Table()[index].name;
}

std::optional<Action> ActionFromName(std::string_view name) {
  for (const ActionInfo& info : Table()) {
    if (info.name == name) return info.action;
  }
  return std::nullopt;
}

const Message& ActionLabel(Action action) { return Table()[static_cast<size_t>(action)].label; }

}  // namespace oc::audit
