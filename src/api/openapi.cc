#include "api/openapi.h"

#include <boost/json.hpp>

#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

json::object Ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

json::object JsonContent(json::value schema) {
  return {{"application/json", json::object{{"schema", std::move(schema)}}}};
}

json::object Problem(std::string_view description) {
  return {{"description", description},
          {"content", json::object{{"application/problem+json",
                                    json::object{{"schema", Ref("Problem")}}}}}};
}

struct Operation {
  std::string_view method;  // "get", "post", …
  std::string_view path;
  std::string_view tag;
  std::string_view summary;
  std::string_view permission;        // "" public, "session" any signed-in user
  std::optional<json::value> request;  // request body schema
  int success = 200;
  std::optional<json::value> response;  // success body schema; none: no content
  std::vector<std::string_view> query;  // query parameter names (strings)
  bool if_match = false;
  // A second success: a change accepted but waiting for a second administrator (202).
  std::optional<std::pair<int, json::value>> also;
};

json::array PathParameters(std::string_view path) {
  json::array params;
  size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string_view::npos) {
    size_t end = path.find('}', pos);
    std::string_view name = path.substr(pos + 1, end - pos - 1);
    // Records are addressed by 64-bit ids; entities by their key ("customer").
    json::object schema = name == "key" ? json::object{{"type", "string"}}
                                        : json::object{{"type", "integer"}, {"minimum", 1}};
    params.push_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", std::move(schema)}});
    pos = end;
  }
  return params;
}

json::object OperationJson(const Operation& op) {
  json::object out;
  out["tags"] = json::array{op.tag};
  out["summary"] = op.summary;
  out["operationId"] = std::string(op.method) + std::string(op.path);
  json::array params = PathParameters(op.path);
  for (auto name : op.query) {
    params.push_back(json::object{{"name", name},
                                  {"in", "query"},
                                  {"required", false},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  if (op.if_match) {
    params.push_back(json::object{{"name", "If-Match"},
                                  {"in", "header"},
                                  {"required", true},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  if (!params.empty()) out["parameters"] = std::move(params);
  if (op.permission.empty()) {
    out["security"] = json::array{};
  } else if (op.permission != "session") {
    out["x-permission"] = op.permission;
  }
  if (op.request) {
    out["requestBody"] = json::object{{"required", true}, {"content", JsonContent(*op.request)}};
  }
  json::object responses;
  json::object success{{"description", "OK"}};
  if (op.response) success["content"] = JsonContent(*op.response);
  responses[std::to_string(op.success)] = std::move(success);
  if (op.also) {
    responses[std::to_string(op.also->first)] =
        json::object{{"description", "Accepted"}, {"content", JsonContent(op.also->second)}};
  }
  if (op.request || !op.query.empty()) {
    responses["400"] = Problem("Malformed request");
    responses["422"] = Problem("Invalid fields");
  }
  if (!op.permission.empty()) {
    responses["401"] = Problem("Not signed in");
    responses["403"] = Problem("Missing permission or CSRF token");
  }
  if (op.path.find('{') != std::string_view::npos) responses["404"] = Problem("Not found");
  if (op.if_match) {
    responses["412"] = Problem("Stale If-Match version");
    responses["428"] = Problem("If-Match missing");
  }
  out["responses"] = std::move(responses);
  return out;
}

json::object Object(std::initializer_list<std::pair<std::string_view, json::value>> props,
                    std::initializer_list<std::string_view> required = {}) {
  json::object properties;
  for (const auto& [k, v] : props) properties[k] = v;
  json::object out{{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size() > 0) {
    json::array r;
    for (auto name : required) r.emplace_back(name);
    out["required"] = std::move(r);
  }
  return out;
}

json::object Type(std::string_view type) { return {{"type", type}}; }
json::object Nullable(std::string_view type) { return {{"type", json::array{type, "null"}}}; }
json::object OrNull(json::object schema) {
  return {{"oneOf", json::array{std::move(schema), json::object{{"type", "null"}}}}};
}
json::object ArrayOf(json::value items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json::object ListOf(std::string_view schema) {
  return Object({{"items", ArrayOf(Ref(schema))}, {"next_cursor", Nullable("string")}},
                {"items", "next_cursor"});
}
json::object LocalizedName() {
  return Object({{"zh-CN", Type("string")}, {"en-US", Type("string")}}, {"zh-CN", "en-US"});
}

json::object Schemas() {
  json::object s;
  s["Problem"] = Object(
      {{"type", Type("string")},
       {"title", Type("string")},
       {"status", Type("integer")},
       {"detail", Type("string")},
       {"code", Type("string")},
       {"request_id", Type("string")},
       {"errors",
        ArrayOf(Object(
            {{"field", Type("string")}, {"code", Type("string")}, {"message", Type("string")}},
            {"field", "code", "message"}))},
       {"errors_not_listed", Type("integer")}},
      {"status", "code"});
  s["Principal"] = Object(
      {{"id", Type("integer")},
       {"username", Type("string")},
       {"display_name", Type("string")},
       {"language", Type("string")},
       {"department", Object({{"id", Type("integer")}, {"name", Type("string")},
                              {"path", Type("string")}})},
       {"roles", ArrayOf(Type("string"))},
       {"permissions", ArrayOf(Type("string"))},
       {"scopes", json::object{{"type", "object"},
                               {"additionalProperties", Ref("DataScope")}}}},
      {"id", "username", "display_name", "language", "department", "roles", "permissions",
       "scopes"});
  s["Session"] = Object({{"csrf_token", Type("string")},
                         {"user", Ref("Principal")},
                         {"must_change_password", Type("boolean")},
                         {"expires_at", Type("string")}},
                        {"csrf_token", "user", "must_change_password", "expires_at"});
  s["DataScope"] = json::object{{"type", "string"},
                                {"enum", json::array{"own", "department", "subtree", "all"}}};
  s["User"] = Object(
      {{"id", Type("integer")},
       {"username", Type("string")},
       {"display_name", Type("string")},
       {"department_id", Type("integer")},
       {"supervisor_id", Nullable("integer")},
       {"status", json::object{{"type", "string"}, {"enum", json::array{"active", "disabled"}}}},
       {"language", Type("string")},
       {"roles", ArrayOf(Type("string"))},
       {"must_change_password", Type("boolean")},
       {"version", Type("integer")},
       {"created_at", Type("string")},
       {"updated_at", Type("string")},
       {"pending_changes", ArrayOf(Ref("PendingChange"))}},
      {"id", "username", "display_name", "department_id", "status", "roles", "version"});
  s["PendingChange"] = Object(
      {{"id", Type("integer")},
       {"kind",
        json::object{{"type", "string"},
                     {"enum", json::array{"user_role", "role_permission", "password_reset"}}}},
       {"status", json::object{{"type", "string"},
                               {"enum", json::array{"pending", "approved", "rejected", "cancelled",
                                                    "expired"}}}},
       {"user", OrNull(Object({{"id", Type("integer")}, {"username", Type("string")}}))},
       {"role", OrNull(Object({{"id", Type("integer")}, {"key", Type("string")}}))},
       {"permission", Nullable("string")},
       {"requested_by", Object({{"id", Type("integer")}, {"display_name", Type("string")}})},
       {"requested_at", Type("string")},
       {"expires_at", Type("string")},
       {"decided_by", Nullable("integer")},
       {"decided_at", Nullable("string")}},
      {"id", "kind", "status", "requested_by", "requested_at", "expires_at"});
  s["Department"] = Object({{"id", Type("integer")},
                            {"parent_id", Nullable("integer")},
                            {"name", Type("string")},
                            {"path", Type("string")},
                            {"version", Type("integer")},
                            {"created_at", Type("string")},
                            {"updated_at", Type("string")}},
                           {"id", "parent_id", "name", "path", "version"});
  s["Role"] = Object(
      {{"id", Type("integer")},
       {"key", Type("string")},
       {"name", LocalizedName()},
       {"builtin", Type("boolean")},
       {"permissions", ArrayOf(Type("string"))},
       {"scopes", json::object{{"type", "object"}, {"additionalProperties", Ref("DataScope")}}},
       {"version", Type("integer")},
       {"pending_changes", ArrayOf(Ref("PendingChange"))}},
      {"id", "key", "name", "builtin", "permissions", "scopes", "version"});
  s["AuditEvent"] = Object({{"id", Type("integer")},
                            {"at", Type("string")},
                            {"user_id", Nullable("integer")},
                            {"username", Type("string")},
                            {"action", Type("string")},
                            {"entity_type", Type("string")},
                            {"entity_id", Type("string")},
                            {"changes", ArrayOf(Object({{"field", Type("string")},
                                                        {"before", Nullable("string")},
                                                        {"after", Nullable("string")}}))},
                            {"detail", Type("string")},
                            {"request_id", Type("string")},
                            {"client_ip", Type("string")},
                            {"hash", Type("string")}},
                           {"id", "at", "action"});
  // A customer is metadata-driven: its fields are those of GET /api/v1/entities/customer,
  // built-in and custom, flat in one object.
  s["Customer"] = json::object{
      {"type", "object"},
      {"properties", json::object{{"id", Type("integer")},
                                  {"version", Type("integer")},
                                  {"type", json::object{{"type", "string"},
                                                        {"enum", json::array{"individual",
                                                                             "enterprise"}}}},
                                  {"name", Type("string")},
                                  {"owner_id", Type("integer")},
                                  {"owner_name", Nullable("string")},
                                  {"department_id", Type("integer")},
                                  {"department_name", Nullable("string")}}},
      {"required", json::array{"id", "version", "type", "name"}},
      {"additionalProperties", true}};
  s["CustomerInput"] = json::object{{"type", "object"}, {"additionalProperties", true}};
  s["Relation"] = Object({{"id", Type("integer")},
                          {"role", Type("string")},
                          {"direction", json::object{{"type", "string"},
                                                     {"enum", json::array{"outgoing",
                                                                          "incoming"}}}},
                          {"counterpart", Object({{"customer_id", Type("integer")},
                                                  {"name", Nullable("string")},
                                                  {"phone", Type("string")}})},
                          {"share_percent", Type("string")},
                          {"note", Type("string")},
                          {"created_at", Type("string")}},
                         {"id", "role", "direction", "counterpart"});
  s["FollowUp"] = Object({{"id", Type("integer")},
                          {"customer_id", Type("integer")},
                          {"channel", Type("string")},
                          {"content", Type("string")},
                          {"outcome", Type("string")},
                          {"next_followup_date", Nullable("string")},
                          {"created_at", Type("string")},
                          {"created_by", Type("integer")},
                          {"created_by_name", Type("string")}},
                         {"id", "channel", "content", "created_at"});
  s["TimelineItem"] = Object({{"kind", json::object{{"type", "string"},
                                                    {"enum", json::array{"followup", "change"}}}},
                              {"at", Type("string")},
                              {"id", Type("integer")},
                              {"action", Type("string")},
                              {"actor", Type("string")},
                              {"changes", ArrayOf(Type("object"))},
                              {"channel", Type("string")},
                              {"content", Type("string")}},
                             {"kind", "at", "id"});
  s["FieldOption"] = Object({{"value", Type("string")}, {"label", LocalizedName()}},
                            {"value", "label"});
  s["Field"] = Object({{"name", Type("string")},
                       {"label", LocalizedName()},
                       {"type", Type("string")},
                       {"format", Type("string")},
                       {"required", Type("boolean")},
                       {"builtin", Type("boolean")},
                       {"read_only", Type("boolean")},
                       {"sensitive", Type("boolean")},
                       {"masked_to_year", Type("boolean")},
                       {"filterable", Type("boolean")},
                       {"sortable", Type("boolean")},
                       {"options", ArrayOf(Ref("FieldOption"))},
                       {"section", Type("string")},
                       {"position", Type("integer")},
                       {"max_length", Nullable("integer")}},
                      {"name", "label", "type"});
  s["Entity"] = Object({{"key", Type("string")},
                        {"label", LocalizedName()},
                        {"version", Type("integer")},
                        {"sections", ArrayOf(Object({{"key", Type("string")},
                                                     {"label", LocalizedName()}}))},
                        {"fields", ArrayOf(Ref("Field"))}},
                       {"key", "label", "fields"});
  return s;
}

std::vector<Operation> Operations() {
  json::object user_input = Object({{"username", Type("string")},
                                    {"display_name", Type("string")},
                                    {"password", Type("string")},
                                    {"department_id", Type("integer")},
                                    {"supervisor_id", Nullable("integer")},
                                    {"roles", ArrayOf(Type("string"))},
                                    {"language", Type("string")},
                                    {"must_change_password", Type("boolean")}},
                                   {"username", "display_name", "password", "department_id",
                                    "roles"});
  json::object user_patch = Object({{"display_name", Type("string")},
                                    {"department_id", Type("integer")},
                                    {"supervisor_id", Nullable("integer")},
                                    {"roles", ArrayOf(Type("string"))},
                                    {"language", Type("string")},
                                    {"status", Type("string")}});
  json::object role_input = Object({{"key", Type("string")},
                                    {"name", LocalizedName()},
                                    {"permissions", ArrayOf(Type("string"))},
                                    {"scopes", json::object{{"type", "object"},
                                                            {"additionalProperties",
                                                             Ref("DataScope")}}}},
                                   {"key", "name", "permissions"});
  json::object role_patch = Object({{"name", LocalizedName()},
                                    {"permissions", ArrayOf(Type("string"))},
                                    {"scopes", json::object{{"type", "object"},
                                                            {"additionalProperties",
                                                             Ref("DataScope")}}}});
  json::object department_input =
      Object({{"name", Type("string")}, {"parent_id", Nullable("integer")}}, {"name"});
  json::object status = Object({{"status", Type("string")}}, {"status"});
  json::object permissions = Object(
      {{"items", ArrayOf(Object({{"key", Type("string")}, {"description", LocalizedName()}}))},
       {"scoped_entities", ArrayOf(Type("string"))},
       {"scopes", ArrayOf(Ref("DataScope"))}});

  return {
      {"get", "/healthz", "system", "Process is up", "", {}, 200, status},
      {"get", "/readyz", "system", "Database is reachable", "", {}, 200, status},
      {"get", "/api/v1/openapi.json", "system", "This document", "", {}, 200, Type("object")},
      {"post", "/api/v1/auth/login", "auth", "Sign in; sets the session cookie", "",
       Object({{"username", Type("string")}, {"password", Type("string")}},
              {"username", "password"}),
       200, Ref("Session")},
      {"post", "/api/v1/auth/logout", "auth", "Sign out", "session", {}, 204, {}},
      {"get", "/api/v1/auth/me", "auth", "The signed-in user and the CSRF token", "session", {},
       200, Ref("Session")},
      {"patch", "/api/v1/auth/me", "auth", "Change own preferences (language)", "session",
       Object({{"language", Type("string")}}, {"language"}), 200, Ref("Session")},
      {"post", "/api/v1/auth/password", "auth", "Change own password", "session",
       Object({{"current_password", Type("string")}, {"new_password", Type("string")}},
              {"current_password", "new_password"}),
       204, {}},
      {"get", "/api/v1/users", "users", "List users", "user.read", {}, 200, ListOf("User"),
       {"q", "department_id", "status", "limit", "cursor"}},
      {"post", "/api/v1/users", "users",
       "Create a user; a role bringing pii.unmask, audit.read or role.admin waits for a second "
       "administrator (pending_changes)",
       "user.admin", user_input, 201, Ref("User")},
      {"get", "/api/v1/users/{id}", "users", "Get a user", "user.read", {}, 200, Ref("User")},
      {"patch", "/api/v1/users/{id}", "users",
       "Update a user (roles, department, status…); privileged roles wait as on create",
       "user.admin", user_patch, 200, Ref("User"), {}, true},
      {"post", "/api/v1/users/{id}/reset-password", "users",
       "Set a new password the user must change (204); for a privileged user, 202 with the "
       "change that waits for a second administrator",
       "user.admin", Object({{"password", Type("string")}}, {"password"}), 204, {}, {}, false,
       std::pair{202, json::value(Ref("PendingChange"))}},
      {"get", "/api/v1/pending-changes", "users",
       "Privileged changes waiting for, or decided by, a second administrator", "user.read", {},
       200, ListOf("PendingChange"), {"status", "limit", "cursor"}},
      {"post", "/api/v1/pending-changes/{id}/approve", "users",
       "Approve another administrator's privileged change", "role.admin", {}, 200,
       Ref("PendingChange")},
      {"post", "/api/v1/pending-changes/{id}/reject", "users",
       "Reject a privileged change, or withdraw one's own", "user.read", {}, 200,
       Ref("PendingChange")},
      {"get", "/api/v1/departments", "departments", "The department tree (flat, by path)",
       "session", {}, 200, ListOf("Department")},
      {"post", "/api/v1/departments", "departments", "Create a department", "department.admin",
       department_input, 201, Ref("Department")},
      {"get", "/api/v1/departments/{id}", "departments", "Get a department", "session", {}, 200,
       Ref("Department")},
      {"patch", "/api/v1/departments/{id}", "departments", "Rename or move a department",
       "department.admin", department_input, 200, Ref("Department"), {}, true},
      {"delete", "/api/v1/departments/{id}", "departments", "Delete an empty department",
       "department.admin", {}, 204, {}},
      {"get", "/api/v1/permissions", "roles", "The permission catalogue", "role.admin", {}, 200,
       permissions},
      {"get", "/api/v1/roles", "roles", "List roles", "role.admin", {}, 200, ListOf("Role")},
      {"post", "/api/v1/roles", "roles", "Create a role", "role.admin", role_input, 201,
       Ref("Role")},
      {"get", "/api/v1/roles/{id}", "roles", "Get a role", "role.admin", {}, 200, Ref("Role")},
      {"patch", "/api/v1/roles/{id}", "roles", "Update a role", "role.admin", role_patch, 200,
       Ref("Role"), {}, true},
      {"delete", "/api/v1/roles/{id}", "roles", "Delete an unassigned custom role", "role.admin",
       {}, 204, {}},
      {"get", "/api/v1/audit-events", "audit", "Search the audit trail", "audit.read", {}, 200,
       ListOf("AuditEvent"),
       {"user_id", "entity_type", "entity_id", "action", "from", "to", "limit", "cursor"}},
      {"get", "/api/v1/entities/{key}", "entities",
       "An entity's metadata: fields, types, labels, options, sections (forms render from it)",
       "session", {}, 200, Ref("Entity")},
      {"post", "/api/v1/entities/{key}/fields", "entities",
       "Add a custom field (a typed column, online)", "entity.admin", Ref("Field"), 201,
       Ref("Field")},
      {"post", "/api/v1/expr/check", "expressions",
       "Type-check an expression against a schema or an entity's fields", "session",
       Object({{"expression", Type("string")},
               {"schema", Type("array")},
               {"entity", Type("string")},
               {"variables", Type("object")}},
              {"expression"}),
       200,
       Object({{"valid", Type("boolean")},
               {"type", Type("string")},
               {"stored", Type("string")},
               {"referenced_fields", ArrayOf(Type("string"))}})},
      {"post", "/api/v1/expr/evaluate", "expressions",
       "Evaluate an expression (with explain: the value of every sub-expression)", "session",
       Object({{"expression", Type("string")},
               {"schema", Type("array")},
               {"entity", Type("string")},
               {"variables", Type("object")},
               {"today", Type("string")},
               {"explain", Type("boolean")}},
              {"expression"}),
       200, Object({{"value", json::object{}}, {"type", Type("string")}, {"explain", Type("array")}})},
      {"post", "/api/v1/customers", "customers",
       "Create a customer (Idempotency-Key replays the first response)", "customer.write",
       Ref("CustomerInput"), 201, Ref("Customer")},
      {"get", "/api/v1/customers", "customers",
       "List customers in the caller's data scope. Any filterable field: name=, "
       "<field>.from=/.to= (ranges), <field>.prefix=; plus q (name prefix), id_number and "
       "phone (exact); sort=-created_at,name; cursor pagination",
       "customer.read", {}, 200, ListOf("Customer"),
       {"q", "id_number", "phone", "owner_id", "department_id", "tags", "risk_level", "status",
        "source_channel", "created_at.from", "created_at.to", "sort", "limit", "cursor"}},
      {"get", "/api/v1/customers/{id}", "customers", "A customer, personal data masked",
       "customer.read", {}, 200, Ref("Customer")},
      {"patch", "/api/v1/customers/{id}", "customers", "Update a customer's fields",
       "customer.write", Ref("CustomerInput"), 200, Ref("Customer"), {}, true},
      {"delete", "/api/v1/customers/{id}", "customers", "Soft-delete a customer",
       "customer.delete", {}, 204, {}},
      {"post", "/api/v1/customers/{id}/unmask", "customers",
       "Plaintext of masked fields (needs pii.unmask; audited)", "customer.read",
       Object({{"fields", ArrayOf(Type("string"))}}, {"fields"}), 200, Type("object")},
      {"post", "/api/v1/customers/reassign", "customers",
       "Move customers to another account manager", "customer.reassign",
       Object({{"ids", ArrayOf(Type("integer"))}, {"owner_id", Type("integer")}},
              {"ids", "owner_id"}),
       204, {}},
      {"post", "/api/v1/customers/{id}/reassign", "customers",
       "Move one customer to another account manager", "customer.reassign",
       Object({{"owner_id", Type("integer")}}, {"owner_id"}), 204, {}},
      {"get", "/api/v1/customers/{id}/relations", "customers",
       "Related parties, both directions", "customer.read", {}, 200,
       Object({{"items", ArrayOf(Ref("Relation"))}}, {"items"})},
      {"post", "/api/v1/customers/{id}/relations", "customers", "Link a related party",
       "customer.write",
       Object({{"role", Type("string")},
               {"related_customer_id", Type("integer")},
               {"person_name", Type("string")},
               {"person_phone", Type("string")},
               {"share_percent", Type("string")},
               {"note", Type("string")}},
              {"role"}),
       201, Ref("Relation")},
      {"delete", "/api/v1/customers/{id}/relations/{relation_id}", "customers",
       "Remove a related party", "customer.write", {}, 204, {}},
      {"get", "/api/v1/customers/{id}/followups", "customers", "Follow-up records",
       "customer.read", {}, 200, Object({{"items", ArrayOf(Ref("FollowUp"))}}, {"items"})},
      {"post", "/api/v1/customers/{id}/followups", "customers", "Record a follow-up",
       "followup.write",
       Object({{"channel", Type("string")},
               {"content", Type("string")},
               {"outcome", Type("string")},
               {"next_followup_date", Type("string")}},
              {"channel", "content"}),
       201, Ref("FollowUp")},
      {"get", "/api/v1/customers/{id}/timeline", "customers",
       "Follow-ups and recorded changes, newest first", "customer.read", {}, 200,
       Object({{"items", ArrayOf(Ref("TimelineItem"))}, {"next_cursor", Nullable("string")}},
              {"items", "next_cursor"}),
       {"limit", "cursor"}},
  };
}

}  // namespace

json::value OpenApiDocument() {
  json::object paths;
  for (const auto& op : Operations()) {
    json::value& item = paths[op.path];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[op.method] = OperationJson(op);
  }
  json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = json::object{{"title", "OpenCredit API"},
                             {"version", "1"},
                             {"description", "信贷客户信息管理系统 / credit customer information "
                                             "management. Errors are application/problem+json "
                                             "(RFC 9457); messages follow Accept-Language."}};
  doc["paths"] = std::move(paths);
  doc["components"] = json::object{
      {"schemas", Schemas()},
      {"securitySchemes",
       json::object{{"session", json::object{{"type", "apiKey"},
                                             {"in", "cookie"},
                                             {"name", "oc_session"}}}}}};
  doc["security"] = json::array{json::object{{"session", json::array{}}}};
  return doc;
}

void AddOpenApiRoute(http::Router& router) {
  // Built once: the document is the same for the life of the process.
  auto body = std::make_shared<const std::string>(json::serialize(OpenApiDocument()));
  router.Add(http::Method::kGet, "/api/v1/openapi.json", [body](http::Request&) {
    http::Response response;
    response.body = *body;
    response.Set("Content-Type", "application/json");
    return response;
  });
}

}  // namespace oc::api
