#include "auth/permissions.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace oc::auth {

namespace {

// Indexed by Permission: PermissionInfoOf reads entry N for the enum's value N
// (PermissionsTest.TheCatalogueHasOneEntryPerPermissionInTheEnumsOrder).
const std::array<PermissionInfo, 26> kPermissions = {{
    {Permission::kCustomerRead, "customer.read", {"查看客户", "View customers"}},
    {Permission::kCustomerWrite, "customer.write", {"新建和编辑客户", "Create and edit customers"}},
    {Permission::kCustomerDelete, "customer.delete", {"删除客户", "Delete customers"}},
    {Permission::kCustomerReassign,
     "customer.reassign",
     {"调整客户归属", "Reassign customer owners"}},
    {Permission::kCustomerClassify,
     "customer.classify",
     {"设置风险等级和客户状态", "Set customers' risk level and status"}},
    {Permission::kPiiUnmask, "pii.unmask", {"查看未脱敏的个人信息", "View unmasked personal data"}},
    {Permission::kFollowUpWrite, "followup.write", {"记录跟进", "Record follow-ups"}},
    {Permission::kApplicationSubmit,
     "application.submit",
     {"提交贷款申请", "Submit loan applications"}},
    {Permission::kApplicationApprove,
     "application.approve",
     {"审批贷款申请", "Approve loan applications"}},
    {Permission::kLoanRead, "loan.read", {"查看贷款", "View loans"}},
    {Permission::kLoanWrite, "loan.write", {"管理贷款", "Manage loans"}},
    {Permission::kLoanDisburse, "loan.disburse", {"放款", "Disburse loans"}},
    {Permission::kRepaymentWrite, "repayment.write", {"登记还款", "Record repayments"}},
    {Permission::kReportRead, "report.read", {"查看报表", "View reports"}},
    {Permission::kEntityAdmin, "entity.admin", {"管理表单和字段", "Manage forms and fields"}},
    {Permission::kWorkflowAdmin, "workflow.admin", {"管理审批流程", "Manage approval flows"}},
    {Permission::kRuleAdmin, "rule.admin", {"管理预警规则", "Manage rules"}},
    {Permission::kIntegrationAdmin, "integration.admin", {"管理集成", "Manage integrations"}},
    {Permission::kUserRead, "user.read", {"查看用户", "View users"}},
    {Permission::kUserAdmin, "user.admin", {"管理用户", "Manage users"}},
    {Permission::kRoleAdmin, "role.admin", {"管理角色和权限", "Manage roles and permissions"}},
    {Permission::kDepartmentAdmin, "department.admin", {"管理部门", "Manage departments"}},
    {Permission::kAuditRead, "audit.read", {"查看审计日志", "View the audit log"}},
    {Permission::kDashboardAdmin, "dashboard.admin", {"管理仪表盘", "Manage dashboards"}},
    {Permission::kCalendarAdmin,
     "calendar.admin",
     {"管理工作日历与营业日", "Manage the business calendar and business date"}},
    {Permission::kOperationsAdmin,
     "operations.admin",
     {"管理后台任务与投递失败的事件", "Manage background jobs and undelivered events"}},
}};

const std::array<std::string_view, 3> kScopedEntities = {"customer", "application", "loan"};

const std::vector<BuiltinRole>& BuiltinRoleList() {
  using enum DataScope;
  using enum Permission;
  static const auto* roles = new std::vector<BuiltinRole>{
      {"account_manager",
       {"客户经理", "Account manager"},
       {kCustomerRead, kCustomerWrite, kFollowUpWrite, kApplicationSubmit, kLoanRead, kReportRead},
       {{"customer", kOwn}, {"application", kOwn}, {"loan", kOwn}}},
      {"risk_officer",
       {"风控专员", "Risk officer"},
       {kCustomerRead, kCustomerClassify, kFollowUpWrite, kApplicationApprove, kLoanRead,
        kReportRead, kPiiUnmask},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"department_manager",
       {"部门经理", "Department manager"},
       {kCustomerRead, kCustomerWrite, kCustomerReassign, kCustomerClassify, kFollowUpWrite,
        kApplicationSubmit, kApplicationApprove, kLoanRead, kReportRead},
       {{"customer", kSubtree}, {"application", kSubtree}, {"loan", kSubtree}}},
      {"finance",
       {"财务", "Finance"},
       {kCustomerRead, kApplicationApprove, kLoanRead, kLoanWrite, kLoanDisburse, kRepaymentWrite,
        kReportRead, kPiiUnmask},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"general_manager",
       {"总经理", "General manager"},
       {kCustomerRead, kCustomerReassign, kCustomerClassify, kApplicationApprove, kLoanRead,
        kReportRead},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      // 三权分立 (等保 2.0): system administration, security administration and audit are
      // three roles. The system administrator runs the system and its accounts but grants no
      // permission and reads no trail; the security administrator grants roles and permissions
      // and confirms privileged changes; the auditor reads the trail.
      {"admin",
       {"系统管理员", "System administrator"},
       {kCustomerRead, kCustomerWrite, kCustomerDelete, kCustomerReassign, kEntityAdmin,
        kWorkflowAdmin, kRuleAdmin, kIntegrationAdmin, kUserRead, kUserAdmin, kDepartmentAdmin,
        kDashboardAdmin, kReportRead, kLoanRead, kCalendarAdmin, kOperationsAdmin},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"auditor",
       {"审计员", "Auditor"},
       {kAuditRead, kCustomerRead, kLoanRead, kReportRead},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"security_admin", {"安全管理员", "Security administrator"}, {kUserRead, kRoleAdmin}, {}},
  };
  return *roles;
}

}  // namespace

std::string_view DataScopeName(DataScope scope) {
  switch (scope) {
    case DataScope::kOwn: return "own";
    case DataScope::kDepartment: return "department";
    case DataScope::kSubtree: return "subtree";
    case DataScope::kAll: return "all";
  }
  return "own";
}

std::optional<DataScope> DataScopeFromName(std::string_view name) {
  for (DataScope s : {DataScope::kOwn, DataScope::kDepartment, DataScope::kSubtree,
                      DataScope::kAll}) {
    if (DataScopeName(s) == name) return s;
  }
  return std::nullopt;
}

std::span<const PermissionInfo> PermissionCatalog() { return kPermissions; }

const PermissionInfo& PermissionInfoOf(Permission permission) {
  return kPermissions[static_cast<std::size_t>(permission)];
}

std::string_view PermissionName(Permission permission) { return PermissionInfoOf(permission).key; }

std::optional<Permission> PermissionFromName(std::string_view key) {
  for (const PermissionInfo& info : kPermissions) {
    if (info.key == key) return info.permission;
  }
  return std::nullopt;
}

bool IsKnownPermission(std::string_view key) { return PermissionFromName(key).has_value(); }

std::span<const std::string_view> ScopedEntities() { return kScopedEntities; }

bool IsScopedEntity(std::string_view entity) {
  return std::find(kScopedEntities.begin(), kScopedEntities.end(), entity) !=
         kScopedEntities.end();
}

std::span<const BuiltinRole> BuiltinRoles() { return BuiltinRoleList(); }

bool NeedsSecondApproval(Permission permission) {
  using enum Permission;
  return permission == kPiiUnmask || permission == kAuditRead || permission == kRoleAdmin;
}

bool NeedsSecondApproval(std::string_view permission) {
  auto known = PermissionFromName(permission);
  return known && NeedsSecondApproval(*known);
}

}  // namespace oc::auth
