#include "auth/permissions.h"

#include <algorithm>
#include <array>

namespace oc::auth {

namespace {

const std::array<PermissionInfo, 23> kPermissions = {{
    {"customer.read", {"查看客户", "View customers"}},
    {"customer.write", {"新建和编辑客户", "Create and edit customers"}},
    {"customer.delete", {"删除客户", "Delete customers"}},
    {"customer.reassign", {"调整客户归属", "Reassign customer owners"}},
    {"pii.unmask", {"查看未脱敏的个人信息", "View unmasked personal data"}},
    {"followup.write", {"记录跟进", "Record follow-ups"}},
    {"application.submit", {"提交贷款申请", "Submit loan applications"}},
    {"application.approve", {"审批贷款申请", "Approve loan applications"}},
    {"loan.read", {"查看贷款", "View loans"}},
    {"loan.write", {"管理贷款", "Manage loans"}},
    {"loan.disburse", {"放款", "Disburse loans"}},
    {"repayment.write", {"登记还款", "Record repayments"}},
    {"report.read", {"查看报表", "View reports"}},
    {"entity.admin", {"管理表单和字段", "Manage forms and fields"}},
    {"workflow.admin", {"管理审批流程", "Manage approval flows"}},
    {"rule.admin", {"管理预警规则", "Manage rules"}},
    {"integration.admin", {"管理集成", "Manage integrations"}},
    {"user.read", {"查看用户", "View users"}},
    {"user.admin", {"管理用户", "Manage users"}},
    {"role.admin", {"管理角色和权限", "Manage roles and permissions"}},
    {"department.admin", {"管理部门", "Manage departments"}},
    {"audit.read", {"查看审计日志", "View the audit log"}},
    {"dashboard.admin", {"管理仪表盘", "Manage dashboards"}},
}};

const std::array<std::string_view, 3> kScopedEntities = {"customer", "application", "loan"};

const std::vector<BuiltinRole>& BuiltinRoleList() {
  using enum DataScope;
  static const auto* roles = new std::vector<BuiltinRole>{
      {"account_manager",
       {"客户经理", "Account manager"},
       {"customer.read", "customer.write", "followup.write", "application.submit", "loan.read",
        "report.read"},
       {{"customer", kOwn}, {"application", kOwn}, {"loan", kOwn}}},
      {"risk_officer",
       {"风控专员", "Risk officer"},
       {"customer.read", "followup.write", "application.approve", "loan.read", "report.read",
        "pii.unmask"},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"department_manager",
       {"部门经理", "Department manager"},
       {"customer.read", "customer.write", "customer.reassign", "followup.write",
        "application.submit", "application.approve", "loan.read", "report.read"},
       {{"customer", kSubtree}, {"application", kSubtree}, {"loan", kSubtree}}},
      {"finance",
       {"财务", "Finance"},
       {"customer.read", "application.approve", "loan.read", "loan.write", "loan.disburse",
        "repayment.write", "report.read", "pii.unmask"},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"general_manager",
       {"总经理", "General manager"},
       {"customer.read", "customer.reassign", "application.approve", "loan.read", "report.read"},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      // 三权分立 (等保 2.0): system administration, security administration and audit are
      // three roles. The system administrator runs the system and its accounts but grants no
      // permission and reads no trail; the security administrator grants roles and permissions
      // and confirms privileged changes; the auditor reads the trail.
      {"admin",
       {"系统管理员", "System administrator"},
       {"customer.read", "customer.write", "customer.delete", "customer.reassign", "entity.admin",
        "workflow.admin", "rule.admin", "integration.admin", "user.read", "user.admin",
        "department.admin", "dashboard.admin", "report.read", "loan.read"},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"auditor",
       {"审计员", "Auditor"},
       {"audit.read", "customer.read", "loan.read", "report.read"},
       {{"customer", kAll}, {"application", kAll}, {"loan", kAll}}},
      {"security_admin", {"安全管理员", "Security administrator"}, {"user.read", "role.admin"}, {}},
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

bool IsKnownPermission(std::string_view key) {
  return std::any_of(kPermissions.begin(), kPermissions.end(),
                     [&](const PermissionInfo& p) { return p.key == key; });
}

std::span<const std::string_view> ScopedEntities() { return kScopedEntities; }

bool IsScopedEntity(std::string_view entity) {
  return std::find(kScopedEntities.begin(), kScopedEntities.end(), entity) !=
         kScopedEntities.end();
}

std::span<const BuiltinRole> BuiltinRoles() { return BuiltinRoleList(); }

bool NeedsSecondApproval(std::string_view permission) {
  return permission == "pii.unmask" || permission == "audit.read" || permission == "role.admin";
}

}  // namespace oc::auth
