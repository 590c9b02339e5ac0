#include "api/expr_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/expr_json.h"
#include "api/openapi.h"
#include "expr/expr.h"
#include "forms/entity_registry.h"
#include "forms/expr_binding.h"
#include "http/json.h"

namespace oc::api {
namespace {

namespace json = boost::json;

constexpr size_t kMaxExpressionBytes = 16 * 1024;

struct ExprRequest {
  std::string expression;
  std::optional<forms::ExprBinding> binding;  // when the schema is an entity's
  expr::Schema schema;
  json::object variables;
  std::optional<Date> today;
  bool explain = false;
};

// A 422 for expression diagnostics: the standard problem document, with each error's position
// added for the editor to underline.
http::Response DiagnosticsResponse(const std::vector<expr::Diagnostic>& diagnostics,
                                   const http::Request& request) {
  http::Response response = http::ProblemResponse(expr::ToError(diagnostics), request);
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  auto* errors = ec ? nullptr : body.as_object().if_contains("errors");
  if (errors == nullptr || !errors->is_array()) return response;
  auto& items = errors->as_array();
  for (size_t i = 0; i < items.size() && i < diagnostics.size(); ++i) {
    auto& item = items[i].as_object();
    item["line"] = diagnostics[i].line;
    item["column"] = diagnostics[i].column;
    item["offset"] = diagnostics[i].offset;
    item["length"] = diagnostics[i].length;
  }
  response.body = json::serialize(body);
  return response;
}

// Staff write 负债率 > 0.8: the entity's typed schema takes labels beside keys, so `variables`
// keyed by field key are copied to each label of the field too, and either spelling reads the
// same value.
void CopyVariablesToLabels(const forms::ExprBinding& binding, json::object& variables) {
  for (const auto& [label, key] : binding.key_by_label()) {
    if (const auto* v = variables.if_contains(key)) {
      json::value copy = *v;  // inserting may rehash and move what `v` points at
      variables[label] = std::move(copy);
    }
  }
}

// Reads and validates the body; on failure returns the response to send.
std::optional<ExprRequest> ReadRequest(http::Request& request, bool allow_eval_fields,
                                       forms::EntityRegistry* entities, http::Response* error) {
  auto body = http::ParseJsonBody(request);
  if (!body) {
    *error = body.error();
    return std::nullopt;
  }
  std::vector<FieldViolation> violations;
  auto fail = [&] {
    *error = ErrorResponse(InvalidArgument(std::move(violations)), request);
    return std::nullopt;
  };
  if (!body->is_object()) {
    violations.push_back({"", "not_an_object", {"请求体必须是 JSON 对象",
                                                "The body must be a JSON object"}});
    return fail();
  }
  const json::object& object = body->as_object();
  ExprRequest out;
  for (const auto& [key, value] : object) {
    bool known = key == "expression" || key == "schema" || key == "entity" || key == "variables" ||
                 (allow_eval_fields && (key == "today" || key == "explain"));
    if (!known) {
      violations.push_back({std::string(key), "unknown_field", {"未知字段", "is not a known field"}});
    }
  }
  const auto* expression = object.if_contains("expression");
  if (expression == nullptr || !expression->is_string()) {
    violations.push_back({"expression", "required", {"必填，须为字符串", "is required (a string)"}});
  } else if (expression->get_string().size() > kMaxExpressionBytes) {
    violations.push_back({"expression", "too_long",
                          {"过长（最多 16384 字节）", "is too long (at most 16384 bytes)"}});
  } else {
    out.expression = std::string(expression->get_string());
  }
  if (const auto* variables = object.if_contains("variables")) {
    if (variables->is_object()) {
      out.variables = variables->get_object();
    } else if (!variables->is_null()) {
      violations.push_back({"variables", "wrong_type", {"须为对象", "must be an object"}});
    }
  }
  if (const auto* today = object.if_contains("today"); today && !today->is_null()) {
    out.today = today->is_string() ? Date::Parse(today->get_string()) : std::nullopt;
    if (!out.today) {
      violations.push_back({"today", "invalid_date", {"须为 YYYY-MM-DD 格式的日期",
                                                      "must be a date YYYY-MM-DD"}});
    }
  }
  if (const auto* explain = object.if_contains("explain"); explain && !explain->is_null()) {
    if (explain->is_bool()) {
      out.explain = explain->get_bool();
    } else {
      violations.push_back({"explain", "wrong_type", {"须为布尔值", "must be a boolean"}});
    }
  }
  if (!violations.empty()) return fail();

  Result<expr::Schema> schema = expr::Schema();
  if (const auto* entity = object.if_contains("entity"); entity && !entity->is_null()) {
    std::string name = entity->is_string() ? std::string(entity->get_string()) : "";
    auto def = entities != nullptr && !name.empty()
                   ? entities->Get(name)
                   : Result<std::shared_ptr<const forms::EntityDef>>(NotFound({}));
    if (!def && def.error().code != ErrorCode::kNotFound) {
      *error = ErrorResponse(def.error(), request);
      return std::nullopt;
    }
    if (!def) {
      *error = ErrorResponse(
          InvalidField("entity", "unknown_entity",
                       {"未知实体“" + name + "”", "Unknown entity '" + name + "'"}),
          request);
      return std::nullopt;
    }
    auto binding = forms::ExprBinding::Of(**def);
    if (!binding) {
      *error = ErrorResponse(binding.error(), request);
      return std::nullopt;
    }
    CopyVariablesToLabels(*binding, out.variables);
    schema = binding->typed_schema();
    out.binding = std::move(*binding);
  } else if (const auto* s = object.if_contains("schema"); s && !s->is_null()) {
    schema = ExprSchemaFromJson(*s);
  } else {
    schema = InferExprSchema(out.variables);
  }
  if (!schema) {
    *error = ErrorResponse(schema.error(), request);
    return std::nullopt;
  }
  out.schema = std::move(*schema);
  return out;
}

}  // namespace

http::Response HandleExprCheck(http::Request& request, forms::EntityRegistry* entities) {
  http::Response error;
  auto input = ReadRequest(request, false, entities, &error);
  if (!input) return error;
  auto compiled = expr::Compile(input->expression, input->schema);
  if (!compiled) return DiagnosticsResponse(compiled.error(), request);
  json::object body{{"valid", true}, {"type", compiled->result_type().Name()}};
  json::array fields;
  if (input->binding) {
    // What a designer saves: keys only, so a renamed label cannot break it.
    auto stored = input->binding->ToStored(input->expression);
    if (!stored) return DiagnosticsResponse(stored.error(), request);
    auto by_key = input->binding->Compile(*stored);
    if (!by_key) return DiagnosticsResponse(by_key.error(), request);
    for (const auto& f : by_key->referenced_fields()) fields.push_back(json::string(f));
    body["stored"] = *stored;
  } else {
    for (const auto& f : compiled->referenced_fields()) fields.push_back(json::string(f));
  }
  body["referenced_fields"] = std::move(fields);
  return http::JsonResponse(200, body);
}

http::Response HandleExprEvaluate(http::Request& request, const Clock& clock, const TimeZone& zone,
                                  forms::EntityRegistry* entities,
                                  const runtime::BusinessDay* business) {
  http::Response error;
  auto input = ReadRequest(request, true, entities, &error);
  if (!input) return error;
  auto compiled = expr::Compile(input->expression, input->schema);
  if (!compiled) return DiagnosticsResponse(compiled.error(), request);
  auto record = ExprRecordFromJson(input->variables, input->schema);
  if (!record) return ErrorResponse(record.error(), request);
  expr::EvalContext ctx;
  ctx.clock = &clock;
  ctx.utc_offset_minutes = zone.utc_offset_minutes();
  if (business) business->ApplyTo(ctx);
  if (input->today) ctx.today = input->today;
  auto explained = expr::Explain(*compiled, *record, ctx);
  if (!explained) return DiagnosticsResponse({explained.error()}, request);
  json::object body{{"value", ExprValueToJson(explained->value)},
                    {"type", compiled->result_type().Name()}};
  if (input->explain) body["explain"] = ExprExplanationToJson(*explained);
  return http::JsonResponse(200, body);
}

void AddExprRoutes(http::Router& router, const ApiContext& ctx, forms::EntityRegistry& entities) {
  http::RouteOptions options{.max_body_bytes = 256 * 1024};
  AddProtectedRoute(
      router, ctx.guard, http::Method::kPost, "/api/v1/expr/check", {},
      {.id = "checkExpression",
       .tag = "expressions",
       .summary = "Type-check an expression",
       .description = "Against a schema or an entity's fields.",
       .request = Object({{"expression", Type("string")},
                          {"schema", Type("array")},
                          {"entity", Type("string")},
                          {"variables", Type("object")}},
                         {"expression"}),
       .response = Object({{"valid", Type("boolean")},
                           {"type", Type("string")},
                           // With an entity: the expression to store, by field key.
                           {"stored", Type("string")},
                           {"referenced_fields", ArrayOf(Type("string"))}})},
      [&entities](http::Request& request, const Caller&) {
        return HandleExprCheck(request, &entities);
      },
      options);
  AddProtectedRoute(
      router, ctx.guard, http::Method::kPost, "/api/v1/expr/evaluate", {},
      {.id = "evaluateExpression",
       .tag = "expressions",
       .summary = "Evaluate an expression",
       .description = "With explain: the value of every sub-expression.",
       .request = Object({{"expression", Type("string")},
                          {"schema", Type("array")},
                          {"entity", Type("string")},
                          {"variables", Type("object")},
                          {"today", Type("string")},
                          {"explain", Type("boolean")}},
                         {"expression"}),
       .response = Object(
           {{"value", json::object{}}, {"type", Type("string")}, {"explain", Type("array")}})},
      [&ctx, &entities](http::Request& request, const Caller&) {
        auto business = ctx.business_date.Today();
        if (!business) return ErrorResponse(business.error(), request);
        return HandleExprEvaluate(request, ctx.clock, ctx.zone, &entities, &*business);
      },
      options);
}

}  // namespace oc::api
