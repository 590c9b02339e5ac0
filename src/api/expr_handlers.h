#pragma once
// The expression language for the web designers (forms, flows, rules, reports):
//   POST /api/v1/expr/check     {"expression", "schema" | "entity", "variables"?}
//       200 {"valid": true, "type", "referenced_fields"}
//   POST /api/v1/expr/evaluate  {"expression", "schema" | "entity", "variables"?, "today"?,
//                                "explain"?}
//       200 {"value", "type"[, "explain": [...]]}
// "schema" is [{"name", "type"}, …] or {"name": "type", …}; without it the field types are
// inferred from "variables". "entity" names an entity ("customer") whose fields form the schema,
// each under its name and its Chinese label (负债率 > 0.8 and debt_ratio > 0.8 both work);
// variables are keyed by field name. An unknown entity is 422 "unknown_entity".
// An invalid expression (or a run-time error such as division by zero) is a 422
// problem+json whose errors[] carry field "expression", the stable code, the message in the
// request's language, and line, column, offset and length (characters) for the editor.
// Stateless; the handlers are safe to run concurrently.

#include "api/api_context.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "http/request.h"
#include "http/router.h"
#include "runtime/business_date.h"

namespace oc::forms {
class EntityRegistry;
}

namespace oc::api {

// `entities` resolves "entity"; null answers every entity 422 "unknown_entity".
http::Response HandleExprCheck(http::Request& request, forms::EntityRegistry* entities);
// TODAY() is the body's "today" if given, else the business date of `business` (whose calendar
// WORKDAY, NETWORKDAYS and ISWORKDAY then count by), else the clock's date in `zone`; NOW() is
// the clock.
http::Response HandleExprEvaluate(http::Request& request, const Clock& clock, const TimeZone& zone,
                                  forms::EntityRegistry* entities,
                                  const runtime::BusinessDay* business = nullptr);

// Registers both routes for any signed-in user. REQUIRES: `entities` outlives the router.
void AddExprRoutes(http::Router& router, const ApiContext& ctx, forms::EntityRegistry& entities);

}  // namespace oc::api
