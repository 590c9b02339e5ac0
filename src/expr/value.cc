#include "expr/value.h"

namespace oc::expr {

std::string_view TypeKindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kNull: return "null";
    case TypeKind::kBoolean: return "boolean";
    case TypeKind::kInteger: return "integer";
    case TypeKind::kNumber: return "number";
    case TypeKind::kText: return "text";
    case TypeKind::kDate: return "date";
    case TypeKind::kDateTime: return "datetime";
    case TypeKind::kList: return "list";
  }
  return "null";
}

std::string Type::Name() const {
  if (kind != TypeKind::kList) return std::string(TypeKindName(kind));
  return "list<" + std::string(TypeKindName(element)) + ">";
}

namespace {

std::optional<TypeKind> ParseKind(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeKind> kNames[] = {
      {"null", TypeKind::kNull},         {"boolean", TypeKind::kBoolean},
      {"bool", TypeKind::kBoolean},      {"integer", TypeKind::kInteger},
      {"number", TypeKind::kNumber},     {"decimal", TypeKind::kNumber},
      {"text", TypeKind::kText},         {"string", TypeKind::kText},
      {"date", TypeKind::kDate},         {"datetime", TypeKind::kDateTime},
  };
  for (const auto& [n, k] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Type> Type::Parse(std::string_view name) {
  if (name.starts_with("list<") && name.ends_with(">")) {
    auto element = ParseKind(name.substr(5, name.size() - 6));
    if (!element || *element == TypeKind::kNull) return std::nullopt;
    return ListOf(*element);
  }
  if (name == "list") return ListOf(TypeKind::kNull);
  auto kind = ParseKind(name);
  if (!kind) return std::nullopt;
  return Of(*kind);
}

std::string Value::ToString() const {
  switch (kind()) {
    case TypeKind::kNull: return "null";
    case TypeKind::kBoolean: return boolean() ? "true" : "false";
    case TypeKind::kInteger: return std::to_string(integer());
    case TypeKind::kNumber: return number().ToString();
    case TypeKind::kText: return text();
    case TypeKind::kDate: return date().ToString();
    case TypeKind::kDateTime: return FormatInstant(datetime());
    case TypeKind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < list().size(); ++i) {
        if (i > 0) out += ", ";
        out += list()[i].ToLiteral();
      }
      return out + "]";
    }
  }
  return "null";
}

std::string Value::ToLiteral() const {
  if (kind() != TypeKind::kText) return ToString();
  std::string out = "\"";
  for (char c : text()) {
    if (c == '"') out += '"';  // the language doubles quotes inside text literals
    out += c;
  }
  return out + "\"";
}

bool operator==(const Value& a, const Value& b) {
  bool a_numeric = a.kind() == TypeKind::kInteger || a.kind() == TypeKind::kNumber;
  bool b_numeric = b.kind() == TypeKind::kInteger || b.kind() == TypeKind::kNumber;
  if (a_numeric && b_numeric) return Compare(a.AsDecimal(), b.AsDecimal()) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case TypeKind::kNull: return true;
    case TypeKind::kBoolean: return a.boolean() == b.boolean();
    case TypeKind::kText: return a.text() == b.text();
    case TypeKind::kDate: return a.date() == b.date();
    case TypeKind::kDateTime: return a.datetime() == b.datetime();
    case TypeKind::kList: return a.list() == b.list();
    default: return false;
  }
}

}  // namespace oc::expr
