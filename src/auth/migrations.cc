#include "auth/migrations.h"

#include <string>
#include <string_view>

namespace oc::auth {

namespace {

// auth_0002 as it was introduced (commit b7ba06a) and as the first release ran it, when it was
// still rendered from BuiltinRoles(): seven roles, the administrator also granting roles and
// reading the trail. The text is frozen because databases recorded the id as applied; auth_0006
// brings the roles to today's BuiltinRoles() on every database alike.
constexpr std::string_view kFirstBuiltinRoles =
    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (1, 'account_manager', '客户经理', 'Account manager', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'customer.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'followup.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'application.submit');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (1, 'report.read');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (1, 'application', 'own');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (1, 'customer', 'own');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (1, 'loan', 'own');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (2, 'risk_officer', '风控专员', 'Risk officer', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'followup.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'application.approve');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'report.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (2, 'pii.unmask');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (2, 'application', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (2, 'customer', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (2, 'loan', 'all');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (3, 'department_manager', '部门经理', 'Department manager', "
    "1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'customer.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'customer.reassign');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'followup.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'application.submit');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'application.approve');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (3, 'report.read');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (3, 'application', 'subtree');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (3, 'customer', 'subtree');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (3, 'loan', 'subtree');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (4, 'finance', '财务', 'Finance', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'application.approve');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'loan.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'loan.disburse');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'repayment.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'report.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (4, 'pii.unmask');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (4, 'application', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (4, 'customer', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (4, 'loan', 'all');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (5, 'general_manager', '总经理', 'General manager', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (5, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (5, 'customer.reassign');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (5, 'application.approve');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (5, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (5, 'report.read');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (5, 'application', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (5, 'customer', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (5, 'loan', 'all');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (6, 'admin', '管理员', 'Administrator', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'customer.write');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'customer.delete');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'customer.reassign');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'entity.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'workflow.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'rule.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'integration.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'user.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'role.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'department.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'audit.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'dashboard.admin');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'report.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (6, 'loan.read');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (6, 'application', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (6, 'customer', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (6, 'loan', 'all');\n"

    "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
    "updated_at_us) VALUES (7, 'auditor', '审计', 'Auditor', 1, 1, 0, 0);\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (7, 'audit.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (7, 'customer.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (7, 'loan.read');\n"
    "INSERT INTO role_permissions (role_id, permission) VALUES (7, 'report.read');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (7, 'application', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (7, 'customer', 'all');\n"
    "INSERT INTO role_scopes (role_id, entity, scope) VALUES (7, 'loan', 'all');\n";

}  // namespace

std::vector<storage::Migration> Migrations() {
  // Migrations are frozen text: none is rendered from BuiltinRoles(), so a change to the
  // built-in roles needs a migration of its own, as auth_0006 to auth_0008 are.
  std::vector<storage::Migration> migrations;
  migrations.push_back({.id = "auth_0001_organisation", .sql = R"sql(
CREATE TABLE departments (
  id {{id}},
  parent_id {{bigint}} REFERENCES departments (id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  version {{bigint}} NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);
CREATE UNIQUE INDEX departments_name_per_parent ON departments (COALESCE(parent_id, 0), name);
CREATE INDEX departments_by_path ON departments (path);

CREATE TABLE roles (
  id {{id}},
  role_key TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  builtin INTEGER NOT NULL,
  version {{bigint}} NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);
CREATE TABLE role_permissions (
  role_id {{bigint}} NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role_id, permission)
);
CREATE TABLE role_scopes (
  role_id {{bigint}} NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  entity TEXT NOT NULL,
  scope TEXT NOT NULL,
  PRIMARY KEY (role_id, entity)
);

CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  department_id {{bigint}} NOT NULL REFERENCES departments (id),
  supervisor_id {{bigint}} REFERENCES users (id),
  status TEXT NOT NULL,
  language TEXT NOT NULL,
  must_change_password INTEGER NOT NULL,
  locked_until_us {{bigint}},
  password_changed_at_us {{bigint}} NOT NULL,
  version {{bigint}} NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  updated_at_us {{bigint}} NOT NULL
);
CREATE INDEX users_by_department ON users (department_id);
CREATE INDEX users_by_supervisor ON users (supervisor_id);

CREATE TABLE user_roles (
  user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id {{bigint}} NOT NULL REFERENCES roles (id),
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_by_role ON user_roles (role_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at_us {{bigint}} NOT NULL,
  last_seen_us {{bigint}} NOT NULL,
  expires_at_us {{bigint}} NOT NULL,
  revoked INTEGER NOT NULL,
  client_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_us);

CREATE TABLE login_failures (
  user_id {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  at_us {{bigint}} NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures (user_id, at_us);
)sql"});
  migrations.push_back({.id = "auth_0002_builtin_roles", .sql = std::string(kFirstBuiltinRoles)});
  // Explicit ids above bypass PostgreSQL's identity sequence; move it past them.
  migrations.push_back({.id = "auth_0003_role_sequence",
                        .sqlite_sql = "SELECT 1;",
                        .postgres_sql = "SELECT setval(pg_get_serial_sequence('roles', 'id'), "
                                        "(SELECT MAX(id) FROM roles));"});
  // What RateLimiter counts: one row per event, kept only as long as its window.
  migrations.push_back({.id = "auth_0004_rate_events", .sql = R"sql(
CREATE TABLE rate_events (
  bucket TEXT NOT NULL,
  subject TEXT NOT NULL,
  at_us {{bigint}} NOT NULL
);
CREATE INDEX rate_events_by_subject ON rate_events (bucket, subject, at_us);
)sql"});
  // Failed sign-ins were counted per account, which let anyone lock out the administrator;
  // rate_events counts them per username and address instead.
  migrations.push_back({.id = "auth_0005_no_account_lockout", .sql = R"sql(
DROP TABLE login_failures;
ALTER TABLE users DROP COLUMN locked_until_us;
)sql"});
  // 三权分立: the administrator of the first version also granted roles and read the trail. The
  // built-in roles become system administrator, security administrator and auditor, apart. The
  // role statements change only what differs, so databases made while auth_0002 was rendered
  // from these roles pass through unchanged. An upgraded one has no security administrator
  // until one is made (`opencredit admin create-user --role security_admin`): merging the
  // duties into the old administrators would undo the point.
  migrations.push_back({.id = "auth_0006_separation_of_duties", .sql = R"sql(
DELETE FROM role_permissions WHERE permission IN ('role.admin', 'audit.read')
  AND role_id = (SELECT id FROM roles WHERE role_key = 'admin');
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, 'user.read' FROM roles r WHERE r.role_key = 'admin'
  AND NOT EXISTS (SELECT 1 FROM role_permissions p WHERE p.role_id = r.id
                  AND p.permission = 'user.read');
UPDATE roles SET name_zh = '系统管理员', name_en = 'System administrator'
  WHERE role_key = 'admin';
UPDATE roles SET name_zh = '审计员' WHERE role_key = 'auditor';
INSERT INTO roles (role_key, name_zh, name_en, builtin, version, created_at_us, updated_at_us)
  SELECT 'security_admin', '安全管理员', 'Security administrator', 1, 1, 0, 0
  WHERE NOT EXISTS (SELECT 1 FROM roles WHERE role_key = 'security_admin');
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, p.permission FROM roles r
  JOIN (SELECT 'user.read' AS permission UNION ALL SELECT 'role.admin') p ON 1 = 1
  WHERE r.role_key = 'security_admin'
  AND NOT EXISTS (SELECT 1 FROM role_permissions x WHERE x.role_id = r.id
                  AND x.permission = p.permission);

CREATE TABLE pending_changes (
  id {{id}},
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  user_id {{bigint}} REFERENCES users (id),
  role_id {{bigint}} REFERENCES roles (id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  requested_by {{bigint}} NOT NULL REFERENCES users (id),
  requested_at_us {{bigint}} NOT NULL,
  expires_at_us {{bigint}} NOT NULL,
  decided_by {{bigint}} REFERENCES users (id),
  decided_at_us {{bigint}}
);
CREATE INDEX pending_changes_by_status ON pending_changes (status, id);
)sql"});
  // A risk officer rates customers and a manager sets their status without editing the rest of
  // the record: customer.classify, for the roles that judge customers.
  migrations.push_back({.id = "auth_0007_customer_classify", .sql = R"sql(
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, 'customer.classify' FROM roles r
  WHERE r.role_key IN ('risk_officer', 'department_manager', 'general_manager')
  AND NOT EXISTS (SELECT 1 FROM role_permissions p WHERE p.role_id = r.id
                  AND p.permission = 'customer.classify');
)sql"});
  migrations.push_back({.id = "auth_0008_calendar_and_operations", .sql = R"sql(
INSERT INTO role_permissions (role_id, permission)
  SELECT r.id, p.permission FROM roles r,
    (SELECT 'calendar.admin' AS permission UNION ALL SELECT 'operations.admin') p
  WHERE r.role_key = 'admin'
  AND NOT EXISTS (SELECT 1 FROM role_permissions q WHERE q.role_id = r.id
                  AND q.permission = p.permission);
)sql"});
  return migrations;
}

}  // namespace oc::auth
