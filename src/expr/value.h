#pragma once
// The values and static types of the expression language.
//
// Types: boolean, integer (int64), number (exact Decimal), text (UTF-8), date (business date),
// datetime (UTC instant), list of one element type, and null. Null is both a value (a missing
// field, the NULL literal) and the type of the NULL literal, which fits wherever any type is
// expected. The only implicit conversion is integer → number.
// Value is an immutable-once-built value type; lists share their elements, so copying is cheap.
// Thread-compatible.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/decimal.h"

namespace oc::expr {

enum class TypeKind : uint8_t {
  kNull,
  kBoolean,
  kInteger,
  kNumber,
  kText,
  kDate,
  kDateTime,
  kList,
};

// "null", "boolean", "integer", "number", "text", "date", "datetime", "list".
std::string_view TypeKindName(TypeKind kind);

struct Type {
  TypeKind kind = TypeKind::kNull;
  TypeKind element = TypeKind::kNull;  // for kList only; kNull for an empty/unknown list

  static constexpr Type Of(TypeKind k) { return Type{k, TypeKind::kNull}; }
  static constexpr Type ListOf(TypeKind e) { return Type{TypeKind::kList, e}; }

  bool IsNumeric() const { return kind == TypeKind::kInteger || kind == TypeKind::kNumber; }
  // "number", "list<text>".
  std::string Name() const;
  // Parses Name()'s output; also accepts "decimal" for number, "string" for text, "bool" for
  // boolean. Returns nullopt for anything else.
  static std::optional<Type> Parse(std::string_view name);

  friend bool operator==(const Type&, const Type&) = default;
};

class Value {
 public:
  Value() = default;  // null
  static Value Boolean(bool v) { return Value(Storage(std::in_place_type<bool>, v)); }
  static Value Integer(int64_t v) { return Value(Storage(std::in_place_type<int64_t>, v)); }
  static Value Number(Decimal v) { return Value(Storage(v)); }
  static Value Text(std::string v) { return Value(Storage(std::move(v))); }
  static Value Date(oc::Date v) { return Value(Storage(v)); }
  static Value DateTime(Instant v) { return Value(Storage(v)); }
  static Value List(std::vector<Value> items) {
    return Value(Storage(std::make_shared<const std::vector<Value>>(std::move(items))));
  }

  TypeKind kind() const { return static_cast<TypeKind>(storage_.index()); }
  bool is_null() const { return storage_.index() == 0; }

  // REQUIRES: kind() is the matching kind.
  bool boolean() const { return std::get<bool>(storage_); }
  int64_t integer() const { return std::get<int64_t>(storage_); }
  const Decimal& number() const { return std::get<Decimal>(storage_); }
  const std::string& text() const { return std::get<std::string>(storage_); }
  oc::Date date() const { return std::get<oc::Date>(storage_); }
  Instant datetime() const { return std::get<Instant>(storage_); }
  const std::vector<Value>& list() const { return *std::get<ListPtr>(storage_); }

  // The numeric value of an integer or number. REQUIRES: kind() is kInteger or kNumber.
  Decimal AsDecimal() const {
    return kind() == TypeKind::kInteger ? Decimal::FromInt(integer()) : number();
  }

  // Human-readable text, as the TEXT-less display of a value: numbers exact ("0.3"), dates ISO,
  // datetimes RFC 3339 UTC, texts unquoted, lists "[1, 2]", null "null".
  std::string ToString() const;
  // Like ToString but texts are quoted; used by Explain.
  std::string ToLiteral() const;

  // Structural equality; integer 2 equals number 2.0. Null equals null.
  friend bool operator==(const Value& a, const Value& b);

 private:
  using ListPtr = std::shared_ptr<const std::vector<Value>>;
  // The alternative order matches TypeKind.
  using Storage = std::variant<std::monostate, bool, int64_t, Decimal, std::string, oc::Date,
                               Instant, ListPtr>;
  explicit Value(Storage storage) : storage_(std::move(storage)) {}

  Storage storage_;
};

}  // namespace oc::expr
