#include "auth/migrations.h"

#include "auth/permissions.h"

namespace oc::auth {

namespace {

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// The built-in roles come from the same table the code checks against, so the two cannot drift.
std::string BuiltinRolesSql() {
  std::string sql;
  int64_t role_id = 0;
  for (const BuiltinRole& role : BuiltinRoles()) {
    ++role_id;
    std::string id = std::to_string(role_id);
    sql += "INSERT INTO roles (id, role_key, name_zh, name_en, builtin, version, created_at_us, "
           "updated_at_us) VALUES (" +
           id + ", " + Quote(role.key) + ", " + Quote(role.name.zh_cn) + ", " +
           Quote(role.name.en_us) + ", 1, 1, 0, 0);\n";
    for (std::string_view permission : role.permissions) {
      sql += "INSERT INTO role_permissions (role_id, permission) VALUES (" + id + ", " +
             Quote(permission) + ");\n";
    }
    for (const auto& [entity, scope] : role.scopes) {
      sql += "INSERT INTO role_scopes (role_id, entity, scope) VALUES (" + id + ", " +
             Quote(entity) + ", " + Quote(DataScopeName(scope)) + ");\n";
    }
  }
  return sql;
}

}  // namespace

std::vector<storage::Migration> Migrations() {
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
  migrations.push_back({.id = "auth_0002_builtin_roles", .sql = BuiltinRolesSql()});
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
  // built-in roles become system administrator, security administrator and auditor, apart. On
  // a database made by this version the role statements find nothing left to do. An upgraded
  // one has no security administrator until one is made (`opencredit admin create-user --role
  // security_admin`): merging the duties into the old administrators would undo the point.
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
  return migrations;
}

}  // namespace oc::auth
