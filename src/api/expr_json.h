#pragma once
// JSON for the expression language, shared by the `opencredit expr` commands and the
// /api/v1/expr handlers (the expr module itself stays free of JSON and I/O).
//
// Values as JSON: null, true/false, integers as JSON numbers, numbers (exact decimals) as
// decimal strings ("0.3", never a binary float), text as strings, dates "YYYY-MM-DD",
// datetimes RFC 3339 UTC, lists as arrays.
// Values from JSON, for a field of a known type: numbers accept a JSON number or a decimal
// string; dates and datetimes accept their ISO text; an integer field accepts a whole number.
// Schemas as JSON: [{"name": "负债率", "type": "number"}, …] or {"负债率": "number", …}; types
// are "boolean", "integer", "number", "text", "date", "datetime", "list<number>", ….
// Stateless functions; thread-safe.

#include <boost/json/value.hpp>

#include <string_view>

#include "core/error.h"
#include "expr/expr.h"

namespace oc::api {

boost::json::value ExprValueToJson(const expr::Value& value);

// Converts `json` for a field of `type`. Returns kInvalidArgument naming `field` (code
// "wrong_type") when it does not fit.
Result<expr::Value> ExprValueFromJson(const boost::json::value& json, expr::Type type,
                                      std::string_view field);

// Parses a schema in either form. kInvalidArgument (field "schema") for malformed entries,
// unknown types, empty or duplicate names.
Result<expr::Schema> ExprSchemaFromJson(const boost::json::value& json);

// A schema inferred from sample variables, for callers that give values but no schema: JSON
// booleans are boolean, whole numbers integer, other numbers number, strings that are ISO dates
// or RFC 3339 datetimes date/datetime, other strings text, arrays lists (of the common element
// type; text when empty), null the null type.
// REQUIRES: nothing; any object is accepted.
Result<expr::Schema> InferExprSchema(const boost::json::object& variables);

// Fills a record of `schema` from `variables`. Fields without a variable stay null. Returns
// kInvalidArgument listing every variable that is unknown (code "unknown_variable") or does
// not fit its field's type, with the field named "variables.<name>".
Result<expr::Record> ExprRecordFromJson(const boost::json::object& variables,
                                        const expr::Schema& schema);

// {"code", "message" (in `language`), "line", "column", "offset", "length"}, plus "field" when
// `field` is not empty.
boost::json::object ExprDiagnosticToJson(const expr::Diagnostic& diagnostic,
                                         std::string_view language, std::string_view field);

// [{"text", "value", "depth", "line", "column"}, …] in evaluation order.
boost::json::array ExprExplanationToJson(const expr::Explanation& explanation);

}  // namespace oc::api
