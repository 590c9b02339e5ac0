#include "api/expr_json.h"

#include <boost/json.hpp>

#include <charconv>

namespace oc::api {
namespace {

namespace json = boost::json;
using expr::Type;
using expr::TypeKind;
using expr::Value;

// The shortest fixed-point text that reads back as the same double ("0.1", not
// "0.1000000000000000055511151231257827"): what the sender most likely wrote.
std::optional<Decimal> DecimalFromDouble(double d) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc()) return std::nullopt;
  return Decimal::Parse(std::string_view(buf, size_t(end - buf)));
}

std::optional<Instant> ParseDateTime(std::string_view text) {
  Instant instant;
  if (text.size() < 20 || !ParseInstant(text, &instant)) return std::nullopt;
  return instant;
}

Error WrongType(std::string_view field, Type type) {
  std::string name = type.Name();
  return InvalidField(std::string(field), "wrong_type",
                      {"应为 " + name + " 类型的值", "must be a value of type " + name});
}

std::optional<Type> Infer(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return Type::Of(TypeKind::kNull);
    case json::kind::bool_: return Type::Of(TypeKind::kBoolean);
    case json::kind::int64:
    case json::kind::uint64: return Type::Of(TypeKind::kInteger);
    case json::kind::double_: return Type::Of(TypeKind::kNumber);
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (Date::Parse(s)) return Type::Of(TypeKind::kDate);
      if (ParseDateTime(s)) return Type::Of(TypeKind::kDateTime);
      return Type::Of(TypeKind::kText);
    }
    case json::kind::array: {
      TypeKind element = TypeKind::kNull;
      for (const auto& item : v.get_array()) {
        auto t = Infer(item);
        if (!t || t->kind == TypeKind::kList) return std::nullopt;
        if (t->kind == TypeKind::kNull || t->kind == element) continue;
        if (element == TypeKind::kNull) {
          element = t->kind;
        } else if (t->IsNumeric() && Type::Of(element).IsNumeric()) {
          element = TypeKind::kNumber;
        } else {
          return std::nullopt;
        }
      }
      return Type::ListOf(element == TypeKind::kNull ? TypeKind::kText : element);
    }
    case json::kind::object: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

json::value ExprValueToJson(const Value& value) {
  switch (value.kind()) {
    case TypeKind::kNull: return nullptr;
    case TypeKind::kBoolean: return value.boolean();
    case TypeKind::kInteger: return value.integer();
    case TypeKind::kNumber:
    case TypeKind::kText:
    case TypeKind::kDate:
    case TypeKind::kDateTime: return json::string(value.ToString());
    case TypeKind::kList: {
      json::array out;
      for (const Value& item : value.list()) out.push_back(ExprValueToJson(item));
      return out;
    }
  }
  return nullptr;
}

Result<Value> ExprValueFromJson(const json::value& v, Type type, std::string_view field) {
  if (v.is_null()) return Value();
  switch (type.kind) {
    case TypeKind::kNull: break;
    case TypeKind::kBoolean:
      if (v.is_bool()) return Value::Boolean(v.get_bool());
      break;
    case TypeKind::kInteger:
      if (v.is_int64()) return Value::Integer(v.get_int64());
      if (v.is_uint64() && v.get_uint64() <= uint64_t(INT64_MAX)) {
        return Value::Integer(int64_t(v.get_uint64()));
      }
      if (v.is_double() || v.is_string()) {
        auto d = v.is_double() ? DecimalFromDouble(v.get_double()) : Decimal::Parse(v.get_string());
        auto i = d ? d->ToInt64() : std::nullopt;
        if (i) return Value::Integer(*i);
      }
      break;
    case TypeKind::kNumber: {
      std::optional<Decimal> d;
      if (v.is_int64()) d = Decimal::FromInt(v.get_int64());
      if (v.is_uint64()) d = Decimal::Parse(std::to_string(v.get_uint64()));
      if (v.is_double()) d = DecimalFromDouble(v.get_double());
      if (v.is_string()) d = Decimal::Parse(v.get_string());
      if (d) return Value::Number(*d);
      break;
    }
    case TypeKind::kText:
      if (v.is_string()) return Value::Text(std::string(v.get_string()));
      break;
    case TypeKind::kDate:
      if (v.is_string()) {
        if (auto d = Date::Parse(v.get_string())) return Value::Date(*d);
      }
      break;
    case TypeKind::kDateTime:
      if (v.is_string()) {
        if (auto i = ParseDateTime(v.get_string())) return Value::DateTime(*i);
      }
      break;
    case TypeKind::kList:
      if (v.is_array()) {
        std::vector<Value> items;
        for (const auto& item : v.get_array()) {
          auto converted = ExprValueFromJson(item, Type::Of(type.element), field);
          if (!converted) return converted;
          items.push_back(std::move(*converted));
        }
        return Value::List(std::move(items));
      }
      break;
  }
  return WrongType(field, type);
}

Result<expr::Schema> ExprSchemaFromJson(const json::value& v) {
  std::vector<expr::FieldSchema> fields;
  auto bad = [](std::string zh, std::string en) {
    return InvalidField("schema", "invalid_schema", {std::move(zh), std::move(en)});
  };
  auto add = [&](std::string_view name, const json::value& type) -> Status {
    auto t = type.is_string() ? Type::Parse(type.get_string()) : std::nullopt;
    if (!t) {
      return bad("字段“" + std::string(name) + "”的类型无效",
                 "Field '" + std::string(name) + "' has an invalid type");
    }
    fields.push_back({std::string(name), *t});
    return Ok();
  };
  if (v.is_object()) {
    for (const auto& [name, type] : v.get_object()) RETURN_IF_ERROR(add(name, type));
  } else if (v.is_array()) {
    for (const auto& entry : v.get_array()) {
      const auto* object = entry.if_object();
      const auto* name = object ? object->if_contains("name") : nullptr;
      const auto* type = object ? object->if_contains("type") : nullptr;
      if (!name || !name->is_string() || !type) {
        return bad("每个字段须为 {\"name\", \"type\"} 对象",
                   "Each field must be an object {\"name\", \"type\"}");
      }
      RETURN_IF_ERROR(add(name->get_string(), *type));
    }
  } else {
    return bad("字段表须为数组或对象", "The schema must be an array or an object");
  }
  return expr::Schema::Create(std::move(fields));
}

Result<expr::Schema> InferExprSchema(const json::object& variables) {
  std::vector<expr::FieldSchema> fields;
  std::vector<FieldViolation> violations;
  for (const auto& [name, value] : variables) {
    auto t = Infer(value);
    if (!t) {
      violations.push_back({"variables." + std::string(name), "wrong_type",
                            {"无法推断变量类型，请提供字段表",
                             "Cannot infer the variable's type; supply a schema"}});
      continue;
    }
    fields.push_back({std::string(name), *t});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return expr::Schema::Create(std::move(fields));
}

Result<expr::Record> ExprRecordFromJson(const json::object& variables,
                                        const expr::Schema& schema) {
  expr::Record record(schema);
  std::vector<FieldViolation> violations;
  for (const auto& [name, value] : variables) {
    std::string field = "variables." + std::string(name);
    auto slot = schema.Find(name);
    if (!slot) {
      violations.push_back({field, "unknown_variable",
                            {"字段表中没有此字段", "is not a field of the schema"}});
      continue;
    }
    auto converted = ExprValueFromJson(value, schema.fields()[*slot].type, field);
    if (!converted) {
      for (auto& v : converted.error().field_violations) violations.push_back(std::move(v));
      continue;
    }
    if (auto set = record.Set(name, std::move(*converted)); !set) {
      for (auto& v : set.error().field_violations) {
        violations.push_back({field, v.code, std::move(v.message)});
      }
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return record;
}

json::object ExprDiagnosticToJson(const expr::Diagnostic& d, std::string_view language,
                                  std::string_view field) {
  json::object out;
  if (!field.empty()) out["field"] = field;
  out["code"] = d.code;
  out["message"] = d.message.In(language);
  out["line"] = d.line;
  out["column"] = d.column;
  out["offset"] = d.offset;
  out["length"] = d.length;
  return out;
}

json::array ExprExplanationToJson(const expr::Explanation& explanation) {
  json::array out;
  for (const auto& step : explanation.steps) {
    out.push_back(json::object{{"text", step.text},
                               {"value", ExprValueToJson(step.value)},
                               {"depth", step.depth},
                               {"line", step.line},
                               {"column", step.column}});
  }
  return out;
}

}  // namespace oc::api
