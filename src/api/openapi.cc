#include "api/openapi.h"

#include <boost/json.hpp>
#include <memory>

#include "http/json.h"

namespace oc::api {

namespace json = boost::json;

json::object Ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

json::object Object(std::initializer_list<std::pair<std::string_view, json::value>> props,
                    std::initializer_list<std::string_view> required) {
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
json::object MapOf(json::value values) {
  return {{"type", "object"}, {"additionalProperties", std::move(values)}};
}
json::object ListOf(std::string_view schema) {
  return Object({{"items", ArrayOf(Ref(schema))}, {"next_cursor", Nullable("string")}},
                {"items", "next_cursor"});
}
json::object LocalizedName() {
  return Object({{"zh-CN", Type("string")}, {"en-US", Type("string")}}, {"zh-CN", "en-US"});
}

namespace {

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
       {"errors_not_listed", Type("integer")},
       // A 409 on a duplicate ID number or credit code names the customer it collides with,
       // so that the form can say so under the field and link to it when the caller may.
       {"existing_id", Type("integer")},
       {"existing_name", Type("string")},
       {"existing_owner_name", Type("string")},
       {"may_open", Type("boolean")}},
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
                         {"expires_at", Type("string")},
                         {"time_zone", Type("string")}},
                        {"csrf_token", "user", "must_change_password", "expires_at", "time_zone"});
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
                            {"path_names", Type("string")},
                            {"version", Type("integer")},
                            {"created_at", Type("string")},
                            {"updated_at", Type("string")}},
                           {"id", "parent_id", "name", "path", "path_names", "version"});
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
                            {"action_label", Type("string")},
                            {"entity_type", Type("string")},
                            {"object_label", Type("string")},
                            {"entity_id", Type("string")},
                            {"changes", ArrayOf(Object({{"field", Type("string")},
                                                        {"before", Nullable("string")},
                                                        {"after", Nullable("string")}}))},
                            {"detail", Type("string")},
                            {"request_id", Type("string")},
                            {"client_ip", Type("string")},
                            {"hash", Type("string")}},
                           {"id", "at", "action", "action_label", "object_label"});
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
  s["AssignableUser"] = Object(
      {{"id", Type("integer")},
       {"username", Type("string")},
       {"display_name", Type("string")},
       {"department",
        Object({{"id", Type("integer")}, {"name", Type("string")}, {"path_names", Type("string")}},
               {"id", "name", "path_names"})},
       {"roles",
        ArrayOf(Object({{"key", Type("string")}, {"name", Type("string")}}, {"key", "name"}))}},
      {"id", "username", "display_name", "department", "roles"});
  s["Workbench"] = Object({{"business_date", Type("string")},
                           {"my_customers", Type("integer")},
                           {"followups_due_today", Type("integer")},
                           {"followups_overdue", Type("integer")},
                           {"new_customers_this_month", Type("integer")}},
                          {"business_date", "my_customers", "followups_due_today",
                           "followups_overdue", "new_customers_this_month"});
  s["AuditActionInfo"] =
      Object({{"key", Type("string")}, {"label", Type("string")}}, {"key", "label"});
  s["CustomerDeletion"] =
      Object({{"reason", json::object{{"type", "string"}, {"minLength", 2}, {"maxLength", 200}}}},
             {"reason"});
  // A list item: the customer, and the one phone the list shows for it, masked.
  s["CustomerListItem"] = json::object{
      {"allOf", json::array{Ref("Customer"), Object({{"display_phone", Nullable("string")}},
                                                    {"display_phone"})}}};
  s["CustomerPage"] = Object({{"items", ArrayOf(Ref("CustomerListItem"))},
                              {"next_cursor", Nullable("string")},
                              {"total", Type("integer")}},
                             {"items", "next_cursor", "total"});
  s["Relation"] = Object({{"id", Type("integer")},
                          {"role", Type("string")},
                          {"direction", json::object{{"type", "string"},
                                                     {"enum", json::array{"outgoing",
                                                                          "incoming"}}}},
                          {"counterpart", Object({{"customer_id", Type("integer")},
                                                  {"name", Nullable("string")},
                                                  {"phone", Type("string")},
                                                  {"id_number", Type("string")}})},
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
  s["TimelineItem"] = Object(
      {{"kind",
        json::object{{"type", "string"}, {"enum", json::array{"followup", "change", "todo"}}}},
       {"at", Type("string")},
       {"id", Type("integer")},
       {"action", Type("string")},
       {"action_label", Type("string")},
       {"summary", Type("string")},
       {"actor", Type("string")},
       {"changes", ArrayOf(Ref("TimelineChange"))},
       {"channel", Type("string")},
       {"content", Type("string")},
       {"todo", Object({{"id", Type("integer")},
                        {"title", Type("string")},
                        {"status", Ref("TodoStatus")},
                        {"due_at", Nullable("string")},
                        {"assignee_id", Type("integer")},
                        {"assignee_name", Type("string")},
                        {"completion_note", Type("string")},
                        {"overdue", Type("boolean")}},
                       {"id", "title", "status", "due_at", "assignee_name", "overdue"})}},
      {"kind", "at", "id"});
  // before and after hold what the field held: text, a list, or null.
  s["TimelineChange"] = Object({{"field", Type("string")},
                                {"field_label", Type("string")},
                                {"before", json::object{}},
                                {"after", json::object{}},
                                {"before_display", Type("string")},
                                {"after_display", Type("string")}},
                               {"field"});
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
                       {"max_length", Nullable("integer")},
                       {"archived", Type("boolean")}},
                      {"name", "label", "type"});
  // A change to a field; what is absent stays. A label may give one language alone.
  s["FieldPatch"] = Object({{"label", Object({{"zh-CN", Type("string")}, {"en-US", Type("string")}})},
                            {"options", ArrayOf(Ref("FieldOption"))},
                            {"required", Type("boolean")},
                            {"max_length", Nullable("integer")},
                            {"archived", Type("boolean")}});
  s["Entity"] = Object({{"key", Type("string")},
                        {"label", LocalizedName()},
                        {"version", Type("integer")},
                        {"sections", ArrayOf(Object({{"key", Type("string")},
                                                     {"label", LocalizedName()}}))},
                        {"fields", ArrayOf(Ref("Field"))}},
                       {"key", "label", "version", "fields"});
  auto one_of = [](std::initializer_list<std::string_view> values) {
    json::array names;
    for (std::string_view v : values) names.emplace_back(v);
    return json::object{{"type", "string"}, {"enum", std::move(names)}};
  };
  s["RecordLink"] = Object(
      {{"entity_type", Type("string")}, {"entity_id", Type("string")}, {"label", Type("string")}},
      {"entity_type", "entity_id"});
  s["TodoStatus"] = one_of({"open", "done", "cancelled"});
  s["Todo"] =
      Object({{"id", Type("integer")},
              {"title", Type("string")},
              {"assignee_id", Type("integer")},
              {"assignee_name", Type("string")},
              {"due_at", Nullable("string")},
              {"link", OrNull(Ref("RecordLink"))},
              {"source", one_of({"manual", "rule", "approval", "system"})},
              {"status", Ref("TodoStatus")},
              {"completion_note", Type("string")},
              {"created_at", Type("string")},
              {"closed_at", Nullable("string")},
              {"overdue", Type("boolean")},
              {"overdue_seconds", Nullable("integer")}},
             {"id", "title", "assignee_id", "assignee_name", "due_at", "link", "source", "status",
              "completion_note", "created_at", "closed_at", "overdue", "overdue_seconds"});
  s["TodoInput"] =
      Object({{"title", Type("string")},
              {"due_at", Nullable("string")},
              {"assignee_id", Type("integer")},
              {"link", Object({{"entity_type", Type("string")}, {"entity_id", Type("string")}},
                              {"entity_type", "entity_id"})}},
             {"title"});
  s["Notification"] = Object({{"id", Type("integer")},
                              {"title", Type("string")},
                              {"body", Type("string")},
                              {"link", OrNull(Ref("RecordLink"))},
                              {"created_at", Type("string")},
                              {"read_at", Nullable("string")}},
                             {"id", "title", "body", "link", "created_at", "read_at"});
  std::initializer_list<std::pair<std::string_view, json::value>> delivery = {
      {"id", Type("integer")},
      {"event_seq", Type("integer")},
      {"event_type", Type("string")},
      {"stream_type", Type("string")},
      {"stream_id", Type("string")},
      {"consumer", Type("string")},
      {"idem_key", Type("string")},
      {"status", one_of({"pending", "leased", "done", "dead", "discarded"})},
      {"attempts", Type("integer")},
      {"last_error", Type("string")},
      {"created_at", Type("string")},
      {"due_at", Type("string")},
      {"finished_at", Nullable("string")}};
  std::initializer_list<std::string_view> delivery_required = {
      "id",     "event_seq", "event_type", "stream_type", "stream_id", "consumer",   "idem_key",
      "status", "attempts",  "last_error", "created_at",  "due_at",    "finished_at"};
  s["Delivery"] = Object(delivery, delivery_required);
  s["DeliveryDetail"] = Object(delivery, delivery_required);
  s["DeliveryDetail"].as_object()["properties"].as_object()["event"] = Ref("DomainEvent");
  s["DeliveryDetail"].as_object()["required"].as_array().emplace_back("event");
  s["DomainEvent"] = Object({{"seq", Type("integer")},
                             {"type", Type("string")},
                             {"stream_type", Type("string")},
                             {"stream_id", Type("string")},
                             {"payload", Type("object")},
                             {"actor_user_id", Nullable("integer")},
                             {"actor", Type("string")},
                             {"occurred_at", Type("string")},
                             {"correlation_id", Type("string")},
                             {"causation_seq", Nullable("integer")}},
                            {"seq", "type", "stream_type", "stream_id", "payload", "actor",
                             "occurred_at", "correlation_id"});
  s["JobRun"] =
      Object({{"id", Type("integer")},
              {"job_key", Type("string")},
              {"scheduled_for", Type("string")},
              {"manual", Type("boolean")},
              {"requested_by", Type("string")},
              {"status", one_of({"pending", "running", "succeeded", "failed", "dead"})},
              {"attempts", Type("integer")},
              {"started_at", Nullable("string")},
              {"finished_at", Nullable("string")},
              {"duration_ms", Nullable("integer")},
              {"error", Type("string")},
              {"progress",
               OrNull(Object({{"done", Type("integer")},
                              {"total", Nullable("integer")},
                              {"rate_per_second", Type("number")},
                              {"eta_seconds", Nullable("integer")},
                              {"updated_at", Type("string")}},
                             {"done", "total", "rate_per_second", "eta_seconds", "updated_at"}))}},
             {"id", "job_key", "scheduled_for", "manual", "requested_by", "status", "attempts",
              "started_at", "finished_at", "duration_ms", "error", "progress"});
  s["Job"] = Object({{"key", Type("string")},
                     {"label", Type("string")},
                     {"schedule", Type("string")},
                     {"schedule_label", Type("string")},
                     {"catch_up", one_of({"once", "every"})},
                     {"working_days_only", Type("boolean")},
                     {"next_fire_at", Nullable("string")},
                     {"last_run", OrNull(Ref("JobRun"))}},
                    {"key", "label", "schedule", "schedule_label", "catch_up", "working_days_only",
                     "next_fire_at", "last_run"});
  s["BusinessDate"] = Object({{"date", Type("string")},
                              {"calendar_key", Type("string")},
                              {"is_working_day", Type("boolean")},
                              {"next_working_day", Type("string")}},
                             {"date", "calendar_key", "is_working_day", "next_working_day"});
  s["BusinessDateChange"] = Object({{"from", Type("string")},
                                    {"to", Type("string")},
                                    {"how", one_of({"close", "manual"})},
                                    {"advanced", Type("boolean")},
                                    {"summary", Type("string")}},
                                   {"from", "to", "how", "advanced", "summary"});
  s["BusinessDateMove"] = Object({{"id", Type("integer")},
                                  {"from", Type("string")},
                                  {"to", Type("string")},
                                  {"how", one_of({"close", "manual"})},
                                  {"actor", Type("string")},
                                  {"at", Type("string")}},
                                 {"id", "from", "to", "how", "actor", "at"});
  s["WorkingPeriod"] =
      Object({{"start", Type("string")}, {"end", Type("string")}}, {"start", "end"});
  s["Calendar"] = Object({{"key", Type("string")},
                          {"name", Type("string")},
                          {"name_zh", Type("string")},
                          {"name_en", Type("string")},
                          {"time_zone", Type("string")},
                          {"work_week", ArrayOf(Type("integer"))},
                          {"working_hours", ArrayOf(Ref("WorkingPeriod"))},
                          {"version", Type("integer")},
                          {"updated_at", Type("string")}},
                         {"key", "name", "name_zh", "name_en", "time_zone", "work_week",
                          "working_hours", "version", "updated_at"});
  s["CalendarInput"] = Object({{"name_zh", Type("string")},
                               {"name_en", Type("string")},
                               {"time_zone", Type("string")},
                               {"work_week", ArrayOf(Type("integer"))},
                               {"working_hours", ArrayOf(Ref("WorkingPeriod"))}});
  s["CalendarDay"] = Object({{"date", Type("string")},
                             {"kind", one_of({"holiday", "workday"})},
                             {"name", Type("string")}},
                            {"date", "kind", "name"});
  return s;
}

// Every Operation::tag, in the order the document lists them.
json::array Tags() {
  auto tag = [](std::string_view name, std::string_view description) {
    return json::object{{"name", name}, {"description", description}};
  };
  return {
      tag("auth", "Signing in and out, the session, and the signed-in user's own settings"),
      tag("customers",
          "The customer registry: customers, related parties, follow-ups and the "
          "timeline"),
      tag("users", "User accounts, and privileged changes waiting for a second administrator"),
      tag("departments", "The department tree that data scopes follow"),
      tag("roles", "Roles, the permissions they grant and their data scopes"),
      tag("audit", "The tamper-evident audit trail"),
      tag("entities",
          "Entity metadata: the fields forms and lists render from, and custom "
          "fields"),
      tag("expressions", "The formula and condition language"),
      tag("workbench", "What each member of staff lands on after signing in"),
      tag("todos", "Each member of staff's to-dos and notifications, and their live stream"),
      tag("operations", "Background jobs and the delivery of domain events to consumers"),
      tag("calendar", "The business date (营业日) and the business calendars"),
      tag("system", "Liveness, readiness and this document"),
  };
}

// The answers most operations share, referred to from each operation by
// #/components/responses/<name>.
json::object SharedResponses() {
  auto problem = [](std::string_view description) {
    return json::object{{"description", description},
                        {"content", json::object{{"application/problem+json",
                                                  json::object{{"schema", Ref("Problem")}}}}}};
  };
  return {
      {"BadRequest", problem("Malformed request: its target, headers or JSON body")},
      {"Unauthorized", problem("Not signed in, or the session has ended")},
      {"Forbidden", problem("Missing permission or CSRF token, or the password must be changed "
                            "first")},
      {"NotFound", problem("No such record, or one outside the caller's data scope")},
      {"PreconditionFailed", problem("The If-Match version is no longer the record's")},
      {"UnprocessableContent", problem("Invalid fields; `errors` lists each with its reason")},
      {"PreconditionRequired", problem("If-Match is missing")},
  };
}

json::object ResponseRef(std::string_view name) {
  return {{"$ref", "#/components/responses/" + std::string(name)}};
}

json::object JsonContent(json::value schema) {
  return {{"application/json", json::object{{"schema", std::move(schema)}}}};
}

std::string LowerMethodName(http::Method method) {
  std::string name(http::MethodName(method));
  for (char& c : name) c = static_cast<char>(c - 'A' + 'a');
  return name;
}

json::array PathParameters(std::string_view path) {
  json::array params;
  size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string_view::npos) {
    size_t end = path.find('}', pos);
    std::string_view name = path.substr(pos + 1, end - pos - 1);
    // Records are addressed by 64-bit ids; entities, calendars and jobs by their key
    // ("customer"), calendar days by their date, calendar years by the year.
    json::object schema =
        name == "key"    ? json::object{{"type", "string"}}
        : name == "date" ? json::object{{"type", "string"}, {"format", "date"}}
        : name == "year" ? json::object{{"type", "integer"}, {"minimum", 1900}, {"maximum", 2999}}
                         : json::object{{"type", "integer"}, {"minimum", 1}};
    params.push_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", std::move(schema)}});
    pos = end;
  }
  return params;
}

// `protection` is null for a public route.
json::object OperationJson(http::Method method, std::string_view path, const Operation& op,
                           const Protection* protection) {
  json::object out;
  out["tags"] = json::array{json::value(op.tag)};
  out["summary"] = op.summary;
  if (!op.description.empty()) out["description"] = op.description;
  out["operationId"] = op.id;
  json::array params = PathParameters(path);
  for (const auto& name : op.query) {
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
  if (op.idempotency_key) {
    params.push_back(json::object{
        {"name", "Idempotency-Key"},
        {"in", "header"},
        {"required", false},
        {"description",
         "1–128 characters, chosen by the client per request. A repeat with the same key within "
         "24 hours gets the first successful response again (Idempotent-Replayed: true) and "
         "creates nothing; the same key with a different body is 422."},
        {"schema", json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", 128}}}});
  }
  if (!params.empty()) out["parameters"] = std::move(params);
  const bool state_changing = method != http::Method::kGet && method != http::Method::kHead &&
                              method != http::Method::kOptions;
  if (protection == nullptr) {
    out["security"] = json::array{};
  } else {
    if (protection->permission) {
      out["x-permission"] = auth::PermissionName(*protection->permission);
    }
    if (protection->alternative) {
      out["x-permission-alternative"] = auth::PermissionName(*protection->alternative);
    }
    // The guard checks the CSRF token on these; reads need the session alone (the default).
    if (state_changing) {
      out["security"] =
          json::array{json::object{{"session", json::array{}}, {"csrf", json::array{}}}};
    }
  }
  if (op.request) {
    out["requestBody"] = json::object{{"required", true}, {"content", JsonContent(*op.request)}};
  }
  json::object responses;
  json::object success{{"description", op.success == 201 ? "Created" : "OK"}};
  if (op.response) success["content"] = JsonContent(*op.response);
  responses[std::to_string(op.success)] = std::move(success);
  if (op.also) {
    responses[std::to_string(op.also->first)] =
        json::object{{"description", "Accepted"}, {"content", JsonContent(op.also->second)}};
  }
  // The server answers any malformed request line or header with 400, whatever the route.
  responses["400"] = ResponseRef("BadRequest");
  if (protection != nullptr) {
    responses["401"] = ResponseRef("Unauthorized");
    responses["403"] = ResponseRef("Forbidden");
  }
  if (path.find('{') != std::string_view::npos) responses["404"] = ResponseRef("NotFound");
  if (op.if_match) responses["412"] = ResponseRef("PreconditionFailed");
  if (op.request || !op.query.empty()) responses["422"] = ResponseRef("UnprocessableContent");
  if (op.if_match) responses["428"] = ResponseRef("PreconditionRequired");
  out["responses"] = std::move(responses);
  return out;
}

void AppendIndented(const json::value& value, size_t depth, std::string& out) {
  auto newline = [&out](size_t level) {
    out += '\n';
    out.append(2 * level, ' ');
  };
  if (value.is_object() && !value.get_object().empty()) {
    out += '{';
    bool first = true;
    for (const auto& [key, child] : value.get_object()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      out += json::serialize(json::string(key));
      out += ": ";
      AppendIndented(child, depth + 1, out);
    }
    newline(depth);
    out += '}';
  } else if (value.is_array() && !value.get_array().empty()) {
    out += '[';
    bool first = true;
    for (const auto& child : value.get_array()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      AppendIndented(child, depth + 1, out);
    }
    newline(depth);
    out += ']';
  } else {
    out += json::serialize(value);
  }
}

}  // namespace

void AddPublicRoute(http::Router& router, http::Method method, std::string_view path,
                    const Operation& operation, http::Handler handler, http::RouteOptions options) {
  options.operation = OperationJson(method, path, operation, nullptr);
  router.Add(method, path, std::move(handler), std::move(options));
}

void AddProtectedRoute(http::Router& router, const Guard& guard, http::Method method,
                       std::string_view path, const Protection& protection,
                       const Operation& operation, ProtectedHandler handler,
                       http::RouteOptions options) {
  options.operation = OperationJson(method, path, operation, &protection);
  router.Add(method, path, guard.Protect(protection, std::move(handler)), std::move(options));
}

json::value OpenApiDocument(const http::Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    if (route->options.operation.empty()) continue;
    json::value& item = paths[route->pattern];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[LowerMethodName(route->method)] = route->options.operation;
  }
  json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = json::object{{"title", "OpenCredit API"},
                             {"version", "1"},
                             {"description", "信贷客户信息管理系统 / credit customer information "
                                             "management. Errors are application/problem+json "
                                             "(RFC 9457); messages follow Accept-Language."}};
  // Relative, so that the document holds behind whatever host and scheme serve it.
  doc["servers"] = json::array{
      json::object{{"url", "/"}, {"description", "The server that serves this document"}}};
  doc["tags"] = Tags();
  doc["paths"] = std::move(paths);
  doc["components"] = json::object{
      {"schemas", Schemas()},
      {"responses", SharedResponses()},
      {"securitySchemes",
       json::object{
           {"session", json::object{{"type", "apiKey"},
                                    {"in", "cookie"},
                                    {"name", kSessionCookie},
                                    {"description", "The session cookie that signing in sets"}}},
           {"csrf", json::object{{"type", "apiKey"},
                                 {"in", "header"},
                                 {"name", kCsrfHeader},
                                 {"description",
                                  "The session's csrf_token, required on every "
                                  "state-changing request"}}}}}};
  doc["security"] = json::array{json::object{{"session", json::array{}}}};
  return doc;
}

std::string OpenApiText(const http::Router& router) {
  std::string text;
  AppendIndented(OpenApiDocument(router), 0, text);
  text += '\n';
  return text;
}

void AddOpenApiRoute(http::Router& router) {
  auto body = std::make_shared<std::string>();
  AddPublicRoute(router, http::Method::kGet, "/api/v1/openapi.json",
                 {.id = "getOpenApiDocument",
                  .tag = "system",
                  .summary = "This document",
                  .response = Type("object")},
                 [body](http::Request&) {
                   http::Response response;
                   response.body = *body;
                   response.Set("Content-Type", "application/json");
                   return response;
                 });
  // Built once, after its own registration so that it lists itself: the routes do not change
  // for the life of the process.
  *body = OpenApiText(router);
}

}  // namespace oc::api
